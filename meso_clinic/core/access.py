"""Who may open which page: one declared table, enforced for every request, before any view runs.

`PAGE_ACCESS` maps every named URL of the project to what it needs:

- `PUBLIC`: no sign-in (the login page; the patients' pages behind signed links in their emails);
- `SIGNED_IN`: any signed-in account (sign-out, one's own password and two-factor settings);
- `SIGN_IN_STEP`: the code and set-up pages between password and sign-in, for a session whose sign-in
  is pending (not signed in yet): their views guard themselves (meso_clinic/core/twofactor.py);
- `ANY_ROLE`: a signed-in member of a clinic role (the dashboard);
- a permission, or a tuple of permissions that are all needed.

The roles carry permissions (meso_clinic/core/roles.py, the role x permission table), so this table
and that one together are the role x page matrix; tests/test_access.py walks every URL as every
role against the matrix written out by hand. `PageAccessMiddleware` enforces the table before the
view runs, so that a record's existence is not revealed to a role that may not open it (403
before any 404), and a page missing from the table is refused to everyone (fail closed). The views
keep their own `permission_required` as a second check; a test holds the two equal.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied

from .roles import has_clinic_role

PUBLIC = "public"
SIGNED_IN = "signed in"
ANY_ROLE = "any clinic role"
SIGN_IN_STEP = "sign-in step"

PAGE_ACCESS: dict[str, str | tuple[str, ...]] = {
    # Accounts.
    "login": PUBLIC,
    "logout": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "language": SIGNED_IN,
    # The set-password link's page: the token in its address is the proof, as for a patient's link.
    "password_set": PUBLIC,
    "password_set_done": PUBLIC,
    "home": ANY_ROLE,
    # Two-factor sign-in: the code and set-up pages come between password and sign-in (issue 12).
    "two_factor": SIGNED_IN,
    "two_factor_verify": SIGN_IN_STEP,
    "two_factor_recovery": SIGN_IN_STEP,
    "two_factor_enroll": SIGN_IN_STEP,
    "two_factor_recovery_codes": SIGNED_IN,
    "two_factor_recovery_codes_new": SIGNED_IN,
    "two_factor_turn_off": SIGNED_IN,
    "two_factor_staff": "auth.change_user",
    "two_factor_staff_reset": "auth.change_user",
    "locked_accounts": "auth.change_user",
    "locked_accounts_unlock": "auth.change_user",
    # Audit: history of clinical records, the access log, a patient's whole record for an access request.
    "records:access_log": "meso_clinic.view_accesslogentry",
    "records:patient_export": "meso_clinic.export_patient",
    "records:patient_export_json": "meso_clinic.export_patient",
    **{
        f"records:history_{model}": "meso_clinic.view_history"
        for model in (
            "aftercare_reminder",
            "aftercare_sideeffectreport",
            "patients_eligibilityscreening",
            "patients_patient",
            "treatments_consent",
            "treatments_course",
            "treatments_patchtest",
            "treatments_session",
            "treatments_sessionproduct",
        )
    },
    # Patients.
    "patients:list": "patients.view_patient",
    "patients:create": "patients.add_patient",
    "patients:detail": "patients.view_patient",
    "patients:edit": "patients.change_patient",
    "patients:intake": "patients.add_eligibilityscreening",
    "patients:intake_print": "patients.add_eligibilityscreening",
    "patients:screening": "patients.view_eligibilityscreening",
    "patients:decide": "patients.decide_screening",
    "patients:review_queue": "patients.decide_screening",
    # Treatments.
    "treatments:catalogue": "treatments.view_treatmentarea",
    "treatments:recall": ("treatments.view_batch", "treatments.view_session"),
    "treatments:day": "treatments.view_session",
    "treatments:patch_tests_to_read": "treatments.view_patchtest",
    "treatments:patch_test": "treatments.view_patchtest",
    "treatments:patch_test_read": "treatments.change_patchtest",
    "treatments:reaction_clear": "treatments.clear_patch_reaction",
    "treatments:patch_test_apply": "treatments.add_patchtest",
    "treatments:consent": "treatments.add_consent",
    "treatments:course_create": "treatments.add_course",
    "treatments:session_book": "treatments.add_session",
    "treatments:session": "treatments.view_session",
    "treatments:session_perform": "treatments.perform_session",
    "treatments:session_reschedule": "treatments.change_session",
    "treatments:session_cancel": "treatments.change_session",
    "treatments:patient_sessions": ("patients.view_patient", "treatments.view_session"),
    # Aftercare: the patients' pages (signed links), then the staff's.
    "aftercare:report": PUBLIC,
    "aftercare:report_done": PUBLIC,
    "aftercare:unsubscribe": PUBLIC,
    "aftercare:delivery": "aftercare.view_reminder",
    "aftercare:patient_emails": ("patients.view_patient", "aftercare.view_reminder"),
    "aftercare:sheet": "treatments.view_session",
    "aftercare:retry": "aftercare.change_reminder",
    "aftercare:reports": "aftercare.view_sideeffectreport",
    "aftercare:report_detail": "aftercare.view_sideeffectreport",
    "aftercare:report_photo": "aftercare.view_sideeffectreport",
}


def may_open(user, rule: str | tuple[str, ...]) -> bool:
    """Whether `user` may open a page with this rule of PAGE_ACCESS."""
    if rule in (PUBLIC, SIGN_IN_STEP):  # a sign-in step checks the pending sign-in in its view
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if rule == SIGNED_IN:
        return True
    if not has_clinic_role(user):
        return False
    if rule == ANY_ROLE:
        return True
    return user.has_perms((rule,) if isinstance(rule, str) else rule)


class PageAccessMiddleware:
    """Enforce PAGE_ACCESS before the view (after sign-in, which LoginRequiredMiddleware handles)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" in match.namespaces:
            return None  # the admin site checks staff status and model permissions itself
        rule = PAGE_ACCESS.get(match.view_name)
        if rule is None:
            # A page outside the table: only one its view explicitly marks as public
            # (@login_not_required, e.g. a health check) is served; anything else is refused.
            if getattr(view_func, "login_required", True) is False:
                return None
            raise PermissionDenied("This page is not in the access table.")
        if not may_open(request.user, rule):
            raise PermissionDenied("That page is not part of your role.")
        return None


class ClinicRoleRequiredMixin(UserPassesTestMixin):
    """Any clinic role will do (the dashboard, one's own account pages)."""

    raise_exception = True

    def test_func(self) -> bool:
        return has_clinic_role(self.request.user)


class ClinicPermissionRequiredMixin(PermissionRequiredMixin):
    """The role must carry `permission_required` (answers 403, never a login loop)."""

    raise_exception = True
