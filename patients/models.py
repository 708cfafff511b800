import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        INTERSEX = "intersex", _("Intersex")
        NOT_STATED = "not_stated", _("Prefers not to say")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        TURKISH = "tr", _("Turkish")

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    email_consent = models.BooleanField(
        _("consents to aftercare emails"),
        default=False,
        help_text=_("Aftercare instructions and reminders are emailed only with the patient's consent."),
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="patient_name_ci"),
            models.Index(fields=["date_of_birth"], name="patient_dob"),
        ]
        constraints = [
            # An aftercare email needs an address to go to.
            models.CheckConstraint(
                condition=~models.Q(email_consent=True, email=""), name="patient_email_consent_needs_email"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int:
        """Completed years on `day`. A 29 February birthday is reached on 1 March in common years."""
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - (0 if had_birthday else 1)
