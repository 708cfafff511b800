"""The clinic's own time zone (settings.TIME_ZONE): clinic days, quiet hours and ages are local."""

from zoneinfo import ZoneInfo

from django.conf import settings


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
