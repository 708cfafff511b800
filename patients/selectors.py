"""Reads of the patients app: registry search, eligibility status, the review queue."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from .models import Decision, EligibilityScreening, Patient


def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients whose name, phone or email contains every word of `query` (case-insensitive)."""
    patients = Patient.objects.all()
    for word in query.split():
        patients = patients.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return patients


@dataclass(frozen=True)
class EligibilityStatus:
    """What the patient page says at a glance. `tone` picks the colour; `label` always says it in words."""

    code: str  # approved, expired, awaiting_review, deferred, declined, not_eligible, not_screened
    label: str
    tone: str  # a Bootstrap contextual class: success, warning, danger, secondary
    detail: str = ""
    screening: EligibilityScreening | None = None


def eligibility_status(*, screening: EligibilityScreening | None, on: dt.date) -> EligibilityStatus:
    """The status of a patient from their latest screening, on the clinic-local day `on`."""
    if screening is None:
        return EligibilityStatus("not_screened", "Not screened yet", "secondary", "Take the intake questionnaire.")
    s = screening
    if s.decision == Decision.APPROVED:
        until = date_format(s.valid_until, "j F Y")
        if s.is_valid_approval_on(on):
            return EligibilityStatus("approved", f"Approved until {until}", "success", s.decision_reason, s)
        return EligibilityStatus("expired", f"Approval expired on {until}", "warning", "A new screening is needed.", s)
    if s.decision == Decision.DEFERRED:
        return EligibilityStatus(
            "deferred",
            f"Deferred until {date_format(s.deferred_until, 'j F Y')}",
            "warning",
            s.instructions or s.decision_reason,
            s,
        )
    if s.decision == Decision.DECLINED:
        return EligibilityStatus("declined", "Declined by a physician", "danger", s.decision_reason, s)
    if s.hard_stop:
        return EligibilityStatus(
            "not_eligible",
            "Not eligible",
            "danger",
            " ".join(f["reason"] for f in s.findings if not f["overridable"]),
            s,
        )
    return EligibilityStatus("awaiting_review", "Awaiting physician review", "warning", s.get_outcome_display(), s)


def review_queue() -> QuerySet[EligibilityScreening]:
    """Screenings waiting for a physician, oldest first."""
    return (
        EligibilityScreening.objects.filter(decision="", hard_stop=False)
        .select_related("patient", "taken_by")
        .order_by("taken_at", "id")
    )
