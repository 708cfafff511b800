"""Booking (issue 14): rooms, working hours, time off, clashes and the earliest moment, through the page and service.

The clock stands at NOW, Monday 23 Nov 2026 12:30 in Istanbul. The nurse works Mon-Fri 09:00-18:00 and Sat 10:00-14:00;
the clinic has Room 1 and Room 2. The patient is ready (approved, a negative patch test for the vitamins, a course with
her consent). Every refusal is checked at its field, with nothing saved, what was typed kept and the nearest free times
offered as buttons that re-fill the form.
"""

import datetime as dt
import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from patients.services import screening_take
from tests.fixtures.treatments import (
    AMINO,
    CREAM,
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    answers,
    approved_screening,
    course_with_consent,
    make_batch,
    make_patient,
    product,
    read_patch_test,
    wrinkles,
)
from treatments import availability
from treatments.forms import SessionPerformForm
from treatments.models import Room, Session, TimeOff, WorkingHours
from treatments.services import Refused, SlotRefused, patch_test_apply, session_book, session_reschedule

TOMORROW = NOW + DAY  # Tuesday 24 Nov, 12:30
CLINIC = ZoneInfo("Europe/Istanbul")


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    """A clinic time in the week of NOW (23 = Monday)."""
    return dt.datetime(2026, 11, day, hh, mm, tzinfo=CLINIC)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rooms(db) -> tuple[Room, Room]:
    return Room.objects.create(name="Room 1"), Room.objects.create(name="Room 2")


@pytest.fixture
def hours(nurse, physician):
    for person in (nurse, physician):
        for weekday in range(5):
            WorkingHours.objects.create(practitioner=person, weekday=weekday, starts=dt.time(9), ends=dt.time(18))
        WorkingHours.objects.create(practitioner=person, weekday=5, starts=dt.time(10), ends=dt.time(14))


@pytest.fixture
def ready(patient, reception, nurse, physician, hours, rooms):
    start = NOW - 3 * DAY
    approved_screening(patient, taken_by=reception, physician=physician, at=start)
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=start)
    course, _ = course_with_consent(patient, by=physician, at=start)
    make_batch(product(VITAMINS), "VIT-2611", dt.date(2027, 6, 30))
    return course


def book_url(patient) -> str:
    return reverse("treatments:session_book", args=[patient.pk])


def form_data(nurse, physician, *, when: dt.datetime, room: Room | None = None, products=None, **changes) -> dict:
    data = {
        "indication": wrinkles().pk,
        "products": [p.pk for p in (products or [product(VITAMINS)])],
        "technique": "gun",
        "practitioner": nurse.pk,
        "supervising_physician": physician.pk,
        "scheduled_at": local(when),
        "duration_minutes": 45,
        "room": room.pk if room else "",
        "book": "1",
    }
    return {**data, **changes}


def service_book(patient, nurse, physician, reception, *, when, room=None, products=None, **extra) -> Session:
    return session_book(
        patient=patient, indication=wrinkles(), products=products or [product(VITAMINS)], technique="gun",
        practitioner=nurse, supervising_physician=physician, scheduled_at=when, booked_by=reception, room=room,
        **extra,
    )


def errors_of(response) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


def picks(response) -> list[str]:
    """The nearest free times offered as buttons (their values re-fill the form)."""
    return re.findall(r'name="pick" value="([^"]+)"', response.content.decode())


# --- the page before saving ---------------------------------------------------------------------------------


def test_the_form_is_pre_filled_from_the_calendar_and_the_course(client, reception, nurse, physician, patient, ready,
                                                                 rooms):
    earlier = service_book(patient, physician, physician, reception, when=at(24, 10), room=rooms[0],
                           products=[product(VITAMINS), product(CREAM)], course=ready)
    client.force_login(reception)
    response = client.get(book_url(patient), {"at": "2026-11-25T11:15", "practitioner": nurse.pk,
                                              "room": rooms[1].pk, "course": ready.pk})
    form = response.context["form"]
    assert form["scheduled_at"].value() == "2026-11-25T11:15"
    assert form["practitioner"].value() == nurse.pk and form["room"].value() == rooms[1].pk
    assert form["course"].value() == ready.pk and form["indication"].value() == ready.indication.pk
    assert set(form["products"].value()) == {product(VITAMINS).pk, product(CREAM).pk}  # as in her last session
    assert form["supervising_physician"].value() == earlier.supervising_physician_id
    assert 'value="2026-11-25T11:15"' in response.content.decode()


@pytest.mark.parametrize("params", [
    {"at": "tomorrow", "practitioner": "x", "room": "-1", "course": "9" * 30},
    {"at": "2026-13-45T99:99", "practitioner": "999999", "room": "999999", "course": "999999"},
    {"at": "<script>", "practitioner": "", "room": "٣"},
])
def test_garbage_in_the_query_string_is_ignored_not_a_500(client, reception, patient, ready, params):
    client.force_login(reception)
    response = client.get(book_url(patient), params)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["room"].value() is None and form["scheduled_at"].value() is None


def test_another_patients_course_is_not_pre_filled(client, reception, patient, ready):
    other = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    client.force_login(reception)
    response = client.get(book_url(other), {"course": ready.pk})
    assert response.context["form"]["course"].value() is None


def test_the_page_shows_the_earliest_moment_and_why_before_saving(client, reception, nurse, physician, patient, hours):
    approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 2 * DAY)
    with time_machine.travel(NOW - 2 * HOUR, tick=False):
        patch_test_apply(patient=patient, products=[product(VITAMINS)], site="forearm", applied_by=nurse)
    client.force_login(reception)
    page = client.get(book_url(patient)).content.decode()
    assert 'data-testid="earliest"' in page
    response = client.post(book_url(patient), {**form_data(nurse, physician, when=TOMORROW), "check": "1"})
    earliest = response.context["earliest"]
    assert earliest.at == NOW - 2 * HOUR + 24 * HOUR  # readable from 24 Nov 10:30
    assert "readable from 24 Nov 2026 10:30; it is to be read (negative) first" in response.content.decode()


def test_a_hard_stop_patient_gets_no_form_and_cannot_be_booked(client, reception, nurse, physician, hours):
    minor = Patient.objects.create(given_name="Leyla", family_name="Kaya", date_of_birth=dt.date(2009, 6, 1),
                                   sex=Patient.Sex.FEMALE)
    screening_take(patient=minor, answers=answers(), taken_by=reception, at=NOW - DAY)  # under 18: a hard stop
    client.force_login(reception)
    response = client.get(book_url(minor))
    page = response.content.decode()
    assert response.context["form"] is None and 'data-testid="hard-stop"' in page
    assert "no one under 18 is treated" in page and 'name="book"' not in page
    response = client.post(book_url(minor), form_data(nurse, physician, when=TOMORROW))
    assert 'name="book"' not in response.content.decode()
    with pytest.raises(Refused) as refusal:
        service_book(minor, nurse, physician, reception, when=TOMORROW)
    assert "no one under 18 is treated" in refusal.value.errors[""][0]
    assert not Session.objects.exists()


def test_a_minor_without_a_hard_stop_screening_is_refused_before_her_18th_birthday(nurse, physician, reception, hours):
    almost = make_patient(dt.date(2008, 11, 25))  # 18 on Wednesday 25 Nov
    with pytest.raises(SlotRefused) as refusal:
        service_book(almost, nurse, physician, reception, when=TOMORROW, products=[product(CREAM)])
    assert "she is 18 on 25 Nov 2026" in refusal.value.errors["scheduled_at"][0]
    assert refusal.value.nearest[0] == at(25, 9)
    assert service_book(almost, nurse, physician, reception, when=at(25, 9), products=[product(CREAM)]).pk


# --- refusals at the field, nothing saved, the nearest times offered -----------------------------------------


def refused(client, data, field: str, words: str, patient) -> "HttpResponse":  # noqa: F821
    before = Session.objects.count()
    response = client.post(book_url(patient), data)
    assert response.status_code == 200
    assert any(words in m for m in errors_of(response).get(field, [])), errors_of(response)
    assert Session.objects.count() == before  # nothing saved
    assert response.context["form"]["duration_minutes"].value() == str(data["duration_minutes"])  # typed, kept
    return response


def test_a_time_in_the_past_is_refused_with_the_next_free_times(client, reception, nurse, physician, patient, ready):
    client.force_login(reception)
    response = refused(client, form_data(nurse, physician, when=NOW - HOUR), "scheduled_at", "That time has passed",
                       patient)
    assert picks(response) == ["2026-11-23T12:30", "2026-11-23T12:45", "2026-11-23T13:00"]  # from now


def test_outside_working_hours_is_refused_with_the_hours_and_the_nearest_times(client, reception, nurse, physician,
                                                                               patient, ready):
    client.force_login(reception)
    response = refused(client, form_data(nurse, physician, when=at(24, 17, 30)), "scheduled_at",
                       "Outside the practitioner's working hours on 24 Nov 2026 (09:00-18:00)", patient)
    assert picks(response) == ["2026-11-24T17:15", "2026-11-24T17:00", "2026-11-24T16:45"]
    sunday = refused(client, form_data(nurse, physician, when=at(29, 11)), "scheduled_at",
                     "does not work on 29 Nov 2026", patient)
    assert picks(sunday) == ["2026-11-30T09:00", "2026-11-30T09:15", "2026-11-30T09:30"]


def test_time_off_is_refused_with_when_she_is_back(client, reception, nurse, physician, patient, ready):
    TimeOff.objects.create(practitioner=nurse, starts_at=at(24, 9), ends_at=at(25, 13), reason="Training")
    client.force_login(reception)
    response = refused(client, form_data(nurse, physician, when=at(24, 15)), "scheduled_at",
                       "The practitioner is away from 24 Nov 2026 09:00 until 25 Nov 2026 13:00", patient)
    assert picks(response)[0] == "2026-11-25T13:00"
    assert "Training" not in response.content.decode()  # the reason is the manager's, not the desk's


def test_a_taken_room_is_refused_at_the_room_with_the_free_rooms(client, reception, nurse, physician, patient, ready,
                                                                 rooms):
    other = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    service_book(other, physician, physician, reception, when=at(24, 10), room=rooms[0], products=[product(CREAM)])
    client.force_login(reception)
    response = refused(client, form_data(nurse, physician, when=at(24, 10, 15), room=rooms[0]), "room",
                       "The room is taken by another session at 10:00 (until 10:45)", patient)
    assert picks(response) == ["2026-11-24T10:45", "2026-11-24T11:00", "2026-11-24T09:15"]
    assert list(response.context["slot"]["free_rooms"]) == [rooms[1]]
    assert response.context["form"]["room"].value() == str(rooms[0].pk)  # kept as typed
    # "Room 2" re-fills the room and checks again: free, and still nothing booked.
    again = client.post(book_url(patient), {**form_data(nurse, physician, when=at(24, 10, 15), room=rooms[0]),
                                            "pick_room": rooms[1].pk})
    assert 'data-testid="slot-free"' in again.content.decode() and Session.objects.count() == 1
    assert again.context["form"]["room"].value() == str(rooms[1].pk)


def test_the_practitioner_busy_is_refused(client, reception, nurse, physician, patient, ready):
    other = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    service_book(other, nurse, physician, reception, when=at(24, 10), products=[product(CREAM)])
    client.force_login(reception)
    response = refused(client, form_data(nurse, physician, when=at(24, 10, 30)), "scheduled_at",
                       "The practitioner has another session at 10:00 (until 10:45) that overlaps", patient)
    assert picks(response) == ["2026-11-24T10:45", "2026-11-24T11:00", "2026-11-24T11:15"]  # 9:15 is 75 min away


def test_the_patients_own_other_session_is_refused(client, reception, nurse, physician, patient, ready):
    service_book(patient, physician, physician, reception, when=at(24, 10))  # with another practitioner
    client.force_login(reception)
    refused(client, form_data(nurse, physician, when=at(24, 10, 30)), "scheduled_at",
            "The patient has another session at 10:00 (until 10:45) that overlaps", patient)


def test_before_the_patch_test_can_be_read_is_refused_with_the_first_time_after(client, reception, nurse, physician,
                                                                                patient, ready):
    with time_machine.travel(NOW - 2 * HOUR, tick=False):
        patch_test_apply(patient=patient, products=[product(AMINO)], site="forearm", applied_by=nurse)
    client.force_login(reception)
    data = form_data(nurse, physician, when=at(24, 9), products=[product(AMINO)])
    response = refused(client, data, "scheduled_at",
                       "Before the patch test can be read: treatment can start from 24 Nov 2026 10:30", patient)
    assert picks(response) == ["2026-11-24T10:30", "2026-11-24T10:45", "2026-11-24T11:00"]
    booked = client.post(book_url(patient), {**data, "scheduled_at": "2026-11-24T10:30"})
    assert booked.status_code == 302 and Session.objects.get().scheduled_at == at(24, 10, 30)


def test_a_nearest_time_chosen_re_fills_the_form_then_books(client, reception, nurse, physician, patient, ready):
    other = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    service_book(other, nurse, physician, reception, when=at(24, 10), products=[product(CREAM)])
    client.force_login(reception)
    data = form_data(nurse, physician, when=at(24, 10, 30), duration_minutes=30)
    chosen = client.post(book_url(patient), {**data, "pick": "2026-11-24T10:45"})
    assert chosen.context["form"]["scheduled_at"].value() == "2026-11-24T10:45"
    assert chosen.context["form"]["duration_minutes"].value() == "30" and Session.objects.count() == 1
    booked = client.post(book_url(patient), {**data, "scheduled_at": "2026-11-24T10:45"})
    assert booked.status_code == 302
    assert Session.objects.filter(patient=patient, scheduled_at=at(24, 10, 45), duration_minutes=30).exists()


def test_a_product_without_stock_is_flagged_but_booked(client, reception, nurse, physician, patient, ready):
    read_patch_test(patient, [product(AMINO)], nurse=nurse, applied_at=NOW - 3 * DAY)
    make_batch(product(AMINO), "AMI-OLD", dt.date(2026, 11, 1))  # expired before the session
    client.force_login(reception)
    data = form_data(nurse, physician, when=at(24, 10), products=[product(VITAMINS), product(AMINO)])
    checked = client.post(book_url(patient), {**data, "check": "1"})
    flagged = checked.content.decode()
    assert 'data-testid="no-stock"' in flagged and AMINO in flagged.split('data-testid="no-stock"')[1][:300]
    assert VITAMINS not in flagged.split('data-testid="no-stock"')[1][:300]
    booked = client.post(book_url(patient), data, follow=True)
    assert f"No unexpired batch of {AMINO} in stock" in booked.content.decode()
    assert Session.objects.count() == 1


def test_suggestions_for_the_next_session_are_free_slots_linking_to_the_pre_filled_form(
    client, reception, nurse, physician, patient, ready, rooms
):
    service_book(patient, nurse, physician, reception, when=at(24, 9), room=rooms[0], course=ready)
    client.force_login(reception)
    response = client.get(book_url(patient), {"course": ready.pk})
    suggestions = response.context["suggestions"]
    # The course's interval is 14 days after the session of 24 Nov: from Tue 8 Dec, at 09:00, the two practitioners.
    assert [s["at"] for s in suggestions] == [at(24, 9) + 14 * DAY - 9 * HOUR + 9 * HOUR, *[
        at(24, 9) + 14 * DAY + k * 15 * MINUTE for k in (1, 2)]]
    first = suggestions[0]["url"]
    assert "at=2026-12-08T09%3A00" in first and f"course={ready.pk}" in first and "room=" in first
    assert re.search(r"practitioner=\d+", first)
    opened = client.get(first)
    assert opened.context["form"]["scheduled_at"].value() == "2026-12-08T09:00"


def test_a_courses_first_session_is_offered_from_the_reading_of_its_pending_patch_test(
    client, reception, nurse, physician, patient, hours, rooms
):
    """"Book the next session" for a course with no session yet and a patch test applied now: the form pre-selects
    the tested products, and the earliest moment and the suggestions use them (the reading, 24 h later), so every
    time offered is one the form accepts."""
    approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 2 * DAY)
    course, _ = course_with_consent(patient, by=physician, at=NOW - DAY)
    patch_test_apply(patient=patient, products=[product(VITAMINS)], site="forearm", applied_by=nurse)
    client.force_login(reception)
    response = client.get(book_url(patient), {"course": course.pk})
    assert response.context["earliest"].at == NOW + 24 * HOUR  # readable from Tue 24 Nov 12:30
    form = response.context["form"]
    assert [int(pk) for pk in form["products"].value()] == [product(VITAMINS).pk]
    suggestions = response.context["suggestions"]
    assert suggestions and all(s["at"] >= NOW + 24 * HOUR for s in suggestions)
    assert form["scheduled_at"].value() == local(suggestions[0]["at"])
    for s in suggestions:
        data = form_data(nurse, physician, when=s["at"], room=s["room"], practitioner=s["practitioner"].pk,
                         course=course.pk, check="1")
        del data["book"]
        checked = client.post(book_url(patient), data)
        assert errors_of(checked) == {}, s["at"]
    first = suggestions[0]
    booked = client.post(book_url(patient), form_data(nurse, physician, when=first["at"], room=first["room"],
                                                      practitioner=first["practitioner"].pk, course=course.pk))
    assert booked.status_code == 302 and Session.objects.get().scheduled_at == first["at"]


# --- the service under locks, and moving --------------------------------------------------------------------


def test_moving_a_session_checks_the_room_and_working_hours(reception, nurse, physician, patient, ready, rooms):
    other = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    service_book(other, physician, physician, reception, when=at(24, 14), room=rooms[0], products=[product(CREAM)])
    session = service_book(patient, nurse, physician, reception, when=at(24, 10), room=rooms[0])
    with pytest.raises(SlotRefused) as refusal:
        session_reschedule(session=session, scheduled_at=at(24, 14, 15), by=reception)
    assert "The room is taken" in refusal.value.errors["room"][0] and refusal.value.nearest
    with pytest.raises(SlotRefused) as refusal:
        session_reschedule(session=session, scheduled_at=at(24, 19), by=reception)
    assert "Outside the practitioner's working hours" in refusal.value.errors["scheduled_at"][0]
    assert session_reschedule(session=session, scheduled_at=at(24, 10, 15), by=reception).scheduled_at == at(24, 10, 15)


def test_a_room_not_in_use_is_refused(reception, nurse, physician, patient, ready, rooms):
    Room.objects.filter(pk=rooms[1].pk).update(active=False)
    rooms[1].refresh_from_db()
    with pytest.raises(Refused) as refusal:
        service_book(patient, nurse, physician, reception, when=at(24, 10), room=rooms[1])
    assert "not in use" in refusal.value.errors["room"][0]


def slow_check(monkeypatch) -> None:
    """Hold each booking's slot check for 0.3 s after it ran (inside the transaction, under its locks)."""
    checked = availability.slot_answer

    def slow(**kwargs):
        answer = checked(**kwargs)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(availability, "slot_answer", slow)


@pytest.mark.django_db(transaction=True)
def test_two_receptionists_booking_one_room_at_once_book_it_once(postgres, reception, nurse, physician, patient,
                                                                 hours, monkeypatch):
    """Two threads (two database connections) book Room 1 at 10:00 for two patients with two practitioners at the
    same moment: the room's row lock makes the second wait and see the first's session. Each check is held for a
    moment after it ran, so without the lock both checks would see a free room (seen: both booked)."""
    slow_check(monkeypatch)
    room = Room.objects.create(name="Room 1")
    second = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def book(patient_, practitioner) -> None:
        try:
            start.wait(timeout=30)
            session_book(patient=patient_, indication=wrinkles(), products=[product(CREAM)], technique="gun",
                         practitioner=practitioner, supervising_physician=physician, scheduled_at=at(24, 10),
                         booked_by=reception, room=room, now=NOW)
            outcomes.append("booked")
        except Refused as refusal:
            outcomes.append("refused: " + " ".join(refusal.errors.get("room", [])))
        except Exception as error:  # noqa: BLE001 - named in the failure
            outcomes.append(f"error {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=args) for args in ((patient, nurse), (second, physician))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked", "refused: The room is taken by another session at 10:00 (until 10:45)."]
    assert Session.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_receptionists_booking_one_practitioner_at_once_book_her_once(postgres, reception, nurse, physician,
                                                                          patient, hours, monkeypatch):
    slow_check(monkeypatch)
    second = make_patient(dt.date(1980, 1, 1), given_name="Ece")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def book(patient_) -> None:
        try:
            start.wait(timeout=30)
            session_book(patient=patient_, indication=wrinkles(), products=[product(CREAM)], technique="gun",
                         practitioner=nurse, supervising_physician=physician, scheduled_at=at(24, 10),
                         booked_by=reception, now=NOW)
            outcomes.append("booked")
        except Refused:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - named in the failure
            outcomes.append(f"error {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in (patient, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked", "refused"]
    assert Session.objects.filter(practitioner=nurse).count() == 1


# --- the sign-off form's lots -----------------------------------------------------------------------------


def test_sign_off_hides_expired_lots_and_pre_selects_the_only_valid_one(reception, nurse, physician, patient, ready):
    session = service_book(patient, nurse, physician, reception, when=NOW + HOUR)
    good = Batch_of(VITAMINS, "VIT-2611")
    expired = make_batch(product(VITAMINS), "VIT-OLD", dt.date(2026, 11, 22))
    form = SessionPerformForm(session=session)
    name = f"batch_{product(VITAMINS).pk}"
    offered = [value for value, _ in form.fields[name].widget.choices]
    assert offered == ["", good.pk] and "VIT-OLD" not in str(form[name])
    assert form.fields[name].initial == good.pk and f'value="{good.pk}" selected' in str(form[name])
    make_batch(product(VITAMINS), "VIT-2612", dt.date(2027, 8, 1))
    assert SessionPerformForm(session=session).fields[name].initial is None  # two usable lots: she chooses
    assert expired.pk not in [v for v, _ in SessionPerformForm(session=session).fields[name].widget.choices]


def Batch_of(name: str, lot: str):  # noqa: N802 - reads as the model it fetches
    from treatments.models import Batch

    return Batch.objects.get(product__name=name, lot_number=lot)


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01T10:00", "2040-01-01T10:00"])
def test_a_date_years_away_is_a_typing_error_at_the_field_not_a_500(client, reception, nurse, physician, patient,
                                                                    ready, typed):
    """Found by the form fuzz test: the year 9999 overflowed the free-slot search (a 500) when moving a session."""
    client.force_login(reception)
    session = service_book(patient, nurse, physician, reception, when=at(24, 10))
    response = client.post(f"/treatments/sessions/{session.pk}/reschedule/", {"scheduled_at": typed})
    assert response.status_code == 200
    assert "more than 10 years from today" in " ".join(response.context["reschedule_form"].errors["scheduled_at"])
    session.refresh_from_db()
    assert session.scheduled_at == at(24, 10)  # not moved
    refused(client, {**form_data(nurse, physician, when=at(24, 11)), "scheduled_at": typed}, "scheduled_at",
            "more than 10 years from today", patient)
