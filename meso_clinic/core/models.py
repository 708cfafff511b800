"""The clinic's audit trail: the history of clinical records, and who opened which patient's record.

History rows are written by meso_clinic/core/history.py for every change of a tracked model, whether
it comes from `save()`, `QuerySet.update()`, `bulk_create()` or `bulk_update()`. Neither table
is ever edited by the application; the access log alone is purged after its retention period.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .retention import refuse_hard_delete


class HistoryQuerySet(models.QuerySet):
    """History is append-only: a change or a deletion of a history row is refused."""

    def update(self, **kwargs):
        raise TypeError("History rows are never changed.")

    def delete(self):
        refuse_hard_delete(self.model)
        return super().delete()


class HistoryEntry(models.Model):
    """One change of one clinical record: who, when, what, and each changed field before and after.

    `changes` maps a field's name to `[before, after]` as plain JSON values (a foreign key is its id,
    a time is ISO 8601 in UTC). A creation holds every tracked field with `before` null; a change
    only the fields whose value changed; a deletion every field with `after` null.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who, in words: the staff member's name as it was then, or what did it ("system: reminder worker").
    actor = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "history entries"
        default_permissions = ()  # nobody adds, changes or deletes history
        permissions = [
            ("view_history", "Can see the history of clinical records"),
            ("export_patient", "Can export a patient's whole record (access requests)"),
            # The manager's reports (issue 16): counts only, no patient named; kept here because the kernel's
            # permissions live on its models.
            ("view_reports", "Can see the clinic's activity and safety reports"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="history_record_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"


@receiver(pre_delete, sender=HistoryEntry, dispatch_uid="meso_clinic.core.models.history_is_kept")
def _history_is_kept(sender, **kwargs) -> None:
    refuse_hard_delete(sender)


class AccessLogEntry(models.Model):
    """Who opened which patient's record on which day: one row per user, patient and clinic-local day.

    Kept small on purpose: a second opening the same day only moves `last_at` and the count.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text="The clinic-local day.")
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-day", "-last_at", "-id"]
        verbose_name_plural = "access log entries"
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["user", "patient", "day"], name="access_log_once_per_user_patient_day"),
            models.CheckConstraint(condition=Q(count__gte=1), name="access_log_count_positive"),
        ]
        indexes = [
            models.Index(fields=["patient", "-day"], name="access_log_patient_day"),
            models.Index(fields=["day"], name="access_log_day"),  # the retention purge
        ]

    def __str__(self) -> str:
        return f"Access by user {self.user_id} to patient {self.patient_id} on {self.day}"


class StaffPreference(models.Model):
    """What a staff member chose for themselves: the language of the staff pages."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
