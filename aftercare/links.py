"""Signed links in patient emails: report a side effect (expires), unsubscribe (does not).

The token carries ids only; it is signed with SECRET_KEY and a salt per purpose, so a token made
for one purpose cannot be used for the other, and a tampered token is rejected.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

REPORT_SALT = "aftercare.report.v1"
UNSUBSCRIBE_SALT = "aftercare.unsubscribe.v1"


def report_token(*, session_id: int, reminder_id: int | None) -> str:
    return signing.dumps({"s": session_id, "r": reminder_id}, salt=REPORT_SALT, compress=True)


def read_report_token(token: str) -> dict:
    """Raises signing.SignatureExpired or signing.BadSignature."""
    max_age = settings.REPORT_LINK_MAX_AGE_DAYS * 24 * 3600
    return signing.loads(token, salt=REPORT_SALT, max_age=max_age)


def unsubscribe_token(*, patient_id: int) -> str:
    return signing.dumps({"p": patient_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict:
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def report_url(*, session_id: int, reminder_id: int | None) -> str:
    return absolute(reverse("aftercare:report", args=[report_token(session_id=session_id, reminder_id=reminder_id)]))


def unsubscribe_url(*, patient_id: int) -> str:
    return absolute(reverse("aftercare:unsubscribe", args=[unsubscribe_token(patient_id=patient_id)]))


# Her own satisfaction (issue 16), from the recovery-review email (+14 days): one link per session; it lasts as
# long as the report link does.
SATISFACTION_SALT = "aftercare.satisfaction.v1"


def satisfaction_token(*, session_id: int) -> str:
    return signing.dumps({"s": session_id}, salt=SATISFACTION_SALT, compress=True)


def read_satisfaction_token(token: str) -> dict:
    """Raises signing.SignatureExpired or signing.BadSignature."""
    return signing.loads(token, salt=SATISFACTION_SALT, max_age=settings.REPORT_LINK_MAX_AGE_DAYS * 24 * 3600)


def satisfaction_url(*, session_id: int) -> str:
    return absolute(reverse("aftercare:satisfaction", args=[satisfaction_token(session_id=session_id)]))
