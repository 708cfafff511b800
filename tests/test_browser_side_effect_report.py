"""A Turkish patient reports side effects on her phone; a physician closes the report on a tablet.

Zeynep (Turkish) had a session a moment ago. On a phone (390x844, touch, Turkish locale) she opens
the report link from her email, ticks "Kaşıntı veya yanma" and a severity, and is thanked. Later she
reports "Ateş veya titreme": the page asks her to call the clinic now, with a tel: link, and the
supervising physician is emailed (Celery runs the task in-process; Django sends to a real local
SMTP server). The physician signs in on the front-desk tablet, opens Aftercare → Side-effect reports,
opens the escalated report and closes it with a note; it leaves the open list.

The live server runs in this process on the real clock. The ORM is used only to set up and to check
what the pages did.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.links import report_token
from aftercare.models import Reminder, SideEffectReport
from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHYSICIAN_EMAIL = "dr.yilmaz@mesoclinic.example"
CLOSING_NOTE = "Called Zeynep: fever 38.2 since this morning. Seen today at 16:00."


@pytest.fixture
def eager_tasks():
    """Celery runs `.delay()` in-process (our app config does not read CELERY_TASK_ALWAYS_EAGER)."""
    from meso_clinic.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def phone(chromium, live_server):
    """A phone in Turkish: 390x844, touch, mobile meta viewport honoured."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        locale="tr-TR",
        timezone_id="Europe/Istanbul",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fits_the_screen(page) -> bool:
    """Nothing wider than the phone: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_turkish_patient_reports_on_a_phone_and_a_physician_closes_the_report(
    phone, page, patient, reception, nurse, physician, smtp_server, eager_tasks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    patient.preferred_language = "tr"
    patient.save()
    # Set up as the account's address (an update, not a save: a saved change of address would email the
    # physician an account notice, which this test does not look at).
    type(physician).objects.filter(pk=physician.pk).update(email=PHYSICIAN_EMAIL)
    physician.refresh_from_db()
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    sheet = Reminder.objects.get(session=session, kind="aftercare_sheet")
    link = reverse("aftercare:report", args=[report_token(session_id=session.pk, reminder_id=sheet.pk)])

    # --- 1. A mild side effect: thanked, nobody alerted ---------------------------------------------
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Yan etki bildirin")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "tr")
    expect(phone.get_by_role("note")).to_contain_text("112")
    phone.get_by_label("Kaşıntı veya yanma").check()
    phone.get_by_label("Hafif: fark ediliyor, pek rahatsız etmiyor").check()
    expect(phone.get_by_label("Kaşıntı veya yanma")).to_be_checked()
    assert fits_the_screen(phone)
    phone.screenshot(path=screenshot_path("side-effect-1-phone-form"), full_page=True)
    phone.get_by_role("button", name="Bildirimimi gönder").tap()

    received = phone.get_by_test_id("report-received")
    expect(received).to_contain_text("Teşekkürler, bildiriminizi aldık")
    expect(phone.get_by_test_id("call-now")).to_have_count(0)
    phone.screenshot(path=screenshot_path("side-effect-2-phone-thanks"), full_page=True)
    mild = SideEffectReport.objects.get()
    assert (mild.effects, mild.warning_signs, mild.severity) == (["itching_burning"], [], "mild")
    assert (mild.escalated, mild.reminder_id) == (False, sheet.pk)
    assert smtp_server.handler.messages == []

    # --- 2. A warning sign: call the clinic now, the physician is emailed ---------------------------
    phone.goto(link)
    phone.get_by_label("Ateş veya titreme").check()
    phone.get_by_label("Orta: rahatsız ediyor ama günlük işlerimi yapabiliyorum").check()
    phone.get_by_role("button", name="Bildirimimi gönder").tap()

    call_now = phone.get_by_test_id("call-now")
    expect(call_now.get_by_role("heading", name="Lütfen şimdi kliniği arayın")).to_be_visible()
    call = call_now.get_by_role("link", name="+90 212 555 0100 numarayı arayın")
    expect(call).to_have_attribute("href", "tel:+902125550100")
    expect(call).to_be_in_viewport()  # the call button shows without scrolling
    assert fits_the_screen(phone)
    phone.screenshot(path=screenshot_path("side-effect-3-phone-call-now"), full_page=True)
    urgent = SideEffectReport.objects.get(escalated=True)
    assert (urgent.warning_signs, urgent.severity) == (["fever"], "moderate")
    [email] = smtp_server.handler.wait_for(1)
    assert email.rcpt_tos == [PHYSICIAN_EMAIL]
    assert "Zeynep" not in email.message["Subject"] and "Arslan" not in email.message.get_content()

    # --- 3. The physician closes the escalated report on the tablet ---------------------------------
    sign_in(page, "dr_yilmaz", PASSWORD)
    expect(page.get_by_test_id("open-reports")).to_have_text("2")
    page.get_by_role("button", name="Aftercare").click()
    page.get_by_role("link", name="Side-effect reports", exact=True).click()
    expect(page.get_by_role("heading", name="Side-effect reports: open")).to_be_visible()
    rows = page.get_by_role("row").filter(has_text="Zeynep Arslan")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Warning sign")  # escalated first
    expect(rows.first).to_contain_text("Fever or chills")
    page.screenshot(path=screenshot_path("side-effect-4-staff-list"), full_page=True)
    rows.first.get_by_role("link", name="Open").click()

    expect(page.get_by_role("heading", name="Side-effect report: Zeynep Arslan")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Call the patient today: +90 532 111 22 33")
    expect(page.get_by_test_id("severity")).to_contain_text("Moderate")
    page.screenshot(path=screenshot_path("side-effect-5-staff-report"), full_page=True)
    page.get_by_role("button", name="Close with this note").click()
    note = page.get_by_label("What was done")
    expect(note).to_have_attribute("aria-invalid", "true")  # a note is required
    urgent.refresh_from_db()
    assert urgent.status == "open"
    note.fill(CLOSING_NOTE)
    page.get_by_role("button", name="Close with this note").click()

    expect(page.get_by_role("status").filter(has_text="Report closed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Side-effect reports: open")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Fever or chills")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Itching or burning")).to_have_count(1)
    urgent.refresh_from_db()
    assert (urgent.status, urgent.closed_by, urgent.closing_note) == ("closed", physician, CLOSING_NOTE)
    mild.refresh_from_db()
    assert mild.status == "open"
