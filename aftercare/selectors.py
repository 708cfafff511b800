from .models import Reminder


def patient_reminders(patient, *, limit: int = 30) -> list[Reminder]:
    """What was (and will be) emailed to a patient, newest first."""
    return list(
        Reminder.objects.filter(session__patient=patient)
        .exclude(status=Reminder.Status.CANCELLED)
        .order_by("-due_at", "-id")[:limit]
    )
