from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "MesoClinic administration"
admin.site.site_title = "MesoClinic"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    # Sign-in, sign-out and password change only: staff passwords are reset by the clinic manager.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("patients/", include("patients.urls")),
    path("treatments/", include("treatments.urls")),
    path("", include("aftercare.urls")),
    path("admin/", admin.site.urls),
]
