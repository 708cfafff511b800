from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy

from meso_clinic.core import lockout, password_links, preferences, twofactor
from meso_clinic.overview import patient_page, views
from patients import urls as patient_urls

# The admin site answers only staff whose session passed two-factor sign-in (django-otp's OTPAdminSite).
admin.site.__class__ = twofactor.ClinicAdminSite
admin.site.site_header = gettext_lazy("MesoClinic administration")
admin.site.site_title = "MesoClinic"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    # Sign-in, sign-out and password change; a forgotten password: a set-password link (below), sent by the manager.
    # The password, then (a pending sign-in, not signed in yet) the code: meso_clinic/core/twofactor.py.
    path("accounts/login/", twofactor.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Wrong current passwords count in the lockout like wrong sign-ins.
    path("accounts/password/", lockout.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("accounts/language/", preferences.LanguageView.as_view(), name="language"),
    # The one-time set-password link a new or existing colleague is emailed (no sign-in: the token is the proof).
    path("accounts/set-password/<int:pk>/<token>/", password_links.SetPasswordView.as_view(), name="password_set"),
    path("accounts/set-password/done/", password_links.SetPasswordDoneView.as_view(), name="password_set_done"),
    # Two-factor sign-in: the code, setting up an authenticator, one's own switch, the manager's reset.
    path("accounts/two-factor/", twofactor.SettingsView.as_view(), name="two_factor"),
    path("accounts/two-factor/verify/", twofactor.VerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/recovery/", twofactor.RecoveryView.as_view(), name="two_factor_recovery"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor.NewRecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/new/",
        twofactor.MakeRecoveryCodesView.as_view(),
        name="two_factor_recovery_codes_new",
    ),
    path("accounts/two-factor/set-up/", twofactor.EnrollView.as_view(), name="two_factor_enroll"),
    path("accounts/two-factor/turn-off/", twofactor.TurnOffView.as_view(), name="two_factor_turn_off"),
    path("accounts/two-factor/staff/", twofactor.StaffDevicesView.as_view(), name="two_factor_staff"),
    path(
        "accounts/two-factor/staff/<int:pk>/reset/",
        twofactor.StaffDeviceResetView.as_view(),
        name="two_factor_staff_reset",
    ),
    # Sign-in lockout (django-axes): the manager's list and unlock.
    path("accounts/locked/", lockout.LockedAccountsView.as_view(), name="locked_accounts"),
    path("accounts/locked/unlock/", lockout.UnlockView.as_view(), name="locked_accounts_unlock"),
    # History of clinical records, the access log, patients' data exports (namespace "records").
    path("", include("meso_clinic.overview.record_urls")),
    # The manager's activity and safety reports and their CSVs (namespace "reports", issue 16).
    path("", include("meso_clinic.overview.report_urls")),
    # The patients' pages and the patient's own page (which shows every app) in one namespace.
    path("patients/", include((patient_urls.urlpatterns + patient_page.patient_urlpatterns, "patients"))),
    # The patient's own intake pages behind her link ("/q/<token>/", namespace "intake"; issue 15).
    path("", include("patients.link_urls")),
    path("treatments/", include("treatments.urls")),
    path("", include("aftercare.urls")),
    path("admin/", admin.site.urls),
]
