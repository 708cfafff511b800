"""Eligibility screening engine (docs/clinical-rules.md, "Eligibility screening").

Pure code on purpose: no ORM, no settings, no clock. Callers pass the intake answers, the date of birth,
the moment of screening and the clinic's time zone, so every outcome can be reproduced and tested
exhaustively without a database. The engine only gives the automatic outcome; a physician still has to
approve every screening, including an eligible one.

Reasons are worded in the active language (Django's gettext); patients.services stores them in English.
"""

import calendar
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from . import medicines

# The finding of a known allergy: every product is then patch-tested before use (treatments/readiness.py).
ALLERGY_FINDING = "allergy"
# A blood thinner or NSAID named in the free-text answers about medicines.
MEDICINE_FINDING = "medicine_named"

# The free-text answers about medicines that are read for blood thinners and NSAIDs (patients/medicines.py), each
# with the kind its own yes/no question already asks about (None: it asks about all medicines). A follow-up naming
# its own kind ("warfarin" for "Which blood thinner?") is the explicit finding's already; another kind is not.
MEDICINE_ANSWERS: tuple[tuple[str, medicines.Kind | None], ...] = (
    ("current_medicines", None),
    ("blood_thinner_name", medicines.Kind.BLOOD_THINNER),
    ("nsaid_name", medicines.Kind.NSAID),
)
_EXPLICIT_QUESTION = {medicines.Kind.BLOOD_THINNER: "takes_blood_thinner", medicines.Kind.NSAID: "takes_nsaid"}


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
        """Wording shown to staff, in the active language; the value stays a stable code for storage."""
        return str(_LABELS[self])


_LABELS = {
    Outcome.ELIGIBLE: gettext_lazy("Eligible"),
    Outcome.NEEDS_REVIEW: gettext_lazy("Needs physician review"),
    Outcome.NOT_ELIGIBLE: gettext_lazy("Not eligible"),
}


@dataclass(frozen=True)
class Thresholds:
    """Clinic-tunable limits; the defaults are those of docs/clinical-rules.md."""

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
class NamedMedicine:
    """A blood thinner or NSAID read in the free-text answer `key`."""

    key: str
    match: medicines.Match


@dataclass(frozen=True)
class Assessment:
    """Result of one screening: the overall outcome and every finding, in the order of the rules' table."""

    outcome: Outcome
    findings: tuple[Finding, ...]
    age_years: int
    local_date: date
    medicines_named: tuple[NamedMedicine, ...] = ()

    @property
    def hard_stop(self) -> bool:
        """True when a finding no physician may override (under age) fired."""
        return any(not finding.overridable for finding in self.findings)

    @property
    def needs_physician_decision(self) -> bool:
        """Everything short of a hard stop, even ELIGIBLE, goes to a physician for approval."""
        return not self.hard_stop


# (answer key, wording) in the order a reason lists them, for rules fired by any of several answers.
# The wording is translated when a reason is made (_fired).
_PREGNANCY = (("pregnant", gettext_noop("pregnant")), ("breastfeeding", gettext_noop("breastfeeding")))
_ALLERGIES = (
    ("allergy_to_components", gettext_noop("allergy to product components")),
    ("allergy_to_local_anaesthetic", gettext_noop("allergy to local anaesthetic")),
    ("previous_mesotherapy_reaction", gettext_noop("earlier reaction to mesotherapy")),
)
_SKIN_AT_AREA = (
    ("area_infection", gettext_noop("active infection")),
    ("area_open_lesion", gettext_noop("open lesion")),
    ("area_cold_sore", gettext_noop("cold sore")),
    ("area_eczema_psoriasis_flare", gettext_noop("eczema or psoriasis flare")),
    ("area_sunburn", gettext_noop("sunburn")),
)
_SYSTEMIC = (
    ("autoimmune_disease", gettext_noop("autoimmune disease")),
    ("insulin_dependent_diabetes", gettext_noop("insulin-dependent diabetes")),
    ("active_cancer_or_treatment", gettext_noop("active cancer or cancer treatment")),
    ("immunosuppressed", gettext_noop("immunosuppression")),
)
_CARDIOVASCULAR = (
    ("serious_heart_disease", gettext_noop("serious heart disease")),
    ("arrhythmia", gettext_noop("arrhythmia")),
    ("stroke_or_clot_history", gettext_noop("history of stroke or clots")),
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
    medicine_names: Iterable[medicines.Name],
    thresholds: Thresholds = Thresholds(),
) -> Assessment:
    """Screen intake answers at the moment `at`, judged on the clinic-local date in `tz`, reading the free-text
    answers about medicines for the blood thinners and NSAIDs of `medicine_names` (the clinic's lists).

    A naive `at` is refused: the local date, and so the age and every "within N" window, would be a guess.
    """
    if at.utcoffset() is None:
        raise ValueError("`at` must be timezone-aware")
    local_date = at.astimezone(tz).date()
    age = age_on(date_of_birth, local_date)
    named = _medicines_named(answers, tuple(medicine_names))
    findings = tuple(_findings(answers, age, local_date, thresholds, named))
    outcome = max((f.outcome for f in findings), key=lambda o: o.severity, default=Outcome.ELIGIBLE)
    return Assessment(outcome=outcome, findings=findings, age_years=age, local_date=local_date, medicines_named=named)


def _medicines_named(answers: Mapping[str, object], names: tuple[medicines.Name, ...]) -> tuple[NamedMedicine, ...]:
    return tuple(
        NamedMedicine(key, match)
        for key, _kind in MEDICINE_ANSWERS
        for match in medicines.find(_text(answers, key), names)
    )


def _medicine_finding(answers: Mapping[str, object], named: tuple[NamedMedicine, ...]) -> Finding | None:
    """A blood thinner or NSAID named in words is a finding as the explicit question's yes is (invariant 3), unless
    that yes already covers it: "Medicines named: Aspirin 100 mg daily (aspirin: a blood thinner): ..."."""
    own_kind = dict(MEDICINE_ANSWERS)
    fired: dict[str, list[str]] = {}
    for item in named:
        kind = item.match.name.kind
        if own_kind[item.key] == kind and _flag(answers, _EXPLICIT_QUESTION[kind]):
            continue
        fired.setdefault(item.key, []).append(item.match.describe())
    if not fired:
        return None
    what = "; ".join(f"{_text(answers, key)} ({', '.join(found)})" for key, found in fired.items())
    reason = _("Medicines named: %(what)s: a physician must decide.") % {"what": what}
    return Finding(MEDICINE_FINDING, Outcome.NEEDS_REVIEW, reason, overridable=True)


def _findings(
    answers: Mapping[str, object], age: int, today: date, limits: Thresholds, named: tuple[NamedMedicine, ...]
) -> Iterator[Finding]:
    """Yield the rules that fire, in the order of the table in docs/clinical-rules.md."""
    review, not_eligible = Outcome.NEEDS_REVIEW, Outcome.NOT_ELIGIBLE
    if age < limits.min_age_years:
        reason = _(
            "Aged %(age)s on %(day)s, under the minimum age of %(min_age)s: "
            "treatment is not allowed and cannot be overridden."
        ) % {"age": age, "day": today.isoformat(), "min_age": limits.min_age_years}
        yield Finding("under_age", not_eligible, reason, overridable=False)
    if _flag(answers, "takes_blood_thinner"):
        prescribed = _flag(answers, "blood_thinner_prescribed")
        details = ", ".join(filter(None, [_text(answers, "blood_thinner_name"), _("prescribed") if prescribed else ""]))
        advice = (
            _("never stop without the prescriber's advice; a physician must decide.")
            if prescribed
            else _("a physician must decide whether it can be paused safely.")
        )
        reason = _("Takes a blood thinner%(details)s: %(advice)s") % {"details": _paren(details), "advice": advice}
        yield Finding("blood_thinner", review, reason, overridable=True)
    if _flag(answers, "takes_nsaid"):
        reason = _("Takes an anti-inflammatory drug%(name)s: pre-treatment instructions ask to pause it if safe.") % {
            "name": _paren(_text(answers, "nsaid_name"))
        }
        yield Finding("nsaid", review, reason, overridable=True)
    if medicine := _medicine_finding(answers, named):
        yield medicine
    if _flag(answers, "bleeding_disorder"):
        reason = _("Has a bleeding or clotting disorder: a physician must decide.")
        yield Finding("bleeding_disorder", review, reason, overridable=True)
    if fired := _fired(answers, _PREGNANCY):
        reason = _("Currently %(state)s: not eligible while it lasts.") % {"state": fired}
        yield Finding("pregnant_or_breastfeeding", not_eligible, reason, overridable=True)
    if fired := _fired(answers, _ALLERGIES):
        details = _paren(_text(answers, "allergy_details"))
        reason = _("Reports %(what)s%(details)s: a patch test is mandatory and a physician must decide.") % {
            "what": fired,
            "details": details,
        }
        yield Finding(ALLERGY_FINDING, review, reason, overridable=True)
    if fired := _fired(answers, _SKIN_AT_AREA):
        reason = _("At the treatment area: %(what)s; not eligible until healed, defer the session.") % {"what": fired}
        yield Finding("skin_at_area", not_eligible, reason, overridable=True)
    if fired := _fired(answers, _SYSTEMIC):
        reason = _("Reports %(what)s: a physician must decide.") % {"what": fired}
        yield Finding("systemic_condition", review, reason, overridable=True)
    if _flag(answers, "keloid_tendency"):
        reason = _("Tends to form keloid or hypertrophic scars: a physician must decide.")
        yield Finding("keloid", review, reason, overridable=True)
    if fired := _fired(answers, _CARDIOVASCULAR):
        reason = _("Reports %(what)s: a physician must decide.") % {"what": fired}
        yield Finding("cardiovascular", review, reason, overridable=True)
    # A date after the screening date is an entry error or a planned course: review it rather than trust it.
    dose = _date(answers, "isotretinoin_last_dose")
    if dose is not None and dose >= _months_before(today, limits.isotretinoin_months):
        months = limits.isotretinoin_months
        span = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
        reason = _("Last isotretinoin dose on %(day)s, %(when)s: a physician must decide.") % {
            "day": dose.isoformat(),
            "when": _window(dose, today, span),
        }
        yield Finding("isotretinoin", review, reason, overridable=True)
    procedure = _date(answers, "facial_procedure_last_date")
    if procedure is not None and procedure >= today - timedelta(weeks=limits.recent_procedure_weeks):
        weeks = limits.recent_procedure_weeks
        span = ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}
        reason = _("Had a laser, peel or facial surgery on %(day)s, %(when)s: a physician must decide.") % {
            "day": procedure.isoformat(),
            "when": _window(procedure, today, span),
        }
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
    """Wording of the answers that are yes, in the active language, joined for a reason; "" when none is."""
    return ", ".join(_(wording) for key, wording in choices if _flag(answers, key))


def _paren(details: str) -> str:
    """Details in brackets after a reason's subject, or nothing when there are none."""
    return f" ({details})" if details else ""


def _window(day: date, today: date, span: str) -> str:
    """Where a dated answer falls for its reason, calling out a date after the screening date."""
    if day > today:
        return _("after the screening date %(day)s") % {"day": today.isoformat()}
    return _("within %(span)s before %(day)s") % {"span": span, "day": today.isoformat()}


def _months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to month end (31 Aug -> 28 Feb) to keep the window."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))
