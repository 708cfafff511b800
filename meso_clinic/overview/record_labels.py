"""Staff words for the clinical records and their fields, in the language of the page.

The history page names the record it shows and each field that changed. A field whose model gives it a
translated verbose name ("given name") is labelled by it; the others have Django's defaults made from the
code's names ("age years"), English only, and take their words from FIELD_LABELS (tests/test_history.py
checks every tracked field has words). Keyed by field name: a name means the same on every record
("status", "notes", "created_by").
"""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

RECORD_NAMES = {
    "patients.patient": _("patient details"),
    "patients.eligibilityscreening": _("eligibility screening"),
    "treatments.patchtest": _("patch test"),
    "treatments.consent": _("consent"),
    "treatments.photoconsent": _("photo consent"),
    "treatments.areaphoto": _("photo of the treated area"),
    "treatments.outcomescore": _("outcome score"),
    "treatments.course": _("course"),
    "treatments.session": _("session"),
    "treatments.sessionproduct": _("product used in a session"),
    "aftercare.reminder": _("aftercare email"),
    "aftercare.sideeffectreport": _("side-effect report"),
}

FIELD_LABELS = {
    # Who and whom
    "patient": _("Patient"),
    "created_by": _("Registered by"),
    "taken_by": _("Taken by"),
    "decided_by": _("Decided by"),
    "applied_by": _("Applied by"),
    "read_by": _("Read by"),
    "reaction_cleared_by": _("Reaction cleared by"),
    "recorded_by": _("Recorded by"),
    "booked_by": _("Booked by"),
    "performed_by": _("Performed by"),
    "practitioner": _("Practitioner"),
    "supervising_physician": _("Supervising physician"),
    "closed_by": _("Closed by"),
    # When
    "taken_at": _("Taken"),
    "decided_at": _("Decided"),
    "applied_at": _("Applied"),
    "read_at": _("Read"),
    "reaction_cleared_at": _("Reaction cleared"),
    "consented_at": _("Consent given"),
    "withdrawn_at": _("Withdrawn"),
    "scheduled_at": _("Appointment"),
    "performed_at": _("Performed"),
    "due_at": _("Due"),
    "next_attempt_at": _("Next attempt"),
    "sent_at": _("Sent"),
    "closed_at": _("Closed"),
    "deferred_until": _("Deferred until"),
    "valid_until": _("Approval valid until"),
    # The patient's details (name, date of birth, sex, phone, email, language: the model's verbose names)
    "email_consent": _("Aftercare emails"),
    "emergency_contact_phone": _("Emergency contact phone"),
    "notes": _("Notes"),
    # Screening
    "questionnaire_version": _("Questionnaire version"),
    "answers": _("Answers"),
    "answer_record": _("Answers as given"),
    "age_years": _("Age (years)"),
    "outcome": _("Rules' outcome"),
    "hard_stop": _("Cannot be approved"),
    "findings": _("Findings"),
    "medicines_named": _("Medicines read in the answers"),
    "decision": _("Decision"),
    "decision_reason": _("Reason"),
    "instructions": _("Instructions"),
    # Treatments
    "site": _("Site"),
    "result": _("Result"),
    "result_notes": _("Result notes"),
    "reaction_decision": _("Physician's decision on the reaction"),
    "products": _("Products"),
    "text": _("Consent text"),
    "course": _("Course"),
    "area": _("Treatment area"),
    "indication": _("Indication"),
    "planned_sessions": _("Planned sessions"),
    "interval_days": _("Days between sessions"),
    "status": _("Status"),
    "technique": _("Technique"),
    "duration_minutes": _("Duration (minutes)"),
    "screening": _("Screening"),
    "consent": _("Consent"),
    "health_unchanged_confirmed": _("Health unchanged, confirmed"),
    "previous_reaction": _("Any reaction after the previous session?"),
    "reaction_after_previous": _("Reaction after the previous session"),
    "immediate_reactions": _("Immediate reactions"),
    "session": _("Session"),
    "product": _("Product"),
    "batch": _("Batch"),
    # Aftercare
    "kind": _("Email"),
    "attempts": _("Attempts"),
    "message_id": _("Message ID"),
    "last_error": _("Last error"),
    "reminder": _("Email"),
    "effects": _("Side effects"),
    "warning_signs": _("Warning signs"),
    "severity": _("Severity"),
    "description": _("Description"),
    "photo": _("Photo"),
    "escalated": _("Escalated"),
    "closing_note": _("Closing note"),
}

# Fields holding text the app writes itself, in English (why an aftercare email was cancelled): the history
# page shows them in its language, as the other pages do (`stored_text`); any other text stays as it was.
STORED_ENGLISH_FIELDS = frozenset({"last_error"})


# Who made a change when it was not a signed-in person: stored in English (meso_clinic/core/history.py), shown in words.
ACTOR_WORDS = {
    "system": _("system"),
    "patient (emailed link)": _("patient (emailed link)"),
    "system: reminder worker": _("system: reminder worker"),
}


def actor_words(actor: str) -> str:
    """Who made a change, as stored: a person's name as it is, the system's own actors in the page's language."""
    words = ACTOR_WORDS.get(actor)
    return str(words) if words is not None else actor


def record_name(model: type[models.Model]) -> str:
    """The record's name in words ("eligibility screening"), in the active language."""
    name = RECORD_NAMES.get(model._meta.label_lower)
    return str(name) if name is not None else str(model._meta.verbose_name)


def field_label(f: models.Field) -> str:
    """A field's label ("Age (years)"), in the active language: FIELD_LABELS', else the model's verbose name."""
    label = FIELD_LABELS.get(f.name)
    return str(label) if label is not None else str(capfirst(f.verbose_name))
