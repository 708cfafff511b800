"""What the treatments services announce, for the apps built on treatments (aftercare's emails).

Treatments does not import the apps that follow it: they connect receivers here (aftercare/receivers.py,
in its AppConfig.ready). The session signals are sent inside the service's transaction with `send`, not
`send_robust`: a receiver that fails rolls the whole write back, so a performed session and its
aftercare reminders are committed together or not at all (invariant 4).
"""

from django.dispatch import Signal

# Sent with `session` and `now` when a session is booked, and again when it is moved.
session_booked = Signal()
session_moved = Signal()
# Sent with `session` and `now` when the patient is checked in at reception (status "arrived").
session_arrived = Signal()
# Sent with `session` once it is signed off as performed.
session_performed = Signal()
# Sent with `session` and `now` once it is cancelled or marked as a no-show (its status says which; a cancelled one
# carries the staff's `cancel_reason`, which is never for the patient).
session_ended = Signal()

# Asked with `session` by the session's page and its sign-off: each receiver answers a warning for the
# staff (a text in the request's language) or None. Aftercare warns of an area without an aftercare plan.
session_warnings = Signal()


def warnings_for(session) -> list[str]:
    """The warnings the apps built on treatments have about this session, in the order they answered."""
    return [warning for _receiver, warning in session_warnings.send(sender=type(session), session=session) if warning]
