"""Photos of the treated area (issue 16): whose may be taken, storing them, and which two to compare.

- Only with the patient's photo consent: her latest photo consent not withdrawn, for her clinical record or
  more (treatments.models.PhotoConsent). The page asks first, and `photos_add` decides again.
- A photo is kept as meso_clinic/core/images.py re-encodes it (no EXIF, GPS, make or comment; upright), with a
  thumbnail from the same decoded pixels, through Django's storage API (disk by default, S3 in production).
- A comparison shows one standard view side by side: the first photo of the course against the latest by
  default, or the photos of two chosen sets (a session and a stage: "12 Jan, before").

The choice of pairs is pure (`comparison_pairs`): it takes rows already read.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meso_clinic.core.images import CleanImage
from patients.models import Patient

from .models import AreaPhoto, AreaView, Course, PhotoConsent, Session

# Scopes that allow photos for the clinical record (teaching and marketing are a further use, decided elsewhere).
RECORD_SCOPES = frozenset({PhotoConsent.Scope.RECORD, PhotoConsent.Scope.TEACHING})
STAGE_ORDER: dict[str, int] = {AreaPhoto.Stage.BEFORE: 0, AreaPhoto.Stage.AFTER: 1, AreaPhoto.Stage.FOLLOW_UP: 2}
# Sessions whose patient was not there: no photo can belong to them.
NO_PHOTO_STATUSES = (Session.Status.CANCELLED, Session.Status.NO_SHOW)


class PhotoRefused(Exception):
    """Nothing was stored; `message` says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Consent -----------------------------------------------------------------------------------------------------


def consent_allows_photos(scope: str | None) -> bool:
    """Whether a photo consent of this scope (None: none given) allows photos for her record."""
    return scope in RECORD_SCOPES


def current_photo_consent(patient: Patient) -> PhotoConsent | None:
    """Her latest photo consent not withdrawn (a later refusal or withdrawal wins over an earlier yes)."""
    return patient.photo_consents.filter(withdrawn_at__isnull=True).order_by("-given_at", "-id").first()


def no_consent_message(patient: Patient, consent: PhotoConsent | None) -> str:
    """Why no photo can be taken, and how the consent is recorded."""
    if consent is not None and consent.scope == PhotoConsent.Scope.NONE:
        said = _("%(name)s has said no to photographs.") % {"name": patient.full_name}
    else:
        said = _("%(name)s has not given her consent to photographs.") % {"name": patient.full_name}
    return " ".join([
        said,
        _("No photo is taken or kept without it. She gives it herself after her questionnaire: on her page, "
          "'Hand the tablet to the patient' or 'Send the intake form to the patient's phone'; she then chooses "
          "'For my clinical record only' or more."),
    ])


# --- Storing -----------------------------------------------------------------------------------------------------


def default_stage(session: Session) -> str:
    """What the photo page offers first: 'before' until the course has photos, 'after' from then on."""
    earlier = AreaPhoto.objects.filter(session__course=session.course) if session.course_id else (
        AreaPhoto.objects.filter(session=session))
    return AreaPhoto.Stage.AFTER if earlier.exclude(session=session).exists() else AreaPhoto.Stage.BEFORE


def photos_add(
    *, session: Session, stage: str, pictures: Mapping[AreaView, CleanImage], by: User,
    now: dt.datetime | None = None,
) -> list[AreaPhoto]:
    """Store the pictures (one per standard view) of a session, all or none. Refuses (PhotoRefused) without
    the patient's photo consent, for a cancelled or missed session, or for a view of another area."""
    if stage not in AreaPhoto.Stage.values:
        raise PhotoRefused(_("Choose before, after or follow-up."))
    if not pictures:
        raise PhotoRefused(_("Choose at least one photo."))
    if session.status in NO_PHOTO_STATUSES:
        raise PhotoRefused(_("This session did not take place: photos belong to a session the patient came to."))
    if any(view.category != session.area.category for view in pictures):
        raise PhotoRefused(_("A photo's view is not one of this area's."))
    now = now or timezone.now()
    stored: list[AreaPhoto] = []
    try:
        with transaction.atomic():
            # Read under the same transaction as the writes: a withdrawal that lands first is seen.
            Patient.objects.select_for_update().filter(pk=session.patient_id).first()
            consent = current_photo_consent(session.patient)
            if not consent_allows_photos(consent.scope if consent else None):
                raise PhotoRefused(no_consent_message(session.patient, consent))
            for view, picture in pictures.items():
                photo = AreaPhoto(
                    session=session, view=view, stage=stage, width=picture.size[0], height=picture.size[1],
                    taken_at=now, taken_by=by,
                )
                # Files first (the storage picks a random name), then the row; a failure removes the files.
                photo.image.save(f"photo.{picture.extension}", ContentFile(picture.content), save=False)
                stored.append(photo)
                photo.thumbnail.save(f"thumb.{picture.extension}", ContentFile(picture.thumbnail or b""), save=False)
                photo.save()
    except BaseException:
        for photo in stored:  # nothing half-saved: no file without its row
            for field in (photo.image, photo.thumbnail):
                if field.name:
                    field.storage.delete(field.name)
        raise
    return stored


# --- Reading -----------------------------------------------------------------------------------------------------


def area_views(category: str) -> list[AreaView]:
    return list(AreaView.objects.filter(category=category, active=True).order_by("order", "id"))


@dataclass(frozen=True)
class ViewAtSession:
    view: AreaView
    photos: list[AreaPhoto]  # the latest of each stage at this session, in stage order


def session_photos(session: Session) -> list[ViewAtSession]:
    """Every standard view of the session's area with the photos already taken at it (one query each)."""
    views = area_views(session.area.category)
    latest: dict[tuple[int, str], AreaPhoto] = {}
    for photo in AreaPhoto.objects.filter(session=session).order_by("taken_at", "id"):
        latest[photo.view_id, photo.stage] = photo
    return [
        ViewAtSession(view, sorted((p for (v, _s), p in latest.items() if v == view.pk),
                                   key=lambda p: STAGE_ORDER[p.stage]))
        for view in views
    ]


def course_photos(course: Course) -> list[AreaPhoto]:
    """Every photo of a course's sessions, with the session for its date (one query)."""
    return list(
        AreaPhoto.objects.filter(session__course=course).select_related("session", "view").order_by("taken_at", "id")
    )


# --- Comparison (pure) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoSet:
    """The photos of one session at one stage: what a comparison puts on one side."""

    session_id: int
    stage: str
    scheduled_at: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.session_id}-{self.stage}"

    @property
    def sort_key(self) -> tuple[dt.datetime, int, int]:
        return (self.scheduled_at, self.session_id, STAGE_ORDER[self.stage])


@dataclass(frozen=True)
class Pair:
    view: AreaView
    left: AreaPhoto | None
    right: AreaPhoto | None


def photo_set(photo: AreaPhoto) -> PhotoSet:
    return PhotoSet(photo.session_id, photo.stage, photo.session.scheduled_at)


def photo_sets(photos: Iterable[AreaPhoto]) -> list[PhotoSet]:
    """The sets the course has photos in, in the course's order (session, then before/after/follow-up)."""
    return sorted({photo_set(p) for p in photos}, key=lambda s: s.sort_key)


def comparison_pairs(
    photos: Sequence[AreaPhoto], views: Sequence[AreaView], *, left: str | None = None, right: str | None = None
) -> list[Pair]:
    """For each view with photos: the pair to show side by side.

    Within one set a retake replaces the earlier photo. A side not chosen shows the view's first photo of the
    course (left) or its latest (right; None when that is the photo already on the left). A side chosen by its
    set's key shows the view's photo in that set (None where it has none).
    """
    latest: dict[tuple[int, str], AreaPhoto] = {}
    for photo in sorted(photos, key=lambda p: (p.taken_at, p.pk or 0)):
        latest[photo.view_id, photo_set(photo).key] = photo
    pairs = []
    for view in views:
        mine = sorted((p for (v, _k), p in latest.items() if v == view.pk), key=lambda p: photo_set(p).sort_key)
        if not mine:
            continue
        by_key = {photo_set(p).key: p for p in mine}
        shown_left = by_key.get(left) if left else mine[0]
        shown_right = by_key.get(right) if right else (mine[-1] if mine[-1] is not shown_left else None)
        pairs.append(Pair(view, shown_left, shown_right))
    return pairs
