from django import template
from django.urls import reverse

from meso_clinic.core.history import is_tracked
from meso_clinic.core.templatetags.clinic_dates import stored_day, stored_time
from meso_clinic.overview.record_views import history_url_name

register = template.Library()


@register.simple_tag
def history_url(record) -> str:
    """The history page of a clinical record ("" for a record that keeps no history)."""
    if record is None or not is_tracked(type(record)):
        return ""
    return reverse(history_url_name(type(record)), args=[record.pk])


# An export's ISO 8601 times and dates ("2026-11-23T12:30:00+03:00") as "23 Nov 2026 12:30" and "23 Nov 2026":
# the kernel's formatter of stored times, which the history page uses too.
register.filter("when", stored_time)
register.filter("day", stored_day)
