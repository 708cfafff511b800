"""`{{ number|phone }}`: a stored E.164 number ("+905321112233") as people read it ("+90 532 111 22 33")."""

from django import template

from patients.search import phone_shown

register = template.Library()


@register.filter
def phone(number: str | None) -> str:
    return phone_shown(number) if number else ""
