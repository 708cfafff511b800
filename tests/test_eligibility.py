"""Eligibility engine: pure, so every rule, edge and combination is checked without a database."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.eligibility import Assessment, Outcome, Thresholds, age_on, assess
from tests.test_medicines import SEEDED

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # local date 2026-11-23 in UTC
ADULT = date(1996, 6, 15)  # 30 on AT
MINOR = date(2009, 1, 10)  # 17 on AT
TABLE_ORDER = (
    "under_age",
    "blood_thinner",
    "nsaid",
    "medicine_named",
    "bleeding_disorder",
    "pregnant_or_breastfeeding",
    "allergy",
    "skin_at_area",
    "systemic_condition",
    "keloid",
    "cardiovascular",
    "isotretinoin",
    "recent_procedure",
)
BOOL_KEYS = (
    "takes_blood_thinner",
    "blood_thinner_prescribed",
    "takes_nsaid",
    "bleeding_disorder",
    "pregnant",
    "breastfeeding",
    "allergy_to_components",
    "allergy_to_local_anaesthetic",
    "previous_mesotherapy_reaction",
    "area_infection",
    "area_open_lesion",
    "area_cold_sore",
    "area_eczema_psoriasis_flare",
    "area_sunburn",
    "autoimmune_disease",
    "insulin_dependent_diabetes",
    "active_cancer_or_treatment",
    "immunosuppressed",
    "keloid_tendency",
    "serious_heart_disease",
    "arrhythmia",
    "stroke_or_clot_history",
)
EVERYTHING = {
    **dict.fromkeys(BOOL_KEYS, True),
    "blood_thinner_name": "warfarin",
    "nsaid_name": "ibuprofen",
    "current_medicines": "Coraspin 100",
    "allergy_details": "lidocaine",
    "isotretinoin_last_dose": date(2026, 10, 1),
    "facial_procedure_last_date": "2026-11-20",
}
NEEDS_REVIEW, NOT_ELIGIBLE = Outcome.NEEDS_REVIEW, Outcome.NOT_ELIGIBLE


def screen(answers: dict, dob: date = ADULT, at: datetime = AT, tz=UTC, **limits) -> Assessment:
    return assess(answers, date_of_birth=dob, at=at, tz=tz, medicine_names=SEEDED, thresholds=Thresholds(**limits))


def codes(assessment: Assessment) -> tuple[str, ...]:
    return tuple(f.code for f in assessment.findings)


def test_no_answers_at_30_is_eligible_with_no_findings():
    result = screen({})
    assert (result.outcome, result.findings, result.age_years) == (Outcome.ELIGIBLE, (), 30)
    assert (result.hard_stop, result.needs_physician_decision) == (False, True)


def test_free_text_answers_and_explicit_noes_fire_nothing():
    answers = {**dict.fromkeys(BOOL_KEYS, False), "medical_history": "asthma", "current_medicines": "vitamin D, iron"}
    assert screen({**answers, "isotretinoin_last_dose": None, "facial_procedure_last_date": ""}).findings == ()


# (answers, date of birth, code, outcome, overridable, words the reason must contain)
SINGLE_RULES = [
    pytest.param({}, MINOR, "under_age", NOT_ELIGIBLE, False, "Aged 17", id="under_age"),
    pytest.param(
        {"takes_blood_thinner": True, "blood_thinner_name": "warfarin", "blood_thinner_prescribed": True},
        ADULT,
        "blood_thinner",
        NEEDS_REVIEW,
        True,
        "(warfarin, prescribed): never stop without the prescriber",
        id="blood_thinner-prescribed",
    ),
    pytest.param(
        {"takes_blood_thinner": True, "blood_thinner_name": "aspirin"},
        ADULT,
        "blood_thinner",
        NEEDS_REVIEW,
        True,
        "(aspirin): a physician must decide whether",
        id="blood_thinner",
    ),
    pytest.param(
        {"takes_blood_thinner": True},
        ADULT,
        "blood_thinner",
        NEEDS_REVIEW,
        True,
        "Takes a blood thinner:",
        id="blood_thinner-unnamed",
    ),
    pytest.param(
        {"takes_nsaid": True, "nsaid_name": "ibuprofen"},
        ADULT,
        "nsaid",
        NEEDS_REVIEW,
        True,
        "(ibuprofen): pre-treatment instructions ask to pause it if safe",
        id="nsaid",
    ),
    pytest.param(
        {"takes_blood_thinner": False, "current_medicines": "Aspirin 100 mg daily"},
        ADULT,
        "medicine_named",
        NEEDS_REVIEW,
        True,
        "Medicines named: Aspirin 100 mg daily (aspirin: a blood thinner): a physician must decide.",
        id="medicine_named",
    ),
    pytest.param(
        {"bleeding_disorder": True}, ADULT, "bleeding_disorder", NEEDS_REVIEW, True, "bleeding", id="bleeding"
    ),
    pytest.param({"pregnant": True}, ADULT, "pregnant_or_breastfeeding", NOT_ELIGIBLE, True, "pregnant", id="pregnant"),
    pytest.param(
        {"breastfeeding": True},
        ADULT,
        "pregnant_or_breastfeeding",
        NOT_ELIGIBLE,
        True,
        "breastfeeding",
        id="breastfeeding",
    ),
    pytest.param(
        {"allergy_to_components": True, "allergy_details": "hyaluronic acid"},
        ADULT,
        "allergy",
        NEEDS_REVIEW,
        True,
        "product components (hyaluronic acid): a patch test is mandatory",
        id="allergy-components",
    ),
    pytest.param(
        {"allergy_to_local_anaesthetic": True},
        ADULT,
        "allergy",
        NEEDS_REVIEW,
        True,
        "local anaesthetic",
        id="allergy-anaesthetic",
    ),
    pytest.param(
        {"previous_mesotherapy_reaction": True},
        ADULT,
        "allergy",
        NEEDS_REVIEW,
        True,
        "reaction to mesotherapy",
        id="allergy-earlier-reaction",
    ),
    *(
        pytest.param({key: True}, ADULT, "skin_at_area", NOT_ELIGIBLE, True, words, id=key)
        for key, words in [
            ("area_infection", "active infection"),
            ("area_open_lesion", "open lesion"),
            ("area_cold_sore", "cold sore"),
            ("area_eczema_psoriasis_flare", "eczema or psoriasis flare"),
            ("area_sunburn", "sunburn"),
        ]
    ),
    *(
        pytest.param({key: True}, ADULT, "systemic_condition", NEEDS_REVIEW, True, words, id=key)
        for key, words in [
            ("autoimmune_disease", "autoimmune disease"),
            ("insulin_dependent_diabetes", "insulin-dependent diabetes"),
            ("active_cancer_or_treatment", "cancer"),
            ("immunosuppressed", "immunosuppression"),
        ]
    ),
    pytest.param({"keloid_tendency": True}, ADULT, "keloid", NEEDS_REVIEW, True, "keloid", id="keloid"),
    *(
        pytest.param({key: True}, ADULT, "cardiovascular", NEEDS_REVIEW, True, words, id=key)
        for key, words in [
            ("serious_heart_disease", "serious heart disease"),
            ("arrhythmia", "arrhythmia"),
            ("stroke_or_clot_history", "stroke or clots"),
        ]
    ),
    pytest.param(
        {"isotretinoin_last_dose": date(2026, 9, 1)},
        ADULT,
        "isotretinoin",
        NEEDS_REVIEW,
        True,
        "2026-09-01",
        id="isotretinoin",
    ),
    pytest.param(
        {"facial_procedure_last_date": date(2026, 11, 10)},
        ADULT,
        "recent_procedure",
        NEEDS_REVIEW,
        True,
        "2026-11-10",
        id="recent_procedure",
    ),
]


@pytest.mark.parametrize(("answers", "dob", "code", "outcome", "overridable", "words"), SINGLE_RULES)
def test_each_rule_alone_fires_only_itself(answers, dob, code, outcome, overridable, words):
    result = screen(answers, dob=dob)
    [finding] = result.findings
    assert (finding.code, finding.outcome, finding.overridable) == (code, outcome, overridable)
    assert result.outcome == outcome
    assert result.hard_stop is not overridable
    assert words in finding.reason


@pytest.mark.parametrize(
    ("answers", "dob", "outcome", "expected"),
    [
        pytest.param(
            {"takes_nsaid": True, "pregnant": True},
            ADULT,
            NOT_ELIGIBLE,
            ("nsaid", "pregnant_or_breastfeeding"),
            id="nsaid+pregnant",
        ),
        pytest.param(
            {"takes_blood_thinner": True, "takes_nsaid": True},
            ADULT,
            NEEDS_REVIEW,
            ("blood_thinner", "nsaid"),
            id="blood_thinner+nsaid",
        ),
        pytest.param(
            {"area_sunburn": True, "keloid_tendency": True},
            ADULT,
            NOT_ELIGIBLE,
            ("skin_at_area", "keloid"),
            id="sunburn+keloid",
        ),
        pytest.param(
            {"takes_nsaid": True},
            MINOR,
            NOT_ELIGIBLE,
            ("under_age", "nsaid"),
            id="under_age+nsaid",
        ),
        pytest.param(EVERYTHING, MINOR, NOT_ELIGIBLE, TABLE_ORDER, id="under_age+everything"),
        pytest.param(EVERYTHING, ADULT, NOT_ELIGIBLE, TABLE_ORDER[1:], id="adult+everything"),
    ],
)
def test_combinations_take_the_most_severe_outcome_and_keep_table_order(answers, dob, outcome, expected):
    result = screen(answers, dob=dob)
    assert (result.outcome, codes(result)) == (outcome, expected)
    assert result.hard_stop is ("under_age" in expected)
    assert result.needs_physician_decision is not result.hard_stop


def test_every_reason_is_a_sentence():
    findings = screen(EVERYTHING, dob=MINOR).findings
    assert len(findings) == len(TABLE_ORDER)  # every rule has spoken: the loop checks each of them
    for finding in findings:
        assert finding.reason[0].isupper() and finding.reason.endswith("."), finding


@pytest.mark.parametrize("key", ["isotretinoin_last_dose", "facial_procedure_last_date"])
def test_a_date_after_the_screening_date_fires_and_says_so(key):
    [finding] = screen({key: date(2027, 1, 10)}).findings
    assert "2027-01-10, after the screening date 2026-11-23" in finding.reason


def test_list_rules_name_every_answer_that_fired():
    reasons = {
        f.code: f.reason
        for f in screen(
            {"area_cold_sore": True, "area_sunburn": True, "arrhythmia": True, "pregnant": True, "breastfeeding": True}
        ).findings
    }
    assert "cold sore, sunburn" in reasons["skin_at_area"]
    assert "open lesion" not in reasons["skin_at_area"]
    assert "pregnant, breastfeeding" in reasons["pregnant_or_breastfeeding"]
    assert "arrhythmia" in reasons["cardiovascular"] and "heart disease" not in reasons["cardiovascular"]


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        pytest.param(date(2008, 11, 23), date(2026, 11, 22), 17, id="day-before-18th"),
        pytest.param(date(2008, 11, 23), date(2026, 11, 23), 18, id="18th-birthday"),
        pytest.param(date(2008, 2, 29), date(2026, 2, 28), 17, id="leapling-28-feb-common-year"),
        pytest.param(date(2008, 2, 29), date(2026, 3, 1), 18, id="leapling-1-mar-common-year"),
        pytest.param(date(2008, 2, 29), date(2028, 2, 28), 19, id="leapling-28-feb-leap-year"),
        pytest.param(date(2008, 2, 29), date(2028, 2, 29), 20, id="leapling-29-feb-leap-year"),
        pytest.param(date(2008, 11, 23), date(2008, 11, 23), 0, id="day-of-birth"),
    ],
)
def test_age_on_counts_completed_years(dob, day, age):
    assert age_on(dob, day) == age
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    assert ("under_age" in codes(screen({}, dob=dob, at=at))) is (age < 18)


def test_age_on_refuses_a_birth_after_the_day():
    with pytest.raises(ValueError, match="after"):
        age_on(date(2026, 11, 24), date(2026, 11, 23))


@pytest.mark.parametrize(
    ("at", "tz", "local_date", "age"),
    [
        pytest.param(
            datetime(2026, 11, 22, 22, 30, tzinfo=UTC),
            ZoneInfo("Europe/Istanbul"),
            date(2026, 11, 23),
            18,
            id="istanbul-already-the-birthday",
        ),
        pytest.param(datetime(2026, 11, 22, 22, 30, tzinfo=UTC), UTC, date(2026, 11, 22), 17, id="utc-not-yet"),
        pytest.param(
            datetime(2026, 11, 23, 3, 0, tzinfo=UTC),
            ZoneInfo("America/New_York"),
            date(2026, 11, 22),
            17,
            id="new-york-not-yet",
        ),
        pytest.param(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), UTC, date(2026, 11, 23), 18, id="utc-already"),
        pytest.param(
            datetime(2026, 11, 23, 1, 0, tzinfo=ZoneInfo("Europe/Istanbul")),
            UTC,
            date(2026, 11, 22),
            17,
            id="aware-in-another-zone",
        ),
    ],
)
def test_age_is_judged_on_the_clinic_local_date(at, tz, local_date, age):
    result = screen({}, dob=date(2008, 11, 23), at=at, tz=tz)
    assert (result.local_date, result.age_years) == (local_date, age)
    assert ("under_age" in codes(result)) is (age < 18)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        screen({}, at=AT.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("key", "value", "at", "limits", "fires"),
    [
        pytest.param("isotretinoin_last_dose", date(2026, 5, 23), AT, {}, True, id="iso-6-months-inclusive"),
        pytest.param("isotretinoin_last_dose", date(2026, 5, 22), AT, {}, False, id="iso-day-before-6-months"),
        pytest.param("isotretinoin_last_dose", "2026-05-23", AT, {}, True, id="iso-as-iso-string"),
        pytest.param("isotretinoin_last_dose", "2026-05-22", AT, {}, False, id="iso-string-outside"),
        pytest.param("isotretinoin_last_dose", date(2027, 1, 10), AT, {}, True, id="iso-future-dose"),
        pytest.param(
            "isotretinoin_last_dose",
            date(2026, 8, 23),
            AT,
            {"isotretinoin_months": 3},
            True,
            id="iso-3-months-inclusive",
        ),
        pytest.param(
            "isotretinoin_last_dose",
            date(2026, 8, 22),
            AT,
            {"isotretinoin_months": 3},
            False,
            id="iso-3-months-outside",
        ),
        pytest.param(
            "isotretinoin_last_dose",
            date(2026, 2, 28),
            datetime(2026, 8, 31, 12, tzinfo=UTC),
            {},
            True,
            id="iso-31-aug-reaches-28-feb",
        ),
        pytest.param(
            "isotretinoin_last_dose",
            date(2026, 2, 27),
            datetime(2026, 8, 31, 12, tzinfo=UTC),
            {},
            False,
            id="iso-31-aug-not-27-feb",
        ),
        pytest.param(
            "isotretinoin_last_dose",
            date(2025, 11, 23),
            AT,
            {"isotretinoin_months": 12},
            True,
            id="iso-12-months-crosses-year",
        ),
        pytest.param("facial_procedure_last_date", date(2026, 10, 26), AT, {}, True, id="procedure-28-days"),
        pytest.param("facial_procedure_last_date", date(2026, 10, 25), AT, {}, False, id="procedure-29-days"),
        pytest.param("facial_procedure_last_date", "2026-10-26", AT, {}, True, id="procedure-iso-string"),
        pytest.param(
            "facial_procedure_last_date",
            date(2026, 11, 9),
            AT,
            {"recent_procedure_weeks": 2},
            True,
            id="procedure-2-weeks-14-days",
        ),
        pytest.param(
            "facial_procedure_last_date",
            date(2026, 11, 8),
            AT,
            {"recent_procedure_weeks": 2},
            False,
            id="procedure-2-weeks-15-days",
        ),
    ],
)
def test_date_windows_are_inclusive_at_their_edge(key, value, at, limits, fires):
    assert bool(screen({key: value}, at=at, **limits).findings) is fires


@pytest.mark.parametrize(
    ("dob", "under_age"),
    [
        pytest.param(date(2005, 11, 24), True, id="20-under-21"),
        pytest.param(date(2005, 11, 23), False, id="21st-birthday"),
    ],
)
def test_custom_minimum_age(dob, under_age):
    assert ("under_age" in codes(screen({}, dob=dob, min_age_years=21))) is under_age


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"pregnant": "no"}, id="string-for-bool"),
        pytest.param({"takes_nsaid": 1}, id="int-for-bool"),
        pytest.param({"isotretinoin_last_dose": datetime(2026, 5, 23, tzinfo=UTC)}, id="datetime-for-date"),
    ],
)
def test_malformed_answers_are_refused_not_read_as_no(answers):
    [key] = answers
    with pytest.raises(TypeError, match=f"answer '{key}' must be a"):
        screen(answers)


def test_outcome_severity_and_labels():
    assert sorted(Outcome, key=lambda o: o.severity, reverse=True) == [NOT_ELIGIBLE, NEEDS_REVIEW, Outcome.ELIGIBLE]
    assert [o.label for o in Outcome] == ["Eligible", "Needs physician review", "Not eligible"]


@given(
    answers=st.fixed_dictionaries({}, optional=dict.fromkeys(BOOL_KEYS, st.booleans())),
    forced=st.sampled_from([("takes_blood_thinner",), ("takes_nsaid",), ("takes_blood_thinner", "takes_nsaid")]),
    dob=st.dates(min_value=date(1920, 1, 1), max_value=date(2026, 11, 23)),
)
def test_blood_thinner_or_nsaid_is_never_eligible(answers, forced, dob):
    result = screen({**answers, **dict.fromkeys(forced, True)}, dob=dob)
    assert result.outcome != Outcome.ELIGIBLE
    expected = {{"takes_blood_thinner": "blood_thinner", "takes_nsaid": "nsaid"}[key] for key in forced}
    assert expected <= set(codes(result))


def test_a_recent_procedure_window_wider_than_the_intake_question_stops_the_app_at_start(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.ELIGIBILITY_RECENT_PROCEDURE_WEEKS = 13
    call_command("check")  # 3 months: what the question asks
    settings.ELIGIBILITY_RECENT_PROCEDURE_WEEKS = 26
    with pytest.raises(SystemCheckError, match="patients.E001"):
        call_command("check")
