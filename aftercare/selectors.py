import datetime as dt

from django.db.models import Q, QuerySet, Subquery

from meso_clinic.core.db import bounded_counts

from .models import AftercarePlan, Reminder

DELIVERY_FAILED_PAGE = 25
DELIVERY_RECENT = 20
# What the delivery page shows of a reminder and its patient (model instances stay small).
LIST_FIELDS = ("kind", "due_at", "status", "session__patient__given_name", "session__patient__family_name")


PATIENT_EMAILS_SHOWN = 10  # on the patient page; "All emails" pages through the rest


def has_aftercare_plan(area_id: int) -> bool:
    """Whether a treatment area has its aftercare plan: without one, a performed session gets no emails."""
    return AftercarePlan.objects.filter(area_id=area_id).exists()


def patient_emails(patient) -> QuerySet[Reminder]:
    """What was (and will be) emailed to a patient, newest first."""
    return (
        Reminder.objects.filter(session__patient=patient)
        .exclude(status=Reminder.Status.CANCELLED)
        .order_by("-due_at", "-id")
    )


def patient_reminders(patient, *, limit: int = PATIENT_EMAILS_SHOWN) -> list[Reminder]:
    """The latest `limit` of `patient_emails`."""
    return list(patient_emails(patient)[:limit])


def delivery_counts(*, now: dt.datetime) -> dict[str, int]:
    """The delivery page's figures in one query, each bounded (meso_clinic.core.db.bounded_counts).

    Every count has an index that holds only its rows: reminder_pending_due (pending by due time),
    reminder_status_recent (sending, failed) and reminder_sent_recent (sent, by sent time).
    """
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    return bounded_counts(
        due_now=pending.filter(due_at__lte=now),
        pending=pending.filter(due_at__gt=now),
        sending=Reminder.objects.filter(status=Reminder.Status.SENDING),
        failed_count=Reminder.objects.filter(status=Reminder.Status.FAILED),
        sent_last_day=Reminder.objects.filter(status=Reminder.Status.SENT, sent_at__gte=now - dt.timedelta(days=1)),
    )


def failed_reminders(*, before: int | None = None, limit: int = DELIVERY_FAILED_PAGE) -> list[Reminder]:
    """Failed reminders, the latest failure first; `before` (a reminder id) continues after that row.

    Keyset pagination on (updated_at, id): every page costs the same, however many failed rows exist.
    """
    failed = Reminder.objects.filter(status=Reminder.Status.FAILED)
    if before is not None:
        mark = Subquery(Reminder.objects.filter(pk=before).values("updated_at")[:1])
        failed = failed.filter(Q(updated_at__lt=mark) | Q(updated_at=mark, pk__lt=before))
    return list(
        failed.select_related("session__patient")
        .only(*LIST_FIELDS, "attempts", "last_error", "updated_at")
        .order_by("-updated_at", "-id")[: limit + 1]
    )


def recently_sent(*, limit: int = DELIVERY_RECENT) -> list[Reminder]:
    return list(
        Reminder.objects.filter(status=Reminder.Status.SENT)
        .select_related("session__patient")
        .only(*LIST_FIELDS, "sent_at")
        .order_by("-sent_at", "-id")[:limit]
    )
