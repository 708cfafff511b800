"""Sign-in lockout (django-axes): five failures lock an account from that computer for 15 minutes.

Failures are wrong passwords and wrong two-factor codes alike. The lock opens by itself after the
cool-off, or sooner when the clinic manager unlocks it on "Locked accounts". The clock stands still
(time_machine, tick=False) and is moved between requests.
"""

import datetime as dt
import logging

import pytest
import time_machine
from django.test import Client

from tests.fixtures.staff import PASSWORD, current_code

START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # 10:00 in Istanbul
SECOND = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)
LOCKED = "Sign-in locked"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def attempt(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail(client, username: str, times: int, clock) -> list:
    responses = []
    for _ in range(times):
        responses.append(attempt(client, username, "not-my-password"))
        clock.shift(10 * SECOND)
    return responses


# The defaults (README: AXES_FAILURE_LIMIT 5, AXES_COOLOFF_MINUTES 15) are checked by what they do: the 4th
# failure does not lock and the 5th does; the lock holds one second before the cool-off ends and not one after.


def test_five_wrong_passwords_lock_the_account_with_a_clear_page(client, reception, clock):
    responses = fail(client, "selin", 5, clock)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert b"enter a correct username and password" in responses[3].content
    page = responses[4].content.decode()
    assert LOCKED in page and 'role="alert"' in page
    # The last failure was at 10:00:40 Istanbul time: open again 15 minutes later.
    assert 'data-testid="locked-until">10:15<' in page
    assert "The clinic manager can unlock your account." in page
    assert '<link rel="stylesheet" href="/static/css/clinic.css">' in page  # the clinic's own layout


def test_the_right_password_is_refused_while_locked_and_works_after_the_cool_off(client, reception, clock):
    fail(client, "selin", 5, clock)
    clock.shift(5 * MINUTE)
    response = attempt(client, "selin", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert 'data-testid="locked-until">10:15<' in response.content.decode()  # trying again does not extend it
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    clock.move_to(START + 4 * 10 * SECOND + 15 * MINUTE - SECOND)  # one second before the cool-off ends
    assert attempt(client, "selin", PASSWORD).status_code == 429

    clock.move_to(START + 4 * 10 * SECOND + 15 * MINUTE + SECOND)  # the 5th failure + the cool-off
    response = attempt(client, "selin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_lock_holds_for_that_username_from_that_computer_only(client, reception, nurse, clock):
    fail(client, "selin", 5, clock)
    assert attempt(client, "ayse", PASSWORD).status_code == 302  # a colleague at the same desk
    elsewhere = Client(REMOTE_ADDR="10.0.0.7")
    assert attempt(elsewhere, "selin", PASSWORD).status_code == 302  # Selin at another computer


def test_failures_older_than_the_cool_off_do_not_count(client, reception, clock):
    fail(client, "selin", 4, clock)
    clock.shift(16 * MINUTE)
    assert attempt(client, "selin", "still-wrong").status_code == 200
    assert attempt(client, "selin", PASSWORD).status_code == 302


def test_five_wrong_codes_sign_out_and_lock(client, physician, clock):
    assert attempt(client, "dr_yilmaz", PASSWORD).status_code == 302
    code = current_code(physician.totpdevice_set.get())
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for n in range(1, 5):
        response = client.post("/accounts/two-factor/verify/", {"code": wrong})
        assert response.status_code == 200
        left = 5 - n
        tries = "1 more try" if left == 1 else f"{left} more tries"  # ngettext: one try, 2 tries
        assert f"({tries} before sign-in is locked)" in response.content.decode()
        clock.shift(2 ** (n - 1) * SECOND)  # django-otp's growing pause between codes
    response = client.post("/accounts/two-factor/verify/", {"code": wrong})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert client.get("/")["Location"] == "/accounts/login/?next=/"  # signed out
    assert attempt(client, "dr_yilmaz", PASSWORD).status_code == 429  # the password alone does not help


def test_wrong_passwords_and_wrong_codes_add_up(client, physician, clock):
    fail(client, "dr_yilmaz", 3, clock)
    attempt(client, "dr_yilmaz", PASSWORD)
    code = current_code(physician.totpdevice_set.get())
    response = client.post("/accounts/two-factor/verify/", {"code": f"{(int(code) + 1) % 10**6:06d}"})
    assert "(1 more try before sign-in is locked)" in response.content.decode()


def test_the_manager_sees_the_lock_and_unlocks(client, reception, manager, clock):
    desk = Client()
    fail(desk, "selin", 6, clock)
    client.force_login(manager)
    page = client.get("/accounts/locked/").content.decode()
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>selin</td>" in row and "<td>5</td>" in row and "<td>10:15</td>" in row
    assert "127.0.0.1" not in page  # where it came from is not shown

    response = client.post("/accounts/locked/unlock/", {"username": "selin"}, follow=True)
    page = response.content.decode()
    assert "selin can sign in again." in page and "No account is locked." in page
    assert attempt(desk, "selin", PASSWORD).status_code == 302


def test_a_nurse_cannot_open_the_locked_accounts_or_unlock(client, nurse, reception, clock):
    fail(Client(), "selin", 5, clock)
    client.force_login(nurse)
    assert client.get("/accounts/locked/").status_code == 403
    assert client.post("/accounts/locked/unlock/", {"username": "selin"}).status_code == 403
    assert attempt(Client(), "selin", PASSWORD).status_code == 429


def test_unlock_is_a_post_with_csrf(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get("/accounts/locked/unlock/").status_code == 405
    assert client.post("/accounts/locked/unlock/", {"username": "selin"}).status_code == 403


def test_failed_sign_ins_log_no_address_and_no_password(client, reception, clock, caplog):
    with caplog.at_level(logging.INFO):
        fail(client, "selin", 5, clock)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in text  # the failures were logged...
    assert "127.0.0.1" not in text and "not-my-password" not in text  # ...without where from or what was typed


def test_a_username_too_long_for_any_account_gets_a_message_not_an_error(client, db):
    """Found by tests/test_form_fuzz.py: thousands of characters reached axes' 255-character column (a 500)."""
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "A"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


# --- Changing one's password: the current one is guessed no more often than at sign-in ----------------


def change_password(client, current: str):
    new = "a-new-longer-pass-42"
    return client.post("/accounts/password/", {"old_password": current, "new_password1": new, "new_password2": new})


def test_wrong_current_passwords_on_the_password_page_lock_the_account(client, reception, clock):
    """Issue 12: a signed-in session left open must not allow unlimited guesses at the password."""
    client.post("/accounts/login/", {"username": "selin", "password": PASSWORD})
    for n in range(1, 5):
        response = change_password(client, f"guess-{n}")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Your old password was entered incorrectly." in page
        left = 5 - n
        assert ("1 more wrong try locks" if left == 1 else f"{left} more wrong tries lock") + " your account." in page
        clock.shift(10 * SECOND)
    response = change_password(client, "guess-5")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert 'data-testid="locked-until">10:15<' in response.content.decode()
    assert client.get("/")["Location"] == "/accounts/login/?next=/"  # signed out
    assert attempt(client, "selin", PASSWORD).status_code == 429  # and locked: the right password waits too
    reception.refresh_from_db()
    assert reception.check_password(PASSWORD)  # unchanged


def test_wrong_sign_ins_and_wrong_current_passwords_add_up(client, reception, clock):
    fail(client, "selin", 3, clock)
    attempt(client, "selin", PASSWORD)
    assert "1 more wrong try locks your account." in change_password(client, "guess").content.decode()
    assert change_password(client, "guess-again").status_code == 429


def test_a_right_current_password_changes_it_and_other_mistakes_do_not_count(client, reception, clock):
    attempt(client, "selin", PASSWORD)
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "a-new-longer-pass-42", "new_password2": "x"}
    )
    assert response.status_code == 200 and "more wrong tr" not in response.content.decode()
    assert change_password(client, PASSWORD)["Location"] == "/accounts/password/done/"
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.exists()
