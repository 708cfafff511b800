"""Telling the patient about her appointment (issue 14): a booking confirmation, a moved and a cancelled session,
each an email with the session's calendar entry (.ics), through the reminder pipeline (a Reminder row written
with the session, sent once by the dispatcher); and the physician's instructions in the pre-session email.

Pure tests of the calendar entry, then the pipeline in-process against the real local SMTP server (the dispatch
that beat runs, the send that the worker runs), the clock standing at NOW (Monday 23 Nov 2026, 12:30 Istanbul).
tests/test_aftercare_pipeline.py sends the same three through a real Celery worker and beat.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from aftercare import services
from aftercare.invites import Invite, invite_ics, session_uid
from aftercare.models import Reminder
from patients.services import screening_decide, screening_take
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    answers,
    course_with_consent,
    product,
    read_patch_test,
    travel,
)
from treatments.services import session_book, session_cancel, session_check_in, session_no_show, session_reschedule

ISTANBUL = ZoneInfo("Europe/Istanbul")


def invite(**changes) -> Invite:
    values = dict(
        uid=session_uid(7, "mesoclinic.example"), sequence=0,
        starts_at=dt.datetime(2026, 3, 29, 10, 0, tzinfo=ISTANBUL), minutes=45,
        summary="Mesotherapy session at MesoClinic", location="MesoClinic",
        description="To change or cancel, call MesoClinic on +90 212 555 0100.", organizer_email="clinic@x.example",
        organizer_name="MesoClinic", attendee_email="zeynep@example.com", stamp=NOW,
    )
    return Invite(**{**values, **changes})


def event_of(ics: bytes | str):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


# --- The calendar entry (pure) ---------------------------------------------------------------------


def test_the_entry_parses_back_with_the_sessions_time_length_place_and_phone():
    calendar, event = event_of(invite_ics(invite()))
    assert (str(calendar["METHOD"]), str(calendar["VERSION"])) == ("REQUEST", "2.0")
    assert str(event["UID"]) == "session-7@mesoclinic.example" and int(event["SEQUENCE"]) == 0
    # 10:00 in Istanbul, written in UTC (no VTIMEZONE needed), 45 minutes.
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert str(event["LOCATION"]) == "MesoClinic" and "+90 212 555 0100" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED" and str(event["ORGANIZER"]) == "mailto:clinic@x.example"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_a_cancelled_entry_is_a_cancel_of_the_same_uid():
    calendar, event = event_of(invite_ics(invite(sequence=2, cancelled=True)))
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == ("session-7@mesoclinic.example", 2)


NAIVE = dt.datetime(2026, 3, 29, 10, 0)  # noqa: DTZ001 - the mistake refused below


@pytest.mark.parametrize(("changes", "message"), [
    ({"starts_at": NAIVE}, "`starts_at` must be timezone-aware"), ({"stamp": NAIVE}, "`stamp` must be timezone-aware"),
    ({"sequence": -1}, "cannot be negative"), ({"minutes": 0}, "lasts some minutes"),
])
def test_a_naive_time_or_a_wrong_number_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        invite_ics(invite(**changes))


# --- Through the pipeline --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clock():
    with travel(NOW) as traveller:
        yield traveller


@pytest.fixture
def ready(patient, reception, nurse, physician):
    """Zeynep (Turkish, consents to emails), ready: approved with the physician's instructions, tested, consented."""
    patient.preferred_language = "tr"
    patient.save()
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception, at=NOW - 10 * DAY)
    screening_decide(screening=screening, decision="approved", reason="Reviewed.", decided_by=physician,
                     at=NOW - 10 * DAY + MINUTE, instructions="İbuprofeni seanstan 3 gün önce bırakın.")
    vitamins = product(VITAMINS)
    read_patch_test(patient, [vitamins], nurse=nurse, applied_at=NOW - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=NOW - 2 * HOUR)
    return patient, course, vitamins


def book(ready, reception, physician, *, at):
    patient, course, vitamins = ready
    return session_book(
        patient=patient, course=course, indication=course.indication, products=[vitamins], technique="needles",
        practitioner=physician, supervising_physician=physician, scheduled_at=at, booked_by=reception,
    )


def send_due(capture, *, now=None) -> dict[int, str]:
    """What beat and the worker do: claim the due rows, then send them (in-process)."""
    claimed: list[tuple[int, str]] = []
    with capture(execute=True):
        services.reminders_dispatch(now=now or NOW, enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    outcomes = {}
    for pk, token in claimed:
        outcomes.update(services.reminders_send(reminder_ids=[pk], token=token, now=now or NOW))
    return outcomes


def subject(received) -> str:
    """A long non-ASCII subject is folded onto its own line ("Subject:" then " =?utf-8?b?...?="); mail programs
    drop the space the unfolding leaves before the encoded word, Python's parser keeps it."""
    return str(received.message["Subject"]).strip()


def invite_in(received):
    [part] = [p for p in received.message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invite.ics"
    return part.get_param("method"), *event_of(part.get_content())


def test_book_move_move_cancel_each_email_once_in_turkish_with_its_calendar_entry(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician
):
    capture = django_capture_on_commit_callbacks
    session = book(ready, reception, physician, at=NOW + 10 * DAY)  # 3 Dec 12:30 Istanbul
    uid = f"session-{session.pk}@mesoclinic.example"

    assert list(send_due(capture).values()) == ["sent"]  # the confirmation; the instructions wait for 30 Nov
    [booked] = smtp_server.handler.messages
    assert subject(booked) == "Seansınız ayarlandı · MesoClinic" and booked.rcpt_tos == ["zeynep@example.com"]
    text = booked.message.get_body(("plain",)).get_content()
    assert "Merhaba Zeynep" in text and "Randevunuz için teşekkür ederiz." in text and "+90 212 555 0100" in text
    assert "/r/" not in text  # nothing to report before a session
    method, calendar, event = invite_in(booked)
    assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("REQUEST", uid, 0)
    assert event.decoded("DTSTART") == NOW + 10 * DAY

    session_reschedule(session=session, scheduled_at=NOW + 12 * DAY, by=reception)
    assert list(send_due(capture).values()) == ["sent"]
    moved = smtp_server.handler.messages[1]
    assert subject(moved) == "Seansınızın saati değişti · MesoClinic"
    method, _, event = invite_in(moved)
    assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("REQUEST", uid, 1)
    assert event.decoded("DTSTART") == NOW + 12 * DAY

    # A second move: the same row (one per session and kind) is a new email, with a new Message-ID.
    session_reschedule(session=session, scheduled_at=NOW + 13 * DAY, by=reception)
    assert list(send_due(capture).values()) == ["sent"]
    again = smtp_server.handler.messages[2]
    _, _, event = invite_in(again)
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == (2, NOW + 13 * DAY)
    assert again.message_id != moved.message_id

    session_cancel(session=session, by=reception, reason="Hasta işten izin alamadı.")
    assert list(send_due(capture).values()) == ["sent"]
    cancelled = smtp_server.handler.messages[3]
    assert subject(cancelled) == "Seansınız iptal edildi · MesoClinic"
    method, calendar, event = invite_in(cancelled)
    assert (method, str(calendar["METHOD"]), str(event["STATUS"])) == ("CANCEL", "CANCEL", "CANCELLED")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 3)
    body = cancelled.message.get_body(("plain",)).get_content() + cancelled.message.get_body(("html",)).get_content()
    assert "izin" not in body and "izin" not in str(event.get("DESCRIPTION"))  # never the staff's reason

    assert send_due(capture, now=NOW + 20 * DAY) == {}  # nothing more, ever: the pre-session one was cancelled
    assert len(smtp_server.handler.messages) == 4
    assert len({m.message_id for m in smtp_server.handler.messages}) == 4
    rows = dict(Reminder.objects.filter(session=session).values_list("kind", "status"))
    assert rows == {"booking_confirmed": "sent", "session_moved": "sent", "session_cancelled": "sent",
                    "pre_session": "cancelled"}


def test_without_email_consent_no_email_is_written_or_sent(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician
):
    patient, _, _ = ready
    patient.email_consent = False
    patient.save()
    session = book(ready, reception, physician, at=NOW + 10 * DAY)
    session_reschedule(session=session, scheduled_at=NOW + 11 * DAY, by=reception)
    session_cancel(session=session, by=reception, reason="The patient called off.")
    assert not Reminder.objects.filter(session=session).exists()
    assert send_due(django_capture_on_commit_callbacks) == {}
    assert smtp_server.handler.messages == []


def test_an_unsubscribe_before_the_send_cancels_the_confirmation(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician
):
    patient, _, _ = ready
    session = book(ready, reception, physician, at=NOW + 10 * DAY)
    services.patient_unsubscribe(patient_id=patient.pk)
    assert send_due(django_capture_on_commit_callbacks) == {}
    assert Reminder.objects.get(session=session, kind="booking_confirmed").last_error == "The patient unsubscribed."
    assert smtp_server.handler.messages == []


def test_a_no_show_and_a_check_in_send_nothing(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician, clock
):
    missed = book(ready, reception, physician, at=NOW + 2 * HOUR)
    here = book(ready, reception, physician, at=NOW + 4 * HOUR)
    # Both booked today: the instructions and confirmation are due at once; she arrives before they go out.
    session_check_in(session=here, by=reception)
    assert set(Reminder.objects.filter(session=here).values_list("status", flat=True)) == {"cancelled"}
    clock.move_to(NOW + 2 * HOUR)
    session_no_show(session=missed, by=reception)
    assert send_due(django_capture_on_commit_callbacks, now=NOW + 2 * HOUR) == {}
    assert not Reminder.objects.filter(kind="session_cancelled").exists()
    assert smtp_server.handler.messages == []


def test_a_move_while_the_moved_email_is_out_sends_the_new_one_too(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician
):
    """The row is claimed and being sent when the session is moved again: that send must not mark the new email
    sent (it would be lost); the new one goes at the next dispatch, with the newer time."""
    session = book(ready, reception, physician, at=NOW + 10 * DAY)
    send_due(django_capture_on_commit_callbacks)
    session_reschedule(session=session, scheduled_at=NOW + 12 * DAY, by=reception)
    claimed: list[tuple[int, str]] = []
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_dispatch(now=NOW, enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    [(pk, token)] = claimed
    session_reschedule(session=session, scheduled_at=NOW + 14 * DAY, by=reception)  # while the first is claimed
    assert services.reminders_send(reminder_ids=[pk], token=token, now=NOW) == {pk: "skipped"}  # not its row now
    assert Reminder.objects.get(pk=pk).status == "pending"
    assert list(send_due(django_capture_on_commit_callbacks).values()) == ["sent"]
    _, _, event = invite_in(smtp_server.handler.messages[-1])
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == (2, NOW + 14 * DAY)


def test_a_send_in_flight_when_the_session_moves_again_does_not_mark_the_new_email_sent(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician, monkeypatch
):
    """The worker has taken the row and is talking to the SMTP server when the session is moved again."""
    from aftercare import emails

    session = book(ready, reception, physician, at=NOW + 10 * DAY)
    send_due(django_capture_on_commit_callbacks)
    session_reschedule(session=session, scheduled_at=NOW + 12 * DAY, by=reception)
    sent = emails.connection.send

    def move_during_the_send(email):
        sent(email)
        session_reschedule(session=session, scheduled_at=NOW + 14 * DAY, by=reception)

    monkeypatch.setattr(emails.connection, "send", move_during_the_send)
    assert list(send_due(django_capture_on_commit_callbacks).values()) == ["sent"]  # the first move's email
    monkeypatch.undo()
    row = Reminder.objects.get(session=session, kind="session_moved")
    assert (row.status, row.sequence) == ("pending", 2)  # the second move's email is still to go
    assert list(send_due(django_capture_on_commit_callbacks).values()) == ["sent"]
    _, _, event = invite_in(smtp_server.handler.messages[-1])
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == (2, NOW + 14 * DAY)
    assert Reminder.objects.get(pk=row.pk).status == "sent"


def test_the_pre_session_email_carries_the_physicians_instructions(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician
):
    book(ready, reception, physician, at=NOW + 2 * DAY)  # under three days ahead: the instructions go at once
    assert sorted(send_due(django_capture_on_commit_callbacks).values()) == ["sent", "sent"]
    [pre] = [m for m in smtp_server.handler.messages if subject(m).startswith("Seansınıza hazırlık")]
    text = pre.message.get_body(("plain",)).get_content()
    html = pre.message.get_body(("html",)).get_content()
    assert "- İbuprofeni seanstan 3 gün önce bırakın." in text and "İbuprofeni seanstan 3 gün önce bırakın." in html
    assert not list(pre.message.iter_attachments())  # the instructions carry no calendar entry
