"""Demo accounts (made by seed_demo, with a published password and authenticator keys) and DEBUG off.

seed_demo refuses to run without DEBUG, but a demo database may later be served with DEBUG off: its
accounts must not sign in there (issue 12). Each is refused with a message that says why.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

from meso_clinic.core.demo_accounts import DEMO_PASSWORD, is_demo_account
from tests.fixtures.staff import PASSWORD, current_code

VERIFY = "/accounts/two-factor/verify/"
REFUSED = "This is a demo account: its password and codes are published."


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


def sign_in(client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@override_settings(DEBUG=False)
@pytest.mark.parametrize("username", ["reception", "nurse", "physician", "manager"])
def test_demo_accounts_are_refused_with_debug_off(client, demo, username):
    response = sign_in(client, username)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and "cannot sign in when the clinic runs with DEBUG off" in page
    assert f'value="{username}"' in page  # what was typed stays
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    assert not client.session.keys() & {"_auth_user_id", "_clinic_pending_sign_in"}


@override_settings(DEBUG=False)
def test_a_demo_account_with_a_new_password_but_the_published_key_is_still_refused(client, demo):
    from django.contrib.auth import get_user_model

    physician = get_user_model().objects.get(username="physician")
    physician.set_password(PASSWORD)
    physician.save()
    assert REFUSED in sign_in(client, "physician", PASSWORD).content.decode()


@override_settings(DEBUG=False)
def test_ordinary_accounts_sign_in_with_debug_off(client, demo, reception):
    assert sign_in(client, "selin", PASSWORD)["Location"] == "/"
    assert not is_demo_account(reception, PASSWORD)


@override_settings(DEBUG=True)
def test_demo_accounts_sign_in_with_debug_on(client, demo):
    assert sign_in(client, "reception")["Location"] == "/"
    other = type(client)()
    assert sign_in(other, "physician")["Location"] == VERIFY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="physician")
    assert other.post(VERIFY, {"code": current_code(device)})["Location"] == "/"
