"""Benchmark of the pages and of reminder dispatch at clinic-chain scale (docs/benchmarks.md).

Needs a database loaded by `manage.py generate_load_data` (default `meso_bench` on 127.0.0.1:5432, user postgres),
`wrk` and `redis-server` on PATH. It:

1. serves the app with gunicorn (2 workers, production settings: DEBUG off, CONN_MAX_AGE=60, collectstatic into a
   temporary STATIC_ROOT) through a temporary settings module whose URLconf adds `/__ceiling__`, a minimal Django
   view that answers "ok" (the ceiling: the same middleware, no database, no template);
2. signs in as a user (the login form, as a browser does) and loads each page with wrk at -c 8 for --duration
   seconds: requests/s, p50/p95/p99 latency, and the ratio to the ceiling's requests/s;
3. counts the SQL queries of each page in this process (Django's test Client, CaptureQueriesContext) against the
   same database as the same user, with the time they take and the slowest one (EXPLAIN ANALYZE with --explain);
4. sends 20,000 due reminders through the real pipeline (celery beat + worker(s) on a Redis of its own, never
   6379) to a local aiosmtpd server in a child process, counts Message-IDs (exactly once: distinct == N,
   duplicates 0, lost 0) and compares the rate with a plain smtplib loop (one connection per message: the
   target's reference) and, for comparison, the same loop on one connection for all (the app now keeps a
   connection open per worker process), against the same server in the same run. The rows it adds for that
   are deleted at the end.

Physicians must give a two-factor code after their password: the benchmark gives the bench user an
authenticator for the run (removed at the end) and signs in with its current code.

    .venv/bin/python scripts/benchmark.py --password PW [--database meso_bench] [--user physician]
        [--duration 12] [--connections 8] [--reminders 20000] [--concurrency 6] [--explain] [--skip-web]
        [--skip-dispatch]

Exit status: 0 when it ran (whatever the figures), 1 when dispatch lost or duplicated a message, 2 when it could
not run. Everything it starts is stopped in `finally`, each child in a process group of its own.
"""

import argparse
import collections
import contextlib
import datetime as dt
import email.parser
import email.policy
import http.cookiejar
import io
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from processes import HOST, Child, Processes, free_port, log_to, wait_for_port  # scripts/processes.py

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BENCH_NOTE = "benchmark dispatch row: deleted by scripts/benchmark.py at the end"
BENCH_DEVICE = "benchmark authenticator (deleted at the end)"
TARGET_P95_MS = 50.0
TARGET_CEILING_SHARE = 0.10
TARGET_QUERIES = 10


def _transaction_control(sql: str) -> bool:
    return sql.split(" ", 1)[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


TARGET_DISPATCH_SHARE = 0.50
WRK_TIMEOUT = 60  # seconds: a slow page is measured slow, not counted as errors
TASK_LINE = re.compile(r"Task (aftercare\.tasks\.\w+)\[[^\]]+\] succeeded in ([\d.e-]+)s")
MAX_PAGE_SECONDS = 90  # a slow page is loaded longer (3 x its queue), up to this


log = log_to("bench")


# --- The SMTP server, in a child process of its own (`benchmark.py --smtp-server PORT --record FILE`) -------------


def serve_smtp(port: int, record: Path) -> int:
    """An aiosmtpd server that appends the Message-ID of every accepted message to `record`, one per line."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    out = record.open("a", buffering=1, encoding="utf-8")
    lock = threading.Lock()

    class Recorder:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
            content = envelope.original_content or envelope.content
            if isinstance(content, str):
                content = content.encode()
            message_id = str(parser.parsebytes(content).get("Message-ID", "")).strip()
            with lock:
                out.write(f"{time.time():.6f} {message_id}\n")
            return "250 Message accepted for delivery"

    controller = Controller(Recorder(), hostname=HOST, port=port, ready_timeout=10)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
        out.close()
    return 0


def read_record(path: Path) -> list[tuple[float, str]]:
    rows = []
    with contextlib.suppress(FileNotFoundError), path.open(encoding="utf-8") as lines:
        for line in lines:
            at, _, message_id = line.rstrip("\n").partition(" ")
            with contextlib.suppress(ValueError):
                rows.append((float(at), message_id))
    return rows


# --- HTTP: sign in as a browser does, and check the pages ------------------------------------------------------


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1 only
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode("utf-8", errors="replace")

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def sign_in(self, username: str, password: str, code=None) -> None:
        """The password on the sign-in page, then (physicians, managers) the authenticator's code."""
        status, _, page = self.request("/accounts/login/")
        token = csrf_token(page)
        if status != 200 or not token:
            raise RuntimeError(f"the sign-in page answered {status} without a CSRF token")
        status, url, page = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status == 200 and "/accounts/two-factor/verify/" in url and code is not None:
            status, url, page = self.request(
                urllib.parse.urlsplit(url).path, {"csrfmiddlewaretoken": csrf_token(page), "code": code()}
            )
        if status != 200 or "/accounts/login/" in url or "/accounts/two-factor/" in url or not self.cookie("sessionid"):
            raise RuntimeError(f"could not sign in as {username!r} (status {status}, at {url}): wrong --password?")


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found.group(1) if found else ""


# --- wrk -----------------------------------------------------------------------------------------------------

WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d, "
    .. "\\"max\\": %d, \\"mean\\": %.1f}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Page:
    name: str
    path: str
    form: dict[str, str] | None = None  # POSTed (url-encoded) when set
    must_contain: str = ""
    # A patient search: POSTed once, then its results are loaded where the POST redirects (?search=<key>, the
    # query kept in that session), as the browser does (Post/Redirect/Get, patients/views.py PatientListView).
    search: str | None = None
    # Filled in by the run:
    wrk: dict = field(default_factory=dict)
    queries: int | None = None
    sql_ms: float | None = None
    server_ms: float | None = None
    bytes: int = 0
    slowest: tuple[float, str] = (0.0, "")
    signed_in: bool = True  # wrk sends the session cookie
    seconds: float = 0.0  # how long wrk loaded it


def lua_script(tmp: Path, page: Page, cookie: str) -> Path:
    lines = [f'wrk.headers["Cookie"] = "{cookie}"'] if page.signed_in else []
    if page.form is not None:
        body = urllib.parse.urlencode(page.form)
        lines += [
            'wrk.method = "POST"',
            f"wrk.body = {json.dumps(body)}",
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
        ]
    path = tmp / f"wrk-{re.sub(r'[^a-z0-9]+', '-', page.name.lower())}.lua"
    path.write_text("\n".join(lines) + "\n" + WRK_DONE, encoding="utf-8")
    return path


def run_wrk(url: str, script: Path, *, duration: float, connections: int, threads: int) -> dict:
    argv = [
        shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
        "--timeout", f"{WRK_TIMEOUT}s", "-s", str(script), url,
    ]
    # Fixed argv from this script's own values (a 127.0.0.1 URL, a temporary file): no shell.
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)  # noqa: S603
    found = re.search(r"^WRK_JSON (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    return json.loads(found.group(1))


# --- The benchmark ----------------------------------------------------------------------------------------------


class Benchmark:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="meso-bench-"))
        self.children: Processes | None = None
        self.web_port = free_port()
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.smtp_record = self.tmp / "smtp-received.txt"
        self.smtp: Child | None = None
        self.django_ready = False
        self.bench_session_ids: list[int] = []
        self.pages: list[Page] = []
        self.ceiling: Page | None = None
        self.ceiling_after: Page | None = None  # the same view loaded again after the pages
        self.anonymous: Page | None = None
        self.dispatch: dict[str, object] = {}
        self.load_before = os.getloadavg()
        self.secret_key = secrets.token_urlsafe(50)
        self.exit_code = 0

    # --- environment -----------------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        a = self.args
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(self.tmp), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DATABASE_URL": f"postgres://{a.db_user}@{a.db_host}:{a.db_port}/{a.database}",
            "REDIS_URL": f"redis://{HOST}:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://{HOST}:{self.smtp_port}",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "STATIC_ROOT": str(self.tmp / "static"),
            "CONN_MAX_AGE": "60",
            "CELERY_TASK_DEFAULT_QUEUE": "bench",
            "REMINDER_DISPATCH_SECONDS": str(a.dispatch_seconds),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **({"REMINDER_DISPATCH_BATCH": str(a.dispatch_batch)} if a.dispatch_batch else {}),
        }

    def write_modules(self) -> None:
        """A settings module and a URLconf of the benchmark's own: the project's, plus the ceiling view."""
        (self.tmp / "bench_settings.py").write_text(
            textwrap.dedent('''\
                """The project's settings with the benchmark's URLconf (written by scripts/benchmark.py)."""
                from meso_clinic.settings import *  # noqa: F403

                ROOT_URLCONF = "bench_urls"
            ''') + "".join(f"{line}\n" for line in self.args.settings_code),
            encoding="utf-8",
        )
        (self.tmp / "bench_urls.py").write_text(
            textwrap.dedent('''\
                """The project's URLs plus /__ceiling__: a minimal Django view, the benchmark's ceiling."""
                from django.contrib.auth.decorators import login_not_required
                from django.http import HttpResponse
                from django.urls import path

                from meso_clinic.urls import urlpatterns as project_urlpatterns


                @login_not_required
                def ceiling(request):
                    return HttpResponse("ok", content_type="text/plain")


                urlpatterns = [*project_urlpatterns, path("__ceiling__", ceiling)]
            '''),
            encoding="utf-8",
        )

    def setup_django(self) -> None:
        os.environ.update(self.env())
        sys.path[:0] = [str(self.tmp), str(ROOT)]
        import django

        django.setup()
        self.django_ready = True

    # --- services ----------------------------------------------------------------------------------------------

    def start_redis(self) -> None:
        assert self.children is not None
        redis_bin = shutil.which("redis-server")
        if not redis_bin:
            raise RuntimeError("redis-server is not on PATH (apt-get install redis-server)")
        child = self.children.spawn("redis", [
            redis_bin, "--port", str(self.redis_port), "--bind", HOST, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", str(self.tmp),
        ])
        wait_for_port(self.redis_port, timeout=15, proc=child.popen, what="redis-server")

    def start_smtp(self) -> None:
        assert self.children is not None
        self.smtp = self.children.spawn(
            "smtp", [PYTHON, str(Path(__file__).resolve()), "--smtp-server", str(self.smtp_port),
                     "--record", str(self.smtp_record)],
        )
        wait_for_port(self.smtp_port, timeout=20, proc=self.smtp.popen, what="the SMTP server")

    def collectstatic(self) -> None:
        # Fixed argv (this interpreter, the project's manage.py): no shell, no outside input.
        done = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=self.env(),
            capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"collectstatic failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def start_gunicorn(self) -> Child:
        assert self.children is not None
        child = self.children.spawn("gunicorn", [
            PYTHON, "-m", "gunicorn", "meso_clinic.wsgi:application", "--workers", str(self.args.workers),
            *(["--threads", str(self.args.gunicorn_threads)] if self.args.gunicorn_threads > 1 else []),
            "--bind", f"{HOST}:{self.web_port}", "--timeout", "60", "--graceful-timeout", "5",
            "--log-level", "warning", "--chdir", str(ROOT),
        ])
        wait_for_port(self.web_port, timeout=60, proc=child.popen, what="gunicorn")
        return child

    # --- web pages ---------------------------------------------------------------------------------------------

    def authenticator(self):
        """The bench user's authenticator (TOTP device): theirs, or one made for the run and removed after it.

        Physicians and managers must give a code after their password (meso_clinic/core/twofactor.py); the
        benchmark signs in as a person would, and counts queries with the session verified, as theirs is.
        """
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if getattr(self, "_device", None) is None:
            user = get_user_model().objects.get(username=self.args.user)
            device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name=BENCH_DEVICE, confirmed=True)
            self._device = device
        return self._device

    def two_factor_code(self) -> str:
        from django_otp.oath import totp

        device = self.authenticator()
        device.refresh_from_db()
        step = int((time.time() - device.t0) // device.step) + device.drift
        ahead = max(0, device.last_t + 1 - step)  # a code is accepted once: the next step's if this one was used
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=device.drift + ahead):06d}"

    def delete_bench_device(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(name=BENCH_DEVICE).delete()

    def choose_pages(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT patient_id, COUNT(*) FROM treatments_session GROUP BY patient_id ORDER BY 2 DESC, 1 LIMIT 1"
            )
            row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"no sessions in {self.args.database}: run manage.py generate_load_data first")
        self.long_patient, self.long_sessions = row
        self.pages = [
            Page("dashboard", "/", must_contain="Good day"),
            Page("patient list", "/patients/", must_contain="Patients"),
            Page(f"patient search \u201c{self.args.search}\u201d", "/patients/", search=self.args.search,
                 must_contain="Patients"),
            Page(f"patient page ({self.long_sessions} sessions)", f"/patients/{self.long_patient}/",
                 must_contain="Screening history"),
            Page("review queue", "/patients/reviews/", must_contain="Screenings awaiting review"),
            # The calendar (issue 14; the day view before it): this week of the clinic's 12 practitioners, and today.
            Page("calendar week (this week)", "/treatments/calendar/?view=week", must_contain="Week of"),
            Page("calendar day (today)", "/treatments/calendar/?view=day", must_contain='data-testid="calendar"'),
            Page("reminder dashboard", "/aftercare/delivery/", must_contain="Aftercare emails"),
        ]
        # The ceiling is measured as the pages are, signed in: the session and user loads (and whatever the
        # middleware does for a signed-in user) are part of every page's cost. Anonymous, for reference.
        if self.args.pages:
            wanted = [w.strip().lower() for w in self.args.pages.split(",") if w.strip()]
            self.pages = [p for p in self.pages if any(w in p.name.lower() for w in wanted)]
        self.ceiling = Page("ceiling: minimal view, signed in", "/__ceiling__", must_contain="ok")
        self.anonymous = Page("minimal view, anonymous", "/__ceiling__", must_contain="ok", signed_in=False)
        # Loaded again after the pages (a shared VM's speed drifts over minutes): the pages' share is of the mean.
        self.ceiling_after = Page("ceiling again, after the pages", "/__ceiling__", must_contain="ok")

    def check_pages(self, browser: Browser) -> None:
        """Every page answers 200 with its own content (not the sign-in page) before it is measured."""
        status, _, page = browser.request("/patients/")
        token = csrf_token(page)
        if not token:
            raise RuntimeError("no CSRF token on the patient list: is the user allowed to see patients?")
        for page_ in [*self.pages, self.ceiling]:
            assert page_ is not None
            if page_.search is not None:
                status, url, _ = browser.request("/patients/", {"csrfmiddlewaretoken": token, "q": page_.search})
                parts = urllib.parse.urlsplit(url)
                if status != 200 or "search=" not in parts.query:
                    raise RuntimeError(f"{page_.name}: the search answered {status} at {url}, not its results")
                page_.path = f"{parts.path}?{parts.query}"
            if page_.form is not None:
                page_.form = {"csrfmiddlewaretoken": token, **page_.form}
            started = time.perf_counter()
            status, url, body = browser.request(page_.path, page_.form)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200 or page_.must_contain not in body or "/accounts/login/" in url:
                raise RuntimeError(f"{page_.name}: {page_.path} answered {status} at {url} without "
                                   f"{page_.must_contain!r}")
            page_.bytes = len(body.encode())
            log(f"checked {page_.name}: 200, {page_.bytes} bytes, first request {elapsed:.0f} ms")

    def count_queries(self) -> None:
        """SQL queries of each page, in this process, as the same user, against the same database."""
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django_otp import DEVICE_ID_SESSION_KEY

        user = get_user_model().objects.get(username=self.args.user)
        client = Client(HTTP_HOST=HOST)
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])  # the model backend, after axes
        session = client.session  # signed in with the code too, as the browser's session is
        session[DEVICE_ID_SESSION_KEY] = self.authenticator().persistent_id
        session.save()
        for page in [self.ceiling, *self.pages]:
            assert page is not None
            data = {k: v for k, v in (page.form or {}).items() if k != "csrfmiddlewaretoken"}
            # This client's own session: its search key (the browser's is not in it).
            path = client.post("/patients/", {"q": page.search})["Location"] if page.search is not None else page.path

            def fetch(page=page, data=data, path=path):
                return client.post(path, data) if page.form is not None else client.get(path)

            fetch()  # warm: first-use caches (content types, templates) are not the page's own cost
            best = math.inf
            for _ in range(3):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = fetch()
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{page.name}: the test client got {response.status_code}")
                best = min(best, elapsed)
            page.server_ms = best
            # BEGIN/COMMIT of the request's transaction (ATOMIC_REQUESTS) are not queries of the page.
            page.queries = len([q for q in captured.captured_queries if not _transaction_control(q["sql"])])
            times = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
            page.sql_ms = sum(t for t, _ in times)
            page.slowest = max(times, default=(0.0, ""))
        self.n_plus_one_checks(client)

    def n_plus_one_checks(self, client) -> None:
        """The same page with little and with much data: the query count must not follow the rows."""
        from django.conf import settings
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT patient_id FROM treatments_session GROUP BY patient_id HAVING COUNT(*) = 1 ORDER BY 1 LIMIT 1"
            )
            small = cursor.fetchone()
        checks = []
        if small:
            checks.append(("patient page", f"/patients/{small[0]}/", f"/patients/{self.long_patient}/",
                           f"1 vs {self.long_sessions} sessions"))
        # The quietest and the busiest of the coming weeks' days with booked sessions (readiness is shown for
        # booked sessions: both pages run its queries), one page each.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (scheduled_at AT TIME ZONE %s)::date AS day, COUNT(*) FROM treatments_session "
                "WHERE status = 'booked' AND scheduled_at > now() + interval '1 day' GROUP BY 1 ORDER BY 2, 1",
                [settings.TIME_ZONE],
            )
            days = cursor.fetchall()
        if days:
            (quiet, few), (busy, many) = days[0], days[-1]
            checks.append(("calendar day", f"/treatments/calendar/?date={quiet}&view=day",
                           f"/treatments/calendar/?date={busy}&view=day", f"{few} vs {many} booked sessions"))
        # The week view: the quietest coming week against the busiest one (sessions of every status).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT date_trunc('week', scheduled_at AT TIME ZONE %s)::date AS week, COUNT(*) FROM "
                "treatments_session WHERE scheduled_at > now() - interval '7 days' GROUP BY 1 ORDER BY 2, 1",
                [settings.TIME_ZONE],
            )
            weeks = cursor.fetchall()
        if len(weeks) > 1:
            (quiet, few), (busy, many) = weeks[0], weeks[-1]
            checks.append(("calendar week", f"/treatments/calendar/?date={quiet}&view=week",
                           f"/treatments/calendar/?date={busy}&view=week", f"{few} vs {many} sessions"))
        self.n_plus_one = []
        for name, small_path, big_path, what in checks:
            counts = []
            for path in (small_path, big_path):
                client.get(path)
                with CaptureQueriesContext(connection) as captured:
                    client.get(path)
                counts.append(len([q for q in captured.captured_queries if not _transaction_control(q["sql"])]))
            self.n_plus_one.append((name, what, counts[0], counts[1]))

    def explain(self) -> None:
        """EXPLAIN (ANALYZE, BUFFERS) of each page's slowest query (read-only pages: SELECTs only)."""
        from django.db import connection

        for page in self.pages:
            ms, sql = page.slowest
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n--- {page.name}: slowest query ({ms:.1f} ms in the page)\n{sql}\n{plan}")

    def load_pages(self, browser: Browser) -> None:
        cookie = f"sessionid={browser.cookie('sessionid')}; csrftoken={browser.cookie('csrftoken')}"
        base = f"http://{HOST}:{self.web_port}"
        a = self.args
        for page in [self.anonymous, self.ceiling, *self.pages, self.ceiling_after]:
            assert page is not None
            script = lua_script(self.tmp, page, cookie)
            server_s = (page.server_ms or 0) / 1000
            if server_s < 0.5:  # warm-up, not counted (a slow page was warmed by the checks already)
                run_wrk(base + page.path, script, duration=min(3, a.duration), connections=a.connections,
                        threads=a.threads)
                self.wait_idle()
            # A slow page gets long enough for every connection to see a few answers.
            page.seconds = max(a.duration, min(MAX_PAGE_SECONDS, 3 * server_s * a.connections / a.workers))
            page.wrk = run_wrk(base + page.path, script, duration=page.seconds, connections=a.connections,
                               threads=a.threads)
            self.wait_idle()
            w = page.wrk
            errors = w["connect"] + w["read"] + w["write"] + w["status"] + w["timeout"]
            log(f"{page.name}: {w['requests'] / (w['duration_us'] / 1e6):.1f} req/s, p95 {w['p95'] / 1000:.1f} ms"
                + (f", {errors} errors" if errors else ""))

    def wait_idle(self, timeout: float = 180) -> None:
        """Wait until gunicorn has worked off what wrk left queued (it answers requests whose client left)."""
        url = f"http://{HOST}:{self.web_port}/__ceiling__"
        deadline = time.monotonic() + timeout
        quick = 0
        while time.monotonic() < deadline and quick < 3:
            started = time.perf_counter()
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                response.read()
            quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
            time.sleep(0.05)

    def web(self) -> None:
        self.write_modules()
        self.setup_django()
        self.vacuum()
        self.choose_pages()
        log("collectstatic into a temporary STATIC_ROOT")
        self.collectstatic()
        self.start_gunicorn()
        log(f"gunicorn: {self.args.workers} workers on {HOST}:{self.web_port}, database {self.args.database}")
        browser = Browser(f"http://{HOST}:{self.web_port}")
        self.authenticator()  # before the password: a physician without one is sent to set one up
        browser.sign_in(self.args.user, self.args.password, code=self.two_factor_code)
        self.check_pages(browser)
        self.count_queries()
        self.load_pages(browser)

    # --- reminder dispatch -------------------------------------------------------------------------------------

    def sample_message(self) -> bytes:
        """A reminder as the app renders it (for the plain smtplib loop to send copies of)."""
        from aftercare.emails import render_reminder
        from aftercare.models import Reminder

        reminder = (
            Reminder.objects.filter(status=Reminder.Status.SENT, kind="aftercare_sheet")
            .select_related("session__patient").order_by("pk").first()
        )
        if reminder is None:
            raise RuntimeError("no sent reminder to take a sample message from")
        return render_reminder(reminder).message().as_bytes(linesep="\r\n")  # as Django's SMTP backend sends it

    def smtplib_baseline(self, message: bytes, *, reuse: bool = False, label: str = "") -> dict[str, float]:
        """A plain loop in this process: one connection per message (the target's reference, as the issue set
        it), or with `reuse` one connection for all (for comparison: the app now keeps its connection open)."""
        count, budget = self.args.baseline_messages, self.args.baseline_seconds
        prefix = (b"<baseline-reuse-" if reuse else b"<baseline-") + label.encode()
        head, _, tail = re.sub(rb"(?im)^Message-ID:.*$", b"Message-ID: " + prefix + b"\0@bench>", message,
                               count=1).partition(b"\0")
        started = time.perf_counter()
        sent = 0
        smtp = smtplib.SMTP(HOST, self.smtp_port, timeout=30) if reuse else None
        while sent < count and time.perf_counter() - started < budget:
            if reuse:
                smtp.sendmail("clinic@mesoclinic.example", ["patient@example.com"], head + b"%d" % sent + tail)
            else:
                with smtplib.SMTP(HOST, self.smtp_port, timeout=30) as one:
                    one.sendmail("clinic@mesoclinic.example", ["patient@example.com"], head + b"%d" % sent + tail)
            sent += 1
        if smtp is not None:
            smtp.quit()
        elapsed = time.perf_counter() - started
        deadline = time.monotonic() + 30
        wanted = prefix.decode()
        while time.monotonic() < deadline:
            received = sum(1 for _, mid in read_record(self.smtp_record) if mid.startswith(wanted))
            if received >= sent:
                break
            time.sleep(0.2)
        return {"sent": sent, "received": received, "seconds": elapsed, "rate": sent / elapsed,
                "bytes": len(message)}

    def create_due_reminders(self, n: int) -> dict[str, str]:
        """N pending reminders due a minute ago, on new performed sessions of patients who take emails.

        The sessions are copies of existing performed sessions (their patient, course, screening, consent), so
        the send task finds what it needs; the rows are deleted at the end.
        """
        from django.db import transaction
        from django.utils import timezone

        from aftercare.models import Reminder
        from aftercare.schedule import ReminderKind
        from treatments.models import Session

        kinds = [k.value for k in ReminderKind if k.after_session]
        wanted = math.ceil(n / len(kinds))
        now = timezone.now()
        sources = list(
            Session.objects.filter(status=Session.Status.PERFORMED, patient__email_consent=True)
            .exclude(patient__email="").order_by("patient_id", "pk").distinct("patient_id")[:wanted]
        )
        if len(sources) < wanted:
            raise RuntimeError(f"only {len(sources)} patients with emails and a performed session; need {wanted}")
        with transaction.atomic():
            copies = []
            for s in sources:
                s.pk = None
                s.scheduled_at = now - dt.timedelta(hours=2)
                s.performed_at = now - dt.timedelta(hours=1)
                s.notes = BENCH_NOTE
                copies.append(s)
            sessions = Session.objects.bulk_create(copies, batch_size=2000)
            self.bench_session_ids = [s.pk for s in sessions]
            due = now - dt.timedelta(minutes=1)
            reminders = Reminder.objects.bulk_create(
                [Reminder(session=sessions[i // len(kinds)], kind=kinds[i % len(kinds)], due_at=due) for i in range(n)],
                batch_size=5000,
            )
        domain = os.environ.get("MESSAGE_ID_DOMAIN", "mesoclinic.example")
        return {f"<reminder-{r.pk}-{r.session_id}@{domain}>": str(r.pk) for r in reminders}

    def bench_status_counts(self) -> dict[str, int]:
        from django.db.models import Count

        from aftercare.models import Reminder

        return dict(
            Reminder.objects.filter(session_id__in=self.bench_session_ids).order_by().values_list("status")
            .annotate(n=Count("id"))
        )

    def celery(self, *args: str) -> list[str]:
        return [PYTHON, "-m", "celery", "-A", "meso_clinic", *args]

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        from meso_clinic.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0)
            if len(replies) >= count:
                return
        raise RuntimeError(f"{count} celery worker(s) did not answer a ping within {timeout} s")

    def run_dispatch(self) -> None:
        assert self.children is not None
        a = self.args
        if not self.django_ready:
            self.write_modules()
            self.setup_django()
        message = self.sample_message()
        log(f"plain smtplib loop: up to {a.baseline_messages} messages of {len(message)} bytes, one connection each")
        baseline = self.smtplib_baseline(message)
        log(f"plain smtplib: {baseline['rate']:.1f} messages/s ({baseline['sent']} in {baseline['seconds']:.1f} s)")
        reused = self.smtplib_baseline(message, reuse=True)
        log(f"plain smtplib, one connection: {reused['rate']:.1f} messages/s ({reused['sent']} in "
            f"{reused['seconds']:.1f} s)")
        t_rows = time.monotonic()
        expected = self.create_due_reminders(a.reminders)
        log(f"{a.reminders} due reminders on {len(self.bench_session_ids)} new sessions "
            f"({time.monotonic() - t_rows:.1f} s)")
        for i in range(a.worker_processes):
            self.children.spawn(f"worker{i + 1}", self.celery(
                "worker", "-Q", "bench", "--pool", "prefork", "--concurrency", str(a.concurrency),
                "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", a.worker_loglevel,
                "--hostname", f"bench{i + 1}@%h",
            ))
        self.wait_for_workers(a.worker_processes)
        t0 = time.time()
        self.children.spawn("beat", self.celery(
            "beat", "--loglevel", "WARNING", "--schedule", str(self.tmp / "celerybeat-schedule"),
            "--pidfile", str(self.tmp / "celerybeat.pid"),
        ))
        log(f"beat and {a.worker_processes} worker(s) x {a.concurrency} running; dispatch every "
            f"{a.dispatch_seconds} s")
        outcome = self.wait_dispatch(expected, t0)
        t_end = time.time()
        time.sleep(a.grace)  # late duplicates, if any, arrive now
        received = [(at, mid) for at, mid in read_record(self.smtp_record) if mid in expected]
        # The machine's speed drifts over minutes (a shared VM): the reference is measured before and after the
        # dispatch, and the ratio is against their mean.
        after = self.smtplib_baseline(message, label="after-")
        log(f"plain smtplib after the dispatch: {after['rate']:.1f} messages/s ({after['sent']} in "
            f"{after['seconds']:.1f} s)")
        reference = (baseline["rate"] + after["rate"]) / 2
        by_id = collections.Counter(mid for _, mid in received)
        counts = self.bench_status_counts()
        first = min((at for at, _ in received), default=t0)
        last = max((at for at, _ in received), default=t_end)
        wall = max(last - t0, 1e-9)
        steady = (len(received) - 1) / (last - first) if len(received) > 1 and last > first else 0.0
        lost = len(set(expected) - set(by_id))
        duplicates = sum(c - 1 for c in by_id.values() if c > 1)
        rate = len(by_id) / wall
        self.dispatch = {
            "outcome": outcome,
            "n": a.reminders,
            "received": len(received),
            "distinct": len(by_id),
            "duplicates": duplicates,
            "lost": lost,
            "statuses": counts,
            "first_after": first - t0,
            "wall": wall,
            "rate": rate,
            "steady": steady,
            "baseline": baseline,
            "baseline_after": after,
            "reference": reference,
            "baseline_reuse": reused,
            "ratio": rate / reference if reference else 0.0,
            "steady_ratio": steady / reference if reference else 0.0,
        }
        self.dispatch["task_seconds"] = self.task_seconds()
        if lost or duplicates or len(by_id) != a.reminders:
            self.exit_code = 1

    def task_seconds(self) -> dict[str, tuple[int, float]]:
        """Per task name: how many ran and their mean run time, from INFO worker logs (--worker-loglevel INFO)."""
        times: dict[str, list[float]] = collections.defaultdict(list)
        for child in self.children.all if self.children else []:
            if not child.name.startswith("worker"):
                continue
            with contextlib.suppress(OSError):
                for task, seconds in TASK_LINE.findall(child.log.read_text(errors="replace")):
                    times[task.rsplit(".", 1)[-1]].append(float(seconds))
        return {task: (len(ts), sum(ts) / len(ts)) for task, ts in times.items()}

    def wait_dispatch(self, expected: dict[str, str], t0: float) -> str:
        deadline = time.time() + self.args.timeout
        last_count, last_change, last_print = -1, time.time(), 0.0
        while True:
            counts = self.bench_status_counts()
            sent = counts.get("sent", 0)
            now = time.time()
            if sent != last_count:
                last_count, last_change = sent, now
            if now - last_print >= 5:
                log(f"+{now - t0:6.1f} s  sent {sent}/{len(expected)}  pending {counts.get('pending', 0)}  "
                    f"sending {counts.get('sending', 0)}  failed {counts.get('failed', 0)}")
                last_print = now
            if sent + counts.get("failed", 0) + counts.get("cancelled", 0) >= len(expected):
                return "done" if sent == len(expected) else "terminal"
            for child in (self.children.all if self.children else []):
                if child.name.startswith(("worker", "beat")) and child.popen.poll() is not None:
                    raise RuntimeError(f"{child.name} exited with {child.popen.returncode}:\n"
                                       f"{self.children.tail(child)}")
            if now > deadline:
                return "timeout"
            if now - last_change > 120:
                return "stalled"
            time.sleep(0.5)

    def delete_bench_rows(self) -> None:
        if not self.bench_session_ids:
            return
        from django.db import transaction

        from aftercare.models import Reminder, SideEffectReport
        from meso_clinic.core.history import allow_hard_delete
        from treatments.models import Session, SessionProduct

        # The benchmark's own rows only: clinical records are otherwise never deleted.
        with transaction.atomic(), allow_hard_delete():
            ids = self.bench_session_ids
            SideEffectReport.objects.filter(session_id__in=ids).delete()
            Reminder.objects.filter(session_id__in=ids).delete()
            SessionProduct.objects.filter(session_id__in=ids).delete()
            Session.objects.filter(pk__in=ids, notes=BENCH_NOTE).delete()
        log(f"deleted the benchmark's {len(ids)} sessions and their reminders")
        self.bench_session_ids = []
        self.vacuum()

    def vacuum(self) -> None:
        """VACUUM ANALYZE the tables the dispatch run writes, as autovacuum would a little later: the rows it
        added and deleted otherwise leave the visibility map stale, and the reminder dashboard's counts (index-only
        scans) measured 58 instead of 33 ms in-process after two dispatch runs."""
        from django.db import connection

        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in ("aftercare_reminder", "treatments_session", "treatments_sessionproduct",
                          "meso_clinic_historyentry"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - the table names above
        log(f"VACUUM ANALYZE of the tables the dispatch run writes: {time.perf_counter() - started:.1f} s")

    # --- the run -----------------------------------------------------------------------------------------------

    def run(self) -> int:
        for tool in ("wrk", "redis-server"):
            if not shutil.which(tool) and not (tool == "wrk" and self.args.skip_web):
                log(f"{tool} is not on PATH (apt-get install -y {'wrk' if tool == 'wrk' else 'redis-server'})")
                return 2
        self.children = Processes(self.env(), self.tmp)
        self.start_redis()
        self.start_smtp()
        if not self.args.skip_web:
            self.web()
        plans = ""
        if self.args.explain and self.pages:  # before dispatch adds its rows (sessions of today among them)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.explain()
            plans = out.getvalue()
        if not self.args.skip_dispatch:
            self.run_dispatch()
        self.report()
        print(plans, end="", flush=True)
        return self.exit_code

    def report(self) -> None:
        a = self.args
        load_after = os.getloadavg()
        print()
        print("=" * 118)
        print(f" MesoClinic benchmark  {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC  database {a.database}")
        print(f" {machine()}")
        print(f" load average before {self.load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
        for line in a.settings_code:
            print(f" settings changed for this run: {line}")
        if self.django_ready:
            print(f" {data_summary()}")
        print("=" * 118)
        if self.pages and self.ceiling and self.ceiling.wrk:
            again = self.ceiling_after
            measured = [rps(self.ceiling.wrk)] + ([rps(again.wrk)] if again is not None and again.wrk else [])
            ceiling_rps = sum(measured) / len(measured)
            kind = "sync" if a.gunicorn_threads <= 1 else f"gthread x {a.gunicorn_threads}"
            print(f" gunicorn {a.workers} workers ({kind}), wrk -t{a.threads} -c{a.connections} -d{a.duration:g}s, "
                  f"signed in as {a.user!r}; queries counted in-process (test Client), best of 3 for server ms")
            print(f" {'page':<34} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
                  f"{'queries':>7} {'SQL ms':>7} {'server ms':>9} {'KB':>5} {'vs ceiling':>10}  targets")
            ceilings = (self.ceiling, self.anonymous, again)
            shown = [self.anonymous, self.ceiling, *self.pages] + ([again] if again is not None and again.wrk else [])
            for page in shown:
                w = page.wrk
                errors = w["connect"] + w["read"] + w["write"] + w["status"] + w["timeout"]
                share = rps(w) / ceiling_rps if ceiling_rps else 0.0
                misses = []
                if page not in ceilings:
                    if w["p95"] / 1000 > TARGET_P95_MS:
                        misses.append("p95")
                    if share < TARGET_CEILING_SHARE:
                        misses.append("req/s")
                    if page.queries is not None and page.queries > TARGET_QUERIES:
                        misses.append("queries")
                    if errors:
                        misses.append("errors")
                verdict = "-" if page in ceilings else (
                    "ok" if not misses else "MISS " + ",".join(misses)
                )
                if page.seconds > a.duration:
                    verdict += f" ({page.seconds:.0f} s run)"
                print(
                    f" {page.name[:34]:<34} {rps(w):>8.1f} {w['p50'] / 1000:>7.1f} {w['p95'] / 1000:>7.1f} "
                    f"{w['p99'] / 1000:>7.1f} {errors:>6} {fmt(page.queries, '{:d}'):>7} "
                    f"{fmt(page.sql_ms, '{:.1f}'):>7} {fmt(page.server_ms, '{:.1f}'):>9} {page.bytes / 1024:>5.0f} "
                    f"{share:>9.1%}  {verdict}"
                )
            print(f" 'vs ceiling' is against {ceiling_rps:.1f} req/s, the mean of the signed-in ceiling before and "
                  "after the pages")
            print(f" targets: p95 <= {TARGET_P95_MS:.0f} ms, >= {TARGET_CEILING_SHARE:.0%} of the ceiling's req/s, "
                  f"<= {TARGET_QUERIES} queries, constant in rows")
            for name, what, small, big in getattr(self, "n_plus_one", []):
                verdict = "constant" if small == big else "GROWS WITH ROWS"
                print(f" queries of the {name}, {what}: {small} vs {big} ({verdict})")
            print(" slowest query of each page (ms, in-process):")
            for page in self.pages:
                ms, sql = page.slowest
                print(f"   {page.name[:34]:<34} {ms:>7.1f}  {' '.join(sql.split())[:150]}")
        if self.dispatch:
            d = self.dispatch
            b = d["baseline"]
            statuses = ", ".join(f"{k} {v}" for k, v in sorted(d["statuses"].items()))
            print("-" * 118)
            print(f" reminder dispatch: {d['n']} due reminders, celery beat (every {a.dispatch_seconds} s, batch "
                  f"{a.dispatch_batch or 'default'}) + {a.worker_processes} worker(s) x {a.concurrency} prefork, "
                  f"Redis on port {self.redis_port}, aiosmtpd in a child process")
            print(f"   outcome                              {d['outcome']}; rows: {statuses}")
            print(f"   messages received / distinct IDs     {d['received']} / {d['distinct']}")
            print(f"   duplicates / lost                    {d['duplicates']} / {d['lost']}"
                  f"   {'exactly once: PASS' if not d['duplicates'] and not d['lost'] else 'exactly once: FAIL'}")
            print(f"   first message after beat start       {d['first_after']:.1f} s")
            print(f"   wall time (beat start to last)       {d['wall']:.1f} s")
            print(f"   messages / s (wall)                  {d['rate']:.1f}   ({d['ratio']:.0%} of the plain loop)")
            print(f"   messages / s (first to last)         {d['steady']:.1f}   ({d['steady_ratio']:.0%} of the plain "
                  "loop)")
            print(f"   plain smtplib loop                   {d['reference']:.1f} messages/s, the mean of before and "
                  "after the dispatch:")
            for when, run in (("before", b), ("after", d["baseline_after"])):
                print(f"     {when:<35}{run['rate']:.1f} messages/s ({run['sent']} messages of {run['bytes']} bytes "
                      f"in {run['seconds']:.1f} s, {run['received']} received)")
            r = d["baseline_reuse"]
            print(f"   plain loop, one connection for all   {r['rate']:.1f} messages/s ({r['sent']} in "
                  f"{r['seconds']:.1f} s; dispatch is {d['rate'] / r['rate']:.0%} of it)")
            for task, (count, mean) in sorted(d.get("task_seconds", {}).items()):
                print(f"   {task + ' tasks (worker log)':<36} {count} run, mean {mean * 1000:.1f} ms each")
            verdict = "ok" if d["ratio"] >= TARGET_DISPATCH_SHARE and not d["duplicates"] and not d["lost"] else "MISS"
            print(f"   target: >= {TARGET_DISPATCH_SHARE:.0%} of the plain loop, 0 duplicates, 0 lost: {verdict}")
        print("=" * 118, flush=True)

    def cleanup(self) -> None:
        steps = [
            ("child processes", self.children.stop_all if self.children else None),
            ("benchmark rows", self.delete_bench_rows if self.django_ready else None),
            ("benchmark authenticator", self.delete_bench_device if self.django_ready else None),
            ("Django connections", self._close_django if self.django_ready else None),
        ]
        for name, step in steps:
            if step is None:
                continue
            try:
                step()
            except Exception as error:  # noqa: BLE001 - clean-up goes on whatever happens
                log(f"warning: cleaning up the {name}: {error}")
        if self.args.keep_logs:
            log(f"logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _close_django(self) -> None:
        from django.db import connections

        connections.close_all()


def rps(w: dict) -> float:
    return w["requests"] / (w["duration_us"] / 1e6) if w.get("duration_us") else 0.0


def fmt(value, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    memory = ""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}), {memory} RAM, Python {platform.python_version()}"


def data_summary() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('shared_buffers')")
        version, buffers = cursor.fetchone()
        counts = []
        for table, label in (("patients_patient", "patients"), ("patients_eligibilityscreening", "screenings"),
                             ("treatments_session", "sessions"), ("aftercare_reminder", "reminders")):
            cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")  # noqa: S608
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
    return f"PostgreSQL {version} (shared_buffers {buffers}); ~{', '.join(counts)}"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="meso_bench", help="PostgreSQL database (default meso_bench)")
    parser.add_argument("--db-host", default=HOST)
    parser.add_argument("--db-port", type=int, default=5432)
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--user", default="physician", help="who signs in (default physician: sees every page)")
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", ""),
                        help="the user's password (as given to generate_load_data; or BENCH_PASSWORD)")
    parser.add_argument("--search", default="Ayşe Yılmaz", help="what the patient search looks for")
    parser.add_argument("--duration", type=float, default=12, help="seconds of load per page (default 12)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--gunicorn-threads", type=int, default=1,
                        help="threads per gunicorn worker (default 1: sync workers; more runs the gthread worker)")
    parser.add_argument("--reminders", type=int, default=20000, help="due reminders to dispatch (default 20000)")
    parser.add_argument("--worker-processes", type=int, default=1, help="celery worker processes (default 1)")
    parser.add_argument("--concurrency", type=int, default=6,
                        help="prefork pool size per worker (default 6: three per core, as docs/deploy.md advises)")
    parser.add_argument("--dispatch-seconds", type=float, default=1.0,
                        help="REMINDER_DISPATCH_SECONDS, beat's tick (default 1; the app's default is 60)")
    parser.add_argument("--dispatch-batch", type=int, default=0, help="REMINDER_DISPATCH_BATCH (default: app's)")
    parser.add_argument("--baseline-messages", type=int, default=5000, help="plain smtplib loop: messages (5000)")
    parser.add_argument("--baseline-seconds", type=float, default=20, help="plain smtplib loop: at most (20 s)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for dispatch (default 900)")
    parser.add_argument("--grace", type=float, default=5, help="seconds to wait for late duplicates (default 5)")
    parser.add_argument("--worker-loglevel", default="WARNING", choices=["WARNING", "INFO"],
                        help="INFO logs every task with its run time; the report then gives the mean per task")
    parser.add_argument(
        "--settings-code", action="append", default=[], metavar="PYTHON",
        help="a line appended to the benchmark's settings module, to measure a change without editing the project, "
             "e.g. \"MIDDLEWARE = [m for m in MIDDLEWARE if 'IdleLogoff' not in m]\" (repeatable)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each page")
    parser.add_argument("--pages", default="", help="only the pages whose name contains one of these words "
                                                    "(comma-separated, e.g. 'dashboard,calendar'); the ceiling always")
    parser.add_argument("--skip-web", action="store_true", help="only the dispatch benchmark")
    parser.add_argument("--skip-dispatch", action="store_true", help="only the pages")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder with the logs")
    parser.add_argument("--smtp-server", type=int, help=argparse.SUPPRESS)  # internal: the SMTP child
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smtp_server is None:
        if not args.skip_web and not args.password:
            parser.error("--password (or BENCH_PASSWORD) is needed to sign in")
        if args.reminders < 1 or args.concurrency < 1 or args.worker_processes < 1 or args.connections < 1:
            parser.error("--reminders, --concurrency, --worker-processes and --connections must be positive")
    return args


def _terminate(signum: int, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.smtp_server is not None:
        return serve_smtp(args.smtp_server, args.record)
    signal.signal(signal.SIGTERM, _terminate)
    bench = Benchmark(args)
    try:
        return bench.run()
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except (RuntimeError, OSError, subprocess.TimeoutExpired, TimeoutError) as error:
        log(f"the benchmark could not run: {error}")
        return 2
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
