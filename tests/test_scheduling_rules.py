"""Scheduling rules (treatments/scheduling.py): pure, so time zones, daylight saving, split days, time off, rooms,
the patient's own sessions, the 15-minute grid, the horizon and the earliest moment are checked without a database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from treatments.patch_tests import PatchTestFacts, PatchTestRules, ReadResult
from treatments.readiness import ScreeningFacts
from treatments.scheduling import (
    Availability,
    Busy,
    Clash,
    EarliestCode,
    Interval,
    SlotProblem,
    WeeklyHours,
    check_slot,
    earliest_treatment,
    free_intervals,
    grid_starts,
    local_instant,
    nearest_free_starts,
    working_intervals,
)

IST = ZoneInfo("Europe/Istanbul")  # UTC+03:00 all year
LON = ZoneInfo("Europe/London")  # GMT/BST: 29 Mar 2026 01:00 -> 02:00, 25 Oct 2026 02:00 -> 01:00
H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)
MON = date(2026, 11, 23)  # a Monday
MON_FRI = tuple(WeeklyHours(d, time(9), time(18)) for d in range(5)) + (WeeklyHours(5, time(10), time(14)),)
WEEK = Availability(MON_FRI)
EARLY = datetime(2026, 11, 1, tzinfo=UTC)  # "now" long before the slots


def at(day: date, hh: int, mm: int = 0, tz=IST) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz)


def utc(y, mo, d, hh, mm=0) -> datetime:
    return datetime(y, mo, d, hh, mm, tzinfo=UTC)


def total(intervals) -> timedelta:
    return sum((i.end - i.start for i in intervals), timedelta(0))


def check(start, minutes=45, *, now=EARLY, availability=WEEK, busy=(), tz=IST):
    return check_slot(start=start, minutes=minutes, now=now, tz=tz, availability=availability, busy=busy)


def problems(result) -> list[SlotProblem]:
    return [r.problem for r in result.reasons]


# --- working time, time zones and daylight saving -----------------------------------------------------------


def test_istanbul_working_hours_are_three_hours_ahead_of_utc_all_year():
    assert working_intervals(MON, MON_FRI, IST) == [Interval(utc(2026, 11, 23, 6), utc(2026, 11, 23, 15))]
    summer = date(2026, 7, 6)  # a Monday; Turkey keeps +03:00 all year
    assert working_intervals(summer, MON_FRI, IST) == [Interval(utc(2026, 7, 6, 6), utc(2026, 7, 6, 15))]


@pytest.mark.parametrize(
    ("day", "starts", "ends", "expected_start", "expected_end", "hours"),
    [
        # London in winter and summer: 09:00 on the clock is 09:00 then 08:00 UTC.
        (date(2026, 3, 27), time(9), time(18), utc(2026, 3, 27, 9), utc(2026, 3, 27, 18), 9),
        (date(2026, 3, 30), time(9), time(18), utc(2026, 3, 30, 8), utc(2026, 3, 30, 17), 9),
        # Spring forward (Sun 29 Mar): 00:00-03:00 on the clock is two real hours, not three.
        (date(2026, 3, 29), time(0), time(3), utc(2026, 3, 29, 0), utc(2026, 3, 29, 2), 2),
        # A shift starting in the gap (01:30 never shows) starts at the change (02:00 BST = 01:00 UTC).
        (date(2026, 3, 29), time(1, 30), time(4), utc(2026, 3, 29, 1), utc(2026, 3, 29, 3), 2),
        # ... and one ending in the gap ends at the change.
        (date(2026, 3, 29), time(0), time(1, 30), utc(2026, 3, 29, 0), utc(2026, 3, 29, 1), 1),
        # Fall back (Sun 25 Oct): 00:00-03:00 on the clock is four real hours (01:00-02:00 shows twice).
        (date(2026, 10, 25), time(0), time(3), utc(2026, 10, 24, 23), utc(2026, 10, 25, 3), 4),
        # Starting and ending inside the repeated hour: from its first showing to its last.
        (date(2026, 10, 25), time(1, 15), time(1, 45), utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 1, 45), 1.5),
    ],
)
def test_london_working_hours_across_daylight_saving(day, starts, ends, expected_start, expected_end, hours):
    got = working_intervals(day, [WeeklyHours(day.weekday(), starts, ends)], LON)
    assert got == [Interval(expected_start, expected_end)]
    assert total(got) == timedelta(hours=hours)


def test_a_gap_time_is_the_change_itself_and_a_repeated_time_its_first_or_last_showing():
    assert local_instant(date(2026, 3, 29), time(1, 0), LON) == utc(2026, 3, 29, 1)
    assert local_instant(date(2026, 3, 29), time(1, 59), LON) == utc(2026, 3, 29, 1)
    assert local_instant(date(2026, 10, 25), time(1, 30), LON) == utc(2026, 10, 25, 0, 30)
    assert local_instant(date(2026, 10, 25), time(1, 30), LON, at_end=True) == utc(2026, 10, 25, 1, 30)


def test_the_grid_follows_the_clinic_clock_across_a_daylight_saving_night():
    sunday = date(2026, 3, 29)
    pieces = working_intervals(sunday, [WeeklyHours(6, time(0), time(3))], LON)
    starts = [s.astimezone(LON).strftime("%H:%M") for s in grid_starts(pieces[0], 60, LON)]
    assert starts == ["00:00", "00:15", "00:30", "00:45", "02:00"]  # no 01:xx: that hour never shows


def test_a_split_day_has_two_pieces_and_the_lunch_break_is_not_bookable():
    split = Availability((WeeklyHours(0, time(9), time(12, 30)), WeeklyHours(0, time(14), time(18))))
    assert total(split.working_time(MON, IST)) == timedelta(hours=7, minutes=30)
    assert check(at(MON, 11, 45), availability=split).free
    assert problems(check(at(MON, 12), availability=split)) == [SlotProblem.OUTSIDE_HOURS]
    assert problems(check(at(MON, 13), 30, availability=split)) == [SlotProblem.OUTSIDE_HOURS]
    assert check(at(MON, 14), availability=split).free


def test_overlapping_rows_of_one_day_are_merged_not_counted_twice():
    rows = (WeeklyHours(0, time(9), time(13)), WeeklyHours(0, time(12), time(18)))
    assert working_intervals(MON, rows, IST) == [Interval(at(MON, 9), at(MON, 18))]


def test_no_working_hours_recorded_means_none_enforced():
    assert check(at(MON, 22), availability=Availability(None)).free
    assert total(Availability(None).working_time(MON, IST)) == 24 * H


# --- time off, busy intervals, the slot check ---------------------------------------------------------------


def test_time_off_across_midnight_blocks_both_evenings_and_mornings():
    off = Interval(at(MON, 16), at(MON + D, 11))  # Monday 16:00 to Tuesday 11:00
    availability = Availability(MON_FRI, (off,))
    assert availability.working_time(MON, IST) == [Interval(at(MON, 9), at(MON, 16))]
    assert availability.working_time(MON + D, IST) == [Interval(at(MON + D, 11), at(MON + D, 18))]
    result = check(at(MON + D, 10, 30), availability=availability)
    assert problems(result) == [SlotProblem.TIME_OFF]
    assert "23 Nov 2026 16:00" in result.reasons[0].message and "24 Nov 2026 11:00" in result.reasons[0].message
    assert check(at(MON + D, 11), availability=availability).free


def test_free_intervals_are_working_time_minus_time_off_minus_busy():
    off = Interval(at(MON, 9), at(MON, 10))
    busy = [Interval(at(MON, 12), at(MON, 12, 45)), Interval(at(MON, 17), at(MON, 19))]
    free = free_intervals(day=MON, availability=Availability(MON_FRI, (off,)), busy=busy, tz=IST)
    assert free == [Interval(at(MON, 10), at(MON, 12)), Interval(at(MON, 12, 45), at(MON, 17))]


@pytest.mark.parametrize(
    ("clash", "problem", "field", "words"),
    [
        (Clash.PRACTITIONER, SlotProblem.PRACTITIONER_BUSY, "scheduled_at", "The practitioner has another session"),
        (Clash.ROOM, SlotProblem.ROOM_TAKEN, "room", "The room is taken by another session at 10:00 (until 10:45)"),
        (Clash.PATIENT, SlotProblem.PATIENT_BUSY, "scheduled_at", "The patient has another session"),
    ],
)
def test_a_clash_with_the_practitioner_the_room_or_the_patient_is_named_at_its_field(clash, problem, field, words):
    busy = [Busy(at(MON, 10), at(MON, 10, 45), clash)]
    result = check(at(MON, 10, 30), busy=busy)
    assert problems(result) == [problem]
    assert result.reasons[0].field == field and words in result.reasons[0].message
    assert check(at(MON, 10, 45), busy=busy).free  # back to back is fine
    assert check(at(MON, 9, 15), 45, busy=busy).free  # ends as the other starts


def test_every_reason_is_given_at_once_in_order():
    busy = [Busy(at(MON, 20), at(MON, 21), c) for c in Clash]
    result = check(at(MON, 20), 30, now=at(MON + D, 9), busy=busy)
    assert problems(result) == [
        SlotProblem.PAST, SlotProblem.OUTSIDE_HOURS, SlotProblem.PRACTITIONER_BUSY, SlotProblem.ROOM_TAKEN,
        SlotProblem.PATIENT_BUSY,
    ]


def test_a_session_running_past_the_end_of_the_day_is_outside_hours_and_a_day_off_says_so():
    assert problems(check(at(MON, 17, 30))) == [SlotProblem.OUTSIDE_HOURS]
    assert check(at(MON, 17, 15)).free
    sunday = check(at(MON - D, 10))
    assert "does not work on 22 Nov 2026" in sunday.reasons[0].message


def test_the_past_allows_the_grace_period_only():
    now = at(MON, 10, 10)
    assert check_slot(start=at(MON, 10), minutes=45, now=now, tz=IST, availability=WEEK, busy=(),
                      grace=15 * M).free
    assert problems(check(at(MON, 10), now=now)) == [SlotProblem.PAST]


# --- nearest free starts --------------------------------------------------------------------------------------


def nearest(wanted, minutes=45, *, now=EARLY, availability=WEEK, busy=(), **kw):
    return nearest_free_starts(wanted=wanted, minutes=minutes, now=now, tz=IST, availability=availability,
                               busy=busy, **kw)


def test_the_three_nearest_quarter_hours_on_the_same_day_earlier_or_later():
    busy = [Busy(at(MON, 10), at(MON, 11), Clash.ROOM)]
    # 11:00 is 45 minutes away, 9:15 and 11:15 an hour (a tie goes to the earlier), 9:00 75 minutes.
    assert nearest(at(MON, 10, 15), busy=busy) == [at(MON, 11), at(MON, 9, 15), at(MON, 11, 15)]


def test_a_full_day_sends_the_search_to_the_next_working_days_and_skips_sunday():
    friday, saturday, monday = MON + 4 * D, MON + 5 * D, MON + 7 * D
    busy = [Busy(at(friday, 9), at(friday, 18), Clash.PRACTITIONER),
            Busy(at(saturday, 10), at(saturday, 13), Clash.PRACTITIONER)]
    assert nearest(at(friday, 11), busy=busy) == [at(saturday, 13), at(saturday, 13, 15), at(monday, 9)]


def test_no_start_before_now_or_the_earliest_moment_and_none_after_the_horizon():
    now = at(MON, 10, 5)
    assert nearest(at(MON, 9), now=now) == [at(MON, 10, 15), at(MON, 10, 30), at(MON, 10, 45)]
    assert nearest(at(MON, 9), not_before=at(MON + D, 12))[0] == at(MON + D, 12)
    away = Availability(MON_FRI, (Interval(at(MON, 0), at(MON + 30 * D, 0)),))
    assert nearest(at(MON, 10), availability=away, horizon_days=14) == []
    assert nearest(at(MON, 10), availability=away, horizon_days=31)[0] == at(MON + 30 * D, 9)


def test_without_recorded_hours_free_times_are_offered_in_the_usual_clinic_day_never_at_midnight():
    assert nearest(at(MON, 0), availability=Availability(None)) == [at(MON, 9), at(MON, 9, 15), at(MON, 9, 30)]


def test_starts_off_the_grid_are_rounded_up_to_the_next_quarter_hour():
    busy = [Busy(at(MON, 9), at(MON, 9, 50), Clash.PRACTITIONER)]
    assert nearest(at(MON, 9), count=1, busy=busy) == [at(MON, 10)]


# --- the earliest moment ----------------------------------------------------------------------------------------

NOW = at(MON, 9, 30)
RULES = PatchTestRules()
ADULT = date(1990, 5, 1)
APPROVED = ScreeningFacts(1, NOW - 2 * D, "approved", NOW - D, (NOW + 100 * D).date(), outcome="eligible")


def earliest(*, dob=ADULT, screenings=(APPROVED,), products=(1,), tests=(), **kw):
    return earliest_treatment(now=NOW, tz=IST, date_of_birth=dob, min_age_years=18, screenings=list(screenings),
                              tested_product_ids=products, tests=tests, rules=RULES, product_names={1: "Cocktail A"},
                              **kw)


def patch(applied, read_after=None, result=ReadResult.NO_REACTION, test_id=1, cleared=False):
    read_at = applied + read_after if read_after is not None else None
    return PatchTestFacts(test_id, frozenset({1}), applied, read_at, result if read_at else None, cleared)


def codes(e) -> list[EarliestCode]:
    return [r.code for r in e.reasons]


def test_under_18_with_a_hard_stop_screening_is_a_hard_stop_with_no_moment_at_all():
    minor = ScreeningFacts(1, NOW - D, "", None, None, outcome="not_eligible", hard_stop=True)
    e = earliest(dob=date(2009, 1, 10), screenings=(minor,))  # 17 on 23 Nov 2026, 18 on 10 Jan 2027
    assert e.hard_stop and e.at is None and not e.bookable
    assert codes(e) == [EarliestCode.UNDER_AGE] and "10 Jan 2027" in e.reasons[0].message


def test_under_18_today_means_not_before_her_18th_birthday_at_midnight_clinic_time():
    e = earliest(dob=date(2008, 11, 25), tests=[patch(NOW - 3 * D, 24 * H)])  # 18 the day after tomorrow
    assert not e.hard_stop and e.at == e.adult_from == e.refused_before == at(MON + 2 * D, 0)
    assert EarliestCode.UNDER_AGE in codes(e) and "25 Nov 2026" in e.reasons[1].message
    born_29_feb = earliest(dob=date(2008, 2, 29), tests=[patch(NOW - 3 * D, 24 * H)])
    assert born_29_feb.at == NOW  # 18 since 1 Mar 2026


@pytest.mark.parametrize(
    ("screening", "code"),
    [
        (ScreeningFacts(2, NOW - D, "", None, None, outcome="not_eligible"), EarliestCode.NOT_ELIGIBLE),
        (ScreeningFacts(2, NOW - D, "declined", NOW - D, None, outcome="needs_review"), EarliestCode.DECLINED),
    ],
)
def test_a_not_eligible_or_declined_latest_screening_is_a_hard_stop(screening, code):
    e = earliest(screenings=(APPROVED, screening))
    assert e.hard_stop and e.at is None and codes(e) == [code]


def test_a_negative_read_patch_test_and_no_course_allow_now():
    e = earliest(tests=[patch(NOW - 3 * D, 24 * H)])
    assert e.at == NOW and e.patch_test_from is None and e.approval_ok
    assert codes(e) == [EarliestCode.NOW, EarliestCode.PATCH_TEST_READ]


def test_an_unread_patch_test_gives_the_moment_it_becomes_readable_to_be_read_first():
    applied = NOW - 2 * H
    e = earliest(tests=[patch(applied)])
    assert e.at == applied + 24 * H == e.patch_test_from
    reason = e.reasons[1]
    assert reason.code is EarliestCode.PATCH_TEST_TO_READ and "to be read (negative) first" in reason.message
    assert "24 Nov 2026 07:30" in reason.message


def test_a_readable_unread_test_allows_now_once_read():
    e = earliest(tests=[patch(NOW - 30 * H)])
    assert e.at == NOW and codes(e)[1] is EarliestCode.PATCH_TEST_TO_READ


def test_no_patch_test_means_24_hours_from_now_at_the_earliest_said_not_enforced():
    e = earliest()
    assert e.at == NOW + 24 * H and codes(e)[1] is EarliestCode.PATCH_TEST_NONE
    assert e.patch_test_from is None  # the test may be applied later and the session moved; the gate decides


def test_an_expired_negative_test_is_no_test():
    e = earliest(tests=[patch(NOW - 100 * D, 24 * H)])
    assert codes(e)[1] is EarliestCode.PATCH_TEST_NONE and e.at == NOW + 24 * H


def test_a_reaction_leaves_the_moment_unknown_until_a_physician_decides():
    e = earliest(tests=[patch(NOW - 3 * D, 24 * H, ReadResult.REDNESS)])
    assert e.at is None and not e.hard_stop and codes(e)[1] is EarliestCode.PATCH_TEST_REACTION


def test_the_course_interval_after_the_last_session_counts_from_that_clinic_day():
    e = earliest(tests=[patch(NOW - 3 * D, 24 * H)], interval_days=7, last_session_at=at(MON - 2 * D, 16))
    assert e.at == at(MON + 5 * D, 0) and codes(e)[-1] is EarliestCode.COURSE_INTERVAL


def test_the_latest_constraint_wins():
    e = earliest(tests=[patch(NOW - H)], interval_days=1, last_session_at=NOW - 3 * D)
    assert e.at == NOW - H + 24 * H


def test_an_approval_ending_before_the_earliest_moment_is_said():
    short = ScreeningFacts(1, NOW - 2 * D, "approved", NOW - D, NOW.date(), outcome="eligible")
    e = earliest(screenings=(short,))  # no test: tomorrow at the earliest, the approval ends today
    assert not e.approval_ok and codes(e)[-1] is EarliestCode.APPROVAL_EXPIRES
    assert "23 Nov 2026" in e.reasons[-1].message


def test_no_approval_yet_is_said_but_still_books():
    waiting = ScreeningFacts(1, NOW - D, "", None, None, outcome="needs_review")
    e = earliest(screenings=(waiting,), tests=[patch(NOW - 3 * D, 24 * H)])
    assert e.bookable and e.at == NOW and not e.approval_ok and codes(e)[-1] is EarliestCode.NO_APPROVAL
