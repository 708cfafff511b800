"""Her own satisfaction from the +14-day recovery-review email (issue 16): a signed link, no sign-in, in her
language, five big buttons; one answer per session (a second answer replaces the first); expired, tampered and
foreign tokens refused; the token masked in request logs."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from aftercare.emails import render_reminder
from aftercare.links import satisfaction_token, satisfaction_url, unsubscribe_token
from aftercare.models import Reminder
from meso_clinic.core.history import PATIENT_LINK
from meso_clinic.core.models import HistoryEntry
from meso_clinic.core.request_logs import MASK, mask_tokens
from tests.fixtures.aftercare import performed_session
from treatments.models import OutcomeScore

DAY = dt.timedelta(days=1)


@pytest.fixture
def session(patient, reception, nurse, physician):
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())


def path_of(session) -> str:
    return reverse("aftercare:satisfaction", args=[satisfaction_token(session_id=session.pk)])


def test_the_recovery_review_email_carries_her_link_and_the_others_do_not(session):
    reminders = {r.kind: r for r in Reminder.objects.filter(session=session).select_related("session__patient")}
    review = render_reminder(reminders["recovery_review"])
    url = satisfaction_url(session_id=session.pk)
    assert url in review.body and url in review.alternatives[0][0]
    assert all("/satisfaction/" not in render_reminder(r).body for kind, r in reminders.items()
               if kind != "recovery_review")


def test_she_answers_without_signing_in_and_a_second_answer_replaces_the_first(client, session):
    page = client.get(path_of(session))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('name="value"') == 5
    assert "1 Very dissatisfied" in html and "5 Very satisfied" in html
    response = client.post(path_of(session), {"value": "4"})
    assert response.status_code == 200 and 'data-testid="satisfaction-saved"' in response.content.decode()
    client.post(path_of(session), {"value": "5"})
    score = OutcomeScore.objects.get()
    assert (score.value, score.by_patient, score.recorded_by, score.session, score.course) == (
        5, True, None, session, session.course)
    assert HistoryEntry.objects.filter(object_id=score.pk, actor=PATIENT_LINK).count() == 2


def test_the_page_is_in_her_language(client, session):
    type(session.patient).objects.filter(pk=session.patient_id).update(preferred_language="tr")
    html = client.get(path_of(session)).content.decode()
    assert 'lang="tr"' in html and "Cilt yenileme" in html  # her treatment as the catalogue names it in Turkish


@pytest.mark.parametrize("value", ["0", "6", "abc", ""])
def test_an_answer_off_the_scale_is_refused_and_nothing_saved(client, session, value):
    response = client.post(path_of(session), {"value": value})
    assert response.status_code == 400 and "Please choose one of the five answers." in response.content.decode()
    assert not OutcomeScore.objects.exists()


def test_a_tampered_or_foreign_token_is_not_valid(client, session):
    token = satisfaction_token(session_id=session.pk)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), unsubscribe_token(patient_id=session.pk),
                signing.dumps({"s": session.pk}, salt="aftercare.report.v1", compress=True)):
        response = client.post(reverse("aftercare:satisfaction", args=[bad]), {"value": "5"})
        assert response.status_code == 404
    assert not OutcomeScore.objects.exists()


def test_an_expired_link_is_refused(client, session):
    path = path_of(session)
    with time_machine.travel(timezone.now() + 91 * DAY):
        response = client.post(path, {"value": "5"})
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert not OutcomeScore.objects.exists()


def test_her_token_is_masked_in_request_logs(session):
    path = path_of(session)
    token = satisfaction_token(session_id=session.pk)
    assert token not in mask_tokens(path) and MASK in mask_tokens(path)
