"""Writes of the patients app: taking a screening and a physician's decision on it."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meso_clinic.core.clock import clinic_zone

from . import eligibility, medicines, questionnaire
from .models import (
    STORED_NO,
    STORED_NOT_ASKED,
    STORED_YES,
    AnsweredBy,
    Decision,
    EligibilityScreening,
    MedicineName,
    Outcome,
    Patient,
)


class DecisionRefused(Exception):
    """A decision that must not be recorded; the message says why, in words for the physician (in the
    language of the request)."""


def thresholds() -> eligibility.Thresholds:
    return eligibility.Thresholds(
        min_age_years=settings.ELIGIBILITY_MIN_AGE_YEARS,
        isotretinoin_months=settings.ELIGIBILITY_ISOTRETINOIN_MONTHS,
        recent_procedure_weeks=settings.ELIGIBILITY_RECENT_PROCEDURE_WEEKS,
    )


def medicine_names() -> list[medicines.Name]:
    """The clinic's lists of blood thinners and NSAIDs, as the matcher reads them: the active names."""
    return [row.as_name() for row in MedicineName.objects.filter(active=True).order_by("id")]


# Stored in English like the questions; pages translate them when they show them.
_YES, _NO, _NOT_ASKED = STORED_YES, STORED_NO, STORED_NOT_ASKED


def _display(question: questionnaire.Question, value: Any) -> str:
    if question.kind == "yes_no":
        return {True: _YES, False: _NO}.get(value, _NOT_ASKED)
    if question.kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else (value or _NOT_ASKED)
    return value or _NOT_ASKED


_QUESTION_TEXT = {question.key: question.text for question in questionnaire.all_questions()}


def _named_json(item: eligibility.NamedMedicine) -> dict[str, str]:
    """A medicine read in an answer as the screening keeps it; `question` is the answer's row in answer_record."""
    name = item.match.name
    return {"key": item.key, "question": _QUESTION_TEXT[item.key], "written": item.match.written,
            "name": name.name, "generic": name.generic, "kind": str(name.kind)}


def stored_medicine_names(named: list[dict]) -> list[medicines.Name]:
    """The names a screening matched, as the matcher reads them: enough to run its rules again as on the day."""
    return [medicines.Name(name=m["name"], kind=medicines.Kind(m["kind"]), generic=m["generic"]) for m in named]


def _as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def screening_take(
    *,
    patient: Patient,
    answers: dict[str, Any],
    taken_by: User,
    at: dt.datetime | None = None,
    answered_by: str = AnsweredBy.STAFF,
) -> EligibilityScreening:
    """Record an intake questionnaire with the rules' outcome on it, as one row.

    `answered_by` says who gave the answers: staff, or the patient herself by link or tablet
    (patients/invitations.py); the rules and the physician's review are the same for all.

    The questions, answers and reasons are stored in English whatever the language of the page, so
    that every record reads the same; pages translate them when they show them.
    """
    at = at or timezone.now()
    with translation.override("en"):
        assessment = eligibility.assess(
            answers,
            date_of_birth=patient.date_of_birth,
            at=at,
            tz=clinic_zone(),
            medicine_names=medicine_names(),
            thresholds=thresholds(),
        )
    record = [
        [section.title, question.text, _display(question, answers.get(question.key)), question is not top]
        for section in questionnaire.SECTIONS
        for top in section.questions
        for question in (top, *top.follow_ups)
        if question is top or answers.get(top.key) is True
    ]
    screening = EligibilityScreening(
        patient=patient,
        taken_at=at,
        taken_by=taken_by,
        answered_by=answered_by,
        questionnaire_version=questionnaire.VERSION,
        answers={key: _as_json(value) for key, value in answers.items()},
        answer_record=record,
        age_years=assessment.age_years,
        outcome=Outcome(str(assessment.outcome)),
        hard_stop=assessment.hard_stop,
        findings=[
            {"code": f.code, "outcome": str(f.outcome), "reason": f.reason, "overridable": f.overridable}
            for f in assessment.findings
        ],
        medicines_named=[_named_json(item) for item in assessment.medicines_named],
    )
    screening.full_clean()
    screening.save()
    return screening


@transaction.atomic
def screening_decide(
    *,
    screening: EligibilityScreening,
    decision: str,
    reason: str,
    decided_by: User,
    deferred_until: dt.date | None = None,
    instructions: str = "",
    at: dt.datetime | None = None,
) -> EligibilityScreening:
    """Record a physician's approve / defer / decline, once. Refuses anything else with a reason."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    reason = reason.strip()
    if not decided_by.has_perm("patients.decide_screening"):
        raise DecisionRefused(_("Only a physician can decide on an eligibility screening."))
    if not reason:
        raise DecisionRefused(_("A reason is required for every decision."))
    if decision not in Decision.values:
        raise DecisionRefused(_("Choose approve, defer or decline."))
    if screening.hard_stop:
        raise DecisionRefused(_("The patient is under the minimum age: this screening cannot be decided on."))
    if decision == Decision.APPROVED and screening.outcome == Outcome.NOT_ELIGIBLE:
        raise DecisionRefused(
            _("A screening with a “not eligible” finding cannot be approved: defer or decline it.")
        )
    if decision == Decision.DEFERRED and (deferred_until is None or deferred_until <= today):
        raise DecisionRefused(_("A deferral needs a date after today."))

    fields = {
        "decision": decision,
        "decided_by": decided_by,
        "decided_at": at,
        "decision_reason": reason,
        "deferred_until": deferred_until if decision == Decision.DEFERRED else None,
        "instructions": instructions.strip(),
        "valid_until": today + dt.timedelta(days=settings.APPROVAL_VALID_DAYS)
        if decision == Decision.APPROVED
        else None,
    }
    # Conditional update: of two decisions posted at once, exactly one lands.
    updated = EligibilityScreening.objects.filter(pk=screening.pk, decision="").update(**fields)
    if not updated:
        raise DecisionRefused(_("This screening was already decided; nothing was changed."))
    screening.refresh_from_db()
    return screening
