"""Aftercare timeline: pure, so every due time, DST change and quiet-hours edge is checked without a database."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.schedule import (
    DEFAULT_TIMELINE,
    PRE_SESSION_STEP,
    DueReminder,
    Offset,
    ReminderKind,
    TimelineStep,
    aftercare_timeline,
    pre_session_reminder,
    shift,
)

IST = ZoneInfo("Europe/Istanbul")  # UTC+3 all year
LON = ZoneInfo("Europe/London")  # GMT/BST: spring 2027-03-28 01:00 UTC, autumn 2026-10-25 01:00 UTC
K = ReminderKind


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)


def due_by_kind(reminders: list[DueReminder]) -> dict[ReminderKind, datetime]:
    return {reminder.kind: reminder.due_at for reminder in reminders}


def test_default_timeline_in_istanbul():
    performed = datetime(2026, 11, 23, 10, 0, tzinfo=IST)  # 07:00 UTC
    reminders = aftercare_timeline(performed_at=performed, tz=IST)
    assert [(r.kind, r.due_at) for r in reminders] == [
        (K.AFTERCARE_SHEET, utc(2026, 11, 23, 7)),
        # +15 h = 01:00 local, in quiet hours: 08:00 local = 05:00 UTC
        (K.WASH_MAKEUP_OK, utc(2026, 11, 24, 5)),
        (K.CHECK_IN_DAY1, utc(2026, 11, 24, 7)),
        (K.REST_OVER, utc(2026, 11, 25, 7)),
        (K.CHECK_IN_DAY3, utc(2026, 11, 26, 7)),
        (K.RECOVERY_REVIEW, utc(2026, 12, 7, 7)),
    ]


def test_default_timeline_without_quiet_hours_is_the_bare_offsets():
    performed = datetime(2026, 11, 23, 10, 0, tzinfo=IST)
    due = due_by_kind(aftercare_timeline(performed_at=performed, tz=IST, quiet_hours=None))
    assert due[K.WASH_MAKEUP_OK] == utc(2026, 11, 23, 22)


def test_spring_forward_in_london():
    performed = datetime(2027, 3, 27, 10, 0, tzinfo=LON)  # GMT: 10:00 UTC
    due = due_by_kind(aftercare_timeline(performed_at=performed, tz=LON))
    assert due[K.AFTERCARE_SHEET] == utc(2027, 3, 27, 10)
    # Next day 10:00 BST = 09:00 UTC: the morning stays a morning, only 23 hours later.
    assert due[K.CHECK_IN_DAY1] == utc(2027, 3, 28, 9)
    assert due[K.CHECK_IN_DAY1] - performed == timedelta(hours=23)
    assert due[K.CHECK_IN_DAY1].astimezone(LON).time() == time(10, 0)
    # +15 elapsed hours = 01:00 UTC = 02:00 BST (the clock has just jumped): quiet, so 08:00 BST = 07:00 UTC.
    assert due[K.WASH_MAKEUP_OK] == utc(2027, 3, 28, 7)
    assert due[K.WASH_MAKEUP_OK].astimezone(LON).time() == time(8, 0)
    # +48 elapsed hours land at 11:00 BST; calendar days keep 10:00 local.
    assert due[K.REST_OVER] == utc(2027, 3, 29, 10)
    assert due[K.CHECK_IN_DAY3] == utc(2027, 3, 30, 9)
    assert due[K.RECOVERY_REVIEW] == utc(2027, 4, 10, 9)
    bare = due_by_kind(aftercare_timeline(performed_at=performed, tz=LON, quiet_hours=None))
    assert bare[K.WASH_MAKEUP_OK] == utc(2027, 3, 28, 1)
    assert bare[K.WASH_MAKEUP_OK] - performed == timedelta(hours=15)


def test_fall_back_in_london():
    performed = datetime(2026, 10, 24, 10, 0, tzinfo=LON)  # BST: 09:00 UTC
    due = due_by_kind(aftercare_timeline(performed_at=performed, tz=LON))
    assert due[K.CHECK_IN_DAY1] == utc(2026, 10, 25, 10)  # 10:00 GMT, 25 elapsed hours
    assert due[K.CHECK_IN_DAY1] - performed == timedelta(hours=25)
    # +15 h = 00:00 UTC = 01:00 BST: quiet, so 08:00 GMT = 08:00 UTC.
    assert due[K.WASH_MAKEUP_OK] == utc(2026, 10, 25, 8)
    assert due[K.REST_OVER] == utc(2026, 10, 26, 9)  # 48 real hours: 09:00 GMT
    assert due[K.CHECK_IN_DAY3] == utc(2026, 10, 27, 10)
    assert due[K.RECOVERY_REVIEW] == utc(2026, 11, 7, 10)


@pytest.mark.parametrize(
    ("local_hour", "expected_local"),
    [
        (19, ist(2026, 11, 24, 10, 0)),  # +15 h = 10:00: not moved
        (16, ist(2026, 11, 24, 8, 0)),  # +15 h = 07:00: moved to 08:00 the same morning
        (17, ist(2026, 11, 24, 8, 0)),  # +15 h = 08:00: the end of quiet hours is not quiet
        (5, ist(2026, 11, 23, 20, 0)),  # +15 h = 20:00: not moved
        (6, ist(2026, 11, 24, 8, 0)),  # +15 h = 21:00: the start is quiet, moved to the next morning
        (7, ist(2026, 11, 24, 8, 0)),  # +15 h = 22:00: moved to the next morning
    ],
)
def test_quiet_hours(local_hour, expected_local):
    performed = datetime(2026, 11, 23, local_hour, 0, tzinfo=IST)
    due = due_by_kind(aftercare_timeline(performed_at=performed, tz=IST))
    assert due[K.WASH_MAKEUP_OK] == expected_local


def test_quiet_hours_none_disables_and_custom_window_is_honoured():
    performed = datetime(2026, 11, 23, 16, 0, tzinfo=IST)
    off = due_by_kind(aftercare_timeline(performed_at=performed, tz=IST, quiet_hours=None))
    assert off[K.WASH_MAKEUP_OK] == datetime(2026, 11, 24, 7, 0, tzinfo=IST)
    # A window within one day: 13:00-14:00 moves a 13:30 reminder to 14:00 the same day.
    performed = datetime(2026, 11, 23, 22, 30, tzinfo=IST)
    lunch = due_by_kind(aftercare_timeline(performed_at=performed, tz=IST, quiet_hours=(time(13), time(14))))
    assert lunch[K.WASH_MAKEUP_OK] == datetime(2026, 11, 24, 14, 0, tzinfo=IST)


def test_aftercare_sheet_is_at_once_even_in_quiet_hours():
    performed = datetime(2026, 11, 23, 22, 17, 41, 123456, tzinfo=IST)
    reminders = aftercare_timeline(performed_at=performed, tz=IST)
    assert reminders[0] == DueReminder(K.AFTERCARE_SHEET, performed.astimezone(UTC))
    assert reminders[0].due_at == performed


def test_custom_steps_are_honoured():
    plan = (
        TimelineStep(K.RECOVERY_REVIEW, Offset(days=21)),
        TimelineStep(K.CHECK_IN_DAY1, Offset(days=1, hours=2)),
        TimelineStep(K.WASH_MAKEUP_OK, Offset(hours=12)),
    )
    performed = datetime(2026, 11, 23, 10, 0, tzinfo=IST)
    reminders = aftercare_timeline(performed_at=performed, tz=IST, steps=plan)
    assert [(r.kind, r.due_at) for r in reminders] == [
        (K.WASH_MAKEUP_OK, datetime(2026, 11, 24, 8, 0, tzinfo=IST)),  # +12 h = 22:00: quiet -> 08:00
        (K.CHECK_IN_DAY1, datetime(2026, 11, 24, 12, 0, tzinfo=IST)),
        (K.RECOVERY_REVIEW, datetime(2026, 12, 14, 10, 0, tzinfo=IST)),
    ]
    assert aftercare_timeline(performed_at=performed, tz=IST, steps=()) == []


def test_timeline_refuses_pre_session_and_duplicate_kinds():
    performed = datetime(2026, 11, 23, 10, 0, tzinfo=IST)
    with pytest.raises(ValueError, match="PRE_SESSION"):
        aftercare_timeline(performed_at=performed, tz=IST, steps=(*DEFAULT_TIMELINE, PRE_SESSION_STEP))
    with pytest.raises(ValueError, match="once"):
        aftercare_timeline(performed_at=performed, tz=IST, steps=(*DEFAULT_TIMELINE, DEFAULT_TIMELINE[2]))


def test_negative_offset_is_refused():
    with pytest.raises(ValueError, match="negative"):
        Offset(days=-1)


def test_pre_session_booked_ten_days_ahead():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=IST)
    scheduled = datetime(2026, 12, 3, 10, 0, tzinfo=IST)
    assert pre_session_reminder(scheduled_at=scheduled, now=now, tz=IST) == DueReminder(
        K.PRE_SESSION, utc(2026, 11, 30, 7)
    )


def test_pre_session_across_dst_keeps_the_local_time():
    now = datetime(2027, 3, 1, 12, 0, tzinfo=LON)
    scheduled = datetime(2027, 3, 30, 10, 0, tzinfo=LON)  # BST: 09:00 UTC
    reminder = pre_session_reminder(scheduled_at=scheduled, now=now, tz=LON)
    assert reminder is not None
    assert reminder.due_at == utc(2027, 3, 27, 10)  # 10:00 GMT, 71 real hours before
    assert scheduled - reminder.due_at == timedelta(hours=71)


@pytest.mark.parametrize(
    ("scheduled_local", "step", "due_local"),
    [
        # 07:30 three days before is quiet: 08:00 that morning is still before the session.
        (ist(2026, 12, 3, 7, 30), PRE_SESSION_STEP, ist(2026, 11, 30, 8, 0)),
        # 22:00 three days before is quiet: 08:00 the next morning.
        (ist(2026, 12, 3, 22, 0), PRE_SESSION_STEP, ist(2026, 12, 1, 8, 0)),
        # An hour before an 08:30 session: 07:30 -> 08:00, still before the session.
        (ist(2026, 12, 3, 8, 30), TimelineStep(K.PRE_SESSION, Offset(hours=1)), ist(2026, 12, 3, 8, 0)),
        # An hour before a 07:45 session: 08:00 would be after it, so it stays at 06:45.
        (ist(2026, 12, 3, 7, 45), TimelineStep(K.PRE_SESSION, Offset(hours=1)), ist(2026, 12, 3, 6, 45)),
    ],
)
def test_pre_session_quiet_hours(scheduled_local, step, due_local):
    now = datetime(2026, 11, 1, 12, 0, tzinfo=IST)
    reminder = pre_session_reminder(scheduled_at=scheduled_local, now=now, tz=IST, step=step)
    assert reminder == DueReminder(K.PRE_SESSION, due_local)


def test_pre_session_quiet_hours_none():
    now = datetime(2026, 11, 1, 12, 0, tzinfo=IST)
    scheduled = datetime(2026, 12, 3, 7, 30, tzinfo=IST)
    reminder = pre_session_reminder(scheduled_at=scheduled, now=now, tz=IST, quiet_hours=None)
    assert reminder is not None
    assert reminder.due_at == datetime(2026, 11, 30, 7, 30, tzinfo=IST)


def test_pre_session_booked_one_day_ahead_is_due_now():
    now = datetime(2026, 11, 23, 12, 0, tzinfo=IST)
    reminder = pre_session_reminder(scheduled_at=now + timedelta(days=1), now=now, tz=IST)
    assert reminder == DueReminder(K.PRE_SESSION, utc(2026, 11, 23, 9))
    assert reminder.due_at.tzinfo is UTC


@pytest.mark.parametrize("before", [timedelta(0), timedelta(minutes=1), timedelta(days=5)])
def test_pre_session_for_a_session_not_in_the_future_is_none(before):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=IST)
    assert pre_session_reminder(scheduled_at=now - before, now=now, tz=IST) is None


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - the point of the test
    aware = datetime(2026, 11, 23, 10, 0, tzinfo=IST)
    with pytest.raises(ValueError, match="performed_at"):
        aftercare_timeline(performed_at=naive, tz=IST)
    with pytest.raises(ValueError, match="scheduled_at"):
        pre_session_reminder(scheduled_at=naive, now=aware, tz=IST)
    with pytest.raises(ValueError, match="now"):
        pre_session_reminder(scheduled_at=aware, now=naive, tz=IST)
    with pytest.raises(ValueError, match="anchor"):
        shift(naive, Offset(days=1), IST)


def test_aware_quiet_hours_are_refused():
    performed = datetime(2026, 11, 23, 10, 0, tzinfo=IST)
    with pytest.raises(ValueError, match="naive"):
        aftercare_timeline(performed_at=performed, tz=IST, quiet_hours=(time(21, tzinfo=UTC), time(8, tzinfo=UTC)))


def test_shift_in_the_gap_and_the_overlap_gives_a_real_instant():
    # 01:30 on 2027-03-28 does not exist in London: read as GMT (fold=0), i.e. 02:30 BST.
    assert shift(datetime(2027, 3, 27, 1, 30, tzinfo=LON), Offset(days=1), LON) == utc(2027, 3, 28, 1, 30)
    # 01:30 on 2026-10-25 happens twice: fold=0 is the first, in BST.
    assert shift(datetime(2026, 10, 24, 1, 30, tzinfo=LON), Offset(days=1), LON) == utc(2026, 10, 25, 0, 30)


def test_shift_before_undoes_shift_after():
    anchor = datetime(2027, 3, 26, 18, 0, tzinfo=LON)
    offset = Offset(days=2, hours=5)
    forward = shift(anchor, offset, LON)
    assert forward == utc(2027, 3, 28, 22)  # 18:00 BST on the 28th is 17:00 UTC, then 5 real hours
    assert shift(forward, offset, LON, before=True) == anchor
    assert shift(anchor, Offset(), LON) == anchor
    assert shift(anchor, Offset(), LON).tzinfo is UTC


def test_labels_cover_every_kind():
    assert K.AFTERCARE_SHEET.label == "Aftercare sheet"
    assert K.WASH_MAKEUP_OK.label == "Washing and make-up allowed again"
    assert all(kind.label for kind in ReminderKind)


ZONES = st.sampled_from([ZoneInfo(key) for key in ("Europe/London", "Europe/Istanbul", "America/New_York", "UTC")])
MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))  # noqa: DTZ001


@given(performed=MOMENTS, tz=ZONES)
def test_timeline_invariants(performed, tz):
    reminders = aftercare_timeline(performed_at=performed, tz=tz)
    assert [r.kind for r in reminders][0] is K.AFTERCARE_SHEET
    assert {r.kind for r in reminders} == {step.kind for step in DEFAULT_TIMELINE}
    assert [r.due_at for r in reminders] == sorted(r.due_at for r in reminders)
    for reminder in reminders:
        assert reminder.due_at.tzinfo is UTC
        assert reminder.due_at >= performed
        local = reminder.due_at.astimezone(tz).time()
        if reminder.kind is not K.AFTERCARE_SHEET:
            assert time(8) <= local < time(21)


@given(scheduled=MOMENTS, now=MOMENTS, tz=ZONES)
def test_pre_session_invariants(scheduled, now, tz):
    reminder = pre_session_reminder(scheduled_at=scheduled, now=now, tz=tz)
    if scheduled <= now:
        assert reminder is None
    else:
        assert reminder is not None
        assert reminder.due_at.tzinfo is UTC
        assert now <= reminder.due_at <= scheduled
