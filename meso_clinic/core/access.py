"""Who may open which page: declared tables, enforced for every request, before any view runs.

Each app declares the pages it owns in its own `access.py` (`PAGE_ACCESS`: URL name -> rule); this
module holds the kernel's own (sign-in and account pages) and `page_access()` merges them all, so
the kernel names no app's page. A rule is one of:

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

from functools import cache
from importlib import import_module

from django.apps import apps
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.utils.module_loading import module_has_submodule

from .permissions import has_clinic_role

PUBLIC = "public"
SIGNED_IN = "signed in"
ANY_ROLE = "any clinic role"
SIGN_IN_STEP = "sign-in step"

Rule = str | tuple[str, ...]

# The kernel's own pages: signing in and out, one's account, two-factor sign-in, the lockout.
PAGE_ACCESS: dict[str, Rule] = {
    # Accounts.
    "login": PUBLIC,
    "logout": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "language": SIGNED_IN,
    # The set-password link's page: the token in its address is the proof, as for a patient's link.
    "password_set": PUBLIC,
    "password_set_done": PUBLIC,
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
}


@cache
def page_access() -> dict[str, Rule]:
    """Every page of the project and its rule: the kernel's table and each installed app's `access.py`.

    Found by name like the admin's `admin.py`, so the kernel imports no app. A URL name declared twice
    is a mistake in the tables, and refused at start-up rather than silently overridden.
    """
    table: dict[str, Rule] = dict(PAGE_ACCESS)
    for config in apps.get_app_configs():
        if config.name == __package__ or not module_has_submodule(config.module, "access"):
            continue
        declared: dict[str, Rule] = getattr(import_module(f"{config.name}.access"), "PAGE_ACCESS", {})
        if twice := table.keys() & declared.keys():
            raise ImproperlyConfigured(f"Pages declared twice in the access tables: {sorted(twice)}")
        table.update(declared)
    return table


def may_open(user, rule: Rule) -> bool:
    """Whether `user` may open a page with this rule of the access tables."""
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
    """Enforce page_access() before the view (after sign-in, which LoginRequiredMiddleware handles)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" in match.namespaces:
            return None  # the admin site checks staff status and model permissions itself
        rule = page_access().get(match.view_name)
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
    request: HttpRequest  # the view's, which this is mixed into

    def test_func(self) -> bool:
        return has_clinic_role(self.request.user)


class ClinicPermissionRequiredMixin(PermissionRequiredMixin):
    """The role must carry `permission_required` (answers 403, never a login loop)."""

    raise_exception = True
