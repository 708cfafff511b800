"""The tokens of patients' links never reach a request log (issue 12): dev server, Django's warnings, gunicorn.

Whoever reads an access log with "/r/<token>/" in it can open that patient's report page, or unsubscribe her.
"""

import logging
import os
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.log import ServerFormatter

from aftercare.links import report_token, unsubscribe_token
from meso_clinic.core.request_logs import MASK, mask_tokens, register_token_paths, token_paths
from scripts.processes import Processes, free_port, wait_for_port
from tests.fixtures import services
from tests.fixtures.aftercare import performed_session

TOKEN = "eJyrVipWsjI0MDTQUSpWsqpWKgaxi1JzcjJLUvOK8osyS1OTiooy89KBUgA:1tZxQk:8mPq3vX9yQ0aB7cD_eF-gH"
LINKS = ("/r/", "/unsubscribe/")


# --- The pure function --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/r/{TOKEN}/", f"/r/{MASK}/"),
        (f"/r/{TOKEN}/done/", f"/r/{MASK}/done/"),
        (f"/unsubscribe/{TOKEN}/", f"/unsubscribe/{MASK}/"),
        (f"/r/{TOKEN}", f"/r/{MASK}"),
        (f"/r/{TOKEN}?lang=tr", f"/r/{MASK}?lang=tr"),
        (f"GET /r/{TOKEN}/ HTTP/1.1", f"GET /r/{MASK}/ HTTP/1.1"),
        (f'"POST /r/{TOKEN}/ HTTP/1.1" 302 0 "https://clinic.example/r/{TOKEN}/"',
         f'"POST /r/{MASK}/ HTTP/1.1" 302 0 "https://clinic.example/r/{MASK}/"'),
        (f"/r/{TOKEN}/ and /unsubscribe/{TOKEN}/", f"/r/{MASK}/ and /unsubscribe/{MASK}/"),
        ("/patients/12/", "/patients/12/"),  # every other path is left as it is
        ("/aftercare/reports/3/", "/aftercare/reports/3/"),
        ("/r/", "/r/"),
        ("", ""),
    ],
)
def test_mask_tokens(text, expected):
    assert mask_tokens(text, LINKS) == expected


def test_mask_tokens_with_no_prefix_changes_nothing():
    assert mask_tokens(f"/r/{TOKEN}/", ()) == f"/r/{TOKEN}/"


def test_a_prefix_must_be_a_path():
    for wrong in ("r/", "/r", "/", ""):
        with pytest.raises(ValueError, match="starts and ends with"):
            register_token_paths(wrong)


def test_aftercare_registers_the_prefixes_of_its_links_as_the_urls_make_them():
    assert set(LINKS) <= set(token_paths())
    for name in ("aftercare:report", "aftercare:report_done", "aftercare:unsubscribe"):
        path = reverse(name, args=[TOKEN])
        assert TOKEN not in mask_tokens(path), path  # the registered prefixes, not the test's own
        assert MASK in mask_tokens(path)


def test_real_tokens_are_one_path_segment():
    for token in (report_token(session_id=12, reminder_id=345), unsubscribe_token(patient_id=6789)):
        assert mask_tokens(f"/r/{token}/done/") == f"/r/{MASK}/done/"


# --- Django's loggers (settings.LOGGING) ---------------------------------------------------------


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(ServerFormatter("[{server_time}] {message}", style="{"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_the_dev_server_request_line_is_masked():
    """The record exactly as runserver makes it (django.core.servers.basehttp.WSGIRequestHandler.log_message)."""
    logger = logging.getLogger("django.server")
    lines = Lines()
    logger.addHandler(lines)
    try:
        runserver = SimpleNamespace(request=None, log_date_time_string=lambda: "23/Nov/2026 10:00:00")
        WSGIRequestHandler.log_message(runserver, '"%s" %s %s', f"GET /r/{TOKEN}/ HTTP/1.1", "200", "5120")
        WSGIRequestHandler.log_message(runserver, '"%s" %s %s', f"GET /unsubscribe/{TOKEN}/ HTTP/1.1", "404", "99")
    finally:
        logger.removeHandler(lines)
    assert lines.lines == [
        f'[23/Nov/2026 10:00:00] "GET /r/{MASK}/ HTTP/1.1" 200 5120',
        f'[23/Nov/2026 10:00:00] "GET /unsubscribe/{MASK}/ HTTP/1.1" 404 99',
    ]
    # The dev server still logs its lines itself (LOGGING restates Django's handler for this logger).
    assert any(isinstance(h.formatter, ServerFormatter) for h in logger.handlers) and not logger.propagate


def test_djangos_not_found_warning_for_a_bad_link_is_masked(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/r/{TOKEN}/").status_code == 404  # a token of no session (a bad signature)
        assert client.get(f"/unsubscribe/{TOKEN}/").status_code == 404
    messages = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert messages == [f"Not Found: /r/{MASK}/", f"Not Found: /unsubscribe/{MASK}/"]


def test_djangos_csrf_warning_for_a_report_posted_without_the_cookie_is_masked(db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        assert Client(enforce_csrf_checks=True).post(f"/r/{TOKEN}/", {}).status_code == 403
    messages = [record.getMessage() for record in caplog.records if record.name == "django.security.csrf"]
    assert messages == [f"Forbidden (CSRF cookie not set.): /r/{MASK}/"]


# --- gunicorn, as production runs it -------------------------------------------------------------


@pytest.mark.integration
def test_gunicorns_access_log_masks_the_token_of_a_report_link(
    transactional_db, postgres, patient, reception, nurse, physician, tmp_path
):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    token = report_token(session_id=session.pk, reminder_id=None)
    port = free_port()
    access_log = tmp_path / "access.log"
    processes = Processes({**os.environ, "DATABASE_URL": services.test_database_url()}, tmp_path)
    try:
        gunicorn = processes.spawn("gunicorn", [
            sys.executable, "-m", "gunicorn", "-c", "python:meso_clinic.gunicorn_conf", "--workers", "1",
            "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
        ])
        wait_for_port(port, timeout=60, proc=gunicorn.popen, what="gunicorn")
        base = f"http://127.0.0.1:{port}"
        headers = {"Referer": f"{base}/r/{token}/done/", "User-Agent": "test-request-logs"}
        request = urllib.request.Request(f"{base}/r/{token}/", headers=headers)  # noqa: S310 - our local server
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            assert "side effect" in response.read().decode().lower()  # the patient's report page itself
        for _ in range(100):  # the worker writes the line after the response
            if access_log.exists() and "test-request-logs" in access_log.read_text():
                break
            time.sleep(0.05)
    finally:
        processes.stop_all()
    text = access_log.read_text()
    line = next(line for line in text.splitlines() if "test-request-logs" in line)
    assert token not in text
    assert f'"GET /r/{MASK}/ HTTP/1.1" 200 ' in line  # the rest of the line is all there
    assert f'"{base}/r/{MASK}/done/" "test-request-logs"' in line
    assert line.startswith("127.0.0.1 - - [")
