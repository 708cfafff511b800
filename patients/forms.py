import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import questionnaire
from .models import Decision, Outcome, Patient
from .search import e164, phone_shown
from .selectors import possible_duplicates

PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")


def clean_phone_number(value: str) -> str:
    """Accept the ways people write phone numbers ("0532 111 22 33", "+90 (532) 111-2233") and store them in
    E.164 ("+905321112233"): a number without a country code is one of the clinic's PHONE_DEFAULT_REGION."""
    value = " ".join(value.split())
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS.match(value) or not 7 <= len(digits) <= 15:
        raise forms.ValidationError(
            _("Enter a phone number of 7 to 15 digits, e.g. +90 532 111 22 33."), code="phone"
        )
    normalised = e164(value, region=settings.PHONE_DEFAULT_REGION)
    if normalised is None:
        raise forms.ValidationError(
            _("This is not a valid phone number: check the digits, and give the country code (e.g. +44) for a "
              "number from abroad."),
            code="phone_invalid",
        )
    return normalised


class PatientForm(forms.ModelForm):
    confirm_new_person = forms.BooleanField(
        label=_("I checked: this is a different person. Register anyway."), required=False
    )

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Stored in E.164; shown in the form as people write it ("+90 532 111 22 33").
        for name in ("phone", "emergency_contact_phone"):
            if stored := self.initial.get(name):
                self.initial[name] = phone_shown(stored)

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
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns (typed as optional)
        if cleaned.get("email_consent") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("An email address is needed to send aftercare emails."))
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors.keys() & {"phone", "email"}:
            self.add_error("phone", _("Give a phone number or an email address to reach the patient."))
        self.duplicates = []
        if self.instance.pk is None and not self.errors and not cleaned.get("confirm_new_person"):
            self.duplicates = list(
                possible_duplicates(
                    given_name=cleaned.get("given_name", ""),
                    family_name=cleaned.get("family_name", ""),
                    date_of_birth=cleaned.get("date_of_birth"),
                    email=cleaned.get("email", ""),
                    phone=cleaned.get("phone", ""),
                )
            )
            if self.duplicates:
                self.add_error(
                    "confirm_new_person",
                    _("This may be a patient who is already registered (see above). Open them, or tick this box."),
                )
        return cleaned


YES_NO = [(True, _("Yes")), (False, _("No"))]


def _to_bool(value: str | bool) -> bool:
    return value in (True, "True")


class IntakeForm(forms.Form):
    """The intake questionnaire of patients/questionnaire.py as a form.

    Every yes/no question needs an explicit answer (an unticked box is not a "no"). A follow-up is
    required when its question is answered yes, and dropped when it is answered no, so that the
    stored answers never hold a stale detail.
    """

    def __init__(self, *args, on: dt.date, keys: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.on = on
        self.follow_up_of = questionnaire.parents()
        # Required-ness is checked in clean(): a follow-up is required only when its parent is yes.
        self.required_questions = {
            q.key for q in questionnaire.all_questions() if q.required and q.key not in self.follow_up_of
        }
        for question in questionnaire.all_questions():
            # `keys`: only these questions (one section of the patient's own intake, patients/link_views.py).
            if keys is None or question.key in keys:
                self.fields[question.key] = self._field(question)

    def _field(self, question: questionnaire.Question) -> forms.Field:
        # The questionnaire's wording is plain English (it is stored as such); show it translated.
        help_text = _(question.help) if question.help else ""
        common: dict[str, Any] = {"label": _(question.text), "help_text": help_text, "required": False}
        field: forms.Field
        if question.kind == "yes_no":
            field = forms.TypedChoiceField(
                choices=YES_NO, coerce=_to_bool, widget=forms.RadioSelect, empty_value=None, **common
            )
        elif question.kind == "date":
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
        else:
            field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **common)
        return field

    def sections(self):
        """[(title, [(bound field, key of the question it follows or ""), ...]), ...] for the template."""
        return [
            (
                _(section.title),
                [
                    (self[q.key], self.follow_up_of.get(q.key, ""))
                    for top in section.questions
                    for q in (top, *top.follow_ups)
                ],
            )
            for section in questionnaire.SECTIONS
        ]

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
        for question in questionnaire.all_questions():
            key = question.key
            if key in self.errors or key not in self.fields:
                continue
            value = cleaned.get(key)
            parent = self.follow_up_of.get(key)
            if parent is not None and cleaned.get(parent) is not True:
                cleaned[key] = None  # the question it follows was answered no: nothing to keep
                continue
            required = key in self.required_questions or parent is not None
            if required and value in (None, ""):
                self.add_error(key, _("Please answer this question."))
            elif question.kind == "date" and value and value > self.on:
                self.add_error(key, _("This date is in the future."))
        return cleaned

    def answers(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for every decision; the patient's record keeps it."),
    )
    deferred_until = forms.DateField(
        label=_("Deferred until"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a deferral: the earliest date for a new screening."),
    )
    instructions = forms.CharField(
        label=_("Instructions for the patient"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the patient must do, e.g. pause ibuprofen 3 days before, with the GP's advice."),
    )

    def __init__(self, *args, screening, on: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.on = on
        if screening.outcome == Outcome.NOT_ELIGIBLE:
            decision = cast(forms.ChoiceField, self.fields["decision"])
            decision.choices = [c for c in Decision.choices if c[0] != Decision.APPROVED]
            self.fields["decision"].help_text = _("A “not eligible” finding cannot be approved.")

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
        if cleaned.get("decision") == Decision.DEFERRED:
            until = cleaned.get("deferred_until")
            if until is None and "deferred_until" not in self.errors:
                self.add_error("deferred_until", _("A deferral needs a date."))
            elif until is not None and until <= self.on:
                self.add_error("deferred_until", _("Choose a date after today."))
        return cleaned
