"""Recovery codes: ten one-time codes to sign in with when the phone is not at hand (issue 12).

They are django-otp's static tokens: one StaticDevice per user holds them, each token is deleted when
it is used, and the device's throttle slows guessing like the authenticator's. A code is 8 letters and
digits of base32 (no 0, 1, 8 or 9 to misread), shown in two groups of four (`display`); what is typed
back is read loosely (`normalise`: case, spaces and dashes do not matter).

Shown once: `make_new` returns the new codes and the caller shows them on the next page only; they
cannot be looked up again (make new ones instead, which removes the old ones).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

HOW_MANY = 10
DEVICE_NAME = "Recovery codes"


def normalise(typed: str) -> str:
    """'ABCD-EFGH', 'abcd efgh' and 'abcdefgh' are the same code."""
    return "".join(ch for ch in typed.lower() if ch.isalnum())


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def device_for(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def make_new(*, user: User) -> list[str]:
    """Ten new codes for `user` (as she should see them); any older ones stop working."""
    remove(user=user)
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < HOW_MANY:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [display(code) for code in sorted(codes)]


def remove(*, user: User) -> int:
    """Remove `user`'s recovery codes (the tokens go with their device); returns how many rows went."""
    removed, _details = StaticDevice.objects.filter(user=user).delete()
    return removed
