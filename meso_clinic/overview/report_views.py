"""The manager's reports page and the CSV of each of its tables (issue 16). Figures from overview/reports.py."""

import csv
from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from treatments.models import TreatmentArea

from . import reports
from .report_charts import bar_chart

PERMISSION = "meso_clinic.view_reports"


class ReportFilterForm(forms.Form):
    """Dates and an area only (a GET form: nothing about a patient ever reaches the URL)."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=TreatmentArea.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def report_filter(self) -> reports.ReportFilter:
        if not self.is_bound or not self.is_valid():
            return reports.ReportFilter()
        data = self.cleaned_data or {}
        return reports.ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            area_id=data["area"].pk if data.get("area") else None,
        )


class Table(NamedTuple):
    title: object  # a lazily translated string
    selector: Callable[[reports.ReportFilter], list[reports.Row]]
    columns: list[tuple[str, object]]  # (key in the row, heading)


# The tables by name. The page and the CSV read the same rows.
TABLES: dict[str, Table] = {
    "sessions": Table(
        _("Sessions and courses per area and month"),
        reports.sessions_per_area_month,
        [("month", _("Month")), ("area", _("Area")), ("sessions", _("Sessions")), ("courses", _("Courses"))],
    ),
    "courses": Table(
        _("Courses completed and abandoned"),
        reports.course_outcomes,
        [
            ("area", _("Area")),
            ("courses", _("Courses")),
            ("completed", _("Completed")),
            ("abandoned", _("Abandoned")),
            ("stopped", _("Stopped")),
            ("ongoing", _("Ongoing")),
        ],
    ),
    "no_shows": Table(
        _("No-shows per month"),
        reports.no_shows_per_month,
        [("month", _("Month")), ("due", _("Sessions due")), ("no_shows", _("No-shows")), ("percent", "%")],
    ),
    "side_effects": Table(
        _("Side-effect reports per product and batch"),
        reports.side_effects_per_batch,
        [
            ("product", _("Product")),
            ("batch", _("Batch")),
            ("sessions", _("Sessions")),
            ("reports", _("Reports")),
            ("rate_per_100", _("Per 100 sessions")),
            ("signal", _("Signal")),
        ],
    ),
    "outcomes": Table(
        _("Average outcome change per indication"),
        reports.outcome_change_per_indication,
        [
            ("indication", _("Indication")),
            ("scale", _("Scale")),
            ("better", _("Better when")),
            ("courses", _("Courses")),
            ("first", _("First score")),
            ("latest", _("Latest score")),
            ("change", _("Change")),
        ],
    ),
}


def _charts(tables: dict[str, list[reports.Row]]) -> dict[str, SafeString]:
    sessions_by_month: dict[str, float] = {}
    for row in tables["sessions"]:
        sessions_by_month[row["month"]] = sessions_by_month.get(row["month"], 0) + row["sessions"]
    return {
        "sessions": bar_chart(list(sessions_by_month.items()), title=str(_("Sessions per month"))),
        "courses": bar_chart(
            [(r["area"], r["abandoned"]) for r in tables["courses"]], title=str(_("Abandoned courses per area"))
        ),
        "no_shows": bar_chart(
            [(r["month"], r["percent"]) for r in tables["no_shows"]], title=str(_("No-shows, % of sessions due"))
        ),
        "side_effects": bar_chart(
            # The lot alone: the product's name would not fit beside the bar on the tablet (the table names both).
            [(str(r["batch"])[:24], r["rate_per_100"]) for r in tables["side_effects"] if r["batch"]],
            title=str(_("Side-effect reports per 100 sessions, per batch")),
        ),
        "outcomes": bar_chart(
            [(f"{r['indication']}: {r['scale']}"[:24], r["change"]) for r in tables["outcomes"]],
            title=str(_("Average change of the score over the course")),
        ),
    }


class ReportsView(ClinicPermissionRequiredMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "overview/reports.html"

    def get_context_data(self, **kwargs):
        form = ReportFilterForm(self.request.GET or None)
        flt = form.report_filter()
        rows = {name: selector(flt) for name, (_title, selector, _columns) in TABLES.items()}
        charts = _charts(rows)
        tables = [
            {
                "name": name,
                "title": title,
                "columns": [label for _key, label in columns],
                "rows": [[row[key] for key, _label in columns] for row in rows[name]],
                "chart": charts[name],
                "csv_url": reverse(f"reports:csv_{name}"),
            }
            for name, (title, _selector, columns) in TABLES.items()
        ]
        return super().get_context_data(
            form=form,
            tables=tables,
            query=self.request.GET.urlencode(),
            abandoned_days=reports.settings.REPORT_ABANDONED_AFTER_DAYS,
            **kwargs,
        )


class ReportCsvView(ClinicPermissionRequiredMixin, View):
    """One table as CSV: the same rows and columns as on the page; the filename names the table and the dates."""

    permission_required = PERMISSION
    table = ""

    def get(self, request):
        table = self.table
        form = ReportFilterForm(request.GET or None)
        flt = form.report_filter()
        _title, selector, columns = TABLES[table]
        dates = "-".join(str(d) for d in (flt.date_from, flt.date_to) if d)
        filename = f"mesoclinic-{table}{'-' + dates if dates else ''}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow([str(label) for _key, label in columns])
        for row in selector(flt):
            writer.writerow([row[key] for key, _label in columns])
        return response
