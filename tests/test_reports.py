"""The manager's reports (issue 16): figures against a small data set whose answers are written out below."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from aftercare.models import SideEffectReport
from meso_clinic.overview import reports
from meso_clinic.overview.report_charts import bar_chart
from meso_clinic.overview.reports import ReportFilter, batch_stands_out, poisson_tail
from tests.fixtures.treatments import NOW, approved_screening, consent_text, make_batch, make_patient, product
from treatments.models import Consent, Course, Indication, Session, SessionProduct

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment of the clinic's day (Istanbul, UTC+3)."""
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+03:00")


class Data:
    def __init__(self, *, reception, physician):
        self.physician = physician
        self.patient = make_patient(dt.date(1990, 5, 1))
        self.screening = approved_screening(self.patient, taken_by=reception, physician=physician, at=at("2026-07-01"))
        self.consent = Consent.objects.create(
            patient=self.patient, text=consent_text(), recorded_by=reception, consented_at=at("2026-07-01")
        )
        self.skin = Indication.objects.get(area__category="skin", name__iexact="wrinkles")
        self.hair = Indication.objects.filter(area__category="hair").order_by("pk").first()

    def course(self, indication, *, planned: int = 4, status: str = "active", created: str = "2026-08-01") -> Course:
        course = Course.objects.create(
            patient=self.patient,
            area=indication.area,
            indication=indication,
            planned_sessions=planned,
            interval_days=14,
            status=status,
            created_by=self.physician,
        )
        Course.objects.filter(pk=course.pk).update(created_at=at(created))
        return course

    def sessions(self, course: Course | None, indication, days: list[str], status: str = "performed") -> list[Session]:
        performed = status == "performed"
        return Session.objects.bulk_create(
            Session(
                patient=self.patient,
                course=course,
                area=indication.area,
                indication=indication,
                technique="needles",
                practitioner=self.physician,
                supervising_physician=self.physician,
                booked_by=self.physician,
                scheduled_at=at(day),
                status=status,
                performed_at=at(day) if performed else None,
                performed_by=self.physician if performed else None,
                screening=self.screening if performed else None,
                consent=self.consent if performed else None,
                health_unchanged_confirmed=performed,
            )
            for day in days
        )


@pytest.fixture
def data(reception, physician):
    d = Data(reception=reception, physician=physician)
    # Skin: C1 completed (4 of 4 in September), C2 abandoned (1 of 4, last on 10 August: 105 days before NOW).
    c1, c2 = d.course(d.skin), d.course(d.skin)
    d.sessions(c1, d.skin, ["2026-09-01", "2026-09-08", "2026-09-15", "2026-09-22"])
    d.sessions(c2, d.skin, ["2026-08-10"])
    # Hair: C3 ongoing (2 of 4, a no-show between, last on 20 October: 34 days), C4 stopped (1 of 4).
    c3, c4 = d.course(d.hair), d.course(d.hair, status="stopped")
    d.sessions(c3, d.hair, ["2026-10-05", "2026-10-20"])
    d.sessions(c3, d.hair, ["2026-10-12"], status="no_show")
    d.sessions(c3, d.hair, ["2026-10-13"], status="cancelled")  # counted nowhere
    d.sessions(c4, d.hair, ["2026-09-03"])
    return d


def test_sessions_courses_and_no_shows_per_month_and_area(data):
    skin, hair = data.skin.area.name, data.hair.area.name
    assert reports.sessions_per_area_month(ReportFilter()) == sorted(
        [
            {"month": "2026-08", "area": skin, "sessions": 1, "courses": 1},
            {"month": "2026-09", "area": skin, "sessions": 4, "courses": 1},
            {"month": "2026-09", "area": hair, "sessions": 1, "courses": 1},
            {"month": "2026-10", "area": hair, "sessions": 2, "courses": 1},
        ],
        key=lambda r: (r["month"], r["area"]),
    )
    assert reports.no_shows_per_month(ReportFilter()) == [
        {"month": "2026-08", "due": 1, "no_shows": 0, "percent": 0.0},
        {"month": "2026-09", "due": 5, "no_shows": 0, "percent": 0.0},
        {"month": "2026-10", "due": 3, "no_shows": 1, "percent": 33.3},
    ]
    # Filtered: September only, hair only.
    september_hair = ReportFilter(
        date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 9, 30), area_id=data.hair.area_id
    )
    assert reports.sessions_per_area_month(september_hair) == [
        {"month": "2026-09", "area": hair, "sessions": 1, "courses": 1}
    ]
    # The last day is inclusive (30 September 23:30 in Istanbul is still September).
    (late,) = data.sessions(None, data.skin, ["2026-09-30"])
    Session.objects.filter(pk=late.pk).update(scheduled_at=dt.datetime.fromisoformat("2026-09-30T23:30:00+03:00"))
    september = ReportFilter(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 9, 30))
    assert sum(r["sessions"] for r in reports.sessions_per_area_month(september)) == 6


def test_courses_completed_abandoned_stopped_ongoing(data, settings):
    settings.REPORT_ABANDONED_AFTER_DAYS = 60
    rows = {r["area"]: r for r in reports.course_outcomes(ReportFilter(), now=NOW)}
    assert rows[data.skin.area.name] == {
        "area": data.skin.area.name,
        "courses": 2,
        "completed": 1,
        "abandoned": 1,
        "stopped": 0,
        "ongoing": 0,
    }
    assert rows[data.hair.area.name] == {
        "area": data.hair.area.name,
        "courses": 2,
        "completed": 0,
        "abandoned": 0,
        "stopped": 1,
        "ongoing": 1,
    }
    settings.REPORT_ABANDONED_AFTER_DAYS = 30  # 34 days since C3's last session: now abandoned too
    assert (
        reports.course_outcomes(ReportFilter(), now=NOW)[0 if data.hair.area.name < data.skin.area.name else 1][
            "abandoned"
        ]
        == 1
    )


def test_poisson_tail_and_the_signal_rule():
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353352832, abs=1e-9)
    assert poisson_tail(8, 2.0) == pytest.approx(0.00109672, abs=1e-8)  # 1 - sum e^-2 2^k/k! for k < 8
    # Many reports, well above the product's rate: flagged. The same rate on few reports: not.
    assert batch_stands_out(batch_reports=8, batch_sessions=50, product_reports=10, product_sessions=250)
    assert not batch_stands_out(batch_reports=2, batch_sessions=10, product_reports=4, product_sessions=250)
    # Two reports in two sessions of a quiet product: far above its rate, but under the minimum count.
    assert not batch_stands_out(batch_reports=2, batch_sessions=2, product_reports=2, product_sessions=1000)
    # Above the minimum count but within chance of the product's rate: not flagged.
    assert not batch_stands_out(batch_reports=4, batch_sessions=50, product_reports=10, product_sessions=250)


def test_side_effects_per_product_and_batch_flag_the_batch_that_stands_out(reception, physician):
    d = Data(reception=reception, physician=physician)
    vitamins = product("Revitalising vitamin complex")
    lots = {lot: make_batch(vitamins, lot, dt.date(2027, 12, 31)) for lot in ("VC-MANY", "VC-CALM", "VC-FEW")}
    # (sessions, reports): VC-MANY 50 and 8, VC-CALM 200 and 2, VC-FEW 5 and 1 (a high rate on one report).
    plan = {"VC-MANY": (50, 8), "VC-CALM": (200, 2), "VC-FEW": (5, 1)}
    for lot, (count, reported) in plan.items():
        sessions = d.sessions(None, d.skin, ["2026-10-01"] * count)
        SessionProduct.objects.bulk_create(
            SessionProduct(session=s, product=vitamins, batch=lots[lot]) for s in sessions
        )
        SideEffectReport.objects.bulk_create(
            SideEffectReport(session=s, severity="mild", effects=["redness"]) for s in sessions[:reported]
        )
    rows = reports.side_effects_per_batch(ReportFilter())
    assert rows == [
        {"product": vitamins.name, "batch": "", "sessions": 255, "reports": 11, "rate_per_100": 4.3, "signal": False},
        {
            "product": vitamins.name,
            "batch": "VC-CALM",
            "sessions": 200,
            "reports": 2,
            "rate_per_100": 1.0,
            "signal": False,
        },
        {
            "product": vitamins.name,
            "batch": "VC-FEW",
            "sessions": 5,
            "reports": 1,
            "rate_per_100": 20.0,
            "signal": False,
        },
        {
            "product": vitamins.name,
            "batch": "VC-MANY",
            "sessions": 50,
            "reports": 8,
            "rate_per_100": 16.0,
            "signal": True,
        },
    ]


def test_the_page_and_each_csv_show_the_same_rows_and_no_patient(client, manager, data):
    client.force_login(manager)
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert data.patient.family_name not in html and data.patient.given_name not in html
    # A chart per table with rows (no products were used here: the side-effect table says so instead).
    assert html.count("<svg") == 3 and 'role="img"' in html and "Nothing in this period." in html
    tables = {t["name"]: t for t in page.context["tables"]}
    for name, table in tables.items():
        response = client.get(reverse(f"reports:csv_{name}"))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="mesoclinic-{name}.csv"'
        body = response.content.decode()
        assert data.patient.family_name not in body
        lines = list(csv.reader(io.StringIO(body)))
        assert lines[0] == [str(c) for c in table["columns"]]
        assert lines[1:] == [[str(v) for v in row] for row in table["rows"]]
    assert len(tables["sessions"]["rows"]) == 4
    # The filter reaches the CSV and its filename (dates only).
    response = client.get(reverse("reports:csv_no_shows"), {"date_from": "2026-10-01", "date_to": "2026-10-31"})
    assert response["Content-Disposition"] == 'attachment; filename="mesoclinic-no_shows-2026-10-01-2026-10-31.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode())))[1:] == [["2026-10", "3", "1", "33.3"]]


def test_bad_filter_dates_are_refused_at_the_field(client, manager, data):
    client.force_login(manager)
    response = client.get(reverse("reports:index"), {"date_from": "2026-10-31", "date_to": "2026-10-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    response = client.get(reverse("reports:index"), {"date_from": "not a date", "area": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"date_from", "area"}


@pytest.mark.parametrize(
    ("role", "allowed"), [("reception", False), ("nurse", False), ("physician", True), ("manager", True)]
)
def test_who_sees_the_reports(client, request, role, allowed):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reports:index")).status_code == (200 if allowed else 403)
    assert client.get(reverse("reports:csv_side_effects")).status_code == (200 if allowed else 403)


def test_bar_chart_escapes_its_labels():
    svg = bar_chart([("<script>", 3), ("b", 0)], title="T & U")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "T &amp; U" in svg
    assert "<desc>&lt;script&gt;: 3; b: 0</desc>" in svg


def test_average_outcome_change_per_indication(data):
    from treatments.models import OutcomeScale, OutcomeScore

    gais = OutcomeScale.objects.get(code="gais")
    c1, c2 = Course.objects.filter(indication=data.skin).order_by("pk")
    sessions = {
        c: list(Session.objects.filter(course=c, status="performed").order_by("scheduled_at")) for c in (c1, c2)
    }

    def score(course, session, value, day):
        OutcomeScore.objects.create(
            course=course, session=session, scale=gais, value=value, recorded_at=at(day), recorded_by=data.physician
        )

    # C1: 5 (worse) at the first session, 3 at the second, 2 at the last: change -3. Recorded out of order on purpose.
    score(c1, sessions[c1][3], 2, "2026-09-22")
    score(c1, sessions[c1][0], 5, "2026-09-01")
    score(c1, sessions[c1][1], 3, "2026-09-08")
    # C2: one score only: not a change, left out.
    score(c2, sessions[c2][0], 4, "2026-08-10")
    assert reports.outcome_change_per_indication(ReportFilter()) == [
        {
            "indication": data.skin.name,
            "scale": gais.name,
            "better": "lower",
            "courses": 1,
            "first": 5.0,
            "latest": 2.0,
            "change": -3.0,
        }
    ]
    assert reports.outcome_change_per_indication(ReportFilter(area_id=data.hair.area_id)) == []
