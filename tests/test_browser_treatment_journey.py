"""Patch test to signed-off session, through the pages only.

Zeynep (an adult with an approved screening, set up with the ORM, as is a batch of the vitamin
complex) comes in on Monday 7 December 2026 at 09:30, clinic time. A nurse applies a patch test with
the vitamin complex; it cannot be read yet. A physician asks for a session a quarter of an hour
later: refused at the field, before the patch test can be read, with the earliest moment; she takes
the nearest valid time offered (the next morning), booked but not ready. At that time the test is not
read yet and consent is missing: her sign-off is refused, and she cancels the session. A minute later
the nurse reads the test ("No reaction"); the physician records consent, checks readiness ("Ready"),
books a session, finds it in the calendar's day and signs it off with the batch (expired lots are not
offered) and the health confirmation. The patient page then shows the session as performed, with the
lot number.

The clock is moved with time_machine (tick=True): the live server runs in this process and sees it.
The ORM is used only to set up and to check what the pages did.
"""

import datetime as dt
import re
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from patients.services import screening_decide, screening_take
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import VITAMINS, answers
from treatments.models import Batch, Consent, PatchTest, Product, Session, TreatmentArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = dt.datetime(2026, 12, 7, 6, 30, tzinfo=dt.UTC)  # Monday 7 Dec 2026, 09:30 in Istanbul
LOT, OLD_LOT = "VIT-2612", "VIT-0926"


@pytest.fixture
def catalogue(transactional_db):
    """The catalogue comes from a data migration; a transactional test that ran before this one has
    flushed the tables, so load it again when it is missing."""
    if not TreatmentArea.objects.exists():
        import_module("treatments.migrations.0002_catalogue_data").load(apps, None)


@pytest.fixture
def approved_patient(catalogue, patient, reception, physician):
    screening = screening_take(
        patient=patient, answers=answers(), taken_by=reception, at=START - dt.timedelta(days=2)
    )
    screening_decide(
        screening=screening, decision="approved", reason="No findings.", decided_by=physician,
        at=START - dt.timedelta(days=2) + dt.timedelta(minutes=5),
    )
    vitamins = Product.objects.get(name=VITAMINS)
    Batch.objects.create(product=vitamins, lot_number=LOT, expiry_date=dt.date(2027, 12, 31))
    Batch.objects.create(product=vitamins, lot_number=OLD_LOT, expiry_date=dt.date(2026, 11, 30))
    return patient


def sign_out(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def open_patient(page) -> None:
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name="Arslan, Zeynep").click()
    expect(page.get_by_role("heading", name="Zeynep Arslan")).to_be_visible()


def status_message(page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def fill_booking(page, at: dt.datetime, physician) -> None:
    page.get_by_label("Indication").select_option(label="Skin rejuvenation: Wrinkles")
    page.get_by_label(VITAMINS).check()
    page.get_by_label("Fine needles").check()
    page.get_by_label("Practitioner").select_option(label="Mehmet")
    expect(page.get_by_label("Supervising physician")).to_have_value(str(physician.pk))  # prefilled: herself
    page.get_by_label("Date and time").fill(timezone.localtime(at).strftime("%Y-%m-%dT%H:%M"))


def test_patch_test_then_consent_booking_and_sign_off(page, approved_patient, nurse, physician):
    patient = approved_patient
    with time_machine.travel(START, tick=True) as clock:
        # --- Day 1, 09:30: the nurse applies a patch test --------------------------------------
        sign_in(page, "ayse", PASSWORD)
        open_patient(page)
        page.get_by_role("link", name="Apply patch test").click()
        expect(page.get_by_role("heading", name="Apply a patch test: Zeynep Arslan")).to_be_visible()
        expect(page.get_by_label("Site on the skin")).to_have_value("Inner forearm")
        page.get_by_label(VITAMINS).check()
        page.get_by_role("button", name="Record patch test").click()

        expect(status_message(page, "Patch test recorded. It can be read from 08 Dec 2026 09:30.")).to_be_visible()
        test = PatchTest.objects.get(patient=patient)
        assert [p.name for p in test.products.all()] == [VITAMINS]
        assert (timezone.localtime(test.applied_at).strftime("%d %b %H:%M"), test.applied_by) == (
            "07 Dec 09:30",
            nurse,
        )
        patch_test_item = page.get_by_role("listitem").filter(has_text=f"7 Dec 2026 09:30: {VITAMINS}")
        expect(patch_test_item).to_contain_text("Not read yet")
        patch_test_item.get_by_role("link", name="7 Dec 2026 09:30").click()

        # Not readable yet: the page says from when, and a reading is refused.
        expect(page.get_by_role("heading", name="Patch test: Zeynep Arslan")).to_be_visible()
        too_early = "Too early: this patch test can be read from 08 Dec 2026 09:30 (24 hours after it was applied)."
        expect(status_message(page, too_early)).to_be_visible()
        expect(page.get_by_test_id("patch-result")).to_have_text("Not read yet")
        page.screenshot(path=screenshot_path("treatment-1-patch-test-too-early"), full_page=True)
        page.get_by_label("No reaction").check()
        page.get_by_role("button", name="Record reading").click()
        expect(page.get_by_role("alert").filter(has_text="Not saved:")).to_contain_text(too_early)
        expect(page.get_by_test_id("patch-result")).to_have_text("Not read yet")
        page.screenshot(path=screenshot_path("treatment-1b-patch-read-refused"), full_page=True)
        test.refresh_from_db()
        assert test.read_at is None and test.result == ""
        sign_out(page, "Ayşe")

        # --- Day 1: a session before the patch test can be read is refused; the offered time is booked -----
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page)
        page.get_by_role("link", name="Book a session").click()
        expect(page.get_by_role("heading", name="Book a session: Zeynep Arslan")).to_be_visible()
        too_soon = START + dt.timedelta(minutes=15)
        fill_booking(page, too_soon, physician)
        page.get_by_role("button", name="Book session").click()

        refused = page.get_by_text("Before the patch test can be read: treatment can start from")
        expect(refused).to_contain_text("08 Dec 2026 09:30")  # the earliest moment, at the field
        assert not Session.objects.exists()  # refused: nothing booked
        page.screenshot(path=screenshot_path("treatment-1c-booking-refused-before-24h"), full_page=True)
        page.get_by_test_id("pick-slot").first.click()  # the nearest valid time re-fills the form, checked again
        offered = page.get_by_label("Date and time").input_value()
        assert "2026-12-08T09:30" <= offered < "2026-12-09"
        page.get_by_role("button", name="Book session").click()

        expect(page.get_by_role("heading", name="Session: Zeynep Arslan")).to_be_visible()
        expect(status_message(page, "Session booked, but the patient is not ready yet")).to_be_visible()
        readiness = page.get_by_test_id("readiness")
        expect(readiness).to_contain_text("Not ready yet. Missing:")
        patch_reason = f"The patch test for {VITAMINS} applied 07 Dec 2026 09:30 has not been read yet"
        expect(readiness.get_by_role("listitem").filter(has_text=patch_reason)).to_be_visible()
        expect(readiness).to_contain_text("No informed consent recorded for this course or session.")
        early = Session.objects.get(patient=patient)
        assert timezone.localtime(early.scheduled_at).strftime("%Y-%m-%dT%H:%M") == offered

        sign_out(page, "Mehmet")

        # --- Day 2, the booked time: the patient is in the room, the test not read yet: sign-off refused -------
        clock.move_to(early.scheduled_at, tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page)
        page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text="Booked").get_by_role(
            "link"
        ).first.click()
        page.get_by_label(f"Batch of {VITAMINS}").select_option(label=f"Lot {LOT}, expires 31 Dec 2027")
        page.get_by_label("health and medicines have not changed").check()
        page.get_by_role("button", name="Sign off as performed").click()
        refusal = page.get_by_role("alert").filter(has_text="Not saved:")
        expect(refusal).to_contain_text(patch_reason)
        expect(refusal).to_contain_text("No informed consent recorded")
        expect(page.get_by_test_id("session-status")).to_have_text("Booked")
        page.screenshot(path=screenshot_path("treatment-3b-sign-off-refused"), full_page=True)
        early.refresh_from_db()
        assert early.status == Session.Status.BOOKED and early.session_products.get().batch is None

        page.get_by_role("link", name="Cancel session…").click()  # a confirmation with the reason first
        page.get_by_label("The patient is not ready for treatment (screening, patch test or consent).").check()
        page.get_by_role("button", name="Yes, cancel the session").click()
        expect(status_message(page, "Session cancelled.")).to_be_visible()
        expect(page.get_by_test_id("session-status")).to_have_text("Cancelled")
        sign_out(page, "Mehmet")

        # --- Day 2, 09:31 (24 hours and a minute later): the nurse reads the test ---------------
        clock.move_to(max(START + dt.timedelta(hours=24, minutes=1), timezone.now()), tick=True)
        sign_in(page, "ayse", PASSWORD)
        page.get_by_role("link", name="Patch tests", exact=True).click()
        row = page.get_by_role("row").filter(has_text="Zeynep Arslan")
        expect(row).to_contain_text("Readable now")
        row.get_by_role("link", name="Read").click()
        expect(page.get_by_text("Too early")).to_have_count(0)
        page.get_by_label("No reaction").check()
        page.get_by_role("button", name="Record reading").click()
        expect(status_message(page, "Reading recorded.")).to_be_visible()
        expect(page.get_by_test_id("patch-result")).to_contain_text("No reaction, read 8 Dec 2026 09:31 by Ayşe")
        expect(page.get_by_role("button", name="Record reading")).to_have_count(0)
        test.refresh_from_db()
        assert (test.result, test.read_by) == ("no_reaction", nurse)
        sign_out(page, "Ayşe")

        # --- Day 2: the physician records consent, checks readiness, books and signs off --------
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page)
        patch_test_item = page.get_by_role("listitem").filter(has_text=f"7 Dec 2026 09:30: {VITAMINS}")
        expect(patch_test_item).to_contain_text("Negative")
        page.get_by_role("link", name="Record consent").click()
        expect(page.get_by_role("heading", name="Informed consent: Zeynep Arslan")).to_be_visible()
        expect(page.get_by_label("Consent covers")).to_have_value("")  # one session today only
        page.get_by_label("The patient has read this text").check()
        page.get_by_role("button", name="Record consent").click()
        expect(status_message(page, "Consent recorded.")).to_be_visible()
        assert Consent.objects.get(patient=patient).recorded_by == physician

        page.get_by_role("link", name="Book a session").click()
        soon = (timezone.now() + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
        fill_booking(page, soon, physician)
        page.get_by_role("button", name="Check readiness first").click()
        expect(page.get_by_test_id("readiness")).to_contain_text(
            "Ready: approved screening, negative patch tests and consent are in place."
        )
        expect(page.get_by_label("Date and time")).to_have_value(timezone.localtime(soon).strftime("%Y-%m-%dT%H:%M"))
        page.screenshot(path=screenshot_path("treatment-2-booking-ready"), full_page=True)
        assert Session.objects.filter(status=Session.Status.BOOKED).count() == 0  # a check books nothing

        page.get_by_role("button", name="Book session").click()
        expect(status_message(page, "Session booked. The patient is ready for it.")).to_be_visible()
        expect(page.get_by_test_id("readiness")).to_contain_text("Ready:")
        expect(page.get_by_test_id("session-status")).to_have_text("Booked")
        page.screenshot(path=screenshot_path("treatment-3-session-perform-form"), full_page=True)
        session = Session.objects.get(status=Session.Status.BOOKED)

        # At the booked time she finds the session in the calendar's day (it replaced the day view) and signs it off.
        clock.move_to(soon, tick=True)
        page.get_by_role("link", name="Calendar", exact=True).click()
        page.get_by_role("link", name="Day", exact=True).click()
        block = page.get_by_test_id("cal-block").filter(has_text=timezone.localtime(soon).strftime("%H:%M–"))
        expect(block).to_contain_text("Zeynep Arslan")
        expect(block).to_contain_text("Ready")
        page.screenshot(path=screenshot_path("treatment-3c-calendar-day"), full_page=True)
        block.click()
        expect(page.get_by_label("Performed at")).to_have_value(timezone.localtime(soon).strftime("%Y-%m-%dT%H:%M"))
        batch = page.get_by_label(f"Batch of {VITAMINS}")
        expect(batch.get_by_role("option", name=re.compile(f"Lot {OLD_LOT}"))).to_have_count(0)  # expired: not offered
        batch.select_option(label=f"Lot {LOT}, expires 31 Dec 2027")
        page.get_by_label("health and medicines have not changed").check()
        page.get_by_role("button", name="Sign off as performed").click()

        expect(page.get_by_role("heading", name="Zeynep Arslan")).to_be_visible()
        expect(status_message(page, "Session performed and signed off.")).to_be_visible()
        performed = page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text=f"lot {LOT}")
        expect(performed).to_contain_text("Performed")
        expect(performed).to_contain_text(f"Wrinkles; {VITAMINS} (lot {LOT})")
        cancelled = page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text="Cancelled")
        expect(cancelled).to_have_count(1)
        page.screenshot(path=screenshot_path("treatment-4-patient-performed"), full_page=True)

        session.refresh_from_db()
        assert session.status == Session.Status.PERFORMED and session.performed_by == physician
        assert session.health_unchanged_confirmed and session.consent is not None
        assert session.session_products.get().batch.lot_number == LOT
