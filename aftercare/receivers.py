"""Aftercare's answers to what the treatments services announce (treatments/signals.py).

Connected in AftercareConfig.ready. Each runs inside the treatments service's transaction, so the
reminders are written (or cancelled) together with the session they belong to.
"""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from treatments import signals

from . import services
from .schedule import ReminderKind
from .selectors import has_aftercare_plan


@receiver(signals.session_booked, dispatch_uid="aftercare.session_booked")
def _booked(sender, *, session, now, **kwargs) -> None:
    services.reminder_for_booked_session(session, now=now)
    services.appointment_email(session, ReminderKind.BOOKING_CONFIRMED, now=now)


@receiver(signals.session_moved, dispatch_uid="aftercare.session_moved")
def _moved(sender, *, session, now, **kwargs) -> None:
    services.reminders_cancel(session, reason=gettext_noop("The session was moved."))
    services.reminder_for_booked_session(session, now=now)
    services.appointment_email(session, ReminderKind.SESSION_MOVED, now=now)


@receiver(signals.session_arrived, dispatch_uid="aftercare.session_arrived")
def _arrived(sender, *, session, **kwargs) -> None:
    # She is here: instructions or a confirmation not yet out would only arrive after the fact.
    services.reminders_cancel(session, reason=services.session_status_reason(session.status))


@receiver(signals.session_performed, dispatch_uid="aftercare.session_performed")
def _performed(sender, *, session, **kwargs) -> None:
    services.reminders_for_performed_session(session)


@receiver(signals.session_ended, dispatch_uid="aftercare.session_ended")
def _ended(sender, *, session, now=None, **kwargs) -> None:
    # Stored in English whatever the language of the page (pages translate it when they show it).
    services.reminders_cancel(session, reason=services.session_status_reason(session.status, just_changed=True))
    if session.status == session.Status.CANCELLED:  # a no-show is not told; the staff's reason is never sent
        services.appointment_email(session, ReminderKind.SESSION_CANCELLED, now=now or timezone.now())


@receiver(signals.session_warnings, dispatch_uid="aftercare.no_plan_warning")
def _no_plan(sender, *, session, **kwargs) -> str | None:
    if has_aftercare_plan(session.area_id):
        return None
    return _(
        "%(area)s has no aftercare plan: after this session the patient gets no aftercare sheet and no aftercare "
        "emails. Ask the clinic manager to add the plan (Aftercare plans, on the administration site)."
    ) % {"area": session.area.name}
