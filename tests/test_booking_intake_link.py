"""Her own intake link in the booking confirmation (issue 15): a patient booked with no screening valid at the
session gets a link to answer the health questions and sign the consent on her phone; one with a valid approval
does not; a send tried again leaves one live link. Then the whole path, from the email to an approved screening
and a signed consent, with no staff typing her answers.

In-process against the real local SMTP server (tests/test_appointment_emails.py's dispatch and send), the clock
at NOW (Monday 23 Nov 2026, 12:30 Istanbul).
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from aftercare.models import Reminder
from patients.models import AnsweredBy, EligibilityScreening, IntakeInvitation
from patients.selectors import review_queue
from patients.services import screening_decide
from tests.fixtures.treatments import DAY, MINUTE, NOW, VITAMINS, product, read_patch_test, travel, wrinkles
from tests.test_appointment_emails import book, ready, send_due  # noqa: F401 - `ready` is a fixture
from tests.test_consent_signing import PHONE, png_data_url
from tests.test_own_intake import answer_everything, section_answers
from treatments.models import Consent, ConsentText, PhotoConsent
from treatments.services import session_book

SENTENCE = "Before your visit, please answer the health questions and sign the consent on your phone"
LINK = re.compile(r"https?://[^\s\"<>]+?(/q/[A-Za-z0-9_-]+/)")


@pytest.fixture(autouse=True)
def clock():
    with travel(NOW) as traveller:
        yield traveller


@pytest.fixture
def new_patient(patient, nurse):
    """Zeynep, never screened, her patch test read: she can be booked."""
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=NOW - 3 * DAY)
    return patient


def book_new(patient, reception, physician, *, at=NOW + 10 * DAY):
    return session_book(
        patient=patient, indication=wrinkles(), products=[product(VITAMINS)], technique="needles",
        practitioner=physician, supervising_physician=physician, scheduled_at=at, booked_by=reception,
    )


def bodies(received) -> tuple[str, str]:
    return (received.message.get_body(("plain",)).get_content(), received.message.get_body(("html",)).get_content())


def link_in(received) -> str:
    """The path of her intake link, the same in the text and the HTML part."""
    text, html = bodies(received)
    found = LINK.search(text)
    assert found and found.group(0).startswith(settings.SITE_URL.rstrip("/") + "/q/"), text
    assert f'href="{found.group(0)}"' in html
    return found.group(1)


def live() -> list[IntakeInvitation]:
    return list(IntakeInvitation.objects.filter(spent_at__isnull=True))


def test_a_new_patient_gets_her_intake_link_ending_at_the_session_and_it_opens_in_her_language(
    django_capture_on_commit_callbacks, smtp_server, client, new_patient, reception, physician
):
    new_patient.preferred_language = "tr"
    new_patient.save()
    session = book_new(new_patient, reception, physician, at=NOW + 5 * DAY)  # sooner than a link's 7 days
    assert list(send_due(django_capture_on_commit_callbacks).values()) == ["sent"]
    [booked] = smtp_server.handler.messages
    path = link_in(booked)
    [invitation] = live()
    assert Reminder.objects.get(kind="booking_confirmed").intake_invitation == invitation
    assert (invitation.patient, invitation.channel, invitation.created_by) == (new_patient, "link", reception)
    assert invitation.expires_at == session.scheduled_at  # never lasts beyond the session
    assert path.split("/")[2] not in str(IntakeInvitation.objects.values().get())  # only its hash is stored
    page = client.get(path)
    assert page.status_code == 200 and '<html lang="tr">' in page.content.decode()


def test_the_sentence_and_link_in_english_and_none_for_a_patient_with_a_valid_approval(
    django_capture_on_commit_callbacks, smtp_server, ready, reception, physician  # noqa: F811
):
    # `ready` approved Zeynep ten days ago (Turkish): her confirmation has no link.
    book(ready, reception, physician, at=NOW + 10 * DAY)
    assert list(send_due(django_capture_on_commit_callbacks).values()) == ["sent"]
    text, html = bodies(smtp_server.handler.messages[0])
    assert "/q/" not in text + html and "Seansınız" in text and not IntakeInvitation.objects.exists()
    # Awaiting review is not a link either: she has answered already.
    EligibilityScreening.objects.update(decision="", decided_by=None, decided_at=None, decision_reason="",
                                        valid_until=None)
    ready[0].preferred_language = "en"
    ready[0].save()
    book(ready, reception, physician, at=NOW + 11 * DAY)
    send_due(django_capture_on_commit_callbacks)
    assert "/q/" not in "".join(bodies(smtp_server.handler.messages[1]))
    # The approval expired by the session's day: a new intake is needed, and the English email says so.
    EligibilityScreening.objects.update(decision="approved", decided_by=physician, decided_at=NOW - 400 * DAY,
                                        decision_reason="Reviewed.", valid_until=(NOW + 11 * DAY).date())
    book(ready, reception, physician, at=NOW + 12 * DAY)
    send_due(django_capture_on_commit_callbacks)
    text, html = bodies(smtp_server.handler.messages[2])
    assert SENTENCE in text and SENTENCE in html and len(live()) == 1
    link_in(smtp_server.handler.messages[2])


def test_a_send_tried_again_leaves_one_live_link_and_keeps_her_answers(
    django_capture_on_commit_callbacks, smtp_server, client, new_patient, reception, physician
):
    capture = django_capture_on_commit_callbacks
    book_new(new_patient, reception, physician)
    smtp_server.handler.refuse_all = True  # 451: the relay asks to try later
    assert list(send_due(capture).values()) == ["retry"]
    assert len(live()) == 1  # made for the try, never received
    smtp_server.handler.refuse_all = False
    later = NOW + 10 * MINUTE
    assert list(send_due(capture, now=later).values()) == ["sent"]
    [first] = smtp_server.handler.messages
    path = link_in(first)
    [invitation] = live()
    assert IntakeInvitation.objects.count() == 2 and client.get(path).status_code == 200
    assert Reminder.objects.get(kind="booking_confirmed").intake_invitation == invitation

    # She answers the first section; then the email goes out again (its lease ran out before it was marked sent).
    client.post(reverse("intake:section", args=[path.split("/")[2], 1]), section_answers(0))
    Reminder.objects.filter(kind="booking_confirmed").update(status="pending", sent_at=None, message_id="")
    assert list(send_due(capture, now=later + MINUTE).values()) == ["sent"]
    again = link_in(smtp_server.handler.messages[1])
    [newest] = live()
    assert again != path and client.get(path).status_code == 410  # the earlier link opens nothing
    assert client.get(again).status_code == 200 and newest.draft == section_answers(0)
    assert Reminder.objects.get(kind="booking_confirmed").intake_invitation == newest


def test_from_the_booking_confirmation_to_an_approved_screening_and_a_signed_consent(
    django_capture_on_commit_callbacks, smtp_server, client, new_patient, reception, physician
):
    new_patient.preferred_language = "tr"
    new_patient.save()
    session = book_new(new_patient, reception, physician)
    send_due(django_capture_on_commit_callbacks)
    path = link_in(smtp_server.handler.messages[0])
    token = path.split("/")[2]

    # She follows the link on her phone, answers every section and sends them.
    assert client.get(path, HTTP_USER_AGENT=PHONE).status_code == 200
    answer_everything(client, token)
    sent = client.post(reverse("intake:summary", args=[token]))
    assert sent["Location"] == reverse("treatments:consent_sign", args=[token])
    [screening] = review_queue()
    assert screening.patient == new_patient and screening.answered_by == AnsweredBy.PATIENT_LINK

    # A physician approves it from the review queue's screening.
    screening_decide(screening=screening, decision="approved", reason="Reviewed.", decided_by=physician,
                     at=NOW + 2 * DAY)
    screening.refresh_from_db()
    assert screening.is_valid_approval_on(session.scheduled_at.date()) and not list(review_queue())

    # She comes back to her link and signs the consent, then answers the photo consent: the link is spent.
    again = client.get(path, follow=True)
    assert again.redirect_chain[-1][0] == reverse("treatments:consent_sign", args=[token])
    text = ConsentText.objects.get(version="1", language="tr")
    signed = client.post(reverse("treatments:consent_sign", args=[token]),
                         {"text": text.pk, "signed_name": "Zeynep Arslan", "signature": png_data_url()},
                         HTTP_USER_AGENT=PHONE)
    assert signed["Location"] == reverse("treatments:photo_consent_sign", args=[token])
    done = client.post(reverse("treatments:photo_consent_sign", args=[token]), {"scope": "record"})
    assert done["Location"] == reverse("intake:done", args=[token])
    client.get(done["Location"])
    consent = Consent.objects.get()
    assert (consent.patient, consent.text, consent.signed_name) == (new_patient, text, "Zeynep Arslan")
    assert PhotoConsent.objects.get().scope == PhotoConsent.Scope.RECORD
    assert not live() and client.get(path).status_code == 410
