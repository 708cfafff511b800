"""24-hour patch test rules (docs/clinical-rules.md, "24-hour patch test").

Pure code on purpose: no ORM, no settings, no clock. Callers pass each test as plain facts, the moment of the
session and the clinic's time zone, so every clearance can be reproduced and tested without a database. All
durations are absolute (hours of elapsed time), so a daylight-saving change never stretches or shortens a window;
the time zone is only used to show times to staff. Sentences are worded in the active language (Django's gettext).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ReadResult(StrEnum):
    """What staff saw when reading a patch test; the value is the stored code."""

    NO_REACTION = "no_reaction"
    REDNESS = "redness"
    SWELLING = "swelling"
    ITCHING_BURNING = "itching_burning"
    RASH_WHEAL = "rash_wheal"
    OTHER = "other"

    @property
    def is_reaction(self) -> bool:
        """Every result but "no reaction" is a reaction: an unlisted sign ("other") must block, never clear."""
        return self is not ReadResult.NO_REACTION

    @property
    def label(self) -> "StrPromise":
        """Wording shown to staff (translated when shown); the value stays a stable code for storage."""
        return _LABELS[self]


_LABELS = {
    ReadResult.NO_REACTION: gettext_lazy("No reaction"),
    ReadResult.REDNESS: gettext_lazy("Redness"),
    ReadResult.SWELLING: gettext_lazy("Swelling"),
    ReadResult.ITCHING_BURNING: gettext_lazy("Itching or burning"),
    ReadResult.RASH_WHEAL: gettext_lazy("Rash or wheal"),
    ReadResult.OTHER: gettext_lazy("Other reaction"),
}


@dataclass(frozen=True)
class PatchTestRules:
    """Clinic-tunable limits; the defaults are those of docs/clinical-rules.md. Every bound is inclusive."""

    min_hours: int = 24
    read_window_hours: int = 72
    validity_days: int = 90

    def __post_init__(self) -> None:
        """A window that closes before it opens would silently refuse every read; fail at configuration instead."""
        if not 0 <= self.min_hours <= self.read_window_hours or self.validity_days < 0:
            raise ValueError(f"inconsistent patch test rules: {self}")


@dataclass(frozen=True)
class PatchTestFacts:
    """One patch test as plain values (built by the ORM layer); a test is read when both read_at and result are set."""

    test_id: int
    product_ids: frozenset[int]
    applied_at: datetime
    read_at: datetime | None
    result: ReadResult | None
    reaction_cleared: bool = False  # a physician recorded a decision allowing the product despite a reaction

    def __post_init__(self) -> None:
        """Refuse facts that would make a rule guess: naive times, or half a read."""
        _require_aware(self.applied_at, "applied_at")
        if self.read_at is not None:
            _require_aware(self.read_at, "read_at")
        if (self.read_at is None) != (self.result is None):
            raise ValueError(f"patch test {self.test_id}: read_at and result must be set together")


class ProductBlock(StrEnum):
    """Why a product may not be used in a session; the value is a stable code."""

    NO_TEST = "no_test"
    NOT_READ = "not_read"
    TOO_RECENT = "too_recent"
    EXPIRED = "expired"
    REACTION = "reaction"


@dataclass(frozen=True)
class ProductClearance:
    """Outcome for one product in one session, with the sentence staff read and the test it rests on."""

    product_id: int
    cleared: bool
    block: ProductBlock | None
    reason: str
    test_id: int | None


def readable_from(applied_at: datetime, rules: PatchTestRules) -> datetime:
    """First instant a read counts: earlier, a delayed reaction may not have shown yet."""
    return applied_at + timedelta(hours=rules.min_hours)


def read_deadline(applied_at: datetime, rules: PatchTestRules) -> datetime:
    """Last instant a read counts: later, a clean skin no longer proves there was no reaction."""
    return applied_at + timedelta(hours=rules.read_window_hours)


def read_refusal(*, applied_at: datetime, read_at: datetime, rules: PatchTestRules, tz: tzinfo) -> str | None:
    """None when a read at `read_at` is accepted, else the sentence telling staff why not and what to do."""
    _require_aware(applied_at, "applied_at")
    _require_aware(read_at, "read_at")
    opens, closes = readable_from(applied_at, rules), read_deadline(applied_at, rules)
    if read_at < opens:
        return _("Too early: this patch test can be read from %(opens)s (%(hours)s hours after it was applied).") % {
            "opens": _fmt(opens, tz),
            "hours": rules.min_hours,
        }
    if read_at > closes:
        return _("Too late: the reading window closed on %(closes)s; apply a new patch test.") % {
            "closes": _fmt(closes, tz)
        }
    return None


def clearance(
    *,
    product_ids: Iterable[int],
    tests: Iterable[PatchTestFacts],
    session_at: datetime,
    rules: PatchTestRules,
    tz: tzinfo,
    product_names: Mapping[int, str] | None = None,
) -> dict[int, ProductClearance]:
    """Whether each product may be used in a session at `session_at`, keyed by product id.

    Tests applied after the session are ignored: they say nothing about the patient at that moment.
    """
    _require_aware(session_at, "session_at")
    relevant = [test for test in tests if test.applied_at <= session_at]
    names = product_names or {}
    result = {}
    for product_id in product_ids:
        name = names[product_id] if product_id in names else _("product %(id)s") % {"id": product_id}
        own = [test for test in relevant if product_id in test.product_ids]
        result[product_id] = _product_clearance(product_id, name, own, session_at, rules, tz)
    return result


def all_cleared(c: Mapping[int, ProductClearance]) -> bool:
    """True when every product of a session is cleared (and so the session may go ahead as far as patch tests go)."""
    return all(item.cleared for item in c.values())


def _product_clearance(
    product_id: int, name: str, tests: list[PatchTestFacts], session_at: datetime, rules: PatchTestRules, tz: tzinfo
) -> ProductClearance:
    """Reaction first (it outranks any negative test), then the clearing test, then why the latest test falls short."""

    def blocked(block: ProductBlock, reason: str, test: PatchTestFacts | None) -> ProductClearance:
        return ProductClearance(product_id, False, block, reason, test.test_id if test else None)

    reactions = [t for t in tests if t.result is not None and t.result.is_reaction and not t.reaction_cleared]
    if reactions:
        test = max(reactions, key=_recency)
        label = test.result.label if test.result else ""
        reason = _(
            "%(result)s on the patch test for %(product)s applied %(applied)s: "
            "a physician must record a decision before %(product)s can be used."
        ) % {"result": label, "product": name, "applied": _fmt(test.applied_at, tz)}
        return blocked(ProductBlock.REACTION, reason, test)
    clearing = [test for test in tests if _clears(test, session_at, rules)]
    if clearing:
        test = max(clearing, key=_recency)
        until = test.applied_at + timedelta(days=rules.validity_days)
        reason = _("Negative patch test for %(product)s applied %(applied)s, valid until %(until)s.") % {
            "product": name,
            "applied": _fmt(test.applied_at, tz),
            "until": _fmt(until, tz),
        }
        return ProductClearance(product_id, True, None, reason, test.test_id)
    if not tests:
        return blocked(ProductBlock.NO_TEST, _("No patch test for %(product)s.") % {"product": name}, None)
    # The most recent test is the one staff act on: an older expired test matters less than a newer one pending.
    test = max(tests, key=_recency)
    block, reason = _shortfall(test, name, session_at, rules, tz)
    return blocked(block, reason, test)


def _clears(test: PatchTestFacts, session_at: datetime, rules: PatchTestRules) -> bool:
    """A negative read inside its window, done by the session, on a test old enough and still valid at the session."""
    return (
        test.result is ReadResult.NO_REACTION
        and test.read_at is not None
        and readable_from(test.applied_at, rules) <= test.read_at <= read_deadline(test.applied_at, rules)
        and test.read_at <= session_at
        and readable_from(test.applied_at, rules) <= session_at
        and session_at <= test.applied_at + timedelta(days=rules.validity_days)
    )


def _shortfall(
    test: PatchTestFacts, name: str, session_at: datetime, rules: PatchTestRules, tz: tzinfo
) -> tuple[ProductBlock, str]:
    """Why a test that neither clears nor blocks with a reaction cannot be used, as a block and a sentence."""
    applied, opens = _fmt(test.applied_at, tz), readable_from(test.applied_at, rules)
    closes = read_deadline(test.applied_at, rules)
    words = {
        "product": name,
        "applied": applied,
        "opens": _fmt(opens, tz),
        "closes": _fmt(closes, tz),
        "read": _fmt(test.read_at, tz) if test.read_at else "",
    }
    if session_at < opens:
        reason = _("The patch test for %(product)s applied %(applied)s is too recent; it can be used from %(opens)s.")
        return ProductBlock.TOO_RECENT, reason % words
    if test.result is not None and test.result.is_reaction:  # reaction cleared by a physician: no negative read
        reason = _(
            "The patch test for %(product)s applied %(applied)s showed a reaction; "
            "a negative patch test for %(product)s is still needed."
        )
        return ProductBlock.NO_TEST, reason % words
    if test.read_at is None:
        if session_at <= closes:
            reason = _(
                "The patch test for %(product)s applied %(applied)s has not been read yet; read it by %(closes)s."
            )
            return ProductBlock.NOT_READ, reason % words
        reason = _(
            "The patch test for %(product)s applied %(applied)s was not read in its window "
            "(%(opens)s to %(closes)s); apply a new patch test."
        )
        return ProductBlock.NOT_READ, reason % words
    if not opens <= test.read_at <= closes:
        reason = _(
            "The patch test for %(product)s applied %(applied)s was read on %(read)s, outside its window "
            "(%(opens)s to %(closes)s); apply a new patch test."
        )
        return ProductBlock.NOT_READ, reason % words
    if test.read_at > session_at:
        reason = _(
            "The patch test for %(product)s applied %(applied)s was not read yet at the session (read on %(read)s)."
        )
        return ProductBlock.NOT_READ, reason % words
    words["until"] = _fmt(test.applied_at + timedelta(days=rules.validity_days), tz)
    reason = _("The negative patch test for %(product)s applied %(applied)s expired on %(until)s; apply a new one.")
    return ProductBlock.EXPIRED, reason % words


def _recency(test: PatchTestFacts) -> tuple[datetime, int]:
    """Sort key for "the latest test"; the id breaks ties so the choice never depends on input order."""
    return test.applied_at, test.test_id


def _require_aware(at: datetime, name: str) -> None:
    """A naive time would make every window a guess about the zone it was recorded in."""
    if at.utcoffset() is None:
        raise ValueError(f"`{name}` must be timezone-aware")


def format_day(day: date) -> str:
    """A date as "24 Nov 2026" ("04 Nov 2026"), in the active language: Django's date format (strftime("%b")
    would follow the process locale instead)."""
    return _day_text(day, get_language())


@lru_cache(maxsize=4096)
def _day_text(day: date, language: str | None) -> str:
    """Cached by day and language: the calendar's week words the readiness of hundreds of sessions, and
    date_format costs ~30 µs each (docs/benchmarks.md)."""
    return date_format(day, "d M Y")


def _fmt(at: datetime, tz: tzinfo) -> str:
    """Clinic-local time as "%d %b %Y %H:%M" ("24 Nov 2026 09:30"), with the month of the active language."""
    local = at.astimezone(tz)
    return f"{format_day(local.date())} {local:%H:%M}"
