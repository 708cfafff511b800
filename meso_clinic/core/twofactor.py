"""Two-factor sign-in with an authenticator app (TOTP, django-otp), issue 6; sign-in completed by the code, issue 12.

Who needs it (`requires_two_factor`): physicians and the clinic manager, told apart by what their
role may do (deciding screenings; changing the product catalogue), and every account that can open
the administration site. Reception and nurses may turn it on for themselves; once on, they use it.

The flow: the password on the usual sign-in page (`SignInView`, axes counting failures) does NOT sign
in a user who owes a code. Her id, the page she asked for and the time are kept in the session
(`start_pending_sign_in`), for PENDING_SECONDS and only while her password is unchanged; she is still
anonymous to every middleware and view. The code page (or, if her role needs two-factor sign-in and she
has no authenticator yet, the set-up page) then calls `django.contrib.auth.login` and django-otp's
`login` (the session verified, which the admin site asks for) once the code is right. Wrong codes are
throttled by django-otp (1, 2, 4, 8 ... seconds between tries) and counted by axes like wrong
passwords: the fifth failure ends the pending sign-in and locks the account for the cool-off.

Recovery codes (django-otp's static tokens, meso_clinic/core/recovery_codes.py): ten one-time codes shown
once after setting up an authenticator (and when made anew), each usable instead of the 6-digit code.
A lost phone without them: the clinic manager removes the person's authenticator and recovery codes
("Two-factor sign-in of staff"), and they set up a new one at their next sign-in.
"""

import time
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout, recovery_codes
from .access import ClinicPermissionRequiredMixin
from .auth_types import AuthenticatedHttpRequest
from .people import display_name
from .roles import ROLES

# A physician decides screenings; the clinic manager changes the product catalogue.
TWO_FACTOR_PERMISSIONS = ("patients.decide_screening", "treatments.change_product")
DEVICE_NAME = "Authenticator app"
MANAGE_PERMISSION = "auth.change_user"

VERIFY = "two_factor_verify"
RECOVERY = "two_factor_recovery"
ENROLL = "two_factor_enroll"
NEW_CODES = "two_factor_recovery_codes"

# Between the password and the code: who, where to after, since when (session keys).
PENDING_SESSION_KEY = "_clinic_pending_sign_in"
NEW_CODES_SESSION_KEY = "_clinic_new_recovery_codes"
PENDING_SECONDS = 300  # time to type the code; then the password is asked again


# --- Who needs what ---------------------------------------------------------------------------


def requires_two_factor(user: User | AnonymousUser) -> bool:
    """Physicians, the clinic manager and everyone who can open the administration site."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or any(user.has_perm(perm) for perm in TWO_FACTOR_PERMISSIONS)


def users_requiring_two_factor() -> QuerySet:
    """The same rule as `requires_two_factor`, as one query (for lists of staff)."""
    users = get_user_model().objects.all()
    if not settings.TWO_FACTOR_REQUIRED:
        return users.none()
    perms = Q()
    for code in TWO_FACTOR_PERMISSIONS:
        app_label, codename = code.split(".")
        perms |= Q(content_type__app_label=app_label, codename=codename)
    permission_ids = Permission.objects.filter(perms).values("pk")
    return users.filter(
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__permissions__in=permission_ids)
        | Q(user_permissions__in=permission_ids)
    ).distinct()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def second_step(user: User) -> str | None:
    """What a user who gave the right password still owes: VERIFY (a code), ENROLL (an app), or None."""
    if confirmed_device(user) is not None:
        return VERIFY
    if requires_two_factor(user):
        return ENROLL
    return None


def pending_step(user: User | AnonymousUser) -> str | None:
    """For a signed-in session: the step it skipped (VERIFY or ENROLL), or None when nothing is owed.

    Only a session signed in some other way than the code page can owe one: from before issue 12, or
    whose user was given a role that needs two-factor sign-in, or set up an app at another computer.
    """
    # is_verified() is set on request.user by django-otp's OTPMiddleware, unknown to django-stubs' User.
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return None
    return second_step(user)


# --- Between password and code: the pending sign-in, kept in the session -------------------------------


def start_pending_sign_in(request: HttpRequest, user: User, *, next_url: str) -> None:
    """The password was right and a code is owed: remember who, in a new session id, signed in as no one.

    The password's hash is kept too (as Django's session auth hash): a password changed in between
    ends the pending sign-in.
    """
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
        "hash": user.get_session_auth_hash(),
    }


def end_pending_sign_in(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def pending_sign_in(request: HttpRequest) -> tuple[User | None, bool]:
    """The user whose code this session waits for, and whether a pending sign-in had just expired."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None, False
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        end_pending_sign_in(request)
        return None, True
    user_pk = data.get("user")
    user = None if user_pk is None else get_user_model()._default_manager.filter(pk=user_pk, is_active=True).first()
    if user is None or not constant_time_compare(data.get("hash", ""), user.get_session_auth_hash()):
        end_pending_sign_in(request)
        return None, True
    user.backend = data["backend"]
    return user, False


def complete_sign_in(request: HttpRequest, user: User, device) -> str:
    """The code was right: sign in now (a new session id), the session verified by `device`; where to next."""
    data = request.session.pop(PENDING_SESSION_KEY, {})
    auth_login(request, user, backend=data.get("backend"))  # cycles the session key
    otp_login(request, device)
    return data.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)


def secret_for_display(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here: the secret never leaves the server)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", lineclass=None, title=_("QR code to scan")
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the address in it is not in the SVG text


def _is_step_page(target: str) -> bool:
    return target.startswith(tuple(reverse(name) for name in (VERIFY, RECOVERY, ENROLL, NEW_CODES)))


def _safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` page if it is on this site (and not a two-factor step itself), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not _is_step_page(target)
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


# --- Sign-in, the middleware and the admin site -------------------------------------------------------


class SignInView(LoginView):
    """Django's sign-in page; a user who owes a code is not signed in yet but sent on to give it."""

    redirect_authenticated_user = True
    authentication_form = lockout.SignInForm

    def form_valid(self, form):
        user = form.get_user()
        step = second_step(user)
        if step is None:
            return super().form_valid(form)
        next_url = self.get_success_url()
        if _is_step_page(next_url):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        start_pending_sign_in(self.request, user, next_url=next_url)
        return redirect(step)


class TwoFactorMiddleware:
    """A signed-in session that owes a code is signed out (the code page alone signs in with two factors).

    Sign-in itself never leaves such a session (SignInView keeps the user pending until the code). This
    catches the others: sessions from before that, a user given a role that needs two-factor sign-in
    while signed in, or one who set up an app at another computer. After OTPMiddleware (which gives
    `request.user.is_verified()`) and the idle sign-out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")) or pending_step(request.user) is None:
            return self.get_response(request)
        logout(request)
        messages.info(request, _("Your account now signs in with a code from an authenticator app: sign in again."))
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)  # a form posted before the code was given is not acted on


class ClinicAdminSite(OTPAdminSite):
    """The administration site: staff accounts whose session has passed two-factor sign-in.

    Its own sign-in form is not used: everyone signs in on the clinic's page (axes, two factors).
    """

    @login_not_required
    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
        if self.has_permission(request):
            return redirect(_safe_next(request))
        raise PermissionDenied


# --- The code page -----------------------------------------------------------------------------


class CodeField(forms.CharField):
    def to_python(self, value):
        return "".join(str(super().to_python(value)).split())  # "123 456", as some apps show it


class CodeForm(forms.Form):
    code = CodeField(
        label=gettext_lazy("6-digit code"),
        validators=[RegexValidator(r"^\d{6}$", gettext_lazy("Enter the 6 digits your app shows."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 7}
        ),
    )


class RecoveryCodeField(forms.CharField):
    def to_python(self, value):
        return recovery_codes.normalise(str(super().to_python(value)))


class RecoveryCodeForm(forms.Form):
    code = RecoveryCodeField(
        label=gettext_lazy("Recovery code"),
        max_length=20,
        validators=[
            # The example is a real code's form (recovery_codes.display): letters and the digits 2-7, two fours.
            RegexValidator(
                r"^[a-z2-7]{8}$",
                gettext_lazy("A recovery code has 8 letters and digits in two groups of four, like k7pq-3xmz."),
            )
        ],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )


def _throttle_message(device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = details.get("locked_until") if details else None
    if until is None:
        return _("Codes cannot be checked right now. Try again in a minute.")
    seconds = max(1, round((until - timezone.now()).total_seconds()))
    return _("Too many wrong codes in a row: wait %(seconds)d seconds, then enter the code your app shows.") % {
        "seconds": seconds
    }


def _show_new_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """On to the page that shows the new recovery codes, once (they stay in the session until shown)."""
    request.session[NEW_CODES_SESSION_KEY] = {"codes": codes, "next": next_url}
    return redirect(NEW_CODES)


class _PendingStepMixin:
    """The code and set-up pages of a pending sign-in: open to the session that gave the right password.

    Not signed in (LoginRequiredMiddleware lets them through; PAGE_ACCESS marks them SIGN_IN_STEP): this
    guard is theirs. Without a pending sign-in (none, expired, or the password changed meanwhile) the
    password is asked again. "Cancel" ends the pending sign-in.
    """

    request: HttpRequest
    user: User  # the pending sign-in's (set by pending_or_login), or on the set-up page the signed-in user

    def pending_or_login(self, request: HttpRequest) -> HttpResponse | None:
        user, expired = pending_sign_in(request)
        if user is not None:
            self.user = user
            return None
        if expired:
            messages.info(request, _("Sign-in took too long. Enter your password again."))
        return redirect_to_login(_safe_next(request))

    def post(self, request, *args, **kwargs):
        if "cancel" in request.POST:
            end_pending_sign_in(request)
            return redirect(settings.LOGIN_URL)
        return super().post(request, *args, **kwargs)  # type: ignore[misc]  # FormView's, next in the MRO

    def _refused(self, username: str) -> HttpResponse:
        """Locked: the pending sign-in ends, the lockout page says until when."""
        end_pending_sign_in(self.request)
        return lockout.lockout_response(self.request, credentials={"username": username})


@method_decorator(login_not_required, name="dispatch")
class VerifyView(_PendingStepMixin, FormView):
    """ "Enter the 6-digit code": for a user who gave the right password and has an authenticator."""

    template_name = "registration/twofactor_verify.html"
    form_class: type[forms.Form] = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # signed in already (with the code, or needing none)
            return redirect(_safe_next(request))
        if refused := self.pending_or_login(request):
            return refused
        self.device = self.get_device()
        if self.device is None:
            return self.without_device()
        return super().dispatch(request, *args, **kwargs)

    def get_device(self):
        return confirmed_device(self.user)

    def without_device(self) -> HttpResponse:
        """The authenticator was removed since the password (the manager's reset): set one up, or sign in again."""
        if requires_two_factor(self.user):
            return redirect(ENROLL)
        end_pending_sign_in(self.request)
        return redirect(settings.LOGIN_URL)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_user"] = self.user
        context["recovery_codes_left"] = recovery_codes.codes_left(self.user)
        return context

    def form_valid(self, form):
        username = self.user.get_username()
        if lockout.is_locked(self.request, username):
            return self._refused(username)
        if message := _throttle_message(self.device):
            form.add_error("code", message)
            return self.form_invalid(form)
        device = verify_token(self.user, self.device.persistent_id, form.cleaned_data["code"])
        if device is not None:
            return redirect(self.signed_in(device))
        tries_left = lockout.record_failed_code(self.request, self.user)
        if tries_left == 0:
            return self._refused(username)
        form.add_error("code", self.wrong_code_message(tries_left))
        return self.form_invalid(form)

    def signed_in(self, device) -> str:
        return complete_sign_in(self.request, self.user, device)

    def wrong_code_message(self, tries_left: int) -> str:
        return ngettext(
            "That code is not right. Check that the time on your phone is correct and enter the code "
            "shown now (%(tries)d more try before sign-in is locked).",
            "That code is not right. Check that the time on your phone is correct and enter the code "
            "shown now (%(tries)d more tries before sign-in is locked).",
            tries_left,
        ) % {"tries": tries_left}


class RecoveryView(VerifyView):
    """ "Use a recovery code": one of the ten codes instead of the app's; it works once."""

    template_name = "registration/twofactor_recovery.html"
    form_class = RecoveryCodeForm

    def get_device(self):
        if confirmed_device(self.user) is None or not recovery_codes.codes_left(self.user):
            return None
        return recovery_codes.device_for(self.user)

    def without_device(self) -> HttpResponse:
        if confirmed_device(self.user) is None:
            return super().without_device()
        messages.error(
            self.request,
            _(
                "You have no recovery codes left. Without your phone, ask the clinic manager to reset your "
                "two-factor sign-in."
            ),
        )
        return redirect(VERIFY)

    def signed_in(self, device) -> str:
        next_url = super().signed_in(device)
        left = recovery_codes.codes_left(self.user)
        if left <= 3:
            message = _(
                "You signed in with a recovery code: %(left)d left. Make new ones on your Two-factor sign-in page."
            )
            messages.warning(self.request, message % {"left": left})
        else:
            messages.info(self.request, _("You signed in with a recovery code: %(left)d left.") % {"left": left})
        return next_url

    def wrong_code_message(self, tries_left: int) -> str:
        return ngettext(
            "That recovery code is not right, or was used already (%(tries)d more try before sign-in is locked).",
            "That recovery code is not right, or was used already (%(tries)d more tries before sign-in is locked).",
            tries_left,
        ) % {"tries": tries_left}


# --- Setting up an authenticator -------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class EnrollView(_PendingStepMixin, FormView):
    """A QR code to scan (and the key to type), confirmed with the first code the app shows.

    For a pending sign-in whose role needs an app and has none (signed in once the code is right), or
    for a signed-in user who turns two-factor sign-in on by choice.
    """

    template_name = "registration/twofactor_enroll.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = not request.user.is_authenticated
        if self.pending:
            if refused := self.pending_or_login(request):
                return refused
            if confirmed_device(self.user) is not None:
                return redirect(VERIFY)
        else:
            self.user = request.user
            if confirmed_device(self.user) is not None:
                messages.info(request, _("Two-factor sign-in is already on for your account."))
                return redirect("two_factor")
        # One device being set up per user; it keeps its key across reloads of this page.
        with transaction.atomic():
            self.device = (
                TOTPDevice.objects.devices_for_user(self.user, confirmed=False).order_by("pk").first()
                or TOTPDevice.objects.create(user=self.user, name=DEVICE_NAME, confirmed=False)
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            pending=self.pending,
            enrolling_user=self.user,
            next=_safe_next(self.request),
            qr_code=qr_code_svg(self.device),
            secret=secret_for_display(self.device),
            issuer=settings.OTP_TOTP_ISSUER,
        )
        return context

    def form_valid(self, form):
        if message := _throttle_message(self.device):
            form.add_error("code", message)
            return self.form_invalid(form)
        if not self.device.verify_token(form.cleaned_data["code"]):
            form.add_error(
                "code",
                _("That code is not right. Scan the QR code again (or check the key) and enter the code shown now."),
            )
            return self.form_invalid(form)
        with transaction.atomic():
            self.device.confirmed = True
            self.device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=self.user).exclude(pk=self.device.pk).delete()
            codes = recovery_codes.make_new(user=self.user)
        messages.success(self.request, _("Two-factor sign-in is on. Each sign-in will now ask for a code."))
        if self.pending:  # set up because required: signed in now, then on to the page first asked for
            next_url = complete_sign_in(self.request, self.user, self.device)
        else:  # set up by choice: back to one's two-factor page
            otp_login(self.request, self.device)
            self.request.session.cycle_key()  # a new session id for the now two-factor session
            next_url = _safe_next(self.request, reverse("two_factor"))
        return _show_new_codes(self.request, codes, next_url)


# --- Recovery codes: shown once; made anew on one's own page -------------------------------------------


class NewRecoveryCodesView(TemplateView):
    """The codes just made, shown this once (taken out of the session); a reload shows them no more."""

    template_name = "registration/twofactor_recovery_codes.html"

    def get(self, request, *args, **kwargs):
        shown = request.session.pop(NEW_CODES_SESSION_KEY, None)
        if not shown:
            messages.info(request, _("Recovery codes are shown only once. Make new ones if you have lost them."))
            return redirect("two_factor")
        return self.render_to_response(self.get_context_data(codes=shown["codes"], next=shown["next"]))


class MakeRecoveryCodesView(View):
    """POST: ten new codes for one's own account (the old ones stop working), shown on the next page."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if confirmed_device(request.user) is None:
            messages.error(request, _("Set up an authenticator app first: recovery codes stand in for it."))
            return redirect("two_factor")
        codes = recovery_codes.make_new(user=request.user)
        return _show_new_codes(request, codes, reverse("two_factor"))


# --- One's own two-factor page -----------------------------------------------------------------------


class SettingsView(TemplateView):
    """Anyone signed in: whether two-factor sign-in is on, required, and the switch when it is optional."""

    template_name = "registration/twofactor_settings.html"
    request: AuthenticatedHttpRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = confirmed_device(self.request.user)
        context["required"] = requires_two_factor(self.request.user)
        context["recovery_codes_left"] = recovery_codes.codes_left(self.request.user)
        context["recovery_codes_made"] = recovery_codes.device_for(self.request.user)
        return context


class TurnOffView(View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if requires_two_factor(request.user):
            messages.error(request, _("Your role needs two-factor sign-in: it cannot be turned off."))
        else:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).delete()
                recovery_codes.remove(user=request.user)
            messages.success(request, _("Two-factor sign-in is off. You sign in with your password only."))
        return redirect("two_factor")


# --- The manager's page: staff and their authenticators -------------------------------------------------


class StaffDevicesView(ClinicPermissionRequiredMixin, TemplateView):
    permission_required = MANAGE_PERMISSION
    template_name = "registration/twofactor_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = list(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name__in=ROLES) | Q(is_staff=True) | Q(is_superuser=True))
            .distinct()
            .order_by("first_name", "username")
            .prefetch_related("groups")
        )
        required = set(users_requiring_two_factor().filter(pk__in=[u.pk for u in staff]).values_list("pk", flat=True))
        devices: dict[int, TOTPDevice] = {}
        for device in TOTPDevice.objects.filter(user__in=staff).order_by("-confirmed", "pk"):
            devices.setdefault(device.user_id, device)
        context["rows"] = [
            {
                "user": user,
                "roles": sorted(g.name for g in user.groups.all() if g.name in ROLES),
                "required": user.pk in required,
                "device": devices.get(user.pk),
                "may_reset": user.pk in devices and (self.request.user.is_superuser or not user.is_superuser),
            }
            for user in staff
        ]
        return context


class StaffDeviceResetView(ClinicPermissionRequiredMixin, View):
    """Removes a colleague's authenticator and recovery codes (a lost phone); they set up anew at next sign-in."""

    permission_required = MANAGE_PERMISSION
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
        if member.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        with transaction.atomic():  # a lost phone's recovery codes may be written down beside it: they go too
            removed, _details = TOTPDevice.objects.filter(user=member).delete()
            recovery_codes.remove(user=member)
        name = display_name(member)
        if removed:
            message = _(
                "%(name)s's authenticator and recovery codes were removed: they set up a new authenticator at their "
                "next sign-in."
            )
            messages.success(request, message % {"name": name})
        else:
            messages.info(request, _("%(name)s had no authenticator.") % {"name": name})
        return redirect("two_factor_staff")
