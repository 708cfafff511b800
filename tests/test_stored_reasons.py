"""Why an aftercare email was cancelled is stored in English, whoever clicked and in whatever language, and is
shown in the language of the page that displays it (the delivery dashboard, the patient page, the history page).

Until this was fixed, a receptionist working in Turkish who cancelled a session stored
"The session was i̇ptal edildi." (an English sentence around the Turkish status word).
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from aftercare.models import Reminder
from aftercare.services import session_status_reason
from meso_clinic.overview.history_lines import record_history, words
from meso_clinic.overview.record_views import history_url_name
from patients.templatetags.recorded_text import stored_text
from tests.fixtures.treatments import HOUR, NOW, course_with_consent, product, travel
from treatments.models import Session
from treatments.services import session_book, session_cancel, session_reschedule


@pytest.fixture
def booked(patient, reception, physician) -> Session:
    """Zeynep (she consents to emails) has a session next week, so its pre-session email is pending."""
    course, _ = course_with_consent(patient, by=reception, at=NOW - HOUR)
    with travel(NOW):
        return session_book(
            patient=patient,
            course=course,
            indication=course.indication,
            products=[product("Revitalising vitamin complex")],
            technique="needles",
            practitioner=physician,
            supervising_physician=physician,
            scheduled_at=NOW + 7 * 24 * HOUR,
            booked_by=reception,
        )


def _reason(session: Session) -> str:
    reminder = Reminder.objects.get(session=session, kind="pre_session")
    assert reminder.status == Reminder.Status.CANCELLED
    return reminder.last_error


@pytest.mark.parametrize(
    ("no_show", "english"),
    [(False, "The session was cancelled."), (True, "The session was marked as a no-show.")],
)
def test_a_session_cancelled_in_turkish_stores_its_reason_in_english(booked, reception, no_show, english):
    # A no-show is marked once the session's time has come; a cancellation needs the staff's reason.
    with translation.override("tr"), travel(booked.scheduled_at if no_show else NOW):
        session_cancel(session=booked, by=reception, no_show=no_show, reason="Hasta aradı.")
    stored = _reason(booked)
    assert stored == english
    assert re.fullmatch(r"[A-Za-z .-]+", stored), stored  # not a letter of Turkish in it
    with translation.override("tr"):
        # Every page shows it through gettext: Turkish once the catalogue has the sentence (the lead adds it).
        assert stored_text(stored) == gettext(english)
        assert words(Reminder._meta.get_field("last_error"), stored) == gettext(english)


def test_the_history_page_shows_a_stored_reason_in_the_language_of_the_page(booked, reception):
    """Moving a session cancels its email with "The session was moved.", which the catalogue has in Turkish."""
    with travel(NOW):
        session_reschedule(session=booked, scheduled_at=NOW + 8 * 24 * HOUR, by=reception)
    cancelled = Reminder.objects.filter(session=booked, kind="pre_session").first()
    # The moved session's email is made again (same row, pending again): the reason is in the row's history.
    with translation.override("tr"):
        rows = record_history(Reminder, cancelled.pk)
        shown = [line.after for row in rows for line in row.lines if line.label == gettext("Last error")]
    assert "Seans taşındı." in shown
    assert "The session was moved." not in shown
    with translation.override("en"):
        rows = record_history(Reminder, cancelled.pk)
    assert "The session was moved." in [line.after for row in rows for line in row.lines]


def test_text_the_app_did_not_write_is_shown_as_it_was_stored():
    """An SMTP server's answer is not in the catalogue: shown as it is, in any language."""
    with translation.override("tr"):
        assert words(Reminder._meta.get_field("last_error"), "550 5.1.1 mailbox unavailable") == (
            "550 5.1.1 mailbox unavailable"
        )


def test_every_session_status_has_an_english_reason():
    """Each status has its own text, marked for the catalogue (the fallback used to be f"The session is {status}.",
    untranslatable, and "The session is arrived." for a checked-in patient)."""
    from aftercare.services import _SESSION_CHANGED, _SESSION_IS, _SESSION_WAS

    assert set(Session.Status.values) <= set(_SESSION_IS)
    marked = {*_SESSION_IS.values(), *_SESSION_WAS.values()}  # each written as gettext_noop("...")
    for status in Session.Status.values:
        for just_changed in (False, True):
            reason = session_status_reason(status, just_changed=just_changed)
            assert reason in marked and reason != _SESSION_CHANGED, status
    assert session_status_reason("arrived") == "The patient has arrived for the session."
    assert session_status_reason("some_new_status") == "The session's status changed."  # marked too
    assert session_status_reason("cancelled") == "The session is cancelled."  # found so by a send
    assert session_status_reason("cancelled", just_changed=True) == "The session was cancelled."  # cancelled now


def test_the_history_page_in_turkish_shows_the_reason(client, booked, reception, physician):
    with travel(NOW):
        session_reschedule(session=booked, scheduled_at=NOW + 8 * 24 * HOUR, by=reception)
    reminder = Reminder.objects.get(session=booked, kind="pre_session")
    client.force_login(physician)
    html = client.get(reverse(history_url_name(Reminder), args=[reminder.pk]), HTTP_ACCEPT_LANGUAGE="tr").content
    assert "Seans taşındı." in html.decode()
