"""Reads of the patients app: registry search, eligibility status, the review queue."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meso_clinic.core.clock import clinic_zone

from . import eligibility, services
from .models import Decision, EligibilityScreening, Outcome, Patient, digits_of
from .search import fold, phone_search_digits

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


def _as_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


# A whole query that is only a phone number's characters ("0532 111 22 33", "+90 (532) 111-2233").
PHONE_QUERY = re.compile(r"^\+?[0-9 ()\-./]+$")
PHONE_QUERY_MIN_DIGITS = 7


def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients matching `query`: a date of birth (12.04.1988, 1988-04-12, ...), a phone number however it is
    written, or text of which every word is in the name, the email or the phone's digits, without regard to case
    or accents, Turkish letters included ("simsek" finds "Şimşek", "ISIK" finds "Işık": patients/search.py).

    Words are matched in `search_text` (the folded names and email) and phone numbers in `phone_digits` (stored
    numbers are E.164: "0532 111", "532 111" and "+90 532 111" all look for "532111"). On PostgreSQL both
    `contains` lookups use trigram indexes (migrations 0002 and 0006).
    """
    # A NUL byte cannot be in a PostgreSQL string, nor in any name: it matches nothing, so drop it.
    query = query.replace("\x00", "").strip()
    day = _as_date(query)
    if day is not None:
        return Patient.objects.filter(date_of_birth=day)
    if PHONE_QUERY.match(query) and len(digits_of(query)) >= PHONE_QUERY_MIN_DIGITS:
        return Patient.objects.filter(phone_digits__contains=phone_search_digits(query))
    patients = Patient.objects.all()
    for word in fold(query).split():
        match = Q(search_text__contains=word)
        digits = phone_search_digits(word)
        if len(digits) >= 3 and len(digits_of(word)) >= len(word) - 1:
            match |= Q(phone_digits__contains=digits)
        patients = patients.filter(match)
    return patients


SEARCH_MAX_MATCHES = 1000  # a search matching more asks for another word
REGISTRY_PAGE = 50


@dataclass(frozen=True)
class SearchPage:
    """What a search shows: at most `REGISTRY_PAGE` patients in the registry's order, and how many
    matched (up to SEARCH_MAX_MATCHES + 1: `too_many` then says there are more)."""

    patients: list[Patient]
    matches: int

    @property
    def too_many(self) -> bool:
        return self.matches > SEARCH_MAX_MATCHES


def patient_search_page(*, query: str, size: int = REGISTRY_PAGE) -> SearchPage:
    """Matching ids first, unordered, so that the trigram indexes find them (a bitmap of each word's
    matches); then those patients in the registry's order. Ordering the search itself made PostgreSQL
    walk the registry's name index and filter out most of the 100,000 patients (docs/benchmarks.md).
    Two queries; no COUNT over the registry."""
    ids = list(patient_search(query=query).order_by().values_list("pk", flat=True)[: SEARCH_MAX_MATCHES + 1])
    if not ids:
        return SearchPage([], 0)
    # Sorting by `family_name || ''` is the same order, but no index has it: PostgreSQL then fetches the
    # matches by id and sorts them (~10 ms for 700), instead of walking the name index through the whole
    # registry to find 50 of them (75 ms).
    order: list[Combinable | str] = [Concat("family_name", Value("")), "given_name", "id"]
    return SearchPage(list(Patient.objects.filter(pk__in=ids).order_by(*order)[:size]), len(ids))


@dataclass(frozen=True)
class RegistryPage:
    """A page of the registry in name order, reached by keyset: `?after=<id>` continues after that
    patient, `?before=<id>` goes back. Ids only in the URL (no names); every page costs the same."""

    patients: list[Patient]
    previous: int | None  # the id for a ?before= link, None on the first page
    next: int | None  # the id for an ?after= link, None on the last page


def _after(anchor: Patient, *, reverse: bool) -> Q:
    """Patients after `anchor` in (family_name, given_name, id) order, or before it if `reverse`."""
    gt = "lt" if reverse else "gt"
    later = (
        Q(**{f"family_name__{gt}": anchor.family_name})
        | Q(family_name=anchor.family_name, **{f"given_name__{gt}": anchor.given_name})
        | Q(family_name=anchor.family_name, given_name=anchor.given_name, **{f"pk__{gt}": anchor.pk})
    )
    # The redundant bound lets the planner start the name index at the anchor instead of at "A".
    return Q(**{f"family_name__{gt}e": anchor.family_name}) & later


def registry_page(*, after: int | None = None, before: int | None = None, size: int = REGISTRY_PAGE) -> RegistryPage:
    order = ["family_name", "given_name", "id"]
    anchor_id = before if before is not None else after
    anchor = Patient.objects.filter(pk=anchor_id).only(*order).first() if anchor_id is not None else None
    patients = Patient.objects.all()
    if anchor is not None and before is not None:
        rows = list(patients.filter(_after(anchor, reverse=True)).order_by(*[f"-{f}" for f in order])[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return RegistryPage(rows, rows[0].pk if rows and more_before else None, rows[-1].pk if rows else None)
    if anchor is not None:
        patients = patients.filter(_after(anchor, reverse=False))
    rows = list(patients.order_by(*order)[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return RegistryPage(
        rows, rows[0].pk if rows and anchor is not None else None, rows[-1].pk if rows and more_after else None
    )


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

    @property
    def detail_is_reason(self) -> bool:
        """The detail is the physician's reason for an approval or a decline (else instructions or findings)."""
        return self.code in ("approved", "declined")

    @property
    def next_step(self) -> str:
        """What the clinic does next for this patient, in words."""
        return str(NEXT_STEPS.get(self.code, NO_TREATMENT))

    @property
    def intake_is_next(self) -> bool:
        """Whether a new intake questionnaire is the patient's next step (the page's main button), i.e. neither an
        approval in force nor a screening waiting for its review."""
        return self.code not in ("approved", "awaiting_review")


NEXT_STEPS = {
    "approved": gettext_lazy("Apply a patch test, record consent, plan a course and book sessions."),
    "awaiting_review": gettext_lazy("A physician reviews the screening in the review queue."),
    "not_screened": gettext_lazy("Take the intake questionnaire."),
    "expired": gettext_lazy("Take the intake questionnaire."),
    "deferred": gettext_lazy("Take a new intake questionnaire after the deferral date."),
}
NO_TREATMENT = gettext_lazy("No treatment can be planned.")  # declined, not eligible


def eligibility_status(*, screening: EligibilityScreening | None, on: dt.date) -> EligibilityStatus:
    """The status of a patient from their latest screening, on the clinic-local day `on`."""
    if screening is None:
        return EligibilityStatus(
            "not_screened", _("Not screened yet"), "secondary", _("Take the intake questionnaire.")
        )
    s = screening
    if s.decision == Decision.APPROVED:
        # Never null once approved (screening_approval_needs_approvable_outcome).
        until = date_format(cast(dt.date, s.valid_until), "j F Y")
        if s.is_valid_approval_on(on):
            label = _("Approved until %(day)s") % {"day": until}
            return EligibilityStatus("approved", label, "success", s.decision_reason, s)
        label = _("Approval expired on %(day)s") % {"day": until}
        return EligibilityStatus("expired", label, "warning", _("A new screening is needed."), s)
    if s.decision == Decision.DEFERRED:
        return EligibilityStatus(
            "deferred",
            # Never null once deferred (screening_deferral_has_a_date).
            _("Deferred until %(day)s") % {"day": date_format(cast(dt.date, s.deferred_until), "j F Y")},
            "warning",
            s.instructions or s.decision_reason,
            s,
        )
    if s.decision == Decision.DECLINED:
        return EligibilityStatus("declined", _("Declined by a physician"), "danger", s.decision_reason, s)
    if s.hard_stop:
        return EligibilityStatus(
            "not_eligible",
            _("Not eligible"),
            "danger",
            " ".join(f["reason"] for f in findings_shown(s) if not f["overridable"]),
            s,
        )
    return EligibilityStatus(
        "awaiting_review", _("Awaiting physician review"), "warning", str(s.get_outcome_display()), s
    )


def findings_shown(screening: EligibilityScreening) -> list[dict]:
    """The fired rules of a screening, each reason in the active language when that is safe.

    Reasons are stored as English text at screening time and never rewritten. For another language
    the rules are run again on the stored answers: only when they give exactly the stored English
    reasons (same rules, same thresholds, same date of birth) are their translated reasons shown;
    otherwise the stored text is, as recorded.
    """
    stored = screening.findings
    if not stored or (translation.get_language() or "en").split("-")[0] == "en":
        return _with_outcome_labels(stored)
    def assess() -> eligibility.Assessment:
        return eligibility.assess(
            screening.answers,
            date_of_birth=screening.patient.date_of_birth,
            at=screening.taken_at,
            tz=clinic_zone(),
            # The names it matched on the day: the lists may have changed since, and only those can fire again.
            medicine_names=services.stored_medicine_names(screening.medicines_named),
            thresholds=services.thresholds(),
        )

    try:
        with translation.override("en"):
            english = assess()
    except (TypeError, ValueError):  # answers the rules no longer read the same way
        return stored
    if [(f.code, f.reason) for f in english.findings] != [(f.get("code"), f.get("reason")) for f in stored]:
        return _with_outcome_labels(stored)
    return _with_outcome_labels(
        [{**f, "reason": shown.reason} for f, shown in zip(stored, assess().findings, strict=True)]
    )


# Any other finding needs review.
FINDING_OUTCOMES: "dict[str, StrPromise]" = {Outcome.NOT_ELIGIBLE: gettext_lazy("Not eligible")}
NEEDS_REVIEW = gettext_lazy("Needs review")


def finding_outcome_label(outcome: str) -> str:
    """What a fired rule means, in words: "Not eligible" or "Needs review"."""
    return str(FINDING_OUTCOMES.get(outcome, NEEDS_REVIEW))


def _with_outcome_labels(findings: list[dict]) -> list[dict]:
    """Copies (the stored findings are never changed) with `outcome_label`."""
    return [{**f, "outcome_label": finding_outcome_label(f.get("outcome", ""))} for f in findings]


def intake_needed(*, patient: Patient, on: dt.date) -> bool:
    """Whether she should answer the intake before a session on the clinic-local day `on`: she has neither an
    approval valid that day nor a screening waiting for a physician's review (issue 15: the booking confirmation
    then carries her own intake link)."""
    screenings = EligibilityScreening.objects.filter(patient=patient)
    if screenings.filter(decision="", hard_stop=False).exists():
        return False
    approvals = screenings.filter(decision=Decision.APPROVED, valid_until__gte=on)
    return not any(s.is_valid_approval_on(on) for s in approvals)


def review_queue() -> QuerySet[EligibilityScreening]:
    """Screenings waiting for a physician, oldest first."""
    return (
        EligibilityScreening.objects.filter(decision="", hard_stop=False)
        .select_related("patient", "taken_by")
        .order_by("taken_at", "id")
    )
