"""Reliability drill for the aftercare reminder pipeline (docs/drill.md; docs/architecture.md, "Aftercare reminders").

Creates N due reminders in a database of its own, runs real `celery beat` / `celery worker` processes on a
Redis server of its own, sends to an SMTP server inside this process, and meanwhile SIGKILLs workers (the whole
process group), SIGKILLs and restarts Redis, and optionally makes the SMTP server refuse (451) for a while.
Then it counts what arrived: every reminder exactly once, nothing lost, nothing duplicated.

    .venv/bin/python scripts/drill_reminders.py [--reminders 5000] [--kills 3] [--workers 1] [--refuse-seconds 0]

Exit status: 0 when received == distinct Message-IDs == N with nothing lost and no duplicate, 1 otherwise,
2 when the drill could not be set up. Everything it starts is stopped, and its database dropped, in `finally`.
It uses only the database `meso_drill`, a Redis on a free port (never 6379) and an SMTP server on a free port.
"""

import argparse
import collections
import datetime as dt
import email.parser
import email.policy
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from processes import Child, Processes, free_port, group_members, log_to  # scripts/processes.py
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DB_NAME = "meso_drill"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
MESSAGE_ID_DOMAIN = "mesoclinic.example"
PROGRESS_EVERY = 5.0  # seconds between progress lines
POLL = 0.5  # seconds between database polls
MIN_EVENT_GAP = 3.0  # seconds between two disruptions
# INFO lines of a worker: "Task aftercare.tasks.send_reminders[<id>] succeeded in 0.28s: {'sent': 19, 'skipped': 1}",
# "Task aftercare.tasks.dispatch_due_reminders[<id>] succeeded in 0.07s: 200"
TASK_RESULT = re.compile(r"Task (aftercare\.tasks\.\w+)\[[^\]]+\] succeeded in [\d.e-]+s: (\{[^}]*\}|'?\w+'?)")
OUTCOME_COUNT = re.compile(r"'(\w+)': (\d+)")


log = log_to("drill")


# --- SMTP: a recording server in this process ---------------------------------------------------


@dataclass
class RecordingHandler:
    """Keeps (arrival time, Message-ID) of every accepted message; answers 451 to MAIL until `refuse_until`."""

    received: list[tuple[float, str]] = field(default_factory=list)
    refuse_until: float = 0.0  # time.monotonic() value
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    parser: email.parser.BytesHeaderParser = field(
        default_factory=lambda: email.parser.BytesHeaderParser(policy=email.policy.compat32)
    )

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd hook
        if time.monotonic() < self.refuse_until:
            with self.lock:
                self.refused += 1
            return "451 4.3.0 Drill: try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        message_id = str(self.parser.parsebytes(content).get("Message-ID", "")).strip()
        with self.lock:
            self.received.append((time.monotonic(), message_id))
        return "250 Message accepted for delivery"

    def snapshot(self) -> tuple[list[tuple[float, str]], int]:
        with self.lock:
            return list(self.received), self.refused


class SMTPServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


# --- The drill -------------------------------------------------------------------------------------


@dataclass
class Event:
    at: float  # seconds since the start of the celery processes
    what: str
    sent: int  # rows sent at that moment


@dataclass
class Planned:
    kind: str  # "kill" or "redis"
    threshold: int  # fire when this many rows are sent
    done: bool = False


class Drill:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.n = args.reminders
        self.tmp = Path(tempfile.mkdtemp(prefix="meso-drill-"))
        self.smtp: SMTPServer | None = None
        self.redis_port = free_port()
        self.redis_bin = shutil.which("redis-server")
        self.redis: Child | None = None
        self.procs: Processes | None = None
        self.workers: list[Child] = []
        self.beat: Child | None = None
        self.django_ready = False
        self.db_created = False
        self.events: list[Event] = []
        self.t0 = 0.0
        self.last_progress = 0.0  # when the sent count last rose (monotonic)
        self.broker = None  # a redis client on the drill's own port, for the queue length
        self.setup_seconds = 0.0
        self.finished_at = 0.0
        self.passed = False

    # --- set-up ---------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        assert self.smtp is not None
        return {
            "DJANGO_SETTINGS_MODULE": "meso_clinic.settings",
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": self.smtp.url,
            "CELERY_TASK_DEFAULT_QUEUE": "drill",
            "REMINDER_DISPATCH_SECONDS": "1",
            "REMINDER_LEASE_SECONDS": str(self.args.lease_seconds),
            "REMINDER_RETRY_BASE_SECONDS": "1",
            "MESSAGE_ID_DOMAIN": MESSAGE_ID_DOMAIN,
            "SITE_URL": "https://drill.mesoclinic.example",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **({"REMINDER_DISPATCH_BATCH": str(self.args.dispatch_batch)} if self.args.dispatch_batch else {}),
        }

    def start_redis(self) -> None:
        assert self.procs is not None and self.redis_bin
        argv = [self.redis_bin, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", str(self.tmp)]
        self.redis = self.procs.spawn("redis", argv)
        self.wait_for_redis(timeout=15)

    def wait_for_redis(self, *, timeout: float) -> None:
        import redis

        assert self.redis is not None
        client = redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.redis.popen.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.redis.popen.returncode}; see {self.redis.log}")
            try:
                if client.ping():
                    client.close()
                    return
            except redis.exceptions.RedisError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not answer within {timeout} s; see {self.redis.log}")

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True, connect_timeout=10
        )

    def recreate_database(self) -> None:
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
        self.db_created = True

    def drop_database(self) -> None:
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))

    def migrate(self, env: dict[str, str]) -> None:
        # Fixed argv (this interpreter, the project's manage.py): no shell, no outside input.
        done = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=300, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"migrate failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def setup_django(self, env: dict[str, str]) -> None:
        os.environ.update(env)  # before Django reads its settings
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        self.django_ready = True
        import logging

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-connection lines

    def create_rows(self) -> None:
        """Staff, patients who consent to emails, one performed session each, N due reminders (bulk)."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.db import transaction
        from django.utils import timezone

        from aftercare.models import AftercarePlan, Reminder
        from aftercare.schedule import ReminderKind
        from patients import questionnaire
        from patients.models import EligibilityScreening, Patient
        from treatments.models import Consent, ConsentText, Session

        kinds = [k.value for k in ReminderKind if k.after_session]
        count = math.ceil(self.n / len(kinds))
        now = timezone.now()
        user_model = get_user_model()
        with transaction.atomic():
            physician, nurse, reception = user_model.objects.bulk_create(
                [
                    user_model(username=f"drill-{role}", first_name=role.title(), password=make_password(None))
                    for role in ("physician", "nurse", "reception")
                ]
            )
            plan = AftercarePlan.objects.select_related("area").order_by("area__category").first()
            if plan is None:
                raise RuntimeError("no aftercare plan: did the data migrations run?")
            area = plan.area
            indication = area.indications.order_by("pk").first()
            text = ConsentText.objects.order_by("-published_at").first()
            patients = Patient.objects.bulk_create(
                [
                    Patient(
                        given_name=f"Drill{i}", family_name="Patient", date_of_birth=dt.date(1990, 1, 1),
                        sex=Patient.Sex.FEMALE, email=f"drill-{i:05d}@drill.example", email_consent=True,
                        preferred_language="tr" if i % 4 == 0 else "en", created_by=reception,
                    )
                    for i in range(count)
                ],
                batch_size=1000,
            )
            screenings = EligibilityScreening.objects.bulk_create(
                [
                    EligibilityScreening(
                        patient=p, taken_at=now - dt.timedelta(days=10), taken_by=nurse,
                        questionnaire_version=questionnaire.VERSION, answers={}, answer_record=[], age_years=36,
                        outcome="eligible", hard_stop=False, findings=[], decision="approved", decided_by=physician,
                        decided_at=now - dt.timedelta(days=10), decision_reason="Drill.",
                        valid_until=(now + dt.timedelta(days=180)).date(),
                    )
                    for p in patients
                ],
                batch_size=1000,
            )
            consents = Consent.objects.bulk_create(
                [
                    Consent(patient=p, text=text, consented_at=now - dt.timedelta(hours=2), recorded_by=reception)
                    for p in patients
                ],
                batch_size=1000,
            )
            sessions = Session.objects.bulk_create(
                [
                    Session(
                        patient=p, area=area, indication=indication, technique=Session.Technique.NEEDLES,
                        practitioner=physician, supervising_physician=physician,
                        scheduled_at=now - dt.timedelta(hours=1), status=Session.Status.PERFORMED,
                        booked_by=reception, performed_at=now - dt.timedelta(minutes=30), performed_by=physician,
                        screening=s, consent=c, health_unchanged_confirmed=True,
                    )
                    for p, s, c in zip(patients, screenings, consents, strict=True)
                ],
                batch_size=1000,
            )
            due = now - dt.timedelta(minutes=1)
            Reminder.objects.bulk_create(
                [
                    Reminder(session=sessions[i // len(kinds)], kind=kinds[i % len(kinds)], due_at=due)
                    for i in range(self.n)
                ],
                batch_size=1000,
            )
        made = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=timezone.now()).count()
        if made != self.n:
            raise RuntimeError(f"expected {self.n} due reminders, found {made}")
        log(f"rows: 3 staff, {count} patients, screenings, consents and performed sessions, {self.n} reminders")

    # --- celery processes -------------------------------------------------------------------------

    def celery(self, *args: str) -> list[str]:
        return [PYTHON, "-m", "celery", "-A", "meso_clinic", *args]

    def start_worker(self, slot: int) -> Child:
        assert self.procs is not None
        name = f"worker{slot}"
        generation = self.procs.generation.get(name, 0) + 1
        argv = self.celery(
            "worker", "-Q", "drill", "--pool", "prefork", "--concurrency", str(self.args.concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", self.args.worker_loglevel,
            "--hostname", f"drill-{name}-g{generation}@%h",
        )
        return self.procs.spawn(name, argv)

    def start_beat(self) -> Child:
        assert self.procs is not None
        argv = self.celery(
            "beat", "--loglevel", "WARNING", "--schedule", str(self.tmp / "celerybeat-schedule"),
            "--pidfile", str(self.tmp / "celerybeat.pid"),
        )
        return self.procs.spawn("beat", argv)

    # --- disruptions ------------------------------------------------------------------------------

    def note(self, what: str, sent: int, *, at: float | None = None) -> None:
        event = Event((at if at is not None else time.monotonic()) - self.t0, what, sent)
        self.events.append(event)
        log(f"+{event.at:6.1f} s  {what}")

    def kill_worker(self, slot: int, sent: int) -> None:
        assert self.procs is not None
        victim = self.workers[slot]
        members = group_members(victim.pid)
        at = time.monotonic()
        gone = self.procs.signal_group(victim, signal.SIGKILL, wait=10)
        self.note(
            f"SIGKILL worker{slot + 1} process group {victim.pid} ({len(members)} processes)"
            + ("" if gone else " - WARNING: members still alive"),
            sent,
            at=at,
        )
        self.workers[slot] = self.start_worker(slot + 1)
        self.note(f"started worker{slot + 1} again (pid {self.workers[slot].pid})", sent)

    def kill_redis(self, sent: int) -> None:
        assert self.procs is not None and self.redis is not None
        at = time.monotonic()
        self.procs.signal_group(self.redis, signal.SIGKILL, wait=10)
        self.note(f"SIGKILL redis-server (pid {self.redis.pid}, port {self.redis_port})", sent, at=at)
        time.sleep(2)
        self.start_redis()
        self.note(f"restarted redis-server on port {self.redis_port} (pid {self.redis.pid}), empty", sent)

    def plan(self) -> list[Planned]:
        """Disruptions at spread-out points of progress (share of rows sent): kills, then Redis."""
        kills, slots = self.args.kills, self.args.kills + 2
        planned = [Planned("kill", max(1, round(self.n * (i + 1) / slots))) for i in range(kills)]
        planned.append(Planned("redis", max(1, round(self.n * (kills + 1) / slots))))
        return planned

    def watch_children(self, sent: int) -> None:
        """A process that died without being killed by the drill is reported and started again."""
        assert self.procs is not None
        for slot, worker in enumerate(self.workers):
            if worker.popen.poll() is not None and not worker.expected_exit:
                code = worker.popen.returncode
                self.note(f"UNEXPECTED: worker{slot + 1} exited with {code} (see {worker.log})", sent)
                self.procs.signal_group(worker, signal.SIGKILL, wait=5)
                self.workers[slot] = self.start_worker(slot + 1)
        if self.beat and self.beat.popen.poll() is not None and not self.beat.expected_exit:
            self.note(f"UNEXPECTED: beat exited with {self.beat.popen.returncode} (see {self.beat.log})", sent)
            self.beat = self.start_beat()
        if self.redis and self.redis.popen.poll() is not None and not self.redis.expected_exit:
            self.note(f"UNEXPECTED: redis-server exited with {self.redis.popen.returncode}", sent)
            self.start_redis()

    # --- the run --------------------------------------------------------------------------------

    def queue_length(self) -> str:
        """Tasks waiting in the broker's `drill` list and delivered-but-unacked ones (kombu's `unacked` hash)."""
        import redis

        try:
            if self.broker is None:
                self.broker = redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=1,
                                          socket_connect_timeout=1)
            return f"{self.broker.llen('drill')}+{self.broker.hlen('unacked')}"
        except redis.exceptions.RedisError:
            self.broker = None
            return "?"

    def status_counts(self) -> dict[str, int]:
        from django.db.models import Count

        from aftercare.models import Reminder

        return dict(Reminder.objects.order_by().values_list("status").annotate(n=Count("id")))

    def run(self) -> int:
        if not self.redis_bin:
            log("redis-server is not on PATH")
            return 2
        started = time.monotonic()
        self.smtp = SMTPServer()
        self.smtp.start()
        env = {**os.environ, **self.env()}
        self.procs = Processes(env, self.tmp)
        self.start_redis()
        log(f"SMTP server on 127.0.0.1:{self.smtp.port}, redis-server on 127.0.0.1:{self.redis_port}, "
            f"logs in {self.tmp}")
        self.recreate_database()
        t_db = time.monotonic()
        self.migrate(env)
        t_migrate = time.monotonic()
        self.setup_django(self.env())
        self.create_rows()
        t_rows = time.monotonic()
        log(f"setup took {t_rows - started:.1f} s (database {t_db - started:.1f} s, migrate "
            f"{t_migrate - t_db:.1f} s, {self.n} reminders and their rows {t_rows - t_migrate:.1f} s)")
        self.setup_seconds = t_rows - started

        self.t0 = time.monotonic()
        self.smtp.handler.refuse_until = self.t0 + self.args.refuse_seconds
        self.beat = self.start_beat()
        self.workers = [self.start_worker(slot + 1) for slot in range(self.args.workers)]
        log(f"started beat and {self.args.workers} worker(s) x {self.args.concurrency} (prefork); "
            f"lease {self.args.lease_seconds} s, dispatch every 1 s"
            + (f"; SMTP answers 451 for the first {self.args.refuse_seconds} s" if self.args.refuse_seconds else ""))

        outcome = self.wait(self.plan())
        self.finished_at = time.monotonic()
        if outcome == "done":
            log(f"every row is sent after {self.finished_at - self.t0:.1f} s; "
                f"waiting {self.args.grace} s more for late duplicates")
            self.wait_grace()
        return self.report(outcome)

    def wait(self, planned: list[Planned]) -> str:
        deadline = self.t0 + self.args.timeout
        last_print = last_event = 0.0
        kill_slot = last_sent = 0
        self.last_progress = self.t0
        while True:
            counts = self.status_counts()
            sent, failed = counts.get("sent", 0), counts.get("failed", 0)
            now = time.monotonic()
            if sent > last_sent:
                last_sent, self.last_progress = sent, now
            self.watch_children(sent)
            for item in planned:
                if item.done or sent < item.threshold or now - last_event < MIN_EVENT_GAP:
                    continue
                item.done = True
                if item.kind == "kill":
                    self.kill_worker(kill_slot % len(self.workers), sent)
                    kill_slot += 1
                else:
                    self.kill_redis(sent)
                last_event = time.monotonic()
                break  # one disruption per poll
            if now - last_print >= PROGRESS_EVERY:
                self.progress(counts)
                last_print = now
            if sent == self.n:
                self.progress(counts)
                return "done"
            if failed and sent + failed + counts.get("cancelled", 0) == self.n:
                self.progress(counts)
                return "terminal"
            if now > deadline:
                self.progress(counts)
                return "timeout"
            time.sleep(POLL)

    def progress(self, counts: dict[str, int]) -> None:
        assert self.smtp is not None
        received, refused = self.smtp.handler.snapshot()
        elapsed = time.monotonic() - self.t0
        rate = counts.get("sent", 0) / elapsed if elapsed > 0 else 0.0
        log(
            f"+{elapsed:6.1f} s  sent {counts.get('sent', 0)}/{self.n}  sending {counts.get('sending', 0)}  "
            f"pending {counts.get('pending', 0)}  failed {counts.get('failed', 0)}  | SMTP received "
            f"{len(received)} refused {refused}  | broker queue+unacked {self.queue_length()}  | {rate:.1f}/s"
        )

    def wait_grace(self) -> None:
        end = time.monotonic() + self.args.grace
        before = len(self.smtp.handler.snapshot()[0]) if self.smtp else 0
        while time.monotonic() < end:
            time.sleep(POLL)
            self.watch_children(self.n)
        after = len(self.smtp.handler.snapshot()[0]) if self.smtp else 0
        log(f"grace period over: {after - before} message(s) arrived during it")

    # --- figures --------------------------------------------------------------------------------

    def report(self, outcome: str) -> int:
        from aftercare.models import Reminder

        assert self.smtp is not None
        rows = list(Reminder.objects.order_by("pk").values_list("pk", "session_id", "status", "attempts", "message_id"))
        received, refused = self.smtp.handler.snapshot()
        counts = collections.Counter(status for _, _, status, _, _ in rows)
        by_id = collections.Counter(mid for _, mid in received)
        arrivals: dict[str, list[float]] = collections.defaultdict(list)
        for at, mid in received:
            arrivals[mid].append(at - self.t0)
        expected = {f"<reminder-{pk}-{session}@{MESSAGE_ID_DOMAIN}>": pk for pk, session, _, _, _ in rows}
        attempts = {pk: n for pk, _, _, n, _ in rows}
        sent_ids = [mid for _, _, status, _, mid in rows if status == "sent"]
        lost_sent = [mid for mid in sent_ids if mid not in by_id]
        not_sent = [(pk, status, n) for pk, _, status, n, _ in rows if status != "sent"]
        duplicates = {mid: c for mid, c in by_id.items() if c > 1}
        unknown = [mid for mid in by_id if mid not in expected]
        histogram = collections.Counter(n for _, _, _, n, _ in rows)
        wall = self.finished_at - self.t0
        first = min((at - self.t0 for at, _ in received), default=None)
        kills = [e for e in self.events if e.what.startswith("SIGKILL worker")]
        redis_kills = [e for e in self.events if e.what.startswith("SIGKILL redis")]
        unexpected = [e for e in self.events if e.what.startswith("UNEXPECTED")]

        lost = len(lost_sent) + len(not_sent)
        self.passed = len(received) == len(by_id) == self.n and lost == 0 and not duplicates and not unknown
        planned_kills = self.args.kills

        def when(events: list[Event]) -> str:
            return ", ".join(f"+{e.at:.1f} s ({e.sent} sent)" for e in events) or "-"

        lines = [
            ("reminders (N)", f"{self.n}"),
            ("workers x concurrency", f"{self.args.workers} x {self.args.concurrency} (prefork)"),
            ("lease / dispatch tick / retry base", f"{self.args.lease_seconds} s / 1 s / 1 s"),
            ("setup (db, migrate, rows)", f"{self.setup_seconds:.1f} s"),
            ("worker kills (SIGKILL group)", f"{len(kills)}/{planned_kills}  {when(kills)}"),
            ("redis kills (SIGKILL, restart 2 s)", f"{len(redis_kills)}/1  {when(redis_kills)}"),
            ("SMTP 451 period / 451 answers", f"{self.args.refuse_seconds} s / {refused}"),
            ("unexpected process exits", f"{len(unexpected)}"),
            ("outcome of the wait", outcome),
            ("-- rows", ""),
            ("sent", f"{counts['sent']}"),
            ("failed", f"{counts['failed']}"),
            ("pending", f"{counts['pending']}"),
            ("sending", f"{counts['sending']}"),
            ("cancelled", f"{counts['cancelled']}"),
            ("-- SMTP server", ""),
            ("messages received", f"{len(received)}"),
            ("distinct Message-IDs", f"{len(by_id)}"),
            ("duplicates (IDs received > 1)", f"{len(duplicates)} ({sum(duplicates.values()) - len(duplicates)} "
                                               "extra copies)"),
            ("unknown Message-IDs", f"{len(unknown)}"),
            ("-- lost", ""),
            ("lost (total)", f"{lost}"),
            ("  sent rows whose ID never arrived", f"{len(lost_sent)}"),
            ("  rows not sent", f"{len(not_sent)}"),
            ("-- effort", ""),
            ("max attempts on a row", f"{max(histogram, default=0)}"),
            ("rows with > 1 attempt", f"{sum(c for n, c in histogram.items() if n > 1)}"),
            ("attempts histogram", ", ".join(f"{n}: {c}" for n, c in sorted(histogram.items()))),
            ("-- time", ""),
            ("first message at", f"+{first:.1f} s" if first is not None else "-"),
            ("wall time to all sent", f"{wall:.1f} s" + ("" if outcome == "done" else f" ({outcome})")),
            ("last progress (sent count rose)", f"+{self.last_progress - self.t0:.1f} s"),
            ("broker queue + unacked at the end", self.queue_length()),
            ("messages / second", f"{len(by_id) / wall:.1f}" if wall > 0 else "-"),
            ("verdict", "PASS" if self.passed else "FAIL"),
        ]
        print()
        print("=" * 78)
        print(f" Reminder drill: {self.n} reminders, {planned_kills} worker kill(s), 1 redis kill, "
              f"{self.args.refuse_seconds} s of 451")
        print("=" * 78)
        for label, value in lines:
            if label.startswith("--"):
                print(f" {label[3:]}")
            else:
                print(f"   {label:<38} {value}")
        print("=" * 78)
        if duplicates:
            print(" duplicates (up to 10): Message-ID, arrivals, row attempts, the disruption nearest the first copy")
            disruptions = kills + redis_kills
            for mid, c in sorted(duplicates.items())[:10]:
                times = arrivals[mid]
                nearest = min(disruptions, key=lambda e: abs(e.at - times[0]), default=None)
                near = (
                    f"{nearest.what.split(' (')[0]} at +{nearest.at:.2f} s ({nearest.at - times[0]:+.2f} s)"
                    if nearest else "no disruption"
                )
                print(f"   {mid} x{c} at {', '.join(f'+{t:.2f}' for t in times)} s, "
                      f"attempts {attempts.get(expected.get(mid, -1), '?')}; {near}")
        if not_sent:
            print(" rows not sent (up to 10): id, status, attempts, last error")
            errors = dict(Reminder.objects.filter(pk__in=[pk for pk, _, _ in not_sent[:10]])
                          .values_list("pk", "last_error"))
            for pk, status, n in not_sent[:10]:
                print(f"   {pk} {status} attempts {n}: {errors.get(pk, '')[:100]}")
        if lost_sent:
            print(f" sent rows whose Message-ID never arrived (up to 10): {', '.join(lost_sent[:10])}")
        if unknown:
            print(f" unknown Message-IDs (up to 10): {', '.join(unknown[:10])}")
        print(" events:")
        for e in self.events:
            print(f"   +{e.at:6.1f} s  {e.what}")
        self.log_summary()
        return 0 if self.passed else 1

    def log_summary(self) -> None:
        """How many error lines each process logged (connection errors are expected around a Redis kill)."""
        if not self.procs:
            return
        print(" error lines in process logs (ERROR / Traceback):")
        results: collections.Counter[str] = collections.Counter()
        for child in self.procs.all:
            try:
                text = child.log.read_text(errors="replace")
            except OSError:
                continue
            errors = [line for line in text.splitlines() if "ERROR" in line or "Traceback" in line]
            if errors:
                print(f"   {child.log.name}: {len(errors)}, first: {errors[0][:140]}")
            for task, result in TASK_RESULT.findall(text):
                name = task.rsplit(".", 1)[-1]
                if result.startswith("{"):  # a chunk of sends: outcomes counted
                    for outcome, count in OUTCOME_COUNT.findall(result):
                        results[f"{name} -> {outcome}"] += int(count)
                elif result.isdigit():
                    results[f"{name} -> claimed"] += int(result)
                else:
                    results[f"{name} -> {result.strip(chr(39))}"] += 1
        if results:  # only with --worker-loglevel INFO
            print(" task results in the worker logs: " + ", ".join(f"{k}: {v}" for k, v in sorted(results.items())))

    # --- clean-up -------------------------------------------------------------------------------

    def cleanup(self) -> None:
        steps = [("celery and redis processes", self.procs.stop_all if self.procs else None),
                 ("SMTP server", self.smtp.stop if self.smtp else None),
                 ("Django connections", self._close_django if self.django_ready else None),
                 ("database", None if self.args.keep or not self.db_created else self.drop_database)]
        for name, step in steps:
            if step is None:
                continue
            try:
                step()
            except Exception as error:  # noqa: BLE001 - cleanup goes on whatever happens
                log(f"warning: cleaning up the {name}: {error}")
        if self.args.keep:
            log(f"kept the database {DB_NAME} and the logs in {self.tmp}")
        elif self.passed:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            log(f"logs kept in {self.tmp}")

    def _close_django(self) -> None:
        from django.db import connections

        connections.close_all()


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=5000, help="reminders to send (default 5000)")
    parser.add_argument("--kills", type=int, default=3, help="worker process groups to SIGKILL (default 3)")
    parser.add_argument("--workers", type=int, default=1, help="celery worker processes (default 1)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker (default 2)")
    parser.add_argument("--refuse-seconds", type=float, default=0, help="SMTP answers 451 at first (default 0)")
    parser.add_argument("--lease-seconds", type=int, default=15, help="REMINDER_LEASE_SECONDS (default 15)")
    parser.add_argument("--dispatch-batch", type=int, default=0, help="REMINDER_DISPATCH_BATCH (default: app's)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for every row sent (600)")
    parser.add_argument("--grace", type=float, default=20, help="seconds to wait for late duplicates (20)")
    parser.add_argument("--worker-loglevel", default="WARNING", choices=["WARNING", "INFO"],
                        help="INFO logs every task's result, which the summary then counts (default WARNING)")
    parser.add_argument("--keep", action="store_true", help="keep the drill database and the logs")
    args = parser.parse_args(argv)
    if args.reminders < 1 or args.workers < 1 or args.concurrency < 1 or args.kills < 0:
        parser.error("--reminders, --workers and --concurrency must be positive, --kills not negative")
    return args


def _terminate(signum: int, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminate)
    drill = Drill(args)
    try:
        return drill.run()
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except (RuntimeError, OSError, psycopg.Error, subprocess.TimeoutExpired, TimeoutError) as error:
        log(f"the drill could not run: {error}")
        return 2
    finally:
        drill.cleanup()


if __name__ == "__main__":
    sys.exit(main())
