from django.urls import path

from . import calendar_views, outcome_views, photo_views, sign_views, views

app_name = "treatments"
urlpatterns = [
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("recall/", views.BatchRecallView.as_view(), name="recall"),
    # The calendar (treatments/calendar.py); the old day view's address answers with the calendar's day.
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/book/", calendar_views.CalendarBookView.as_view(), name="calendar_book"),
    path("day/", calendar_views.DayRedirectView.as_view(), name="day"),
    path("patch-tests/", views.PatchTestsToReadView.as_view(), name="patch_tests_to_read"),
    path("patch-tests/<int:pk>/", views.PatchTestDetailView.as_view(), name="patch_test"),
    path("patch-tests/<int:pk>/read/", views.PatchTestReadView.as_view(), name="patch_test_read"),
    path("patch-tests/<int:pk>/reaction/", views.ReactionClearView.as_view(), name="reaction_clear"),
    path("patients/<int:pk>/patch-tests/new/", views.PatchTestApplyView.as_view(), name="patch_test_apply"),
    path("patients/<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("patients/<int:pk>/courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("patients/<int:pk>/sessions/new/", views.SessionBookView.as_view(), name="session_book"),
    path("patients/<int:pk>/sessions/", views.PatientSessionsView.as_view(), name="patient_sessions"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/perform/", views.SessionPerformView.as_view(), name="session_perform"),
    path("sessions/<int:pk>/reschedule/", views.SessionRescheduleView.as_view(), name="session_reschedule"),
    path("sessions/<int:pk>/cancel/", views.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<int:pk>/check-in/", views.SessionCheckInView.as_view(), name="session_check_in"),
    path("sessions/<int:pk>/no-show/", views.SessionNoShowView.as_view(), name="session_no_show"),
    # The patient's own consent pages, after her intake on the same link (issue 15; the token masked in logs).
    path("sign/<str:token>/", sign_views.ConsentSignView.as_view(), name="consent_sign"),
    path("sign/<str:token>/photos/", sign_views.PhotoConsentView.as_view(), name="photo_consent_sign"),
    path("consents/<int:pk>/print/", sign_views.ConsentPrintView.as_view(), name="consent_print"),
    # Photos of the treated area (issue 16; treatments/photo_views.py): files only through these views.
    path("sessions/<int:pk>/photos/", photo_views.SessionPhotosView.as_view(), name="session_photos"),
    path("photos/<int:pk>/", photo_views.AreaPhotoFileView.as_view(), name="area_photo"),
    path(
        "photos/<int:pk>/thumbnail/", photo_views.AreaPhotoFileView.as_view(thumbnail=True), name="area_photo_thumbnail"
    ),
    path("courses/<int:pk>/photos/", photo_views.CoursePhotosView.as_view(), name="course_photos"),
    path("courses/<int:pk>/photos/print/", photo_views.CoursePhotosPrintView.as_view(), name="course_photos_print"),
    # Outcome scores (issue 16): before a session, or at follow-up
    path("sessions/<int:pk>/scores/", outcome_views.OutcomeScoresView.as_view(), name="session_scores"),
    path("courses/<int:pk>/scores/", outcome_views.CourseOutcomeScoresView.as_view(), name="course_scores"),
]
