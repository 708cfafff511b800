"""The patient page's checklist and the dashboard's work lists on the front desk's tablet (1024x768), in Chromium.

Four kinds of patient: a new one (not screened), one ready today (a session booked in an hour, everything valid),
one after a performed session (the course's next session to book), and a hard stop (17 years old: no treatment
action, the reason shown). Each page is photographed (var/screenshots/next-steps-*.png) for a person to look at;
so are the dashboards of reception and of the physician, whose lines are followed to where the work is done.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.models import SideEffectReport
from patients.models import Patient
from patients.services import screening_take
from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    VITAMINS,
    answers,
    approved_screening,
    course_with_consent,
    make_patient,
    product,
    read_patch_test,
)
from tests.test_browser_treatment_journey import catalogue  # noqa: F401 (a fixture)
from treatments.services import patch_test_apply, session_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = ("screening", "patch_test", "consent", "next_session")


def states(page) -> list[str]:
    return [page.get_by_test_id(f"step-{key}").get_attribute("data-state") for key in STEPS]


def ready_today(reception, nurse, physician) -> Patient:
    now = timezone.now()
    patient = make_patient(dt.date(1990, 3, 15), given_name="Ada")
    approved_screening(patient, taken_by=reception, physician=physician, at=now - 3 * DAY)
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=now - DAY)
    session_book(
        patient=patient, course=course, indication=course.indication, products=[product(VITAMINS)],
        technique="needles", practitioner=physician, supervising_physician=physician, scheduled_at=now + HOUR,
        booked_by=reception,
    )
    return patient


def test_the_checklist_for_each_kind_of_patient(page, catalogue, reception, nurse, physician):  # noqa: F811
    new = make_patient(dt.date(1990, 3, 15), given_name="Nil")
    ready = ready_today(reception, nurse, physician)
    after = make_patient(dt.date(1988, 4, 12), given_name="Eda")
    performed = performed_session(after, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    today = timezone.localdate()
    minor = make_patient(today.replace(year=today.year - 17) - dt.timedelta(days=30), given_name="Ece")
    screening_take(patient=minor, answers=answers(), taken_by=reception)

    sign_in(page, "selin", PASSWORD)
    # A new patient: everything to do, the intake first.
    page.goto(f"/patients/{new.pk}/")
    expect(page.get_by_test_id("step-screening")).to_contain_text("Not screened yet: take the intake.")
    assert states(page) == ["todo"] * 4
    expect(page.get_by_test_id("step-screening").get_by_test_id("step-state")).to_have_text("To do")
    expect(page.get_by_test_id("primary-action")).to_have_text("Take intake questionnaire")
    page.screenshot(path=screenshot_path("next-steps-1-new-patient"), full_page=True)
    page.get_by_test_id("primary-action").click()
    expect(page.get_by_role("heading", name="Intake questionnaire: Nil Kaya")).to_be_visible()

    # Ready today: every step done, the session is the next step.
    page.goto(f"/patients/{ready.pk}/")
    assert states(page) == ["done"] * 4
    expect(page.get_by_test_id("step-next_session")).to_contain_text(": ready.")
    expect(page.get_by_test_id("step-patch_test")).to_contain_text(f"Negative patch test for {VITAMINS}")
    page.screenshot(path=screenshot_path("next-steps-2-ready-today"), full_page=True)
    page.get_by_test_id("primary-action").click()
    expect(page.get_by_role("heading", name="Session: Ada Kaya")).to_be_visible()

    # After a performed session: the course's next session to book, the form filled with the course.
    page.goto(f"/patients/{after.pk}/")
    assert states(page) == ["done", "done", "done", "todo"]
    expect(page.get_by_test_id("step-next_session")).to_contain_text("To book: session 2 of 4 of the course Wrinkles")
    expect(page.get_by_test_id("primary-action")).to_have_text("Book the next session")
    expect(page.get_by_role("link", name="Book a session")).to_have_count(0)  # one booking button
    page.screenshot(path=screenshot_path("next-steps-3-after-a-session"), full_page=True)
    page.get_by_test_id("primary-action").click()
    expect(page.get_by_label("Course", exact=True)).to_have_value(str(performed.course_id))

    # A hard stop: the reason, and no treatment action at all.
    page.goto(f"/patients/{minor.pk}/")
    expect(page.get_by_test_id("step-screening")).to_contain_text("The patient is 17: no one under 18 is treated")
    expect(page.get_by_test_id("step-screening").get_by_test_id("step-state")).to_have_text("Blocked")
    expect(page.get_by_test_id("stop-reason")).to_have_text("No treatment can be planned.")
    expect(page.get_by_test_id("step-patch_test")).to_have_count(0)
    expect(page.get_by_test_id("next-actions")).to_have_count(0)
    for name in ("Apply patch test", "Record consent", "Plan a course", "Book a session", "Book the next session"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    page.screenshot(path=screenshot_path("next-steps-4-hard-stop"), full_page=True)


def test_the_dashboards_work_lists_lead_to_the_work(page, catalogue, reception, nurse, physician):  # noqa: F811
    now = timezone.now()
    ready = ready_today(reception, nurse, physician)
    unready = make_patient(dt.date(1991, 1, 1), given_name="Mert")
    approved_screening(unready, taken_by=reception, physician=physician, at=now - 3 * DAY)
    read_patch_test(unready, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)
    session_book(
        patient=unready, indication=ready.courses.get().indication, products=[product(VITAMINS)],
        technique="needles", practitioner=physician, supervising_physician=physician,
        scheduled_at=now + DAY, booked_by=reception,
    )
    waiting = make_patient(dt.date(1980, 1, 1), given_name="Murat")
    screening = screening_take(patient=waiting, answers=answers(takes_nsaid=True, nsaid_name="ibuprofen"),
                               taken_by=reception)
    patch_test_apply(patient=waiting, products=[product(VITAMINS)], site="inner forearm", applied_by=nurse,
                     applied_at=now - 25 * HOUR, now=now - 25 * HOUR)
    treated = make_patient(dt.date(1985, 2, 2), given_name="Sena")
    session = performed_session(treated, reception=reception, nurse=nurse, physician=physician, now=now - DAY)
    SideEffectReport.objects.create(session=session, effects=["swelling"], severity="severe", escalated=True)

    sign_in(page, "selin", PASSWORD)
    next_today = page.get_by_test_id("next-today")
    expect(next_today.get_by_role("listitem").filter(has_text="Ada Kaya")).to_contain_text("Ready")
    not_ready = page.get_by_test_id("not-ready")
    expect(not_ready).to_contain_text("No informed consent recorded for this course or session.")
    page.screenshot(path=screenshot_path("next-steps-5-dashboard-reception"), full_page=True)
    not_ready.get_by_role("link", name="Mert Kaya").click()
    expect(page.get_by_test_id("step-consent")).to_have_attribute("data-state", "todo")
    expect(page.get_by_test_id("primary-action")).to_have_text("Record consent")
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_test_id("next-today").get_by_role("link", name="Ada Kaya").click()
    expect(page.get_by_role("heading", name="Session: Ada Kaya")).to_be_visible()
    page.get_by_role("button", name="Selin").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "dr_yilmaz", PASSWORD)
    reports = page.get_by_test_id("reports-waiting")
    expect(reports).to_contain_text("Warning sign")
    expect(page.get_by_test_id("to-read")).to_contain_text(f"Murat Kaya: {VITAMINS}")
    page.screenshot(path=screenshot_path("next-steps-6-dashboard-physician"), full_page=True)
    page.get_by_test_id("to-review").get_by_role("link", name="Murat Kaya").click()
    expect(page).to_have_url(f"{page.url.split('/patients/')[0]}/patients/screenings/{screening.pk}/")
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_test_id("to-read").get_by_role("link", name="Murat Kaya").click()
    expect(page.get_by_role("heading", name="Patch test: Murat Kaya")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    reports.get_by_role("link", name="Sena Kaya").click()
    expect(page.get_by_role("heading", name="Side-effect report: Sena Kaya")).to_be_visible()
