"""The patient's own intake pages, behind her link's token ("/q/<token>/": masked in logs, patients/apps.py)."""

from django.urls import path

from . import link_views

app_name = "intake"
urlpatterns = [
    path("q/<str:token>/", link_views.StartView.as_view(), name="start"),
    path("q/<str:token>/section/<int:number>/", link_views.SectionView.as_view(), name="section"),
    path("q/<str:token>/summary/", link_views.SummaryView.as_view(), name="summary"),
    path("q/<str:token>/done/", link_views.DoneView.as_view(), name="done"),
    path("q/<str:token>/leave/", link_views.LeaveView.as_view(), name="leave"),
]
