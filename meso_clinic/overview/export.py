"""A patient's whole record as plain data, for an access request (JSON download and printable page).

`patient_record(patient)` reads and returns; it writes nothing (the views log the export in the
access log). Values are plain JSON: times in ISO 8601 with the clinic's offset, choices in the
words staff see, staff by name. Ids are kept where a part refers to another (a session's consent).
"""

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.models import Reminder, SideEffectReport
from meso_clinic.core.people import display_name
from patients.models import Patient
from treatments.models import Consent, Course, OutcomeScore, PatchTest, Session, SessionProduct

FORMAT_VERSION = 1


def _time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _staff(user) -> str | None:
    return display_name(user) if user is not None else None


def _patient(p: Patient) -> dict[str, Any]:
    return {
        "id": p.pk,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "date_of_birth": _day(p.date_of_birth),
        "sex": p.get_sex_display(),
        "phone": p.phone,
        "email": p.email,
        "preferred_language": p.get_preferred_language_display(),
        "consents_to_aftercare_emails": p.email_consent,
        "emergency_contact_name": p.emergency_contact_name,
        "emergency_contact_phone": p.emergency_contact_phone,
        "notes": p.notes,
        "registered_at": _time(p.created_at),
        "registered_by": _staff(p.created_by),
    }


def _screening(s) -> dict[str, Any]:
    return {
        "id": s.pk,
        "taken_at": _time(s.taken_at),
        "taken_by": _staff(s.taken_by),
        "questionnaire_version": s.questionnaire_version,
        "age_years": s.age_years,
        # The questions as worded on the day, with the answers as shown then.
        "answers": [
            {"section": section, "question": question, "answer": answer, "follow_up": bool(follow_up)}
            for section, question, answer, follow_up in s.answer_record
        ],
        "rules_outcome": s.get_outcome_display(),
        "hard_stop": s.hard_stop,
        "findings": [f.get("reason", "") for f in s.findings],
        "decision": s.decision.capitalize() if s.decision else None,  # "Approved", "Deferred", "Declined"
        "decided_by": _staff(s.decided_by),
        "decided_at": _time(s.decided_at),
        "decision_reason": s.decision_reason,
        "deferred_until": _day(s.deferred_until),
        "instructions": s.instructions,
        "approval_valid_until": _day(s.valid_until),
    }


def _patch_test(t: PatchTest) -> dict[str, Any]:
    return {
        "id": t.pk,
        "products": [p.name for p in t.products.all()],
        "applied_at": _time(t.applied_at),
        "applied_by": _staff(t.applied_by),
        "site": t.site,
        "read_at": _time(t.read_at),
        "read_by": _staff(t.read_by),
        "result": t.get_result_display() if t.result else None,
        "result_notes": t.result_notes,
        "reaction_decision": t.reaction_decision,
        "reaction_cleared_by": _staff(t.reaction_cleared_by),
        "reaction_cleared_at": _time(t.reaction_cleared_at),
    }


def _consent(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "text": _("%(title)s (version %(version)s)") % {"title": c.text.title, "version": c.text.version},
        "course_id": c.course_id,
        "consented_at": _time(c.consented_at),
        "recorded_by": _staff(c.recorded_by),
        "withdrawn_at": _time(c.withdrawn_at),
    }


def _course(c: Course) -> dict[str, Any]:
    return {
        "id": c.pk,
        "area": c.area.name,
        "indication": c.indication.name,
        "planned_sessions": c.planned_sessions,
        "interval_days": c.interval_days,
        "status": c.get_status_display(),
        "created_at": _time(c.created_at),
        "created_by": _staff(c.created_by),
    }


def _outcome_score(o: OutcomeScore) -> dict[str, Any]:
    """A score as data (issue 16): the scale by its code and range, the value and its words, who and when."""
    return {
        "id": o.pk,
        "course_id": o.course_id,
        "session_id": o.session_id,
        "scale": o.scale.code,
        "scale_name": o.scale.name,
        "scale_range": [o.scale.min_value, o.scale.max_value],
        "higher_is_better": o.scale.higher_is_better,
        "value": o.value,
        "value_label": o.scale.label_for(o.value),
        "recorded_at": _time(o.recorded_at),
        "recorded_by": _staff(o.recorded_by),
        "by_patient": o.by_patient,
    }


def _session(s: Session) -> dict[str, Any]:
    return {
        "id": s.pk,
        "course_id": s.course_id,
        "area": s.area.name,
        "indication": s.indication.name,
        "scheduled_at": _time(s.scheduled_at),
        "duration_minutes": s.duration_minutes,
        "status": s.get_status_display(),
        "arrived_at": _time(s.arrived_at),  # checked in at reception (issue 14)
        "cancel_reason": s.cancel_reason,  # staff's words, part of her record
        "technique": s.get_technique_display(),
        "local_anaesthetic_cream": s.anaesthetic_cream,
        "practitioner": _staff(s.practitioner),
        "supervising_physician": _staff(s.supervising_physician),
        "products": [
            {
                "product": sp.product.name,
                "batch": sp.batch.lot_number if sp.batch else None,
                "batch_expiry": _day(sp.batch.expiry_date) if sp.batch else None,
            }
            for sp in s.session_products.all()
        ],
        "performed_at": _time(s.performed_at),
        "performed_by": _staff(s.performed_by),
        "screening_id": s.screening_id,
        "consent_id": s.consent_id,
        "health_unchanged_confirmed": s.health_unchanged_confirmed,
        "previous_reaction": s.get_previous_reaction_display() if s.previous_reaction else None,
        "reaction_after_previous": s.reaction_after_previous,
        "immediate_reactions": s.immediate_reactions,
        "notes": s.notes,
    }


def _reminder(r: Reminder) -> dict[str, Any]:
    return {
        "id": r.pk,
        "session_id": r.session_id,
        "email": r.get_kind_display(),
        "due_at": _time(r.due_at),
        "status": r.get_status_display(),
        "sent_at": _time(r.sent_at),
    }


def _report(r: SideEffectReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "session_id": r.session_id,
        "reported_at": _time(r.reported_at),
        "side_effects": r.effect_labels,
        "warning_signs": r.warning_labels,
        "severity": r.get_severity_display(),
        "description": r.description,
        "photo": (r.photo.name or "").rsplit("/", 1)[-1] if r.photo else None,
        "escalated": r.escalated,
        "status": r.get_status_display(),
        "closed_by": _staff(r.closed_by),
        "closed_at": _time(r.closed_at),
        "closing_note": r.closing_note,
    }


def patient_record(patient: Patient) -> dict[str, Any]:
    """Everything the clinic holds about `patient`, oldest first within each part."""
    patient = Patient.objects.select_related("created_by").get(pk=patient.pk)
    staff = ("practitioner", "supervising_physician", "performed_by", "area", "indication")
    sessions = (
        Session.objects.filter(patient=patient)
        .select_related(*staff)
        .prefetch_related(
            Prefetch("session_products", SessionProduct.objects.select_related("product", "batch").order_by("id"))
        )
        .order_by("scheduled_at", "id")
    )
    return {
        "format_version": FORMAT_VERSION,
        "patient": _patient(patient),
        "screenings": [
            _screening(s)
            for s in patient.screenings.select_related("taken_by", "decided_by").order_by("taken_at", "id")
        ],
        "patch_tests": [
            _patch_test(t)
            for t in PatchTest.objects.filter(patient=patient)
            .select_related("applied_by", "read_by", "reaction_cleared_by")
            .prefetch_related("products")
            .order_by("applied_at", "id")
        ],
        "consents": [
            _consent(c)
            for c in Consent.objects.filter(patient=patient)
            .select_related("text", "recorded_by")
            .order_by("consented_at", "id")
        ],
        "courses": [
            _course(c)
            for c in Course.objects.filter(patient=patient)
            .select_related("area", "indication", "created_by")
            .order_by("created_at", "id")
        ],
        "sessions": [_session(s) for s in sessions],
        "outcome_scores": [
            _outcome_score(o)
            for o in OutcomeScore.objects.filter(course__patient=patient)
            .select_related("scale", "recorded_by")
            .order_by("recorded_at", "id")
        ],
        "reminders": [
            _reminder(r) for r in Reminder.objects.filter(session__patient=patient).order_by("due_at", "id")
        ],
        "side_effect_reports": [
            _report(r)
            for r in SideEffectReport.objects.filter(session__patient=patient)
            .select_related("closed_by")
            .order_by("reported_at", "id")
        ],
    }
