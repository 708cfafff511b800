"""Two-factor sign-in with an authenticator app (TOTP, django-otp), issue 6.

Who needs it (`requires_two_factor`): physicians and the clinic manager, told apart by what their
role may do (deciding screenings; changing the product catalogue), and every account that can open
the administration site. Reception and nurses may turn it on for themselves; once on, they use it.

The flow: the password on the usual sign-in page (axes counting failures) signs the user in, but
`TwoFactorMiddleware` lets a user who still owes a code reach only the code page (or, if their role
needs two-factor sign-in and they have no authenticator yet, the set-up page) and sign-out. A right
code marks the session verified (django-otp's session key) and goes on to the page first asked for.
Wrong codes are throttled by django-otp (1, 2, 4, 8 ... seconds between tries) and counted by axes
like wrong passwords: the fifth failure signs the user out and locks the account for the cool-off.

A lost phone: the clinic manager removes the person's authenticator ("Two-factor sign-in of staff"),
and they set up a new one at their next sign-in.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout
from .access import ClinicPermissionRequiredMixin
from .roles import ROLES

# A physician decides screenings; the clinic manager changes the product catalogue.
TWO_FACTOR_PERMISSIONS = ("patients.decide_screening", "treatments.change_product")
DEVICE_NAME = "Authenticator app"
MANAGE_PERMISSION = "auth.change_user"

VERIFY = "two_factor_verify"
ENROLL = "two_factor_enroll"
# What a user who still owes a code may open besides those two pages.
OPEN_WHILE_PENDING = ("logout",)


# --- Who needs what ---------------------------------------------------------------------------


def requires_two_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
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


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_step(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The page a signed-in user must pass before any other: VERIFY, ENROLL, or None (nothing owed)."""
    if not user.is_authenticated or user.is_verified():
        return None
    if confirmed_device(user) is not None:
        return VERIFY
    if requires_two_factor(user):
        return ENROLL
    return None


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


def _safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` page if it is on this site (and not a two-factor step itself), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not target.startswith((reverse(VERIFY), reverse(ENROLL)))
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


# --- Middleware and the admin site -------------------------------------------------------------


class TwoFactorMiddleware:
    """Until the code is given, only the code (or set-up) page and sign-out answer.

    After OTPMiddleware (which gives `request.user.is_verified()`) and the idle sign-out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        step = pending_step(request.user)
        if step is None or path in {reverse(name) for name in (VERIFY, ENROLL, *OPEN_WHILE_PENDING)}:
            return self.get_response(request)
        target = reverse(step)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), target)
        return redirect(target)  # a form posted before the code was given is not acted on


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


def _throttle_message(device: TOTPDevice) -> str | None:
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


class _CodePageMixin:
    """What the code page and the set-up page share: checking a code, and finishing sign-in."""

    form_class = CodeForm
    request: HttpRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _safe_next(self.request)
        return context

    def _signed_in(self, device: TOTPDevice, default_next: str | None = None) -> HttpResponse:
        otp_login(self.request, device)
        self.request.session.cycle_key()  # a new session id for the now fully signed-in user
        return redirect(_safe_next(self.request, default_next))


class VerifyView(_CodePageMixin, FormView):
    """ "Enter the 6-digit code": for a user who signed in with a password and has an authenticator."""

    template_name = "registration/twofactor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.device = confirmed_device(request.user)
        if self.device is None or request.user.is_verified():
            return redirect(_safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        username = user.get_username()
        if lockout.is_locked(self.request, username):
            logout(self.request)
            return lockout.lockout_response(self.request, credentials={"username": username})
        if message := _throttle_message(self.device):
            form.add_error("code", message)
            return self.form_invalid(form)
        device = verify_token(user, self.device.persistent_id, form.cleaned_data["code"])
        if device is not None:
            return self._signed_in(device)
        tries_left = lockout.record_failed_code(self.request, user)
        if tries_left == 0:
            logout(self.request)
            return lockout.lockout_response(self.request, credentials={"username": username})
        form.add_error(
            "code",
            _(
                "That code is not right. Check that the time on your phone is correct and enter the code "
                "shown now (%(tries)d more tries before sign-in is locked)."
            )
            % {"tries": tries_left},
        )
        return self.form_invalid(form)


# --- Setting up an authenticator -------------------------------------------------------------------


class EnrollView(_CodePageMixin, FormView):
    """A QR code to scan (and the key to type), confirmed with the first code the app shows."""

    template_name = "registration/twofactor_enroll.html"

    def dispatch(self, request, *args, **kwargs):
        if confirmed_device(request.user) is not None:
            if not request.user.is_verified():
                return redirect(VERIFY)
            messages.info(request, _("Two-factor sign-in is already on for your account."))
            return redirect("two_factor")
        self.pending = pending_step(request.user) == ENROLL
        # One device being set up per user; it keeps its key across reloads of this page.
        with transaction.atomic():
            self.device = (
                TOTPDevice.objects.devices_for_user(request.user, confirmed=False).order_by("pk").first()
                or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            pending=self.pending,
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
            TOTPDevice.objects.filter(user=self.request.user).exclude(pk=self.device.pk).delete()
        messages.success(self.request, _("Two-factor sign-in is on. Each sign-in will now ask for a code."))
        # Set up by choice: back to one's two-factor page; set up because required: on to the page asked for.
        return self._signed_in(self.device, default_next=None if self.pending else reverse("two_factor"))


# --- One's own two-factor page -----------------------------------------------------------------------


class SettingsView(TemplateView):
    """Anyone signed in: whether two-factor sign-in is on, required, and the switch when it is optional."""

    template_name = "registration/twofactor_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = confirmed_device(self.request.user)
        context["required"] = requires_two_factor(self.request.user)
        return context


class TurnOffView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if requires_two_factor(request.user):
            messages.error(request, _("Your role needs two-factor sign-in: it cannot be turned off."))
        else:
            TOTPDevice.objects.filter(user=request.user).delete()
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
    """Removes a colleague's authenticator (a lost or new phone); they set up a new one at next sign-in."""

    permission_required = MANAGE_PERMISSION
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
        if member.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        removed, _details = TOTPDevice.objects.filter(user=member).delete()
        name = member.get_full_name() or member.get_username()
        if removed:
            message = _("%(name)s's authenticator was removed: they set up a new one at their next sign-in.")
            messages.success(request, message % {"name": name})
        else:
            messages.info(request, _("%(name)s had no authenticator.") % {"name": name})
        return redirect("two_factor_staff")
