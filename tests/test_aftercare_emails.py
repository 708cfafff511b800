"""Aftercare emails as the patient gets them: every kind, in English and Turkish, rendered from the
editable texts; and the sender's last look before sending (consent withdrawn, session cancelled).

The clock stands still at NOW (23 Nov 2026, 12:30 in Istanbul). Sessions are made through the
services (`performed_session`, as in test_aftercare_pipeline.py). No worker: the tests render with
`aftercare.emails.render_reminder` and send with `aftercare.services.reminder_send` in-process, to a
real local SMTP server where sending is the point.
"""

import html
import importlib
import re
from urllib.parse import urlsplit

import pytest
import time_machine

from aftercare import services
from aftercare.emails import message_id, render_reminder
from aftercare.links import read_report_token, read_unsubscribe_token
from aftercare.models import Reminder, ReminderMessage
from aftercare.schedule import ReminderKind
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import HOUR, NOW, course_with_consent, product
from treatments.services import session_book, session_cancel

CONTENT = importlib.import_module("aftercare.migrations.0002_aftercare_content")  # the clinic's texts
INSTRUCTIONS = {"en": CONTENT.INSTRUCTIONS_EN.splitlines(), "tr": CONTENT.INSTRUCTIONS_TR.splitlines()}
ALL_KINDS = [kind.value for kind in ReminderKind if not kind.carries_invite]  # those: test_appointment_emails.py
REPORT_LINK = re.compile(r"https?://[^\s\"<>]+/r/[^\s\"<>/]+/")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def claim_due(capture, *, now) -> list[tuple[int, str]]:
    """What beat does: claim the due rows; the enqueue (on commit) is recorded instead of sent to a broker."""
    claimed: list[tuple[int, str]] = []
    with capture(execute=True):
        services.reminders_dispatch(now=now, enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    return claimed


@pytest.fixture
def session(patient, reception, nurse, physician):
    """Zeynep's session, performed at NOW: six aftercare reminders, and the cancelled pre-session one."""
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


def reminders_of(session) -> dict[str, Reminder]:
    return {r.kind: r for r in Reminder.objects.filter(session=session).select_related("session__patient")}


def text_and_html(email) -> tuple[str, str]:
    assert len(email.alternatives) == 1
    content, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    return email.body, content


def visible_text(markup: str) -> str:
    """The HTML part as a reader sees it: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# --- Rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "tr"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_renders_in_the_patients_language_with_both_parts(session, patient, kind, language):
    patient.preferred_language = language
    patient.save()
    reminder = reminders_of(session)[kind]
    words = ReminderMessage.objects.get(kind=kind, language=language)

    email = render_reminder(reminder)

    # The subject shows on lock screens: the editable subject and the clinic's name, nothing about the patient.
    assert email.subject == f"{words.subject} · MesoClinic"
    assert email.subject.endswith(" · MesoClinic")
    for private in (patient.given_name, patient.family_name, patient.email, patient.phone):
        assert private not in email.subject
    assert email.to == ["zeynep@example.com"]
    text, markup = text_and_html(email)
    assert "<" not in text.replace("<https", "")  # the plain part is plain
    greeting = "Merhaba Zeynep," if language == "tr" else "Hello Zeynep,"
    assert text.startswith(greeting)
    assert greeting in visible_text(markup)
    for paragraph in words.body.split("\n\n"):
        assert paragraph.strip() in text
        assert " ".join(paragraph.split()) in visible_text(markup)
    # Every email carries the way to report a side effect and the warning signs to call about.
    assert len(REPORT_LINK.findall(text)) == 1 and len(REPORT_LINK.findall(markup)) == 1
    assert "+90 212 555 0100" in text
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    ("language", "greeting", "heading", "other"),
    [
        ("en", "Hello Zeynep,", "Your aftercare instructions:", "tr"),
        ("tr", "Merhaba Zeynep,", "Bakım talimatlarınız:", "en"),
    ],
)
def test_the_aftercare_sheet_lists_every_instruction_of_the_plan(session, patient, language, greeting, heading, other):
    patient.preferred_language = language
    patient.save()
    text, markup = text_and_html(render_reminder(reminders_of(session)["aftercare_sheet"]))
    shown = visible_text(markup)
    assert text.startswith(greeting) and heading in text and heading in shown
    assert len(INSTRUCTIONS[language]) == len(INSTRUCTIONS[other]) >= 10  # the plan's lines, each checked below
    for line in INSTRUCTIONS[language]:
        assert f"- {line}\n" in text  # plain text: one instruction a line, with its apostrophes intact
        assert line in shown
    for line in INSTRUCTIONS[other]:
        assert line not in text


def test_only_the_sheet_carries_the_instructions_and_only_the_pre_session_email_the_date(session, patient):
    reminders = reminders_of(session)
    day1, _ = text_and_html(render_reminder(reminders["check_in_day1"]))
    assert INSTRUCTIONS["en"][0] not in day1 and "Your aftercare instructions:" not in day1
    pre, _ = text_and_html(render_reminder(reminders["pre_session"]))
    # The session was booked for 11:30 Istanbul time (NOW - 1 h): the date is clinic time, in words.
    assert "Your session: 23 November 2026, 11:30." in pre
    patient.preferred_language = "tr"
    patient.save()
    pre_tr, _ = text_and_html(render_reminder(Reminder.objects.get(pk=reminders["pre_session"].pk)))
    assert "Seansınız: 23 Kasım 2026, 11:30." in pre_tr


def test_a_turkish_html_email_declares_its_language(session, patient):
    patient.preferred_language = "tr"
    patient.save()
    _, markup = text_and_html(render_reminder(reminders_of(session)["check_in_day1"]))
    assert '<html lang="tr">' in markup


def test_the_message_id_is_the_same_every_time_it_is_rendered(session):
    reminder = reminders_of(session)["check_in_day1"]
    first, second = render_reminder(reminder), render_reminder(reminder)
    expected = f"<reminder-{reminder.pk}-{session.pk}@mesoclinic.example>"
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == expected == message_id(reminder)
    assert first.message()["Message-ID"] == second.message()["Message-ID"] == expected
    others = {render_reminder(r).extra_headers["Message-ID"] for r in reminders_of(session).values()}
    assert len(others) == len(ALL_KINDS) + 1  # one id per reminder (the booking confirmation's too)


def test_the_report_link_is_signed_and_opens_the_report_page_without_signing_in(client, session, settings):
    settings.SITE_URL = "https://clinic.test"
    reminder = reminders_of(session)["check_in_day3"]
    text, markup = text_and_html(render_reminder(reminder))
    [link] = REPORT_LINK.findall(text)
    assert link.startswith("https://clinic.test/r/")
    assert REPORT_LINK.findall(markup) == [link]
    token = urlsplit(link).path.split("/")[2]
    assert read_report_token(token) == {"s": session.pk, "r": reminder.pk}  # ids only, signed

    response = client.get(urlsplit(link).path)
    assert response.status_code == 200
    assert "Report a side effect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_unsubscribe_header_points_at_a_signed_page_that_only_asks(client, session, patient):
    email = render_reminder(reminders_of(session)["rest_over"])
    header = email.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">")
    url = header[1:-1]
    text, markup = text_and_html(email)
    assert url in text and url in html.unescape(markup)
    token = urlsplit(url).path.split("/")[2]
    assert read_unsubscribe_token(token) == {"p": patient.pk}
    assert email.message()["List-Unsubscribe"] == header

    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert "Yes, stop the emails" in response.content.decode()
    patient.refresh_from_db()
    assert patient.email_consent is True


def test_an_edited_text_applies_to_a_reminder_not_yet_sent(session, patient):
    reminder = reminders_of(session)["check_in_day1"]
    before, _ = text_and_html(render_reminder(reminder))
    assert "It is one day since your session." in before

    words = ReminderMessage.objects.get(kind="check_in_day1", language="en")
    words.subject = "How is the treated area today?"
    words.body = "A day has passed since your visit.\n\nWrite to us through the link below if anything worries you."
    words.save()

    email = render_reminder(Reminder.objects.get(pk=reminder.pk))
    text, markup = text_and_html(email)
    assert Reminder.objects.get(pk=reminder.pk).status == "pending"
    assert email.subject == "How is the treated area today? · MesoClinic"
    assert "A day has passed since your visit." in text and "It is one day since your session." not in text
    assert "Write to us through the link below" in visible_text(markup)


def test_a_turkish_patient_gets_english_words_when_a_turkish_text_is_missing(session, patient):
    patient.preferred_language = "tr"
    patient.save()
    ReminderMessage.objects.filter(kind="rest_over", language="tr").delete()
    email = render_reminder(reminders_of(session)["rest_over"])
    assert email.subject == "Your two days of rest are over · MesoClinic"


def test_a_subject_cannot_break_the_header(session):
    ReminderMessage.objects.filter(kind="check_in_day1", language="en").update(subject="How are you\nBcc: x@evil.test")
    email = render_reminder(reminders_of(session)["check_in_day1"])
    assert email.subject == "How are you Bcc: x@evil.test · MesoClinic"
    assert email.message()["Bcc"] is None


# --- Sending --------------------------------------------------------------------------------------


def test_a_claimed_reminder_is_sent_with_both_parts(django_capture_on_commit_callbacks, smtp_server, session):
    claimed = claim_due(django_capture_on_commit_callbacks, now=NOW)
    sheet = reminders_of(session)["aftercare_sheet"]
    assert [pk for pk, _ in claimed] == [sheet.pk]  # only the sheet is due at once

    assert services.reminder_send(reminder_id=claimed[0][0], token=claimed[0][1], now=NOW) == "sent"

    [received] = smtp_server.handler.messages
    assert received.rcpt_tos == ["zeynep@example.com"]
    assert received.message["Subject"] == "Your aftercare instructions · MesoClinic"
    assert received.message_id == message_id(sheet)
    assert received.message["List-Unsubscribe"].strip().startswith("<http")  # a long header may be folded
    assert "Hello Zeynep," in received.message.get_body(("plain",)).get_content()
    assert "Hello Zeynep," in received.message.get_body(("html",)).get_content()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.sent_at, sheet.message_id) == ("sent", NOW, message_id(sheet))


def test_a_patient_who_withdrew_consent_is_not_sent_the_claimed_reminder(
    django_capture_on_commit_callbacks, smtp_server, session, patient
):
    [(pk, token)] = claim_due(django_capture_on_commit_callbacks, now=NOW)
    # Between the claim and the send the patient withdraws consent (at the front desk, say).
    patient.email_consent = False
    patient.save()

    assert services.reminder_send(reminder_id=pk, token=token, now=NOW) == "cancelled"

    reminder = Reminder.objects.get(pk=pk)
    assert reminder.status == "cancelled"
    assert reminder.last_error == "The patient has not consented to emails (or has no address)."
    assert (reminder.sent_at, reminder.message_id) == (None, "")
    assert smtp_server.handler.messages == []
    # Sending the same claim again does nothing either.
    assert services.reminder_send(reminder_id=pk, token=token, now=NOW) == "skipped"
    assert smtp_server.handler.messages == []


def test_a_cancelled_session_is_not_sent_its_claimed_pre_session_reminder(
    django_capture_on_commit_callbacks, smtp_server, patient, reception, physician
):
    vitamins = product("Revitalising vitamin complex")
    course, _ = course_with_consent(patient, by=reception, at=NOW - HOUR)
    # Booked for the day after tomorrow: under three days ahead, so the instructions are due at once.
    booked = session_book(
        patient=patient,
        course=course,
        indication=course.indication,
        products=[vitamins],
        technique="needles",
        practitioner=physician,
        supervising_physician=physician,
        scheduled_at=NOW + 2 * 24 * HOUR,
        booked_by=reception,
    )
    claimed = dict(claim_due(django_capture_on_commit_callbacks, now=NOW))
    [pk] = [pk for pk in claimed if Reminder.objects.get(pk=pk).kind == "pre_session"]  # and the confirmation
    token = claimed[pk]
    # The session is cancelled while the reminder is already claimed (cancelling touches pending rows only).
    session_cancel(session=booked, by=reception, reason="The patient called off.")
    assert Reminder.objects.get(pk=pk).status == "sending"

    assert services.reminder_send(reminder_id=pk, token=token, now=NOW) == "cancelled"

    reminder = Reminder.objects.get(pk=pk)
    assert (reminder.status, reminder.last_error) == ("cancelled", "The session is cancelled.")
    assert smtp_server.handler.messages == []


def test_cancelling_a_session_cancels_its_pending_reminder_with_the_reason(patient, reception, physician):
    vitamins = product("Revitalising vitamin complex")
    course, _ = course_with_consent(patient, by=reception, at=NOW - HOUR)
    booked = session_book(
        patient=patient,
        course=course,
        indication=course.indication,
        products=[vitamins],
        technique="needles",
        practitioner=physician,
        supervising_physician=physician,
        scheduled_at=NOW + 7 * 24 * HOUR,
        booked_by=reception,
    )
    reminder = Reminder.objects.get(session=booked, kind="pre_session")
    assert (reminder.kind, reminder.status) == ("pre_session", "pending")
    session_cancel(session=booked, by=reception, reason="The patient called off.")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == ("cancelled", "The session was cancelled.")
