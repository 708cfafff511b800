"""The photo page's form (issue 16): one camera/upload field per standard view, and the stage.

A field's value, once clean, is the picture re-encoded (meso_clinic/core/images.py): a file that is not a
picture, too large in bytes or in pixels is refused at its own field, and then nothing of the form is stored.
"""

from typing import Any, BinaryIO, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from meso_clinic.core.images import CleanImage, ImageRefused, clean_image

from .models import AreaPhoto, AreaView


def photo_too_large_message(size_bytes: int) -> str:
    return _("This photo is too large (%(size)s MB): a photo of up to %(limit)s MB is taken.") % {
        "size": round(size_bytes / 1024 / 1024, 1),
        "limit": settings.AREA_PHOTO_MAX_BYTES // (1024 * 1024),
    }


class CameraInput(forms.FileInput):
    """The tablet's camera (the back one) or a file, as the browser offers: `capture` opens the camera."""

    def __init__(self) -> None:
        super().__init__(attrs={"accept": "image/*", "capture": "environment"})


class PhotoField(forms.FileField):
    """A photo, cleaned to a CleanImage with its thumbnail."""

    widget = CameraInput

    def clean(self, data, initial=None) -> CleanImage | None:  # a picture, not the uploaded file
        upload: UploadedFile | None = super().clean(data, initial)
        if not upload:
            return None
        if upload.size is not None and upload.size > settings.AREA_PHOTO_MAX_BYTES:
            raise forms.ValidationError(photo_too_large_message(upload.size))
        try:
            return clean_image(
                cast(BinaryIO, upload),
                max_pixels=settings.PHOTO_MAX_PIXELS,
                thumbnail_side=settings.AREA_PHOTO_THUMBNAIL_PX,
            )
        except ImageRefused as refused:
            if refused.reason == ImageRefused.TOO_MANY_PIXELS:
                raise forms.ValidationError(
                    _("This picture has too many pixels: a photo of up to %(limit)s megapixels is taken, "
                      "as a phone or tablet camera makes."),
                    params={"limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
                ) from None
            if refused.reason == ImageRefused.FORMAT:
                raise forms.ValidationError(_("Please choose a JPEG, PNG or WebP photo.")) from None
            raise forms.ValidationError(_("This file is not a picture (or is damaged). Please take the photo again.")
                                        ) from None


class SessionPhotosForm(forms.Form):
    stage = forms.ChoiceField(label=_("These photos are"), choices=AreaPhoto.Stage.choices, widget=forms.RadioSelect)

    def __init__(self, *args, views: list[AreaView], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.views = views
        for view in views:
            self.fields[self.field_name(view)] = PhotoField(label=view.label, required=False)

    @staticmethod
    def field_name(view: AreaView) -> str:
        return f"view_{view.pk}"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.errors and not self.pictures():
            raise forms.ValidationError(_("Take or choose at least one photo."))
        return cleaned

    def pictures(self) -> dict[AreaView, CleanImage]:
        data = getattr(self, "cleaned_data", {})
        return {view: data[self.field_name(view)] for view in self.views if data.get(self.field_name(view))}

    def bound_views(self) -> list[tuple[AreaView, forms.BoundField]]:
        return [(view, self[self.field_name(view)]) for view in self.views]


class ComparisonForm(forms.Form):
    """Which two sets of photos to put side by side (by default the first and the latest of each view)."""

    left = forms.ChoiceField(label=_("Left"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    right = forms.ChoiceField(label=_("Right"), required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = [("", _("First photo of each view")), *choices]
        cast(forms.ChoiceField, self.fields["left"]).choices = options
        cast(forms.ChoiceField, self.fields["right"]).choices = [("", _("Latest photo of each view")), *choices]
