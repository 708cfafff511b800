"""The aftercare pipeline for real: PostgreSQL, Redis, a Celery worker and beat, a local SMTP server.

A performed session leads to its emails arriving at the SMTP server at the right times, once each.
The worker and beat are separate processes on the real clock; to reach the later reminders the test
moves its own clock and runs the dispatcher (what beat does every tick) at that moment.
"""

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from aftercare import services
from aftercare.models import Reminder
from aftercare.schedule import AFTER_SESSION_KINDS, ReminderKind
from aftercare.tasks import send_reminder
from tests.fixtures.aftercare import performed_session, wait_until_marked

pytestmark = pytest.mark.integration

PIPELINE_ENV = {"REMINDER_DISPATCH_SECONDS": "1", "REMINDER_RETRY_BASE_SECONDS": "1", "SITE_URL": "https://clinic.test"}


def dispatch_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return services.reminders_dispatch(enqueue=lambda pk, token, lease: send_reminder.delay(pk, token))


def test_a_performed_session_emails_arrive_at_the_right_times_once_each(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    patient.preferred_language = "tr"
    patient.save()
    processes = celery_processes(EMAIL_URL=smtp_server.url, **PIPELINE_ENV)
    processes.start_worker()
    processes.start_beat()

    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    reminders = {r.kind: r for r in Reminder.objects.filter(session=session, kind__in=AFTER_SESSION_KINDS)}
    assert set(reminders) == {k.value for k in ReminderKind if k.after_session}
    # The booking's pre-session instructions and confirmation were still pending: the session took place, so never
    # sent (booked two hours ago for an hour ago, the fixture performs it at once).
    assert Reminder.objects.get(session=session, kind="pre_session").status == "cancelled"
    assert Reminder.objects.get(session=session, kind="booking_confirmed").status == "cancelled"

    # Beat (every second) and the worker deliver the aftercare sheet at once; nothing else is due.
    first = smtp_server.handler.wait_for(1)[0]
    assert first.rcpt_tos == ["zeynep@example.com"]
    assert first.message["Subject"] == "Bakım talimatlarınız · MesoClinic"  # Turkish, and no patient data
    text = first.message.get_body(("plain",)).get_content()
    html = first.message.get_body(("html",)).get_content()
    assert "Merhaba Zeynep" in text and "İlk 10-15 saat boyunca uygulama bölgesine su değdirmeyin." in text
    assert "https://clinic.test/r/" in text and "https://clinic.test/r/" in html
    assert first.message_id == f"<reminder-{reminders['aftercare_sheet'].pk}-{session.pk}@mesoclinic.example>"
    wait_until_marked(reminders["aftercare_sheet"])  # before the clock jumps past its lease

    # Move the test's clock to each later due time and dispatch as beat would then.
    later = sorted((r for r in reminders.values() if r.kind != "aftercare_sheet"), key=lambda r: r.due_at)
    for count, reminder in enumerate(later, start=2):
        assert dispatch_at(reminder.due_at - dt.timedelta(seconds=1)) == 0, "nothing is sent before it is due"
        assert dispatch_at(reminder.due_at) == 1
        received = smtp_server.handler.wait_for(count)
        assert received[-1].message_id.startswith(f"<reminder-{reminder.pk}-")
        wait_until_marked(reminder)

    time.sleep(3)  # beat keeps dispatching every second: nothing more may arrive
    received = smtp_server.handler.messages
    assert len(received) == 6
    assert len({m.message_id for m in received}) == 6
    after = Reminder.objects.filter(session=session, kind__in=AFTER_SESSION_KINDS)
    assert set(after.values_list("status", flat=True)) == {"sent"}
    assert all(r.attempts == 1 for r in after)


def test_an_smtp_server_that_refuses_for_a_while_gets_everything_later(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    smtp_server.handler.refuse_all = True
    processes = celery_processes(EMAIL_URL=smtp_server.url, **PIPELINE_ENV)
    processes.start_worker()
    processes.start_beat()
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    sheet = Reminder.objects.get(session=session, kind="aftercare_sheet")

    deadline = time.monotonic() + 30
    while smtp_server.handler.refused_count < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the worker records the refusal after the server answered
    sheet.refresh_from_db()
    assert sheet.attempts >= 2 and sheet.status in ("pending", "sending")
    assert sheet.last_error.startswith("451")
    smtp_server.handler.refuse_all = False

    smtp_server.handler.wait_for(1, timeout=30)
    deadline = time.monotonic() + 10  # the worker records the sending just after the server has it
    while Reminder.objects.filter(pk=sheet.pk, status="sent").count() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    sheet.refresh_from_db()
    assert sheet.status == "sent" and sheet.last_error == ""
    assert len(smtp_server.handler.messages) == 1
    assert smtp_server.handler.refused_count >= 2


def test_a_rejected_address_fails_with_the_reason_and_the_others_go_on(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    from patients.models import Patient

    other = Patient.objects.create(
        given_name="Emma",
        family_name="Clarke",
        date_of_birth=dt.date(1979, 11, 3),
        sex="female",
        email="emma@example.com",
        email_consent=True,
    )
    smtp_server.handler.reject = {"zeynep@example.com"}
    processes = celery_processes(EMAIL_URL=smtp_server.url, **PIPELINE_ENV)
    processes.start_worker()
    processes.start_beat()
    now = timezone.now()
    rejected = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=now)
    accepted = performed_session(
        other, reception=reception, nurse=nurse, physician=physician, now=now, practitioner=nurse
    )

    received = smtp_server.handler.wait_for(1)
    assert received[0].rcpt_tos == ["emma@example.com"]
    # The SMTP server has the message a moment before the worker records it as sent: wait for both rows.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        failed = Reminder.objects.filter(session=rejected, kind="aftercare_sheet", status="failed").first()
        sent = Reminder.objects.filter(session=accepted, kind="aftercare_sheet", status="sent").exists()
        if failed and sent:
            break
        time.sleep(0.2)
    assert failed is not None, "the rejected reminder is marked failed"
    assert failed.last_error.startswith("550") and "No such user" in failed.last_error
    assert failed.attempts == 1  # a permanent refusal is not retried
    assert Reminder.objects.get(session=accepted, kind="aftercare_sheet").status == "sent"


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_sends_once(smtp_server, patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    claimed = []
    services.reminders_dispatch(enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    assert len(claimed) == 1
    pk, token = claimed[0]
    assert services.reminder_send(reminder_id=pk, token=token) == "sent"
    assert services.reminder_send(reminder_id=pk, token=token) == "skipped"
    assert len(smtp_server.handler.messages) == 1
    assert Reminder.objects.get(pk=pk).status == "sent"
    assert Reminder.objects.filter(session=session, status="pending").count() == 5


def test_booking_moving_and_cancelling_email_the_patient_once_each_with_the_calendar_entry(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    """Issue 14, through the worker and beat: the confirmation, the moved and the cancelled session, in Turkish,
    each once, each with the session's calendar entry (one UID, SEQUENCE 0, 1, 2; the last a CANCEL)."""
    from icalendar import Calendar

    from tests.fixtures.treatments import DAY, HOUR, approved_screening, course_with_consent, product, read_patch_test
    from treatments.services import session_book, session_cancel, session_reschedule

    patient.preferred_language = "tr"
    patient.save()
    now = timezone.now()
    vitamins = product("Revitalising vitamin complex")
    approved_screening(patient, taken_by=reception, physician=physician, at=now - 10 * DAY)
    read_patch_test(patient, [vitamins], nurse=nurse, applied_at=now - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=now - 2 * HOUR)
    processes = celery_processes(EMAIL_URL=smtp_server.url, **PIPELINE_ENV)
    processes.start_worker()
    processes.start_beat()

    def entry(received):
        [part] = [p for p in received.message.iter_attachments() if p.get_content_type() == "text/calendar"]
        calendar = Calendar.from_ical(part.get_content())
        [event] = calendar.walk("VEVENT")
        return str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART")

    def subject(received) -> str:
        return str(received.message["Subject"]).strip()  # a long UTF-8 subject is folded onto its own line

    start = (now + 10 * DAY).replace(microsecond=0)
    session = session_book(
        patient=patient, course=course, indication=course.indication, products=[vitamins], technique="needles",
        practitioner=physician, supervising_physician=physician, scheduled_at=start, booked_by=reception,
    )
    uid = f"session-{session.pk}@mesoclinic.example"
    booked = smtp_server.handler.wait_for(1)[0]
    assert subject(booked) == "Seansınız ayarlandı · MesoClinic" and booked.rcpt_tos == ["zeynep@example.com"]
    assert entry(booked) == ("REQUEST", uid, 0, start)
    wait_until_marked(Reminder.objects.get(session=session, kind="booking_confirmed"))

    session_reschedule(session=session, scheduled_at=start + DAY, by=reception)
    moved = smtp_server.handler.wait_for(2)[1]
    assert subject(moved) == "Seansınızın saati değişti · MesoClinic"
    assert entry(moved) == ("REQUEST", uid, 1, start + DAY)
    wait_until_marked(Reminder.objects.get(session=session, kind="session_moved"))

    session_cancel(session=session, by=reception, reason="Hasta işten izin alamadı.")
    cancelled = smtp_server.handler.wait_for(3)[2]
    assert subject(cancelled) == "Seansınız iptal edildi · MesoClinic"
    assert entry(cancelled) == ("CANCEL", uid, 2, start + DAY)
    assert "izin" not in cancelled.message.get_body(("plain",)).get_content()  # never the staff's reason
    wait_until_marked(Reminder.objects.get(session=session, kind="session_cancelled"))

    time.sleep(3)  # beat keeps dispatching every second: nothing more may arrive
    received = smtp_server.handler.messages
    assert len(received) == 3 and len({m.message_id for m in received}) == 3
    rows = dict(Reminder.objects.filter(session=session).values_list("kind", "status"))
    assert rows == {"booking_confirmed": "sent", "session_moved": "sent", "session_cancelled": "sent",
                    "pre_session": "cancelled"}
