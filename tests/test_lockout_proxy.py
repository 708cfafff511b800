"""Sign-in lockout behind the clinic's TLS proxy (issue 12): the client's address is the trusted hop.

With TRUSTED_PROXY_COUNT=1 every request reaches Django from the proxy's own address; the proxy appends the
address it saw to X-Forwarded-For. Failures must count per that address, not the proxy's, or one machine on
the internet locks a colleague out for everyone; and the entries left of the trusted ones are whatever the
client sent, so they must not change the address (a guesser would name a new one on every try).
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings

from meso_clinic.core.client_ip import axes_client_ip, client_ip
from tests.fixtures.staff import PASSWORD

START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
PROXY = "10.0.0.2"  # REMOTE_ADDR of every request: the proxy in front of gunicorn
A = "203.0.113.7"  # someone guessing Selin's password from the internet
B = "198.51.100.20"  # Selin herself, at the clinic's front desk


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def through_proxy(forwarded_for: str | None) -> Client:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return Client(REMOTE_ADDR=PROXY, **headers)


def sign_in(client: Client, password: str) -> int:
    return client.post("/accounts/login/", {"username": "selin", "password": password}).status_code


def fail_five_times(client: Client, clock) -> list[int]:
    codes = []
    for _ in range(5):
        codes.append(sign_in(client, "not-my-password"))
        clock.shift(dt.timedelta(seconds=10))
    return codes


# --- Through the app ----------------------------------------------------------------------------


# AXES_CLIENT_IP_CALLABLE is checked by the lockouts behind a proxy below (axes alone would count the proxy's
# address), and the default TRUSTED_PROXY_COUNT=0 (README) by test_without_a_proxy_the_header_is_ignored.


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_lock_from_one_address_does_not_lock_the_user_elsewhere(reception, clock):
    assert fail_five_times(through_proxy(A), clock) == [200, 200, 200, 200, 429]
    assert sign_in(through_proxy(A), PASSWORD) == 429  # locked from A...
    assert sign_in(through_proxy(B), PASSWORD) == 302  # ...while Selin at B still gets in


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_forged_leftmost_entry_does_not_change_the_address(reception, clock):
    for n in range(5):  # a new made-up address on every try, before the one the proxy appended
        sign_in(through_proxy(f"192.0.2.{n + 1}, {A}"), "not-my-password")
        clock.shift(dt.timedelta(seconds=10))
    assert sign_in(through_proxy(A), PASSWORD) == 429  # all five counted against A
    assert sign_in(through_proxy(f"{B}, {A}"), PASSWORD) == 429  # naming B in front does not help A
    assert sign_in(through_proxy(B), PASSWORD) == 302


def test_without_a_proxy_the_header_is_ignored(reception, clock):
    """The default TRUSTED_PROXY_COUNT=0, not overridden here: anyone can send X-Forwarded-For, so it must not
    spread failures over addresses."""
    for n in range(5):
        sign_in(through_proxy(f"192.0.2.{n + 1}"), "not-my-password")
        clock.shift(dt.timedelta(seconds=10))
    assert sign_in(through_proxy(B), PASSWORD) == 429  # one machine (REMOTE_ADDR) made all five


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_request_without_the_header_counts_for_the_proxy_address(reception, clock):
    """A request that did not come through the proxy (or a proxy that forgot the header): REMOTE_ADDR."""
    fail_five_times(through_proxy(None), clock)
    assert sign_in(through_proxy(None), PASSWORD) == 429
    assert sign_in(through_proxy(B), PASSWORD) == 302


# --- The pure function --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "proxies", "expected"),
    [
        (PROXY, None, 0, PROXY),
        (PROXY, A, 0, PROXY),  # no proxy: the header is the client's own words
        (PROXY, A, 1, A),
        (PROXY, f"{B}, {A}", 1, A),  # the rightmost entry was appended by our proxy
        (PROXY, f"{B},{A}", 1, A),
        (PROXY, f"  {B} ,  {A}  ", 1, A),
        (PROXY, f"{B}, {A}, 10.0.0.1", 2, A),  # two proxies: the outer one appended A
        (PROXY, A, 2, PROXY),  # too short for two proxies: not ours, fall back
        (PROXY, None, 1, PROXY),
        (PROXY, "", 1, PROXY),
        (PROXY, f"{B}, ", 1, PROXY),  # an empty trusted entry
        (PROXY, "not-an-address", 1, PROXY),  # nothing an address column could store
        (PROXY, "2001:DB8::1", 1, "2001:db8::1"),  # IPv6, in the one spelling PostgreSQL stores
        (PROXY, "[2001:db8::1]:443", 1, "2001:db8::1"),  # some proxies add the port
        (PROXY, f"{A}:51234", 1, A),
        (None, None, 0, None),
        ("::ffff:10.0.0.2", None, 0, "::ffff:10.0.0.2"),
    ],
)
def test_client_ip(remote_addr, forwarded_for, proxies, expected):
    assert client_ip(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted_proxies=proxies) == expected


def test_a_negative_proxy_count_is_taken_as_none():
    assert client_ip(remote_addr=PROXY, forwarded_for=A, trusted_proxies=-1) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_axes_client_ip_reads_the_request_and_the_setting():
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{B}, {A}")
    assert axes_client_ip(request) == A
