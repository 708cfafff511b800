"""The daily limit of reports per link holds when the reports arrive at once (issue 12), on PostgreSQL.

A security review posted 30 reports through one link at the same moment and 11 were stored with a limit of
10: the view counted, then the service wrote, and between the two the other requests counted too. Here 30
real HTTP requests to the live server (one thread and one database connection each on the server's side)
are released together by a barrier; exactly REPORTS_PER_SESSION_PER_DAY reports are stored, and every other
patient is asked to call the clinic.
"""

import re
import threading
import urllib.parse
from collections import Counter
from http.client import HTTPConnection
from http.cookies import SimpleCookie

import pytest

from aftercare.links import report_token
from aftercare.models import SideEffectReport
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import NOW

PARALLEL = 30


@pytest.fixture
def session(transactional_db, postgres, patient, reception, nurse, physician):
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


def opened_form(server: str, path: str) -> tuple[str, str]:
    """A browser of its own: the report page opened, its CSRF cookie and token."""
    connection = HTTPConnection(server, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        cookie.load(header)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
    return cookies, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_thirty_reports_at_once_store_exactly_the_daily_limit(session, live_server, settings):
    settings.REPORTS_PER_SESSION_PER_DAY = 10
    server = live_server.url.removeprefix("http://")
    path = f"/r/{report_token(session_id=session.pk, reminder_id=None)}/"
    browsers = [opened_form(server, path) for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)
    outcomes: list[str] = []

    def post(connection: HTTPConnection, cookies: str, csrf: str, n: int) -> None:
        try:
            outcomes.append(send(connection, cookies, csrf, n))
        except Exception as error:  # noqa: BLE001 - counted below, and named in the failure
            outcomes.append(f"error {error!r}")

    def send(connection: HTTPConnection, cookies: str, csrf: str, n: int) -> str:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf, "effects": "redness", "severity": "mild", "description": f"Report {n}."}
        )
        headers = {
            "Cookie": cookies,
            "Referer": live_server.url + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        start.wait(timeout=60)
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        if response.status == 302:
            return "stored"
        if "We already have many reports from you today." in page:
            return "asked to call"
        return f"other {response.status}: {page[:300]}"

    # Connected one by one beforehand (the live server's listen queue holds 10), all sent at once after it.
    threads = []
    for n, (cookies, csrf) in enumerate(browsers):
        connection = HTTPConnection(server, timeout=60)
        connection.connect()
        threads.append(threading.Thread(target=post, args=(connection, cookies, csrf, n)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert SideEffectReport.objects.filter(session=session).count() == 10
    assert Counter(outcomes) == {"stored": 10, "asked to call": 20}
