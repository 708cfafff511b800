"""`{{ n|capped }}`: a count from meso_clinic.core.db.bounded_counts, "10,000+" past the cap."""

from django import template
from django.utils.formats import number_format

from meso_clinic.core.db import COUNT_CAP

register = template.Library()


@register.filter
def capped(value: int | None, cap: int = COUNT_CAP) -> str:
    if value is None:
        return ""
    if value > cap:
        return f"{number_format(cap, force_grouping=True)}+"
    return str(value)
