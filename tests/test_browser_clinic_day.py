"""A clinic day, and the two days after it, through the pages only (issue 8).

Monday 14 December 2026, 09:00 in Istanbul. Selin at the front desk registers Deniz Kaya (Turkish,
consents to aftercare emails) and takes the intake: Deniz takes ibuprofen, so the screening needs a
physician's review. Dr. Yılmaz approves it with a reason, plans a course of the skin area and records
Deniz's consent to it. Ayşe, the nurse, applies a patch test with the vitamin complex. Dr. Yılmaz, from
the patient page's "Book the next session", asks for ten minutes later: refused at the field, before the
patch test can be read, with the earliest moment (Tuesday 09:20); he takes the nearest valid time offered
(Tuesday morning), booked but not ready yet.

Tuesday, at the booked time: the patch test is not read yet, so his sign-off is refused (the reason is on
the page). Ayşe reads it five minutes later, no reaction; the session was judged at its time, before the
reading, so Dr. Yılmaz moves it a quarter of an hour, sees that Deniz is ready, and signs it off then with
the batch used. The aftercare sheet (Turkish) reaches a local SMTP server at once; "you can wash the area
again" is due 15 hours later, in the night, so it waits for the end of quiet hours (Wednesday 08:00) and
arrives then, not a second earlier.

Wednesday 08:00: Deniz opens the link in that email on her phone and reports itching. Dr. Yılmaz sees
one open report on his dashboard, opens it and closes it with a note.

Also: a 17-year-old cannot be treated, and the pages say why (the patient page as soon as she is registered,
the rules when an intake is taken anyway, the booking page with no form).

Every page on the way is checked with axe-core (no serious or critical violations), every form field
has a label and no status is shown by colour alone (tests/fixtures/a11y.py).

The clock is moved with time_machine (tick=True): the live server runs in this process and sees it.
Emails: with PostgreSQL and Redis (CI) a real Celery worker process sends them; it runs on the real
clock, so this test does what beat does at each moment of the story, in its own process at the moved
time (claim the due reminders, enqueue one send each), as tests/test_aftercare_pipeline.py does.
Without those services (SQLite) the same claimed sends run in this process. The ORM is used only to
set up the catalogue's batch and to check what the pages did.
"""

import datetime as dt
import os
import re
import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from aftercare import services as aftercare_services
from aftercare.models import Reminder, SideEffectReport
from aftercare.tasks import send_reminder
from patients.models import EligibilityScreening, Outcome, Patient
from tests.fixtures.aftercare import wait_until_marked
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import VITAMINS
from tests.test_browser_patient_journey import NSAID, NSAID_FOLLOW_UP, top_level_questions
from tests.test_browser_side_effect_report import fits_the_screen
from tests.test_browser_treatment_journey import sign_out, status_message
from treatments.models import Batch, Course, PatchTest, Product, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = dt.timezone(dt.timedelta(hours=3))  # Istanbul: UTC+03:00 all year
MONDAY = dt.datetime(2026, 12, 14, 9, 0, tzinfo=TZ)
PATCH_READABLE = MONDAY + dt.timedelta(days=1, minutes=20)  # applied Monday 09:20, read from 24 hours later
LOT = "VC-2612-B"
INDICATION = "Skin rejuvenation: Wrinkles"
APPROVAL_REASON = "Ibuprofen only now and then; she pauses it 3 days before and after each session."
CLOSING_NOTE = "Called Deniz: mild itching, no rash. Cold compress advised; she calls again if it spreads."


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def vitamin_batch(transactional_db):
    """The manager received a batch of the vitamin complex (catalogue data, set up in the admin)."""
    return Batch.objects.create(
        product=Product.objects.get(name=VITAMINS), lot_number=LOT, expiry_date=dt.date(2027, 12, 31)
    )


@pytest.fixture
def phone(chromium, live_server):
    """Deniz's phone: 390x844, touch, Turkish."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=live_server.url,
        locale="tr-TR", timezone_id="Europe/Istanbul",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def real_services() -> bool:
    if os.environ.get("MESO_REQUIRE_SERVICES") == "1":
        return True  # CI: the worker must run (the services fixture fails loudly if it cannot)
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL", "").startswith(
        "redis"
    )


@pytest.fixture
def mail_out(request, smtp_server, live_server, settings):
    """`mail_out(at)` does what beat does at the moment `at`: claims the due reminders and enqueues one send
    each. A real Celery worker process sends them when PostgreSQL and Redis are there; else this process does.
    Patients' links point at the live server."""
    settings.SITE_URL = live_server.url
    if real_services():
        worker = request.getfixturevalue("celery_processes")(EMAIL_URL=smtp_server.url, SITE_URL=live_server.url)
        worker.start_worker(concurrency=1)

        def enqueue(pk, token, lease):
            send_reminder.delay(pk, token)
    else:

        def enqueue(pk, token, lease):
            aftercare_services.reminder_send(reminder_id=pk, token=token)

    def dispatch(at: dt.datetime) -> int:
        return aftercare_services.reminders_dispatch(now=at, enqueue=enqueue)

    return dispatch


def register_and_take_intake(
    page, axe, *, given: str, family: str, born: str, email: str, take_intake: bool = True
) -> None:
    """Reception, from the dashboard: register a patient, then take the intake (the NSAID questions are left
    to the caller: every other yes/no question is answered No and every text "none")."""
    axe(page, "dashboard (reception)")
    page.get_by_role("link", name="Register a patient").click()
    expect(page.get_by_role("heading", name="Register a patient")).to_be_visible()
    axe(page, "register a patient")
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Phone", exact=True).fill("+90 533 444 55 66")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Preferred language").select_option(label="Turkish")
    page.get_by_label("Consents to aftercare emails").check()
    page.get_by_role("button", name="Register patient").click()
    expect(status_message(page, f"{given} {family} is registered.")).to_be_visible()
    axe(page, "patient page, just registered")
    if not take_intake:
        return
    expect(page.get_by_test_id("primary-action")).to_have_text("Take intake questionnaire")  # the first step
    page.get_by_test_id("primary-action").click()
    take_the_questionnaire(page, axe, given=given, family=family)


def take_the_questionnaire(page, axe, *, given: str, family: str) -> None:
    expect(page.get_by_role("heading", name=f"Intake questionnaire: {given} {family}")).to_be_visible()
    axe(page, "intake questionnaire")
    for text in top_level_questions("yes_no"):
        if text != NSAID:
            page.get_by_role("group", name=text, exact=True).get_by_label("No", exact=True).check()
    for text in top_level_questions("text"):
        page.get_by_label(text).fill("none")


def open_patient(page, listed_as: str, heading: str) -> None:
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name=listed_as).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def book(page, *, at: dt.datetime, course: str) -> None:
    page.get_by_label("Indication").select_option(label=INDICATION)
    page.get_by_label("Course", exact=True).select_option(label=course)
    page.get_by_label(VITAMINS).check()
    page.get_by_label("Fine needles").check()
    page.get_by_label("Practitioner").select_option(label="Mehmet")
    page.get_by_label("Date and time").fill(local(at))


def test_a_clinic_day_from_registration_to_a_closed_side_effect_report(
    page, phone, axe, live_server, reception, nurse, physician, vitamin_batch, smtp_server, mail_out
):
    started = time.monotonic()
    with time_machine.travel(MONDAY, tick=True) as clock:
        # --- Monday 09:00, the front desk: a new patient and her intake ---------------------------------
        sign_in(page, "selin", PASSWORD)
        register_and_take_intake(
            page, axe, given="Deniz", family="Kaya", born="1990-03-15", email="deniz.kaya@example.com"
        )
        nsaid = page.get_by_role("group", name=NSAID, exact=True)
        nsaid.get_by_label("Yes", exact=True).check()
        page.get_by_label(NSAID_FOLLOW_UP).fill("Ibuprofen 400 mg, now and then")
        page.get_by_role("button", name="Save intake").click()

        expect(status_message(page, "Intake saved: needs physician review.")).to_be_visible()
        findings = page.get_by_test_id("findings")
        expect(findings).to_contain_text("Takes an anti-inflammatory drug (Ibuprofen 400 mg, now and then)")
        expect(page.get_by_text("Awaiting a physician's review.")).to_be_visible()
        axe(page, "screening, needs review")
        patient = Patient.objects.get(given_name="Deniz")
        assert EligibilityScreening.objects.get(patient=patient).outcome == Outcome.NEEDS_REVIEW
        sign_out(page, "Selin")

        # --- 09:10, Dr. Yılmaz: review, a course and consent ------------------------------------------------
        clock.move_to(MONDAY + dt.timedelta(minutes=10), tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        expect(page.get_by_test_id("awaiting-review")).to_have_text("1")
        axe(page, "dashboard (physician)")
        page.get_by_role("link", name="Review queue", exact=True).click()
        axe(page, "review queue")
        row = page.get_by_role("row").filter(has_text="Deniz Kaya")
        expect(row).to_contain_text("Takes an anti-inflammatory drug")
        row.get_by_role("link", name="Review").click()
        axe(page, "screening, physician's decision form")
        page.get_by_label("Approve").check()
        page.get_by_label("Reason").fill(APPROVAL_REASON)
        page.get_by_role("button", name="Record decision").click()
        expect(status_message(page, "Decision recorded for Deniz Kaya.")).to_be_visible()

        open_patient(page, "Kaya, Deniz", "Deniz Kaya")
        status = page.get_by_test_id("eligibility-status")
        expect(status).to_contain_text("Approved until 12 June 2027")  # 180 days
        expect(status).to_contain_text("she pauses it 3 days before")
        axe(page, "patient page, approved")

        page.get_by_role("link", name="Plan a course").click()
        axe(page, "plan a course")
        page.get_by_label("Indication").select_option(label=INDICATION)
        page.get_by_role("button", name="Plan course").click()
        expect(status_message(page, "Course planned: 5 sessions.")).to_be_visible()
        course = Course.objects.get(patient=patient)
        course_label = f"Wrinkles ({course.planned_sessions} sessions)"

        page.get_by_role("link", name="Record consent").click()
        axe(page, "informed consent")
        page.get_by_label("Consent covers").select_option(label="The whole course: Wrinkles")
        page.get_by_label("The patient has read this text").check()
        page.get_by_role("button", name="Record consent").click()
        expect(status_message(page, "Consent recorded.")).to_be_visible()
        sign_out(page, "Mehmet")

        # --- 09:20, Ayşe applies the patch test -------------------------------------------------------------
        clock.move_to(MONDAY + dt.timedelta(minutes=20), tick=True)
        sign_in(page, "ayse", PASSWORD)
        open_patient(page, "Kaya, Deniz", "Deniz Kaya")
        page.get_by_role("link", name="Apply patch test").click()
        axe(page, "apply a patch test")
        page.get_by_label(VITAMINS).check()
        page.get_by_role("button", name="Record patch test").click()
        expect(status_message(page, "Patch test recorded. It can be read from 15 Dec 2026 09:20.")).to_be_visible()
        patch_test_item = page.get_by_role("listitem").filter(has_text=f"14 Dec 2026 09:20: {VITAMINS}")
        expect(patch_test_item).to_contain_text("Not read yet")
        axe(page, "patient page, patch test not read yet")
        sign_out(page, "Ayşe")

        # --- 09:25, refused: a session before the patch test can be read; the earliest time offered instead ----
        clock.move_to(MONDAY + dt.timedelta(minutes=25), tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page, "Kaya, Deniz", "Deniz Kaya")
        page.get_by_test_id("primary-action").click()  # "Book the next session": the checklist's next step
        axe(page, "book a session")
        too_soon = MONDAY + dt.timedelta(minutes=35)
        book(page, at=too_soon, course=course_label)
        page.get_by_role("button", name="Book session").click()
        expect(page.get_by_text("Before the patch test can be read: treatment can start from")).to_contain_text(
            "15 Dec 2026 09:20"
        )
        assert not Session.objects.exists()  # refused at the field: nothing booked
        expect(page.get_by_test_id("earliest")).to_contain_text("Tue 15 Dec 2026 09:20")  # for the chosen products
        axe(page, "book a session, refused before the patch test can be read")
        page.screenshot(path=screenshot_path("clinic-day-1-refused-before-24h"), full_page=True)
        page.get_by_test_id("pick-slot").first.click()  # the nearest valid time re-fills the form and checks it
        offered = page.get_by_label("Date and time").input_value()
        assert local(PATCH_READABLE) <= offered < "2026-12-16"
        page.get_by_role("button", name="Book session").click()
        expect(status_message(page, "Session booked, but the patient is not ready yet")).to_be_visible()
        unread = f"The patch test for {VITAMINS} applied 14 Dec 2026 09:20 has not been read yet"
        not_read = page.get_by_test_id("readiness").get_by_role("listitem").filter(has_text=unread)
        expect(not_read).to_be_visible()
        axe(page, "session, not ready")
        booked = Session.objects.get(patient=patient)
        assert booked.scheduled_at >= PATCH_READABLE and local(booked.scheduled_at) == offered
        sign_out(page, "Mehmet")

        # --- Tuesday, the booked time: Deniz is in the room, the patch test is not read yet: sign-off refused ----
        clock.move_to(booked.scheduled_at, tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page, "Kaya, Deniz", "Deniz Kaya")
        page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text="Booked").get_by_role(
            "link"
        ).first.click()
        page.get_by_label(f"Batch of {VITAMINS}").select_option(label=f"Lot {LOT}, expires 31 Dec 2027")
        page.get_by_label("health and medicines have not changed").check()
        page.get_by_role("button", name="Sign off as performed").click()
        refusal = page.get_by_role("alert").filter(has_text="Not saved:")
        expect(refusal).to_contain_text(unread)
        expect(page.get_by_test_id("session-status")).to_have_text("Booked")
        axe(page, "session, sign-off refused")
        page.screenshot(path=screenshot_path("clinic-day-1b-sign-off-refused"), full_page=True)
        booked.refresh_from_db()
        assert booked.status == Session.Status.BOOKED
        sign_out(page, "Mehmet")

        # --- Five minutes later: the reading, no reaction ---------------------------------------------------
        tuesday = booked.scheduled_at + dt.timedelta(minutes=5)
        clock.move_to(tuesday, tick=True)
        sign_in(page, "ayse", PASSWORD)
        page.get_by_role("link", name="Patch tests", exact=True).click()
        axe(page, "patch tests to read")
        row = page.get_by_role("row").filter(has_text="Deniz Kaya")
        expect(row).to_contain_text("Readable now")
        row.get_by_role("link", name="Read").click()
        axe(page, "patch test, reading form")
        page.get_by_label("No reaction").check()
        page.get_by_role("button", name="Record reading").click()
        expect(status_message(page, "Reading recorded.")).to_be_visible()
        read_at = timezone.localtime(tuesday).strftime("%H:%M")
        expect(page.get_by_test_id("patch-result")).to_contain_text(f"No reaction, read 15 Dec 2026 {read_at} by Ayşe")
        axe(page, "patch test, read")
        assert PatchTest.objects.get(patient=patient).result == "no_reaction"
        sign_out(page, "Ayşe")

        # --- Five minutes later: read after the booked time, so Dr. Yılmaz moves the session past the reading ----
        clock.move_to(tuesday + dt.timedelta(minutes=5), tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        open_patient(page, "Kaya, Deniz", "Deniz Kaya")
        page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text="Booked").get_by_role(
            "link"
        ).first.click()
        expect(page.get_by_test_id("readiness")).to_contain_text(  # judged at the booked time, before the reading
            f"The patch test for {VITAMINS} applied 14 Dec 2026 09:20 was not read yet at the session"
        )
        booked_for = booked.scheduled_at + dt.timedelta(minutes=15)  # the next quarter hour after the reading
        page.get_by_label("New date and time").fill(local(booked_for))
        page.get_by_role("button", name="Move the session").click()
        expect(page.get_by_test_id("readiness")).to_contain_text(
            "Ready: approved screening, negative patch tests and consent are in place."
        )
        axe(page, "session moved, ready")
        booked.refresh_from_db()
        assert booked.scheduled_at == booked_for and booked.status == Session.Status.BOOKED

        clock.move_to(booked_for, tick=True)
        page.reload()
        axe(page, "session, perform and sign off")
        page.get_by_label(f"Batch of {VITAMINS}").select_option(label=f"Lot {LOT}, expires 31 Dec 2027")
        page.get_by_label("health and medicines have not changed").check()
        page.get_by_role("button", name="Sign off as performed").click()
        expect(status_message(page, "Session performed and signed off.")).to_be_visible()
        performed_item = page.get_by_test_id("patient-sessions").get_by_role("listitem").filter(has_text="Performed")
        expect(performed_item).to_contain_text(f"Wrinkles; {VITAMINS} (lot {LOT})")
        expect(page.get_by_test_id("course-progress")).to_have_text("1 of 5 done")
        axe(page, "patient page, session performed")
        page.screenshot(path=screenshot_path("clinic-day-2-performed"), full_page=True)
        session = Session.objects.get(patient=patient, status=Session.Status.PERFORMED)
        assert session.course == course and session.session_products.get().batch == vitamin_batch

        # The aftercare sheet to hand over, in Deniz's language.
        performed_item.get_by_role("link").click()
        page.get_by_role("link", name="Print aftercare sheet").click()
        sheet = page.get_by_test_id("aftercare-sheet")
        expect(sheet.get_by_role("heading", name="Bakım talimatlarınız", exact=True)).to_be_visible()
        expect(sheet).to_contain_text("İlk 10-15 saat boyunca uygulama bölgesine su değdirmeyin.")
        expect(sheet).to_have_attribute("lang", "tr")
        axe(page, "aftercare sheet")

        # --- The aftercare emails: the sheet at once; "wash again" after quiet hours -------------------------
        reminders = {r.kind: r for r in Reminder.objects.filter(session=session)}
        assert reminders["aftercare_sheet"].due_at == session.performed_at
        assert mail_out(session.performed_at) == 1
        [sheet_email] = smtp_server.handler.wait_for(1, timeout=60)
        assert sheet_email.rcpt_tos == ["deniz.kaya@example.com"]
        assert sheet_email.message["Subject"] == "Bakım talimatlarınız · MesoClinic"  # no patient data
        text = sheet_email.message.get_body(("plain",)).get_content()
        assert "Merhaba Deniz" in text and "İlk 10-15 saat boyunca uygulama bölgesine su değdirmeyin." in text
        wait_until_marked(reminders["aftercare_sheet"])  # before dispatching 22 h later, past its lease

        wash = reminders["wash_makeup_ok"]  # 15 h after the morning is past midnight: quiet hours, so 08:00
        assert timezone.localtime(wash.due_at) == dt.datetime(2026, 12, 16, 8, 0, tzinfo=TZ)
        assert mail_out(wash.due_at - dt.timedelta(seconds=1)) == 0  # nothing is sent before it is due
        assert mail_out(wash.due_at) == 1
        received = smtp_server.handler.wait_for(2, timeout=60)
        wash_email = received[1].message
        # (Python's email package folds this longer non-ASCII subject onto a continuation line: a leading space.)
        assert wash_email["Subject"].strip() == "Bölgeyi artık yıkayabilirsiniz · MesoClinic"
        assert len(received) == 2
        links = re.findall(r"https?://\S+/r/\S+/", wash_email.get_body(("plain",)).get_content())
        assert links and links[0].startswith(f"{live_server.url}/r/")
        sign_out(page, "Mehmet")

        # --- Wednesday 08:00: Deniz reports itching on her phone -------------------------------------------
        clock.move_to(wash.due_at + dt.timedelta(minutes=5), tick=True)
        phone.goto(links[0])
        expect(phone.get_by_role("heading", name="Yan etki bildirin")).to_be_visible()
        expect(phone.locator("html")).to_have_attribute("lang", "tr")
        axe(phone, "patient's report page (phone)")
        phone.get_by_label("Kaşıntı veya yanma").check()
        phone.get_by_label("Hafif: fark ediliyor, pek rahatsız etmiyor").check()
        assert fits_the_screen(phone)
        phone.get_by_role("button", name="Bildirimimi gönder").tap()
        expect(phone.get_by_test_id("report-received")).to_contain_text("Teşekkürler, bildiriminizi aldık")
        axe(phone, "patient's report received (phone)")
        phone.screenshot(path=screenshot_path("clinic-day-3-phone-report"), full_page=True)
        report = SideEffectReport.objects.get(session=session)
        assert (report.effects, report.severity, report.escalated) == (["itching_burning"], "mild", False)
        assert report.reminder_id == wash.pk

        # --- 08:30: Dr. Yılmaz sees it on his dashboard and closes it --------------------------------------
        clock.move_to(wash.due_at + dt.timedelta(minutes=30), tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        expect(page.get_by_test_id("open-reports")).to_have_text("1")
        axe(page, "dashboard with an open report")
        page.get_by_role("link", name=re.compile("Open side-effect reports")).click()
        row = page.get_by_role("row").filter(has_text="Deniz Kaya")
        expect(row).to_contain_text("Itching or burning")
        expect(row).to_contain_text("Mild")
        axe(page, "side-effect reports")
        row.get_by_role("link", name="Open").click()
        expect(page.get_by_role("heading", name="Side-effect report: Deniz Kaya")).to_be_visible()
        expect(page.get_by_test_id("effects")).to_have_text("Itching or burning")
        axe(page, "side-effect report")
        page.get_by_label("What was done").fill(CLOSING_NOTE)
        page.get_by_role("button", name="Close with this note").click()
        expect(status_message(page, "Report closed.")).to_be_visible()
        expect(page.get_by_text("No open report.")).to_be_visible()
        page.get_by_role("link", name="Dashboard").click()
        expect(page.get_by_test_id("open-reports")).to_have_text("0")
        report.refresh_from_db()
        assert (report.status, report.closed_by, report.closing_note) == ("closed", physician, CLOSING_NOTE)

    print(f"\nclinic day: {len(axe.checked)} pages checked with axe-core in {time.monotonic() - started:.1f} s")
    assert len(axe.checked) >= 25


def test_a_17_year_old_cannot_be_treated_and_the_pages_say_why(page, axe, reception, physician):
    with time_machine.travel(MONDAY, tick=True) as clock:
        sign_in(page, "selin", PASSWORD)
        register_and_take_intake(
            page, axe, given="Ece", family="Demir", born="2009-06-01", email="ece.demir@example.com",
            take_intake=False,
        )
        # The patient page says at once why, and offers neither an intake nor any treatment step before she is 18.
        under_age = "The patient is 17: no one under 18 is treated (she is 18 on 1 June 2027)."
        expect(page.get_by_test_id("step-screening")).to_contain_text(under_age)
        expect(page.get_by_test_id("stop-reason")).to_have_text("No treatment can be planned.")
        expect(page.get_by_test_id("next-actions")).to_have_count(0)
        expect(page.get_by_role("link", name="Take intake questionnaire")).to_have_count(0)
        # An intake taken anyway (the questionnaire's typed address) runs the rules, which refuse her too.
        ece = Patient.objects.get(given_name="Ece")
        page.goto(f"/patients/{ece.pk}/intake/")
        take_the_questionnaire(page, axe, given="Ece", family="Demir")
        page.get_by_role("group", name=NSAID, exact=True).get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Save intake").click()

        expect(page.get_by_role("heading", name="Rules' outcome: Not eligible")).to_be_visible()
        expect(page.get_by_test_id("findings")).to_contain_text(
            "Not eligible (cannot be overridden): Aged 17 on 2026-12-14, under the minimum age of 18"
        )
        axe(page, "screening, under age")
        sign_out(page, "Selin")

        clock.move_to(MONDAY + dt.timedelta(minutes=10), tick=True)
        sign_in(page, "dr_yilmaz", PASSWORD)
        page.get_by_role("link", name="Review queue", exact=True).click()
        expect(page.get_by_role("row").filter(has_text="Ece Demir")).to_have_count(0)  # nothing to decide
        open_patient(page, "Demir, Ece", "Ece Demir")
        expect(page.get_by_test_id("eligibility-status")).to_contain_text("Not eligible")
        expect(page.get_by_text("No treatment can be planned.")).to_be_visible()
        expect(page.get_by_test_id("step-screening")).to_contain_text(under_age)
        axe(page, "patient page, under age")
        page.get_by_role("link", name="Open the latest screening").click()
        expect(page.get_by_text("No one can approve this screening.")).to_be_visible()
        expect(page.get_by_role("button", name="Record decision")).to_have_count(0)

        page.get_by_role("link", name="Ece Demir").click()
        expect(page.get_by_test_id("next-actions")).to_have_count(0)  # a hard stop: no treatment action at all
        # The booking page's typed address: no form at all, and the reason (it refused a filled form before).
        page.goto(f"/treatments/patients/{ece.pk}/sessions/new/")
        hard_stop = page.get_by_test_id("hard-stop")
        expect(hard_stop).to_contain_text("This patient cannot be booked.")
        expect(hard_stop).to_contain_text("under 18")
        expect(page.get_by_role("button", name="Book session")).to_have_count(0)
        expect(page.get_by_label("Date and time")).to_have_count(0)
        axe(page, "book a session, under age")
        page.screenshot(path=screenshot_path("clinic-day-4-under-age"), full_page=True)
        assert not Session.objects.exists()
