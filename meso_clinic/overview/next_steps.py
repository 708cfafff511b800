"""What comes next for a patient: the patient page's checklist. Pure code (no ORM, no clock, no settings).

The page gathers the facts (from what it loads anyway: no query of its own) and the readiness rules judge them
(treatments.readiness.readiness and treatments.patch_tests.clearance, the same rules as the booking page and the
perform gate); this module only turns their answers into four steps in words, each done, to do, waiting (for a
time or someone else) or blocked, and picks the one action that comes next for the signed-in user.

- Screening: approved until ..., waiting for a physician's review, deferred, declined, expired, not screened.
- Patch test: negative until ..., to be read from ..., to be read now, needed for <product>, a reaction.
- Consent: recorded (for the course, or for one session on its day), or missing.
- Next session: booked for <when> (ready or not), or to book (session n of the course, from <date>), or no course.

A hard stop (under age, not eligible, declined) leaves the screening step alone with its reason and no treatment
action at all.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treatments.patch_tests import (
    PatchTestFacts,
    PatchTestRules,
    ProductBlock,
    ProductClearance,
    format_day,
    read_deadline,
    readable_from,
)
from treatments.readiness import Readiness


class State(StrEnum):
    """A step's state; the page shows each in words with an icon, colour only supporting them."""

    DONE = "done"
    TODO = "todo"
    WAITING = "waiting"  # nothing to do now: a time must pass or someone else acts (a physician's review)
    BLOCKED = "blocked"  # nothing anyone at the desk can do (a hard stop, a reaction for a physician)


STATE_LABELS = {
    State.DONE: gettext_lazy("Done"),
    State.TODO: gettext_lazy("To do"),
    State.WAITING: gettext_lazy("Waiting"),
    State.BLOCKED: gettext_lazy("Blocked"),
}


class Action(StrEnum):
    """What a step asks for; the view gives each its address and keeps those the user's role may do."""

    TAKE_INTAKE = "take_intake"
    REVIEW_SCREENING = "review_screening"
    PLAN_COURSE = "plan_course"
    RECORD_CONSENT = "record_consent"
    APPLY_PATCH_TEST = "apply_patch_test"
    READ_PATCH_TEST = "read_patch_test"
    BOOK_NEXT = "book_next"  # the next session of the course (the form pre-filled with it)
    BOOK_SESSION = "book_session"
    OPEN_SESSION = "open_session"  # today's session: check-in, sign-off


ACTION_LABELS = {
    Action.TAKE_INTAKE: gettext_lazy("Take intake questionnaire"),
    Action.REVIEW_SCREENING: gettext_lazy("Review the screening"),
    Action.PLAN_COURSE: gettext_lazy("Plan a course"),
    Action.RECORD_CONSENT: gettext_lazy("Record consent"),
    Action.APPLY_PATCH_TEST: gettext_lazy("Apply patch test"),
    Action.READ_PATCH_TEST: gettext_lazy("Read the patch test"),
    Action.BOOK_NEXT: gettext_lazy("Book the next session"),
    Action.BOOK_SESSION: gettext_lazy("Book a session"),
    Action.OPEN_SESSION: gettext_lazy("Open today's session"),
}

# The day's flow (register, intake, review, course and consent, patch test, read, book, perform): the first step
# to do in this order is the one the page offers as its main button.
FLOW = (
    Action.TAKE_INTAKE,
    Action.REVIEW_SCREENING,
    Action.PLAN_COURSE,
    Action.RECORD_CONSENT,
    Action.APPLY_PATCH_TEST,
    Action.READ_PATCH_TEST,
    Action.BOOK_NEXT,
    Action.BOOK_SESSION,
    Action.OPEN_SESSION,
)
# Offered as secondary buttons whenever the role may (never for a hard stop), each once.
ALWAYS_OFFERED = (
    Action.TAKE_INTAKE,
    Action.PLAN_COURSE,
    Action.RECORD_CONSENT,
    Action.APPLY_PATCH_TEST,
    Action.BOOK_SESSION,
)

NO_TREATMENT = gettext_lazy("No treatment can be planned.")


@dataclass(frozen=True)
class Step:
    key: str  # screening, patch_test, consent, next_session
    title: str
    state: State
    text: str
    action: Action | None = None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]
    primary: Action | None
    secondary: tuple[Action, ...]
    stop_reason: str = ""  # a hard stop: why no treatment can be planned

    @property
    def hard_stop(self) -> bool:
        return bool(self.stop_reason)


@dataclass(frozen=True)
class StatusFacts:
    """patients.selectors.eligibility_status's answer for today, as plain values."""

    code: str  # approved, expired, awaiting_review, deferred, declined, not_eligible, not_screened
    label: str
    detail: str = ""
    deferred_until: date | None = None


@dataclass(frozen=True)
class BookedSession:
    """The patient's next booked (or arrived) session from today on."""

    at: datetime
    ready: bool


@dataclass(frozen=True)
class CourseFacts:
    """The course the next session belongs to (the newest active one with sessions left, else the newest)."""

    name: str
    done: int
    planned: int
    booked: int
    active: bool
    due: date | None = None  # the earliest day of the next session (scheduling rules, else the course's interval)
    due_at: datetime | None = None  # the earliest moment, when the scheduling rules know it

    @property
    def remaining(self) -> int:
        return max(self.planned - self.done - self.booked, 0)


@dataclass(frozen=True)
class ConsentFacts:
    """The consent in force at the moment checked: when it was given and for which course ("" for one session)."""

    given_on: date
    course: str = ""


def patient_checklist(
    *,
    now: datetime,
    tz: tzinfo,
    status: StatusFacts,
    age: int,
    min_age_years: int,
    date_of_birth: date,
    readiness: Readiness,
    clearances: Mapping[int, ProductClearance],
    tests: Sequence[PatchTestFacts],
    rules: PatchTestRules,
    product_names: Mapping[int, str],
    consent: ConsentFacts | None,
    booked: BookedSession | None,
    course: CourseFacts | None,
    allowed: frozenset[Action],
) -> Checklist:
    """The four steps and the actions for a patient, judged at `now` or, when a session is booked, at its time
    (`readiness` and `clearances` were computed for that moment). `allowed`: the actions the user's role may do."""
    stop = _hard_stop(status, age=age, min_age_years=min_age_years, adult_on=birthday(date_of_birth, min_age_years))
    if stop:
        screening = Step("screening", _("Screening"), State.BLOCKED, stop)
        # A new intake stays possible (a pregnancy ends, a medicine is stopped), but not before she is of age.
        secondary = (Action.TAKE_INTAKE,) if age >= min_age_years and Action.TAKE_INTAKE in allowed else ()
        return Checklist((screening,), None, secondary, stop_reason=str(NO_TREATMENT))

    steps = (
        _screening_step(status, readiness, booked, allowed, now.astimezone(tz).date()),
        _patch_test_step(clearances, tests, rules, product_names, booked, now, tz),
        _consent_step(consent, course, booked),
        _next_session_step(booked, course, readiness, now, tz),
    )
    todo = {step.action for step in steps if step.state is State.TODO and step.action is not None}
    if booked is not None and booked.ready and booked.at.astimezone(tz).date() == now.astimezone(tz).date():
        todo.add(Action.OPEN_SESSION)
    primary = next((a for a in FLOW if a in todo and a in allowed), None)
    offered = [a for a in ALWAYS_OFFERED if a in allowed and a != primary]
    if primary is Action.BOOK_NEXT:  # one booking button: the course's next session
        offered = [a for a in offered if a is not Action.BOOK_SESSION]
    if primary is Action.REVIEW_SCREENING:  # a screening waits for its decision: no new intake beside it
        offered = [a for a in offered if a is not Action.TAKE_INTAKE]
    return Checklist(steps, primary, tuple(offered))


def _hard_stop(status: StatusFacts, *, age: int, min_age_years: int, adult_on: date) -> str:
    if age < min_age_years:
        return _(
            "The patient is %(age)s: no one under %(min_age)s is treated (she is %(min_age)s on %(day)s)."
        ) % {"age": age, "min_age": min_age_years, "day": _long_day(adult_on)}
    if status.code == "not_eligible":
        reason = status.detail or _("The rules found a reason no one can override.")
        return _("Not eligible: %(reason)s") % {"reason": reason}
    if status.code == "declined":
        reason = f" {status.detail}" if status.detail else ""
        return _("Declined by a physician.") + reason
    return ""


def _screening_step(
    status: StatusFacts, readiness: Readiness, booked: BookedSession | None, allowed: frozenset[Action], today: date
) -> Step:
    title = _("Screening")
    if status.code == "approved":
        expired = next((m for m in readiness.missing if m.code == "approval_expired"), None)
        if booked is not None and expired is not None:  # valid today, not on the booked day
            return Step("screening", title, State.TODO, f"{status.label}. {expired.message}", Action.TAKE_INTAKE)
        return Step("screening", title, State.DONE, status.label)
    if status.code == "awaiting_review":
        if Action.REVIEW_SCREENING in allowed:
            return Step("screening", title, State.TODO, _("Waiting for your review."), Action.REVIEW_SCREENING)
        return Step("screening", title, State.WAITING, _("Waiting for a physician's review."))
    if status.code == "deferred":
        if status.deferred_until is not None and today >= status.deferred_until:
            return Step("screening", title, State.TODO, _("%(label)s: take a new intake.") % {"label": status.label},
                        Action.TAKE_INTAKE)
        text = status.label + (f". {status.detail}" if status.detail else "")
        return Step("screening", title, State.WAITING, text)
    if status.code == "expired":
        return Step("screening", title, State.TODO, _("%(label)s: take a new intake.") % {"label": status.label},
                    Action.TAKE_INTAKE)
    return Step("screening", title, State.TODO, _("Not screened yet: take the intake."), Action.TAKE_INTAKE)


def _patch_test_step(
    clearances: Mapping[int, ProductClearance],
    tests: Sequence[PatchTestFacts],
    rules: PatchTestRules,
    names: Mapping[int, str],
    booked: BookedSession | None,
    now: datetime,
    tz: tzinfo,
) -> Step:
    title = _("Patch test")
    if not clearances:
        if booked is not None:  # the booked session's products need none (the anaesthetic cream alone)
            return Step("patch_test", title, State.DONE, _("None needed for the booked session's products."))
        return Step("patch_test", title, State.TODO, _("Needed before the first session."), Action.APPLY_PATCH_TEST)
    by_id = {t.test_id: t for t in tests}
    lines: list[tuple[State, str, Action | None]] = []
    for product_id, c in clearances.items():
        name = names.get(product_id, "")
        test = by_id.get(c.test_id) if c.test_id is not None else None
        lines.append(_clearance_line(c, name, test, rules, booked, now, tz))
    order = (State.BLOCKED, State.TODO, State.WAITING, State.DONE)  # the step is as far as its worst product
    state = min((s for s, _t, _a in lines), key=order.index)
    action = next((a for s, _t, a in lines if s is state and a is not None), None)
    texts = list(dict.fromkeys(t for _s, t, _a in lines))  # one line per test, not per product
    return Step("patch_test", title, state, " ".join(texts), action)


def _clearance_line(
    c: ProductClearance,
    name: str,
    test: PatchTestFacts | None,
    rules: PatchTestRules,
    booked: BookedSession | None,
    now: datetime,
    tz: tzinfo,
) -> tuple[State, str, Action | None]:
    if c.cleared:
        return State.DONE, c.reason, None
    if c.block is ProductBlock.REACTION:
        return State.BLOCKED, c.reason, None
    if c.block is ProductBlock.NO_TEST and test is None:
        return State.TODO, _("Needed for %(product)s.") % {"product": name}, Action.APPLY_PATCH_TEST
    if test is not None and test.read_at is None and now <= read_deadline(test.applied_at, rules):
        opens, closes = readable_from(test.applied_at, rules), read_deadline(test.applied_at, rules)
        words = {"product": name, "opens": _moment(opens, tz), "closes": _moment(closes, tz)}
        if now < opens:
            text = _("For %(product)s: to be read from %(opens)s (until %(closes)s).") % words
            if booked is not None and booked.at < opens:
                return State.TODO, text + " " + c.reason, None  # the booked session is too early: move it
            return State.WAITING, text, None
        return State.TODO, _("For %(product)s: to be read now (until %(closes)s).") % words, Action.READ_PATCH_TEST
    return State.TODO, c.reason, Action.APPLY_PATCH_TEST  # expired, read outside its window, or not read in time


def _consent_step(consent: ConsentFacts | None, course: CourseFacts | None, booked: BookedSession | None) -> Step:
    title = _("Consent")
    if consent is not None:
        words = {"day": format_day(consent.given_on), "course": consent.course}
        if consent.course:
            text = _("Recorded on %(day)s for the course %(course)s.") % words
        else:
            text = _("Recorded on %(day)s for one session that day.") % words
        return Step("consent", title, State.DONE, text)
    if course is not None and course.active:
        text = _("Missing for the course %(course)s.") % {"course": course.name}
    elif booked is not None:
        text = _("Missing for the booked session.")
    else:
        text = _("Not recorded yet.")
    return Step("consent", title, State.TODO, text, Action.RECORD_CONSENT)


def _next_session_step(
    booked: BookedSession | None, course: CourseFacts | None, readiness: Readiness, now: datetime, tz: tzinfo
) -> Step:
    title = _("Next session")
    if booked is not None:
        when = _moment(booked.at, tz)
        if booked.ready:
            return Step("next_session", title, State.DONE, _("Booked for %(when)s: ready.") % {"when": when})
        count = len(readiness.missing)
        text = _("Booked for %(when)s: not ready yet (%(count)s missing, see above).") % {"when": when, "count": count}
        return Step("next_session", title, State.WAITING, text)
    if course is None:
        return Step("next_session", title, State.TODO, _("No course planned yet."), Action.PLAN_COURSE)
    progress = {"done": course.done, "planned": course.planned, "course": course.name}
    if not course.active or course.remaining == 0:
        if course.booked == 0:
            return Step("next_session", title, State.DONE,
                        _("Course %(course)s complete: %(done)s of %(planned)s done.") % progress)
        return Step("next_session", title, State.DONE,
                    _("Course %(course)s: every session is booked.") % progress)
    words = {**progress, "number": course.done + course.booked + 1}
    text = _("To book: session %(number)s of %(planned)s of the course %(course)s") % words
    if course.due_at is not None and course.due_at > now:
        local = course.due_at.astimezone(tz)
        if local.time() == time.min:  # a day (the course's interval), not a moment: no "00:00"
            text += " " + _("(from %(day)s).") % {"day": date_format(local.date(), "D j M Y")}
        else:
            text += " " + _("(from %(when)s).") % {"when": _moment(course.due_at, tz)}
    elif course.due is not None and course.due > now.astimezone(tz).date():
        text += " " + _("(from %(day)s).") % {"day": _long_day(course.due)}
    else:
        text += " " + _("(from today).")
    return Step("next_session", title, State.TODO, text, Action.BOOK_NEXT)


def judged_at(*, now: datetime, session_at: datetime) -> datetime:
    """The moment the booked session's readiness and patch tests are judged at: its start, or now once the start
    has passed (the patient is in the room, the session still booked or arrived). A negative reading taken after
    the booked start still clears the session then, as the perform gate judges it when it is performed."""
    return max(session_at, now)


def birthday(date_of_birth: date, years: int) -> date:
    """The day she turns `years`: 29 February is 1 March in a common year, as patients.eligibility.age_on counts."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def _long_day(day: date) -> str:
    return date_format(day, "j F Y")


def _moment(at: datetime, tz: tzinfo) -> str:
    """"Tue 15 Dec 2026 09:40", clinic time, in the active language."""
    local = at.astimezone(tz)
    return f"{date_format(local.date(), 'D j M Y')} {local:%H:%M}"
