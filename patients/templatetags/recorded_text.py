"""Show recorded text in the language of the page.

A screening keeps its questions, answers and findings as English text, worded as on the day it was
taken (patients/services.py), so that the record never changes meaning; a cancelled reminder keeps
why in English too (aftercare/services.py). Pages translate that text when they show it: a stored
wording the catalogue still knows is shown in the active language, any other text as it was recorded.
"""

from django import template
from django.utils.translation import gettext, gettext_lazy

from patients import selectors

register = template.Library()

# The answers a screening stores for a yes/no or an unanswered question (patients/services.py).
_STORED_ANSWERS = {"Yes", "No", "Not asked"}

_DECISIONS_DONE = {
    "approved": gettext_lazy("Approved"),
    "deferred": gettext_lazy("Deferred"),
    "declined": gettext_lazy("Declined"),
}


@register.filter
def stored_text(value: object) -> object:
    """A section title or question as stored, in the active language when the catalogue has it."""
    if isinstance(value, str) and value:  # gettext("") would give the catalogue's header
        return gettext(value)
    return value


@register.filter
def stored_answer(value: object) -> object:
    """An answer as stored: "Yes", "No" and "Not asked" are translated; what staff typed is not."""
    if isinstance(value, str) and value in _STORED_ANSWERS:
        return gettext(value)
    return value


@register.filter
def decision_done(code: str) -> str:
    """A recorded decision ("approved") as the word for it done ("Approved")."""
    return str(_DECISIONS_DONE.get(code, code.capitalize()))


@register.filter
def findings_shown(screening) -> list[dict]:
    """The fired rules of a screening with their reasons in the active language when possible."""
    return selectors.findings_shown(screening)
