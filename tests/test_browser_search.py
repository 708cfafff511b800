"""Reception finds a patient from the navbar's search box on a tablet, opens her, and goes Back to the results
(issue 14): no "Confirm form resubmission", no name in the address bar."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from patients.models import Patient
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_navbar_then_back_to_the_results(page, live_server, reception, patient):
    simsek = Patient.objects.create(given_name="Elif", family_name="Şimşek", date_of_birth=dt.date(1990, 2, 3),
                                    sex="female", phone="+905334445566")
    Patient.objects.create(given_name="Emre", family_name="Şimşek", date_of_birth=dt.date(1982, 7, 9), sex="male",
                           phone="+905359998877")
    sign_in(page, "selin", PASSWORD)
    page.goto("/treatments/patch-tests/")  # any page: the box is in the navbar
    box = page.get_by_role("search").get_by_label("Find a patient")
    box.fill("ELIF SIMSEK")
    page.screenshot(path=screenshot_path("search-1-navbar"))
    with page.expect_navigation():
        box.press("Enter")
    assert "/patients/?search=" in page.url
    assert "elif" not in page.url.lower() and "simsek" not in page.url.lower()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="Şimşek, Elif")).to_be_visible()
    expect(results.get_by_role("link")).to_have_count(1)
    expect(page.get_by_label("Search by name, phone or email")).to_have_value("ELIF SIMSEK")
    page.screenshot(path=screenshot_path("search-2-results"), full_page=True)
    results_url = page.url

    results.get_by_role("link", name="Şimşek, Elif").click()
    expect(page.get_by_role("heading", name="Elif Şimşek")).to_be_visible()
    assert page.url.endswith(f"/patients/{simsek.pk}/")

    response = page.go_back()
    # A POSTed results page would come back from Chromium as ERR_CACHE_MISS ("Confirm form resubmission").
    assert response is None or response.ok
    assert page.url == results_url
    expect(page.get_by_role("table").get_by_role("link", name="Şimşek, Elif")).to_be_visible()

    # A phone number, written as it is said on the phone.
    box = page.get_by_role("search").get_by_label("Find a patient")
    box.fill("0533 444 55 66")
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_role("table").get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("table")).to_contain_text("+90 533 444 55 66")
    assert "533" not in page.url
