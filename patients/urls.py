from django.urls import path

from . import invitation_views, views

# The patient's own page ("patients:detail") shows all apps: meso_clinic/overview/patient_page.py.
app_name = "patients"
urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.PatientCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.PatientUpdateView.as_view(), name="edit"),
    path("<int:pk>/intake/", views.IntakeView.as_view(), name="intake"),
    path("<int:pk>/intake/print/", views.IntakePrintView.as_view(), name="intake_print"),
    path("screenings/<int:pk>/", views.ScreeningDetailView.as_view(), name="screening"),
    path("screenings/<int:pk>/decide/", views.ScreeningDecideView.as_view(), name="decide"),
    path("reviews/", views.ReviewQueueView.as_view(), name="review_queue"),
    # The patient's own intake (issue 15): her pages are patients/link_urls.py.
    path("<int:pk>/intake/send/", invitation_views.SendIntakeLinkView.as_view(), name="intake_send"),
    path("<int:pk>/intake/tablet/", invitation_views.TabletIntakeView.as_view(), name="intake_tablet"),
]
