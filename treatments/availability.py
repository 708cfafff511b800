"""Reads for booking: a practitioner's working hours and time off, the sessions that hold a practitioner, a room or
a patient, and the earliest moment a patient can be treated, turned into the plain facts treatments/scheduling.py
decides on. A fixed number of queries per question, whatever the size of the calendar.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from meso_clinic.core.clock import clinic_zone
from patients.models import Patient

from . import readiness as readiness_rules
from . import scheduling
from .models import Batch, Course, Product, Room, Session, TimeOff, WorkingHours
from .scheduling import Availability, Busy, Clash, Earliest, Interval, WeeklyHours
from .selectors import patch_rules, patient_facts, practitioners

# Sessions that hold their practitioner, room and patient (a cancelled one or a no-show frees them).
HOLDING_STATUSES = (Session.Status.BOOKED, Session.Status.ARRIVED, Session.Status.PERFORMED)
MAX_SESSION_MINUTES = 240  # a database constraint too: bounds the scan for sessions running into a window


def availabilities(practitioner_ids: Iterable[int], *, start: dt.datetime, end: dt.datetime) -> dict[int, Availability]:
    """Each practitioner's weekly hours (None when she has none recorded) and her time off overlapping
    [start, end), in two queries."""
    ids = list(practitioner_ids)
    hours: dict[int, list[WeeklyHours]] = defaultdict(list)
    for pid, weekday, starts, ends in WorkingHours.objects.filter(practitioner_id__in=ids).values_list(
        "practitioner_id", "weekday", "starts", "ends"
    ):
        hours[pid].append(WeeklyHours(weekday, starts, ends))
    away: dict[int, list[Interval]] = defaultdict(list)
    for pid, starts_at, ends_at in TimeOff.objects.filter(
        practitioner_id__in=ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("practitioner_id", "starts_at", "ends_at"):
        away[pid].append(Interval(starts_at, ends_at))
    return {pid: Availability(tuple(hours[pid]) if pid in hours else None, tuple(away[pid])) for pid in ids}


def holding_sessions(
    *,
    start: dt.datetime,
    end: dt.datetime,
    practitioner_ids: Iterable[int] = (),
    room_ids: Iterable[int] = (),
    patient_id: int | None = None,
    exclude: int | None = None,
) -> list[tuple[dt.datetime, dt.datetime, int, int | None, int]]:
    """(start, end, practitioner, room, patient) of every session holding any of them in [start, end), one query."""
    who = Q(practitioner_id__in=list(practitioner_ids)) | Q(room_id__in=list(room_ids))
    if patient_id is not None:
        who |= Q(patient_id=patient_id)
    sessions = Session.objects.filter(who, status__in=HOLDING_STATUSES, scheduled_at__lt=end,
                                      scheduled_at__gt=start - dt.timedelta(minutes=MAX_SESSION_MINUTES))
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude)
    rows = (
        sessions.values_list("scheduled_at", "duration_minutes", "practitioner_id", "room_id", "patient_id")
    )
    return [
        (at, at + dt.timedelta(minutes=minutes), pid, rid, patient)
        for at, minutes, pid, rid, patient in rows
        if at + dt.timedelta(minutes=minutes) > start
    ]


def busy_for(rows, *, practitioner_id: int, room_id: int | None, patient_id: int | None) -> list[Busy]:
    """The busy intervals of one practitioner, room and patient among `holding_sessions` rows."""
    busy = []
    for start, end, pid, rid, patient in rows:
        if pid == practitioner_id:
            busy.append(Busy(start, end, Clash.PRACTITIONER))
        if room_id is not None and rid == room_id:
            busy.append(Busy(start, end, Clash.ROOM))
        if patient_id is not None and patient == patient_id and pid != practitioner_id:
            busy.append(Busy(start, end, Clash.PATIENT))  # her session with the same practitioner says so already
    return busy


@dataclass(frozen=True)
class SlotAnswer:
    """A wanted slot checked, and the nearest free starts when it is not free."""

    check: scheduling.SlotCheck
    nearest: tuple[dt.datetime, ...]
    free_rooms: tuple[Room, ...] = ()  # other rooms free at the wanted time, when the room is the only problem


def slot_answer(
    *,
    start: dt.datetime,
    minutes: int,
    practitioner_id: int,
    room_id: int | None,
    patient_id: int | None,
    now: dt.datetime,
    not_before: dt.datetime | None = None,
    exclude: int | None = None,
    count: int = 3,
    horizon_days: int = scheduling.DEFAULT_HORIZON_DAYS,
) -> SlotAnswer:
    """Is the slot free (scheduling.check_slot) and, if not, the `count` nearest free starts for the same
    practitioner, room and patient (never before `not_before`)."""
    tz = clinic_zone()
    window_start = min(start, now) - dt.timedelta(days=1)
    window_end = max(start, not_before or start) + dt.timedelta(days=horizon_days + 2)
    availability = availabilities([practitioner_id], start=window_start, end=window_end)[practitioner_id]
    rows = holding_sessions(start=window_start, end=window_end, practitioner_ids=[practitioner_id],
                            room_ids=[room_id] if room_id else [], patient_id=patient_id, exclude=exclude)
    busy = busy_for(rows, practitioner_id=practitioner_id, room_id=room_id, patient_id=patient_id)
    grace = dt.timedelta(minutes=settings.SESSION_PAST_GRACE_MINUTES)
    check = scheduling.check_slot(start=start, minutes=minutes, now=now, tz=tz, availability=availability,
                                  busy=busy, grace=grace)
    wanted = max(start, not_before) if not_before is not None else start  # too early: search from when it may be
    if check.free and wanted == start:
        return SlotAnswer(check, ())
    nearest = scheduling.nearest_free_starts(
        wanted=wanted, minutes=minutes, now=now, tz=tz,
        availability=availability, busy=busy, not_before=not_before, count=count, horizon_days=horizon_days,
    )
    rooms: tuple[Room, ...] = ()
    if [r.problem for r in check.reasons] == [scheduling.SlotProblem.ROOM_TAKEN]:
        rooms = tuple(free_rooms(start=start, minutes=minutes, exclude=exclude))
    return SlotAnswer(check, tuple(nearest), rooms)


def free_rooms(*, start: dt.datetime, minutes: int, exclude: int | None = None) -> list[Room]:
    """Active rooms no session holds from `start` for `minutes`."""
    end = start + dt.timedelta(minutes=minutes)
    rooms = list(Room.objects.filter(active=True))
    rows = holding_sessions(start=start, end=end, room_ids=[r.pk for r in rooms], exclude=exclude)
    taken = {rid for _, _, _, rid, _ in rows}
    return [room for room in rooms if room.pk not in taken]


# --- The earliest moment --------------------------------------------------------------------------------------


def tested_products(facts, products: Iterable[Product], *, at: dt.datetime) -> list[Product]:
    """The products that need a negative patch test for this patient (readiness.needs_patch_test)."""
    screening = readiness_rules.latest_screening(facts.screenings, at=at)
    return [p for p in products
            if readiness_rules.needs_patch_test(required_by_catalogue=p.patch_test_required, screening=screening)]


def last_course_session_at(course: Course | None, *, exclude: int | None = None) -> dt.datetime | None:
    """When the course's latest held session (performed, or booked and not cancelled) took or takes place."""
    if course is None:
        return None
    sessions = Session.objects.filter(course=course, status__in=HOLDING_STATUSES)
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude)
    return sessions.order_by("-scheduled_at").values_list("scheduled_at", flat=True).first()


def earliest_for(
    patient: Patient, products: Iterable[Product], *, course: Course | None = None, now: dt.datetime | None = None,
    exclude: int | None = None,
) -> Earliest:
    """The earliest moment `patient` can be treated with `products` in `course` (scheduling.earliest_treatment)."""
    now = now or timezone.now()
    facts = patient_facts([patient])[patient.pk]
    products = list(products)
    tested = tested_products(facts, products, at=now)
    return scheduling.earliest_treatment(
        now=now,
        tz=clinic_zone(),
        date_of_birth=patient.date_of_birth,
        min_age_years=settings.ELIGIBILITY_MIN_AGE_YEARS,
        screenings=facts.screenings,
        tested_product_ids=[p.pk for p in tested],
        tests=facts.tests_at(now),
        rules=patch_rules(),
        product_names={p.pk: p.name for p in tested},
        interval_days=course.interval_days if course is not None else None,
        last_session_at=last_course_session_at(course, exclude=exclude),
    )


def products_without_stock(products: Iterable[Product], *, on: dt.date) -> list[Product]:
    """The products with no unexpired batch on `on` (a batch is usable up to its expiry day), one query."""
    products = list(products)
    stocked = set(
        Batch.objects.filter(product__in=products, expiry_date__gte=on).values_list("product_id", flat=True)
    )
    return [p for p in products if p.pk not in stocked]


# --- Suggest the next session -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    at: dt.datetime
    practitioner: User
    room: Room | None


def suggest_slots(
    *,
    patient: Patient,
    minutes: int,
    not_before: dt.datetime,
    now: dt.datetime,
    practitioner_ids: Sequence[int] | None = None,
    count: int = 3,
    horizon_days: int = scheduling.DEFAULT_HORIZON_DAYS,
) -> list[Suggestion]:
    """The `count` earliest free slots from `not_before`, across practitioners (all who treat, or those given),
    each with a free room when the clinic has rooms: a handful of queries whatever the number of practitioners."""
    tz = clinic_zone()
    people = {u.pk: u for u in practitioners()}
    ids = [pid for pid in (practitioner_ids or list(people)) if pid in people]
    start = max(now, not_before)
    end = start + dt.timedelta(days=horizon_days + 1)
    found_avail = availabilities(ids, start=start - dt.timedelta(days=1), end=end)
    rooms = list(Room.objects.filter(active=True))
    rows = holding_sessions(start=start - dt.timedelta(days=1), end=end, practitioner_ids=ids,
                            room_ids=[r.pk for r in rooms], patient_id=patient.pk)
    room_busy = {r.pk: [Interval(s, e) for s, e, _, rid, _ in rows if rid == r.pk] for r in rooms}
    options: list[Suggestion] = []
    for pid in ids:
        busy = busy_for(rows, practitioner_id=pid, room_id=None, patient_id=patient.pk)
        for at in scheduling.nearest_free_starts(
            wanted=start, minutes=minutes, now=now, tz=tz, availability=found_avail[pid], busy=busy,
            not_before=not_before, count=count * 4, horizon_days=horizon_days,
        ):
            wanted = Interval(at, at + dt.timedelta(minutes=minutes))
            room = next((r for r in rooms if not any(b.overlaps(wanted) for b in room_busy[r.pk])), None)
            if rooms and room is None:
                continue
            options.append(Suggestion(at, people[pid], room))
    options.sort(key=lambda s: (s.at, s.practitioner.first_name, s.practitioner.pk))
    chosen: list[Suggestion] = []
    for option in options:  # one per start: the receptionist sees different times, not the same time twice
        if all(option.at != c.at for c in chosen):
            chosen.append(option)
        if len(chosen) == count:
            break
    return chosen
