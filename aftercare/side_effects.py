"""The side effects a patient can report, and the signs that need a physician at once (docs/clinical-rules.md).

Pure data and one rule: a report with any warning sign, or marked severe, is escalated.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

SIDE_EFFECTS: "list[tuple[str, StrPromise]]" = [
    ("redness", _("Redness")),
    ("swelling", _("Swelling")),
    ("bruising", _("Bruising")),
    ("itching_burning", _("Itching or burning")),
    ("sensitivity", _("Skin sensitivity")),
    ("rash", _("Rash or eruption")),
    ("dark_marks", _("Dark marks or scars")),
    ("nausea", _("Nausea")),
    ("vomiting", _("Vomiting")),
    ("diarrhoea", _("Diarrhoea")),
    ("infection", _("Signs of infection: the area is hot, more painful or oozing")),
    ("other", _("Something else")),
]

WARNING_SIGNS: "list[tuple[str, StrPromise]]" = [
    ("spreading_redness", _("Redness or warmth that is spreading, or still there after 3 days")),
    ("pus", _("Pus or fluid coming from the area")),
    ("fever", _("Fever or chills")),
    ("lumps", _("Lumps or hard nodules under the skin")),
    ("breathing", _("Difficulty breathing, or swelling of the face, lips or throat")),
]


# Side effects that go to a physician at once like a warning sign.
ESCALATING_EFFECTS = {"infection"}


def needs_escalation(*, warning_signs: list[str], severity: str, effects: Iterable[str] = ()) -> bool:
    """Infections can start 1 to 12 weeks after treatment: any sign of one goes to a physician at once."""
    return bool(warning_signs) or severity == "severe" or bool(ESCALATING_EFFECTS.intersection(effects))
