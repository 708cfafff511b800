"""Tablet mode at reception (issue 15): a browser session locked to one patient's link pages.

Staff hand the clinic's tablet to a patient: the staff member is signed out (the session is flushed, so nothing
of the staff's remains in it) and the new session holds only the lock: her link's token and the page to return
to. While it is set, every request outside her link's pages (any path under a registered token prefix followed
by her token: "/q/<token>/...", "/treatments/sign/<token>/...") is sent back to her form, the sign-in page and
the admin site included; static files are answered before this middleware (WhiteNoise). Her last page unlocks
the session and returns to the staff sign-in.

The kernel knows no app's URLs: the prefixes are those apps register for their tokens (request_logs.py).
"""

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseRedirect

from .request_logs import token_paths

SESSION_KEY = "kiosk_lock"


def lock(request: HttpRequest, *, token: str, home: str) -> None:
    """Sign the staff member out and lock this browser's new session to the pages of `token`."""
    logout(request)  # flushes the session: a new key, no staff data
    request.session[SESSION_KEY] = {"token": token, "home": home}


def unlock(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def locked_token(request: HttpRequest) -> str | None:
    held = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return held["token"] if held else None


def allowed(path: str, token: str) -> bool:
    """Whether `path` is one of the pages of this token's link."""
    return any(f"{prefix}{token}/" in path for prefix in token_paths())


class KioskLockMiddleware:
    """Every path but her link's pages redirects to her form while the session is locked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        held = request.session.get(SESSION_KEY)
        # A session signed in since (only possible outside the locked pages, e.g. a test's force_login) is staff's.
        if held and "_auth_user_id" in request.session:
            unlock(request)
        elif held and not allowed(request.path, held["token"]):
            return HttpResponseRedirect(held["home"])
        return self.get_response(request)
