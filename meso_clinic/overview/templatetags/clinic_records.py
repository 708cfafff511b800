import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meso_clinic.core.history import is_tracked
from meso_clinic.overview.record_views import history_url_name

register = template.Library()


@register.simple_tag
def history_url(record) -> str:
    """The history page of a clinical record ("" for a record that keeps no history)."""
    if record is None or not is_tracked(type(record)):
        return ""
    return reverse(history_url_name(type(record)), args=[record.pk])


@register.filter
def when(iso: str | None) -> str:
    """An ISO 8601 time of an export ("2026-11-23T12:30:00+03:00") as "23 Nov 2026 12:30"."""
    if not iso:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j M Y H:i")


@register.filter
def day(iso: str | None) -> str:
    """An ISO 8601 date of an export as "23 Nov 2026"."""
    if not iso:
        return "—"
    try:
        return date_format(dt.date.fromisoformat(iso), "j M Y")
    except (TypeError, ValueError):
        return str(iso)
