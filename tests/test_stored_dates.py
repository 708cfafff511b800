"""Times and dates kept as ISO 8601 text (history entries, a patient's export) are shown by one formatter, the
kernel's `stored_time` / `stored_day` (meso_clinic/core/templatetags/clinic_dates.py), in both languages.

The history page and the export's `when` and `day` filters each had a copy of it (issue 13).
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from meso_clinic.core.templatetags.clinic_dates import stored_day, stored_time
from meso_clinic.overview.history_lines import words
from meso_clinic.overview.templatetags import clinic_records
from patients.models import Patient

TIMES = ["2026-01-03T23:30:05+00:00", "2026-05-19T07:04:00+00:00", "2026-12-31T21:00:00+03:00", "2026-08-30T10:00:00"]
DAYS = ["2026-08-30", "1999-02-01", "2026-11-04"]


@pytest.mark.parametrize("language", ["en", "tr"])
@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
def test_a_stored_time_or_day_reads_as_djangos_date_format_gave_it(language, zone):
    """What the three copies gave: Django's date_format of the local time, "j M Y H:i" and "j M Y"."""
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        for iso in TIMES:
            moment = dt.datetime.fromisoformat(iso)
            local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            assert stored_time(iso) == date_format(local, "j M Y H:i"), iso
        for iso in DAYS:
            assert stored_day(iso) == date_format(dt.date.fromisoformat(iso), "j M Y"), iso


def test_turkish_months_the_clinics_day_and_what_is_not_a_time():
    with translation.override("tr"), timezone.override(zoneinfo.ZoneInfo("Europe/Istanbul")):
        assert stored_time("2026-01-03T23:30:05+00:00") == "4 Oca 2026 02:30"
        assert stored_day("2026-11-04") == "4 Kas 2026"
    for empty in (None, ""):
        assert stored_time(empty) == stored_day(empty) == "—"
    assert stored_time("yesterday") == "yesterday" and stored_day("2026-13-01") == "2026-13-01"


def test_the_history_page_and_the_export_use_the_one_formatter():
    assert clinic_records.register.filters["when"] is stored_time
    assert clinic_records.register.filters["day"] is stored_day
    born = Patient._meta.get_field("date_of_birth")
    registered = Patient._meta.get_field("created_at")
    with translation.override("tr"):
        assert words(born, "2026-11-04") == stored_day("2026-11-04")
        assert words(registered, TIMES[0]) == stored_time(TIMES[0])
