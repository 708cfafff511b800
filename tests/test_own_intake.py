"""The patient's own intake (issue 15): her link or the clinic's tablet, her draft, one screening, the same review."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from meso_clinic.core import kiosk
from meso_clinic.core.request_logs import mask_tokens
from patients import questionnaire
from patients.invitations import (
    AlreadySubmitted,
    LinkProblem,
    hash_token,
    invitation_create,
    invitation_submit,
    section_keys,
)
from patients.models import AnsweredBy, EligibilityScreening, IntakeInvitation
from patients.selectors import review_queue
from tests.fixtures.world import project_url_names

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def section_answers(number: int, **changes) -> dict[str, str]:
    """Section `number` (0-based) answered: every yes/no No, every text "none"; then `changes`."""
    section = questionnaire.SECTIONS[number]
    data = {q.key: "False" if q.kind == "yes_no" else "none" for q in section.questions}
    return {**data, **{k: v for k, v in changes.items() if k in section_keys(number)}}


def all_answers(**changes) -> dict:
    """Every section's answers as her form posts them."""
    data: dict = {}
    for number in range(len(questionnaire.SECTIONS)):
        data.update(section_answers(number, **changes))
    return data


def answer_everything(client, token: str, **changes) -> None:
    for number in range(len(questionnaire.SECTIONS)):
        response = client.post(reverse("intake:section", args=[token, number + 1]), section_answers(number, **changes))
        assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def invited(patient, reception):
    invitation, token = invitation_create(patient=patient, created_by=reception, channel=IntakeInvitation.Channel.LINK)
    return invitation, token


def test_only_the_tokens_hash_is_stored_and_the_path_is_masked_in_logs(invited):
    invitation, token = invited
    assert invitation.token_hash == hash_token(token) and token not in str(IntakeInvitation.objects.values().get())
    path = reverse("intake:section", args=[token, 2])
    assert token not in mask_tokens(f'"GET {path} HTTP/1.1" 200')


def test_the_link_opens_in_her_language_with_no_navigation(client, invited, patient):
    patient.preferred_language = "tr"
    patient.save()
    _invitation, token = invited
    page = client.get(reverse("intake:start", args=[token])).content.decode()
    assert '<html lang="tr">' in page and "Zeynep" in page
    assert "navbar" not in page and reverse("patients:list") not in page


@pytest.mark.parametrize(
    ("make", "status", "words"),
    [
        ("tampered", 404, "This link is not valid"),
        ("expired", 410, "This link has expired"),
        ("spent", 410, "This link has already been used"),
    ],
)
def test_a_tampered_expired_or_spent_link_says_so_and_shows_nothing_of_hers(client, invited, make, status, words):
    invitation, token = invited
    if make == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif make == "expired":
        IntakeInvitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at)
    else:
        answer_everything(client, token)
        client.post(reverse("intake:summary", args=[token]))
        client.get(reverse("intake:done", args=[token]) + "?later=1")
    for url in (reverse("intake:start", args=[token]), reverse("intake:section", args=[token, 1]),
                reverse("intake:summary", args=[token])):
        response = client.get(url)
        assert response.status_code == status, url
        page = response.content.decode()
        assert words in page and "Zeynep" not in page and "Arslan" not in page


def test_answers_are_kept_section_by_section_and_a_missing_one_is_shown_at_its_question(client, invited):
    invitation, token = invited
    url = reverse("intake:section", args=[token, 1])
    partial = section_answers(0, takes_nsaid="True")  # yes, but which one is not said yet
    response = client.post(url, partial)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Please answer this question.") == 1 and 'id="id_nsaid_name_error"' in page
    invitation.refresh_from_db()
    assert invitation.draft["takes_nsaid"] == "True" and invitation.draft["current_medicines"] == "none"
    # She leaves and comes back: the page shows what she answered, and the start page offers to continue.
    back = client.get(url).content.decode()
    assert 'value="True" checked' in back.replace('\n', ' ').split('name="takes_nsaid"')[1][:200]
    assert "Continue where I stopped" in client.get(reverse("intake:start", args=[token])).content.decode()


@time_machine.travel(NOW)
def test_submitting_makes_one_screening_answered_by_the_patient_in_the_review_queue(client, invited, reception):
    invitation, token = invited
    answer_everything(client, token, takes_blood_thinner="True", blood_thinner_name="Aspirin 100 mg",
                      blood_thinner_prescribed="False")
    summary = client.get(reverse("intake:summary", args=[token])).content.decode()
    assert "Aspirin 100 mg" in summary and "Send my answers" in summary
    first = client.post(reverse("intake:summary", args=[token]))
    second = client.post(reverse("intake:summary", args=[token]))  # a double tap
    assert first.status_code == 302 and second.status_code in (302, 410)
    screening = EligibilityScreening.objects.get()
    assert screening.answered_by == AnsweredBy.PATIENT_LINK and screening.taken_by == reception
    assert [f["code"] for f in screening.findings] == ["blood_thinner"]
    assert list(review_queue()) == [screening]
    invitation.refresh_from_db()
    assert invitation.screening == screening and invitation.draft == {}


def test_a_submit_with_answers_missing_is_refused_and_keeps_them(client, invited):
    invitation, token = invited
    client.post(reverse("intake:section", args=[token, 1]), section_answers(0))
    response = client.post(reverse("intake:summary", args=[token]))
    assert response.status_code == 200 and "Nothing was sent yet" in response.content.decode()
    assert not EligibilityScreening.objects.exists()
    invitation.refresh_from_db()
    assert invitation.draft["medical_history"] == "none"


def test_a_second_submit_of_the_same_invitation_is_refused_by_the_service(invited):
    _invitation, token = invited
    answers = {key: value == "True" if value in ("True", "False") else value for key, value in all_answers().items()}
    first = invitation_submit(token=token, answers=answers)
    with pytest.raises((AlreadySubmitted, LinkProblem)):
        invitation_submit(token=token, answers=answers)
    assert EligibilityScreening.objects.get() == first


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_make_one_screening_on_postgresql(postgres, patient, reception):
    assert connection.vendor == "postgresql"
    _invitation, token = invitation_create(patient=patient, created_by=reception, channel="link")
    answers = {key: value == "True" if value in ("True", "False") else value for key, value in all_answers().items()}
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        start.wait(timeout=10)
        try:
            invitation_submit(token=token, answers=answers)
            outcomes.append("made")
        except (AlreadySubmitted, LinkProblem):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["made", "refused"]
    assert EligibilityScreening.objects.count() == 1


def test_reception_emails_the_link_in_her_language(client, reception, patient, django_capture_on_commit_callbacks):
    patient.preferred_language = "tr"
    patient.save()
    client.force_login(reception)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("patients:intake_send", args=[patient.pk]))
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == [patient.email]
    html = email.alternatives[0][0]
    assert 'lang="tr"' in html
    token = email.body.split("/q/")[1].split("/")[0]
    assert IntakeInvitation.objects.get().token_hash == hash_token(token)


def test_the_screening_page_says_the_patient_answered_and_offers_to_go_through_them(client, invited, reception):
    _invitation, token = invited
    answer_everything(client, token)
    client.post(reverse("intake:summary", args=[token]))
    screening = EligibilityScreening.objects.get()
    client.force_login(reception)
    page = client.get(reverse("patients:screening", args=[screening.pk])).content.decode()
    assert "Answered by the patient" in page and "through the emailed link" in page
    intake = client.get(reverse("patients:intake", args=[screening.patient_id]) + f"?from={screening.pk}")
    assert intake.context["form"].initial["medical_history"] == "none"


# --- Tablet mode -------------------------------------------------------------------------------------------


def test_tablet_mode_signs_staff_out_and_reaches_no_staff_page(client, world, reception):
    client.force_login(reception)
    response = client.post(reverse("patients:intake_tablet", args=[world.patient.pk]))
    home = response["Location"]
    assert home.startswith("/q/")
    token = home.split("/")[2]
    assert "_auth_user_id" not in client.session and client.session[kiosk.SESSION_KEY]["token"] == token
    assert client.get(home).status_code == 200
    reached = []
    for name, params in project_url_names():
        if name.startswith("intake:"):
            continue
        kwargs = {p: world.token_for(name) if p == "token" else world.pk_for(name) for p in params}
        url = reverse(name, kwargs=kwargs)
        for method in (client.get, client.post):
            answer = method(url)
            if answer.status_code != 302 or answer["Location"] != home:
                reached.append((name, method.__name__, answer.status_code))
    assert reached == []
    assert client.get("/admin/")["Location"] == home


def test_the_tablet_returns_to_the_staff_sign_in_when_she_is_done(client, world, reception):
    client.force_login(reception)
    home = client.post(reverse("patients:intake_tablet", args=[world.patient.pk]))["Location"]
    token = home.split("/")[2]
    answer_everything(client, token)
    client.post(reverse("intake:summary", args=[token]))
    screening = EligibilityScreening.objects.latest("pk")
    assert screening.answered_by == AnsweredBy.PATIENT_TABLET
    page = client.get(reverse("intake:done", args=[token]) + "?later=1").content.decode()
    assert reverse("login") in page and kiosk.SESSION_KEY not in client.session
    assert client.get(reverse("patients:list"))["Location"].startswith("/accounts/login/")


def test_the_tablet_can_be_given_back_mid_way_keeping_her_answers(client, world, reception):
    client.force_login(reception)
    home = client.post(reverse("patients:intake_tablet", args=[world.patient.pk]))["Location"]
    token = home.split("/")[2]
    client.post(reverse("intake:section", args=[token, 1]), section_answers(0))
    assert client.post(reverse("intake:leave", args=[token]))["Location"] == reverse("login")
    assert client.get(reverse("login")).status_code == 200
    assert IntakeInvitation.objects.get(token_hash=hash_token(token)).draft["medical_history"] == "none"
