"""Two worker processes dispatching and sending at once never send a reminder twice (issue 7, docs/deploy.md).

Real parts: PostgreSQL, Redis, two `celery worker` processes (two prefork processes each), and two local
SMTP servers, one per worker, so that every message tells which worker sent it. Thirty dispatch tasks are
queued at once with a small batch, so that the four processes claim rows side by side (SELECT ... FOR
UPDATE SKIP LOCKED); each claimed row's send runs on whichever worker takes it from the reminder queue.
"""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone

from aftercare.emails import message_id
from aftercare.models import Reminder
from aftercare.schedule import ReminderKind
from aftercare.tasks import dispatch_due_reminders
from tests.fixtures.aftercare import performed_session
from tests.fixtures.smtp import SMTPServer
from treatments.models import Session, SessionProduct

pytestmark = pytest.mark.integration

COPIES = 15  # sessions, six emails each: 90 due reminders (and the original session's aftercare sheet)
KINDS = [k.value for k in ReminderKind if k.after_session]  # the aftercare timeline's kinds


def due_reminders(session: Session, *, copies: int) -> list[Reminder]:
    """`copies` more performed sessions like `session`, each with all six emails due a minute ago."""
    sessions = []
    for i in range(copies):
        copy = Session.objects.get(pk=session.pk)
        copy.pk = None
        copy.scheduled_at -= dt.timedelta(days=7 * (i + 1))
        copy.performed_at -= dt.timedelta(days=7 * (i + 1))
        sessions.append(copy)
    sessions = Session.objects.bulk_create(sessions)
    SessionProduct.objects.bulk_create(
        [SessionProduct(session=s, product=sp.product, batch=sp.batch) for s in sessions
         for sp in session.session_products.all()]
    )
    due = timezone.now() - dt.timedelta(minutes=1)
    rows = [Reminder(session=s, kind=kind, due_at=due) for s in sessions for kind in KINDS]
    return Reminder.objects.bulk_create(rows)


def test_two_workers_dispatching_at_once_send_each_reminder_once(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    due_reminders(session, copies=COPIES)
    expected = {message_id(r) for r in Reminder.objects.filter(status="pending", due_at__lte=timezone.now())}
    assert len(expected) == COPIES * len(KINDS) + 1

    other_smtp = SMTPServer().start()
    try:
        # No beat: the test dispatches. Claims of 4, sent 2 to a task.
        env = {"REMINDER_DISPATCH_BATCH": "4", "REMINDER_SEND_CHUNK": "2", "REMINDER_DISPATCH_SECONDS": "3600"}
        workers = [
            celery_processes(EMAIL_URL=smtp_server.url, **env).start_worker(name="worker-a"),
            celery_processes(EMAIL_URL=other_smtp.url, **env).start_worker(name="worker-b"),
        ]
        for _ in range(30):
            dispatch_due_reminders.delay()

        def received() -> set[str]:
            return {m.message_id for m in smtp_server.handler.messages + other_smtp.handler.messages}

        deadline = nudged = time.monotonic()
        deadline += 90
        while len(received()) < len(expected) and time.monotonic() < deadline:
            if any(w.poll() is not None for w in workers):
                pytest.fail("a worker process exited")
            if time.monotonic() - nudged > 5:  # what beat would do: another dispatch now and then
                dispatch_due_reminders.delay()
                nudged = time.monotonic()
            time.sleep(0.25)
        time.sleep(2)  # a duplicate, if any, would arrive now

        a = [m.message_id for m in smtp_server.handler.messages]
        b = [m.message_id for m in other_smtp.handler.messages]
    finally:
        other_smtp.stop()

    sent_twice = {mid: n for mid, n in Counter(a + b).items() if n > 1}
    assert sent_twice == {}, "a reminder was sent twice"
    assert set(a) | set(b) == expected, "every due reminder was sent"
    assert a and b, "both workers sent some: they really dispatched side by side"
    rows = Reminder.objects.filter(session__patient=patient, status="sent")
    assert rows.count() == len(expected) and all(r.attempts == 1 for r in rows)
    assert set(rows.values_list("message_id", flat=True)) == expected
