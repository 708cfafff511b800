import pytest
from django.core.management import call_command

from meso_clinic.management.commands.seed_demo import DEMO_PASSWORD
from tests.fixtures.browser import screenshot_path, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_receptionist_signs_in_and_sees_the_dashboard(page, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False

    page.goto("/")
    assert "/accounts/login/" in page.url  # anonymous: sent to sign in
    sign_in(page, "reception", DEMO_PASSWORD)

    page.get_by_role("heading", name="Good day, Selin").wait_for()
    assert page.get_by_test_id("patient-count").inner_text() == "10"
    assert page.get_by_role("link", name="Patients", exact=True).is_visible()
    assert not page.get_by_role("link", name="Administration").is_visible()
    # Bootstrap came from the installed package and was applied.
    assert page.evaluate("getComputedStyle(document.querySelector('.btn')).borderRadius") != "0px"
    page.screenshot(path=screenshot_path("dashboard-reception"), full_page=True)
