"""The per-row date filter of the clinic's tables shows exactly what Django's `date` filter shows."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

FORMATS = [
    "j M Y H:i", "j M Y", "d M Y", "j M H:i", "D j M", "j F Y", "j F Y H:i", "j F Y, H:i", "l j F Y",
    "l j F Y, H:i", "j M Y H:i:s", "H:i", "SHORT_DATE_FORMAT", r"j \o\f F", "N j, Y", "",
]
MOMENTS = [
    dt.datetime(2026, 1, 3, 23, 30, 5, tzinfo=dt.UTC),  # the next day in Istanbul
    dt.datetime(2026, 5, 19, 7, 4, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 31, 21, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Istanbul")),
    dt.date(2026, 8, 30),
    dt.date(1999, 2, 1),
]


def render(filter_name: str, value, fmt: str) -> str:
    return Template(
        "{% load clinic_dates %}{{ value|" + filter_name + ":fmt }}"
    ).render(Context({"value": value, "fmt": fmt}))


@pytest.mark.parametrize("language", ["en", "tr"])
@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
def test_clinic_date_shows_what_the_date_filter_shows(language, zone):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        for fmt in FORMATS:
            for value in MOMENTS:
                if isinstance(value, dt.datetime) or not any(c in fmt for c in "HisN"):
                    assert render("clinic_date", value, fmt) == render("date", value, fmt), (fmt, value)


def test_turkish_month_names_and_the_local_day():
    moment = dt.datetime(2026, 1, 3, 23, 30, tzinfo=dt.UTC)
    with translation.override("tr"), timezone.override(zoneinfo.ZoneInfo("Europe/Istanbul")):
        assert render("clinic_date", moment, "j M Y H:i") == "4 Oca 2026 02:30"
        assert render("clinic_date", moment, "l j F Y") == "Pazar 4 Ocak 2026"


def test_empty_and_odd_values():
    assert render("clinic_date", None, "j M Y") == ""
    assert render("clinic_date", "", "j M Y") == ""
    assert render("clinic_date", "not a date", "j M Y") == render("date", "not a date", "j M Y")
    with pytest.raises(TypeError, match="time-related format specifiers"):  # as the date filter: a day has no time
        render("clinic_date", dt.date(2026, 1, 1), "j M Y H:i")


@pytest.mark.parametrize(
    ("name", "pk"), [("patients:detail", 7), ("patients:screening", 123456), ("treatments:session", 1)]
)
def test_pk_url_is_the_url_tag_link(name, pk):
    """The tables' row links (`pk_url`) are the links `{% url %}` gives."""
    context = Context({"name": name, "pk": pk})
    fast = Template("{% load row_urls %}{% pk_url name pk %}").render(context)
    assert fast == Template("{% url name pk %}").render(context)
    assert fast.endswith(f"/{pk}/")
