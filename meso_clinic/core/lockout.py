"""Sign-in lockout (issue 6), on top of django-axes.

Axes counts failed sign-ins per username *and* address (AXES_LOCKOUT_PARAMETERS): someone guessing
from one machine locks that account from that machine only, and cannot lock a colleague out of the
clinic. After AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME the pair is locked until
AXES_COOLOFF_TIME after the last failure, then it opens by itself; the clinic manager can unlock it
sooner on the "Locked accounts" page. Wrong two-factor codes count as failures too
(`record_failed_code`), so knowing the password does not buy unlimited guesses at the code.

Attempts made while locked are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off),
so the time the lockout page gives stays true however often someone tries again.
"""

import datetime as dt
from dataclasses import dataclass
from typing import cast

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, signals
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordChangeView as DjangoPasswordChangeView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from . import demo_accounts
from .access import ClinicPermissionRequiredMixin
from .auth_types import AuthenticatedHttpRequest

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"
MANAGE_PERMISSION = "auth.change_user"


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked before anyone looks it up.

    Django sets the field's max_length after building it, so no validator enforces it: a username of
    thousands of characters reached authenticate(), and axes failed to record the failure in its
    255-character column (a 500, found by tests/test_form_fuzz.py). Now it is a message next to the field.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])  # AuthenticationForm's UsernameField
        username.validators.append(MaxLengthValidator(username.max_length))

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if demo_accounts.sign_in_refused(user, self.cleaned_data.get("password") or ""):
            raise ValidationError(
                _(
                    "This is a demo account: its password and codes are published. Demo accounts cannot sign "
                    "in when the clinic runs with DEBUG off."
                ),
                code="demo_account",
            )


def cool_off() -> dt.timedelta:
    return get_cool_off() or dt.timedelta(0)


@dataclass(frozen=True)
class Lockout:
    """One locked account as the manager sees it (never the address: it is not for display or logs)."""

    username: str
    attempts: int
    last_failure_at: dt.datetime
    locked_until: dt.datetime


def current_lockouts(*, now: dt.datetime) -> list[Lockout]:
    """Accounts locked at `now`: a (username, address) pair with enough failures in the cool-off window.

    An account locked from two machines is one row (attempts added up, the later time shown).
    """
    window = cool_off()
    limit = settings.AXES_FAILURE_LIMIT
    pairs = (
        AccessAttempt.objects.filter(attempt_time__gt=now - window)
        .exclude(username__isnull=True)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
    )
    merged: dict[str, Lockout] = {}
    for pair in pairs:
        earlier = merged.get(pair["username"])
        attempts = pair["failures"] + (earlier.attempts if earlier else 0)
        last = max(pair["last"], earlier.last_failure_at) if earlier else pair["last"]
        merged[pair["username"]] = Lockout(pair["username"], attempts, last, last + window)
    return sorted(merged.values(), key=lambda lockout: lockout.locked_until)


def locked_until(request: HttpRequest, username: str) -> dt.datetime | None:
    """When this username may sign in again from this request's address (None: it is not locked)."""
    AxesProxyHandler.update_request(request)
    last = AccessAttempt.objects.filter(
        username=username,
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]  # set by AxesProxyHandler.update_request
        attempt_time__gt=timezone.now() - cool_off(),
    ).aggregate(last=Max("attempt_time"))["last"]
    return last + cool_off() if last else None


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE): in the clinic's layout, 429, with the time to retry."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    until = locked_until(request, username) if username else None
    context = {
        "locked_until": until,
        "minutes": round(cool_off().total_seconds() / 60),
        "failure_limit": get_failure_limit(request, credentials),
    }
    return render(request, LOCKED_OUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def record_failed_code(request: HttpRequest, user: User) -> int:
    """Count a wrong two-factor code (or recovery code, or current password when changing it) as a failed
    sign-in; return how many tries are left (0: now locked).

    Sent as Django's `user_login_failed` so that axes records it exactly like a wrong password.
    """
    credentials = {"username": user.get_username()}
    signals.user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        return 0
    failures = getattr(request, "axes_failures_since_start", None) or 0
    return max(get_failure_limit(request, credentials) - failures, 0)


# --- One's own password change ------------------------------------------------------------------


class PasswordChangeView(DjangoPasswordChangeView):
    """Django's password change, with each wrong current password counted like a wrong sign-in.

    Else a borrowed, signed-in session would let anyone guess at the password without limit (issue 12).
    The same (username, address) pair as the sign-in page: locked, the user is signed out and sees the
    lockout page, and cannot sign in again from here until the cool-off ends or the manager unlocks.
    """

    request: AuthenticatedHttpRequest

    def post(self, request, *args, **kwargs):
        if is_locked(request, request.user.get_username()):
            return self._locked_out()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            tries_left = record_failed_code(self.request, self.request.user)
            if tries_left == 0:
                return self._locked_out()
            form.add_error(
                "old_password",
                ngettext(
                    "%(tries)d more wrong try locks your account.",
                    "%(tries)d more wrong tries lock your account.",
                    tries_left,
                )
                % {"tries": tries_left},
            )
        return super().form_invalid(form)

    def _locked_out(self) -> HttpResponse:
        username = self.request.user.get_username()
        logout(self.request)
        return lockout_response(self.request, credentials={"username": username})


# --- The manager's page -----------------------------------------------------------------------


class LockedAccountsView(ClinicPermissionRequiredMixin, TemplateView):
    permission_required = MANAGE_PERMISSION
    template_name = "registration/locked_accounts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = current_lockouts(now=timezone.now())
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["minutes"] = round(cool_off().total_seconds() / 60)
        return context


class UnlockView(ClinicPermissionRequiredMixin, View):
    """POST only: the username comes in the form, not the URL."""

    permission_required = MANAGE_PERMISSION
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        username = request.POST.get("username", "").replace("\x00", "").strip()  # no NUL to PostgreSQL
        if username and axes_reset(username=username):
            messages.success(request, _("%(username)s can sign in again.") % {"username": username})
        else:
            messages.info(request, _("That account was not locked (any more)."))
        return redirect("locked_accounts")
