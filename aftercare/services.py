"""The aftercare pipeline (docs/architecture.md, "Aftercare reminders") and side-effect reports.

Reminder rows are the truth. `reminders_dispatch` claims due rows under row locks that skip locked
rows and gives each a lease and a token; `reminder_send` sends only while it holds that token, so a
task delivered twice sends once; an expired lease returns the row to pending, which is what recovers
from a killed worker or a restarted Redis. Nothing is ever a long-ETA Celery task.
"""

import datetime as dt
import logging
import smtplib
import traceback
import uuid
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop  # stored texts stay English; pages translate them

from meso_clinic.core.clock import clinic_zone

from . import emails
from .emails import message_id, render_reminder
from .intake_links import booking_intake_url
from .models import AftercarePlan, Reminder, SideEffectReport
from .schedule import (
    APPOINTMENT_KINDS,
    BOOKING_KINDS,
    Offset,
    ReminderKind,
    TimelineStep,
    aftercare_timeline,
    pre_session_reminder,
)
from .side_effects import needs_escalation

log = logging.getLogger(__name__)

AFTER_SESSION_KINDS = [k.value for k in ReminderKind if k.after_session]


def _emailable(patient) -> bool:
    return bool(patient.email_consent and patient.email)


def plan_steps(plan: AftercarePlan | None) -> list[TimelineStep]:
    if plan is None:
        return []
    return [
        TimelineStep(ReminderKind(s.kind), Offset(days=s.days, hours=s.hours))
        for s in plan.steps.filter(active=True)
        if s.kind in AFTER_SESSION_KINDS  # the booking's emails are not a plan's to time
    ]


# --- Creating, moving, cancelling (called by the treatments services, in their transaction) ---------


def reminders_for_performed_session(session) -> list[Reminder]:
    """The after-session timeline of the area's plan; the booking's emails still pending are no longer needed."""
    Reminder.objects.filter(session=session, kind__in=BOOKING_KINDS, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED, last_error=gettext_noop("The session took place.")
    )
    if not _emailable(session.patient):
        return []
    plan = AftercarePlan.objects.filter(area_id=session.area_id).first()
    due = aftercare_timeline(performed_at=session.performed_at, tz=clinic_zone(), steps=plan_steps(plan))
    return Reminder.objects.bulk_create(
        [Reminder(session=session, kind=r.kind, due_at=r.due_at) for r in due], ignore_conflicts=True
    )


def reminder_for_booked_session(session, *, now: dt.datetime) -> Reminder | None:
    """The pre-session instructions, REMINDER_PRE_SESSION_DAYS (3) days before (or at once for a booking made
    later than that)."""
    if not _emailable(session.patient):
        return None
    step = TimelineStep(ReminderKind.PRE_SESSION, Offset(days=settings.REMINDER_PRE_SESSION_DAYS))
    due = pre_session_reminder(scheduled_at=session.scheduled_at, now=now, tz=clinic_zone(), step=step)
    if due is None:
        return None
    return _pending_again(session, ReminderKind.PRE_SESSION, due_at=due.due_at)


def _pending_again(session, kind: ReminderKind, *, due_at: dt.datetime, sequence: int | None = None) -> Reminder:
    """The session's one row of `kind`, pending for `due_at`: created, or set pending again as a new email.

    Set again (a moved session's instructions, its second "moved" email), it gets the next `sequence` (or the
    one given), so its Message-ID is new and a send of the old one still in flight does not mark it sent
    (`_send_one` checks the sequence it took). Runs in the treatments service's transaction, which holds the
    session's row lock: two moves of one session do not interleave here.
    """
    existing = Reminder.objects.select_for_update().filter(session=session, kind=kind).first()
    fresh = {"due_at": due_at, "status": Reminder.Status.PENDING, "attempts": 0, "last_error": "",
             "next_attempt_at": None, "lease_token": "", "lease_expires_at": None, "sent_at": None, "message_id": ""}
    if existing is None:
        return Reminder.objects.create(session=session, kind=kind, sequence=sequence or 0, **fresh)
    for name, value in fresh.items():
        setattr(existing, name, value)
    existing.sequence = existing.sequence + 1 if sequence is None else sequence
    existing.save()
    return existing


def _moves(session) -> int:
    """How many times the session was moved: the sequence of its latest "moved" email (0: never moved)."""
    row = Reminder.objects.filter(session=session, kind=ReminderKind.SESSION_MOVED).values_list("sequence").first()
    return row[0] if row else 0


def appointment_email(session, kind: ReminderKind, *, now: dt.datetime) -> Reminder | None:
    """The email about the appointment itself, due `now`: a booking confirmation, a moved or a cancelled session.

    Each carries the session's calendar entry; its `sequence` is the entry's SEQUENCE (RFC 5545), 0 when
    booked, one more with each move, one more again when cancelled, so the patient's calendar keeps the latest.
    Nothing for a patient without email consent, nor for a session whose time has passed.
    """
    if kind not in APPOINTMENT_KINDS:
        raise ValueError(f"{kind} is not an email about the appointment")
    if not _emailable(session.patient) or session.scheduled_at <= now:
        return None
    sequence = 0 if kind == ReminderKind.BOOKING_CONFIRMED else _moves(session) + 1
    return _pending_again(session, kind, due_at=now, sequence=sequence)


# Why a session's emails were cancelled, by the session's status. Stored in English (never in the language of
# whoever clicked), shown translated (patients/templatetags/recorded_text.py `stored_text`, the history page):
# every status has a marked text (tests/test_stored_reasons.py), so the catalogue can translate each one.
_SESSION_IS = {
    "booked": gettext_noop("The session is still booked."),
    "arrived": gettext_noop("The patient has arrived for the session."),
    "performed": gettext_noop("The session took place."),
    "cancelled": gettext_noop("The session is cancelled."),
    "no_show": gettext_noop("The session is marked as a no-show."),
}
_SESSION_WAS = {
    "cancelled": gettext_noop("The session was cancelled."),
    "no_show": gettext_noop("The session was marked as a no-show."),
}
# A status added to Session.Status but not to the table above: still a marked English text, never the raw code.
_SESSION_CHANGED = gettext_noop("The session's status changed.")


def session_status_reason(status: str, *, just_changed: bool = False) -> str:
    """The English reason stored on a session's cancelled emails: "was cancelled" when the change cancels them
    (`just_changed`), "is cancelled" when a send finds the session so."""
    reason = (_SESSION_WAS if just_changed else {}).get(status) or _SESSION_IS.get(status)
    return reason or _SESSION_CHANGED


def reminders_cancel(session, *, reason: str) -> int:
    return Reminder.objects.filter(session=session, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED, last_error=reason
    )


def plan_reschedule_pending(plan: AftercarePlan) -> int:
    """After a manager edits a plan's timeline: pending reminders of its sessions follow the new one."""
    steps = {s.kind: s for s in plan_steps(plan)}
    moved = 0
    pending = Reminder.objects.filter(
        session__area_id=plan.area_id, status=Reminder.Status.PENDING, kind__in=AFTER_SESSION_KINDS
    ).select_related("session")
    for reminder in pending:
        step = steps.get(ReminderKind(reminder.kind))
        if step is None:
            reminder.status = Reminder.Status.CANCELLED
            reminder.last_error = gettext_noop("Removed from the aftercare plan.")
        else:
            # After-session reminders belong to performed sessions: performed_at is set.
            performed_at = cast(dt.datetime, reminder.session.performed_at)
            due = aftercare_timeline(performed_at=performed_at, tz=clinic_zone(), steps=[step])
            reminder.due_at = due[0].due_at
        reminder.save(update_fields=["status", "last_error", "due_at", "updated_at"])
        moved += 1
    return moved


# --- Dispatch and send --------------------------------------------------------------------------


def reminders_release_expired(*, now: dt.datetime) -> int:
    """Rows whose sender vanished (killed worker, lost task) go back to pending."""
    return Reminder.objects.filter(status=Reminder.Status.SENDING, lease_expires_at__lt=now).update(
        status=Reminder.Status.PENDING, lease_token="", lease_expires_at=None, next_attempt_at=now
    )


def reminders_dispatch(
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    enqueue: Callable[[int, str, dt.datetime], object] | None = None,
    enqueue_chunk: Callable[[list[int], str, dt.datetime], object] | None = None,
) -> int:
    """Claim due rows (skipping rows another dispatcher holds) and enqueue their sends, on commit.

    `enqueue_chunk` gets the claimed ids REMINDER_SEND_CHUNK at a time (one task sends a chunk over one
    connection: the Celery and database round trips of a task are paid once per chunk, issue 7);
    `enqueue` gets them one by one.

    Never more than REMINDER_MAX_IN_FLIGHT rows are out at once: a lease starts when a row is
    claimed, so a claim that would wait in the broker longer than its lease is not made. Without the
    cap a backlog (after an outage, a slow relay) makes sends arrive after their lease and do nothing.
    """
    if (enqueue is None) == (enqueue_chunk is None):
        raise TypeError("reminders_dispatch needs one of enqueue and enqueue_chunk")
    if enqueue is not None:  # one by one: each chunk's rows in turn
        def enqueue_chunk(chunk: list[int], token: str, lease: dt.datetime) -> None:
            for pk in chunk:
                enqueue(pk, token, lease)

    now = now or timezone.now()
    limit = limit or settings.REMINDER_DISPATCH_BATCH
    reminders_release_expired(now=now)
    lease = now + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    token = uuid.uuid4().hex  # one per claim; each send clears it on its own row
    with transaction.atomic():
        in_flight = Reminder.objects.filter(status=Reminder.Status.SENDING, lease_expires_at__gt=now).count()
        room = min(limit, settings.REMINDER_MAX_IN_FLIGHT - in_flight)
        if room <= 0:
            return 0
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("due_at", "id")
            .values_list("pk", flat=True)[:room]
        )
        # Locked above as pending: a compare-and-set keeps their history in the same statement (issue 7).
        Reminder.objects.filter(pk__in=ids).update_all_if(
            expected={"status": Reminder.Status.PENDING},
            status=Reminder.Status.SENDING,
            lease_token=token,
            lease_expires_at=lease,
        )
        size = max(1, settings.REMINDER_SEND_CHUNK)
        chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
        send_chunk = cast(Callable[[list[int], str, dt.datetime], object], enqueue_chunk)  # given, or made above
        transaction.on_commit(lambda: [send_chunk(chunk, token, lease) for chunk in chunks])
    return len(ids)


def _permanent(error: Exception) -> bool:
    """5xx answers are permanent (a refused address); connection trouble and 4xx are worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace')}" for code, msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        return f"{error.smtp_code} {detail.decode(errors='replace') if isinstance(detail, bytes) else detail}"
    return f"{type(error).__name__}: {error}"


def reminder_send(*, reminder_id: int, token: str, now: dt.datetime | None = None) -> str:
    """Send one claimed reminder. Returns what happened: sent, skipped, cancelled, retry or failed."""
    return reminders_send(reminder_ids=[reminder_id], token=token, now=now)[reminder_id]


def reminders_send(*, reminder_ids: list[int], token: str, now: dt.datetime | None = None) -> dict[int, str]:
    """Send a chunk of claimed reminders over this process's connection; what happened to each, by id.

    Each outcome is one of sent, skipped (not ours: another delivery of the task took it, or the lease
    was claimed afresh), cancelled, retry, failed or released. The rows are taken at once (a task
    delivered twice sends nothing the second time), then each is sent and marked sent on its own, so
    a worker killed mid-chunk leaves at most the one message in flight unmarked (the at-least-once
    window, docs/architecture.md). After a temporary failure (connection trouble, a 4xx) the rest of the chunk is
    not tried: it goes back to pending, without counting an attempt, to be claimed after the back-off.
    """
    now = now or timezone.now()
    ids = list(dict.fromkeys(reminder_ids))
    outcomes = dict.fromkeys(ids, "skipped")
    with transaction.atomic():
        # Lock first: of two deliveries of the same chunk, the second finds the token gone.
        mine = list(
            Reminder.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status=Reminder.Status.SENDING, lease_token=token)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not mine:
            return outcomes
        # An attempt is a real try, not a claim. The lease starts afresh: a task that began just before
        # the claim's lease ran out must not see beat release its rows (and send them again) mid-chunk.
        Reminder.objects.filter(pk__in=mine).update(
            lease_token="",
            attempts=F("attempts") + 1,
            lease_expires_at=now + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS),
        )
    # The area and indication come along: her email names the treatment in her language (no query per email).
    reminders = Reminder.objects.select_related(
        "session__patient", "session__area", "session__indication"
    ).in_bulk(mine)
    texts = emails.ReminderTexts()
    pending = [pk for pk in ids if pk in reminders]
    for position, pk in enumerate(pending):
        try:
            outcome = _send_one(reminders[pk], texts, now=now)
        except Exception as error:  # noqa: BLE001 - one broken reminder must not take its chunk-mates down
            # A bug or bad data in one reminder (not the relay's answer): a retry with back-off, then failed,
            # shown to staff; the rest of the chunk goes on. The log has the id and the error's type only.
            where = traceback.extract_tb(error.__traceback__)[-1]
            log.error("reminder %s could not be sent: %s at %s:%s", pk, type(error).__name__, where.filename,
                      where.lineno)
            outcomes[pk] = _record_failure(reminders[pk], error, now=now)
            continue
        outcomes[pk] = outcome
        if outcome == "retry":
            rest = pending[position + 1 :]
            _release_untried(rest, now=now)
            outcomes.update(dict.fromkeys(rest, "released"))
            break
    return outcomes


# The session's status each email is for; any other status cancels it when its turn comes.
_WANTED_STATUS: dict[str, str] = {
    ReminderKind.PRE_SESSION: "booked",
    ReminderKind.BOOKING_CONFIRMED: "booked",
    ReminderKind.SESSION_MOVED: "booked",
    ReminderKind.SESSION_CANCELLED: "cancelled",
}


def _send_one(reminder: Reminder, texts: emails.ReminderTexts, *, now: dt.datetime) -> str:
    session = reminder.session
    wanted_status = _WANTED_STATUS.get(reminder.kind, "performed")
    reason = ""
    if not _emailable(session.patient):
        reason = gettext_noop("The patient has not consented to emails (or has no address).")
    elif session.status != wanted_status:
        reason = session_status_reason(session.status)
    if reason:
        Reminder.objects.filter(pk=reminder.pk, sequence=reminder.sequence).update(
            status=Reminder.Status.CANCELLED, last_error=reason
        )
        return "cancelled"
    try:
        # Her intake link (a booking confirmation, no screening valid at the session): a new one per try, the
        # earlier one spent (aftercare/intake_links.py).
        email = render_reminder(reminder, texts=texts, intake_url=booking_intake_url(reminder, now=now))
        emails.connection.send(email)  # this process's connection, kept open across sends
    except (smtplib.SMTPException, OSError) as error:  # socket timeouts are OSErrors
        return _record_failure(reminder, error, now=now)
    sent = {
        "status": Reminder.Status.SENT,
        "sent_at": timezone.now(),
        "message_id": message_id(reminder),
        "lease_expires_at": None,
        "last_error": "",
    }
    # The row as this chunk took it, unless its lease ran out meanwhile: then marked sent whatever it
    # holds now, so that no later dispatch sends it again. Unless it was set pending again as a new email
    # (a session moved again while this one was out: a new sequence): that one is still to go.
    as_taken = {"status": Reminder.Status.SENDING, "sent_at": None, "message_id": "", "last_error": reminder.last_error,
                "sequence": reminder.sequence}
    if not Reminder.objects.update_if(reminder.pk, expected=as_taken, **sent):
        Reminder.objects.filter(pk=reminder.pk, sequence=reminder.sequence).exclude(
            status=Reminder.Status.SENT
        ).update(**sent)
    return "sent"


def _release_untried(ids: list[int], *, now: dt.datetime) -> None:
    """The rest of a chunk after a temporary failure: back to pending, the attempt not counted."""
    if ids:
        Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENDING, lease_token="").update(
            status=Reminder.Status.PENDING,
            attempts=F("attempts") - 1,
            lease_expires_at=None,
            next_attempt_at=now + dt.timedelta(seconds=settings.REMINDER_RETRY_BASE_SECONDS),
        )


def _record_failure(reminder: Reminder, error: Exception, *, now: dt.datetime) -> str:
    description = _describe(error)[:1000]
    # Only the email that was tried: a row set pending again meanwhile (a new sequence) is another email.
    tried = Reminder.objects.filter(pk=reminder.pk, sequence=reminder.sequence)
    if _permanent(error) or reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        tried.update(
            status=Reminder.Status.FAILED, last_error=description, lease_expires_at=None
        )
        log.warning("reminder %s failed after %s attempts", reminder.pk, reminder.attempts)
        return "failed"
    backoff = min(settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (reminder.attempts - 1), 3600)
    tried.update(
        status=Reminder.Status.PENDING,
        last_error=description,
        lease_expires_at=None,
        next_attempt_at=now + dt.timedelta(seconds=backoff),
    )
    return "retry"


def reminder_retry(*, reminder: Reminder, by: User) -> bool:
    """Staff's "resend" of a failed reminder: back to pending, due now."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
    )


def patient_unsubscribe(*, patient_id: int) -> int:
    """The patient's unsubscribe link: consent withdrawn, pending reminders cancelled."""
    from patients.models import Patient

    with transaction.atomic():
        Patient.objects.filter(pk=patient_id).update(email_consent=False)
        return Reminder.objects.filter(session__patient_id=patient_id, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED, last_error=gettext_noop("The patient unsubscribed.")
        )


# --- Side-effect reports ------------------------------------------------------------------------


class ReportLimitReached(Exception):
    """The session's link has sent REPORTS_PER_SESSION_PER_DAY reports in the last 24 hours."""


@transaction.atomic
def report_create(
    *,
    session,
    reminder_id: int | None,
    effects: list[str],
    warning_signs: list[str],
    severity: str,
    description: str,
    photo=None,
    notify: Callable[[int], object],
) -> SideEffectReport:
    """A patient's report, or ReportLimitReached. Counted and written under the session's row lock: reports
    sent through one link at the same moment queue there, so the daily limit holds (30 at once stored 11 when
    the view counted before this transaction). FOR NO KEY UPDATE: the lock does not hold up rows that only
    refer to the session (its reminders, other reports' foreign keys). On SQLite the transaction's IMMEDIATE
    mode serializes writers alike."""
    from treatments.models import Session

    Session.objects.select_for_update(no_key=True).only("pk").get(pk=session.pk)
    if report_limit_reached(session):
        raise ReportLimitReached
    report = SideEffectReport.objects.create(
        session=session,
        reminder_id=(
            reminder_id
            if reminder_id is not None and Reminder.objects.filter(pk=reminder_id, session=session).exists()
            else None
        ),
        effects=effects,
        warning_signs=warning_signs,
        severity=severity,
        description=description.strip(),
        photo=photo or "",
        escalated=needs_escalation(warning_signs=warning_signs, severity=severity, effects=effects),
    )
    if report.escalated and not _alerted_recently(report):
        transaction.on_commit(lambda: notify(report.pk))
    return report


def _alerted_recently(report: SideEffectReport) -> bool:
    """Whether an urgent email about this session went to the physician within REPORT_ALERT_INTERVAL_MINUTES."""
    since = report.reported_at - dt.timedelta(minutes=settings.REPORT_ALERT_INTERVAL_MINUTES)
    return (
        SideEffectReport.objects.filter(session_id=report.session_id, escalated=True, reported_at__gte=since)
        .exclude(pk=report.pk)
        .exists()
    )


def report_limit_reached(session, *, now: dt.datetime | None = None) -> bool:
    """Whether the session's link has sent REPORTS_PER_SESSION_PER_DAY reports in the last 24 hours."""
    since = (now or timezone.now()) - dt.timedelta(days=1)
    taken = SideEffectReport.objects.filter(session=session, reported_at__gte=since).count()
    return taken >= settings.REPORTS_PER_SESSION_PER_DAY


def report_close(*, report: SideEffectReport, by: User, note: str) -> bool:
    if not note.strip():
        raise ValueError("A note is required to close a report.")
    return bool(
        SideEffectReport.objects.filter(pk=report.pk, status=SideEffectReport.Status.OPEN).update(
            status=SideEffectReport.Status.CLOSED, closed_by=by, closed_at=timezone.now(), closing_note=note.strip()
        )
    )
