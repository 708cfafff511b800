"""Her own intake link in the booking confirmation (issue 15).

A patient booked with no screening that will be valid at the session (no approval valid on its day, none waiting
for review) gets, in her booking confirmation, a link to answer the health questions and sign the consent on her
phone. The link is an ordinary intake invitation (patients/invitations.py: random token, only its SHA-256 kept,
/q/ masked in logs, spent once her steps are done), made when the email is sent and ending at the session at the
latest.

One live link per confirmation. The token cannot be read back from its hash, so a send tried again (a retry after
an SMTP failure, or a lease run out before the row was marked sent) cannot repeat the earlier link: it replaces it.
Under the reminder's row lock, the earlier invitation of this reminder (Reminder.intake_invitation), if she has not
submitted it, is spent and its draft carried to the new one, which the row then names; committed before the
email goes out, so the link in a delivered email is always the row's (an email that failed at the relay leaves a
live link nobody received: the retry spends it).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from patients.invitations import invitation_create, invitation_spend, link_url
from patients.models import IntakeInvitation
from patients.selectors import intake_needed

from .models import Reminder
from .schedule import ReminderKind


def booking_intake_url(reminder: Reminder, *, now: dt.datetime) -> str:
    """The intake link for this booking confirmation, a fresh one per send; "" when she needs none."""
    session = reminder.session
    if reminder.kind != ReminderKind.BOOKING_CONFIRMED:
        return ""
    if not intake_needed(patient=session.patient, on=timezone.localdate(session.scheduled_at)):
        return ""
    with transaction.atomic():
        locked = (
            Reminder.objects.select_for_update(of=("self",)).select_related("intake_invitation").get(pk=reminder.pk)
        )
        earlier = locked.intake_invitation
        draft: dict[str, str] = {}
        if earlier is not None and earlier.submitted_at is None and earlier.spent_at is None:
            draft = earlier.draft
            invitation_spend(invitation=earlier, at=now)
        invitation, token = invitation_create(
            patient=session.patient,
            created_by=session.booked_by,
            channel=IntakeInvitation.Channel.LINK,
            at=now,
            until=session.scheduled_at,
            draft=draft,
        )
        Reminder.objects.filter(pk=reminder.pk).update(intake_invitation=invitation)
    return link_url(token)
