"""URLs of the manager's reports (namespace "reports", issue 16)."""

from django.urls import path

from . import report_views

app_name = "reports"
urlpatterns = [
    path("reports/", report_views.ReportsView.as_view(), name="index"),
] + [
    # One URL name per table (the access table and its tests name each page).
    path(f"reports/{table}.csv", report_views.ReportCsvView.as_view(table=table), name=f"csv_{table}")
    for table in report_views.TABLES
]
