"""The calendar (treatments/calendar.py, treatments/calendar_views.py): the pure layout across clock changes, and
the pages: who may open them, greyed-out times, what a block says, free slots that carry ids only, booking a slot.

The clock stands at NOW (Monday 23 Nov 2026, 12:30 in Istanbul) in the page tests.
"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import Patient
from tests.fixtures.treatments import (
    DAY,
    MINUTE,
    NOW,
    VITAMINS,
    approved_screening,
    consent_text,
    course_with_consent,
    make_patient,
    product,
    read_patch_test,
    wrinkles,
)
from treatments.calendar import (
    Appointment,
    ColumnSpec,
    SlotState,
    assign_lanes,
    layout,
    subtract,
    working_intervals,
)
from treatments.models import Room, Session, SessionProduct, TimeOff, WorkingHours
from treatments.services import consent_record

ISTANBUL = ZoneInfo("Europe/Istanbul")
LONDON = ZoneInfo("Europe/London")


def at(tz, y, m, d, hh, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=tz)


def column(day, tz, hours, appointments=(), away=(), **extra) -> ColumnSpec:
    working = working_intervals(day, hours, tz)
    return ColumnSpec(day, "Ayşe Demir", practitioner_id=1, open=tuple(subtract(working, away)), away=tuple(away),
                      appointments=tuple(appointments), **extra)


# --- The pure layout ------------------------------------------------------------------------------------


def test_rows_run_from_the_earliest_working_hour_to_the_latest_in_15_minutes():
    day = dt.date(2026, 11, 24)
    a = column(day, ISTANBUL, [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(17, 30))])
    b = column(day, ISTANBUL, [(dt.time(10), dt.time(19))])
    grid = layout([a, b], tz=ISTANBUL, now=at(ISTANBUL, 2026, 11, 1, 0))
    assert grid.rows[0].label == "09:00" and grid.rows[-1].label == "18:45" and len(grid.rows) == 40
    first = grid.days[0].columns[0].states
    assert first[0] == SlotState.FREE and first[16] == SlotState.CLOSED  # 13:00, the lunch break
    assert first[20] == SlotState.FREE and first[34] == SlotState.CLOSED  # 14:00 back; 17:30 gone
    assert grid.days[0].columns[1].states[:4] == [SlotState.CLOSED] * 4  # she starts at 10


def test_a_session_is_a_block_at_its_time_and_takes_its_rows():
    day = dt.date(2026, 11, 24)
    session = Appointment(1, at(ISTANBUL, 2026, 11, 24, 10, 30), at(ISTANBUL, 2026, 11, 24, 11, 15))
    cancelled = Appointment(2, at(ISTANBUL, 2026, 11, 24, 12), at(ISTANBUL, 2026, 11, 24, 12, 45), blocks=False)
    grid = layout([column(day, ISTANBUL, [(dt.time(9), dt.time(17))], [session, cancelled])],
                  tz=ISTANBUL, now=at(ISTANBUL, 2026, 11, 24, 9, 40))
    col = grid.days[0].columns[0]
    block = col.blocks[0]
    assert (block.row, block.span, block.lane, block.lanes) == (7, 3, 0, 1)  # 10:30 is the 7th row from 09:00
    assert col.states[6:9] == [SlotState.TAKEN] * 3 and col.states[9] == SlotState.FREE
    assert col.states[12] == SlotState.FREE  # a cancelled session frees its time
    assert col.states[:3] == [SlotState.PAST] * 3 and col.states[3] == SlotState.FREE  # 09:45 has not begun


def test_time_off_greys_out_its_hours_and_says_so():
    day = dt.date(2026, 11, 24)
    off = [(at(ISTANBUL, 2026, 11, 24, 12), at(ISTANBUL, 2026, 11, 24, 14))]
    grid = layout([column(day, ISTANBUL, [(dt.time(9), dt.time(17))], away=off)], tz=ISTANBUL,
                  now=at(ISTANBUL, 2026, 11, 1, 0))
    states = grid.days[0].columns[0].states
    assert states[11] == SlotState.FREE and states[12:20] == [SlotState.AWAY] * 8 and states[20] == SlotState.FREE


def test_overlapping_sessions_sit_side_by_side():
    t = lambda h, m=0: at(ISTANBUL, 2026, 11, 24, h, m)  # noqa: E731
    lanes = assign_lanes([Appointment(1, t(10), t(11)), Appointment(2, t(10, 30), t(11, 15)),
                          Appointment(3, t(11), t(11, 30)), Appointment(4, t(12), t(12, 45))])
    assert lanes == {1: (0, 2), 2: (1, 2), 3: (0, 2), 4: (0, 1)}


def test_london_spring_forward_day_keeps_rows_and_blocks_in_wall_time():
    """29 March 2026: London's clocks go from 01:00 to 02:00. The rows are wall times; the skipped hour is not
    bookable; a session at 10:00 BST sits on the 10:00 row."""
    day = dt.date(2026, 3, 29)
    session = Appointment(1, at(LONDON, 2026, 3, 29, 10), at(LONDON, 2026, 3, 29, 10, 45))
    grid = layout([column(day, LONDON, [(dt.time(0), dt.time(12))], [session])], tz=LONDON,
                  now=at(LONDON, 2026, 3, 1, 0))
    labels = [r.label for r in grid.rows]
    assert labels[:6] == ["00:00", "00:15", "00:30", "00:45", "01:00", "01:15"] and len(labels) == 48
    states = grid.days[0].columns[0].states
    assert states[4:8] == [SlotState.CLOSED] * 4  # 01:00-01:45 do not exist that day
    assert states[3] == SlotState.FREE and states[8] == SlotState.FREE
    block = grid.days[0].columns[0].blocks[0]
    assert grid.rows[block.row - 1].label == "10:00" and block.span == 3
    assert grid.days[0].starts[8] == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 02:00 BST


def test_london_fall_back_day_and_a_week_across_it():
    """25 October 2026: 02:00 BST becomes 01:00 GMT. A week's columns keep the same rows; working hours and a
    session the day after the change are at their wall times."""
    days = [dt.date(2026, 10, 24), dt.date(2026, 10, 25), dt.date(2026, 10, 26)]
    session = Appointment(1, at(LONDON, 2026, 10, 26, 9), at(LONDON, 2026, 10, 26, 10))
    cols = [column(d, LONDON, [(dt.time(9), dt.time(17))], [session] if d == days[2] else []) for d in days]
    grid = layout(cols, tz=LONDON, now=at(LONDON, 2026, 10, 1, 0))
    assert [r.label for r in grid.rows][0] == "09:00" and len(grid.rows) == 32
    assert [len(d.columns) for d in grid.days] == [1, 1, 1]
    for d in grid.days:
        assert d.starts[0].astimezone(LONDON).strftime("%H:%M") == "09:00"
        assert d.columns[0].states[0] in (SlotState.FREE, SlotState.TAKEN)
    assert grid.days[0].starts[0].utcoffset() == dt.timedelta(hours=1)
    assert grid.days[2].starts[0].utcoffset() == dt.timedelta(0)
    block = grid.days[2].columns[0].blocks[0]
    assert (block.row, block.span) == (1, 4)


def test_istanbul_spring_forward_in_2016_and_its_present_fixed_offset():
    """27 March 2016, Istanbul's last change: 03:00 became 04:00. Since then UTC+03 all year."""
    day = dt.date(2016, 3, 27)
    grid = layout([column(day, ISTANBUL, [(dt.time(2), dt.time(6))])], tz=ISTANBUL, now=at(ISTANBUL, 2016, 1, 1, 0))
    states = grid.days[0].columns[0].states
    assert [r.label for r in grid.rows][4] == "03:00"
    assert states[4:8] == [SlotState.CLOSED] * 4 and states[3] == SlotState.FREE and states[8] == SlotState.FREE
    day = dt.date(2026, 3, 29)
    grid = layout([column(day, ISTANBUL, [(dt.time(9), dt.time(17))])], tz=ISTANBUL, now=at(ISTANBUL, 2026, 1, 1, 0))
    assert set(grid.days[0].columns[0].states) == {SlotState.FREE} and len(grid.rows) == 32


def test_a_session_across_the_end_of_the_rows_stays_inside_the_grid():
    day = dt.date(2026, 11, 24)
    late = Appointment(1, at(ISTANBUL, 2026, 11, 24, 23, 30), at(ISTANBUL, 2026, 11, 25, 0, 30))
    grid = layout([column(day, ISTANBUL, [(dt.time(9), dt.time(17))], [late])], tz=ISTANBUL,
                  now=at(ISTANBUL, 2026, 11, 1, 0))
    block = grid.days[0].columns[0].blocks[0]
    assert grid.rows[-1].label == "23:45" and block.row + block.span - 1 == len(grid.rows)


# --- The pages -------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rooms(db):
    return [Room.objects.create(name="Room 1"), Room.objects.create(name="Room 2")]


@pytest.fixture
def hours(nurse, physician):
    """Both work Monday to Friday 09:00-17:00; the nurse is off on Tuesday afternoon."""
    for person in (nurse, physician):
        WorkingHours.objects.bulk_create(
            [WorkingHours(practitioner=person, weekday=d, starts=dt.time(9), ends=dt.time(17)) for d in range(5)]
        )
    TimeOff.objects.create(practitioner=nurse, starts_at=at(ISTANBUL, 2026, 11, 24, 13),
                           ends_at=at(ISTANBUL, 2026, 11, 24, 17), reason="Training")


def block_texts(html: str) -> list[str]:
    """Each session block's words, in reading order."""
    blocks = re.findall(r'<a class="cal-block[^"]*" href="[^"]+" data-testid="cal-block">(.*?)</a>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", b).split()) for b in blocks]


def book(patient, *, practitioner, physician, booked_by, when, room=None, status="booked", minutes=45) -> Session:
    """A session written directly (the calendar reads sessions; booking rules are tested elsewhere)."""
    session = Session.objects.create(
        patient=patient, area=wrinkles().area, indication=wrinkles(), technique="gun", practitioner=practitioner,
        supervising_physician=physician, room=room, scheduled_at=when, duration_minutes=minutes, status=status,
        booked_by=booked_by,
    )
    SessionProduct.objects.create(session=session, product=product(VITAMINS))
    return session


def test_the_calendar_answers_staff_roles_and_refuses_others(client, reception, nurse, physician, manager, outsider):
    for user, calendar, booking in [(reception, 200, 200), (nurse, 200, 200), (physician, 200, 200),
                                    (manager, 200, 403), (outsider, 403, 403)]:
        client.force_login(user)
        assert client.get("/treatments/calendar/").status_code == calendar, user
        assert client.get("/treatments/calendar/book/", {"at": "2026-11-24T10:00"}).status_code == booking, user


def test_the_old_day_view_sends_to_the_calendars_day(client, reception):
    client.force_login(reception)
    response = client.get("/treatments/day/", {"day": "2026-11-25"})
    assert response.status_code == 302
    assert response.url == "/treatments/calendar/?date=2026-11-25&view=day"
    assert client.get("/treatments/day/").url == "/treatments/calendar/?date=2026-11-23&view=day"


def test_week_view_blocks_say_patient_area_status_and_readiness(client, reception, nurse, physician, hours, rooms):
    ready = make_patient(dt.date(1985, 1, 1), given_name="Ready")
    approved_screening(ready, taken_by=reception, physician=physician, at=NOW - 3 * DAY)
    read_patch_test(ready, [product(VITAMINS)], nurse=nurse, applied_at=NOW - 3 * DAY)
    consent_record(patient=ready, text=consent_text(), recorded_by=physician, consented_at=NOW - MINUTE)
    unready = make_patient(dt.date(1985, 1, 1), given_name="Unready")
    book(ready, practitioner=nurse, physician=physician, booked_by=reception, when=at(ISTANBUL, 2026, 11, 23, 15),
         room=rooms[0])
    book(unready, practitioner=physician, physician=physician, booked_by=reception,
         when=at(ISTANBUL, 2026, 11, 24, 10), room=rooms[1])
    book(unready, practitioner=physician, physician=physician, booked_by=reception,
         when=at(ISTANBUL, 2026, 11, 20, 10))  # the week before
    gone = make_patient(dt.date(1985, 1, 1), given_name="Gone")
    book(gone, practitioner=nurse, physician=physician, booked_by=reception, when=at(ISTANBUL, 2026, 11, 25, 11),
         status="cancelled")
    client.force_login(reception)
    response = client.get("/treatments/calendar/", {"date": "2026-11-24", "view": "week"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Week of 23 Nov to 29 Nov 2026" in html
    text = block_texts(html)
    assert "15:00–15:45 Booked Ready Kaya Skin rejuvenation ✓ Ready" in text
    unready_text = "10:00–10:45 Booked Unready Kaya Skin rejuvenation ⚠ Not ready:"
    assert any(t.startswith(unready_text) and "No patch test for" in t for t in text), text
    assert "11:00–11:45 Cancelled Gone Kaya Skin rejuvenation" in text  # no readiness for a cancelled session
    assert "Unready Kaya" in html and html.count("Unready Kaya") == 1  # the week before is not shown
    assert "Nobody works:" in html and "Sat 28 Nov" in html and "Sun 29 Nov" in html


def test_greyed_out_times_and_free_slots_carry_ids_only(client, reception, nurse, physician, hours, rooms):
    taken = make_patient(dt.date(1985, 1, 1), given_name="Taken")
    book(taken, practitioner=physician, physician=physician, booked_by=reception,
         when=at(ISTANBUL, 2026, 11, 24, 9), room=rooms[0])
    client.force_login(reception)
    html = client.get("/treatments/calendar/", {"date": "2026-11-24", "view": "day"}).content.decode()
    links = re.findall(r'<a class="cal-free r(\d+) s(\d+)(?: cal-h)?" href="([^"]+)" aria-label="([^"]+)">', html)
    runs = {label: (int(row), int(span)) for row, span, _, label in links}
    nurse_name, doctor = nurse.get_full_name(), physician.get_full_name()
    # One link a free run, at its start and as tall as the run (rows from 09:00): the nurse is free 09:00-13:00
    # (time off after), the physician from 09:45 (taken until then) to 17:00. No link inside a run or greyed out.
    assert runs == {f"Book from 09:00 with {nurse_name}": (1, 16), f"Book from 09:45 with {doctor}": (4, 29)}
    assert html.count('class="cal-free') == 2
    assert html.count('<div class="cal-away') == 1 and "Time off" in html and "Training" not in html
    for _, _, href, _ in links:
        url = urlsplit(href.replace("&amp;", "&"))
        assert url.path == "/treatments/calendar/book/"
        params = parse_qs(url.query)
        assert set(params) <= {"at", "practitioner", "room"}
        assert re.fullmatch(r"2026-11-24T\d\d:\d\d", params["at"][0])
        assert all(v.isdigit() for k in ("practitioner", "room") for v in params.get(k, []))
    nurse_0900 = next(h for _, _, h, label in links if label == f"Book from 09:00 with {nurse_name}")
    assert parse_qs(urlsplit(nurse_0900.replace("&amp;", "&")).query) == {
        "at": ["2026-11-24T09:00"], "practitioner": [str(nurse.pk)], "room": [str(rooms[1].pk)]
    }  # room 1 is taken at 09:00: room 2 is offered
    doctor_0945 = next(h for _, _, h, label in links if label == f"Book from 09:45 with {doctor}")
    assert f"room={rooms[0].pk}" in doctor_0945  # room 1 is free again from 09:45


def test_a_patients_name_is_escaped_in_her_block(client, reception, nurse, physician, hours):
    script = make_patient(dt.date(1985, 1, 1), given_name="<script>alert(1)</script>")
    book(script, practitioner=nurse, physician=physician, booked_by=reception, when=at(ISTANBUL, 2026, 11, 24, 10))
    client.force_login(reception)
    html = client.get("/treatments/calendar/", {"date": "2026-11-24"}).content.decode()
    assert "<script>alert(1)" not in html
    assert '<strong class="cal-patient">&lt;script&gt;alert(1)&lt;/script&gt; Kaya</strong>' in html


def test_one_practitioners_week_still_offers_only_free_rooms(client, reception, nurse, physician, hours, rooms):
    """Filtered to the nurse: the physician's session is not read in full, but its room is still taken."""
    other = make_patient(dt.date(1985, 1, 1), given_name="Other")
    book(other, practitioner=physician, physician=physician, booked_by=reception,
         when=at(ISTANBUL, 2026, 11, 24, 9), room=rooms[0])
    client.force_login(reception)
    html = client.get("/treatments/calendar/", {"date": "2026-11-24", "only": nurse.pk}).content.decode()
    assert re.findall(r'<span class="cal-name">([^<]+)</span>', html) == [nurse.get_full_name()] * 5
    assert "Other Kaya" not in html
    link = re.search(rf'href="([^"]+)" aria-label="Book from 09:00 with {nurse.get_full_name()}"', html).group(1)
    assert f"room={rooms[1].pk}" in link  # room 1 is the physician's at 09:00


def test_today_before_now_is_not_bookable(client, reception, nurse, physician, hours):
    client.force_login(reception)
    html = client.get("/treatments/calendar/", {"view": "day"}).content.decode()  # Monday, 12:30 now
    assert f"Book from 09:00 with {nurse.get_full_name()}" not in html
    assert f"Book from 12:30 with {nurse.get_full_name()}" in html  # the run starts now, not before


def test_a_manager_sees_the_calendar_without_booking_links(client, manager, hours):
    client.force_login(manager)
    html = client.get("/treatments/calendar/", {"date": "2026-11-24"}).content.decode()
    assert 'class="cal-free' not in html and "Book " not in html


def test_day_view_by_room(client, reception, nurse, physician, hours, rooms):
    patient = make_patient(dt.date(1985, 1, 1), given_name="Roomy")
    book(patient, practitioner=nurse, physician=physician, booked_by=reception, when=at(ISTANBUL, 2026, 11, 24, 11),
         room=rooms[1])
    book(patient, practitioner=physician, physician=physician, booked_by=reception,
         when=at(ISTANBUL, 2026, 11, 24, 14), room=None)
    client.force_login(reception)
    response = client.get("/treatments/calendar/", {"date": "2026-11-24", "view": "day", "by": "room"})
    html = response.content.decode()
    names = re.findall(r'<span class="cal-name">([^<]+)</span>', html)
    assert names == ["Room 1", "Room 2", "No room"]
    assert "Book from 09:00 in Room 1" in html and "Book from 09:00 in Room 2" in html
    assert "Book from 11:45 in Room 2" in html and "Book from 11:00 in Room 2" not in html  # Roomy's 11:00-11:45
    assert f"11:00–11:45 Booked Roomy Kaya Skin rejuvenation · {nurse.get_full_name()} ⚠ Not ready:" in " ".join(
        block_texts(html))
    link = re.search(r'href="([^"]+)" aria-label="Book from 09:00 in Room 2"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query)["room"] == [str(rooms[1].pk)]
    assert parse_qs(urlsplit(link).query)["practitioner"][0] in {str(nurse.pk), str(physician.pk)}
    only = client.get("/treatments/calendar/", {"date": "2026-11-24", "view": "day", "by": "room",
                                                "only": rooms[0].pk}).content.decode()
    assert re.findall(r'<span class="cal-name">([^<]+)</span>', only) == ["Room 1"]


@pytest.mark.parametrize("params", [
    {"date": "garbage"}, {"date": "2026-02-30"}, {"date": "9999-12-31"}, {"date": "0001-01-01"},
    {"view": "month"}, {"by": "<b>"}, {"only": "²"}, {"only": "99999999999999999999999"}, {"date": "%00"},
])
def test_garbage_parameters_show_this_week(client, reception, params):
    client.force_login(reception)
    response = client.get("/treatments/calendar/", params)
    assert response.status_code == 200
    assert "Week of 23 Nov to 29 Nov 2026" in response.content.decode() or params.get("only")


def test_previous_next_and_today_links_keep_dates_only(client, reception, hours):
    client.force_login(reception)
    html = client.get("/treatments/calendar/", {"date": "2026-11-24", "view": "week", "by": "room"}).content.decode()
    assert 'href="/treatments/calendar/?date=2026-11-17&amp;view=week&amp;by=room" rel="prev"' in html
    assert 'href="/treatments/calendar/?date=2026-12-01&amp;view=week&amp;by=room" rel="next"' in html
    assert 'href="/treatments/calendar/?date=2026-11-23&amp;view=week&amp;by=room">Today' in html
    assert '<input type="date" name="date" id="cal-date" class="form-control w-auto" value="2026-11-24">' in html


def test_week_view_queries_do_not_grow_with_the_sessions(client, reception, nurse, physician, hours, rooms):
    def add(count: int, start: int) -> None:
        patients = Patient.objects.bulk_create(
            [Patient(given_name=f"P{i:03d}", family_name="Week", date_of_birth=dt.date(1985, 1, 1), sex="female")
             for i in range(start, start + count)]
        )
        sessions = Session.objects.bulk_create([
            Session(patient=p, area=wrinkles().area, indication=wrinkles(), technique="gun",
                    practitioner=(nurse, physician)[i % 2], supervising_physician=physician, room=rooms[i % 2],
                    scheduled_at=at(ISTANBUL, 2026, 11, 23 + i % 5, 9) + (i // 10) * 15 * MINUTE,
                    status="cancelled" if i % 7 == 0 else "booked", booked_by=reception)
            for i, p in enumerate(patients, start)
        ])
        SessionProduct.objects.bulk_create([SessionProduct(session=s, product=product(VITAMINS)) for s in sessions])
        for p in patients[:3]:
            approved_screening(p, taken_by=reception, physician=physician, at=NOW - 3 * DAY)

    client.force_login(reception)
    add(10, 0)
    url = "/treatments/calendar/?date=2026-11-24&view=week"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(190, 10)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.content.decode().count('data-testid="cal-block"') == 200
    assert len(big) == len(small)
    assert len([q for q in big.captured_queries if "SAVEPOINT" not in q["sql"]]) <= 16


def test_booking_a_slot_finds_the_patient_by_a_posted_search_and_opens_her_form(
    client, reception, nurse, physician, rooms
):
    patient = Patient.objects.create(given_name="Şule", family_name="Çelik", date_of_birth=dt.date(1980, 2, 2),
                                     sex="female")
    course, _ = course_with_consent(patient, by=reception, at=NOW - DAY)
    client.force_login(reception)
    slot = {"at": "2026-11-24T10:30", "practitioner": nurse.pk, "room": rooms[1].pk}
    page = client.get("/treatments/calendar/book/", slot).content.decode()
    assert "Tuesday 24 November 2026 10:30" in page and nurse.get_full_name() in page and "Room 2" in page
    response = client.post("/treatments/calendar/book/", {**slot, "q": "celik"})
    assert response.status_code == 302
    assert "celik" not in response.url.lower() and "search=" in response.url
    assert f"practitioner={nurse.pk}" in response.url and f"room={rooms[1].pk}" in response.url
    found = client.get(response.url).content.decode()
    choose = re.search(r'href="(\?[^"]*patient=\d+)"', found).group(1).replace("&amp;", "&")
    assert "Çelik, Şule" in found and "Celik" not in choose
    landed = client.get(f"/treatments/calendar/book/{choose}")
    assert landed.status_code == 302
    url = urlsplit(landed.url)
    assert url.path == f"/treatments/patients/{patient.pk}/sessions/new/"
    assert parse_qs(url.query) == {"at": ["2026-11-24T10:30"], "practitioner": [str(nurse.pk)],
                                   "room": [str(rooms[1].pk)], "course": [str(course.pk)]}


def test_booking_a_slot_without_an_open_course_or_with_two(client, reception, nurse, patient):
    client.force_login(reception)
    landed = client.get("/treatments/calendar/book/", {"at": "2026-11-24T10:30", "patient": patient.pk})
    assert parse_qs(urlsplit(landed.url).query) == {"at": ["2026-11-24T10:30"]}
    course_with_consent(patient, by=reception, at=NOW - DAY)
    course_with_consent(patient, by=reception, at=NOW - DAY)
    landed = client.get("/treatments/calendar/book/", {"at": "2026-11-24T10:30", "patient": patient.pk})
    assert "course" not in parse_qs(urlsplit(landed.url).query)


@pytest.mark.parametrize("params", [{"at": "garbage"}, {"at": "2026-11-24T25:00"}, {}, {"practitioner": "x"},
                                    {"at": "2026-11-24T10:30", "room": "99999", "practitioner": "99999"},
                                    {"search": "<nope>"}, {"search": "unknownkey"}])
def test_booking_page_with_bad_parameters_says_so_without_failing(client, reception, params):
    client.force_login(reception)
    response = client.get("/treatments/calendar/book/", params)
    assert response.status_code == 200
    if "at" not in params or "garbage" in params.get("at", "") or "25:" in params.get("at", ""):
        assert "This link has no valid time" in response.content.decode()
    assert client.get("/treatments/calendar/book/", {**params, "patient": "999999"}).status_code == 404
