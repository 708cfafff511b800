"""Security headers and session time limits (issue 6).

- `SecurityHeadersMiddleware`: a Permissions-Policy header on every response, and
  `Cache-Control: no-store` on every response that is not a static file: pages of signed-in staff
  and the patients' link pages (/r/..., /unsubscribe/...) show patient data, which must not stay
  in a browser's or a proxy's cache. (The Content-Security-Policy comes from django-csp.)
- `IdleLogoffMiddleware`: signs staff out after `IDLE_LOGOFF_SECONDS` without a request, and after
  `SESSION_ABSOLUTE_SECONDS` since they signed in, however active they were.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Session keys (seconds since the epoch, as floats: the session is JSON).
SIGNED_IN_AT = "_clinic_signed_in_at"
LAST_ACTIVITY = "_clinic_last_activity"
# How stale the last-activity stamp may get before a request writes it again (issue 7).
ACTIVITY_WRITE_SECONDS = 60


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/")


def _is_static(request) -> bool:
    return request.path_info.startswith(_static_prefix())


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no-store on everything but static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not _is_static(request):
            patch_cache_control(response, no_store=True)
        return response


@receiver(user_logged_in, dispatch_uid="meso_clinic.core.middleware.record_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    """The moment of sign-in starts both clocks (the absolute one is never reset by activity)."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[LAST_ACTIVITY] = now


class IdleLogoffMiddleware:
    """Sign out after too long without a request, or too long since signing in.

    Must come after SessionMiddleware, AuthenticationMiddleware and MessageMiddleware (the message
    for the login page). Requests for static files do not count as activity. Django's own session
    expiry slides with every save (and this middleware saves at least once a minute), so the absolute
    limit is enforced here, from the sign-in time kept in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_static(request) or not request.user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = time.time()
        # A session from before this middleware existed (or a sign-in this module did not see)
        # starts its clocks now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_activity = session.get(LAST_ACTIVITY, now)
        idle_limit = settings.IDLE_LOGOFF_SECONDS
        if now - last_activity > idle_limit:
            minutes = round(idle_limit / 60)
            return self._sign_out(
                request, _("You were signed out after %(minutes)d minutes without activity.") % {"minutes": minutes}
            )
        absolute_limit = settings.SESSION_ABSOLUTE_SECONDS
        if now - signed_in_at > absolute_limit:
            hours = round(absolute_limit / 3600)
            return self._sign_out(
                request,
                _("You were signed out after %(hours)d hours signed in. Please sign in again.") % {"hours": hours},
            )
        # Written at most once a minute: a write is an UPDATE and a COMMIT of the session row (and a new
        # cookie), which every page paid when it was written on each request. The idle limit then counts
        # from a stamp up to a minute old: a user may be signed out up to a minute early, never late.
        if now - last_activity >= ACTIVITY_WRITE_SECONDS or LAST_ACTIVITY not in session:
            session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, message: str):
        logout(request)  # flushes the session: a new, empty one
        messages.info(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.method in ("GET", "HEAD") and request.path != login_url:
            # Back to the same page after signing in again.
            return redirect_to_login(request.get_full_path(), login_url)
        # A form posted after the limit is lost; its URL may not answer a GET, so no `next`.
        return redirect(login_url)
