"""Patch test rules: pure, so every window edge and combination of tests is checked without a database."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatments.patch_tests import (
    PatchTestFacts,
    PatchTestRules,
    ProductBlock,
    ProductClearance,
    ReadResult,
    all_cleared,
    clearance,
    read_deadline,
    read_refusal,
    readable_from,
)

IST = ZoneInfo("Europe/Istanbul")  # UTC+03:00 all year
RULES = PatchTestRules()
APPLIED = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # 23 Nov 2026 09:30 in Istanbul
H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)
NEG, RED = ReadResult.NO_REACTION, ReadResult.REDNESS


def facts(
    test_id: int = 1,
    products: tuple[int, ...] = (1,),
    applied: datetime = APPLIED,
    read_after: timedelta | None = 24 * H,
    result: ReadResult | None = NEG,
    reaction_cleared: bool = False,
) -> PatchTestFacts:
    """A test applied at `applied`, read `read_after` later (None: not read)."""
    read_at = None if read_after is None else applied + read_after
    return PatchTestFacts(test_id, frozenset(products), applied, read_at, result if read_at else None, reaction_cleared)


def clear(tests: list[PatchTestFacts], session_at: datetime, products=(1,), names=None) -> dict[int, ProductClearance]:
    return clearance(product_ids=products, tests=tests, session_at=session_at, rules=RULES, tz=IST, product_names=names)


# --- reading window ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read_after", "refused"),
    [
        (-1 * H, "Too early"),  # before the test was even applied
        (0 * H, "Too early"),
        (23 * H + 59 * M, "Too early"),
        (24 * H, None),
        (48 * H, None),
        (72 * H, None),
        (72 * H + M, "Too late"),
        (30 * D, "Too late"),
    ],
)
def test_read_window_edges(read_after, refused):
    message = read_refusal(applied_at=APPLIED, read_at=APPLIED + read_after, rules=RULES, tz=IST)
    if refused is None:
        assert message is None
    else:
        assert message is not None and message.startswith(refused)


def test_refusal_sentences_show_clinic_local_time():
    early = read_refusal(applied_at=APPLIED, read_at=APPLIED + H, rules=RULES, tz=IST)
    late = read_refusal(applied_at=APPLIED, read_at=APPLIED + 73 * H, rules=RULES, tz=IST)
    assert early == "Too early: this patch test can be read from 24 Nov 2026 09:30 (24 hours after it was applied)."
    assert late == "Too late: the reading window closed on 26 Nov 2026 09:30; apply a new patch test."


def test_window_bounds_follow_the_rules():
    assert readable_from(APPLIED, RULES) == APPLIED + 24 * H
    assert read_deadline(APPLIED, RULES) == APPLIED + 72 * H
    short = PatchTestRules(min_hours=12, read_window_hours=36)
    assert read_refusal(applied_at=APPLIED, read_at=APPLIED + 12 * H, rules=short, tz=IST) is None
    assert read_refusal(applied_at=APPLIED, read_at=APPLIED + 37 * H, rules=short, tz=IST) is not None


@pytest.mark.parametrize("kwargs", [{"min_hours": -1}, {"min_hours": 80}, {"validity_days": -1}])
def test_inconsistent_rules_are_refused(kwargs):
    with pytest.raises(ValueError, match="inconsistent patch test rules"):
        PatchTestRules(**kwargs)


# --- one test, one product ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read_after", "result", "session_after", "block"),
    [
        (24 * H, NEG, 24 * H, None),  # read and used at the first possible instant
        (72 * H, NEG, 72 * H, None),  # read at the last possible instant
        (24 * H, NEG, 90 * D, None),  # validity ends inclusive
        (24 * H, NEG, 90 * D + M, ProductBlock.EXPIRED),
        (None, None, 20 * H, ProductBlock.TOO_RECENT),
        (None, None, 23 * H + 59 * M, ProductBlock.TOO_RECENT),
        (None, None, 0 * H, ProductBlock.TOO_RECENT),  # applied at the session's instant
        (None, None, 48 * H, ProductBlock.NOT_READ),  # window still open
        (None, None, 80 * H, ProductBlock.NOT_READ),  # window closed unread
        (72 * H + M, NEG, 80 * H, ProductBlock.NOT_READ),  # read too late does not count
        (23 * H, NEG, 80 * H, ProductBlock.NOT_READ),  # read too early does not count
        (30 * H, NEG, 26 * H, ProductBlock.NOT_READ),  # read only after the session
        (24 * H, RED, 30 * H, ProductBlock.REACTION),
        (24 * H, ReadResult.OTHER, 400 * D, ProductBlock.REACTION),  # a reaction never expires
    ],
)
def test_single_test_outcomes(read_after, result, session_after, block):
    outcome = clear([facts(read_after=read_after, result=result)], APPLIED + session_after)[1]
    assert (outcome.cleared, outcome.block) == (block is None, block)
    assert outcome.test_id == 1


def test_reasons_name_the_product_and_show_local_times():
    names = {1: "Hyaluronic acid", 2: "Vitamin cocktail", 3: "Peptides"}
    earlier = APPLIED - 3 * D  # 20 Nov 2026 09:30 local
    tests = [facts(1, (1,), applied=earlier), facts(2, (2,), read_after=None)]
    result = clear(tests, APPLIED + 2 * H, products=(1, 2, 3), names=names)
    assert result[1].reason == (
        "Negative patch test for Hyaluronic acid applied 20 Nov 2026 09:30, valid until 18 Feb 2027 09:30."
    )
    assert result[2].reason == (
        "The patch test for Vitamin cocktail applied 23 Nov 2026 09:30 is too recent; "
        "it can be used from 24 Nov 2026 09:30."
    )
    assert result[3] == ProductClearance(3, False, ProductBlock.NO_TEST, "No patch test for Peptides.", None)
    unnamed = clear([facts(read_after=None)], APPLIED + 80 * H)[1].reason
    assert unnamed.startswith("The patch test for product 1 applied 23 Nov 2026 09:30 was not read in its window")


def test_expired_and_reaction_reasons():
    expired = clear([facts()], APPLIED + 91 * D)[1]
    assert expired.reason.endswith("expired on 21 Feb 2027 09:30; apply a new one.")
    reaction = clear([facts(result=ReadResult.ITCHING_BURNING)], APPLIED + 30 * H)[1]
    assert reaction.reason.startswith("Itching or burning on the patch test for product 1 applied 23 Nov 2026 09:30")


# --- several tests ------------------------------------------------------------------------------------------------


def test_reaction_blocks_even_with_a_later_negative_test():
    reacted = facts(1, applied=APPLIED, result=ReadResult.SWELLING)
    negative = facts(2, applied=APPLIED + 10 * D)
    outcome = clear([reacted, negative], APPLIED + 20 * D)[1]
    assert (outcome.cleared, outcome.block, outcome.test_id) == (False, ProductBlock.REACTION, 1)


def test_reaction_read_outside_its_window_still_blocks():
    outcome = clear([facts(1, read_after=100 * H, result=RED), facts(2, applied=APPLIED + 10 * D)], APPLIED + 20 * D)
    assert outcome[1].block is ProductBlock.REACTION


def test_physician_decision_lets_a_negative_test_clear():
    reacted = facts(1, applied=APPLIED, result=RED, reaction_cleared=True)
    negative = facts(2, applied=APPLIED + 10 * D)
    outcome = clear([reacted, negative], APPLIED + 20 * D)[1]
    assert (outcome.cleared, outcome.block, outcome.test_id) == (True, None, 2)
    # The decision lifts the block but is not itself a negative read.
    alone = clear([reacted], APPLIED + 20 * D)[1]
    assert (alone.cleared, alone.block, alone.test_id) == (False, ProductBlock.NO_TEST, 1)


def test_tests_applied_after_the_session_are_ignored():
    later_reaction = facts(2, applied=APPLIED + 10 * D, result=RED)
    outcome = clear([facts(1), later_reaction], APPLIED + 5 * D)[1]
    assert (outcome.cleared, outcome.test_id) == (True, 1)
    assert clear([later_reaction], APPLIED)[1].block is ProductBlock.NO_TEST


def test_latest_test_explains_the_block():
    old = facts(1, applied=APPLIED - 100 * D)  # negative, expired
    pending = facts(2, applied=APPLIED, read_after=None)
    assert clear([old, pending], APPLIED + 20 * H)[1].block is ProductBlock.TOO_RECENT
    assert clear([old, pending], APPLIED + 30 * H)[1].block is ProductBlock.NOT_READ
    assert clear([old], APPLIED + 30 * H)[1].block is ProductBlock.EXPIRED


def test_latest_clearing_test_is_named():
    outcome = clear([facts(1, applied=APPLIED - 30 * D), facts(2, applied=APPLIED - 5 * D)], APPLIED)[1]
    assert (outcome.cleared, outcome.test_id) == (True, 2)


def test_tests_count_only_for_their_products():
    result = clear([facts(7, products=(1, 2))], APPLIED + 2 * D, products=(1, 2, 3))
    assert {pid: (c.cleared, c.block, c.test_id) for pid, c in result.items()} == {
        1: (True, None, 7),
        2: (True, None, 7),
        3: (False, ProductBlock.NO_TEST, None),
    }
    assert not all_cleared(result)


def test_two_tests_for_different_products():
    tests = [facts(1, products=(1,)), facts(2, products=(2,), result=RED)]
    result = clear(tests, APPLIED + 2 * D, products=(1, 2))
    assert (result[1].cleared, result[1].test_id) == (True, 1)
    assert (result[2].block, result[2].test_id) == (ProductBlock.REACTION, 2)
    assert all_cleared(clear(tests, APPLIED + 2 * D, products=(1,)))
    assert all_cleared({})


# --- clock zones and naive times ----------------------------------------------------------------------------------


def test_same_instants_in_other_zones_give_same_results():
    plus3 = timezone(timedelta(hours=3))
    cases = [(24 * H, 90 * D), (24 * H, 90 * D + M), (None, 20 * H), (None, 80 * H), (72 * H, 73 * H)]
    for read_after, session_after in cases:
        in_utc = clear([facts(read_after=read_after)], APPLIED + session_after)
        local = APPLIED.astimezone(plus3)
        in_plus3 = clear([facts(applied=local, read_after=read_after)], (APPLIED + session_after).astimezone(plus3))
        assert in_utc == in_plus3


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 11, 23, 9, 30)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="session_at"):
        clear([facts()], naive)
    with pytest.raises(ValueError, match="applied_at"):
        PatchTestFacts(1, frozenset({1}), naive, None, None)
    with pytest.raises(ValueError, match="read_at"):
        PatchTestFacts(1, frozenset({1}), APPLIED, naive, NEG)
    with pytest.raises(ValueError, match="read_at"):
        read_refusal(applied_at=APPLIED, read_at=naive, rules=RULES, tz=IST)
    with pytest.raises(ValueError, match="applied_at"):
        read_refusal(applied_at=naive, read_at=APPLIED, rules=RULES, tz=IST)


def test_half_a_read_is_refused():
    with pytest.raises(ValueError, match="read_at and result must be set together"):
        PatchTestFacts(1, frozenset({1}), APPLIED, APPLIED + 24 * H, None)
    with pytest.raises(ValueError, match="read_at and result must be set together"):
        PatchTestFacts(1, frozenset({1}), APPLIED, None, NEG)


def test_result_labels_and_reactions():
    assert [r.label for r in ReadResult] == [
        "No reaction",
        "Redness",
        "Swelling",
        "Itching or burning",
        "Rash or wheal",
        "Other reaction",
    ]
    assert [r for r in ReadResult if not r.is_reaction] == [ReadResult.NO_REACTION]


# --- property -----------------------------------------------------------------------------------------------------

MINUTES = st.integers(min_value=-2 * 60, max_value=100 * 24 * 60)


@given(read=st.none() | MINUTES, session=MINUTES, result=st.sampled_from(ReadResult))
def test_cleared_exactly_when_every_condition_holds(read, session, result):
    test = facts(read_after=None if read is None else read * M, result=result)
    outcome = clear([test], APPLIED + session * M)[1]
    expected = (
        read is not None
        and 24 * 60 <= read <= 72 * 60
        and read <= session  # the read must exist at the session
        and result is NEG
        and 24 * 60 <= session <= 90 * 24 * 60
    )
    assert outcome.cleared == expected
    assert (outcome.block is None) == outcome.cleared
    if read is not None and result.is_reaction and session >= 0:
        assert outcome.block is ProductBlock.REACTION


@pytest.mark.parametrize(
    ("previous", "answer", "description", "missing"),
    [
        (None, "", "", set()),  # her first session: nothing is asked
        ("2026-11-09", "", "", {"previous_reaction"}),
        ("2026-11-09", "maybe", "", {"previous_reaction"}),
        ("2026-11-09", "none", "", set()),
        ("2026-11-09", "reaction", "  ", {"reaction_after_previous"}),
        ("2026-11-09", "reaction", "bruising for two days", set()),
    ],
)
def test_each_later_session_answers_whether_a_reaction_followed_the_previous_one(
    previous, answer, description, missing
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from treatments.readiness import previous_reaction_problems

    tz = ZoneInfo("Europe/Istanbul")
    previous_at = dt.datetime.fromisoformat(previous).replace(hour=23, tzinfo=dt.UTC) if previous else None
    problems = previous_reaction_problems(previous_at=previous_at, answer=answer, description=description, tz=tz)
    assert set(problems) == missing
    if "previous_reaction" in problems:  # the day of the previous session, in the clinic's zone (UTC 23:00 -> 02:00)
        assert "(10 Nov 2026)" in problems["previous_reaction"]
