import uuid

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from meso_clinic.core.images import ImageRefused, clean_image

from .models import SideEffectReport
from .side_effects import SIDE_EFFECTS, WARNING_SIGNS


def photo_too_large_message(size_bytes: int) -> str:
    """The photo field's message for a file over REPORT_PHOTO_MAX_BYTES (also for a request refused unread)."""
    return _("This photo is too large (%(size)s MB). Please send one of up to %(limit)s MB.") % {
        "size": round(size_bytes / 1024 / 1024, 1),
        "limit": settings.REPORT_PHOTO_MAX_BYTES // (1024 * 1024),
    }


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

    def clean_photo(self) -> SimpleUploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > settings.REPORT_PHOTO_MAX_BYTES:
            raise forms.ValidationError(photo_too_large_message(photo.size))
        try:
            # Decoded and saved afresh: the phone's EXIF (GPS position, make), XMP and comments are not kept.
            picture = clean_image(photo, max_pixels=settings.PHOTO_MAX_PIXELS)
        except ImageRefused as refused:
            if refused.reason == ImageRefused.TOO_MANY_PIXELS:
                raise forms.ValidationError(
                    _(
                        "This picture is too large in pixels. Please send a photo of up to %(limit)s megapixels, "
                        "such as one taken with your phone's camera."
                    ),
                    params={"limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
                ) from None
            if refused.reason == ImageRefused.FORMAT:
                raise forms.ValidationError(_("Please send a JPEG or PNG photo.")) from None
            # Also a damaged or cut-off picture: nothing is stored that staff could not open.
            raise forms.ValidationError(_("This file is not a picture. Please send a JPEG or PNG photo.")) from None
        # Never keep the sender's file name: it may carry their name, and its extension decides how the
        # file would be served. A random name with the extension of what the content really is.
        return SimpleUploadedFile(f"{uuid.uuid4().hex}.{picture.extension}", picture.content, picture.content_type)

    @classmethod
    def refused_unread(cls, *, size_bytes: int) -> "SideEffectReportForm":
        """The empty form with the photo's message, for a request refused from its length before it was read."""
        form = cls()
        form.cleaned_data = {}
        form.add_error(None, _("Your report was not sent. Please tick your answers again and choose a smaller photo."))
        form.add_error("photo", photo_too_large_message(size_bytes))
        return form

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (typed as optional)
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
