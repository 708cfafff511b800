"""Photos of the treated area (issue 16): taken at a session with the patient's photo consent only, kept without
their metadata (read back from storage), upright, with a thumbnail; refused at the field when not a picture, too
large or with too many pixels, with nothing half-saved; served to signed-in staff with the role only, never
cached; compared first against latest across a course, or two chosen sets.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from meso_clinic.core.images import clean_image
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import HOUR, product
from treatments import photos
from treatments.models import AreaPhoto, AreaView, PhotoConsent, Session
from treatments.services import session_book

DAY = dt.timedelta(days=1)
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (41.0, 2.0, 3.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (28.0, 58.0, 47.25)}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def phone_jpeg(width: int = 64, height: int = 48, colour=(220, 30, 30)) -> bytes:
    """As a phone writes it: stored landscape with 'rotate 90' in EXIF, its make, model and GPS position, and a
    comment; left half `colour`, right half blue."""
    picture = Image.new("RGB", (width, height), colour)
    picture.paste((30, 30, 220), (width // 2, 0, width, height))
    exif = picture.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Apple", "iPhone 15 Pro"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, comment=b"Zeynep's phone", quality=95)
    return buffer.getvalue()


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (90, 160, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(content: bytes, name: str = "IMG_0001.JPG", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def course_sessions(patient, reception, nurse, physician):
    """A skin course: its first session performed four weeks ago, the next one booked for this afternoon."""
    now = timezone.now()
    first = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=now - 28 * DAY)
    last = session_book(
        patient=patient, course=first.course, indication=first.indication,
        products=[product("Revitalising vitamin complex")], technique="needles", practitioner=physician,
        supervising_physician=physician, scheduled_at=now + 2 * HOUR, booked_by=reception,
    )
    return first, last


@pytest.fixture
def consent(patient, reception):
    return PhotoConsent.objects.create(
        patient=patient, scope=PhotoConsent.Scope.RECORD, given_at=timezone.now() - DAY, recorded_by=reception
    )


def views_of(session: Session) -> list[AreaView]:
    return photos.area_views(session.area.category)


def field(view: AreaView) -> str:
    return f"view_{view.pk}"


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- Data ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_area_has_its_standard_views_from_the_data_migration():
    codes = {category: set(AreaView.objects.filter(category=category).values_list("code", flat=True))
             for category in ("skin", "hair", "cellulite", "pain", "vascular")}
    assert codes["hair"] >= {"scalp-top", "front-hairline", "left", "right"}
    assert codes["skin"] == {"face-front", "face-left", "face-right"}
    assert codes["cellulite"] >= {"thighs-back", "thighs-left", "thighs-right", "abdomen-front"}
    assert all(codes.values()), codes


# --- Taking photos ------------------------------------------------------------------------------------------------


def test_a_phone_photo_is_kept_without_metadata_upright_with_a_thumbnail(client, nurse, course_sessions, consent,
                                                                          media):
    first, _ = course_sessions
    front = views_of(first)[0]
    client.force_login(nurse)
    page = client.get(f"/treatments/sessions/{first.pk}/photos/")
    assert page.status_code == 200
    assert b'capture="environment"' in page.content and b'accept="image/*"' in page.content
    response = client.post(f"/treatments/sessions/{first.pk}/photos/",
                           {"stage": "before", field(front): upload(phone_jpeg())})
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = AreaPhoto.objects.get()
    assert (photo.session, photo.view, photo.stage, photo.taken_by) == (first, front, "before", nurse)
    assert "IMG_0001" not in photo.image.name and photo.image.name.startswith("area-photos/")
    with default_storage.open(photo.image.name) as stored:  # read back what storage holds
        data = stored.read()
    picture = Image.open(io.BytesIO(data))
    exif = picture.getexif()
    assert len(exif) == 0 and not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Apple" not in data and b"iPhone" not in data and b"Zeynep" not in data
    assert "exif" not in picture.info and "comment" not in picture.info
    assert picture.size == (48, 64) == (photo.width, photo.height)  # the rotation applied: taller than wide
    # Orientation 6 is "turn 90° clockwise to view": the left half (red) comes on top, the right (blue) below.
    assert picture.getpixel((24, 4))[0] > 180 and picture.getpixel((24, 60))[2] > 180
    thumb = Image.open(default_storage.open(photo.thumbnail.name))
    assert thumb.size == (48, 64) and len(thumb.getexif()) == 0  # never enlarged
    assert photo.thumbnail.name != photo.image.name


def test_a_12_megapixel_photo_gets_a_320_pixel_thumbnail(course_sessions, consent, nurse):
    first, _ = course_sessions
    big = Image.effect_noise((4000, 3000), 60).convert("RGB")
    buffer = io.BytesIO()
    exif = big.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Orientation] = "Samsung", 6
    big.save(buffer, format="JPEG", exif=exif, quality=90)
    picture = clean_image(buffer, max_pixels=40_000_000, thumbnail_side=320)
    [photo] = photos.photos_add(session=first, stage="before", pictures={views_of(first)[0]: picture}, by=nurse)
    assert (photo.width, photo.height) == (3000, 4000)
    thumb = Image.open(default_storage.open(photo.thumbnail.name))
    assert thumb.size == (240, 320) and thumb.format == "JPEG"


@pytest.mark.parametrize(
    ("content", "name", "settings_change", "message"),
    [
        (b"just some text, not a picture", "notes.jpg", {}, "This file is not a picture"),
        (phone_jpeg()[:300], "cut.jpg", {}, "This file is not a picture"),
        (phone_jpeg(400, 300), "big.jpg", {"AREA_PHOTO_MAX_BYTES": 2000}, "This photo is too large"),
        (phone_jpeg(), "many.jpg", {"PHOTO_MAX_PIXELS": 3000}, "This picture has too many pixels"),
    ],
    ids=["text", "cut-off", "too-large", "too-many-pixels"],
)
def test_a_bad_file_is_refused_at_its_field_and_nothing_is_saved(client, nurse, course_sessions, consent, media,
                                                                  settings, content, name, settings_change, message):
    for setting, value in settings_change.items():
        setattr(settings, setting, value)
    first, _ = course_sessions
    good_view, bad_view = views_of(first)[:2]
    client.force_login(nurse)
    response = client.post(f"/treatments/sessions/{first.pk}/photos/", {
        "stage": "before", field(good_view): upload(small_jpeg()), field(bad_view): upload(content, name),
    })
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field(bad_view)]  # the other photo was fine
    assert message in response.context["form"].errors[field(bad_view)][0]
    assert AreaPhoto.objects.count() == 0
    assert stored_files(media) == []


def test_one_bad_photo_among_good_ones_saves_none_of_them(client, nurse, course_sessions, consent, media):
    first, _ = course_sessions
    front, left, right = views_of(first)
    client.force_login(nurse)
    response = client.post(f"/treatments/sessions/{first.pk}/photos/", {
        "stage": "before", field(front): upload(phone_jpeg()), field(left): upload(phone_jpeg()),
        field(right): upload(b"%PDF-1.4 not a photo", "right.jpg"),
    })
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field(right)]
    assert AreaPhoto.objects.count() == 0 and stored_files(media) == []


def test_a_failure_while_storing_leaves_no_file_behind(course_sessions, consent, nurse, media, monkeypatch):
    first, _ = course_sessions
    front, left = views_of(first)[:2]
    pictures = {view: clean_image(io.BytesIO(phone_jpeg()), max_pixels=10_000, thumbnail_side=16)
                for view in (front, left)}
    saves = []
    real_save = AreaPhoto.save

    def save_then_fail(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(AreaPhoto, "save", save_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        photos.photos_add(session=first, stage="before", pictures=pictures, by=nurse)
    assert AreaPhoto.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize("scope", [None, PhotoConsent.Scope.NONE, "withdrawn"])
def test_without_photo_consent_nothing_is_taken_and_the_page_says_how_to_record_it(
    client, nurse, reception, course_sessions, media, scope
):
    first, _ = course_sessions
    if scope == "withdrawn":
        PhotoConsent.objects.create(patient=first.patient, scope=PhotoConsent.Scope.RECORD, recorded_by=reception,
                                    given_at=timezone.now() - DAY, withdrawn_at=timezone.now() - HOUR)
    elif scope:
        PhotoConsent.objects.create(patient=first.patient, scope=scope, given_at=timezone.now(), recorded_by=reception)
    client.force_login(nurse)
    page = client.get(f"/treatments/sessions/{first.pk}/photos/")
    assert b'type="file"' not in page.content
    assert "Hand the tablet to the patient" in page.context["no_consent"]
    response = client.post(f"/treatments/sessions/{first.pk}/photos/",
                           {"stage": "before", field(views_of(first)[0]): upload(phone_jpeg())})
    assert response.status_code == 403
    assert "No photo is taken or kept without it" in response.content.decode()
    assert AreaPhoto.objects.count() == 0 and stored_files(media) == []
    with pytest.raises(photos.PhotoRefused, match="consent to photographs|said no to photographs"):
        photos.photos_add(session=first, stage="before", by=nurse, pictures={
            views_of(first)[0]: clean_image(io.BytesIO(phone_jpeg()), max_pixels=10_000, thumbnail_side=16)})


def test_a_later_no_wins_over_an_earlier_yes(patient, reception):
    PhotoConsent.objects.create(patient=patient, scope="teaching", given_at=timezone.now() - DAY, recorded_by=reception)
    assert photos.consent_allows_photos(photos.current_photo_consent(patient).scope)
    PhotoConsent.objects.create(patient=patient, scope="none", given_at=timezone.now(), recorded_by=reception)
    assert not photos.consent_allows_photos(photos.current_photo_consent(patient).scope)


def test_a_request_larger_than_the_page_takes_is_refused_unread(client, nurse, course_sessions, consent, settings):
    # The middleware looks at a page's own limit only above the default one (DATA_UPLOAD_MAX_MEMORY_SIZE).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    settings.AREA_PHOTO_MAX_BYTES, settings.AREA_PHOTOS_PER_REQUEST = 1024, 2
    first, _ = course_sessions
    client.force_login(nurse)
    response = client.post(f"/treatments/sessions/{first.pk}/photos/",
                           {"stage": "before", field(views_of(first)[0]): upload(b"x" * 200_000, "big.jpg")})
    assert response.status_code == 413
    assert b"No photo was saved" in response.content and b"Zeynep" not in response.content
    assert AreaPhoto.objects.count() == 0


# --- Serving ------------------------------------------------------------------------------------------------------


@pytest.fixture
def taken(course_sessions, consent, nurse) -> AreaPhoto:
    first, _ = course_sessions
    picture = clean_image(io.BytesIO(phone_jpeg()), max_pixels=10_000, thumbnail_side=16)
    return photos.photos_add(session=first, stage="before", pictures={views_of(first)[0]: picture}, by=nurse)[0]


@pytest.mark.parametrize("suffix", ["", "thumbnail/"])
def test_photos_are_served_to_clinical_staff_only_and_never_cached(client, taken, nurse, physician, reception,
                                                                    manager, suffix):
    url = f"/treatments/photos/{taken.pk}/{suffix}"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    for user in (nurse, physician):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "no-store, private"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    for user in (reception, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_no_public_url_serves_the_files(client, taken, nurse):
    client.force_login(nurse)
    for name in (taken.image.name, taken.thumbnail.name):
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/static/{name}").status_code == 404


# --- Comparison ---------------------------------------------------------------------------------------------------


def test_the_comparison_puts_the_first_photo_beside_the_latest_and_any_two_chosen(client, course_sessions, consent,
                                                                                  nurse, physician):
    first, last = course_sessions
    front = views_of(first)[0]

    def take(session, stage):
        picture = clean_image(io.BytesIO(phone_jpeg()), max_pixels=10_000, thumbnail_side=16)
        return photos.photos_add(session=session, stage=stage, pictures={front: picture}, by=nurse)[0]

    before = take(first, "before")
    after_first = take(first, "after")
    retaken_before = take(first, "before")  # a retake replaces the earlier photo of its set
    after_last = take(last, "after")
    client.force_login(physician)
    response = client.get(f"/treatments/courses/{first.course_id}/photos/")
    assert response.status_code == 200
    [pair] = response.context["pairs"]
    assert (pair.left, pair.right) == (retaken_before, after_last)
    assert before.pk not in {pair.left.pk, pair.right.pk}
    chosen = client.get(f"/treatments/courses/{first.course_id}/photos/",
                        {"left": f"{first.pk}-after", "right": f"{last.pk}-after"})
    [pair] = chosen.context["pairs"]
    assert (pair.left, pair.right) == (after_first, after_last)
    sheet = client.get(f"/treatments/courses/{first.course_id}/photos/print/",
                       {"left": f"{first.pk}-after", "right": f"{last.pk}-after"})
    assert sheet.status_code == 200
    assert f'data-photo="{after_first.pk}"' in sheet.content.decode()
    assert f'data-photo="{after_last.pk}"' in sheet.content.decode()
    assert b"data-print" in sheet.content


def test_comparison_pairs_pure():
    """Sorted by the session's time and the stage, not by when the photo was stored; one photo: no right side."""
    view = AreaView(pk=1, category="skin", code="face-front", label="Face, front")
    t0 = timezone.now()

    def photo(pk, session_id, day, stage, taken_minutes):
        session = Session(pk=session_id, scheduled_at=t0 + day * DAY)
        return AreaPhoto(pk=pk, session=session, view=view, stage=stage,
                         taken_at=t0 + dt.timedelta(minutes=taken_minutes))

    late_upload_of_first = photo(1, 10, 0, "before", 500)
    follow_up = photo(2, 30, 60, "follow_up", 10)
    middle = photo(3, 20, 30, "after", 5)
    [pair] = photos.comparison_pairs([follow_up, middle, late_upload_of_first], [view])
    assert (pair.left, pair.right) == (late_upload_of_first, follow_up)
    [alone] = photos.comparison_pairs([middle], [view])
    assert (alone.left, alone.right) == (middle, None)
    [missing] = photos.comparison_pairs([middle], [view], left="20-after", right="30-after")
    assert (missing.left, missing.right) == (middle, None)
    [one_side] = photos.comparison_pairs([follow_up, middle], [view], left="30-follow_up")
    assert (one_side.left, one_side.right) == (follow_up, None)  # the latest is already on the left
    [one_side] = photos.comparison_pairs([follow_up, middle, late_upload_of_first], [view], right="20-after")
    assert (one_side.left, one_side.right) == (late_upload_of_first, middle)
    assert photos.comparison_pairs([middle], [AreaView(pk=2, category="skin", code="x", label="x")]) == []
