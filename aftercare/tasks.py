"""Thin Celery tasks: ids in, a service call, nothing else (DESIGN.md)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from . import services
from .links import absolute
from .models import SideEffectReport


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Run by beat every REMINDER_DISPATCH_SECONDS (one beat process only)."""
    return services.reminders_dispatch(enqueue=lambda pk, token: send_reminder.delay(pk, token))


@shared_task(ignore_result=True, acks_late=True)
def send_reminder(reminder_id: int, token: str) -> str:
    return services.reminder_send(reminder_id=reminder_id, token=token)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_physician_of_report(report_id: int) -> None:
    """Tell the supervising physician at once. No patient data in the subject or body: a link only."""
    report = SideEffectReport.objects.select_related("session__supervising_physician").get(pk=report_id)
    physician = report.session.supervising_physician
    if not physician.email:
        return
    url = absolute(reverse("aftercare:report_detail", args=[report.pk]))
    send_mail(
        subject=f"Urgent: a patient reported a warning sign · {settings.CLINIC_NAME}",
        message=f"A patient reported a side effect with a warning sign after a session you supervised.\n\n"
        f"Open the report (sign-in required): {url}\n",
        from_email=None,
        recipient_list=[physician.email],
    )
