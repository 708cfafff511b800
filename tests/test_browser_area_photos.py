"""Before and after photos on the clinic's tablet (1024x768), through the pages only (issue 16).

Zeynep's skin course: her first session was four weeks ago, the last one is today; she gave her photo consent
for her record. The nurse opens the first session's Photos page, takes the three standard views of the face
(front, left, right) as "Before" with the tablet's camera (set_input_files on the camera inputs), then the last
session's as "After"; she compares them (first against latest, each view side by side) and opens the sheet to
print for the patient, printed to PDF. Screenshots var/screenshots/area-photos-<1..5>.png.
"""

import datetime as dt
import io
import time

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import HOUR, product
from tests.test_area_photos import phone_jpeg
from treatments.models import AreaPhoto, PhotoConsent
from treatments.services import session_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWS = ("Face, front", "Face, left", "Face, right")


def camera_photo(tmp_path, name: str, colour: tuple[int, int, int], label: str) -> dict:
    """A phone's JPEG as the camera input hands it over (with EXIF: make, GPS, orientation)."""
    base = Image.open(io.BytesIO(phone_jpeg(1200, 900, colour)))
    ImageDraw.Draw(base).text((40, 40), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    base.save(buffer, format="JPEG", exif=Image.open(io.BytesIO(phone_jpeg(8, 6))).getexif(), quality=90)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def images_loaded(page, timeout: float = 10.0) -> None:
    """Every picture on the page decoded. Polled from here: wait_for_function evaluates its string in the page,
    which the page's CSP (script-src 'self', no unsafe-eval) refuses."""
    check = "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    deadline = time.monotonic() + timeout
    while not page.evaluate(check):
        assert time.monotonic() < deadline, "pictures not loaded"
        page.wait_for_timeout(50)


def test_before_at_the_first_session_after_at_the_last_compared_and_printed(
    page, live_server, patient, reception, nurse, physician, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    now = timezone.now()
    first = performed_session(patient, reception=reception, nurse=nurse, physician=physician,
                              now=now - dt.timedelta(days=28))
    last = session_book(
        patient=patient, course=first.course, indication=first.indication,
        products=[product("Revitalising vitamin complex")], technique="needles", practitioner=physician,
        supervising_physician=physician, scheduled_at=now + HOUR, booked_by=reception,
    )
    PhotoConsent.objects.create(patient=patient, scope=PhotoConsent.Scope.RECORD, given_at=now - dt.timedelta(days=30),
                                recorded_by=reception)
    sign_in(page, nurse.username, PASSWORD)

    # The first session: its page has the Photos button; the photo page offers "Before" first.
    page.goto(f"/treatments/sessions/{first.pk}/")
    page.get_by_role("link", name="Photos").click()
    expect(page.get_by_role("heading", name=f"Photos: {patient.full_name}")).to_be_visible()
    expect(page.get_by_label("Before")).to_be_checked()
    for index, view in enumerate(VIEWS):
        camera = page.get_by_label(view)
        assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
        camera.set_input_files(camera_photo(tmp_path, f"IMG_00{index}.JPG", (200, 90, 80), f"before {view}"))
    page.screenshot(path=screenshot_path("area-photos-1"), full_page=True)
    page.get_by_role("button", name="Save the photos").click()
    expect(page.get_by_text("3 photo(s) saved.")).to_be_visible()
    for code in ("face-front", "face-left", "face-right"):
        expect(page.get_by_test_id(f"taken-{code}-before")).to_be_visible()
    images_loaded(page)
    page.screenshot(path=screenshot_path("area-photos-2"), full_page=True)

    # The last session: "After" is offered now that the course has photos.
    page.goto(f"/treatments/sessions/{last.pk}/photos/")
    expect(page.get_by_label("After")).to_be_checked()
    for index, view in enumerate(VIEWS):
        page.get_by_label(view).set_input_files(
            camera_photo(tmp_path, f"IMG_10{index}.JPG", (235, 190, 170), f"after {view}"))
    page.get_by_role("button", name="Save the photos").click()
    expect(page.get_by_text("3 photo(s) saved.")).to_be_visible()
    assert AreaPhoto.objects.filter(session=first, stage="before").count() == 3
    assert AreaPhoto.objects.filter(session=last, stage="after").count() == 3

    # Compare: each view, the first session's before on the left, the last session's after on the right.
    page.get_by_role("link", name="Compare the course's photos").click()
    expect(page.get_by_role("heading", name=f"Compare photos: {patient.full_name}")).to_be_visible()
    for code in ("face-front", "face-left", "face-right"):
        before = AreaPhoto.objects.get(session=first, view__code=code)
        after = AreaPhoto.objects.get(session=last, view__code=code)
        expect(page.get_by_test_id(f"left-{code}").locator("img")).to_have_attribute("data-photo", str(before.pk))
        expect(page.get_by_test_id(f"right-{code}").locator("img")).to_have_attribute("data-photo", str(after.pk))
    # The photos are shown (decoded by the browser), and the two sides of a view fit the tablet's width.
    front_left = page.get_by_test_id("left-face-front").locator("img")
    assert front_left.evaluate("img => img.complete && img.naturalWidth") == 900  # upright: 900 x 1200
    left_box = page.get_by_test_id("left-face-front").bounding_box()
    right_box = page.get_by_test_id("right-face-front").bounding_box()
    assert left_box["y"] == right_box["y"] and right_box["x"] + right_box["width"] <= 1024
    images_loaded(page)
    page.screenshot(path=screenshot_path("area-photos-3"))

    # Any two: the first session's before against itself is allowed too; here, back to first vs latest.
    first_day = date_format(timezone.localtime(first.scheduled_at), "j M Y")
    page.get_by_label("Left").select_option(label=f"{first_day} · Before")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_test_id("right-face-front").locator("img")).to_have_attribute(
        "data-photo", str(AreaPhoto.objects.get(session=last, view__code="face-front").pk))

    # The sheet for the patient, printed.
    page.get_by_role("link", name="Comparison sheet to print").click()
    expect(page.get_by_test_id("photo-sheet")).to_be_visible()
    page.screenshot(path=screenshot_path("area-photos-4"), full_page=True)
    images_loaded(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("nav.navbar")).to_be_hidden()
    page.screenshot(path=screenshot_path("area-photos-5"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000
    with open(screenshot_path("area-photos-sheet").removesuffix(".png") + ".pdf", "wb") as out:
        out.write(pdf)
