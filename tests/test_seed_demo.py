import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from meso_clinic.core.demo_accounts import DEMO_PASSWORD
from patients.models import Patient


def test_seed_demo_creates_one_account_per_role_and_patients(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    users = get_user_model().objects
    for username, role in [("reception", "Reception"), ("nurse", "Nurse"), ("physician", "Physician"),
                           ("manager", "Clinic manager")]:
        user = users.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert Patient.objects.count() == 10
    call_command("seed_demo")  # running twice changes nothing
    assert Patient.objects.count() == 10 and users.count() == 4


def test_seed_demo_if_empty_leaves_a_used_database_alone(db, settings, reception):
    settings.DEBUG = True
    call_command("seed_demo", if_empty=True)
    assert not get_user_model().objects.filter(username="reception").exists()


def test_seed_demo_refuses_outside_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("local_time", ["07:30", "13:00", "15:10", "23:40"])
def test_seed_demo_works_at_any_time_of_day(db, settings, local_time):
    """The demo books today's sessions; late in the day they move to later times, never overlap."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from treatments.models import Session

    settings.DEBUG = True
    hour, minute = map(int, local_time.split(":"))
    moment = dt.datetime.combine(dt.date(2026, 11, 23), dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo")
        booked = list(Session.objects.filter(status="booked").order_by("scheduled_at"))
    assert len(booked) == 2
    assert all(s.scheduled_at >= moment for s in booked)
    first, second = booked
    assert first.scheduled_at + dt.timedelta(minutes=first.duration_minutes) <= second.scheduled_at


def test_seed_demo_has_rooms_and_working_hours_and_books_within_them(db, settings):
    """Issue 14: Room 1 and Room 2, the nurse's and physician's week (Mon-Fri 09:00-18:00, Sat 10:00-14:00), and the
    demo sessions in rooms and inside those hours, even when seeded on a Sunday night."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from treatments.models import Room, Session, WorkingHours

    settings.DEBUG = True
    sunday_night = dt.datetime(2026, 11, 22, 22, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(sunday_night, tick=False):
        call_command("seed_demo")
    assert list(Room.objects.values_list("name", flat=True)) == ["Room 1", "Room 2"]
    hours = WorkingHours.objects.filter(practitioner__username="physician")
    assert sorted((h.weekday, h.starts.hour, h.ends.hour) for h in hours) == [
        *((d, 9, 18) for d in range(5)), (5, 10, 14)]
    assert WorkingHours.objects.filter(practitioner__username="nurse").count() == 6
    booked = list(Session.objects.filter(status="booked").order_by("scheduled_at"))
    assert [s.room.name for s in booked] == ["Room 1", "Room 2"]
    times = [timezone.localtime(s.scheduled_at).strftime("%a %H:%M") for s in booked]
    assert times == ["Mon 09:00", "Mon 09:45"]  # the first free times of the physician's week
    call_command("seed_demo")  # a second run adds no rooms and no hours
    assert Room.objects.count() == 2 and WorkingHours.objects.count() == 12
