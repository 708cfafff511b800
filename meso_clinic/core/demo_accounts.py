"""Demo accounts cannot sign in outside DEBUG (issue 12).

`seed_demo` (DEBUG only) makes staff accounts whose password and authenticator keys are published in
the README. A database seeded so and later served with DEBUG off would let anyone in. An account is a
demo account while its credentials are the published ones: the demo password was typed (so it is
still the account's password), or it holds an authenticator with a published demo key. Told from the
credentials themselves, not from a mark, so databases seeded before this check are caught too, and an
account whose password and authenticator were changed is an ordinary account.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.crypto import constant_time_compare
from django_otp.plugins.otp_totp.models import TOTPDevice

# The demo accounts' published credentials (README, "Demo logins"), used by seed_demo to make them.
DEMO_PASSWORD = "meso-demo-2026"  # noqa: S105 - stated in the README; demo databases only

# The demo physician and manager need two-factor sign-in like real ones. Their authenticator keys are
# fixed and published (hex, as django-otp stores them), so `manage.py demo_code <username>` can say
# the current code; anyone may also add them to an app (base32 in the README).
DEMO_TOTP_KEYS = {
    "physician": "6d65736f2d64656d6f2d70687973696369616e21",
    "manager": "6d65736f2d64656d6f2d6d616e616765722d2121",
}


def is_demo_account(user: User, typed_password: str) -> bool:
    if constant_time_compare(typed_password, DEMO_PASSWORD):
        return True
    return TOTPDevice.objects.filter(user=user, key__in=DEMO_TOTP_KEYS.values()).exists()


def sign_in_refused(user: User, typed_password: str) -> bool:
    """Whether this (right) password must not sign in: a demo account while DEBUG is off."""
    return not settings.DEBUG and is_demo_account(user, typed_password)
