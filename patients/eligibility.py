"""Eligibility screening engine (CLINICAL.md, "Eligibility screening").

Pure code on purpose: no ORM, no settings, no clock. Callers pass the intake answers, the date of birth,
the moment of screening and the clinic's time zone, so every outcome can be reproduced and tested
exhaustively without a database. The engine only gives the automatic outcome; a physician still has to
approve every screening, including an eligible one.
"""

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum


class Outcome(StrEnum):
    """Automatic outcome of a screening; members are declared from least to most severe."""

    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def severity(self) -> int:
        """Rank used to pick the overall outcome: the declaration order, so a new member is ranked by position."""
        return tuple(Outcome).index(self)

    @property
    def label(self) -> str:
        """Wording shown to staff; the value stays a stable code for storage."""
        return _LABELS[self]


_LABELS = {
    Outcome.ELIGIBLE: "Eligible",
    Outcome.NEEDS_REVIEW: "Needs physician review",
    Outcome.NOT_ELIGIBLE: "Not eligible",
}


@dataclass(frozen=True)
class Thresholds:
    """Clinic-tunable limits; the defaults are the ones in CLINICAL.md."""

    min_age_years: int = 18
    isotretinoin_months: int = 6
    recent_procedure_weeks: int = 4


@dataclass(frozen=True)
class Finding:
    """One rule that fired, with the sentence a physician reads to see which answer fired it."""

    code: str
    outcome: Outcome
    reason: str
    overridable: bool


@dataclass(frozen=True)
class Assessment:
    """Result of one screening: the overall outcome and every finding, in the order of the CLINICAL.md table."""

    outcome: Outcome
    findings: tuple[Finding, ...]
    age_years: int
    local_date: date

    @property
    def hard_stop(self) -> bool:
        """True when a finding no physician may override (under age) fired."""
        return any(not finding.overridable for finding in self.findings)

    @property
    def needs_physician_decision(self) -> bool:
        """Everything short of a hard stop, even ELIGIBLE, goes to a physician for approval."""
        return not self.hard_stop


# (answer key, wording) in the order a reason lists them, for rules fired by any of several answers.
_PREGNANCY = (("pregnant", "pregnant"), ("breastfeeding", "breastfeeding"))
_ALLERGIES = (
    ("allergy_to_components", "allergy to product components"),
    ("allergy_to_local_anaesthetic", "allergy to local anaesthetic"),
    ("previous_mesotherapy_reaction", "earlier reaction to mesotherapy"),
)
_SKIN_AT_AREA = (
    ("area_infection", "active infection"),
    ("area_open_lesion", "open lesion"),
    ("area_cold_sore", "cold sore"),
    ("area_eczema_psoriasis_flare", "eczema or psoriasis flare"),
    ("area_sunburn", "sunburn"),
)
_SYSTEMIC = (
    ("autoimmune_disease", "autoimmune disease"),
    ("insulin_dependent_diabetes", "insulin-dependent diabetes"),
    ("active_cancer_or_treatment", "active cancer or cancer treatment"),
    ("immunosuppressed", "immunosuppression"),
)
_CARDIOVASCULAR = (
    ("serious_heart_disease", "serious heart disease"),
    ("arrhythmia", "arrhythmia"),
    ("stroke_or_clot_history", "history of stroke or clots"),
)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on `day`; a 29 February birthday is reached on 1 March in common years."""
    if day < date_of_birth:
        raise ValueError(f"date of birth {date_of_birth} is after {day}")
    not_yet = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - not_yet


def assess(
    answers: Mapping[str, object],
    *,
    date_of_birth: date,
    at: datetime,
    tz: tzinfo,
    thresholds: Thresholds = Thresholds(),
) -> Assessment:
    """Screen intake answers at the moment `at`, judged on the clinic-local date in `tz`.

    A naive `at` is refused: the local date, and so the age and every "within N" window, would be a guess.
    """
    if at.utcoffset() is None:
        raise ValueError("`at` must be timezone-aware")
    local_date = at.astimezone(tz).date()
    age = age_on(date_of_birth, local_date)
    findings = tuple(_findings(answers, age, local_date, thresholds))
    outcome = max((f.outcome for f in findings), key=lambda o: o.severity, default=Outcome.ELIGIBLE)
    return Assessment(outcome=outcome, findings=findings, age_years=age, local_date=local_date)


def _findings(answers: Mapping[str, object], age: int, today: date, limits: Thresholds) -> Iterator[Finding]:
    """Yield the rules that fire, in the order of the CLINICAL.md table."""
    review, not_eligible = Outcome.NEEDS_REVIEW, Outcome.NOT_ELIGIBLE
    if age < limits.min_age_years:
        yield Finding(
            "under_age",
            not_eligible,
            f"Aged {age} on {today.isoformat()}, under the minimum age of {limits.min_age_years}: "
            "treatment is not allowed and cannot be overridden.",
            overridable=False,
        )
    if _flag(answers, "takes_blood_thinner"):
        prescribed = _flag(answers, "blood_thinner_prescribed")
        details = ", ".join(filter(None, [_text(answers, "blood_thinner_name"), "prescribed" if prescribed else ""]))
        advice = (
            "never stop without the prescriber's advice; a physician must decide."
            if prescribed
            else "a physician must decide whether it can be paused safely."
        )
        yield Finding("blood_thinner", review, f"Takes a blood thinner{_paren(details)}: {advice}", overridable=True)
    if _flag(answers, "takes_nsaid"):
        name = _paren(_text(answers, "nsaid_name"))
        reason = f"Takes an anti-inflammatory drug{name}: pre-treatment instructions ask to pause it if safe."
        yield Finding("nsaid", review, reason, overridable=True)
    if _flag(answers, "bleeding_disorder"):
        reason = "Has a bleeding or clotting disorder: a physician must decide."
        yield Finding("bleeding_disorder", review, reason, overridable=True)
    if fired := _fired(answers, _PREGNANCY):
        reason = f"Currently {fired}: not eligible while it lasts."
        yield Finding("pregnant_or_breastfeeding", not_eligible, reason, overridable=True)
    if fired := _fired(answers, _ALLERGIES):
        details = _paren(_text(answers, "allergy_details"))
        reason = f"Reports {fired}{details}: a patch test is mandatory and a physician must decide."
        yield Finding("allergy", review, reason, overridable=True)
    if fired := _fired(answers, _SKIN_AT_AREA):
        reason = f"At the treatment area: {fired}; not eligible until healed, defer the session."
        yield Finding("skin_at_area", not_eligible, reason, overridable=True)
    if fired := _fired(answers, _SYSTEMIC):
        yield Finding("systemic_condition", review, f"Reports {fired}: a physician must decide.", overridable=True)
    if _flag(answers, "keloid_tendency"):
        reason = "Tends to form keloid or hypertrophic scars: a physician must decide."
        yield Finding("keloid", review, reason, overridable=True)
    if fired := _fired(answers, _CARDIOVASCULAR):
        yield Finding("cardiovascular", review, f"Reports {fired}: a physician must decide.", overridable=True)
    # A date after the screening date is an entry error or a planned course: review it rather than trust it.
    dose = _date(answers, "isotretinoin_last_dose")
    if dose is not None and dose >= _months_before(today, limits.isotretinoin_months):
        when = _window(dose, today, f"{limits.isotretinoin_months} months")
        reason = f"Last isotretinoin dose on {dose.isoformat()}, {when}: a physician must decide."
        yield Finding("isotretinoin", review, reason, overridable=True)
    procedure = _date(answers, "facial_procedure_last_date")
    if procedure is not None and procedure >= today - timedelta(weeks=limits.recent_procedure_weeks):
        when = _window(procedure, today, f"{limits.recent_procedure_weeks} weeks")
        reason = f"Had a laser, peel or facial surgery on {procedure.isoformat()}, {when}: a physician must decide."
        yield Finding("recent_procedure", review, reason, overridable=True)


def _flag(answers: Mapping[str, object], key: str) -> bool:
    """A yes/no answer; missing means no. Anything but a bool is refused so that "no" is never misread as yes."""
    value = answers.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise TypeError(f"answer {key!r} must be a bool, got {value!r}")
    return value


def _text(answers: Mapping[str, object], key: str) -> str:
    """A free-text detail quoted in a reason; missing or blank gives ""."""
    return str(answers.get(key) or "").strip()


def _date(answers: Mapping[str, object], key: str) -> date | None:
    """A date answer, given as a date or, once stored as JSON, as an ISO "YYYY-MM-DD" string."""
    value = answers.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise TypeError(f"answer {key!r} must be a date or an ISO date string, got {value!r}")


def _fired(answers: Mapping[str, object], choices: tuple[tuple[str, str], ...]) -> str:
    """Wording of the answers that are yes, joined for a reason; "" when none is."""
    return ", ".join(wording for key, wording in choices if _flag(answers, key))


def _paren(details: str) -> str:
    """Details in brackets after a reason's subject, or nothing when there are none."""
    return f" ({details})" if details else ""


def _window(day: date, today: date, span: str) -> str:
    """Where a dated answer falls for its reason, calling out a date after the screening date."""
    if day > today:
        return f"after the screening date {today.isoformat()}"
    return f"within {span} before {today.isoformat()}"


def _months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to month end (31 Aug -> 28 Feb) to keep the window."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))
