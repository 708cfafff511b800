import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from meso_clinic.core.people import display_name

from .models import Batch, ConsentText, Course, Indication, Product, Room, Session
from .patch_tests import ReadResult, format_day
from .readiness import HEALTH_UNCHANGED_MISSING, previous_reaction_problems
from .selectors import clinic_zone, current_consent_text, practitioners, previous_session_at, supervising_physicians

LOCAL_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input in the clinic's time zone (Django makes it aware in the current zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    # A time further from today than this is a typing error (a year 9999 would also overflow the rules' arithmetic).
    MAX_YEARS_AWAY = 10

    def __init__(self, **kwargs) -> None:
        super().__init__(input_formats=LOCAL_DATETIME, **kwargs)

    def validate(self, value: dt.datetime | None) -> None:
        super().validate(value)
        if value is not None and abs((value - timezone.now()).days) > self.MAX_YEARS_AWAY * 366:
            raise forms.ValidationError(
                _("Check the date: it is more than %(years)d years from today.") % {"years": self.MAX_YEARS_AWAY},
                code="too_far",
            )


def now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return display_name(user)


def _model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """One of the form's model choice fields (their querysets and labels are set per form)."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _label_with(field: forms.ModelChoiceField, label: Callable[[Any], str]) -> None:
    """Word the choices: Django's per-instance label_from_instance (replacing a method, to the type checker)."""
    field.label_from_instance = label  # type: ignore[method-assign,assignment]


if TYPE_CHECKING:
    _Form = forms.Form  # what RefusalFormMixin is mixed into
else:
    _Form = object


class RefusalFormMixin(_Form):
    """Put a service's refusal (treatments.services.Refused) on the fields it names."""

    def add_refusal(self, refusal) -> None:
        for field, messages in refusal.errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class PatchTestApplyForm(RefusalFormMixin, forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products applied"),
        # Every product: the anaesthetic cream too, which a patient with an allergy must have tested first.
        queryset=Product.objects.filter(active=True).order_by("-patch_test_required", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Products marked “if allergic” need a patch test only for a patient with a known allergy."),
    )
    site = forms.CharField(label=_("Site on the skin"), max_length=100, initial=_("Inner forearm"))
    applied_at = LocalDateTimeField(label=_("Applied at"), help_text=_("Clinic time. Normally now."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applied_at"].initial = now_local()
        _label_with(_model_field(self, "products"), lambda p: (
            p.name if p.patch_test_required else gettext("%(name)s (if allergic)") % {"name": p.name}
        ))


class PatchTestReadForm(RefusalFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[(r.value, r.label) for r in ReadResult], widget=forms.RadioSelect
    )
    result_notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a reaction: size, look, symptoms."),
    )


class ReactionClearForm(RefusalFormMixin, forms.Form):
    reaction_decision = forms.CharField(
        label=_("Physician's decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the products may be used despite the reaction."),
    )


class ConsentForm(RefusalFormMixin, forms.Form):
    text = forms.ModelChoiceField(queryset=ConsentText.objects.all(), widget=forms.HiddenInput)
    course = forms.ModelChoiceField(
        label=_("Consent covers"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("One session today only"),
    )
    confirmed = forms.BooleanField(
        label=_("The patient has read this text, had their questions answered and consents."),
    )

    def __init__(self, *args, patient, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "course").queryset = Course.objects.filter(patient=patient, status=Course.Status.ACTIVE)
        _label_with(_model_field(self, "course"), lambda c: gettext("The whole course: %(indication)s") % {
            "indication": c.indication.name
        })
        self.current_text = current_consent_text(language=patient.language)  # the text in her language (issue 15)
        self.fields["text"].initial = self.current_text


class IndicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, indication) -> str:
        return f"{indication.area.name}: {indication.name}"


class CourseForm(RefusalFormMixin, forms.ModelForm):
    indication = IndicationChoiceField(
        label=_("Indication"),
        queryset=Indication.objects.filter(area__active=True).select_related("area").order_by("area__name", "name")
    )

    class Meta:
        model = Course
        fields = ["indication", "planned_sessions", "interval_days"]
        labels = {"planned_sessions": _("Planned sessions"), "interval_days": _("Interval days")}
        help_texts = {
            "planned_sessions": _("Leave empty for the area's typical course."),
            "interval_days": _("Leave empty for the area's typical interval."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_sessions"].required = False
        self.fields["interval_days"].required = False
        self.fields["planned_sessions"].widget.attrs.update({"min": 1, "max": 30})
        self.fields["interval_days"].widget.attrs.update({"min": 1, "max": 120})

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
        indication = cleaned.get("indication")
        if indication:
            cleaned["planned_sessions"] = cleaned.get("planned_sessions") or indication.area.typical_sessions
            cleaned["interval_days"] = cleaned.get("interval_days") or indication.area.typical_interval_days
        return cleaned


class SessionBookForm(RefusalFormMixin, forms.Form):
    indication = IndicationChoiceField(
        label=_("Indication"),
        queryset=Indication.objects.filter(area__active=True).select_related("area").order_by("area__name", "name"),
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, empty_label=_("No course")
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.filter(active=True), widget=forms.CheckboxSelectMultiple
    )
    technique = forms.ChoiceField(label=_("Technique"), choices=Session.Technique.choices, widget=forms.RadioSelect)
    anaesthetic_cream = forms.BooleanField(label=_("Local anaesthetic cream"), required=False)
    practitioner = StaffChoiceField(label=_("Practitioner"), queryset=practitioners())
    supervising_physician = StaffChoiceField(label=_("Supervising physician"), queryset=supervising_physicians())
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.filter(active=True), required=False, empty_label=_("No room")
    )
    scheduled_at = LocalDateTimeField(label=_("Date and time"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=240, initial=45)

    def __init__(self, *args, patient, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "room").queryset = Room.objects.filter(active=True)
        courses = Course.objects.filter(patient=patient, status=Course.Status.ACTIVE).select_related("indication")
        _model_field(self, "course").queryset = courses
        _label_with(_model_field(self, "course"), lambda c: ngettext(
            "%(indication)s (%(count)s session)", "%(indication)s (%(count)s sessions)", c.planned_sessions
        ) % {"indication": c.indication.name, "count": c.planned_sessions})
        # Querysets are evaluated per form so that a new user shows up without a restart.
        _model_field(self, "practitioner").queryset = practitioners()
        _model_field(self, "supervising_physician").queryset = supervising_physicians()


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, batch) -> str:
        expired = " ({})".format(gettext("EXPIRED")) if batch.is_expired_on(timezone.localdate()) else ""
        return gettext("Lot %(lot)s, expires %(day)s") % {
            "lot": batch.lot_number,
            "day": format_day(batch.expiry_date),
        } + expired


class SessionPerformForm(RefusalFormMixin, forms.Form):
    performed_at = LocalDateTimeField(label=_("Performed at"))
    health_unchanged = forms.BooleanField(
        label=_("I asked the patient: health and medicines have not changed since the screening."),
        required=True,  # said with the other fields at once (the service checks it again)
        error_messages={"required": HEALTH_UNCHANGED_MISSING},
    )
    previous_reaction = forms.ChoiceField(
        label=_("Any reaction after the previous session?"),
        choices=[(Session.PreviousReaction.NONE, _("No reaction")),
                 (Session.PreviousReaction.REACTION, _("A reaction: describe it below"))],
        widget=forms.RadioSelect,
        required=False,  # what is missing is said by previous_reaction_problems, in clean()
    )
    reaction_after_previous = forms.CharField(
        label=_("The reaction after the previous session"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    immediate_reactions = forms.CharField(
        label=_("Immediate reactions"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, session: Session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["performed_at"].initial = now_local()
        self.product_fields = []
        today = timezone.localdate()
        for sp in session.session_products.all():
            name = f"batch_{sp.product_id}"
            # Expired lots are not offered; one posted anyway is refused by the service, which says when it expired.
            # The only usable lot is chosen already.
            field = self.fields[name] = BatchChoiceField(
                label=_("Batch of %(product)s") % {"product": sp.product.name},
                queryset=Batch.objects.filter(product_id=sp.product_id).order_by("expiry_date"),
                empty_label=_("Choose the lot used"),
            )
            lots = list(Batch.objects.filter(product_id=sp.product_id, expiry_date__gte=today).order_by("expiry_date"))
            field.widget.choices = [("", field.empty_label), *((b.pk, field.label_from_instance(b)) for b in lots)]
            if len(lots) == 1:
                self.fields[name].initial = lots[0].pk
            elif not lots:
                self.fields[name].help_text = _("No unexpired lot of %(product)s in stock.") % {
                    "product": sp.product.name}
            self.product_fields.append(name)
        self.previous_at = previous_session_at(session.patient_id, before=timezone.now(), exclude=session.pk)
        if self.previous_at is None:  # her first session: nothing to ask
            del self.fields["previous_reaction"], self.fields["reaction_after_previous"]
        else:
            self.fields["previous_reaction"].label = _(
                "Any reaction after the previous session (%(day)s)? Ask the patient."
            ) % {"day": format_day(timezone.localdate(self.previous_at))}
        # The lot used is asked right after the time, before the confirmation and the notes.
        self.order_fields(["performed_at", *self.product_fields, "health_unchanged"])

    def clean_performed_at(self) -> dt.datetime:
        """The field is to the minute: "now" typed as the current minute means now, not its first second
        (which may be before a booking or a consent made a few seconds ago)."""
        performed_at = self.cleaned_data["performed_at"]
        now = timezone.now()
        if dt.timedelta(0) <= now - performed_at < dt.timedelta(minutes=1):
            return now
        return performed_at

    def clean(self):
        """The previous-reaction question is answered with the other fields at once (the service asks again)."""
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
        problems = previous_reaction_problems(
            previous_at=self.previous_at,
            answer=cleaned.get("previous_reaction", ""),
            description=cleaned.get("reaction_after_previous") or "",
            tz=clinic_zone(),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned

    def batches(self) -> dict[int, Batch]:
        return {int(name.removeprefix("batch_")): self.cleaned_data[name] for name in self.product_fields}


class RescheduleForm(RefusalFormMixin, forms.Form):
    scheduled_at = LocalDateTimeField(label=_("New date and time"))


class RecallForm(forms.Form):
    lot_number = forms.CharField(label=_("Lot number"), max_length=50)


# --- Cancelling a session (issue 14) -------------------------------------------------------------

OTHER_REASON = "other"
# The usual reasons, stored in English as written here and shown translated (stored_text); "Other" asks for words.
CANCEL_REASONS = (
    gettext_noop("The patient called off."),
    gettext_noop("The patient is unwell."),
    gettext_noop("The practitioner is not available."),
    gettext_noop("The patient is not ready for treatment (screening, patch test or consent)."),
    gettext_noop("Booked by mistake."),
)


class CancelForm(RefusalFormMixin, forms.Form):
    """Why a session is cancelled: a usual reason, or the staff's own words (required then). For staff only:
    the patient's email says that it is cancelled, never why."""

    choice = forms.ChoiceField(
        label=_("Reason"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the session is cancelled.")},
    )
    reason = forms.CharField(
        label=_("In your words"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “Other”; added to the reason otherwise. Staff see it; the patient does not."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = [(text, _(text)) for text in CANCEL_REASONS] + [
            (OTHER_REASON, _("Other (say below)"))
        ]

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
        choice, words = cleaned.get("choice"), " ".join(cleaned.get("reason", "").split())
        if choice == OTHER_REASON and not words:
            self.add_error("reason", _("Say why the session is cancelled."))
        elif choice:
            cleaned["reason"] = words if choice == OTHER_REASON else " ".join(filter(None, [choice, words]))
        return cleaned
