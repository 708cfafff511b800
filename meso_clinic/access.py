"""Access checks shared by every view: a signed-in user with a clinic role, then a permission.

LoginRequiredMiddleware already sends anonymous users to the login page; these mixins answer 403
to a signed-in user whose role does not include the page.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin

from .roles import has_clinic_role


class ClinicRoleRequiredMixin(UserPassesTestMixin):
    """Any clinic role will do (the dashboard, one's own account pages)."""

    raise_exception = True

    def test_func(self) -> bool:
        return has_clinic_role(self.request.user)


class ClinicPermissionRequiredMixin(PermissionRequiredMixin):
    """The role must carry `permission_required` (answers 403, never a login loop)."""

    raise_exception = True
