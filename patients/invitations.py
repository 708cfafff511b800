"""The patient's own intake (issue 15): invitations by emailed link or on the clinic's tablet, her draft, her submit.

A link's token is 32 random bytes (URL-safe); the database keeps only its SHA-256, so neither a dump nor a log
line opens her questionnaire (the path prefix is masked in request logs: patients/apps.py). A token row rather
than a signed token, because a link is spent once used and her answers are kept until she submits.

Steps after the intake (the consents, in treatments) are registered by the apps that own them
(`register_step`), so that this app names none of their pages: treatments/apps.py registers its own.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import questionnaire
from .models import EligibilityScreening, IntakeInvitation, Patient
from .services import screening_take

TOKEN_BYTES = 32
# The path of her pages (patients/link_urls.py): "/q/<token>/...". Registered for masking in patients/apps.py.
LINK_PREFIX = "/q/"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_path(token: str) -> str:
    return reverse("intake:start", args=[token])


def link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + link_path(token)


class LinkProblem(Exception):
    """A link that opens nothing: `problem` is "invalid" (404: unknown or tampered), "expired" or "spent" (410)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem

    @property
    def status(self) -> int:
        return 404 if self.problem == "invalid" else 410


def invitation_create(
    *, patient: Patient, created_by: User, channel: str, at: dt.datetime | None = None,
    until: dt.datetime | None = None, draft: dict[str, str] | None = None,
) -> tuple[IntakeInvitation, str]:
    """A new invitation and its token (returned once, never stored). The tablet's lasts the visit, a link days;
    neither outlasts `until` (a booking confirmation's link ends at the session). `draft`: answers carried over
    from an invitation this one replaces."""
    at = at or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    lasts = (
        dt.timedelta(hours=settings.INTAKE_TABLET_MAX_AGE_HOURS)
        if channel == IntakeInvitation.Channel.TABLET
        else dt.timedelta(days=settings.INTAKE_LINK_MAX_AGE_DAYS)
    )
    invitation = IntakeInvitation.objects.create(
        patient=patient,
        token_hash=hash_token(token),
        channel=channel,
        created_by=created_by,
        created_at=at,
        expires_at=min(at + lasts, until) if until is not None else at + lasts,
        draft=draft or {},
    )
    return invitation, token


class NoAddress(Exception):
    """The patient has no email address to send the link to."""


def invitation_send(*, patient: Patient, created_by: User) -> IntakeInvitation:
    """Email her a link to her intake questionnaire, in her language (sent once the row is committed)."""
    if not patient.email:
        raise NoAddress
    with transaction.atomic():
        invitation, token = invitation_create(
            patient=patient, created_by=created_by, channel=IntakeInvitation.Channel.LINK
        )
        email = _invitation_email(patient=patient, url=link_url(token))
        transaction.on_commit(email.send)
    return invitation


def _invitation_email(*, patient: Patient, url: str) -> EmailMultiAlternatives:
    language = patient.language
    context = {
        "name": patient.given_name,
        "url": url,
        "days": settings.INTAKE_LINK_MAX_AGE_DAYS,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "language": language,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("emails/intake_link_subject.txt", context).split())
        text = render_to_string("emails/intake_link.txt", context)
        html = render_to_string("emails/intake_link.html", context)
    email = EmailMultiAlternatives(
        subject=f"{subject} · {settings.CLINIC_NAME}", body=text, to=[patient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email


def invitation_for(token: str, *, at: dt.datetime | None = None, for_update: bool = False) -> IntakeInvitation:
    """The open invitation of this token, or LinkProblem. A submitted one is still open while steps remain."""
    if not token or len(token) > 100:
        raise LinkProblem("invalid")
    rows = IntakeInvitation.objects.select_related("patient")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise LinkProblem("invalid")
    if invitation.spent_at is not None:
        raise LinkProblem("spent")
    if (at or timezone.now()) >= invitation.expires_at:
        raise LinkProblem("expired")
    return invitation


# --- Her answers, section by section ----------------------------------------------------------------------


def section_keys(number: int) -> list[str]:
    """The answer keys of section `number` (0-based), follow-ups included."""
    section = questionnaire.SECTIONS[number]
    return [q.key for top in section.questions for q in (top, *top.follow_ups)]


def draft_save(*, invitation: IntakeInvitation, number: int, data: dict[str, str]) -> None:
    """Keep what she answered in one section (even with answers missing: nothing she typed is lost)."""
    keys = section_keys(number)
    kept = {key: value for key, value in invitation.draft.items() if key not in keys}
    kept.update({key: data[key] for key in keys if data.get(key) not in (None, "")})
    # Conditional on not yet submitted: a section saved from a second tab after the submit changes nothing.
    IntakeInvitation.objects.filter(pk=invitation.pk, submitted_at__isnull=True).update(draft=kept)
    invitation.draft = kept


class AlreadySubmitted(Exception):
    """This invitation's answers were submitted before (a double tap, a second tab): its screening."""

    def __init__(self, screening: EligibilityScreening | None) -> None:
        super().__init__("already submitted")
        self.screening = screening


def invitation_submit(
    *, token: str, answers: dict[str, Any], at: dt.datetime | None = None
) -> EligibilityScreening:
    """Her answers become one screening, through the same rules and service as the staff intake.

    The invitation's row is locked first, and `screening` is unique besides: of two submits at once (a double
    tap), one writes the screening and the other gets AlreadySubmitted with it.
    """
    at = at or timezone.now()
    try:
        with transaction.atomic():
            invitation = invitation_for(token, at=at, for_update=True)
            if invitation.submitted_at is not None:
                raise AlreadySubmitted(invitation.screening)
            screening = screening_take(
                patient=invitation.patient,
                answers=answers,
                taken_by=invitation.created_by,
                answered_by=invitation.answered_by,
                at=at,
            )
            updated = IntakeInvitation.objects.filter(pk=invitation.pk, submitted_at__isnull=True).update(
                submitted_at=at, screening=screening, draft={}
            )
            if not updated:  # pragma: no cover - the row lock makes this unreachable; the guard keeps one screening
                raise IntegrityError("invitation submitted twice")
    except IntegrityError:
        invitation = IntakeInvitation.objects.select_related("screening").get(token_hash=hash_token(token))
        raise AlreadySubmitted(invitation.screening) from None
    if not remaining_steps(invitation):
        IntakeInvitation.objects.filter(pk=invitation.pk).update(spent_at=at)
    return screening


def invitation_spend(*, invitation: IntakeInvitation, at: dt.datetime | None = None) -> None:
    IntakeInvitation.objects.filter(pk=invitation.pk, spent_at__isnull=True).update(spent_at=at or timezone.now())


# --- Steps after the intake, owned by other apps -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    pending: Callable[[IntakeInvitation], bool]  # whether she still has this step to do
    url: Callable[[str], str]  # its page, for the link's token


_steps: list[Step] = []


def register_step(step: Step) -> None:
    """Add a step after the intake (in the order registered); the app that owns its page registers it."""
    if all(s.name != step.name for s in _steps):
        _steps.append(step)


def next_step_url(invitation: IntakeInvitation, token: str) -> str | None:
    step = next((s for s in _steps if s.pending(invitation)), None)
    return step.url(token) if step is not None else None


def remaining_steps(invitation: IntakeInvitation) -> bool:
    return any(s.pending(invitation) for s in _steps)
