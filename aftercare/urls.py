from django.urls import path

from . import satisfaction_views, views

app_name = "aftercare"
urlpatterns = [
    # Patients, through signed links in their emails (no sign-in).
    path("r/<str:token>/", views.ReportView.as_view(), name="report"),
    path("r/<str:token>/done/", views.ReportDoneView.as_view(), name="report_done"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("satisfaction/<str:token>/", satisfaction_views.SatisfactionView.as_view(), name="satisfaction"),  # issue 16
    # Staff.
    path("aftercare/delivery/", views.DeliveryDashboardView.as_view(), name="delivery"),
    path("aftercare/patients/<int:pk>/emails/", views.PatientEmailsView.as_view(), name="patient_emails"),
    path("aftercare/reminders/<int:pk>/retry/", views.ReminderRetryView.as_view(), name="retry"),
    path("aftercare/sessions/<int:pk>/sheet/", views.AftercareSheetView.as_view(), name="sheet"),
    path("aftercare/reports/", views.ReportListView.as_view(), name="reports"),
    path("aftercare/reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("aftercare/reports/<int:pk>/photo/", views.ReportPhotoView.as_view(), name="report_photo"),
]
