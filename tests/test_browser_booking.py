"""Booking with a clash on the front desk's tablet (1024x768), in Chromium, through the pages only.

Monday 23 November 2026, 12:30 in Istanbul. Ayşe (nurse) works weekdays 09:00-18:00; the clinic has Room 1 and
Room 2; Ece is booked with Ayşe in Room 1 on Tuesday 10:00-10:45. Selin opens Zeynep's booking form as the calendar's
free slot sends it (Tuesday 10:15, Ayşe, Room 1, her course), books, is refused at the time and the room with the
nearest free times and the free room, taps the nearest (10:45): the form is re-filled and checked; she books it.
Screenshot: var/screenshots/booking-clash.png (the refusal) and booking-clash-chosen.png.
"""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from playwright.sync_api import expect

from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import (
    CREAM,
    DAY,
    NOW,
    VITAMINS,
    approved_screening,
    course_with_consent,
    make_batch,
    make_patient,
    product,
    read_patch_test,
    wrinkles,
)
from treatments.models import Room, Session, WorkingHours
from treatments.services import session_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def clinic(patient, reception, nurse, physician):
    for person in (nurse, physician):
        WorkingHours.objects.bulk_create(
            [WorkingHours(practitioner=person, weekday=d, starts=dt.time(9), ends=dt.time(18)) for d in range(5)]
        )
    rooms = Room.objects.create(name="Room 1"), Room.objects.create(name="Room 2")
    start = NOW - 3 * DAY
    approved_screening(patient, taken_by=reception, physician=physician, at=start)
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=start)
    course, _ = course_with_consent(patient, by=physician, at=start)
    make_batch(product(VITAMINS), "VIT-2611", dt.date(2027, 6, 30))
    session_book(
        patient=make_patient(dt.date(1980, 1, 1), given_name="Ece"), indication=wrinkles(),
        products=[product(CREAM)], technique="gun", practitioner=nurse, supervising_physician=physician,
        scheduled_at=dt.datetime(2026, 11, 24, 10, 0, tzinfo=TZ), booked_by=reception, room=rooms[0], now=NOW,
    )
    return rooms, course


def test_a_clash_offers_the_nearest_free_time_which_books(page, live_server, clinic, patient, reception, nurse):
    rooms, course = clinic
    with time_machine.travel(NOW, tick=True):
        sign_in(page, reception.username, PASSWORD)
        query = urlencode({"at": "2026-11-24T10:15", "practitioner": nurse.pk, "room": rooms[0].pk,
                           "course": course.pk})
        page.goto(f"/treatments/patients/{patient.pk}/sessions/new/?{query}")
        expect(page.get_by_test_id("earliest")).to_contain_text("Earliest treatment:")
        expect(page.get_by_label("Date and time")).to_have_value("2026-11-24T10:15")
        expect(page.get_by_label("Room")).to_have_value(str(rooms[0].pk))
        page.get_by_label(VITAMINS).check()
        page.get_by_label("Fine needles").check()
        page.get_by_label("Supervising physician").select_option(index=1)
        with page.expect_navigation():
            page.get_by_role("button", name="Book session").click()

        # Refused at the time and the room, with the reasons, the nearest free times and the free room.
        expect(page.get_by_text("The practitioner has another session at 10:00 (until 10:45)")).to_be_visible()
        expect(page.get_by_text("The room is taken by another session at 10:00 (until 10:45).")).to_be_visible()
        slots = page.get_by_test_id("pick-slot")
        expect(slots.first).to_have_text("Tue 24 Nov 10:45")
        expect(page.get_by_label(VITAMINS)).to_be_checked()  # what she typed is kept
        assert Session.objects.filter(patient=patient).count() == 0
        page.screenshot(path=screenshot_path("booking-clash"), full_page=True)

        with page.expect_navigation():
            slots.first.click()
        expect(page.get_by_label("Date and time")).to_have_value("2026-11-24T10:45")
        expect(page.get_by_test_id("slot-free")).to_be_visible()
        assert Session.objects.filter(patient=patient).count() == 0  # a chosen time books nothing by itself
        page.screenshot(path=screenshot_path("booking-clash-chosen"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Book session").click()
        expect(page.get_by_text("Session booked. The patient is ready for it.")).to_be_visible()
    session = Session.objects.get(patient=patient)
    assert session.scheduled_at == dt.datetime(2026, 11, 24, 10, 45, tzinfo=TZ)
    assert (session.practitioner, session.room, session.course) == (nurse, rooms[0], course)
    # The page is as wide as the tablet: nothing pushes it sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
