"""The calendar entry (.ics, RFC 5545 / iTIP RFC 5546) attached to the emails about an appointment.

Pure: no ORM, no settings, no clock; the caller passes every value. One session is one calendar event for
good: its UID is stable, so the entry sent with the booking confirmation is updated in place by the one
sent after a move (a higher SEQUENCE, METHOD:REQUEST) and removed by the one sent after a cancellation
(METHOD:CANCEL, STATUS:CANCELLED). Times are written in UTC, so no VTIMEZONE is needed.
"""

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//MesoClinic//Sessions//EN"


@dataclass(frozen=True)
class Invite:
    """What the entry says. `description` is for the patient (the clinic's phone); never staff notes."""

    uid: str
    sequence: int
    starts_at: dt.datetime
    minutes: int
    summary: str
    location: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    stamp: dt.datetime
    cancelled: bool = False


def session_uid(session_id: int, domain: str) -> str:
    """The same for every email about one session, so calendars update one entry."""
    return f"session-{session_id}@{domain}"


def invite_ics(invite: Invite) -> bytes:
    """The VCALENDAR with one VEVENT, as bytes (CRLF line ends, folded as RFC 5545 asks)."""
    for name, moment in (("starts_at", invite.starts_at), ("stamp", invite.stamp)):
        if moment.utcoffset() is None:
            raise ValueError(f"`{name}` must be timezone-aware")
    if invite.sequence < 0 or invite.minutes <= 0:
        raise ValueError("the sequence cannot be negative and an appointment lasts some minutes")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp.astimezone(dt.UTC))
    start = invite.starts_at.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=invite.minutes))
    event.add("summary", invite.summary)
    event.add("location", invite.location)
    event.add("description", invite.description)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{invite.organizer_email}")
    organizer.params["cn"] = vText(invite.organizer_name)
    event.add("organizer", organizer)
    # The patient as the one attendee, told she need not answer (RSVP=FALSE): the clinic has booked it.
    attendee = vCalAddress(f"mailto:{invite.attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
