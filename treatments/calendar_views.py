"""The calendar's pages: the day or week grid, and booking a free slot (choose the patient, then the booking form).

Only dates and ids in the URLs (`?date=2026-11-23&view=week&by=room`, `?at=...&practitioner=7&room=2`); a patient is
found by a POSTed search kept in the server-side session, as on the patient list (patients/views.py).
"""

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView, TemplateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.clock import clinic_zone
from meso_clinic.core.params import query_id
from meso_clinic.core.people import display_name
from patients.models import Patient
from patients.selectors import patient_search_page
from patients.views import SEARCH_GONE, SEARCH_KEY, SEARCHES, SEARCHES_KEPT

from .calendar import BY_PRACTITIONER, BY_ROOM, Block, Column, Grid, SlotState, calendar_week
from .models import Course, Room, Session

DAY, WEEK = "day", "week"
AT_FORMAT = "%Y-%m-%dT%H:%M"
PLACEHOLDER_PK = 2147483647


class CalendarForm(forms.Form):
    """The page's GET parameters. Anything wrong falls back to the default (today, the week, by practitioner)."""

    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    view = forms.ChoiceField(choices=[(DAY, gettext_lazy("Day")), (WEEK, gettext_lazy("Week"))], required=False)
    by = forms.ChoiceField(
        choices=[(BY_PRACTITIONER, gettext_lazy("Practitioners")), (BY_ROOM, gettext_lazy("Rooms"))], required=False
    )

    def value(self, name: str, default):
        if not self.is_bound:
            return default
        field = self.fields[name]
        try:
            value = field.clean(field.to_python(self.data.get(name)))
        except forms.ValidationError:
            return default
        if name == "date" and value is not None and not 2000 <= value.year <= 2200:
            return default
        return value or default


def shown_days(day: dt.date, view: str) -> list[dt.date]:
    if view == DAY:
        return [day]
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]


def calendar_url(**params) -> str:
    return f"{reverse('treatments:calendar')}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


class CalendarView(ClinicPermissionRequiredMixin, TemplateView):
    """A day or a week: one column per practitioner who works or has sessions that day (or per room)."""

    permission_required = "treatments.view_session"
    template_name = "treatments/calendar.html"

    def get_context_data(self, **kwargs):
        form = CalendarForm(self.request.GET)
        today = timezone.localdate()
        day = form.value("date", today)
        view = form.value("view", WEEK)
        by = form.value("by", BY_PRACTITIONER)
        only = query_id(self.request.GET, "only")
        days = shown_days(day, view)
        tz = clinic_zone()
        page = calendar_week(days, by=by, only=only, now=timezone.now(), tz=tz)
        step = dt.timedelta(days=1 if view == DAY else 7)
        here = {"view": view, "by": by, "only": only}
        book_url = reverse("treatments:calendar_book") if self.request.user.has_perm("treatments.add_session") else ""
        writer = ColumnWriter(grid=page.grid, by=by, book_url=book_url)
        columns = [{"column": c, "cells": writer.column(c)} for c in page.grid.columns]
        groups, index = [], 0
        for group in page.grid.days:
            groups.append({
                "day": group.day,
                "url": calendar_url(date=group.day.isoformat(), view=DAY, by=by, only=only),
                "columns": columns[index:index + len(group.columns)],
            })
            index += len(group.columns)
        return super().get_context_data(
            page=page,
            groups=groups,
            times=time_cells(page.grid),
            day=day,
            days=days,
            view=view,
            by=by,
            only=only,
            today=today,
            previous_url=calendar_url(date=(day - step).isoformat(), **here),
            next_url=calendar_url(date=(day + step).isoformat(), **here),
            today_url=calendar_url(date=today.isoformat(), **here),
            day_url=calendar_url(date=day.isoformat(), view=DAY, by=by, only=only),
            week_url=calendar_url(date=day.isoformat(), view=WEEK, by=by, only=only),
            by_practitioner_url=calendar_url(date=day.isoformat(), view=view, by=BY_PRACTITIONER),
            by_room_url=calendar_url(date=day.isoformat(), view=view, by=BY_ROOM),
            **kwargs,
        )


def time_cells(grid: Grid) -> SafeString:
    """The sticky time column: a label on the hour and the half hour."""
    return mark_safe("".join(  # noqa: S308 - times only, no user text
        f'<div class="cal-time r{r.index}{" cal-hour" if r.on_the_hour else ""}">'
        f'{r.label if r.minutes % 30 == 0 else ""}</div>'
        for r in grid.rows
    ))


STATE_LABELS = {
    SlotState.CLOSED: gettext_lazy("Not working"),
    SlotState.AWAY: gettext_lazy("Time off"),
    SlotState.PAST: gettext_lazy("Past"),
}


def session_route() -> tuple[str, str]:
    """The session page's URL around its id: reversed once a page, as `{% pk_url %}` does."""
    before, _, after = reverse("treatments:session", args=[PLACEHOLDER_PK]).partition(str(PLACEHOLDER_PK))
    return before, after


class ColumnWriter:
    """Writes each column's grid (background runs, "Book from" links, session blocks) as one string, in Python:
    a week is 72 columns and hundreds of blocks, and Django's template engine costs ~50 times more per element
    (docs/benchmarks.md). Every name and text from the database goes through `conditional_escape`; the rest are
    ids, times and translated words (escaped too). Words and URL prefixes are looked up once per page."""

    def __init__(self, *, grid: Grid, by: str, book_url: str) -> None:
        self.rows, self.by, self.book_url = grid.rows, by, book_url
        self.tz = timezone.get_current_timezone()  # what the template's clinic_date showed
        self.session_url = conditional_escape("{}".join(session_route()))  # "/treatments/sessions/{}/"
        self.statuses = {value: conditional_escape(label) for value, label in Session.Status.choices}
        self.labels = {state: conditional_escape(label) for state, label in STATE_LABELS.items()}
        self.ready = conditional_escape(_("Ready"))
        self.not_ready = conditional_escape(_("Not ready:"))
        self.no_room = _("no room")

    def column(self, column: Column) -> SafeString:
        return mark_safe(self.background(column) + "".join(self.block(b) for b in column.blocks))  # noqa: S308 - escaped above

    def background(self, column: Column) -> str:
        """Runs of one state as one cell each; a free run is one link at its start, as tall as the run (the booking
        form takes the exact time). Greyed-out runs say why to screen readers."""
        spec, states, rows, book = column.spec, column.states, self.rows, bool(self.book_url)
        day = spec.day.isoformat()
        if self.by == BY_ROOM:
            label = _("Book from %(time)s in %(room)s") % {"time": "{time}", "room": spec.label or self.no_room}
        else:
            label = _("Book from %(time)s with %(person)s") % {"time": "{time}", "person": spec.label}
        label = conditional_escape(label)
        parts, i, count = [], 0, len(states)
        while i < count:
            state = states[i]
            j = i + 1
            while j < count and states[j] == state:
                j += 1
            row = rows[i]
            hour = " cal-h" if row.on_the_hour else ""
            if state == SlotState.FREE and book:
                params: dict[str, str | int] = {"at": f"{day}T{row.label}"}
                practitioner = spec.practitioner_id if self.by == BY_PRACTITIONER else column.offers.get(i)
                room = spec.room_id if self.by == BY_ROOM else column.offers.get(i)
                if practitioner:
                    params["practitioner"] = practitioner
                if room:
                    params["room"] = room
                parts.append(
                    f'<a class="cal-free r{row.index} s{j - i}{hour}" href="{self.book_url}?'
                    f'{conditional_escape(urlencode(params))}" aria-label="{label.replace("{time}", row.label)}">'
                    f'<span aria-hidden="true">+ {row.label}</span></a>'
                )
            else:
                text = self.labels.get(state, "")
                if text:
                    text = f"<span>{text}</span>" if state == SlotState.AWAY else \
                        f'<span class="visually-hidden">{text}</span>'
                css = "open" if state == SlotState.FREE else state  # free, but this user does not book
                parts.append(f'<div class="cal-{css} r{row.index} s{j - i}{hour}">{text}</div>')
            i = j
        return "".join(parts)

    def block(self, b: Block) -> str:
        """A session's block: its times, status, patient, area (and practitioner in a room's column), readiness
        (booked and arrived sessions only: computed once per session by the selector)."""
        shown = b.item
        s, r = shown.session, shown.readiness
        tone = s.status_tone
        css = f"cal-block r{b.row} s{b.span} l{b.lanes}-{b.lane} tone-{tone}"
        if s.status == Session.Status.CANCELLED:
            css += " is-cancelled"
        if r and not r.ready:
            css += " not-ready"
        starts, ends = s.scheduled_at.astimezone(self.tz), s.ends_at.astimezone(self.tz)
        area: str = conditional_escape(s.area.name)  # escaped here, then put in the block's f-string
        if self.by == BY_ROOM:
            area = f"{area} · {conditional_escape(shown.practitioner)}"
        readiness = ""
        if r:
            if r.ready:
                readiness = f'<span class="cal-ready">✓ {self.ready}</span>'
            else:
                missing = " ".join(conditional_escape(m.message) for m in r.missing)
                readiness = (f'<span class="cal-missing"><span class="cal-missing-head">⚠ {self.not_ready}</span> '
                             f"{missing}</span>")
        return (
            f'<a class="{css}" href="{self.session_url.format(int(s.pk))}" data-testid="cal-block">'
            f'<span class="cal-line"><span class="cal-when">{starts:%H:%M}–{ends:%H:%M}</span> '
            f'<span class="cal-status badge text-bg-{tone}">{self.statuses.get(s.status, "")}</span></span>'
            f'<strong class="cal-patient">{conditional_escape(s.patient.full_name)}</strong>'
            f'<span class="cal-area">{area}</span>{readiness}</a>'
        )


class DayRedirectView(ClinicPermissionRequiredMixin, RedirectView):
    """The old day view (`/treatments/day/?day=...`): now the calendar's day."""

    permission_required = "treatments.view_session"

    def get_redirect_url(self, *args, **kwargs) -> str:
        form = CalendarForm({"date": self.request.GET.get("day", "")})
        return calendar_url(date=form.value("date", timezone.localdate()).isoformat(), view=DAY)


# --- Booking a free slot --------------------------------------------------------------------------------


def parse_at(value: str) -> dt.datetime | None:
    """`2026-11-23T10:30` (clinic-local) as an aware moment, or None."""
    try:
        naive = dt.datetime.strptime(value, AT_FORMAT)  # noqa: DTZ007 - clinic-local, given its zone below
    except (TypeError, ValueError):
        return None
    if not 2000 <= naive.year <= 2200:
        return None
    return naive.replace(tzinfo=clinic_zone())


class CalendarBookView(ClinicPermissionRequiredMixin, TemplateView):
    """A free slot chosen in the calendar: find the patient (POSTed search), then her booking form pre-filled
    with the time, practitioner, room and (when she has exactly one) her open course."""

    permission_required = "treatments.add_session"
    template_name = "treatments/calendar_book.html"

    def slot(self) -> dict:
        params = self.request.GET if self.request.method == "GET" else self.request.POST
        at_text = params.get("at", "")
        practitioner_id, room_id = query_id(params, "practitioner"), query_id(params, "room")
        practitioner = get_user_model().objects.filter(pk=practitioner_id).first() if practitioner_id else None
        room = Room.objects.filter(pk=room_id).first() if room_id else None
        at = parse_at(at_text)
        kept = {"at": at_text if at else None, "practitioner": practitioner and practitioner.pk,
                "room": room and room.pk}
        return {
            "at": at,
            "practitioner": practitioner,
            "practitioner_name": display_name(practitioner),
            "room": room,
            "kept": {k: v for k, v in kept.items() if v},
        }

    def post(self, request, *args, **kwargs):
        slot = self.slot()
        query = request.POST.get("q", "").replace("\x00", "").strip()[:100]
        params = dict(slot["kept"])
        if query:
            searches = dict(request.session.get(SEARCHES, {}))
            key = secrets.token_urlsafe(6)
            searches[key] = query
            request.session[SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
            params["search"] = key
        return redirect(f"{reverse('treatments:calendar_book')}?{urlencode(params)}")

    def get(self, request, *args, **kwargs):
        patient_id = query_id(request.GET, "patient")
        if patient_id is not None:
            return self.chosen(get_object_or_404(Patient, pk=patient_id))
        return super().get(request, *args, **kwargs)

    def chosen(self, patient: Patient):
        params = dict(self.slot()["kept"])
        open_courses = Course.objects.filter(patient=patient, status=Course.Status.ACTIVE)
        courses = list(open_courses.values_list("pk", flat=True)[:2])
        if len(courses) == 1:
            params["course"] = courses[0]
        url = reverse("treatments:session_book", args=[patient.pk])
        return redirect(f"{url}?{urlencode(params)}" if params else url)

    def get_context_data(self, **kwargs):
        slot = self.slot()
        query: str | None = ""
        key = self.request.GET.get("search", "")
        if key:
            query = self.request.session.get(SEARCHES, {}).get(key) if SEARCH_KEY.match(key) else None
            if query is None:
                messages.info(self.request, str(SEARCH_GONE))
                query = ""
        context: dict[str, Any] = {"slot": slot, "query": query, "kept": urlencode(slot["kept"])}
        if slot["at"] is None:
            context["bad_time"] = True
        if query:
            found = patient_search_page(query=query)
            context.update(patients=found.patients, matches=found.matches, too_many=found.too_many)
        day = slot["at"].date() if slot["at"] else timezone.localdate()
        context["back_url"] = calendar_url(date=day.isoformat(), view=WEEK)
        context["when"] = (
            f"{date_format(slot['at'], 'l j F Y')} {slot['at']:%H:%M}" if slot["at"] else ""
        )
        return super().get_context_data(**context, **kwargs)
