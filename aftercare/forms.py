import uuid

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .models import SideEffectReport
from .side_effects import SIDE_EFFECTS, WARNING_SIGNS

# Detected format -> the extension and content type the photo is stored and served with.
PHOTO_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


class SideEffectReportForm(forms.Form):
    effects = forms.MultipleChoiceField(
        label=_("What do you notice?"), choices=SIDE_EFFECTS, widget=forms.CheckboxSelectMultiple, required=False
    )
    warning_signs = forms.MultipleChoiceField(
        label=_("Do you have any of these?"),
        choices=WARNING_SIGNS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    severity = forms.ChoiceField(
        label=_("How bad is it?"), choices=SideEffectReport.Severity.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where on the treated area, since when, and whether it is getting better or worse."),
    )
    photo = forms.FileField(
        label=_("A photo of the area (optional)"),
        required=False,
        help_text=_("A JPEG or PNG picture, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        limit = settings.REPORT_PHOTO_MAX_BYTES
        if photo.size > limit:
            raise forms.ValidationError(
                _("This photo is too large (%(size)s MB). Please send one of up to %(limit)s MB."),
                params={"size": round(photo.size / 1024 / 1024, 1), "limit": limit // (1024 * 1024)},
            )
        try:
            with Image.open(photo) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise forms.ValidationError(_("This file is not a picture. Please send a JPEG or PNG photo.")) from None
        if kind not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Please send a JPEG or PNG photo."))
        photo.seek(0)
        # Never keep the sender's file name: it may carry their name, and its extension decides how the
        # file would be served. A random name with the extension of what the content really is.
        extension, content_type = PHOTO_FORMATS[kind]
        photo.name = f"{uuid.uuid4().hex}.{extension}"
        photo.content_type = content_type
        return photo

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("effects") and not cleaned.get("warning_signs") and not cleaned.get("description"):
            raise forms.ValidationError(_("Tick what you notice, or describe it in a few words."))
        return cleaned


class CloseReportForm(forms.Form):
    closing_note = forms.CharField(
        label=_("What was done"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. called the patient, advice given, follow-up booked."),
    )
