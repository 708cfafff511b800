"""The front desk to the physician, through the pages only.

A receptionist registers a patient (after one refused try with a future date of birth) and takes
the intake questionnaire; a physician finds it in the review queue and approves it (after one
refused try without a reason); the patient page then reads "Approved until <today + 180 days>".
The ORM is used only to check what the pages did.
"""

import datetime as dt
import re

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from patients import questionnaire
from patients.models import Decision, EligibilityScreening, Outcome, Patient
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NSAID = "Does the patient take anti-inflammatory painkillers (NSAIDs)?"
NSAID_FOLLOW_UP = "Which one, and how often?"


def top_level_questions(kind: str) -> list[str]:
    """The wording of the questions always asked (not follow-ups) of one kind, in page order."""
    return [q.text for section in questionnaire.SECTIONS for q in section.questions if q.kind == kind]


def test_reception_registers_and_takes_intake_then_physician_approves(page, reception, physician, settings):
    settings.APPROVAL_VALID_DAYS = 180  # the clinical default the issue is about

    # --- 1. Reception registers the patient ---------------------------------------------------
    sign_in(page, "selin", PASSWORD)
    page.get_by_role("link", name="Patients", exact=True).click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page.get_by_role("link", name="Review queue")).to_have_count(0)  # not a physician
    page.get_by_role("link", name="Register a patient").click()
    expect(page.get_by_role("heading", name="Register a patient")).to_be_visible()

    page.get_by_label("Given name").fill("Deniz")
    page.get_by_label("Family name").fill("Kaya")
    future = timezone.localdate() + dt.timedelta(days=365)
    page.get_by_label("Date of birth").fill(future.isoformat())  # a date input takes YYYY-MM-DD
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Phone", exact=True).fill("+90 533 444 55 66")
    page.get_by_label("Email", exact=True).fill("deniz.kaya@example.com")
    page.get_by_label("Preferred language").select_option(label="Turkish")
    page.get_by_label("Consents to aftercare emails").check()
    page.get_by_role("button", name="Register patient").click()

    date_of_birth = page.get_by_label("Date of birth")
    expect(date_of_birth).to_have_attribute("aria-invalid", "true")
    # The message is tied to the field (aria-describedby), so it shows right under it.
    expect(date_of_birth).to_have_accessible_description("The date of birth cannot be in the future.")
    expect(page.get_by_text("The date of birth cannot be in the future.")).to_be_visible()
    expect(page.get_by_label("Given name")).to_have_value("Deniz")
    expect(page.get_by_label("Family name")).to_have_value("Kaya")
    expect(page.get_by_label("Consents to aftercare emails")).to_be_checked()
    assert not Patient.objects.exists()
    page.screenshot(path=screenshot_path("journey-1-register-error"), full_page=True)

    date_of_birth.fill("1990-03-15")
    page.get_by_role("button", name="Register patient").click()

    expect(page.get_by_role("heading", name="Deniz Kaya")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Deniz Kaya is registered.")).to_be_visible()
    expect(page.get_by_test_id("eligibility-status")).to_contain_text("Not screened yet")
    patient = Patient.objects.get()
    assert (patient.date_of_birth, patient.sex, patient.preferred_language) == (dt.date(1990, 3, 15), "female", "tr")
    assert (patient.phone, patient.email, patient.email_consent) == (
        "+905334445566",  # stored in E.164
        "deniz.kaya@example.com",
        True,
    )
    assert patient.created_by == reception

    # --- 2. Reception takes the intake questionnaire ----------------------------------------
    page.get_by_role("link", name="Take intake questionnaire").click()
    expect(page.get_by_role("heading", name="Intake questionnaire: Deniz Kaya")).to_be_visible()

    follow_up = page.get_by_label(NSAID_FOLLOW_UP)
    expect(follow_up).to_be_hidden()  # static/js/intake.js hides follow-ups until "Yes"
    nsaid = page.get_by_role("group", name=NSAID, exact=True)
    nsaid.get_by_label("No", exact=True).check()
    expect(follow_up).to_be_hidden()
    nsaid.get_by_label("Yes", exact=True).check()
    expect(follow_up).to_be_visible()
    follow_up.fill("Ibuprofen 400 mg, twice a week")

    for text in top_level_questions("yes_no"):
        if text != NSAID:
            page.get_by_role("group", name=text, exact=True).get_by_label("No", exact=True).check()
    for text in top_level_questions("text"):
        page.get_by_label(text).fill("none")
    # Every other follow-up stayed hidden: their questions were answered "No".
    visible_follow_ups = page.locator("[data-follow-up-of]:visible")
    expect(visible_follow_ups).to_have_count(1)
    expect(visible_follow_ups).to_contain_text(NSAID_FOLLOW_UP)
    page.screenshot(path=screenshot_path("journey-2-intake-form"), full_page=True)
    page.get_by_role("button", name="Save intake").click()

    expect(page.get_by_role("heading", name="Eligibility screening: Deniz Kaya")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Intake saved: needs physician review.")).to_be_visible()
    expect(page.get_by_role("heading", name="Rules' outcome: Needs physician review")).to_be_visible()
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text("Takes an anti-inflammatory drug (Ibuprofen 400 mg, twice a week)")
    expect(findings.get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_text("Awaiting a physician's review.")).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    screening = EligibilityScreening.objects.get(patient=patient)
    assert screening.outcome == Outcome.NEEDS_REVIEW
    assert [f["code"] for f in screening.findings] == ["nsaid"]
    assert screening.answers["takes_nsaid"] is True
    assert screening.answers["nsaid_name"] == "Ibuprofen 400 mg, twice a week"
    assert screening.answers["takes_blood_thinner"] is False
    assert "blood_thinner_name" not in screening.answers
    assert screening.taken_by == reception

    # --- 3. Reception signs out; the physician reviews ----------------------------------------
    page.get_by_role("button", name="Selin").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, "dr_yilmaz", PASSWORD)

    page.get_by_role("link", name="Review queue", exact=True).click()
    expect(page.get_by_role("heading", name="Screenings awaiting review")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Deniz Kaya")
    expect(row).to_contain_text("Needs physician review")
    expect(row).to_contain_text("Takes an anti-inflammatory drug")  # the finding, in words
    row.get_by_role("link", name="Review").click()

    expect(page.get_by_role("heading", name="Eligibility screening: Deniz Kaya")).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_be_visible()
    page.screenshot(path=screenshot_path("journey-3-screening-physician"), full_page=True)

    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record decision").click()
    reason = page.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile("This field is required."))
    expect(page.get_by_label("Approve")).to_be_checked()  # the choice survives the refusal
    screening.refresh_from_db()
    assert (screening.decision, screening.decided_by, screening.valid_until) == ("", None, None)
    page.screenshot(path=screenshot_path("journey-3b-decision-error"), full_page=True)

    today = timezone.localdate()  # Europe/Istanbul
    reason.fill("Ibuprofen only occasionally; pause it 3 days before each session.")
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_role("heading", name="Screenings awaiting review")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Decision recorded for Deniz Kaya.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()

    # --- 4. The patient page shows the approval ----------------------------------------------
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name="Kaya, Deniz").click()
    expect(page.get_by_role("heading", name="Deniz Kaya")).to_be_visible()
    valid_until = today + dt.timedelta(days=180)
    status = page.get_by_test_id("eligibility-status")
    expect(status).to_contain_text(f"Approved until {dateformat.format(valid_until, 'j F Y')}")
    expect(status).to_contain_text("pause it 3 days before each session")
    expect(page.get_by_role("cell", name=re.compile(r"^Approved by Mehmet"))).to_be_visible()
    page.screenshot(path=screenshot_path("journey-4-patient-approved"), full_page=True)

    screening.refresh_from_db()
    assert screening.decision == Decision.APPROVED
    assert screening.decided_by == physician
    assert screening.valid_until == valid_until
