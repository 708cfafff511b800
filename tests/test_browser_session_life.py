"""The session's life on the front desk's tablet (1024x768, issue 14): Selin checks Zeynep in from the session
page, then cancels another session of hers with a reason after the confirmation step. Screenshots of the session
page with its actions and of the cancel confirmation (var/screenshots/session-life-*.png).

Monday 14 December 2026, 10:00 in Istanbul (time_machine, tick=True: the live server runs in this process).
The sessions are set up through the services; everything else is done on the pages."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from patients.services import screening_decide, screening_take
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import VITAMINS, answers, course_with_consent, product, read_patch_test
from tests.test_browser_treatment_journey import status_message
from treatments.models import Session
from treatments.services import session_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = dt.timezone(dt.timedelta(hours=3))  # Istanbul
MONDAY = dt.datetime(2026, 12, 14, 10, 0, tzinfo=TZ)
DAY, HOUR, MINUTE = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)


def test_reception_checks_a_patient_in_and_cancels_a_session_with_a_reason(
    page, axe, patient, reception, nurse, physician
):
    with time_machine.travel(MONDAY, tick=True):
        screening = screening_take(patient=patient, answers=answers(), taken_by=reception, at=MONDAY - 10 * DAY)
        screening_decide(screening=screening, decision="approved", reason="Reviewed with the patient.",
                         decided_by=physician, at=MONDAY - 10 * DAY + MINUTE,
                         instructions="Pause ibuprofen 3 days before the session.")
        vitamins = product(VITAMINS)
        read_patch_test(patient, [vitamins], nurse=nurse, applied_at=MONDAY - 3 * DAY)
        course, _ = course_with_consent(patient, by=reception, at=MONDAY - 2 * HOUR)

        def book(at: dt.datetime) -> Session:
            return session_book(
                patient=patient, course=course, indication=course.indication, products=[vitamins],
                technique="needles", practitioner=physician, supervising_physician=physician, scheduled_at=at,
                booked_by=reception,
            )

        today = book(MONDAY + 30 * MINUTE)
        next_week = book(MONDAY + 7 * DAY)

        sign_in(page, "selin", PASSWORD)
        page.goto(f"/treatments/sessions/{today.pk}/")
        expect(page.get_by_test_id("session-status")).to_have_text("Booked")
        expect(page.get_by_test_id("session-instructions")).to_contain_text("Pause ibuprofen 3 days before")
        actions = page.get_by_test_id("session-actions")
        expect(actions.get_by_role("button", name="Arrived")).to_be_visible()
        expect(actions.get_by_role("button", name="No-show")).to_have_count(0)  # her time has not come
        axe(page, "session page, booked")
        page.screenshot(path=screenshot_path("session-life-1-booked"), full_page=True)

        actions.get_by_role("button", name="Arrived").click()
        expect(status_message(page, "Checked in: the patient has arrived.")).to_be_visible()
        expect(page.get_by_test_id("session-status")).to_have_text("Arrived")
        expect(page.get_by_test_id("session-arrived")).to_have_text("Arrived at 10:00")
        expect(page.get_by_role("button", name="Move the session")).to_have_count(0)  # an arrived one stays put
        page.screenshot(path=screenshot_path("session-life-2-arrived"), full_page=True)
        today.refresh_from_db()
        assert today.status == Session.Status.ARRIVED

        page.goto(f"/treatments/sessions/{next_week.pk}/")
        page.get_by_role("link", name="Cancel session…").click()
        expect(page.get_by_role("heading", name="Cancel this session?")).to_be_visible()
        expect(page.get_by_test_id("cancel-patient-told")).to_contain_text("She is not told the reason.")
        page.get_by_role("button", name="Yes, cancel the session").click()  # no reason chosen: refused
        expect(page.get_by_text("Choose why the session is cancelled.").first).to_be_visible()
        page.get_by_label("Other (say below)").check()
        page.get_by_label("In your words").fill("Her flight home was moved to Sunday.")
        axe(page, "cancel confirmation")
        page.screenshot(path=screenshot_path("session-life-3-cancel-confirmation"), full_page=True)
        assert Session.objects.get(pk=next_week.pk).status == Session.Status.BOOKED  # nothing yet
        page.get_by_role("button", name="Yes, cancel the session").click()
        expect(status_message(page, "Session cancelled.")).to_be_visible()
        expect(page.get_by_test_id("session-status")).to_have_text("Cancelled")
        expect(page.get_by_test_id("session-cancel-reason")).to_contain_text("Her flight home was moved to Sunday.")
        page.screenshot(path=screenshot_path("session-life-4-cancelled"), full_page=True)
        next_week.refresh_from_db()
        assert (next_week.status, next_week.cancel_reason) == ("cancelled", "Her flight home was moved to Sunday.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024  # nothing wider than the tablet
