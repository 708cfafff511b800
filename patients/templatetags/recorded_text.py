"""Show recorded text in the language of the page.

A screening keeps its questions, answers and findings as English text, worded as on the day it was
taken (patients/services.py), so that the record never changes meaning; a cancelled reminder keeps
why in English too (aftercare/services.py). Pages translate that text when they show it: a stored
wording the catalogue still knows is shown in the active language, any other text as it was recorded.
"""

from django import template
from django.utils.translation import gettext

from patients import models, selectors

register = template.Library()


@register.filter
def stored_text(value: object) -> object:
    """A section title or question as stored, in the active language when the catalogue has it."""
    if isinstance(value, str) and value:  # gettext("") would give the catalogue's header
        return gettext(value)
    return value


@register.filter
def stored_answer(value: object) -> object:
    """An answer as stored: "Yes", "No" and "Not asked" are translated; what staff typed is not."""
    if isinstance(value, str) and value in models.STORED_ANSWERS:
        return gettext(value)
    return value


@register.filter
def decision_done(code: str) -> str:
    """A recorded decision ("approved") as the word for it done ("Approved"): patients.models.decision_done."""
    return models.decision_done(code)


@register.filter
def findings_shown(screening) -> list[dict]:
    """The fired rules of a screening with their reasons in the active language when possible."""
    return selectors.findings_shown(screening)
