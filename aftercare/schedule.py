"""Aftercare reminder timeline (docs/clinical-rules.md, "Aftercare instructions and timeline";
docs/architecture.md, "Time").

Pure code on purpose: no ORM, no settings, no clock. Callers pass the session's performed-at moment, the
clinic's time zone and, for the pre-session reminder, the moment "now", so every due time can be reproduced
and tested without a database. The results are what the pipeline stores as `Reminder.due_at`, in UTC;
claiming and sending them is the pipeline's business, not this module's.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ReminderKind(StrEnum):
    """What a reminder is for; the value is a stable code for storage (a session has at most one of each)."""

    AFTERCARE_SHEET = "aftercare_sheet"
    WASH_MAKEUP_OK = "wash_makeup_ok"
    CHECK_IN_DAY1 = "check_in_day1"
    REST_OVER = "rest_over"
    CHECK_IN_DAY3 = "check_in_day3"
    RECOVERY_REVIEW = "recovery_review"
    PRE_SESSION = "pre_session"
    # About the appointment itself, each due at once when staff book, move or cancel (issue 14); each carries
    # the session's calendar entry (.ics), never the staff's words.
    BOOKING_CONFIRMED = "booking_confirmed"
    SESSION_MOVED = "session_moved"
    SESSION_CANCELLED = "session_cancelled"

    @property
    def label(self) -> "StrPromise":
        """Wording shown to staff (translated when shown); the value stays a stable code for storage."""
        return _LABELS[self]

    @property
    def after_session(self) -> bool:
        """Whether it belongs to a performed session's aftercare timeline (else it is about the booking)."""
        return self not in BOOKING_KINDS

    @property
    def carries_invite(self) -> bool:
        """Whether the email carries the session's calendar entry (.ics)."""
        return self in APPOINTMENT_KINDS


_LABELS = {
    ReminderKind.AFTERCARE_SHEET: gettext_lazy("Aftercare sheet"),
    ReminderKind.WASH_MAKEUP_OK: gettext_lazy("Washing and make-up allowed again"),
    ReminderKind.CHECK_IN_DAY1: gettext_lazy("Day 1 check-in"),
    ReminderKind.REST_OVER: gettext_lazy("Two-day rest over"),
    ReminderKind.CHECK_IN_DAY3: gettext_lazy("Day 3 check-in"),
    ReminderKind.RECOVERY_REVIEW: gettext_lazy("Recovery review"),
    ReminderKind.PRE_SESSION: gettext_lazy("Pre-session instructions"),
    ReminderKind.BOOKING_CONFIRMED: gettext_lazy("Booking confirmation"),
    ReminderKind.SESSION_MOVED: gettext_lazy("Session moved"),
    ReminderKind.SESSION_CANCELLED: gettext_lazy("Session cancelled"),
}
APPOINTMENT_KINDS = frozenset(
    {ReminderKind.BOOKING_CONFIRMED, ReminderKind.SESSION_MOVED, ReminderKind.SESSION_CANCELLED}
)
# Written at booking, moving or cancelling, not by a plan's timeline; the rest follow a performed session.
BOOKING_KINDS = APPOINTMENT_KINDS | {ReminderKind.PRE_SESSION}
AFTER_SESSION_KINDS = tuple(kind for kind in ReminderKind if kind not in BOOKING_KINDS)


@dataclass(frozen=True)
class Offset:
    """When a reminder is due relative to an anchor.

    `hours` are elapsed hours: a 15 h wait is 15 real hours, even across a DST change, because the clinical
    window is about the skin, not the clock. `days` are calendar days in the clinic's zone at the same local
    wall-clock time, so a next-morning message stays a morning across DST. Days are applied before hours.
    """

    days: int = 0
    hours: int = 0

    def __post_init__(self) -> None:
        # The direction belongs to the step (after a session, before a booking): a negative part is an entry error.
        if self.days < 0 or self.hours < 0:
            raise ValueError(f"offset parts must not be negative, got {self!r}")


@dataclass(frozen=True)
class TimelineStep:
    """One row of an editable timeline: counted after the session's performed_at, or for PRE_SESSION before
    the booked session's scheduled_at."""

    kind: ReminderKind
    offset: Offset


DEFAULT_TIMELINE: tuple[TimelineStep, ...] = (
    TimelineStep(ReminderKind.AFTERCARE_SHEET, Offset()),
    TimelineStep(ReminderKind.WASH_MAKEUP_OK, Offset(hours=15)),
    TimelineStep(ReminderKind.CHECK_IN_DAY1, Offset(days=1)),
    TimelineStep(ReminderKind.REST_OVER, Offset(hours=48)),
    TimelineStep(ReminderKind.CHECK_IN_DAY3, Offset(days=3)),
    TimelineStep(ReminderKind.RECOVERY_REVIEW, Offset(days=14)),
)
PRE_SESSION_STEP = TimelineStep(ReminderKind.PRE_SESSION, Offset(days=3))
# Local [start, end): patients should not get a "you can wash now" email at 2 am.
DEFAULT_QUIET_HOURS: tuple[time, time] = (time(21, 0), time(8, 0))


@dataclass(frozen=True)
class DueReminder:
    """A reminder to store: its kind and an aware due time in UTC."""

    kind: ReminderKind
    due_at: datetime


def shift(anchor: datetime, offset: Offset, tz: tzinfo, *, before: bool = False) -> datetime:
    """`anchor` moved by `offset` (forward, or back when `before`), in UTC.

    Elapsed hours are added in UTC; calendar days move the local date in `tz` keeping the local wall time.
    Going back undoes going forward, so hours are taken off first. A wall time that does not exist (the
    spring-forward gap) or is ambiguous is read with fold=0 and normalised through UTC: always a real instant.
    """
    _require_aware(anchor=anchor)
    elapsed = timedelta(hours=offset.hours)
    if before:
        return _add_days(anchor.astimezone(UTC) - elapsed, -offset.days, tz)
    return _add_days(anchor, offset.days, tz) + elapsed


def aftercare_timeline(
    *,
    performed_at: datetime,
    tz: tzinfo,
    steps: Sequence[TimelineStep] = DEFAULT_TIMELINE,
    quiet_hours: tuple[time, time] | None = DEFAULT_QUIET_HOURS,
) -> list[DueReminder]:
    """One reminder per step after a session performed at `performed_at`, sorted by due time (ties keep step order).

    A reminder whose local due time falls in quiet hours is moved to the end of them (08:00 the next morning,
    or the same morning after midnight). The aftercare sheet is exempt: it goes out with the session, whatever
    the hour. PRE_SESSION is refused here (it counts back from a booking) and so is a kind given twice, since a
    session has at most one reminder of each kind.
    """
    _require_aware(performed_at=performed_at)
    _check_quiet_hours(quiet_hours)
    kinds = [step.kind for step in steps]
    if ReminderKind.PRE_SESSION in kinds:
        raise ValueError("PRE_SESSION counts back from a booked session: use pre_session_reminder()")
    if APPOINTMENT_KINDS.intersection(kinds):
        raise ValueError("booking, moving and cancelling emails are due when staff do it, not on a timeline")
    if len(set(kinds)) != len(kinds):
        raise ValueError(f"each kind may appear once in a timeline, got {[str(kind) for kind in kinds]}")
    reminders = []
    for step in steps:
        due = shift(performed_at, step.offset, tz)
        if step.kind is not ReminderKind.AFTERCARE_SHEET:
            due = _after_quiet_hours(due, tz, quiet_hours)
        reminders.append(DueReminder(step.kind, due))
    return sorted(reminders, key=lambda reminder: reminder.due_at)


def pre_session_reminder(
    *,
    scheduled_at: datetime,
    now: datetime,
    tz: tzinfo,
    step: TimelineStep = PRE_SESSION_STEP,
    quiet_hours: tuple[time, time] | None = DEFAULT_QUIET_HOURS,
) -> DueReminder | None:
    """The reminder before a session booked for `scheduled_at`, or None when the session is not in the future.

    Due `step.offset` before the session (calendar days at the same local time). In quiet hours it moves to
    their end, as after a session, but only if that is still before the session; otherwise it stays put. A
    booking made later than that (under 3 days ahead by default) gets its instructions at once, at `now`.
    """
    _require_aware(scheduled_at=scheduled_at, now=now)
    _check_quiet_hours(quiet_hours)
    if scheduled_at <= now:
        return None
    due = shift(scheduled_at, step.offset, tz, before=True)
    moved = _after_quiet_hours(due, tz, quiet_hours)
    if moved < scheduled_at:
        due = moved
    return DueReminder(step.kind, max(due, now.astimezone(UTC)))


def _require_aware(**moments: datetime) -> None:
    """Refuse naive datetimes: the local date, and so every calendar-day offset, would be a guess."""
    for name, moment in moments.items():
        if moment.utcoffset() is None:
            raise ValueError(f"`{name}` must be timezone-aware")


def _check_quiet_hours(quiet_hours: tuple[time, time] | None) -> None:
    """Quiet hours are local wall times; an aware time would be compared against the clinic's clock wrongly."""
    if quiet_hours is not None and any(bound.tzinfo is not None for bound in quiet_hours):
        raise ValueError("quiet hours must be naive local times")


def _add_days(moment: datetime, days: int, tz: tzinfo) -> datetime:
    """`moment` moved by calendar days in `tz` at the same wall time, in UTC; no days leaves the instant alone."""
    if days == 0:
        return moment.astimezone(UTC)
    local = moment.astimezone(tz)
    return _wall_time(local.date() + timedelta(days=days), local.time(), tz)


def _wall_time(day: date, clock: time, tz: tzinfo) -> datetime:
    """The instant the wall clock in `tz` shows `clock` on `day`, read with fold=0, in UTC."""
    return datetime.combine(day, clock.replace(fold=0), tzinfo=tz).astimezone(UTC)


def _after_quiet_hours(moment: datetime, tz: tzinfo, quiet_hours: tuple[time, time] | None) -> datetime:
    """`moment`, or the end of the quiet hours it falls in locally; a window may wrap past midnight."""
    if quiet_hours is None:
        return moment
    start, end = quiet_hours
    local = moment.astimezone(tz)
    clock = local.time()
    if start <= end:  # a window within one day; start == end is empty
        inside, next_day = start <= clock < end, False
    else:
        inside, next_day = clock >= start or clock < end, clock >= start
    if not inside:
        return moment
    return _wall_time(local.date() + timedelta(days=int(next_day)), end, tz)
