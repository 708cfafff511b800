"""Aftercare plans (data, editable), reminders (the pipeline's source of truth) and side-effect reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meso_clinic.core.history import TrackedManager

from .schedule import ReminderKind
from .side_effects import SIDE_EFFECTS, WARNING_SIGNS

KIND_CHOICES = [(kind.value, kind.label) for kind in ReminderKind]
LANGUAGE_CHOICES = [("en", _("English")), ("tr", _("Turkish"))]


class AftercarePlan(models.Model):
    """The aftercare of one treatment area: the instructions sheet and the reminder timeline."""

    area = models.OneToOneField(
        "treatments.TreatmentArea", on_delete=models.PROTECT, related_name="aftercare_plan",
        verbose_name=_("treatment area"),
    )
    instructions_en = models.TextField(
        _("instructions in English"), help_text=_("The aftercare sheet in English, one instruction per line.")
    )
    instructions_tr = models.TextField(
        _("instructions in Turkish"), help_text=_("The aftercare sheet in Turkish, one instruction per line.")
    )

    class Meta:
        verbose_name = _("aftercare plan")
        verbose_name_plural = _("aftercare plans")

    def __str__(self) -> str:
        return _("Aftercare: %(area)s") % {"area": self.area}

    def instructions(self, language: str) -> list[str]:
        text = self.instructions_tr if language == "tr" else self.instructions_en
        return [line.strip() for line in text.splitlines() if line.strip()]


class AftercareStep(models.Model):
    """One reminder of a plan's timeline: `days` are calendar days (same local time), `hours` elapsed hours."""

    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan"))
    kind = models.CharField(_("email"), max_length=20, choices=KIND_CHOICES)
    days = models.PositiveSmallIntegerField(_("days"), default=0, help_text=_("Calendar days, at the same time."))
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("timeline step")
        verbose_name_plural = _("timeline steps")
        ordering = ["plan", "days", "hours"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="aftercare_step_kind_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (+{self.days} d {self.hours} h)"


class ReminderMessage(models.Model):
    """The words of one kind of reminder in one language. Rendered when sent, so edits apply to unsent ones."""

    kind = models.CharField(_("email"), max_length=20, choices=KIND_CHOICES)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    subject = models.CharField(
        _("subject"), max_length=150, help_text=_("No patient data here: subjects show on lock screens.")
    )
    body = models.TextField(
        _("text"), help_text=_("Paragraphs separated by a blank line. The aftercare sheet is added below.")
    )

    class Meta:
        verbose_name = _("email text")
        verbose_name_plural = _("email texts")
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="reminder_message_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class Reminder(models.Model):
    """One email to a patient. The row is the truth (docs/architecture.md, "Aftercare reminders")."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey("treatments.Session", on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="After a transient failure.")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, help_text="The dispatch that owns the row now.")
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)
    # A row set pending again (a session moved twice: one row per session and kind) is a new email: it gets
    # the next number, which goes into its Message-ID and, for the emails with a calendar entry, is the
    # entry's SEQUENCE (RFC 5545), so the patient's calendar takes the newest time.
    sequence = models.PositiveSmallIntegerField(
        _("version"), default=0, help_text="Bumped each time the row is pending again."
    )
    # The booking confirmation's link to her own intake (issue 15), when she had no screening valid at the session:
    # the one live link of this email. A retried send replaces it (aftercare/intake_links.py).
    intake_invitation = models.ForeignKey(
        "patients.IntakeInvitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("intake link"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # History keeps what a person would ask about (status, due time, attempts, sent, errors), not the
    # dispatcher's lease bookkeeping: a claim's token and expiry change on every tick.
    objects = TrackedManager(untracked=("lease_expires_at", "lease_token"))

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="reminder_once_per_session_and_kind"),
            models.CheckConstraint(
                name="reminder_sent_has_time_and_id",
                condition=~Q(status="sent") | Q(sent_at__isnull=False) & ~Q(message_id=""),
            ),
            models.CheckConstraint(
                name="reminder_sending_has_lease",
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False),
            ),
        ]
        indexes = [
            # The dispatcher's query: pending rows by due time.
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due"),
            models.Index(fields=["lease_expires_at"], condition=Q(status="sending"), name="reminder_sending_lease"),
            models.Index(fields=["status", "-updated_at"], name="reminder_status_recent"),
            # The delivery page: recently sent, and sent in the last 24 h (2 million sent rows at chain scale).
            models.Index(fields=["-sent_at"], condition=Q(status="sent"), name="reminder_sent_recent"),
        ]

    def __str__(self) -> str:
        return _("Email %(id)s: %(kind)s, %(status)s") % {
            "id": self.pk, "kind": self.get_kind_display(), "status": self.get_status_display()
        }

    # The pages say when an email went and why one failed; templates ask these, not the stored codes.
    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


class SideEffectReport(models.Model):
    """What a patient reported through the signed link in an email, and how staff closed it."""

    class Severity(models.TextChoices):
        MILD = "mild", _("Mild: noticeable, does not bother me much")
        MODERATE = "moderate", _("Moderate: bothers me, but I can go about my day")
        SEVERE = "severe", _("Severe: painful or worrying")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    session = models.ForeignKey("treatments.Session", on_delete=models.PROTECT, related_name="side_effect_reports")
    reminder = models.ForeignKey(Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    effects = models.JSONField(default=list, blank=True, help_text="Codes of the side effects ticked.")
    warning_signs = models.JSONField(default=list, blank=True, help_text="Codes of the escalation signs ticked.")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    description = models.TextField(blank=True)
    photo = models.ImageField(upload_to="side-effects/%Y/%m/", blank=True)
    escalated = models.BooleanField(default=False)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    objects = TrackedManager()

    class Meta:
        ordering = ["-escalated", "-reported_at"]
        permissions = [("close_sideeffectreport", "Can close a side-effect report")]
        indexes = [models.Index(fields=["reported_at"], condition=Q(status="open"), name="report_open")]
        constraints = [
            models.CheckConstraint(
                name="report_closed_is_complete",
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False, closed_by__isnull=False) & ~Q(closing_note=""),
            )
        ]

    def __str__(self) -> str:
        return _("Side-effect report %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        """Still waiting for staff: it may be closed, and the list of open reports shows it."""
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def effect_labels(self) -> list[str]:
        labels = dict(SIDE_EFFECTS)
        return [str(labels.get(code, code)) for code in self.effects]

    @property
    def warning_labels(self) -> list[str]:
        labels = dict(WARNING_SIGNS)
        return [str(labels.get(code, code)) for code in self.warning_signs]

    @property
    def severity_word(self) -> str:
        return str(self.get_severity_display()).split(":")[0]
