"""Reminders are sent in chunks: one task takes a chunk of claimed rows and sends them over one SMTP
connection (issue 7: the Celery and database round trips of a task are paid once per chunk).

What must not change with chunks: each reminder is sent exactly once even when the task is delivered
twice; a reminder is marked sent right after its own send (a killed worker leaves at most one message
unmarked); a refused address fails on its own; after a temporary failure the untried rest of the chunk
goes back to pending without counting an attempt. In-process against a real local SMTP server; the
real worker runs chunks in tests/test_aftercare_pipeline.py and tests/test_two_workers.py.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare import services
from aftercare.models import Reminder
from aftercare.services import AFTER_SESSION_KINDS
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import NOW

DAY = dt.timedelta(days=1)
LATER = NOW + 15 * DAY  # all six aftercare reminders of a session performed at NOW are due


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def session(patient, reception, nurse, physician):
    with time_machine.travel(NOW, tick=False):
        return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


def claim_chunks(capture, *, size: int, settings) -> list[tuple[list[int], str]]:
    """What beat does at LATER: claim the due rows, enqueue them `size` at a time (recorded here)."""
    settings.REMINDER_SEND_CHUNK = size
    chunks: list[tuple[list[int], str]] = []
    with time_machine.travel(LATER, tick=False), capture(execute=True):
        services.reminders_dispatch(enqueue_chunk=lambda ids, token, lease: chunks.append((ids, token)))
    return chunks


def statements(captured: CaptureQueriesContext) -> list[str]:
    """The SQL a chunk runs (the test's own transaction adds savepoints: left out)."""
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def send(ids: list[int], token: str) -> dict[int, str]:
    with time_machine.travel(LATER, tick=False):
        return services.reminders_send(reminder_ids=ids, token=token)


def test_a_claim_is_enqueued_in_chunks_and_each_reminder_is_sent_once(
    django_capture_on_commit_callbacks, smtp_server, session, settings
):
    # The pre-session reminder was cancelled when the session took place; the sheet is due at once.
    chunks = claim_chunks(django_capture_on_commit_callbacks, size=4, settings=settings)
    assert [len(ids) for ids, _ in chunks] == [4, 2]
    assert len({token for _, token in chunks}) == 1  # one claim, one token

    first, token = chunks[0]
    assert send(first, token) == dict.fromkeys(first, "sent")
    assert send(first, token) == dict.fromkeys(first, "skipped")  # the same task delivered twice
    second, _ = chunks[1]
    assert send(second, token) == dict.fromkeys(second, "sent")

    received = smtp_server.handler.messages
    assert len(received) == 6
    assert len({m.message_id for m in received}) == 6
    assert {m.rcpt_tos[0] for m in received} == {"zeynep@example.com"}
    rows = Reminder.objects.filter(session=session, kind__in=AFTER_SESSION_KINDS)  # the booking's were cancelled
    assert sorted(rows.values_list("status", "attempts", "lease_token")) == [("sent", 1, "")] * 6
    assert {r.message_id for r in rows} == {f"<reminder-{r.pk}-{session.pk}@mesoclinic.example>" for r in rows}
    assert {r.sent_at for r in rows} == {LATER}


def test_a_chunk_reads_the_rows_texts_and_plans_once_not_once_per_reminder(
    django_capture_on_commit_callbacks, smtp_server, session, settings
):
    """The queries of a chunk: a fixed part, then one per message (marked sent with its history entry)."""
    chunks = claim_chunks(django_capture_on_commit_callbacks, size=6, settings=settings)
    [(ids, token)] = chunks
    with CaptureQueriesContext(connection) as six:
        assert set(send(ids, token).values()) == {"sent"}
    with CaptureQueriesContext(connection) as again:
        send(ids, token)  # taken already: one locking read, nothing else
    assert len(statements(again)) == 1
    sql = statements(six)
    marks = [q for q in sql if 'UPDATE "aftercare_reminder" SET "status"' in q]
    history = [q for q in sql if 'INSERT INTO "meso_clinic_historyentry"' in q]
    assert len(marks) == 6 and len(history) == 7  # six marked sent, and the attempts of all six in one
    # On PostgreSQL a mark and its history entry are one statement (history.TrackedQuerySet.update_if);
    # elsewhere (SQLite, development) the tracked update: read, update, history.
    per_message = 1 if connection.vendor == "postgresql" else 3
    # Taking the rows (lock, update, read back the attempts, history), loading them with session and
    # patient, all the texts, all the plans: the same with 6 or 20 in the chunk.
    assert len(sql) - 6 * per_message == 8, [q[:80] for q in sql]
    assert sum("aftercare_remindermessage" in q for q in sql) == 1
    assert sum('FROM "aftercare_aftercareplan"' in q for q in sql) == 1


def test_a_refused_address_fails_each_reminder_of_the_chunk_on_its_own(
    django_capture_on_commit_callbacks, smtp_server, session, settings
):
    smtp_server.handler.reject.add("zeynep@example.com")  # 550: permanent
    [(ids, token)] = claim_chunks(django_capture_on_commit_callbacks, size=6, settings=settings)

    assert send(ids, token) == dict.fromkeys(ids, "failed")

    rows = Reminder.objects.filter(pk__in=ids)
    assert {(r.status, r.attempts) for r in rows} == {("failed", 1)}
    assert all(r.last_error.startswith("550") for r in rows)
    assert smtp_server.handler.messages == []


def test_after_a_temporary_failure_the_untried_rest_goes_back_to_pending_without_an_attempt(
    django_capture_on_commit_callbacks, smtp_server, session, settings
):
    smtp_server.handler.refuse_all = True  # 451: try again later
    [(ids, token)] = claim_chunks(django_capture_on_commit_callbacks, size=6, settings=settings)

    outcomes = send(ids, token)

    assert list(outcomes.values()) == ["retry"] + ["released"] * 5
    assert smtp_server.handler.refused_count == 1  # the rest was not tried against a server saying "later"
    tried, *rest = (Reminder.objects.get(pk=pk) for pk in ids)
    assert (tried.status, tried.attempts, tried.last_error[:3]) == ("pending", 1, "451")
    backoff = LATER + dt.timedelta(seconds=settings.REMINDER_RETRY_BASE_SECONDS)
    assert tried.next_attempt_at == backoff
    assert {(r.status, r.attempts, r.lease_token, r.lease_expires_at, r.next_attempt_at) for r in rest} == {
        ("pending", 0, "", None, backoff)
    }
    # The server accepts again: after the back-off the six are claimed afresh and sent once each.
    smtp_server.handler.refuse_all = False
    with time_machine.travel(backoff, tick=False), django_capture_on_commit_callbacks(execute=True):
        again: list = []
        services.reminders_dispatch(enqueue_chunk=lambda chunk, tok, lease: again.append((chunk, tok)))
    [(ids_again, token_again)] = again
    assert sorted(ids_again) == sorted(ids)
    with time_machine.travel(backoff, tick=False):
        assert set(services.reminders_send(reminder_ids=ids_again, token=token_again).values()) == {"sent"}
    assert len(smtp_server.handler.messages) == 6


def test_a_reminder_that_breaks_while_rendering_fails_alone_and_its_chunk_mates_are_sent(
    django_capture_on_commit_callbacks, smtp_server, session, settings, monkeypatch, caplog
):
    """A bug or bad data in one reminder is that reminder's failure (a retry, then failed), not the chunk's."""
    from aftercare import services as aftercare_services

    [(ids, token)] = claim_chunks(django_capture_on_commit_callbacks, size=6, settings=settings)
    broken = ids[2]
    render = aftercare_services.render_reminder

    def render_or_break(reminder, **kwargs):
        if reminder.pk == broken:
            raise ValueError("zeynep@example.com is not a valid address")  # a message with patient data
        return render(reminder, **kwargs)

    monkeypatch.setattr(aftercare_services, "render_reminder", render_or_break)

    outcomes = send(ids, token)

    assert outcomes[broken] == "retry"
    assert [outcomes[pk] for pk in ids if pk != broken] == ["sent"] * 5
    assert len(smtp_server.handler.messages) == 5
    row = Reminder.objects.get(pk=broken)
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error.startswith("ValueError")
    ours = [r.getMessage() for r in caplog.records if r.name == "aftercare.services"]
    assert len(ours) == 1 and ours[0].startswith(f"reminder {broken} could not be sent: ValueError at ")
    assert "zeynep" not in ours[0]  # the log names the row and the error's type, not its message
    assert not any(r.exc_info for r in caplog.records if r.name == "aftercare.services")  # no traceback text


def test_a_chunk_taken_just_before_its_lease_ends_is_not_claimed_again_while_it_sends(
    django_capture_on_commit_callbacks, smtp_server, session, settings, monkeypatch
):
    """The task may start a moment before the claim's lease runs out (its expiry in the broker is the
    lease): taking the rows starts a fresh lease, so beat's next tick does not release them mid-chunk."""
    [(ids, token)] = claim_chunks(django_capture_on_commit_callbacks, size=6, settings=settings)
    lease_end = LATER + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    claimed_again: list[int] = []
    send_one = services._send_one

    def send_while_beat_ticks(reminder, texts, *, now):
        with django_capture_on_commit_callbacks(execute=True):  # beat, after the claim's lease ended
            services.reminders_dispatch(
                now=lease_end + dt.timedelta(seconds=5), enqueue_chunk=lambda i, t, lease: claimed_again.extend(i)
            )
        return send_one(reminder, texts, now=now)

    monkeypatch.setattr(services, "_send_one", send_while_beat_ticks)
    with time_machine.travel(lease_end - dt.timedelta(seconds=1), tick=False):
        assert services.reminders_send(reminder_ids=ids, token=token) == dict.fromkeys(ids, "sent")
    assert claimed_again == []
    assert len(smtp_server.handler.messages) == 6
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", "attempts")) == {("sent", 1)}
