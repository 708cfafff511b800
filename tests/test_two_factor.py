"""Two-factor sign-in: physicians and the clinic manager must give a code from an authenticator app.

- Dr. Yılmaz (`physician`) has his app set up: after his password the clinic asks for the code.
- Dr. Kaya (`new_physician`) has never set one up: she must, before any clinic page opens.
- Selin at reception may sign in with her password alone, or turn two-factor sign-in on for herself.
- Elif (`manager`) also needs a code for the administration site, and removes a lost phone's authenticator.

Codes are computed as the user's app would (RFC 6238, from the device's key at the current time).
"""

import datetime as dt
import re
from base64 import b32decode
from html import unescape

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.management import CommandError, call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meso_clinic.core import recovery_codes
from meso_clinic.core.demo_accounts import DEMO_PASSWORD
from meso_clinic.core.roles import PHYSICIAN
from meso_clinic.core.twofactor import (
    PENDING_SECONDS,
    PENDING_SESSION_KEY,
    requires_two_factor,
    users_requiring_two_factor,
)
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD, current_code, give_authenticator, make_staff

VERIFY = "/accounts/two-factor/verify/"
ENROLL = "/accounts/two-factor/set-up/"
RECOVERY = "/accounts/two-factor/recovery/"
CODES = "/accounts/two-factor/recovery-codes/"
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # 09:00 in Istanbul


@pytest.fixture
def new_physician(db):
    """Dr. Kaya joined today: a physician without an authenticator app."""
    return make_staff("dr_kaya", PHYSICIAN, first_name="Deniz")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def password_sign_in(client, username: str, next_path: str = ""):
    url = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"username": username, "password": PASSWORD})


def code_from_page(html: str) -> str:
    """What the app shows after the key on the set-up page was typed into it."""
    secret = re.search(r'data-testid="secret-key">([A-Z2-7 ]+)<', html).group(1)
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


def recovery_codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", html)


def field_error(html: str) -> str:
    found = re.search(r'id="error_1_id_code"[^>]*>\s*<strong>(.*?)</strong>', html, re.DOTALL)
    return found.group(1) if found else ""


# --- Who must use it ---------------------------------------------------------------------------


def test_physicians_and_the_manager_need_it_reception_and_nurses_may_choose(
    reception, nurse, physician, manager, outsider, settings
):
    assert [requires_two_factor(u) for u in (reception, nurse, physician, manager, outsider)] == [
        False, False, True, True, False
    ]
    assert set(users_requiring_two_factor()) == {physician, manager}
    outsider.is_staff = True  # anyone who can open the administration site
    outsider.save()
    assert requires_two_factor(get_user_model().objects.get(pk=outsider.pk))

    settings.TWO_FACTOR_REQUIRED = False
    assert not requires_two_factor(get_user_model().objects.get(pk=physician.pk))
    assert not users_requiring_two_factor().exists()


# --- A physician without an authenticator must set one up ----------------------------------------------


def test_a_physician_without_an_app_must_set_one_up_before_she_is_signed_in(client, new_physician):
    response = password_sign_in(client, "dr_kaya", "/patients/")
    assert response.status_code == 302 and response["Location"] == ENROLL
    # Not signed in: every clinic page sends her to sign in, as anyone anonymous.
    for path in ("/", "/patients/", "/patients/reviews/", "/accounts/password/", "/accounts/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path
    response = client.post("/patients/new/", {"given_name": "Ali"})  # a form posted meanwhile is not acted on
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    page = client.get(ENROLL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set up two-factor sign-in" in html and "Your role needs a second step" in html
    assert '<svg width="' in html and 'class="qr-code"' in html and "<title>QR code to scan</title>" in html
    assert "(dr_kaya), time-based" in html
    assert 'class="navbar' not in html  # nothing to navigate to yet
    assert 'name="cancel"' in html
    # The page keeps the same key when reloaded (the app scanned it already).
    assert code_from_page(client.get(ENROLL).content.decode()) == code_from_page(html)
    assert not TOTPDevice.objects.filter(user=new_physician, confirmed=True).exists()


def test_setting_up_with_the_right_code_signs_in_shows_recovery_codes_and_goes_on(client, new_physician, clock):
    password_sign_in(client, "dr_kaya", "/patients/")
    html = client.get(ENROLL).content.decode()
    response = client.post(ENROLL, {"code": code_from_page(html)})
    assert response.status_code == 302 and response["Location"] == CODES
    page = client.get(CODES).content.decode()
    codes = recovery_codes_on(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Two-factor sign-in is on." in page and "shown only this once" in page
    assert 'href="/patients/"' in page  # on to the page first asked for
    assert client.get("/patients/").status_code == 200
    device = TOTPDevice.objects.get(user=new_physician)
    assert device.confirmed
    # Never again: the codes page and the set-up page show nothing more.
    response = client.get(CODES, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"
    assert "Recovery codes are shown only once" in response.content.decode()
    assert not any(code in response.content.decode() for code in codes)
    response = client.get(ENROLL, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"
    assert "data-testid=\"secret-key\"" not in response.content.decode()
    assert "Two-factor sign-in is already on" in response.content.decode()

    # Next time, the code is asked for.
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(minutes=1))
    assert password_sign_in(client, "dr_kaya")["Location"] == VERIFY


def test_a_wrong_code_at_set_up_is_shown_at_the_field(client, new_physician, clock):
    password_sign_in(client, "dr_kaya")
    html = client.get(ENROLL).content.decode()
    right = code_from_page(html)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post(ENROLL, {"code": wrong})
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("That code is not right.")
    assert 'name="code"' in response.content.decode() and "is-invalid" in response.content.decode()
    response = client.post(ENROLL, {"code": "12ab"})
    assert field_error(response.content.decode()) == "Enter the 6 digits your app shows."
    assert not TOTPDevice.objects.filter(user=new_physician, confirmed=True).exists()
    assert client.get("/patients/")["Location"].startswith("/accounts/login/")

    clock.shift(dt.timedelta(seconds=3))  # past django-otp's pause after two wrong codes
    response = client.post(ENROLL, {"code": right[:3] + " " + right[3:]})  # as some apps show it
    assert response.status_code == 302
    assert client.get("/patients/").status_code == 200


# --- A physician with an authenticator gives the code -------------------------------------------------


def test_a_physician_with_an_app_must_enter_the_code(client, physician, clock):
    response = password_sign_in(client, "dr_yilmaz", "/patients/reviews/")
    assert response["Location"] == VERIFY
    page = client.get(VERIFY)
    html = page.content.decode()
    assert "Enter the 6-digit code" in html and "Password accepted for <strong>Mehmet</strong>" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert client.get("/patients/")["Location"] == "/accounts/login/?next=/patients/"

    code = current_code(physician.totpdevice_set.get())
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("That code is not right.")
    assert "(4 more tries before sign-in is locked)" in response.content.decode()

    clock.shift(dt.timedelta(seconds=2))
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 302 and response["Location"] == "/patients/reviews/"
    assert client.get("/patients/reviews/").status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == physician.totpdevice_set.get().persistent_id


def test_between_password_and_code_she_is_anonymous_to_every_page(client, physician, clock):
    """Issue 12: the password alone signs no one in; no middleware or view sees her as signed in."""
    client.get("/accounts/login/")
    before = client.session.session_key
    password_sign_in(client, "dr_yilmaz", "/patients/reviews/")
    session = client.session
    assert SESSION_KEY not in session and DEVICE_ID_SESSION_KEY not in session
    assert session.session_key != before  # a new session id for the pending sign-in
    pending = session[PENDING_SESSION_KEY]
    assert pending["user"] == physician.pk and pending["next"] == "/patients/reviews/"
    # The dashboard and pages of her role's permissions treat her as anyone anonymous.
    for path in ("/", "/patients/reviews/", "/patients/", "/accounts/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}", path
        assert response.wsgi_request.user.is_anonymous, path
    response = client.get(VERIFY)
    assert response.status_code == 200 and response.wsgi_request.user.is_anonymous
    # Then the code signs her in, in another new session id.
    pending_key = client.session.session_key
    client.post(VERIFY, {"code": current_code(physician.totpdevice_set.get())})
    assert client.session.session_key != pending_key
    assert int(client.session[SESSION_KEY]) == physician.pk and PENDING_SESSION_KEY not in client.session
    assert client.get("/patients/reviews/").status_code == 200


def test_a_pending_sign_in_expires_after_five_minutes(client, physician, clock):
    password_sign_in(client, "dr_yilmaz", "/patients/")
    clock.shift(dt.timedelta(seconds=PENDING_SECONDS + 1))
    code = current_code(physician.totpdevice_set.get())
    response = client.post(VERIFY, {"code": code}, follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/?next=/"
    assert "Sign-in took too long. Enter your password again." in response.content.decode()
    assert client.get("/patients/")["Location"].startswith("/accounts/login/")
    assert PENDING_SESSION_KEY not in client.session
    # Within the time it works.
    password_sign_in(client, "dr_yilmaz", "/patients/")
    clock.shift(dt.timedelta(seconds=PENDING_SECONDS - 1))
    assert client.post(VERIFY, {"code": current_code(physician.totpdevice_set.get())})["Location"] == "/patients/"


def test_a_pending_sign_in_is_bound_to_its_session_and_password(client, physician, clock):
    password_sign_in(client, "dr_yilmaz")
    other = type(client)()  # another browser: nothing pending there
    assert other.get(VERIFY)["Location"] == "/accounts/login/?next=/"
    physician.set_password("a-new-longer-pass-42")  # changed meanwhile (e.g. by a set-password link)
    physician.save()
    response = client.post(VERIFY, {"code": current_code(physician.totpdevice_set.get())})
    assert response["Location"] == "/accounts/login/?next=/"
    assert SESSION_KEY not in client.session


def test_cancel_ends_the_pending_sign_in(client, physician):
    password_sign_in(client, "dr_yilmaz")
    assert 'name="cancel"' in client.get(VERIFY).content.decode()
    assert client.post(VERIFY, {"cancel": "1"})["Location"] == "/accounts/login/"
    assert PENDING_SESSION_KEY not in client.session
    assert client.get(VERIFY)["Location"] == "/accounts/login/?next=/"


def test_a_session_signed_in_without_the_code_it_owes_is_signed_out(client, physician, new_physician):
    """Sessions from before issue 12, or a role needing two factors given while signed in: no fence, signed out."""
    for user in (physician, new_physician):
        client.force_login(user)
        session = client.session
        session.pop(DEVICE_ID_SESSION_KEY, None)
        session.save()
        response = client.get("/patients/", follow=True)
        assert response.redirect_chain[0][0] == "/accounts/login/?next=/patients/"
        assert "sign in again" in response.content.decode()
        assert SESSION_KEY not in client.session


def test_a_code_works_once(client, physician, clock):
    code = current_code(physician.totpdevice_set.get())
    password_sign_in(client, "dr_yilmaz")
    assert client.post(VERIFY, {"code": code})["Location"] == "/"

    other = type(client)()
    password_sign_in(other, "dr_yilmaz")
    response = other.post(VERIFY, {"code": code})  # seen over a shoulder, typed again
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("That code is not right.")


def test_wrong_codes_in_a_row_must_wait(client, physician, clock):
    password_sign_in(client, "dr_yilmaz")
    code = current_code(physician.totpdevice_set.get())
    client.post(VERIFY, {"code": f"{(int(code) + 1) % 10**6:06d}"})
    response = client.post(VERIFY, {"code": code})  # at once: not even checked
    assert field_error(response.content.decode()) == (
        "Too many wrong codes in a row: wait 1 seconds, then enter the code your app shows."
    )
    assert client.get("/")["Location"].startswith("/accounts/login/")
    clock.shift(dt.timedelta(seconds=1))
    assert client.post(VERIFY, {"code": code})["Location"] == "/"


def test_the_code_page_does_not_send_off_site(client, physician, clock):
    password_sign_in(client, "dr_yilmaz")
    code = current_code(physician.totpdevice_set.get())
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": code, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_sign_in_page_does_not_send_on_to_a_step_page(client, physician, clock):
    password_sign_in(client, "dr_yilmaz", VERIFY)
    assert client.post(VERIFY, {"code": current_code(physician.totpdevice_set.get())})["Location"] == "/"


# --- Reception: optional ---------------------------------------------------------------------------


def test_reception_signs_in_with_the_password_alone_and_may_opt_in(client, reception, clock):
    response = password_sign_in(client, "selin")
    assert response["Location"] == "/"
    assert "Good day, Selin" in client.get("/").content.decode()

    page = client.get("/accounts/two-factor/").content.decode()
    assert "Off" in page and 'href="/accounts/two-factor/set-up/"' in page
    html = client.get(ENROLL).content.decode()
    assert "Your role needs" not in html and 'class="navbar' in html
    response = client.post(ENROLL, {"code": code_from_page(html)}, follow=True)
    assert response.redirect_chain[-1][0] == CODES
    page = response.content.decode()
    assert "Two-factor sign-in is on." in page and len(recovery_codes_on(page)) == 10
    assert 'href="/accounts/two-factor/"' in page
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Turn off two-factor sign-in" in page and "You have 10 unused recovery codes" in page

    # From now on her sign-in asks for the code too.
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(minutes=1))
    assert password_sign_in(client, "selin")["Location"] == VERIFY
    client.post(VERIFY, {"code": current_code(reception.totpdevice_set.get())})
    assert client.get("/").status_code == 200

    # She may turn it off again.
    response = client.post("/accounts/two-factor/turn-off/", follow=True)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reception).exists()
    assert not StaticDevice.objects.filter(user=reception).exists()


def test_a_physician_cannot_turn_it_off(client, physician):
    client.force_login(physician)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Your role needs two-factor sign-in, so it stays on." in page
    assert "Turn off two-factor sign-in" not in page
    response = client.post("/accounts/two-factor/turn-off/", follow=True)
    assert "it cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=physician, confirmed=True).exists()


# --- The administration site ---------------------------------------------------------------------------


def test_the_admin_site_needs_the_code(client, manager, clock):
    password_sign_in(client, "elif", "/admin/")
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"  # not signed in yet
    assert client.post(VERIFY, {"code": current_code(manager.totpdevice_set.get())})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200  # django-otp's verified session (OTPAdminSite)


def test_the_admin_site_refuses_an_unverified_session_even_when_two_factor_is_not_required(
    client, db, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    make_staff("admin_helper", None, is_staff=True)
    password_sign_in(client, "admin_helper")
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[0][0] == "/admin/login/?next=/admin/"


def test_the_admin_sign_in_page_sends_to_the_clinic_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response["Location"] == "/accounts/login/?next=/admin/auth/user/"


# --- The manager resets a lost phone -------------------------------------------------------------


def test_the_manager_removes_a_lost_phones_authenticator(client, manager, physician, reception, clock):
    client.force_login(manager)
    page = client.get("/accounts/two-factor/staff/").content.decode()
    row = re.search(r"<tr>\s*<td>Mehmet</td>.*?</tr>", page, re.DOTALL).group(0)
    assert "Required" in row and "Set up" in row and "Remove authenticator" in row
    selin = re.search(r"<tr>\s*<td>Selin</td>.*?</tr>", page, re.DOTALL).group(0)
    assert "Optional" in selin and "None" in selin and "Remove authenticator" not in selin

    recovery_codes.make_new(user=physician)
    response = client.post(f"/accounts/two-factor/staff/{physician.pk}/reset/", follow=True)
    assert (
        "Mehmet's authenticator and recovery codes were removed: they set up a new authenticator at their next sign-in."
    ) in unescape(response.content.decode())
    assert not TOTPDevice.objects.filter(user=physician).exists()
    assert not StaticDevice.objects.filter(user=physician).exists() and not StaticToken.objects.exists()

    # Dr. Yılmaz sets up his new phone at his next sign-in.
    other = type(client)()
    assert password_sign_in(other, "dr_yilmaz")["Location"] == ENROLL


def test_only_the_manager_resets_authenticators(client, nurse, physician):
    give_authenticator(nurse)
    client.force_login(nurse)
    assert client.get("/accounts/two-factor/staff/").status_code == 403
    assert client.post(f"/accounts/two-factor/staff/{physician.pk}/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=physician).exists()
    client.force_login(physician)
    assert client.get("/accounts/two-factor/staff/").status_code == 403


def test_the_account_menu_links_the_pages(client, reception, manager):
    client.force_login(reception)
    page = client.get("/").content.decode()
    assert 'href="/accounts/two-factor/"' in page and "Locked accounts" not in page
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'href="/accounts/locked/"' in page and 'href="/accounts/two-factor/staff/"' in page


# --- The demo ---------------------------------------------------------------------------------------


def test_the_demo_physician_signs_in_with_the_code_demo_code_prints(client, db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # twice: still one authenticator each, same key
    assert TOTPDevice.objects.filter(user__username="physician", confirmed=True).count() == 1
    assert TOTPDevice.objects.filter(user__username="manager", confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user__username__in=["reception", "nurse"]).exists()
    capsys.readouterr()

    call_command("demo_code", "physician")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post("/accounts/login/", {"username": "physician", "password": DEMO_PASSWORD})
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    assert "Good day, Dr. Mehmet" in client.get("/").content.decode()

    call_command("demo_code", "physician")  # that code is used: the next one is printed, and works
    second = capsys.readouterr().out.strip()
    other = type(client)()
    other.post("/accounts/login/", {"username": "physician", "password": DEMO_PASSWORD})
    assert second != code and other.post(VERIFY, {"code": second})["Location"] == "/"

    with pytest.raises(CommandError, match="has no authenticator"):
        call_command("demo_code", "reception")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("demo_code", "physician")


# --- In Chromium -------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_physician_signs_in_with_password_and_code_and_lands_on_the_dashboard(page, physician):
    page.goto("/")
    page.get_by_label("Username").fill("dr_yilmaz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter the 6-digit code").wait_for()
    assert not page.get_by_role("link", name="Patients").count()
    page.screenshot(path=screenshot_path("two-factor-code"), full_page=True)
    page.get_by_label("6-digit code").fill(current_code(physician.totpdevice_set.get()))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Good day, Mehmet").wait_for()
    assert page.url.endswith("/")
    assert page.get_by_role("link", name="Review queue", exact=True).is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_physician_sets_up_the_app_in_the_browser(page, new_physician):
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, "dr_kaya", PASSWORD)
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert page.locator("[data-testid=qr-code] svg").bounding_box()["width"] >= 150
    page.get_by_text("Cannot scan? Type the key instead").click()
    secret = page.get_by_test_id("secret-key").inner_text()
    page.screenshot(path=screenshot_path("two-factor-set-up"), full_page=True)

    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("6-digit code").fill(f"{(totp(key) + 1) % 10**6:06d}")  # a typing slip
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_text("That code is not right.").wait_for()
    page.wait_for_timeout(1100)  # django-otp's pause after a wrong code
    page.get_by_label("6-digit code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.get_by_text("Two-factor sign-in is on.").is_visible()
    page.get_by_role("link", name="I have written them down: continue").click()
    page.get_by_role("heading", name="Good day, Deniz").wait_for()
    assert not [text for text in console if "Content Security Policy" in text]  # the inline SVG is no script or style


# --- Recovery codes ------------------------------------------------------------------------------


def sign_in_with_recovery_code(client, code: str, username: str = "dr_yilmaz"):
    password_sign_in(client, username, "/patients/reviews/")
    return client.post(RECOVERY, {"code": code})


def test_a_recovery_code_signs_in_once_and_not_twice(client, physician, clock):
    codes = recovery_codes.make_new(user=physician)
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    password_sign_in(client, "dr_yilmaz")
    page = client.get(VERIFY).content.decode()
    assert f'href="{RECOVERY}"' in page and "Use a recovery code" in page
    page = client.get(RECOVERY).content.decode()
    assert "Use a recovery code" in page and 'name="code"' in page and 'autocomplete="off"' in page

    client.logout()
    response = sign_in_with_recovery_code(client, codes[3].upper().replace("-", " "))  # as typed off paper
    assert response.status_code == 302 and response["Location"] == "/patients/reviews/"
    page = client.get("/patients/reviews/").content.decode()
    assert "You signed in with a recovery code: 9 left." in page
    assert client.session[DEVICE_ID_SESSION_KEY] == recovery_codes.device_for(physician).persistent_id
    assert recovery_codes.codes_left(physician) == 9

    client.post("/accounts/logout/")
    response = sign_in_with_recovery_code(type(client)(), codes[3])  # the same code again, elsewhere
    assert response.status_code == 200
    assert "That recovery code is not right, or was used already" in response.content.decode()
    clock.shift(dt.timedelta(seconds=2))
    other = type(client)()
    assert sign_in_with_recovery_code(other, codes[4])["Location"] == "/patients/reviews/"


def test_wrong_recovery_codes_count_in_the_lockout(client, physician, clock):
    codes = recovery_codes.make_new(user=physician)
    password_sign_in(client, "dr_yilmaz")
    for n in range(1, 5):
        response = client.post(RECOVERY, {"code": "aaaa-aaaa"})
        left = 5 - n
        tries = "1 more try" if left == 1 else f"{left} more tries"  # ngettext: one try, 2 tries
        assert f"({tries} before sign-in is locked)" in response.content.decode()
        clock.shift(dt.timedelta(seconds=2 ** (n - 1)))  # django-otp's growing pause
    response = client.post(RECOVERY, {"code": "aaaa-aaaa"})
    assert response.status_code == 429 and "Sign-in locked" in response.content.decode()
    assert PENDING_SESSION_KEY not in client.session
    # Locked: neither the password nor a right recovery code gets in from here.
    assert password_sign_in(client, "dr_yilmaz").status_code == 429
    assert recovery_codes.codes_left(physician) == 10 and codes


def test_a_malformed_recovery_code_is_a_message_at_the_field(client, physician):
    recovery_codes.make_new(user=physician)
    password_sign_in(client, "dr_yilmaz")
    response = client.post(RECOVERY, {"code": "12345"})
    assert field_error(response.content.decode()) == (
        "A recovery code has 8 letters and digits in two groups of four, like k7pq-3xmz."
    )


@pytest.mark.django_db
def test_the_recovery_codes_example_has_the_form_of_a_real_code(physician):
    """The translator found 'like abcd-efgh' under '8 letters and digits': the example had no digit."""
    from meso_clinic.core.twofactor import RecoveryCodeForm

    [message] = [str(v.message) for v in RecoveryCodeForm.base_fields["code"].validators if hasattr(v, "regex")]
    example = re.search(r"like (\S+)\.$", message).group(1)
    real = re.compile(r"^[a-z2-7]{4}-[a-z2-7]{4}$")
    made = recovery_codes.make_new(user=physician)
    assert len(made) == 10 and all(real.match(code) for code in made)
    assert real.match(example) and re.search(r"\d", example) and re.search(r"[a-z]", example)
    assert RecoveryCodeForm(data={"code": example}).is_valid()


def test_making_new_recovery_codes_stops_the_old_ones(client, physician, clock):
    old = recovery_codes.make_new(user=physician)
    client.force_login(physician)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "You have 10 unused recovery codes" in page and "Make new recovery codes" in page
    response = client.post("/accounts/two-factor/recovery-codes/new/")
    assert response["Location"] == CODES
    new = recovery_codes_on(client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get(CODES)["Location"] == "/accounts/two-factor/"  # shown once

    response = sign_in_with_recovery_code(type(client)(), old[0])
    assert response.status_code == 200 and "was used already" in response.content.decode()
    clock.shift(dt.timedelta(seconds=2))
    assert sign_in_with_recovery_code(type(client)(), new[0])["Location"] == "/patients/reviews/"


def test_the_recovery_codes_paragraph_speaks_of_codes_that_exist(client, physician):
    """'They cannot be shown again' followed 'You have no recovery codes yet', where 'they' were nothing."""
    client.force_login(physician)

    def paragraph() -> str:
        page = client.get("/accounts/two-factor/").content.decode()
        return " ".join(page.split('data-testid="recovery-codes-left">')[1].split("</p>")[0].split())

    shown_once = "Recovery codes are shown only once, when you make them."
    assert paragraph().startswith("You have no recovery codes yet") and paragraph().endswith(shown_once)
    assert "They cannot be shown again" not in paragraph()
    codes = recovery_codes.make_new(user=physician)
    assert paragraph().startswith("You have 10 unused recovery codes")
    assert paragraph().endswith("They cannot be shown again: making new ones stops the old ones from working.")
    StaticToken.objects.filter(device__user=physician).delete()
    assert paragraph() == f"You have used all your recovery codes. {shown_once}" and codes


def test_without_an_authenticator_there_are_no_recovery_codes_to_make(client, reception):
    client.force_login(reception)
    response = client.post("/accounts/two-factor/recovery-codes/new/", follow=True)
    assert "Set up an authenticator app first" in response.content.decode()
    assert not StaticDevice.objects.filter(user=reception).exists()


def test_with_no_recovery_codes_left_the_code_page_says_whom_to_ask(client, physician):
    password_sign_in(client, "dr_yilmaz")
    assert "Use a recovery code" not in client.get(VERIFY).content.decode()
    response = client.get(RECOVERY, follow=True)
    assert response.redirect_chain[-1][0] == VERIFY
    assert "You have no recovery codes left" in response.content.decode()
