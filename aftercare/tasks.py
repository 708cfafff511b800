"""Thin Celery tasks: ids in, a service call, nothing else (docs/architecture.md)."""

import logging
from collections import Counter

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from meso_clinic.celery import reminder_queue
from meso_clinic.core.people import display_name

from . import emails, services
from .links import absolute
from .models import SideEffectReport

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Run by beat every REMINDER_DISPATCH_SECONDS (one beat process only)."""
    # A send still in the broker when its lease runs out is dropped there: the row is claimed afresh.
    # Sends go to a queue of their own (meso_clinic.celery.reminder_queue): the next dispatch, on the
    # default queue, does not wait behind them.
    # A chunk of sends is one task (REMINDER_SEND_CHUNK rows, one connection): issue 7.
    queue = reminder_queue()
    return services.reminders_dispatch(
        enqueue_chunk=lambda ids, token, lease: send_reminders.apply_async((ids, token), expires=lease, queue=queue)
    )


@shared_task(ignore_result=True, acks_late=True)
def send_reminders(reminder_ids: list[int], token: str) -> dict[str, int]:
    """What happened, counted (sent, skipped, ...): the worker's log line says it, no patient data."""
    outcomes = services.reminders_send(reminder_ids=reminder_ids, token=token)
    return dict(Counter(outcomes.values()))


@shared_task(ignore_result=True, acks_late=True)
def send_reminder(reminder_id: int, token: str) -> str:
    """One reminder (tests, and sends enqueued one by one before chunks: they still run after a deploy)."""
    return services.reminder_send(reminder_id=reminder_id, token=token)


@worker_process_shutdown.connect
def _close_mail_connection(**kwargs) -> None:
    """The SMTP connection a worker process kept open across sends (aftercare.emails) says QUIT."""
    emails.connection.close()


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_physician_of_report(report_id: int) -> None:
    """Tell the supervising physician at once. No patient data in the subject or body: a link only."""
    report = SideEffectReport.objects.select_related("session__supervising_physician").get(pk=report_id)
    physician = report.session.supervising_physician
    # A physician without an address must not swallow the alert: the clinic's own inbox gets it then.
    recipients = [physician.email] if physician.email else [settings.CLINIC_ALERT_EMAIL]
    if not physician.email:
        log.warning("side-effect report %s: supervising physician has no email; alerting the clinic", report.pk)
    what = "a warning sign" if report.warning_signs else "a severe side effect"
    url = absolute(reverse("aftercare:report_detail", args=[report.pk]))
    send_mail(
        subject=f"Urgent: a patient reported {what} · {settings.CLINIC_NAME}",
        message=f"A patient reported {what} after a session supervised by "
        f"{display_name(physician)}.\n\n"
        f"Open the report (sign-in required): {url}\n",
        from_email=None,
        recipient_list=recipients,
    )
