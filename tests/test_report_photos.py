"""Patients' photos keep nothing but their pixels, and the public report page cannot be made to decode or
read without limit (issue 12).

- A phone's JPEG with its GPS position, make and model, a comment, and EXIF orientation 6 (taken with the
  phone held upright): what is stored has none of them, and is upright (taller than wide).
- A PNG of 20000 x 20000 pixels in 48 KB (a decompression bomb; it answered 500) and one over
  PHOTO_MAX_PIXELS: refused at the photo field, nothing stored.
- A cut-off JPEG and a text file named .jpg: refused at the photo field.
- A body declaring more than the photo's limit and the form's room: refused from its Content-Length (413, the
  form again with the message), without a byte of it read; the page's CSRF token still works.

meso_clinic/core/images.py is pure, so it is also tested here without the web.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from aftercare.links import report_token
from aftercare.models import SideEffectReport
from meso_clinic.core.images import ImageRefused, clean_image
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import NOW

IPHONE = {"Make": "Apple", "Model": "iPhone 15 Pro"}
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (41.0, 2.0, 3.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (28.0, 58.0, 47.25)}
TOO_MANY_PIXELS = (
    "This picture is too large in pixels. Please send a photo of up to 40 megapixels, such as one taken with "
    "your phone's camera."
)
NOT_A_PICTURE = "This file is not a picture. Please send a JPEG or PNG photo."


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def session(patient, reception, nurse, physician):
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


def report_url(session) -> str:
    return f"/r/{report_token(session_id=session.pk, reminder_id=None)}/"


def phone_jpeg(width: int = 64, height: int = 48) -> bytes:
    """A landscape-stored JPEG as a phone writes it: left half red, right half blue, 'rotate 90' in EXIF."""
    picture = Image.new("RGB", (width, height), (220, 30, 30))
    picture.paste((30, 30, 220), (width // 2, 0, width, height))
    exif = picture.getexif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = IPHONE["Make"], IPHONE["Model"]
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, comment=b"Zeynep's phone", quality=95)
    return buffer.getvalue()


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def post_photo(client, session, name: str, content: bytes, content_type: str = "image/jpeg"):
    return client.post(
        report_url(session),
        {"effects": ["swelling"], "severity": "mild", "description": "Swollen since this morning.",
         "photo": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- Through the report page ---------------------------------------------------------------------


def test_a_phone_photo_is_stored_upright_without_its_gps_position_make_or_comment(client, session, media):
    sent = phone_jpeg()
    assert b"Apple" in sent and b"Zeynep's phone" in sent  # what a phone's file carries
    response = post_photo(client, session, "IMG_0001.jpg", sent)
    assert "Thank you, we have your report" in response.content.decode()

    report = SideEffectReport.objects.get()
    stored = (media / report.photo.name).read_bytes()
    assert report.photo.name.endswith(".jpg") and "IMG_0001" not in report.photo.name
    for trace in (b"Apple", b"iPhone", b"Exif", b"Zeynep", b"http://ns.adobe.com/xap"):
        assert trace not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.format == "JPEG"
        assert dict(picture.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(picture.info)
        # Orientation 6 applied: 64 x 48 as stored by the phone, 48 x 64 as seen; the red half now on top.
        assert picture.size == (48, 64)
        red, green, blue = picture.convert("RGB").getpixel((24, 8))
        assert red > 180 and blue < 80


def test_a_png_keeps_its_format_and_loses_its_text_and_transparency(client, session, media):
    picture = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    picture.paste((200, 90, 90, 255), (0, 0, 20, 30))
    info = PngInfo()
    info.add_text("Author", "Zeynep Arslan")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", pnginfo=info)
    post_photo(client, session, "arm.png", buffer.getvalue(), "image/png")

    stored = (media / SideEffectReport.objects.get().photo.name).read_bytes()
    assert b"Zeynep" not in stored
    with Image.open(io.BytesIO(stored)) as png:
        assert (png.format, png.mode, png.size) == ("PNG", "RGB", (40, 30))
        assert png.getpixel((35, 15)) == (255, 255, 255)  # transparent: on white, as the page shows it


@pytest.mark.parametrize(
    "size", [(20000, 20000), (7000, 7000)], ids=["48 KB bomb (Pillow's own limit)", "49 MP (PHOTO_MAX_PIXELS)"]
)
def test_a_picture_with_too_many_pixels_is_refused_at_the_photo_field(client, session, media, size):
    bomb = bomb_png(*size)
    assert len(bomb) < 60_000
    response = post_photo(client, session, "arm.png", bomb, "image/png")
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {"photo": [TOO_MANY_PIXELS]}
    page = response.content.decode()
    assert TOO_MANY_PIXELS.replace("'", "&#x27;") in page and "Swollen since this morning." in page
    assert not SideEffectReport.objects.exists() and not stored_files(media)


def test_the_pixel_limit_is_a_setting(client, session, media, settings):
    settings.PHOTO_MAX_PIXELS = 2000
    response = post_photo(client, session, "arm.jpg", phone_jpeg(64, 48))
    assert dict(response.context["form"].errors)["photo"][0].startswith("This picture is too large in pixels.")
    assert not SideEffectReport.objects.exists()


@pytest.mark.parametrize(
    "content",
    [phone_jpeg(400, 300)[:2500], b"\xff\xd8\xff\xe0 just text named like a photo\n" * 30, b"%PDF-1.7\n" * 50],
    ids=["a cut-off JPEG", "text renamed .jpg", "a PDF renamed .jpg"],
)
def test_a_damaged_picture_or_a_renamed_file_is_refused_at_the_photo_field(client, session, media, content):
    response = post_photo(client, session, "arm.jpg", content)
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {"photo": [NOT_A_PICTURE]}
    assert not SideEffectReport.objects.exists() and not stored_files(media)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads from it."""

    reads = 0

    def read(self, size=-1):
        Unreadable.reads += 1
        raise AssertionError("the body was read")

    readline = read


def unread_body(declared: int) -> dict:
    """What the server sees of a multipart POST that declares `declared` bytes: the headers, and a body that
    must not be read. (The test client sets the content type only with data, so it is given here.)"""
    Unreadable.reads = 0
    return {"CONTENT_TYPE": "multipart/form-data; boundary=xyz", "CONTENT_LENGTH": str(declared),
            "wsgi.input": Unreadable()}


def test_a_body_longer_than_the_photo_limit_is_refused_from_its_length_before_it_is_read(session, media, settings):
    browser = Client(enforce_csrf_checks=True)
    url = report_url(session)
    browser.get(url)
    declared = settings.REPORT_PHOTO_MAX_BYTES + 80 * 1024  # the photo's 5 MB and more than the form's room
    response = browser.generic("POST", url, b"", **unread_body(declared))
    assert Unreadable.reads == 0
    assert response.status_code == 413
    page = response.content.decode()
    # Once: above the form, not again by crispy inside it (seen on the phone's screenshot).
    assert page.count("Your report was not sent. Please tick your answers again and choose a smaller photo.") == 1
    assert "This photo is too large (5.1 MB). Please send one of up to 5 MB." in page
    assert not SideEffectReport.objects.exists() and not stored_files(media)

    # The form it shows sends a report (its CSRF token is the page's own).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    sent = browser.post(url, {"csrfmiddlewaretoken": token, "effects": ["redness"], "severity": "mild"})
    assert sent.status_code == 302 and SideEffectReport.objects.count() == 1


def test_a_long_body_to_any_other_page_is_refused_from_its_length(client, settings):
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client.generic("POST", "/accounts/login/", b"", **unread_body(declared))
    assert Unreadable.reads == 0
    assert response.status_code == 413


def test_a_photo_just_over_the_limit_still_gets_the_field_message(client, session, settings):
    """Up to the page's room the body is read, and the field says what is wrong (the request limit is above)."""
    too_big = settings.REPORT_PHOTO_MAX_BYTES + 1
    response = post_photo(client, session, "arm.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (too_big - 4))
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {
        "photo": ["This photo is too large (5.0 MB). Please send one of up to 5 MB."]
    }


# --- The pure module -----------------------------------------------------------------------------


def test_clean_image_refuses_a_bomb_from_its_header_without_decoding_it():
    with pytest.raises(ImageRefused) as refused:
        clean_image(io.BytesIO(bomb_png(7000, 7000)), max_pixels=40_000_000)
    assert (refused.value.reason, refused.value.size) == (ImageRefused.TOO_MANY_PIXELS, (7000, 7000))


def test_clean_image_refuses_pillows_decompression_bomb_warning_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 40 x 30 = 1200: over Pillow's warning, under ours
    with pytest.raises(ImageRefused) as refused:
        clean_image(io.BytesIO(phone_jpeg(40, 30)), max_pixels=40_000_000)
    assert refused.value.reason == ImageRefused.TOO_MANY_PIXELS


def test_clean_image_keeps_jpeg_as_jpeg_and_png_as_png_and_refuses_other_formats():
    assert clean_image(io.BytesIO(phone_jpeg()), max_pixels=10**6).content_type == "image/jpeg"
    assert clean_image(io.BytesIO(bomb_png(30, 20)), max_pixels=10**6).extension == "png"
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ImageRefused) as refused:
        clean_image(gif, max_pixels=10**6, formats=("JPEG", "PNG"))
    assert refused.value.reason == ImageRefused.FORMAT
