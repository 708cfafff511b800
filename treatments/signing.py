"""Consents the patient signs herself (issue 15), on her phone through her link or on the clinic's tablet.

Her typed full name and her drawn signature (a PNG from the page's canvas, re-encoded from its pixels by
meso_clinic/core/images.py so that nothing but the drawing is kept) are stored with the text version she read,
the time, where she signed and her browser. A pad left empty, or a drawing of a few dots, is refused. The photo
consent is a separate question with its own row (treatments.models.PhotoConsent).

One consent and one photo consent per invitation (unique columns): a double tap signs once.
"""

import base64
import binascii
import datetime as dt
import io

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from meso_clinic.core.images import ImageRefused, clean_image
from patients.models import IntakeInvitation

from .models import Consent, ConsentText, Course, PhotoConsent, SignedOn
from .selectors import current_consent_text

SIGNATURE_MAX_BYTES = 400 * 1024  # a phone's canvas at 3x pixel density is ~60 KB of PNG
SIGNATURE_MAX_PIXELS = 4_000_000
SIGNATURE_MIN_INK_PIXELS = 150  # fewer dark pixels than a short stroke: a tap, not a signature
USER_AGENT_MAX = 300


class SignatureRefused(Exception):
    """The form's field -> message, in the patient's language."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def device_of(invitation: IntakeInvitation) -> str:
    return SignedOn.TABLET if invitation.channel == IntakeInvitation.Channel.TABLET else SignedOn.PHONE


def signature_png(data_url: str) -> bytes:
    """The drawn signature as clean PNG bytes, or SignatureRefused (empty pad, not a PNG, too large)."""
    empty = SignatureRefused({"signature": _("Please sign in the box with your finger (or the mouse).")})
    prefix = "data:image/png;base64,"
    if not data_url or not data_url.startswith(prefix):
        raise empty
    if len(data_url) > SIGNATURE_MAX_BYTES * 4 // 3 + len(prefix):
        raise SignatureRefused({"signature": _("The signature is too large: clear it and sign again.")})
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
        picture = clean_image(io.BytesIO(raw), max_pixels=SIGNATURE_MAX_PIXELS, formats=("PNG",))
    except (binascii.Error, ValueError, ImageRefused):
        raise empty from None
    with Image.open(io.BytesIO(picture.content)) as image:
        ink = ImageOps.invert(image.convert("L")).point(lambda value: 255 if value > 64 else 0)
        if ink.histogram()[255] < SIGNATURE_MIN_INK_PIXELS:
            raise empty
    return picture.content


def _clean_name(signed_name: str) -> str:
    name = " ".join(signed_name.split())[:200]
    if len(name) < 2:
        raise SignatureRefused({"signed_name": _("Please type your full name.")})
    return name


def consent_sign(
    *,
    invitation: IntakeInvitation,
    text: ConsentText,
    signed_name: str,
    signature: str,
    user_agent: str,
    at: dt.datetime | None = None,
) -> Consent:
    """Her signed consent to treatment, on the text in force in her language (refused if the page showed another)."""
    at = at or timezone.now()
    errors: dict[str, str] = {}
    name, png = "", b""  # read below; on an error the refusal is raised before they are used
    try:
        name = _clean_name(signed_name)
    except SignatureRefused as refused:
        errors.update(refused.errors)
    try:
        png = signature_png(signature)
    except SignatureRefused as refused:
        errors.update(refused.errors)
    current = current_consent_text(at=at, language=text.language)
    if current is None or current.pk != text.pk:
        errors[""] = _("The consent text has just been updated: please read the new text and sign again.")
    if errors:
        raise SignatureRefused(errors)
    patient = invitation.patient
    courses = list(Course.objects.filter(patient=patient, status=Course.Status.ACTIVE)[:2])
    try:
        with transaction.atomic():
            return Consent.objects.create(
                patient=patient,
                text=text,
                course=courses[0] if len(courses) == 1 else None,
                consented_at=at,
                recorded_by=invitation.created_by,
                signed_name=name,
                signature_png=png,
                device=device_of(invitation),
                user_agent=user_agent[:USER_AGENT_MAX],
                invitation=invitation,
            )
    except IntegrityError:  # a double tap: the first signature stands
        return Consent.objects.get(invitation=invitation)


def photo_consent_give(
    *, invitation: IntakeInvitation, scope: str, signed_name: str, user_agent: str, at: dt.datetime | None = None
) -> PhotoConsent:
    if scope not in PhotoConsent.Scope.values:
        raise SignatureRefused({"scope": _("Please choose one answer.")})
    try:
        with transaction.atomic():
            return PhotoConsent.objects.create(
                patient=invitation.patient,
                scope=scope,
                given_at=at or timezone.now(),
                recorded_by=invitation.created_by,
                signed_name=" ".join(signed_name.split())[:200],
                device=device_of(invitation),
                user_agent=user_agent[:USER_AGENT_MAX],
                invitation=invitation,
            )
    except IntegrityError:
        return PhotoConsent.objects.get(invitation=invitation)
