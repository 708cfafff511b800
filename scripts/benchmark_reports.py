"""In-process timing of the manager's reports page (issue 16) against a load database (manage.py generate_load_data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meso_bench .venv/bin/python scripts/benchmark_reports.py

Renders reports:index through the view (RequestFactory, a superuser: no middleware, no sign-in) and each
selector alone, best and median of 7 runs, for the whole history, one year, and one area in one year. Read only.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meso_clinic.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.messages.storage.fallback import FallbackStorage  # noqa: E402
from django.contrib.sessions.backends.base import SessionBase  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from meso_clinic.overview import report_views, reports  # noqa: E402
from treatments.models import Session, TreatmentArea  # noqa: E402


def timed(fn, runs: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    user = User(username="bench", is_superuser=True, is_staff=True, is_active=True)
    factory = RequestFactory()
    last = Session.objects.order_by("-scheduled_at").values_list("scheduled_at", flat=True).first()
    area = TreatmentArea.objects.order_by("pk").first()
    year_to = last.date()
    year_from = year_to.replace(year=year_to.year - 1)
    cases = {
        "all dates": {},
        "one year": {"date_from": year_from.isoformat(), "date_to": year_to.isoformat()},
        "one year, one area": {"date_from": year_from.isoformat(), "date_to": year_to.isoformat(), "area": area.pk},
    }
    print(f"database {connection.settings_dict['NAME']}: {Session.objects.count():,} sessions")
    for label, query in cases.items():
        def page(query=query):
            request = factory.get("/reports/", query)
            request.user = user
            request.session = SessionBase()
            request._messages = FallbackStorage(request)
            response = report_views.ReportsView.as_view()(request)
            response.render()
            assert response.status_code == 200

        best, median = timed(page)
        print(f"page, {label}: best {best:.0f} ms, median {median:.0f} ms")
        flt = report_views.ReportFilterForm(query or None).report_filter()
        for name in ("sessions_per_area_month", "no_shows_per_month", "course_outcomes", "side_effects_per_batch",
                     "outcome_change_per_indication"):
            best, median = timed(lambda name=name, flt=flt: getattr(reports, name)(flt), runs=5)
            print(f"  {name}: best {best:.0f} ms, median {median:.0f} ms")


if __name__ == "__main__":
    main()
