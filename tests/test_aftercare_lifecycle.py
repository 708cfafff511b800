"""Reminders follow their session: created with it, moved with it, cancelled with it."""

import datetime as dt

import pytest
import time_machine

from aftercare.models import AftercarePlan, Reminder
from aftercare.services import AFTER_SESSION_KINDS, plan_reschedule_pending
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    NOW,
    approved_screening,
    course_with_consent,
    make_batch,
    product,
    read_patch_test,
)
from treatments.services import Refused, session_book, session_cancel, session_perform, session_reschedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_patient(patient, reception, nurse, physician):
    """Zeynep consents to emails, is approved, patch-tested negative and consented to a course."""
    vitamins = product("Revitalising vitamin complex")
    approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 10 * DAY)
    read_patch_test(patient, [vitamins], nurse=nurse, applied_at=NOW - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=NOW - DAY)
    return patient, course, vitamins


def book(patient, course, products, *, at, by, practitioner):
    return session_book(
        patient=patient,
        course=course,
        indication=course.indication,
        products=products,
        technique="needles",
        practitioner=practitioner,
        supervising_physician=practitioner,
        scheduled_at=at,
        booked_by=by,
    )


@time_machine.travel(NOW, tick=False)
def test_booking_schedules_the_pre_session_instructions_three_days_before(ready_patient, reception, physician):
    patient, course, vitamins = ready_patient
    session = book(patient, course, [vitamins], at=NOW + 10 * DAY, by=reception, practitioner=physician)
    reminder = Reminder.objects.get(session=session, kind="pre_session")
    assert reminder.kind == "pre_session" and reminder.status == "pending"
    assert reminder.due_at == NOW + 7 * DAY  # same local time, 09:30 UTC = 12:30 Istanbul

    session_reschedule(session=session, scheduled_at=NOW + 20 * DAY, by=reception)
    reminder.refresh_from_db()
    assert reminder.status == "pending" and reminder.due_at == NOW + 17 * DAY

    session_cancel(session=session, by=reception, reason="The patient called off.")
    reminder.refresh_from_db()
    assert reminder.status == "cancelled" and "cancelled" in reminder.last_error


@time_machine.travel(NOW, tick=False)
def test_the_clinic_sets_how_many_days_before_the_pre_session_instructions_go(
    ready_patient, reception, physician, settings
):
    settings.REMINDER_PRE_SESSION_DAYS = 5
    patient, course, vitamins = ready_patient
    session = book(patient, course, [vitamins], at=NOW + 10 * DAY, by=reception, practitioner=physician)
    assert Reminder.objects.get(session=session, kind="pre_session").due_at == NOW + 5 * DAY


@time_machine.travel(NOW, tick=False)
def test_moving_a_session_onto_another_of_the_practitioner_is_refused(ready_patient, reception, physician):
    patient, course, vitamins = ready_patient
    first = book(patient, course, [vitamins], at=NOW + 2 * DAY, by=reception, practitioner=physician)
    second = book(patient, course, [vitamins], at=NOW + 3 * DAY, by=reception, practitioner=physician)
    with pytest.raises(Refused) as refused:
        session_reschedule(session=second, scheduled_at=first.scheduled_at + dt.timedelta(minutes=30), by=reception)
    assert "overlaps" in refused.value.errors["scheduled_at"][0]
    second.refresh_from_db()
    assert second.scheduled_at == NOW + 3 * DAY


@time_machine.travel(NOW, tick=False)
def test_a_patient_without_email_consent_gets_no_reminders(ready_patient, reception, physician):
    patient, course, vitamins = ready_patient
    patient.email_consent = False
    patient.save()
    book(patient, course, [vitamins], at=NOW + 10 * DAY, by=reception, practitioner=physician)
    assert not Reminder.objects.exists()


def test_performing_writes_the_timeline_in_the_same_transaction(ready_patient, reception, physician):
    patient, course, vitamins = ready_patient
    with time_machine.travel(NOW - HOUR, tick=False):
        session = book(patient, course, [vitamins], at=NOW, by=reception, practitioner=physician)
    batch = make_batch(vitamins, "VC-9", dt.date(2027, 12, 31))
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Refused) as refused:  # refused: no reminders either
            session_perform(
                session=session, performed_by=physician, batches={vitamins.pk: batch}, health_unchanged=False
            )
        assert list(refused.value.errors) == ["health_unchanged"]  # refused for that alone
        assert not Reminder.objects.filter(kind__in=AFTER_SESSION_KINDS).exists()
        session_perform(session=session, performed_by=physician, batches={vitamins.pk: batch}, health_unchanged=True)
    due = dict(Reminder.objects.filter(session=session, kind__in=AFTER_SESSION_KINDS).values_list("kind", "due_at"))
    assert due == {
        "aftercare_sheet": NOW,
        # +15 h is 03:30 in Istanbul, inside quiet hours: it waits for 08:00 (05:00 UTC).
        "wash_makeup_ok": dt.datetime(2026, 11, 24, 5, 0, tzinfo=dt.UTC),
        "check_in_day1": NOW + DAY,
        "rest_over": NOW + 48 * HOUR,
        "check_in_day3": NOW + 3 * DAY,
        "recovery_review": NOW + 14 * DAY,
    }
    assert Reminder.objects.get(session=session, kind="pre_session").status == "cancelled"
    assert Reminder.objects.get(session=session, kind="booking_confirmed").status == "cancelled"  # not yet sent


def test_a_manager_editing_the_timeline_moves_reminders_not_yet_sent(ready_patient, reception, physician):
    patient, course, vitamins = ready_patient
    with time_machine.travel(NOW - HOUR, tick=False):
        session = book(patient, course, [vitamins], at=NOW, by=reception, practitioner=physician)
    batch = make_batch(vitamins, "VC-10", dt.date(2027, 12, 31))
    with time_machine.travel(NOW, tick=False):
        session_perform(session=session, performed_by=physician, batches={vitamins.pk: batch}, health_unchanged=True)
    Reminder.objects.filter(session=session, kind="aftercare_sheet").update(
        status="sent", sent_at=NOW, message_id="<x@y>"
    )
    plan = AftercarePlan.objects.get(area=session.area)
    plan.steps.filter(kind="recovery_review").update(days=21)
    plan.steps.filter(kind="check_in_day3").update(active=False)
    assert plan_reschedule_pending(plan) == 5
    reminders = {r.kind: r for r in Reminder.objects.filter(session=session)}
    assert reminders["recovery_review"].due_at == NOW + 21 * DAY
    assert reminders["check_in_day3"].status == "cancelled"
    assert reminders["aftercare_sheet"].status == "sent"  # what was sent stays as it was


def test_a_course_suggests_the_next_sessions_from_the_last_one(ready_patient, reception, physician, client):
    from treatments.selectors import patient_courses

    patient, course, vitamins = ready_patient
    with time_machine.travel(NOW - HOUR, tick=False):
        session = book(patient, course, [vitamins], at=NOW, by=reception, practitioner=physician)
    batch = make_batch(vitamins, "VC-11", dt.date(2027, 12, 31))
    with time_machine.travel(NOW, tick=False):
        session_perform(session=session, performed_by=physician, batches={vitamins.pk: batch}, health_unchanged=True)
        [course] = patient_courses(patient)
        assert (course.done, course.planned_sessions) == (1, 4)
        # Every 14 days from the session of 23 Nov: 7 Dec, 21 Dec, 4 Jan (three still to book).
        assert course.suggestions == [dt.date(2026, 12, 7), dt.date(2026, 12, 21), dt.date(2027, 1, 4)]
        client.force_login(reception)
        page = client.get(f"/patients/{patient.pk}/").content.decode()
        assert "1 of 4 done" in page and "Suggested next: Mon 7 Dec, then Mon 21 Dec, then Mon 4 Jan" in page
        booking = client.get(f"/treatments/patients/{patient.pk}/sessions/new/?course={course.pk}")
        # The first free slot from the course's interval (no working hours recorded: the usual clinic day).
        assert booking.context["form"].initial["scheduled_at"] == "2026-12-07T09:00"


def test_dispatch_never_has_more_than_the_cap_in_flight_and_counts_real_tries(
    ready_patient, reception, physician, settings, django_capture_on_commit_callbacks
):
    """A backlog must not be claimed faster than it is sent: a claim's lease runs while it waits."""
    from aftercare import services

    patient, course, vitamins = ready_patient
    with time_machine.travel(NOW - HOUR, tick=False):
        session = book(patient, course, [vitamins], at=NOW, by=reception, practitioner=physician)
    batch = make_batch(vitamins, "VC-12", dt.date(2027, 12, 31))
    with time_machine.travel(NOW, tick=False):
        session_perform(session=session, performed_by=physician, batches={vitamins.pk: batch}, health_unchanged=True)
    settings.REMINDER_MAX_IN_FLIGHT = 2
    later = NOW + 15 * DAY  # all six are due
    claimed: list[tuple[int, str]] = []
    enqueue = lambda pk, token, lease: claimed.append((pk, token))  # noqa: E731
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_dispatch(enqueue=enqueue) == 2
        assert services.reminders_dispatch(enqueue=enqueue) == 0  # two are out: no room
    # The two sends never ran (lost tasks): after the lease they are claimed again, and a claim is
    # not an attempt.
    after_lease = later + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
    with time_machine.travel(after_lease, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_dispatch(enqueue=enqueue) == 2
    assert set(Reminder.objects.filter(session=session).values_list("attempts", flat=True)) == {0}
    assert len({pk for pk, _ in claimed}) == 2  # the same two rows, the oldest due
