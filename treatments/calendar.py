"""The calendar: a day or a week, one column per practitioner (or per treatment room), 15-minute rows.

Two halves:

- `layout(...)` is pure (no database, no settings): columns described as plain values (bookable intervals,
  appointments as aware datetimes) become a grid of rows in the clinic's wall-clock time, each column's rows
  marked free / not working / time off / taken / past, and each appointment a block with its first row, its
  row span and its lane (side by side when two overlap). Tested without a database, across DST changes.
- `calendar_week(...)` (the selector) reads what a day or week needs in a fixed number of queries, however
  many sessions it holds (eight): working hours, time off, rooms, the sessions with patient, area, practitioner
  and products (two queries), and the readiness facts of the booked ones (three, treatments.selectors).

Rows are wall-clock times (09:00, 09:15, ...) from the earliest working hour of the days shown to the latest
(widened to every session shown). On the day clocks go forward a row that does not exist that day (01:00 in
London on the last Sunday of March) is never bookable; on the day they go back the repeated hour is shown
once (its first occurrence). Working hours are clinic-local times, as `WorkingHours` says; time off blocks.
"""

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from meso_clinic.core.people import display_name

from .models import Room, Session, SessionProduct, TimeOff, WorkingHours
from .selectors import practitioners, sessions_readiness

STEP_MINUTES = 15
DEFAULT_HOURS = (8 * 60, 18 * 60)  # rows shown when nobody works on the days shown
MAX_LANES = 4  # side-by-side blocks in one column; a fifth overlapping one shares the last lane
BOOKING_MINUTES = 45  # a new session's usual length (Session.duration_minutes' default): what an offered room has free

NAME_FIELDS = ("practitioner__username", "practitioner__first_name", "practitioner__last_name")

Interval = tuple[dt.datetime, dt.datetime]  # aware, [start, end)


class SlotState:
    FREE = "free"  # bookable: a link to book it
    CLOSED = "closed"  # outside working hours (or a time that does not exist that day)
    AWAY = "away"  # the practitioner's time off
    TAKEN = "taken"  # a session is there (its block covers the row)
    PAST = "past"  # would have been bookable, but it has begun


@dataclass(frozen=True)
class Appointment:
    """A session as the layout sees it. `blocks` is False for a cancelled one: its time is free again."""

    key: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    blocks: bool = True
    item: Any = None  # handed through to the page (the session, its readiness)


@dataclass(frozen=True)
class ColumnSpec:
    day: dt.date
    label: str
    practitioner_id: int | None = None
    room_id: int | None = None
    open: tuple[Interval, ...] = ()  # bookable (working hours less time off)
    away: tuple[Interval, ...] = ()  # time off, shown as such
    appointments: tuple[Appointment, ...] = ()
    note: str = ""  # under the label: working hours, "not working"


@dataclass(frozen=True)
class Block:
    appointment: Appointment
    row: int  # the first grid row (1 = the first time row)
    span: int  # rows covered, at least 1
    lane: int  # 0-based, of `lanes`
    lanes: int

    @property
    def item(self) -> Any:
        return self.appointment.item


@dataclass
class Column:
    spec: ColumnSpec
    states: list[str]  # one per row
    blocks: list[Block]
    offers: dict[int, int] = field(default_factory=dict)  # row -> the other resource's id offered with the slot


@dataclass(frozen=True)
class Row:
    index: int  # 1-based grid row
    minutes: int  # wall-clock minutes after midnight
    label: str  # "09:15"

    @property
    def on_the_hour(self) -> bool:
        return self.minutes % 60 == 0


@dataclass
class DayColumns:
    day: dt.date
    columns: list[Column]
    starts: list[dt.datetime | None]  # each row's moment that day (None: the wall time does not exist)


@dataclass
class Grid:
    rows: list[Row]
    days: list[DayColumns]
    first_minute: int
    last_minute: int

    @property
    def columns(self) -> list[Column]:
        return [c for d in self.days for c in d.columns]


# --- Intervals ------------------------------------------------------------------------------------------


def wall(day: dt.date, minutes: int, tz: ZoneInfo) -> dt.datetime:
    """The moment at `minutes` after midnight of a local day (minutes may be 24*60: the next midnight)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz) + dt.timedelta(minutes=minutes) if minutes >= 24 * 60 \
        else dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)


def exists(moment: dt.datetime) -> bool:
    """False for a wall time skipped by a clock change (it comes back different from UTC)."""
    tz = moment.tzinfo
    return moment.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == moment.replace(tzinfo=None)


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`intervals` with `holes` cut out (both [start, end), aware)."""
    result = sorted(intervals)
    for h_start, h_end in holes:
        cut: list[Interval] = []
        for start, end in result:
            if h_end <= start or h_start >= end:
                cut.append((start, end))
                continue
            if start < h_start:
                cut.append((start, h_start))
            if h_end < end:
                cut.append((h_end, end))
        result = cut
    return result


def union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def working_intervals(day: dt.date, hours: Iterable[tuple[dt.time, dt.time]], tz: ZoneInfo) -> list[Interval]:
    """A day's working hours (local `time` pairs) as moments."""
    return union(
        (dt.datetime.combine(day, starts, tzinfo=tz), dt.datetime.combine(day, ends, tzinfo=tz))
        for starts, ends in hours
    )


# --- Layout (pure) --------------------------------------------------------------------------------------


def minutes_of(moment: dt.datetime, day: dt.date, tz: ZoneInfo) -> int:
    """Wall-clock minutes after `day`'s midnight (negative before it, from 24*60 on the next day)."""
    local = moment.astimezone(tz)
    return (local.date() - day).days * 24 * 60 + local.hour * 60 + local.minute


def row_range(columns: Sequence[ColumnSpec], tz: ZoneInfo, *, step: int = STEP_MINUTES) -> tuple[int, int]:
    """The first and last wall-clock minute of the rows: every open interval and appointment fits."""
    first, last = math.inf, -math.inf
    for column in columns:
        for start, end in (*column.open, *((a.starts_at, a.ends_at) for a in column.appointments)):
            first = min(first, max(0, minutes_of(start, column.day, tz)))
            begin = minutes_of(start, column.day, tz)
            last = max(last, min(24 * 60, max(minutes_of(end, column.day, tz), begin + step)))
    if first is math.inf:
        return DEFAULT_HOURS
    first = int(first) // step * step
    last = min(24 * 60, math.ceil(int(last) / step) * step)
    return first, last


def assign_lanes(appointments: Sequence[Appointment]) -> dict[int, tuple[int, int]]:
    """Side-by-side lanes for overlapping appointments: key -> (lane, lanes in its overlapping group)."""
    ordered = sorted(appointments, key=lambda a: (a.starts_at, a.ends_at, a.key))
    lanes: dict[int, tuple[int, int]] = {}
    group: list[Appointment] = []
    lane_ends: list[dt.datetime] = []
    group_end: dt.datetime | None = None

    def close() -> None:
        count = min(MAX_LANES, len(lane_ends))
        for a in group:
            lane, _ = lanes[a.key]
            lanes[a.key] = (min(lane, count - 1), count)

    for a in ordered:
        if group_end is not None and a.starts_at >= group_end:
            close()
            group, lane_ends, group_end = [], [], None
        free = next((i for i, end in enumerate(lane_ends) if end <= a.starts_at), None)
        if free is None:
            lane_ends.append(a.ends_at)
            free = len(lane_ends) - 1
        else:
            lane_ends[free] = a.ends_at
        lanes[a.key] = (free, 0)
        group.append(a)
        group_end = a.ends_at if group_end is None else max(group_end, a.ends_at)
    if group:
        close()
    return lanes


def layout(
    columns: Sequence[ColumnSpec],
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    step: int = STEP_MINUTES,
    rows: tuple[int, int] | None = None,
) -> Grid:
    """The grid of `columns` (in order; a new day starts a new group). A row is free when the whole of its
    `step` minutes lies in the column's open time, no session that blocks overlaps it, and it has not begun."""
    first, last = rows or row_range(columns, tz, step=step)
    grid_rows = [Row(i + 1, m, f"{m // 60:02d}:{m % 60:02d}") for i, m in enumerate(range(first, last, step))]
    width = dt.timedelta(minutes=step)
    days: list[DayColumns] = []
    for spec in columns:
        if not days or days[-1].day != spec.day:
            moments = [wall(spec.day, r.minutes, tz) for r in grid_rows]
            days.append(DayColumns(spec.day, [], [m if exists(m) else None for m in moments]))
        starts = days[-1].starts
        states = _states(spec, starts, width, now)
        lanes = assign_lanes(spec.appointments)
        blocks = []
        for a in spec.appointments:
            begin = minutes_of(a.starts_at, spec.day, tz)
            end = max(minutes_of(a.ends_at, spec.day, tz), begin + 1)  # wall time may run backwards at a change
            row = max(0, (begin - first) // step) + 1
            last_row = min(len(grid_rows), math.ceil((end - first) / step))
            lane, count = lanes[a.key]
            blocks.append(Block(a, row, max(1, last_row - row + 1), lane, count))
        days[-1].columns.append(Column(spec, states, blocks))
    return Grid(grid_rows, days, first, last)


def _covered(starts: list[dt.datetime | None], width: dt.timedelta, intervals: Iterable[Interval], *,
             whole: bool) -> set[int]:
    """Rows (0-based) inside an interval (`whole`: the row's full width) or overlapping one."""
    known = [(m, i) for i, m in enumerate(starts) if m is not None]
    moments = [m for m, _ in known]
    rows: set[int] = set()
    for start, end in intervals:
        if whole:
            lo, hi = bisect.bisect_left(moments, start), bisect.bisect_right(moments, end - width)
        else:
            lo, hi = bisect.bisect_right(moments, start - width), bisect.bisect_left(moments, end)
        rows.update(known[k][1] for k in range(lo, hi))
    return rows


def _states(spec: ColumnSpec, starts: list[dt.datetime | None], width: dt.timedelta, now: dt.datetime) -> list[str]:
    open_rows = _covered(starts, width, spec.open, whole=True)
    away_rows = _covered(starts, width, spec.away, whole=False)
    taken = _covered(starts, width, ((a.starts_at, a.ends_at) for a in spec.appointments if a.blocks), whole=False)
    states = []
    for i, moment in enumerate(starts):
        if moment is None:
            states.append(SlotState.CLOSED)
        elif i in taken:
            states.append(SlotState.TAKEN)
        elif i in open_rows:
            states.append(SlotState.FREE if moment >= now else SlotState.PAST)
        elif i in away_rows:
            states.append(SlotState.AWAY)
        else:
            states.append(SlotState.CLOSED)
    return states


def free_runs(states: Sequence[str]) -> list[tuple[int, int]]:
    """The runs of free rows: (first row, 0-based; rows in the run). The page shows one "Book from" link a run."""
    runs: list[tuple[int, int]] = []
    i, count = 0, len(states)
    while i < count:
        if states[i] != SlotState.FREE:
            i += 1
            continue
        j = i + 1
        while j < count and states[j] == SlotState.FREE:
            j += 1
        runs.append((i, j - i))
        i = j
    return runs


def offer_other(grid: Grid, others: dict[dt.date, list[tuple[int, list[str]]]], *, rows_needed: int) -> None:
    """For the first row of each free run, the first of the other resource (a room for a practitioner's column, a
    practitioner for a room's) free for `rows_needed` rows from it: the booking form is pre-filled with it.
    `others`: per day, (id, states) in the order offered."""
    for day in grid.days:
        candidates = others.get(day.day, [])
        for column in day.columns:
            for i, _ in free_runs(column.states):  # a run's link books from its start
                for other_id, states in candidates:
                    if all(s == SlotState.FREE for s in states[i:i + rows_needed]):
                        column.offers[i] = other_id
                        break


# --- Reading the database -------------------------------------------------------------------------------


BY_PRACTITIONER, BY_ROOM = "practitioner", "room"
NO_ROOM = 0  # the column of sessions booked without a room (older bookings)


@dataclass
class CalendarPage:
    grid: Grid
    by: str
    days: list[dt.date]
    closed_days: list[dt.date]  # shown days on which nobody works and nothing is booked
    choices: list[tuple[int, str]]  # the filter's practitioners (or rooms): id, name
    chosen: int | None
    sessions: int  # shown


def calendar_week(
    days: Sequence[dt.date], *, by: str = BY_PRACTITIONER, only: int | None = None, now: dt.datetime, tz: ZoneInfo
) -> CalendarPage:
    """The calendar of `days` (one, or a week). Eight queries whatever the number of sessions: rooms, working
    hours (with their practitioners), time off, sessions (with patient, area and practitioner), their products,
    and three for the readiness facts of the booked ones. Filtered to one practitioner or room (`only`), only
    that column's sessions are read in full, and one light query more gives every session's times (the rooms
    and practitioners offered with a free slot)."""
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    weekdays = {d.weekday() for d in days}
    rooms = list(Room.objects.only("pk", "name", "active"))
    hours_rows = list(
        WorkingHours.objects.filter(weekday__in=weekdays, practitioner__in=practitioners().values("pk"))
        .select_related("practitioner")
        .only("weekday", "starts", "ends", *NAME_FIELDS)
    )
    time_off = list(
        TimeOff.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .values_list("practitioner_id", "starts_at", "ends_at")
    )
    in_range = Session.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    shown = in_range
    if only is not None:  # one practitioner's (or room's) sessions are read in full, with their readiness
        shown = in_range.filter(**{"practitioner_id": only} if by == BY_PRACTITIONER else
                                {"room__isnull": True} if only == NO_ROOM else {"room_id": only})
    sessions = list(
        shown.select_related("patient", "area", "practitioner")
        .only(
            "scheduled_at", "duration_minutes", "status", "course", "room",
            "patient__given_name", "patient__family_name", "patient__date_of_birth", "area__name", *NAME_FIELDS,
        )
        .prefetch_related(
            Prefetch(
                "session_products",
                queryset=SessionProduct.objects.select_related("product").only(
                    "session_id", "product__name", "product__patch_test_required"
                ),
            )
        )
        .order_by("scheduled_at", "id")
    )
    ready = sessions_readiness(sessions)
    people = {row.practitioner_id: display_name(row.practitioner) for row in hours_rows}
    people.update((s.practitioner_id, display_name(s.practitioner)) for s in sessions)

    hours: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for row in hours_rows:
        hours[row.practitioner_id, row.weekday].append((row.starts, row.ends))
    away: dict[int, list[Interval]] = defaultdict(list)
    for practitioner_id, starts_at, ends_at in time_off:
        away[practitioner_id].append((starts_at, ends_at))
    items = {s.pk: SessionShown(s, ready.get(s.pk), people.get(s.practitioner_id, "")) for s in sessions}
    # Who and which room is taken when, for the other columns' free slots: from the sessions read, or (filtered
    # to one column) from one light query of every session's times.
    taken = (
        [(s.pk, s.practitioner_id, s.room_id, s.scheduled_at, s.duration_minutes, s.status) for s in sessions]
        if only is None else
        list(in_range.values_list("pk", "practitioner_id", "room_id", "scheduled_at", "duration_minutes", "status"))
    )
    by_day: dict[tuple[dt.date, int], list[Appointment]] = defaultdict(list)
    by_room: dict[tuple[dt.date, int], list[Appointment]] = defaultdict(list)
    for pk, practitioner_id, room_id, scheduled_at, minutes, status in taken:
        appointment = Appointment(
            pk, scheduled_at, scheduled_at + dt.timedelta(minutes=minutes), blocks=status != Session.Status.CANCELLED,
            item=items.get(pk),
        )
        local_day = scheduled_at.astimezone(tz).date()
        by_day[local_day, practitioner_id].append(appointment)
        by_room[local_day, room_id or NO_ROOM].append(appointment)

    order = sorted(people, key=lambda pk: (people[pk].casefold(), pk))
    practitioner_columns: dict[dt.date, list[ColumnSpec]] = {}
    for day in days:
        specs = []
        for pk in order:
            day_hours = hours.get((pk, day.weekday()), [])
            appointments = tuple(by_day.get((day, pk), ()))
            if not day_hours and not appointments:
                continue
            working = working_intervals(day, day_hours, tz)
            off = [i for i in away.get(pk, ()) if i[0] < wall(day, 24 * 60, tz) and i[1] > wall(day, 0, tz)]
            note = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in sorted(day_hours)) if day_hours else ""
            specs.append(ColumnSpec(day, people[pk], practitioner_id=pk, open=tuple(subtract(working, off)),
                                    away=tuple(off), appointments=appointments, note=note))
        practitioner_columns[day] = specs

    if by == BY_ROOM:
        columns: list[ColumnSpec] = []
        for day in days:
            # A room is bookable while someone works: the union of the practitioners' open time that day.
            clinic_open = tuple(union(i for spec in practitioner_columns[day] for i in spec.open))
            shown_rooms: list[Room | None] = [r for r in rooms if r.active or by_room.get((day, r.pk))]
            if by_room.get((day, NO_ROOM)):
                shown_rooms.append(None)
            if not clinic_open and not any(by_room.get((day, r.pk if r else NO_ROOM)) for r in shown_rooms):
                continue
            for room in shown_rooms:
                key = room.pk if room else NO_ROOM
                if only is not None and key != only:
                    continue
                columns.append(ColumnSpec(
                    day, room.name if room else "", room_id=room.pk if room else None,
                    open=clinic_open if room and room.active else (), appointments=tuple(by_room.get((day, key), ())),
                ))
        choices = [(r.pk, r.name) for r in rooms if r.active]
    else:
        columns = [
            spec for day in days for spec in practitioner_columns[day] if only is None or spec.practitioner_id == only
        ]
        choices = [(pk, people[pk]) for pk in order]

    grid = layout(columns, tz=tz, now=now)
    rows_needed = math.ceil(BOOKING_MINUTES / STEP_MINUTES)
    if by == BY_ROOM:
        # A room's free slot offers the first practitioner free then (her own column's states).
        per_day = layout([s for d in days for s in practitioner_columns[d]], tz=tz, now=now,
                         rows=(grid.first_minute, grid.last_minute))
        # Every column here is a practitioner's (a room's below): the id is never None.
        others = {
            d.day: [(c.spec.practitioner_id, c.states) for c in d.columns if c.spec.practitioner_id is not None]
            for d in per_day.days
        }
    else:
        room_specs = [
            ColumnSpec(day, r.name, room_id=r.pk, open=((wall(day, 0, tz), wall(day, 24 * 60, tz)),),
                       appointments=tuple(by_room.get((day, r.pk), ())))
            for day in days for r in rooms if r.active
        ]
        per_room = layout(room_specs, tz=tz, now=now, rows=(grid.first_minute, grid.last_minute))
        others = {
            d.day: [(c.spec.room_id, c.states) for c in d.columns if c.spec.room_id is not None] for d in per_room.days
        }
    offer_other(grid, others, rows_needed=rows_needed)
    shown_days = {d.day for d in grid.days}
    return CalendarPage(
        grid=grid,
        by=by,
        days=list(days),
        closed_days=[d for d in days if d not in shown_days],
        choices=choices,
        chosen=only,
        sessions=sum(len(c.spec.appointments) for c in grid.columns),
    )


@dataclass(frozen=True)
class SessionShown:
    """What a block shows: the session, its readiness (booked and arrived ones only), the practitioner's name."""

    session: Any
    readiness: Any
    practitioner: str
