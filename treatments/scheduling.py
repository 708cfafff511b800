"""When can a session be booked? Pure code (no ORM, no clock), like patch_tests.py and readiness.py.

Two questions, each answered with reasons staff read (in the active language):

- Is a slot free? A practitioner works in weekly hours given in the clinic's local time (`WeeklyHours`), minus her
  time off, minus what is already booked: her own sessions, the room's and the patient's. `check_slot` says why a
  wanted slot is not free, `nearest_free_starts` offers the nearest free starts on the clinic's 15-minute grid.
- When can this patient be treated at the earliest? `earliest_treatment` takes the latest of: now, each required
  patch test readable and read negative, and the course's interval after her last session; none at all for a
  hard stop (under age, a screening the rules or a physician turned down). It reuses the patch-test rules
  (readable_from, read_deadline, clearance) and readiness' latest_screening and the eligibility age rule.

Time: every instant is timezone-aware. Working hours are wall-clock times of the clinic, turned into instants day
by day with zoneinfo, so a daylight-saving change neither creates nor loses bookable time: a shift starting or
ending in a spring-forward gap starts or ends at the change itself, and a fall-back day's shift runs from the first
time the clock shows its start to the last time it shows its end (a person works through the repeated hour).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from django.utils.translation import gettext as _

from patients.eligibility import age_on

from . import patch_tests
from .patch_tests import PatchTestFacts, PatchTestRules, ReadResult, format_day, readable_from
from .readiness import ScreeningFacts, latest_screening

GRID_MINUTES = 15  # starts offered on the quarter hours of the clinic's clock
DEFAULT_HORIZON_DAYS = 14  # how far ahead nearest free slots are searched
DAY = timedelta(days=1)


# --- Intervals and working time -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Interval:
    """[start, end) between two aware instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware(self.start, "start")
        _require_aware(self.end, "end")

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class WeeklyHours:
    """One WorkingHours row: on `weekday` (0 Monday) from `starts` until `ends`, clinic wall-clock time."""

    weekday: int
    starts: time
    ends: time


USUAL_HOURS = tuple(WeeklyHours(d, time(9), time(18)) for d in range(6))


def local_instant(day: date, wall: time, tz: tzinfo, *, at_end: bool = False) -> datetime:
    """The instant the clinic's clock shows `wall` on `day`, in UTC.

    A wall time in a spring-forward gap never shows: it is the change itself (the first instant after it).
    A wall time shown twice on a fall-back day is its first showing for a start and its last for an end.
    """
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if _wall(first, tz) == naive and _wall(second, tz) == naive:  # shown (once, or twice on a fall-back day)
        return second if at_end else first
    # In a gap, fold=0 reads the wall time with the offset before the change and fold=1 with the one after: the
    # change lies between them. Bisect (to the second) for the first instant whose wall time is at least `naive`.
    lo, hi = min(first, second), max(first, second)
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if _wall(mid, tz) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def _wall(instant: datetime, tz: tzinfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None, fold=0)


def working_intervals(day: date, hours: Iterable[WeeklyHours], tz: tzinfo) -> list[Interval]:
    """The practitioner's working time on the clinic day `day`, as instants, merged and in order."""
    pieces = [
        Interval(local_instant(day, h.starts, tz), local_instant(day, h.ends, tz, at_end=True))
        for h in hours
        if h.weekday == day.weekday() and h.ends > h.starts
    ]
    return merge([p for p in pieces if p.end > p.start])


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, in order."""
    merged: list[Interval] = []
    for piece in sorted(intervals):
        if merged and piece.start <= merged[-1].end:
            if piece.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, piece.end)
        else:
            merged.append(piece)
    return merged


def subtract(intervals: Iterable[Interval], taken: Iterable[Interval]) -> list[Interval]:
    """What is left of `intervals` once every `taken` interval is removed."""
    left = merge(intervals)
    for cut in merge(taken):
        kept: list[Interval] = []
        for piece in left:
            if not piece.overlaps(cut):
                kept.append(piece)
                continue
            if piece.start < cut.start:
                kept.append(Interval(piece.start, cut.start))
            if cut.end < piece.end:
                kept.append(Interval(cut.end, piece.end))
        left = kept
    return left


def clinic_day_bounds(day: date, tz: tzinfo) -> Interval:
    """The clinic day from its midnight to the next (23 or 25 hours on a daylight-saving change)."""
    return Interval(local_instant(day, time.min, tz), local_instant(day + DAY, time.min, tz))


@dataclass(frozen=True)
class Availability:
    """Where a practitioner works and is away. `hours` None: no working hours recorded, so none are enforced
    (a clinic that has not set them up books as before; the booking form says so)."""

    hours: tuple[WeeklyHours, ...] | None
    time_off: tuple[Interval, ...] = ()

    def offered(self) -> "Availability":
        """What free times are offered from: without recorded hours, the usual clinic day (Mon-Sat 09:00-18:00),
        so that a suggestion is never at midnight."""
        return self if self.hours is not None else Availability(USUAL_HOURS, self.time_off)

    def working_time(self, day: date, tz: tzinfo) -> list[Interval]:
        """Working time on `day` minus time off (time off may run across midnight or over many days)."""
        bounds = clinic_day_bounds(day, tz)
        worked = [bounds] if self.hours is None else working_intervals(day, self.hours, tz)
        return subtract(worked, self.time_off)


def free_intervals(
    *, day: date, availability: Availability, busy: Iterable[Interval], tz: tzinfo
) -> list[Interval]:
    """The practitioner's bookable time on `day`: working time minus time off minus busy intervals."""
    return subtract(availability.working_time(day, tz), busy)


# --- Is a slot free? ----------------------------------------------------------------------------------------


class Clash(StrEnum):
    """Whose session a busy interval is; the value is a stable code."""

    PRACTITIONER = "practitioner"
    ROOM = "room"
    PATIENT = "patient"


@dataclass(frozen=True)
class Busy:
    """A session that holds the practitioner, the room or the patient from `start` until `end`."""

    start: datetime
    end: datetime
    clash: Clash

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


class SlotProblem(StrEnum):
    PAST = "past"
    OUTSIDE_HOURS = "outside_hours"
    TIME_OFF = "time_off"
    PRACTITIONER_BUSY = "practitioner_busy"
    ROOM_TAKEN = "room_taken"
    PATIENT_BUSY = "patient_busy"


# The form field each problem belongs to: a taken room is the room's problem, the rest the time's.
PROBLEM_FIELDS = {SlotProblem.ROOM_TAKEN: "room"}


@dataclass(frozen=True)
class SlotReason:
    problem: SlotProblem
    message: str

    @property
    def field(self) -> str:
        return PROBLEM_FIELDS.get(self.problem, "scheduled_at")


@dataclass(frozen=True)
class SlotCheck:
    reasons: tuple[SlotReason, ...]

    @property
    def free(self) -> bool:
        return not self.reasons


def check_slot(
    *,
    start: datetime,
    minutes: int,
    now: datetime,
    tz: tzinfo,
    availability: Availability,
    busy: Iterable[Busy],
    grace: timedelta = timedelta(0),
) -> SlotCheck:
    """Why a session from `start` for `minutes` cannot be booked (every reason, in this order: past, outside working
    hours, time off, the practitioner's, the room's and the patient's other sessions), or none: free.

    `grace`: a booking a little in the past (reception typing it in late) is still accepted."""
    _require_aware(start, "start")
    _require_aware(now, "now")
    wanted = Interval(start, start + timedelta(minutes=minutes))
    reasons: list[SlotReason] = []
    if start < now - grace:
        reasons.append(SlotReason(SlotProblem.PAST, _("That time has passed. Book a time from now on.")))
    days = {wanted.start.astimezone(tz).date(), (wanted.end - timedelta(microseconds=1)).astimezone(tz).date()}
    if availability.hours is not None:
        worked = merge(piece for day in days for piece in working_intervals(day, availability.hours, tz))
        if not any(piece.contains(wanted) for piece in worked):
            reasons.append(SlotReason(SlotProblem.OUTSIDE_HOURS, _outside_hours_message(
                wanted, availability.hours, tz)))
    away = [t for t in availability.time_off if t.overlaps(wanted)]
    if away:
        reasons.append(SlotReason(SlotProblem.TIME_OFF, _(
            "The practitioner is away from %(start)s until %(end)s."
        ) % {"start": fmt(away[0].start, tz), "end": fmt(away[0].end, tz)}))
    clashes = sorted((b for b in busy if b.interval.overlaps(wanted)), key=lambda b: b.start)
    messages = {
        Clash.PRACTITIONER: _("The practitioner has another session at %(start)s (until %(end)s) that overlaps this "
                              "time."),
        Clash.ROOM: _("The room is taken by another session at %(start)s (until %(end)s)."),
        Clash.PATIENT: _("The patient has another session at %(start)s (until %(end)s) that overlaps this time."),
    }
    problems = {
        Clash.PRACTITIONER: SlotProblem.PRACTITIONER_BUSY,
        Clash.ROOM: SlotProblem.ROOM_TAKEN,
        Clash.PATIENT: SlotProblem.PATIENT_BUSY,
    }
    for clash in Clash:
        first = next((b for b in clashes if b.clash is clash), None)
        if first is not None:
            words = {"start": hhmm(first.start, tz), "end": hhmm(first.end, tz)}
            reasons.append(SlotReason(problems[clash], messages[clash] % words))
    return SlotCheck(tuple(reasons))


def _outside_hours_message(wanted: Interval, hours: Sequence[WeeklyHours], tz: tzinfo) -> str:
    day = wanted.start.astimezone(tz).date()
    shifts = sorted((h.starts, h.ends) for h in hours if h.weekday == day.weekday())
    words = {"day": format_day(day)}
    if not shifts:
        return _("The practitioner does not work on %(day)s.") % words
    words["hours"] = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in shifts)
    return _("Outside the practitioner's working hours on %(day)s (%(hours)s).") % words


def grid_starts(piece: Interval, minutes: int, tz: tzinfo, grid: int = GRID_MINUTES) -> list[datetime]:
    """Starts on the clinic clock's `grid` (quarter hours) at which `minutes` fit wholly inside `piece`."""
    local = piece.start.astimezone(tz)
    past = (local.minute % grid) * 60 + local.second + local.microsecond / 1e6
    first = piece.start + (timedelta(seconds=grid * 60 - past) if past else timedelta(0))
    first = first.replace(microsecond=0)
    length, step = timedelta(minutes=minutes), timedelta(minutes=grid)
    starts, at = [], first
    while at + length <= piece.end:
        starts.append(at)
        at += step
    return starts


def nearest_free_starts(
    *,
    wanted: datetime,
    minutes: int,
    now: datetime,
    tz: tzinfo,
    availability: Availability,
    busy: Iterable[Busy],
    not_before: datetime | None = None,
    count: int = 3,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    grid: int = GRID_MINUTES,
) -> list[datetime]:
    """The `count` free starts nearest to `wanted` on the clinic's grid: the wanted day's first (nearest in time,
    earlier or later), then the next days' in order, up to `horizon_days` after the wanted day. Never before now
    nor before `not_before` (e.g. the earliest moment the patient can be treated)."""
    taken = [b.interval for b in busy]
    availability = availability.offered()
    floor = max(now, not_before) if not_before is not None else now
    first_day = wanted.astimezone(tz).date()
    found: list[datetime] = []
    for offset in range(horizon_days + 1):
        day = first_day + timedelta(days=offset)
        if clinic_day_bounds(day, tz).end <= floor:
            continue
        starts = [
            s for piece in free_intervals(day=day, availability=availability, busy=taken, tz=tz)
            for s in grid_starts(piece, minutes, tz, grid) if s >= floor
        ]
        if offset == 0:
            starts.sort(key=lambda s: (abs(s - wanted), s))
        found.extend(starts[: count - len(found)])
        if len(found) >= count:
            break
    return found


# --- The earliest moment treatment can happen ---------------------------------------------------------------


class EarliestCode(StrEnum):
    NOW = "now"
    UNDER_AGE = "under_age"
    NOT_ELIGIBLE = "not_eligible"
    DECLINED = "declined"
    PATCH_TEST_NONE = "patch_test_none"  # no usable test: one applied now is readable min_hours later
    PATCH_TEST_TO_READ = "patch_test_to_read"  # applied, not read yet: readable from ..., to be read first
    PATCH_TEST_READ = "patch_test_read"  # read negative: usable from the read
    PATCH_TEST_REACTION = "patch_test_reaction"  # a physician must decide first
    COURSE_INTERVAL = "course_interval"
    NO_APPROVAL = "no_approval"
    APPROVAL_EXPIRES = "approval_expires"


@dataclass(frozen=True)
class EarliestReason:
    code: EarliestCode
    message: str
    at: datetime | None = None  # the moment this reason allows treatment from (None: it sets none)


@dataclass(frozen=True)
class Earliest:
    """The earliest moment treatment can happen, and why.

    `hard_stop`: no booking at all. `at` None otherwise: the moment cannot be known yet (a physician must decide
    on a reaction). `patch_test_from`: bookings before it are refused (a patch test applied is not readable by
    then; with no test at all the moment is said, not enforced: the test may be applied and the session moved);
    `adult_from`: the same for a patient under age now (her birthday). `approval_ok` False: the approval is missing
    or ends before `at` (said in `reasons`)."""

    at: datetime | None
    hard_stop: bool
    reasons: tuple[EarliestReason, ...]
    patch_test_from: datetime | None = None
    approval_ok: bool = True
    adult_from: datetime | None = None

    @property
    def bookable(self) -> bool:
        return not self.hard_stop

    @property
    def refused_before(self) -> datetime | None:
        """No booking before this moment (the patch tests cannot be read, or she is under age until then)."""
        bounds = [b for b in (self.patch_test_from, self.adult_from) if b is not None]
        return max(bounds) if bounds else None


def earliest_treatment(
    *,
    now: datetime,
    tz: tzinfo,
    date_of_birth: date,
    min_age_years: int,
    screenings: Sequence[ScreeningFacts],
    tested_product_ids: Iterable[int],
    tests: Iterable[PatchTestFacts],
    rules: PatchTestRules,
    product_names: Mapping[int, str] | None = None,
    interval_days: int | None = None,
    last_session_at: datetime | None = None,
) -> Earliest:
    """The earliest moment a patient can be treated with products (those needing a patch test in
    `tested_product_ids`): the latest of now, each product's patch test readable and read negative, and the course
    interval after her last session (`last_session_at`); and whether the approval still holds then."""
    _require_aware(now, "now")
    today = now.astimezone(tz).date()
    age = age_on(date_of_birth, today) if date_of_birth <= today else 0
    adult_from = None
    latest = latest_screening(list(screenings), at=now)
    if age < min_age_years:
        adult_on = _birthday(date_of_birth, min_age_years)
        words = {"age": age, "min_age": min_age_years, "day": format_day(adult_on)}
        if latest is not None and latest.hard_stop:  # the rules already said no: nothing to book
            message = _("The patient is %(age)s: no one under %(min_age)s is treated, so no session can be booked "
                        "(she is %(min_age)s on %(day)s; a new screening is needed then).") % words
            return Earliest(None, True, (EarliestReason(EarliestCode.UNDER_AGE, message),))
        adult_from = local_instant(adult_on, time.min, tz)
    if latest is not None and latest.hard_stop:
        message = _("The latest screening (%(day)s) cannot be approved: no session can be booked.")
        return Earliest(None, True, (EarliestReason(EarliestCode.UNDER_AGE, message % _taken(latest, tz)),))
    if latest is not None and latest.outcome == "not_eligible":
        message = _("The latest screening (%(day)s) found the patient not eligible: no session can be booked "
                    "until a new screening is approved.")
        return Earliest(None, True, (EarliestReason(EarliestCode.NOT_ELIGIBLE, message % _taken(latest, tz)),))
    if latest is not None and latest.decision == "declined":
        message = _("The latest screening (%(day)s) was declined by a physician: no session can be booked "
                    "until a new screening is approved.")
        return Earliest(None, True, (EarliestReason(EarliestCode.DECLINED, message % _taken(latest, tz)),))

    reasons = [EarliestReason(EarliestCode.NOW, _("Now."), now)]
    if adult_from is not None:
        reasons.append(EarliestReason(EarliestCode.UNDER_AGE, _(
            "The patient is %(age)s: no one under %(min_age)s is treated; she is %(min_age)s on %(day)s."
        ) % words, adult_from))
    names = product_names or {}
    tests = list(tests)
    patch_from: datetime | None = None
    unknown = False
    for product_id in tested_product_ids:
        name = names.get(product_id) or _("product %(id)s") % {"id": product_id}
        reason = _patch_test_moment(product_id, name, tests, now=now, rules=rules, tz=tz)
        reasons.append(reason)
        if reason.at is None:
            unknown = True
        elif reason.code is EarliestCode.PATCH_TEST_TO_READ:  # applied, not readable yet: no booking before
            patch_from = reason.at if patch_from is None else max(patch_from, reason.at)
    if interval_days and last_session_at is not None:
        next_day = last_session_at.astimezone(tz).date() + timedelta(days=interval_days)
        at = local_instant(next_day, time.min, tz)
        reasons.append(EarliestReason(EarliestCode.COURSE_INTERVAL, _(
            "The course's interval: %(days)s days after her last session (%(last)s), so from %(day)s."
        ) % {"days": interval_days, "last": format_day(last_session_at.astimezone(tz).date()),
             "day": format_day(next_day)}, at))
    earliest = None if unknown else max(r.at for r in reasons if r.at is not None)

    approval_ok = True
    if latest is None or latest.decision != "approved" or latest.valid_until is None:
        approval_ok = False
        if latest is None:
            message = _("No screening yet: take one and have a physician approve it before the session.")
        else:
            message = _("The latest screening (%(day)s) is waiting for a physician's decision.") % _taken(latest, tz)
        reasons.append(EarliestReason(EarliestCode.NO_APPROVAL, message))
    elif earliest is not None and earliest.astimezone(tz).date() > latest.valid_until:
        approval_ok = False
        reasons.append(EarliestReason(EarliestCode.APPROVAL_EXPIRES, _(
            "The physician's approval ends on %(until)s, before the earliest moment: a new screening is needed."
        ) % {"until": format_day(latest.valid_until)}))
    return Earliest(earliest, False, tuple(reasons), patch_from, approval_ok, adult_from)


def _patch_test_moment(
    product_id: int, name: str, tests: list[PatchTestFacts], *, now: datetime, rules: PatchTestRules, tz: tzinfo
) -> EarliestReason:
    """When `product_id` can be used at the earliest, by its patch tests (as patch_tests.clearance judges them)."""
    own = [t for t in tests if product_id in t.product_ids and t.applied_at <= now]
    words = {"product": name}
    reactions = [t for t in own if t.result is not None and t.result.is_reaction and not t.reaction_cleared]
    if reactions:
        return EarliestReason(EarliestCode.PATCH_TEST_REACTION, _(
            "A reaction on the patch test for %(product)s: a physician must record a decision first."
        ) % words)
    # A negative read already done: usable from the read, if still valid then (clearance says so at that moment).
    for test in sorted(own, key=lambda t: (t.applied_at, t.test_id), reverse=True):
        if test.result is ReadResult.NO_REACTION and test.read_at is not None:
            at = max(test.read_at, readable_from(test.applied_at, rules))
            if patch_tests.clearance(product_ids=[product_id], tests=[test], session_at=max(at, now), rules=rules,
                                     tz=tz)[product_id].cleared:
                words["until"] = fmt(test.applied_at + timedelta(days=rules.validity_days), tz)
                return EarliestReason(EarliestCode.PATCH_TEST_READ, _(
                    "Negative patch test for %(product)s, valid until %(until)s."
                ) % words, at)
        if test.read_at is None and now <= patch_tests.read_deadline(test.applied_at, rules):
            at = readable_from(test.applied_at, rules)
            words["opens"] = fmt(at, tz)
            return EarliestReason(EarliestCode.PATCH_TEST_TO_READ, _(
                "The patch test for %(product)s is readable from %(opens)s; it is to be read (negative) first."
            ) % words, max(at, now))
    at = readable_from(now, rules)
    words.update(opens=fmt(at, tz), hours=str(rules.min_hours))
    return EarliestReason(EarliestCode.PATCH_TEST_NONE, _(
        "No usable patch test for %(product)s: one applied now can be read from %(opens)s (%(hours)s hours later)."
    ) % words, at)


def _birthday(date_of_birth: date, years: int) -> date:
    """The day she turns `years` (29 February: 1 March in a common year, as age_on counts)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def _taken(screening: ScreeningFacts, tz: tzinfo) -> dict[str, str]:
    return {"day": format_day(screening.taken_at.astimezone(tz).date())}


# --- Formatting ---------------------------------------------------------------------------------------------


def fmt(at: datetime, tz: tzinfo) -> str:
    """Clinic-local "24 Nov 2026 09:30"."""
    local = at.astimezone(tz)
    return f"{format_day(local.date())} {local:%H:%M}"


def hhmm(at: datetime, tz: tzinfo) -> str:
    return f"{at.astimezone(tz):%H:%M}"


def _require_aware(at: datetime, name: str) -> None:
    if at.utcoffset() is None:
        raise ValueError(f"`{name}` must be timezone-aware")
