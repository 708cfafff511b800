"""The session's life (issue 14): check-in ("arrived"), cancel with a reason, no-show; arrived handled where
booked is (readiness, the perform gate, moving); the physician's instructions from the review on the session
page and the aftercare sheet. Through the services and the pages, on the database; the clock stands at NOW
(Monday 23 Nov 2026, 12:30 in Istanbul)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from aftercare.models import Reminder
from meso_clinic.core.models import HistoryEntry
from patients.services import screening_decide, screening_take
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    answers,
    course_with_consent,
    make_batch,
    product,
    read_patch_test,
    travel,
)
from treatments.models import Session
from treatments.selectors import session_instructions, session_with_details, sessions_readiness
from treatments.services import (
    Refused,
    session_book,
    session_cancel,
    session_check_in,
    session_no_show,
    session_perform,
    session_reschedule,
)

IBUPROFEN = "Pause ibuprofen 3 days before the session.\nNo alcohol the evening before."


@pytest.fixture(autouse=True)
def clock():
    with travel(NOW) as traveller:
        yield traveller


@pytest.fixture
def ready(patient, reception, nurse, physician):
    """Zeynep, ready for treatment: an approval with the physician's instructions, a read patch test, consent."""
    vitamins = product(VITAMINS)
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception, at=NOW - 10 * DAY)
    screening_decide(screening=screening, decision="approved", reason="Reviewed with the patient.",
                     decided_by=physician, at=NOW - 10 * DAY + MINUTE, instructions=IBUPROFEN)
    read_patch_test(patient, [vitamins], nurse=nurse, applied_at=NOW - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=NOW - 2 * HOUR)
    return patient, course, vitamins


def book(ready, reception, physician, *, at) -> Session:
    patient, course, vitamins = ready
    return session_book(
        patient=patient, course=course, indication=course.indication, products=[vitamins], technique="needles",
        practitioner=physician, supervising_physician=physician, scheduled_at=at, booked_by=reception,
    )


def history_of(session: Session) -> list[dict]:
    """The session's changes of status, in the order written (a creation's `before` is None)."""
    entries = HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Session), object_id=session.pk, action="changed"
    ).order_by("id")
    return [entry.changes for entry in entries if "status" in entry.changes]


# --- Check-in -----------------------------------------------------------------------------------


def test_a_booked_patient_is_checked_in_on_the_day_and_it_is_in_history(ready, reception, physician):
    session = book(ready, reception, physician, at=NOW + 2 * HOUR)
    checked = session_check_in(session=session, by=reception)
    assert (checked.status, checked.arrived_at) == (Session.Status.ARRIVED, NOW)
    session.refresh_from_db()
    assert session.status == Session.Status.ARRIVED and session.arrived_at == NOW
    assert any(change["status"] == ["booked", "arrived"] for change in history_of(session)), history_of(session)
    with pytest.raises(Refused, match="only a booked session can be checked in"):
        session_check_in(session=session, by=reception)


def test_check_in_is_refused_on_another_day_and_for_a_role_without_it(ready, reception, physician, manager):
    tomorrow = book(ready, reception, physician, at=NOW + DAY)
    with pytest.raises(Refused, match="is on 24 Nov 2026: a patient is checked in on the day"):
        session_check_in(session=tomorrow, by=reception)
    today = book(ready, reception, physician, at=NOW + 3 * HOUR)
    with pytest.raises(Refused, match="cannot check patients in"):
        session_check_in(session=today, by=manager)
    assert set(Session.objects.values_list("status", flat=True)) == {"booked"}


def test_an_arrived_session_is_ready_performed_cancelled_but_not_moved_or_a_no_show(
    ready, reception, physician, clock
):
    session = book(ready, reception, physician, at=NOW + HOUR)
    session_check_in(session=session, by=reception)
    arrived = session_with_details(session.pk)
    # Readiness is shown for an arrived session as for a booked one (the day view, the calendar, the page).
    assert sessions_readiness([arrived])[session.pk].ready
    with pytest.raises(Refused, match="has arrived: this session can no longer be moved"):
        session_reschedule(session=session, scheduled_at=NOW + 2 * DAY, by=reception)
    with pytest.raises(Refused, match="has arrived: she is not a no-show"):
        session_no_show(session=session, by=reception)
    _, _, vitamins = ready
    clock.move_to(NOW + HOUR + 5 * MINUTE)
    performed = session_perform(
        session=session, performed_by=physician, health_unchanged=True,
        batches={vitamins.pk: make_batch(vitamins, "VC-1", NOW.date() + 300 * DAY)},
    )
    assert performed.status == Session.Status.PERFORMED and performed.arrived_at == NOW


def test_an_arrived_patient_can_still_be_cancelled(ready, reception, physician):
    session = book(ready, reception, physician, at=NOW + HOUR)
    session_check_in(session=session, by=reception)
    cancelled = session_cancel(session=session, by=reception, reason="Feels faint; rebook next week.")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Feels faint; rebook next week.")


# --- Cancel and no-show ----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_cancelling_needs_a_reason_refused_at_its_field(ready, reception, physician, reason):
    session = book(ready, reception, physician, at=NOW + DAY)
    with pytest.raises(Refused) as refused:
        session_cancel(session=session, by=reception, reason=reason)
    assert list(refused.value.errors) == ["reason"]
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("booked", "")


def test_a_cancellation_keeps_its_reason_in_the_record_and_its_history(ready, reception, physician):
    session = book(ready, reception, physician, at=NOW + DAY)
    session_cancel(session=session, by=reception, reason="  The patient   called off. ")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("cancelled", "The patient called off.")
    [change] = history_of(session)
    assert change["status"] == ["booked", "cancelled"] and change["cancel_reason"] == ["", "The patient called off."]


def test_a_no_show_is_marked_once_the_time_has_come_never_before(ready, reception, physician, clock):
    session = book(ready, reception, physician, at=NOW + HOUR)
    with pytest.raises(Refused, match="starts at 13:30: a patient is a no-show only once her time has come"):
        session_no_show(session=session, by=reception)
    clock.move_to(NOW + HOUR)
    assert session_no_show(session=session, by=reception).status == Session.Status.NO_SHOW
    assert history_of(session)[-1]["status"] == ["booked", "no_show"]
    with pytest.raises(Refused, match="cannot be marked as a no-show"):
        session_no_show(session=session, by=reception)


# --- Pages ------------------------------------------------------------------------------------------


def test_the_session_page_offers_the_actions_of_its_status(client, ready, reception, physician, clock):
    session = book(ready, reception, physician, at=NOW + HOUR)
    client.force_login(reception)
    page = client.get(f"/treatments/sessions/{session.pk}/").content.decode()
    assert "Arrived</button>" in page and "Cancel session…" in page and "No-show</button>" not in page
    assert "Pause ibuprofen 3 days before the session." in page  # the physician's instructions, from the review

    response = client.post(f"/treatments/sessions/{session.pk}/check-in/")
    assert response.status_code == 302 and response["Location"] == f"/treatments/sessions/{session.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Checked in: the patient has arrived." in page and "Arrived at 12:30" in page
    assert "Arrived</button>" not in page and "Move the session" not in page and "Cancel session…" in page
    assert "Sign off as performed" not in page  # reception does not perform
    client.force_login(physician)
    assert "Sign off as performed" in client.get(f"/treatments/sessions/{session.pk}/").content.decode()


def test_no_show_shows_once_the_time_has_come_and_a_refusal_is_a_message(client, ready, reception, physician, clock):
    session = book(ready, reception, physician, at=NOW + HOUR)
    client.force_login(reception)
    response = client.post(f"/treatments/sessions/{session.pk}/no-show/", follow=True)
    assert "a patient is a no-show only once her time has come" in response.content.decode()
    clock.move_to(NOW + HOUR + MINUTE)
    client.force_login(reception)  # an hour idle signs staff out
    assert "No-show</button>" in client.get(f"/treatments/sessions/{session.pk}/").content.decode()
    client.post(f"/treatments/sessions/{session.pk}/no-show/")
    assert Session.objects.get(pk=session.pk).status == Session.Status.NO_SHOW


def test_cancelling_asks_first_and_wants_a_reason(client, ready, reception, physician):
    session = book(ready, reception, physician, at=NOW + DAY)
    url = f"/treatments/sessions/{session.pk}/cancel/"
    client.force_login(reception)
    confirm = client.get(url).content.decode()
    assert "Cancel this session?" in confirm and "Yes, cancel the session" in confirm and "No, keep it" in confirm
    assert "She is not told the reason." in confirm
    assert Session.objects.get(pk=session.pk).status == "booked"  # asking changes nothing

    nothing = client.post(url, {})
    assert nothing.status_code == 200 and nothing.context["form"].errors == {
        "choice": ["Choose why the session is cancelled."]
    }
    other = client.post(url, {"choice": "other", "reason": "  "})
    assert other.context["form"].errors == {"reason": ["Say why the session is cancelled."]}
    assert Session.objects.get(pk=session.pk).status == "booked"

    done = client.post(url, {"choice": "The patient is unwell.", "reason": "Flu"})
    assert done.status_code == 302 and done["Location"] == f"/treatments/sessions/{session.pk}/"
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("cancelled", "The patient is unwell. Flu")
    page = client.get(done["Location"]).content.decode()
    assert "Session cancelled." in page and "The patient is unwell. Flu" in page and "Cancel session…" not in page
    assert client.get(url).status_code == 302  # nothing to confirm any more


@pytest.mark.parametrize(("given", "back"), [
    ("/treatments/calendar/?date=2026-11-23", "/treatments/calendar/?date=2026-11-23"),
    ("https://evil.example/", None), ("//evil.example/", None), ("javascript:alert(1)", None),
])
def test_an_action_returns_to_a_page_of_the_site_only(client, ready, reception, physician, given, back):
    session = book(ready, reception, physician, at=NOW + HOUR)
    client.force_login(reception)
    confirm = client.get(f"/treatments/sessions/{session.pk}/cancel/", {"next": given}).content.decode()
    if back is None:
        assert "evil" not in confirm and "javascript" not in confirm
    else:
        assert f'value="{back}"' in confirm
    response = client.post(f"/treatments/sessions/{session.pk}/check-in/", {"next": given})
    assert response["Location"] == (back or f"/treatments/sessions/{session.pk}/")


def test_the_aftercare_sheet_carries_the_physicians_instructions(client, ready, reception, physician, clock):
    session = book(ready, reception, physician, at=NOW + HOUR)
    _, _, vitamins = ready
    clock.move_to(NOW + HOUR)
    session_perform(session=session, performed_by=physician, health_unchanged=True,
                    batches={vitamins.pk: make_batch(vitamins, "VC-2", NOW.date() + 300 * DAY)})
    client.force_login(reception)
    sheet = client.get(f"/aftercare/sessions/{session.pk}/sheet/")
    assert sheet.status_code == 200
    assert sheet.context["physician_instructions"] == IBUPROFEN.splitlines()
    assert "Pause ibuprofen 3 days before the session." in sheet.content.decode()


def test_instructions_come_from_the_screening_in_force_only(ready, reception, physician, patient):
    session = book(ready, reception, physician, at=NOW + DAY)
    assert session_instructions(session) == IBUPROFEN
    # A newer screening waiting for a decision replaces the approval (as in readiness): its instructions are none.
    screening_take(patient=patient, answers=answers(), taken_by=reception, at=NOW)
    assert session_instructions(session) == ""
    assert Reminder.objects.filter(session=session).exists()  # (the booking's emails are written meanwhile)


def test_the_export_carries_arrival_and_the_reason_for_cancelling(ready, reception, physician, patient):
    from meso_clinic.overview.export import patient_record

    here = book(ready, reception, physician, at=NOW + HOUR)
    session_check_in(session=here, by=reception)
    off = book(ready, reception, physician, at=NOW + DAY)
    session_cancel(session=off, by=reception, reason="The patient called off.")
    sessions = {s["id"]: s for s in patient_record(patient)["sessions"]}
    assert (sessions[here.pk]["status"], sessions[here.pk]["arrived_at"]) == ("Arrived", "2026-11-23T12:30:00+03:00")
    assert (sessions[off.pk]["status"], sessions[off.pk]["cancel_reason"]) == ("Cancelled", "The patient called off.")
