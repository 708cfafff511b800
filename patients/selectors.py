"""Reads of the patients app: registry search, eligibility status, the review queue."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from .models import Decision, EligibilityScreening, Patient, digits_of

DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


def _as_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients matching `query`: a date of birth (12.04.1988, 1988-04-12, ...), or text of which
    every word is in the name, the email or the phone's digits (case-insensitive).

    On PostgreSQL the `icontains` lookups use the trigram indexes of migration 0003.
    """
    query = query.strip()
    day = _as_date(query)
    if day is not None:
        return Patient.objects.filter(date_of_birth=day)
    patients = Patient.objects.all()
    for word in query.split():
        match = Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(email__icontains=word)
        digits = digits_of(word)
        if len(digits) >= 3 and len(digits) >= len(word) - 1:
            match |= Q(phone_digits__contains=digits)
        patients = patients.filter(match)
    return patients


def possible_duplicates(
    *, given_name: str, family_name: str, date_of_birth: dt.date | None, email: str, phone: str
) -> QuerySet[Patient]:
    """Registered patients who may be the same person: same name and date of birth, same email or
    same phone number."""
    match = Q(pk__in=[])
    if given_name and family_name and date_of_birth:
        match |= Q(
            given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip(), date_of_birth=date_of_birth
        )
    if email:
        match |= Q(email__iexact=email.strip())
    if len(digits_of(phone)) >= 7:
        match |= Q(phone_digits=digits_of(phone))
    return Patient.objects.filter(match)[:5]


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
