"""Is a patient ready for a session at a given time? Pure code (no ORM, no clock).

Invariants 1-3 of DESIGN.md in one place: adult on the session day, an approved screening valid on
that day (which is also what makes blood-thinner and NSAID use safe: a physician decided), and a
negative patch test for every product. Consent and the practitioner's confirmation that health and
medicines have not changed are checked here too, so that the booking page, the day view and the
gate all give the same answer with the same words.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from patients.eligibility import age_on

from .patch_tests import ProductClearance


@dataclass(frozen=True)
class Approval:
    """A physician's approval of a screening, as plain values."""

    screening_id: int
    decided_on: date
    valid_until: date


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
    approvals: list[Approval],
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
        missing.append(
            Missing("under_age", f"The patient is {age} on {day:%d %b %Y}: no one under {min_age_years} is treated.")
        )

    valid = [a for a in approvals if a.decided_on <= day <= a.valid_until]
    approval = max(valid, key=lambda a: a.valid_until, default=None)
    if approval is None:
        earlier = [a for a in approvals if a.valid_until < day]
        if earlier:
            last = max(earlier, key=lambda a: a.valid_until)
            missing.append(
                Missing(
                    "approval_expired",
                    f"The physician's approval expired on {last.valid_until:%d %b %Y}: a new screening is needed.",
                )
            )
        else:
            missing.append(Missing("no_approval", "No eligibility screening approved by a physician for that day."))

    for clearance in clearances.values():
        if not clearance.cleared:
            missing.append(Missing("patch_test", clearance.reason, "products"))

    if not has_consent:
        missing.append(Missing("consent", "No informed consent recorded for this course or session."))
    if health_unchanged is False:
        missing.append(
            Missing(
                "health_unchanged",
                "Confirm with the patient that health and medicines have not changed since the screening "
                "(if they have, take a new screening).",
                "health_unchanged",
            )
        )
    return Readiness(missing=tuple(missing), approval=approval)
