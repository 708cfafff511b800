"""Rendering a reminder as an email: subject, plain text and HTML from templates, in the patient's language."""

import contextlib
import smtplib
import time
import uuid
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from treatments.selectors import session_instructions

from .invites import Invite, invite_ics, session_uid
from .links import report_url, satisfaction_url, unsubscribe_url
from .models import AftercarePlan, Reminder, ReminderMessage
from .schedule import ReminderKind

SHEET_KINDS = {ReminderKind.AFTERCARE_SHEET, ReminderKind.PRE_SESSION}


def message_id(reminder: Reminder) -> str:
    """Deterministic: a retried or repeated send carries the same id, so mail systems can drop a copy. A row
    set pending again as a new email (a second move) has a new sequence, and so a new id: not dropped."""
    again = f".{reminder.sequence}" if reminder.sequence else ""
    return f"<reminder-{reminder.pk}-{reminder.session_id}{again}@{settings.MESSAGE_ID_DOMAIN}>"


class ReminderTexts:
    """The reminder texts and aftercare plans that renders need, read at first use in two queries (a
    few dozen short rows) and kept for a chunk of sends (aftercare.services.reminders_send): edits
    by a manager apply from the next chunk on."""

    def __init__(self) -> None:
        self._messages: dict[tuple[str, str], ReminderMessage] | None = None
        self._plans: dict[int, AftercarePlan] | None = None

    def message(self, kind: str, language: str) -> ReminderMessage:
        if self._messages is None:
            self._messages = {(m.kind, m.language): m for m in ReminderMessage.objects.all()}
        found = self._messages.get((kind, language)) or self._messages.get((kind, "en"))
        if found is None:
            raise ReminderMessage.DoesNotExist(f"No text for {kind} reminders, in {language} or English.")
        return found

    def plan(self, area_id: int) -> AftercarePlan | None:
        if self._plans is None:
            self._plans = {p.area_id: p for p in AftercarePlan.objects.all()}
        return self._plans.get(area_id)


class ReminderEmail(EmailMultiAlternatives):
    """Plain text and HTML, with a MIME boundary chosen here: Python's email generator otherwise makes
    one and compiles a regular expression per message to check the parts do not contain it (a tenth
    of a send's time in the worker, issue 7). A random UUID cannot occur in the text."""

    def message(self):  # type: ignore[override]  # Django 5.2's; django-stubs 6 describes 6.0's message(policy=)
        msg = super().message()
        for part in msg.walk():  # the outer part, and the alternatives inside one with a calendar entry
            if part.is_multipart() and not part.get_boundary():
                part.set_boundary(f"=_mesoclinic_{uuid.uuid4().hex}")
        return msg


def render_reminder(
    reminder: Reminder, *, texts: ReminderTexts | None = None, intake_url: str = ""
) -> EmailMultiAlternatives:
    texts = texts or ReminderTexts()
    session = reminder.session
    patient = session.patient
    language = patient.language
    words = texts.message(reminder.kind, language)
    plan = texts.plan(session.area_id)
    kind = ReminderKind(reminder.kind)
    context = {
        "patient_name": patient.given_name,
        # The treatment as the catalogue names it in her language ("Cilt yenileme: Akne izleri").
        "treatment": session.treatment_in(language),
        "paragraphs": [p.strip() for p in words.body.split("\n\n") if p.strip()],
        "instructions": plan.instructions(language) if plan and reminder.kind == ReminderKind.AFTERCARE_SHEET else [],
        "pre_session": kind == ReminderKind.PRE_SESSION,
        # The physician's own words from the review ("pause ibuprofen 3 days before"), before the session.
        "physician_instructions": _lines(session_instructions(session)) if kind == ReminderKind.PRE_SESSION else [],
        # An email about the appointment says its time and length and how to change it, with no report link:
        # there is nothing to report before a session.
        "appointment": kind.carries_invite,
        "cancelled": kind == ReminderKind.SESSION_CANCELLED,
        "duration_minutes": session.duration_minutes,
        "session_at": session.scheduled_at,
        "report_url": report_url(session_id=session.pk, reminder_id=reminder.pk),
        # Her satisfaction with the course, one click from the recovery review (+14 days; issue 16).
        "satisfaction_url": satisfaction_url(session_id=session.pk)
        if kind == ReminderKind.RECOVERY_REVIEW and session.course_id else "",
        "unsubscribe_url": unsubscribe_url(patient_id=patient.pk),
        # Her own intake link in a booking confirmation, when she has no screening valid at the session (issue 15).
        "intake_url": intake_url,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "language": language,
    }
    with translation.override(language):
        subject = " ".join(words.subject.split())
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    email = ReminderEmail(
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
    if kind.carries_invite:
        with translation.override(language):
            email.attach(_invite_part(reminder, cancelled=context["cancelled"]))
    return email


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _invite_part(reminder: Reminder, *, cancelled: bool) -> MIMEBase:
    """The session's calendar entry as a text/calendar part with its iTIP method (RFC 6047), named invite.ics.
    Its words are in the active language; no area, product or staff note: a calendar may be shared."""
    session = reminder.session
    organizer_name, organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    ics = invite_ics(
        Invite(
            uid=session_uid(session.pk, settings.MESSAGE_ID_DOMAIN),
            sequence=reminder.sequence,
            starts_at=session.scheduled_at,
            minutes=session.duration_minutes,
            summary=gettext("Mesotherapy session at %(clinic)s") % {"clinic": settings.CLINIC_NAME},
            location=settings.CLINIC_NAME,
            description=gettext("To change or cancel, call %(clinic)s on %(phone)s.")
            % {"clinic": settings.CLINIC_NAME, "phone": settings.CLINIC_PHONE},
            organizer_email=organizer_email or "clinic@" + settings.MESSAGE_ID_DOMAIN,
            organizer_name=organizer_name or settings.CLINIC_NAME,
            attendee_email=session.patient.email,
            stamp=timezone.now(),
            cancelled=cancelled,
        )
    )
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if cancelled else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


# --- Sending: one SMTP connection per worker process, kept open across sends (issue 7) ------------


class ReusedConnection:
    """The mail connection of this process, opened at the first send and kept open for the next ones.

    A send used to open a connection, say EHLO (and STARTTLS and AUTH in production), send one message
    and QUIT: most of the time of a send at volume. Kept open, the next send goes straight to MAIL FROM.
    Prefork worker processes each get their own (it is opened after the fork, on first use).

    - A connection idle for more than REUSE_IDLE_SECONDS is closed first (servers drop idle clients).
    - A connection found dropped by the server when reused (it disconnected, reset) is reopened and the
      message sent on the new one, once: nothing was accepted on the dropped one.
    - After any other error the connection is closed (its state is unknown) and the error goes to the
      caller, which records a retry or a failure as before; the next send opens a new connection.
    - A change of the mail settings (tests switch servers) opens a new connection.
    """

    REUSE_IDLE_SECONDS = 60.0
    DROPPED = (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError)

    def __init__(self) -> None:
        self.backend: BaseEmailBackend | None = None
        self.key: tuple | None = None
        self.used_at = 0.0
        self.opened = 0  # connections opened by this process (for tests and the benchmark)

    @staticmethod
    def _settings_key() -> tuple:
        return tuple(
            getattr(settings, name, None)
            for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS",
                         "EMAIL_USE_SSL", "EMAIL_TIMEOUT")
        )

    def _open(self, key: tuple) -> BaseEmailBackend:
        self.backend = backend = get_connection(timeout=settings.EMAIL_TIMEOUT)
        self.key = key
        backend.open()
        self.opened += 1
        return backend

    def close(self) -> None:
        backend, self.backend, self.key = self.backend, None, None
        if backend is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail again: it is gone anyway
                backend.close()

    def send(self, email: EmailMultiAlternatives) -> None:
        key = self._settings_key()
        if self.backend is not None and (key != self.key or time.monotonic() - self.used_at > self.REUSE_IDLE_SECONDS):
            self.close()
        reused = self.backend is not None
        backend = self.backend if self.backend is not None else self._open(key)
        try:
            backend.send_messages([email])
        except self.DROPPED:
            self.close()
            if not reused:
                raise
            backend = self._open(key)  # the server dropped the idle connection: once more, on a new one
            try:
                backend.send_messages([email])
            except Exception:
                self.close()
                raise
        except Exception:
            self.close()
            raise
        self.used_at = time.monotonic()


connection = ReusedConnection()
