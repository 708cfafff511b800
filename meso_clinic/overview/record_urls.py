"""URLs of the audit trail (namespace "records"). One history URL per tracked model, named
history_<app>_<model>: /history/patients.patient/<pk>/, /history/treatments.session/<pk>/, ..."""

from django.urls import path

from meso_clinic.core.history import tracked_models

from . import record_views

app_name = "records"
urlpatterns = [
    path("access-log/", record_views.AccessLogView.as_view(), name="access_log"),
    path("patients/<int:pk>/export/", record_views.PatientExportView.as_view(), name="patient_export"),
    path("patients/<int:pk>/export.json", record_views.PatientExportJsonView.as_view(), name="patient_export_json"),
] + [
    path(
        f"history/{model._meta.label_lower}/<int:pk>/",
        record_views.HistoryView.as_view(model=model),
        name=record_views.history_url_name(model).split(":", 1)[1],
    )
    for model in tracked_models()
]
