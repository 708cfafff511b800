"""Staff are signed out after 15 minutes without a request, and 8 hours after signing in however active.

The clock stands still (time_machine, tick=False) and is moved between requests.
"""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session

from meso_clinic.core.middleware import LAST_ACTIVITY, SIGNED_IN_AT
from tests.fixtures.staff import PASSWORD, current_code

START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)  # 09:00 in Istanbul
SECOND = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)
IDLE_MESSAGE = "You were signed out after 15 minutes without activity."
LIFETIME_MESSAGE = "You were signed out after 8 hours signed in. Please sign in again."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, physician, clock):
    client.force_login(physician)
    assert client.get("/").status_code == 200
    return client


def signed_out_to(response, next_path: str | None) -> bool:
    expected = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    return response.status_code == 302 and response["Location"] == expected


# The defaults (README: IDLE_LOGOFF_SECONDS 900, SESSION_ABSOLUTE_SECONDS 28800) are checked by what they do,
# to the second. That a request does not write the session each time is in tests/test_query_counts.py.


def test_by_default_15_minutes_idle_keep_the_user_signed_in_and_one_second_more_signs_out(signed_in, clock):
    clock.shift(15 * MINUTE)
    assert signed_in.get("/patients/").status_code == 200
    clock.shift(15 * MINUTE + SECOND)
    assert signed_out_to(signed_in.get("/patients/"), "/patients/")


def test_the_stored_session_lasts_the_working_day_and_the_cookie_ends_with_the_browser(client, physician, clock):
    """SESSION_COOKIE_AGE: the session's row expires 8 hours after sign-in (clearsessions then deletes it)."""
    client.post("/accounts/login/", {"username": "dr_yilmaz", "password": PASSWORD})
    response = client.post("/accounts/two-factor/verify/", {"code": current_code(physician.totpdevice_set.get())})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # SESSION_EXPIRE_AT_BROWSER_CLOSE
    stored = Session.objects.get(session_key=cookie.value)
    assert stored.expire_date == START + 8 * 60 * MINUTE


def test_a_request_14_minutes_after_the_last_keeps_the_user_signed_in(signed_in, clock):
    for _ in range(3):  # each request starts the 15 minutes again
        clock.shift(14 * MINUTE)
        response = signed_in.get("/patients/")
        assert response.status_code == 200
        assert IDLE_MESSAGE not in response.content.decode()


def test_a_request_16_minutes_after_the_last_signs_out_to_the_login_page_with_a_message(signed_in, clock):
    clock.shift(16 * MINUTE)
    response = signed_in.get("/patients/?page=2")
    assert signed_out_to(response, "/patients/%3Fpage%3D2")

    login_page = signed_in.get(response["Location"])
    assert login_page.status_code == 200
    assert IDLE_MESSAGE in login_page.content.decode()
    assert 'role="status"' in login_page.content.decode()
    # Signed out for good: the next page asks to sign in, with no message this time.
    response = signed_in.get("/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/", 302)]
    assert IDLE_MESSAGE not in response.content.decode()


def test_a_form_posted_after_the_idle_limit_is_not_acted_on(signed_in, clock, physician):
    clock.shift(16 * MINUTE)
    response = signed_in.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-new-longer-pass-42", "new_password2": "a-new-longer-pass-42"},
    )
    assert signed_out_to(response, None)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [IDLE_MESSAGE]
    physician.refresh_from_db()
    assert physician.check_password(PASSWORD)


def test_static_files_do_not_count_as_activity(signed_in, clock):
    last_activity = signed_in.session[LAST_ACTIVITY]
    clock.shift(10 * MINUTE)
    assert signed_in.get("/static/css/clinic.css").status_code == 200
    assert signed_in.session[LAST_ACTIVITY] == last_activity
    clock.shift(6 * MINUTE)
    assert signed_out_to(signed_in.get("/"), "/")


@pytest.mark.parametrize("cookie_age_hours", [8, 24 * 7])
def test_the_session_ends_8_hours_after_sign_in_however_active(signed_in, clock, settings, cookie_age_hours):
    settings.SESSION_COOKIE_AGE = cookie_age_hours * 60 * 60  # a longer cookie does not lengthen the day
    for minutes in range(10, 8 * 60 + 1, 10):  # a request every 10 minutes, up to 8 hours after sign-in
        clock.move_to(START + minutes * MINUTE)
        assert signed_in.get("/").status_code == 200, f"signed out after {minutes} minutes"

    clock.move_to(START + 8 * 60 * MINUTE + SECOND)  # the default SESSION_ABSOLUTE_SECONDS, to the second
    response = signed_in.get("/patients/")
    assert signed_out_to(response, "/patients/")
    assert LIFETIME_MESSAGE in signed_in.get(response["Location"]).content.decode()


def test_signing_in_through_the_login_page_starts_both_clocks(client, physician, clock):
    clock.shift(5 * MINUTE)
    response = client.post("/accounts/login/", {"username": "dr_yilmaz", "password": PASSWORD})
    assert response.status_code == 302
    assert SIGNED_IN_AT not in client.session  # not signed in until the code (issue 12)
    clock.shift(MINUTE)
    client.post("/accounts/two-factor/verify/", {"code": current_code(physician.totpdevice_set.get())})
    now = (START + 6 * MINUTE).timestamp()
    assert client.session[SIGNED_IN_AT] == now and client.session[LAST_ACTIVITY] == now


def test_signing_in_again_starts_a_new_day(client, physician, clock):
    client.force_login(physician)
    clock.shift(8 * 60 * MINUTE + MINUTE)
    assert signed_out_to(client.get("/"), "/")
    response = client.post("/accounts/login/", {"username": "dr_yilmaz", "password": PASSWORD})
    assert response["Location"] == "/accounts/two-factor/verify/"
    # His role needs two-factor sign-in: the code from his app completes the sign-in.
    client.post("/accounts/two-factor/verify/", {"code": current_code(physician.totpdevice_set.get())})
    assert client.get("/").status_code == 200


@pytest.mark.django_db  # each request is a transaction, even one that reads nothing
def test_patients_on_their_link_pages_are_not_affected(client, clock):
    """Anonymous visitors have nothing to sign out of: their pages answer whatever the time."""
    client.get("/r/forged-token/")
    clock.shift(60 * MINUTE)
    response = client.get("/r/forged-token/")
    assert response.status_code == 404 and b"not valid" in response.content
