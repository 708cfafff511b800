import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Patient

PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")


def clean_phone_number(value: str) -> str:
    """Accept the ways people write phone numbers; require 7 to 15 digits (E.164 allows 15)."""
    value = " ".join(value.split())
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS.match(value) or not 7 <= len(digits) <= 15:
        raise forms.ValidationError(
            _("Enter a phone number of 7 to 15 digits, e.g. +90 532 111 22 33."), code="phone"
        )
    return value


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "phone",
            "email",
            "preferred_language",
            "email_consent",
            "emergency_contact_name",
            "emergency_contact_phone",
            "notes",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."), code="future")
        years = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        if years > settings.PATIENT_MAX_AGE_YEARS:
            raise forms.ValidationError(
                _("That makes the patient %(years)s years old: please check the year."),
                code="too_old",
                params={"years": years},
            )
        return dob

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self):
        return clean_phone_number(self.cleaned_data["emergency_contact_phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email_consent") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("An email address is needed to send aftercare emails."))
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors.keys() & {"phone", "email"}:
            self.add_error("phone", _("Give a phone number or an email address to reach the patient."))
        return cleaned
