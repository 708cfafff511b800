"""Outcome scores on the clinic's tablet (1024x768), through the pages only (issue 16).

Zeynep's skin course (wrinkles): the nurse opens the first session, records its GAIS (4, no change) and, a
month on, the last session's (2, very improved) with her satisfaction; a score off the scale is refused at its
field first. The chart of the course shows both points, on the scores page and on Zeynep's page.
Screenshots var/screenshots/outcome-scores-<1..3>.png.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import HOUR, product
from treatments.models import OutcomeScore
from treatments.services import session_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GAIS = "Global Aesthetic Improvement Scale (GAIS)"


def test_scores_recorded_at_two_sessions_and_seen_on_the_chart(page, live_server, patient, reception, nurse,
                                                               physician):
    now = timezone.now()
    first = performed_session(patient, reception=reception, nurse=nurse, physician=physician,
                              now=now - dt.timedelta(days=28))
    last = session_book(
        patient=patient, course=first.course, indication=first.indication,
        products=[product("Revitalising vitamin complex")], technique="needles", practitioner=physician,
        supervising_physician=physician, scheduled_at=now + HOUR, booked_by=reception,
    )
    sign_in(page, nurse.username, PASSWORD)

    page.goto(f"/treatments/sessions/{first.pk}/")
    page.get_by_role("link", name="Outcome scores").click()
    expect(page.get_by_role("heading", name=f"Outcome scores: {patient.full_name}")).to_be_visible()
    page.get_by_label(GAIS).fill("7")  # off the scale: refused at its field, nothing saved
    page.get_by_role("button", name="Record the scores").click()
    expect(page.get_by_text("Enter a whole number from 1 to 5.")).to_be_visible()
    assert not OutcomeScore.objects.exists()
    page.screenshot(path=screenshot_path("outcome-scores-1"), full_page=True)
    page.get_by_label(GAIS).fill("4")
    page.get_by_role("button", name="Record the scores").click()
    expect(page.get_by_text("1 score recorded.")).to_be_visible()

    page.goto(f"/treatments/sessions/{last.pk}/")
    page.get_by_role("link", name="Outcome scores").click()
    page.get_by_label(GAIS).fill("2")
    page.get_by_label("Patient's satisfaction (1-5)").fill("5")
    page.get_by_role("button", name="Record the scores").click()
    expect(page.get_by_text("2 scores recorded.")).to_be_visible()
    chart = page.get_by_test_id("outcome-chart").first
    expect(chart.locator("svg circle")).to_have_count(2)
    expect(chart.get_by_role("cell", name="4 No change")).to_be_visible()
    expect(chart.get_by_role("cell", name="2 Very improved")).to_be_visible()
    box = chart.locator("svg").bounding_box()
    assert box and 400 < box["width"] <= 480 and box["height"] > 100  # its own size, not the page's width
    page.screenshot(path=screenshot_path("outcome-scores-2"), full_page=True)

    page.goto(f"/patients/{patient.pk}/")
    charts = page.get_by_test_id("outcome-chart")
    expect(charts).to_have_count(2)  # GAIS (two points) and her satisfaction (one)
    expect(charts.first.locator("svg circle")).to_have_count(2)
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("outcome-scores-3"), full_page=True)
