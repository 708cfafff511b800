"""Shared fixtures. Staff are named after their role so a test reads like the clinic:

- `reception` (Selin) registers patients and takes intakes;
- `nurse` (Ayşe) applies and reads patch tests;
- `physician` (Dr. Yılmaz) reviews eligibility;
- `manager` (Elif) runs the clinic and the admin site;
- `outsider` has an account but no clinic role: every clinic page must refuse them.
"""

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Locally hypothesis explores new random cases on every run (and keeps failures in .hypothesis/);
# CI replays a fixed sequence (HYPOTHESIS_PROFILE=ci) so that a landing never hangs on luck.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Playwright's sync API runs an event loop in the test thread; the ORM calls a test makes around
# it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.fixtures.staff",
    "tests.fixtures.services",
    "tests.fixtures.browser",
    "tests.fixtures.smtp",
    "tests.fixtures.content",
    "tests.fixtures.a11y",
    "tests.fixtures.world",
]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests create many accounts: a fast hasher there (production keeps Django's PBKDF2)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own():
    """A request through the test client leaves its language (LocaleMiddleware) active in this thread:
    after a Turkish page, the next test's services would answer in Turkish. Each test starts in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
