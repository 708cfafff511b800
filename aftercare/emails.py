"""Rendering a reminder as an email: subject, plain text and HTML from templates, in the patient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .links import report_url, unsubscribe_url
from .models import AftercarePlan, Reminder, ReminderMessage
from .schedule import ReminderKind

SHEET_KINDS = {ReminderKind.AFTERCARE_SHEET, ReminderKind.PRE_SESSION}


def message_id(reminder: Reminder) -> str:
    """Deterministic: a retried or repeated send carries the same id, so mail systems can drop a copy."""
    return f"<reminder-{reminder.pk}-{reminder.session_id}@{settings.MESSAGE_ID_DOMAIN}>"


def render_reminder(reminder: Reminder) -> EmailMultiAlternatives:
    session = reminder.session
    patient = session.patient
    language = patient.preferred_language if patient.preferred_language in ("en", "tr") else "en"
    words = ReminderMessage.objects.filter(
        kind=reminder.kind, language=language
    ).first() or ReminderMessage.objects.get(kind=reminder.kind, language="en")
    plan = AftercarePlan.objects.filter(area_id=session.area_id).first()
    context = {
        "patient_name": patient.given_name,
        "paragraphs": [p.strip() for p in words.body.split("\n\n") if p.strip()],
        "instructions": plan.instructions(language) if plan and reminder.kind == ReminderKind.AFTERCARE_SHEET else [],
        "pre_session": reminder.kind == ReminderKind.PRE_SESSION,
        "session_at": session.scheduled_at,
        "report_url": report_url(session_id=session.pk, reminder_id=reminder.pk),
        "unsubscribe_url": unsubscribe_url(patient_id=patient.pk),
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "language": language,
    }
    with translation.override(language):
        subject = " ".join(words.subject.split())
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    email = EmailMultiAlternatives(
        subject=f"{subject} · {settings.CLINIC_NAME}",
        body=text,
        to=[patient.email],
        headers={
            "Message-ID": message_id(reminder),
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    return email
