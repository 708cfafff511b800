"""Accessibility and printing (issue 8).

- Pages outside the clinic day (tests/test_browser_clinic_day.py checks every page of that day with
  axe-core): the sign-in page and the patients' link pages pass too.
- Keyboard only: Selin fills the whole intake questionnaire with Tab, Space, Enter and the arrow keys that
  move between the answers of one question, and saves it; the screening shows what she answered.
- Printing: the intake form, the patient's aftercare sheet and the consent print without the navigation
  and buttons, with their content, and Chromium makes a PDF of each.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.links import report_token
from aftercare.models import Reminder
from patients import questionnaire
from patients.models import EligibilityScreening, Patient
from tests.fixtures.a11y import assert_accessible, unlabelled_fields
from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from treatments.services import session_book

NSAID_KEY, NSAID_NAME_KEY = "takes_nsaid", "nsaid_name"
IBUPROFEN = "Ibuprofen 200 mg, for headaches"


# --- axe-core on the pages outside the clinic day ---------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_and_the_patients_link_pages_pass_axe(page, axe, patient, reception, nurse, physician):
    page.goto("/accounts/login/")
    axe(page, "sign in")
    page.get_by_label("Username").fill("selin")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("enter a correct username and password")).to_be_visible()
    axe(page, "sign in, refused")

    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    sheet = Reminder.objects.get(session=session, kind="aftercare_sheet")
    page.goto(reverse("aftercare:report", args=[report_token(session_id=session.pk, reminder_id=sheet.pk)]))
    page.get_by_role("button", name="Send my report").click()  # nothing ticked: the form says what is missing
    expect(page.get_by_role("alert")).to_be_visible()
    axe(page, "patient's report, with errors")
    page.goto(reverse("aftercare:report", args=["not-a-signed-token"]))
    axe(page, "patient's link, not valid")


@pytest.fixture
def blank_page(chromium):
    page = chromium.new_page()
    yield page
    page.close()


def test_the_checker_reports_contrast_a_status_by_colour_alone_and_a_field_without_a_label(blank_page):
    """The checker itself: a contrast failure, a badge with no words and an unlabelled field are reported."""
    page = blank_page
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Statuses</h1>'
        '<span class="badge text-bg-success"></span>'
        '<input type="text" name="q">'
        '<p style="color:#999;background:#fff">grey on white</p></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page, "a bad page")
    assert "color-contrast (serious)" in str(failed.value)
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Statuses</h1>'
        '<span class="badge text-bg-success"></span><label>Query <input type="text" name="q"></label></main></body>'
        "</html>"
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page, "a badge without words")
    assert "a status shown by colour alone" in str(failed.value)
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Statuses</h1>'
        '<span class="badge text-bg-success">Ready</span><input type="text" name="q" title="Query"></main></body>'
        "</html>"
    )
    assert unlabelled_fields(page) == ['<input type="text" name="q" title="Query">']  # a title is not a label
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page, "a field without a label")
    assert "label-title-only (serious)" in str(failed.value)


# --- Keyboard only ---------------------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', text: (e.innerText || '').trim(),
                checked: !!e.checked, value: e.value || '', in_navbar: !!e.closest('nav.navbar')}; }"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_intake_form_can_be_filled_and_saved_with_the_keyboard_only(page, axe, reception):
    patient = Patient.objects.create(
        given_name="Deniz", family_name="Kaya", date_of_birth="1990-03-15", sex="female", phone="+90 533 444 55 66"
    )
    sign_in(page, "selin", PASSWORD)
    page.goto(reverse("patients:intake", args=[patient.pk]))
    axe(page, "intake questionnaire")

    # The first Tab reaches "Skip to content"; Enter takes the focus past the navigation.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")

    # The questions always asked; their follow-ups stay hidden (skipped by Tab) unless answered "Yes".
    yes_no = [q.key for section in questionnaire.SECTIONS for q in section.questions if q.kind == "yes_no"]
    answered: list[str] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        now = focused(page)
        assert not now["in_navbar"], "after Skip to content, Tab must not go through the navigation"
        if now["tag"] == "button" and now["text"] == "Save intake":
            page.keyboard.press("Enter")
            break
        if now["type"] == "radio" and now["name"] not in answered:
            # Tab enters a question's answers at "Yes". Space ticks it; the right arrow moves to "No" and ticks it.
            assert now["value"] == "True", now
            page.keyboard.press("Space" if now["name"] == NSAID_KEY else "ArrowRight")
            answered.append(now["name"])
        elif now["tag"] == "textarea" or now["type"] == "text":
            page.keyboard.type(IBUPROFEN if now["name"] == NSAID_NAME_KEY else "none")
    else:
        pytest.fail("Tab never reached the Save intake button")

    expect(page.get_by_role("status").filter(has_text="Intake saved: needs physician review.")).to_be_visible()
    expect(page.get_by_test_id("findings")).to_contain_text(f"Takes an anti-inflammatory drug ({IBUPROFEN})")
    axe(page, "screening after a keyboard-only intake")
    page.screenshot(path=screenshot_path("keyboard-intake-saved"), full_page=True)
    screening = EligibilityScreening.objects.get(patient=patient)
    assert sorted(answered) == sorted(yes_no)  # every question, once, in the order of the form
    assert {k: screening.answers[k] for k in yes_no} == {k: k == NSAID_KEY for k in yes_no}
    assert screening.answers[NSAID_NAME_KEY] == IBUPROFEN
    assert screening.answers["medical_history"] == "none"


# --- Printing --------------------------------------------------------------------------------------


def printed(page, *, pdf_name: str) -> bytes:
    """The page as printed: print media (navigation and buttons hidden) and a PDF of it."""
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("navigation", name="breadcrumb")).to_be_hidden()
    expect(page.get_by_role("link", name="Skip to content")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    with open(screenshot_path(pdf_name).removesuffix(".png") + ".pdf", "wb") as out:
        out.write(pdf)
    return pdf


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_blank_intake_form_prints(page, reception, patient):
    sign_in(page, "selin", PASSWORD)
    page.goto(reverse("patients:detail", args=[patient.pk]))
    page.get_by_role("link", name="Print intake form").click()
    heading = page.get_by_role("heading", name="MesoClinic: intake questionnaire for mesotherapy")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    printed(page, pdf_name="print-intake-form")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Patient: Zeynep Arslan")).to_be_visible()
    expect(page.get_by_text("Does the patient take anti-inflammatory painkillers (NSAIDs)?")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to the patient")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_aftercare_sheet_prints_in_the_patients_language(page, axe, patient, reception, nurse, physician):
    patient.preferred_language = "tr"
    patient.save()
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    sign_in(page, "ayse", PASSWORD)  # a nurse hands the sheet over
    page.goto(reverse("treatments:session", args=[session.pk]))
    page.get_by_role("link", name="Print aftercare sheet").click()
    sheet = page.get_by_test_id("aftercare-sheet")
    expect(sheet.get_by_role("heading", name="Bakım talimatlarınız", exact=True)).to_be_visible()
    axe(page, "aftercare sheet")
    printed(page, pdf_name="print-aftercare-sheet")
    expect(sheet).to_contain_text("Merhaba Zeynep,")
    expect(sheet).to_contain_text("İlk 10-15 saat boyunca uygulama bölgesine su değdirmeyin.")
    expect(sheet).to_contain_text("bizi hemen +90 212 555 0100 numaradan arayın")
    expect(sheet.get_by_role("listitem")).to_have_count(12)
    expect(page.get_by_role("link", name="Back to the session")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_consent_prints_with_a_signature_line_and_without_the_form(page, reception, patient):
    sign_in(page, "selin", PASSWORD)
    page.goto(reverse("patients:detail", args=[patient.pk]))
    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_text("Patient's signature")).to_be_hidden()  # on paper only
    printed(page, pdf_name="print-consent")
    expect(page.get_by_role("heading", name="Informed consent: Zeynep Arslan")).to_be_visible()
    expect(page.get_by_role("heading", name="Informed consent to mesotherapy")).to_be_visible()
    expect(page.get_by_text("Patient's signature")).to_be_visible()
    expect(page.get_by_role("button", name="Record consent")).to_be_hidden()
    expect(page.get_by_label("The patient has read this text")).to_be_hidden()


# --- The aftercare sheet's access rules --------------------------------------------------------------


@pytest.mark.django_db
def test_the_aftercare_sheet_needs_a_role_and_a_performed_session(
    client, patient, reception, nurse, physician, outsider
):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    url = reverse("aftercare:sheet", args=[session.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(reception)
    response = client.get(url)
    assert response.status_code == 200 and "Your aftercare instructions" in response.content.decode()
    next_one = session_book(
        patient=patient, course=session.course, indication=session.indication, products=session.products.all(),
        technique="needles", practitioner=physician, supervising_physician=physician,
        scheduled_at=timezone.now() + dt.timedelta(days=14), booked_by=reception,
    )
    assert client.get(reverse("aftercare:sheet", args=[next_one.pk])).status_code == 404  # not performed yet
