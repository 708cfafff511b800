"""Signing in, in Chromium: the demo, and two-factor sign-in from password to dashboard (issue 12).

Password, then the code; a recovery code instead of the code; a lost phone (the manager removes the
authenticator, the physician sets up a new one at her next sign-in and gets new recovery codes).
"""

import re
from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from meso_clinic.core import recovery_codes
from meso_clinic.core.demo_accounts import DEMO_PASSWORD
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_receptionist_signs_in_and_sees_the_dashboard(page, settings):
    settings.DEBUG = True  # and it stays on: with DEBUG off demo accounts cannot sign in (tests/test_demo_accounts.py)
    call_command("seed_demo")

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


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_password_then_code_and_nothing_opens_in_between(page, physician):
    password_step(page, "dr_yilmaz")
    page.get_by_role("heading", name="Enter the 6-digit code").wait_for()
    assert page.url.endswith("/accounts/two-factor/verify/")
    assert page.get_by_text("Password accepted for Mehmet").is_visible()
    page.screenshot(path=screenshot_path("two-factor-code-page"), full_page=True)
    page.goto("/patients/reviews/")  # typed into the address bar between password and code
    assert "/accounts/login/?next=/patients/reviews/" in page.url
    page.goto("/accounts/two-factor/verify/")  # still pending: the code page comes back
    page.get_by_label("6-digit code").fill(current_code(physician.totpdevice_set.get()))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Good day, Mehmet").wait_for()


def test_a_recovery_code_instead_of_the_code(page, physician):
    codes = recovery_codes.make_new(user=physician)
    password_step(page, "dr_yilmaz")
    page.get_by_role("link", name="Use a recovery code").click()
    page.get_by_role("heading", name="Use a recovery code").wait_for()
    page.screenshot(path=screenshot_path("two-factor-recovery-code-page"), full_page=True)
    page.get_by_label("Recovery code").fill(codes[0].upper())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Good day, Mehmet").wait_for()
    assert page.get_by_text("You signed in with a recovery code: 9 left.").is_visible()

    page.goto("/accounts/two-factor/")
    assert page.get_by_test_id("recovery-codes-left").inner_text().startswith("You have 9 unused recovery codes")


def test_a_lost_phone_is_reset_by_the_manager_and_a_new_one_set_up(page, chromium, live_server, manager, physician):
    # Elif, at her desk, removes Dr. Yılmaz's authenticator.
    desk = chromium.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url, locale="en-GB")
    elif_page = desk.new_page()
    sign_in(elif_page, "elif", PASSWORD)
    elif_page.goto("/accounts/two-factor/staff/")
    elif_page.get_by_role("button", name="Remove authenticator of dr_yilmaz").click()
    elif_page.get_by_text("Mehmet's authenticator and recovery codes were removed").wait_for()
    desk.close()

    # He signs in with his password and sets up his new phone before he is signed in.
    password_step(page, "dr_yilmaz")
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert not page.get_by_role("link", name="Patients").count()
    page.get_by_text("Cannot scan? Type the key instead").click()
    key = b32decode(page.get_by_test_id("secret-key").inner_text().replace(" ", ""))
    page.get_by_label("6-digit code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = page.get_by_test_id("recovery-codes").inner_text().split()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    page.screenshot(path=screenshot_path("two-factor-recovery-codes"), full_page=True)
    page.get_by_role("link", name="I have written them down: continue").click()
    page.get_by_role("heading", name="Good day, Mehmet").wait_for()
    page.go_back()  # the codes are not shown again
    assert not page.get_by_test_id("recovery-codes").count()
