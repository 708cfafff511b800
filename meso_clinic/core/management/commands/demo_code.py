"""Print the two-factor code a demo account's authenticator app would show now. DEBUG only.

The demo physician and manager have fixed, published keys (seed_demo); this saves setting up an app
to look around. A code is accepted once: if this time step's code was used already, the next one
(accepted too) is printed, or the command waits for the clock to move on.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from meso_clinic.core.twofactor import confirmed_device


def next_usable_code(device, *, now: float) -> tuple[str, int] | None:
    """The code to type at `now` and the seconds it stays valid, or None if none is usable yet."""
    now_step = int((now - device.t0) // device.step) + device.drift
    ahead = max(0, device.last_t + 1 - now_step)
    if ahead > device.tolerance:
        return None
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift=device.drift + ahead)
    seconds_left = int(device.step * (1 + ahead) - (now - device.t0) % device.step)
    return f"{code:0{device.digits}d}", seconds_left


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code of a demo account (DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="physician or manager (any account with an authenticator)")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code reads an authenticator's key: DEBUG only.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}. Run `manage.py seed_demo` for the demo accounts.")
        device = confirmed_device(user)
        if device is None:
            raise CommandError(f"{username} has no authenticator: they sign in with the password alone.")
        while (found := next_usable_code(device, now=time.time())) is None:
            time.sleep(1)
        code, seconds_left = found
        self.stdout.write(code)
        self.stderr.write(f"(the code of {username}, valid for about {seconds_left} more seconds, once)")
