"""Is a patient ready for a session at a given time? Pure code (no ORM, no clock).

Invariants 1-3 (docs/architecture.md) in one place: adult on the session day, an approved screening valid on
that day (which is also what makes blood-thinner and NSAID use safe: a physician decided), and a
negative patch test for every product. Consent and the practitioner's confirmation that health and
medicines have not changed are checked here too, so that the booking page, the day view and the
gate all give the same answer with the same words (in the active language).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patients.eligibility import age_on

from .patch_tests import ProductClearance, format_day

# Said by the perform form next to its checkbox and by readiness() when a caller skips the form.
HEALTH_UNCHANGED_MISSING = gettext_lazy(
    "Confirm with the patient that health and medicines have not changed since the screening "
    "(if they have, take a new screening)."
)


@dataclass(frozen=True)
class Approval:
    """A physician's approval of a screening, as plain values."""

    screening_id: int
    decided_on: date
    valid_until: date


@dataclass(frozen=True)
class ScreeningFacts:
    """One eligibility screening of the patient and the physician's decision on it, as plain values."""

    screening_id: int
    taken_at: datetime
    decision: str  # "", "approved", "deferred" or "declined"
    decided_at: datetime | None
    valid_until: date | None
    allergy: bool = False  # the rules found an allergy (components, local anaesthetic, an earlier reaction)
    outcome: str = ""  # the rules' automatic outcome: "eligible", "needs_review" or "not_eligible"
    hard_stop: bool = False  # no one may approve it (under age)


@dataclass(frozen=True)
class Missing:
    code: str  # under_age, no_approval, approval_expired, patch_test, consent, health_unchanged
    message: str
    field: str = ""  # the form field a message belongs to, when there is one


@dataclass(frozen=True)
class Readiness:
    missing: tuple[Missing, ...]
    approval: Approval | None

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness(
    *,
    date_of_birth: date,
    session_at: datetime,
    tz: tzinfo,
    min_age_years: int,
    screenings: list[ScreeningFacts],
    clearances: Mapping[int, ProductClearance],
    has_consent: bool,
    health_unchanged: bool | None = None,
) -> Readiness:
    """Everything missing for a session at `session_at`; `health_unchanged=None` skips that check
    (it is asked only when the session is performed)."""
    if session_at.tzinfo is None:
        raise ValueError("session_at must be timezone-aware")
    day = session_at.astimezone(tz).date()
    missing: list[Missing] = []

    age = age_on(date_of_birth, day)
    if age < min_age_years:
        message = _("The patient is %(age)s on %(day)s: no one under %(min_age)s is treated.") % {
            "age": age,
            "day": format_day(day),
            "min_age": min_age_years,
        }
        missing.append(Missing("under_age", message))

    approval, problem = _approval(screenings, session_at=session_at, day=day, tz=tz)
    if problem:
        missing.append(problem)

    for clearance in clearances.values():
        if not clearance.cleared:
            missing.append(Missing("patch_test", clearance.reason, "products"))

    if not has_consent:
        missing.append(Missing("consent", _("No informed consent recorded for this course or session.")))
    if health_unchanged is False:
        missing.append(
            Missing(
                "health_unchanged",
                str(HEALTH_UNCHANGED_MISSING),
                "health_unchanged",
            )
        )
    return Readiness(missing=tuple(missing), approval=approval)


def previous_reaction_problems(
    *, previous_at: datetime | None, answer: str, description: str, tz: tzinfo
) -> dict[str, str]:
    """What is missing from "any reaction after the previous session?", by form field (docs/clinical-rules.md: a clean
    patch test is not permanent clearance, each later session records the answer). Nothing is asked at the
    patient's first session (`previous_at` None); later, "none" or "reaction", and a reaction is described."""
    if previous_at is None:
        return {}
    if answer not in ("none", "reaction"):
        day = {"day": format_day(previous_at.astimezone(tz).date())}
        return {
            "previous_reaction": _(
                "Ask the patient whether any reaction followed the previous session (%(day)s) and record it."
            ) % day
        }
    if answer == "reaction" and not description.strip():
        return {"reaction_after_previous": _("Describe the reaction that followed the previous session.")}
    return {}


def latest_screening(screenings: list[ScreeningFacts], *, at: datetime) -> ScreeningFacts | None:
    """The screening that speaks for the patient at `at`: the latest taken by then."""
    taken = [s for s in screenings if s.taken_at <= at]
    return max(taken, key=lambda s: (s.taken_at, s.screening_id)) if taken else None


def needs_patch_test(*, required_by_catalogue: bool, screening: ScreeningFacts | None) -> bool:
    """Every product is patch-tested before it is used, but for the few the catalogue exempts (the topical
    anaesthetic cream); for a patient with an allergy on her latest screening none is exempt (docs/clinical-rules.md:
    a known allergy to a product's components or to local anaesthetic makes the patch test mandatory)."""
    return required_by_catalogue or (screening is not None and screening.allergy)


def _approval(
    screenings: list[ScreeningFacts], *, session_at: datetime, day: date, tz: tzinfo
) -> tuple[Approval | None, Missing | None]:
    """Only the latest screening taken before the session counts: a newer screening (a new blood
    thinner, say) replaces an older approval until a physician decides on it. A decision recorded
    after the session's time did not exist then."""
    latest = latest_screening(screenings, at=session_at)
    if latest is None:
        return None, Missing("no_approval", _("No eligibility screening approved by a physician for that day."))
    decided = latest.decided_at is not None and latest.decided_at <= session_at
    taken_on = {"day": format_day(latest.taken_at.astimezone(tz).date())}
    if not decided or not latest.decision:
        message = _("The latest screening (%(day)s) is waiting for a physician's decision.") % taken_on
        return None, Missing("screening_undecided", message)
    if latest.decision == "declined":
        message = _("The latest screening (%(day)s) was declined by a physician.") % taken_on
        return None, Missing("screening_declined", message)
    if latest.decision == "deferred":
        message = _("The latest screening (%(day)s) was deferred by a physician.") % taken_on
        return None, Missing("screening_deferred", message)
    assert latest.valid_until is not None and latest.decided_at is not None  # an approval always has both
    if day > latest.valid_until:
        message = _("The physician's approval expired on %(day)s: a new screening is needed.") % {
            "day": format_day(latest.valid_until)
        }
        return None, Missing("approval_expired", message)
    return Approval(latest.screening_id, latest.decided_at.astimezone(tz).date(), latest.valid_until), None
