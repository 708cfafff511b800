"""Intake, the review queue and physicians' decisions, through the views."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from patients import questionnaire
from patients.models import Decision, EligibilityScreening, Outcome, Patient
from patients.services import DecisionRefused, screening_decide, screening_take

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def all_no(**changes) -> dict[str, str]:
    """A complete intake: every yes/no answered No, every text "none", then `changes`."""
    data = {}
    for section in questionnaire.SECTIONS:
        for q in section.questions:
            data[q.key] = "False" if q.kind == "yes_no" else "none"
    data.update(changes)
    return data


def answers(**changes) -> dict:
    base = {q.key: False for q in questionnaire.all_questions() if q.kind == "yes_no"}
    return {**base, **changes}


@pytest.fixture
def teen(db):
    """Leyla turns 18 on 9 January 2027."""
    return Patient.objects.create(
        given_name="Leyla", family_name="Yıldız", date_of_birth=dt.date(2009, 1, 9), sex="female", phone="5301234567"
    )


@time_machine.travel(NOW)
def test_intake_with_an_nsaid_needs_review_and_keeps_the_answers_as_given(client, reception, patient):
    client.force_login(reception)
    response = client.post(
        f"/patients/{patient.pk}/intake/",
        all_no(takes_nsaid="True", nsaid_name="ibuprofen 400 mg twice a day"),
    )
    screening = EligibilityScreening.objects.get()
    assert response["Location"] == f"/patients/screenings/{screening.pk}/"
    assert screening.outcome == Outcome.NEEDS_REVIEW and not screening.hard_stop
    assert [f["code"] for f in screening.findings] == ["nsaid"]
    assert screening.answers["nsaid_name"] == "ibuprofen 400 mg twice a day"
    assert screening.taken_by == reception and screening.questionnaire_version == questionnaire.VERSION
    assert [
        "Medical history and medicines",
        "Which one, and how often?",
        "ibuprofen 400 mg twice a day",
        True,
    ] in screening.answer_record
    page = client.get(response["Location"]).content.decode()
    assert "Needs physician review" in page and "ibuprofen 400 mg twice a day" in page


def test_an_intake_with_missing_answers_is_refused_at_each_field_and_keeps_the_rest(client, reception, patient):
    client.force_login(reception)
    data = all_no(takes_blood_thinner="True", medical_history="appendix removed 2010")
    del data["pregnant"]
    response = client.post(f"/patients/{patient.pk}/intake/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"pregnant", "blood_thinner_name", "blood_thinner_prescribed"}
    html = response.content.decode()
    assert "Please answer this question." in html
    assert "appendix removed 2010" in html  # typed text is kept
    assert not EligibilityScreening.objects.exists()


def test_a_follow_up_to_a_no_is_not_kept(client, reception, patient):
    client.force_login(reception)
    client.post(f"/patients/{patient.pk}/intake/", all_no(blood_thinner_name="aspirin"))
    assert "blood_thinner_name" not in EligibilityScreening.objects.get().answers


def test_a_date_answer_in_the_future_is_refused(client, reception, patient):
    client.force_login(reception)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/patients/{patient.pk}/intake/", all_no(isotretinoin_taken="True", isotretinoin_last_dose=future)
    )
    assert "in the future" in " ".join(response.context["form"].errors["isotretinoin_last_dose"])


def test_nurse_cannot_take_an_intake(client, nurse, patient):
    client.force_login(nurse)
    assert client.get(f"/patients/{patient.pk}/intake/").status_code == 403


def test_an_unknown_patient_is_a_404_not_a_500(client, reception):
    client.force_login(reception)
    assert client.get("/patients/999999/intake/").status_code == 404
    assert client.get("/patients/screenings/999999/").status_code == 404


@pytest.fixture
def nsaid_screening(patient, reception):
    with time_machine.travel(NOW):
        return screening_take(patient=patient, answers=answers(takes_nsaid=True), taken_by=reception)


def test_review_queue_lists_undecided_screenings_oldest_first(client, physician, reception, patient, teen):
    older = screening_take(patient=patient, answers=answers(), taken_by=reception, at=NOW - dt.timedelta(days=2))
    newer = screening_take(patient=patient, answers=answers(takes_nsaid=True), taken_by=reception, at=NOW)
    screening_take(patient=teen, answers=answers(), taken_by=reception, at=NOW)  # under 18: a hard stop
    client.force_login(physician)
    response = client.get("/patients/reviews/")
    assert list(response.context["screenings"]) == [older, newer]


def test_reception_cannot_open_the_review_queue(client, reception):
    client.force_login(reception)
    assert client.get("/patients/reviews/").status_code == 403


@time_machine.travel(NOW)
def test_physician_approves_and_the_patient_page_shows_until_when(client, physician, nsaid_screening, patient):
    client.force_login(physician)
    response = client.post(
        f"/patients/screenings/{nsaid_screening.pk}/decide/",
        {"decision": "approved", "reason": "Occasional ibuprofen; paused 3 days before, as advised."},
    )
    assert response["Location"] == "/patients/reviews/"
    nsaid_screening.refresh_from_db()
    assert nsaid_screening.decision == Decision.APPROVED and nsaid_screening.decided_by == physician
    assert nsaid_screening.valid_until == dt.date(2027, 5, 22)  # 23 Nov 2026 + 180 days
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Approved until 22 May 2027" in page


@time_machine.travel(NOW)
def test_approval_shows_as_expired_after_180_days(client, physician, nsaid_screening, patient):
    screening_decide(screening=nsaid_screening, decision="approved", reason="ok", decided_by=physician)
    with time_machine.travel(dt.datetime(2027, 5, 22, 20, 59, tzinfo=dt.UTC)):  # 23:59 on 22 May in Istanbul
        client.force_login(physician)
        assert "Approved until 22 May 2027" in client.get(f"/patients/{patient.pk}/").content.decode()
    with time_machine.travel(dt.datetime(2027, 5, 22, 21, 1, tzinfo=dt.UTC)):  # 00:01 on 23 May in Istanbul
        client.force_login(physician)
        assert "Approval expired on 22 May 2027" in client.get(f"/patients/{patient.pk}/").content.decode()


@time_machine.travel(NOW)
def test_a_decision_without_a_reason_is_refused_at_the_field(client, physician, nsaid_screening):
    client.force_login(physician)
    response = client.post(f"/patients/screenings/{nsaid_screening.pk}/decide/", {"decision": "approved"})
    assert response.status_code == 200
    assert "This field is required" in " ".join(response.context["form"].errors["reason"])
    nsaid_screening.refresh_from_db()
    assert nsaid_screening.decision == ""


@time_machine.travel(NOW)
def test_a_deferral_needs_a_future_date_and_keeps_the_instructions(client, physician, nsaid_screening, patient):
    client.force_login(physician)
    url = f"/patients/screenings/{nsaid_screening.pk}/decide/"
    response = client.post(url, {"decision": "deferred", "reason": "Daily NSAID", "instructions": "See your GP"})
    assert "A deferral needs a date" in " ".join(response.context["form"].errors["deferred_until"])
    assert "See your GP" in response.content.decode()
    client.post(url, {"decision": "deferred", "reason": "Daily NSAID", "instructions": "See your GP",
                      "deferred_until": "2026-12-20"})
    nsaid_screening.refresh_from_db()
    assert nsaid_screening.decision == "deferred" and nsaid_screening.deferred_until == dt.date(2026, 12, 20)
    assert "Deferred until 20 December 2026" in client.get(f"/patients/{patient.pk}/").content.decode()


@time_machine.travel(NOW)
def test_a_second_decision_is_refused_with_a_message_and_changes_nothing(client, physician, nsaid_screening):
    client.force_login(physician)
    url = f"/patients/screenings/{nsaid_screening.pk}/decide/"
    client.post(url, {"decision": "declined", "reason": "Daily high-dose NSAID for arthritis"})
    response = client.post(url, {"decision": "approved", "reason": "changed my mind"}, follow=True)
    assert "already decided" in response.content.decode()
    nsaid_screening.refresh_from_db()
    assert nsaid_screening.decision == "declined" and nsaid_screening.decision_reason.startswith("Daily")


def test_a_non_physician_cannot_decide(client, reception, nurse, nsaid_screening):
    for user in (reception, nurse):
        client.force_login(user)
        response = client.post(
            f"/patients/screenings/{nsaid_screening.pk}/decide/", {"decision": "approved", "reason": "x"}
        )
        assert response.status_code == 403
    nsaid_screening.refresh_from_db()
    assert nsaid_screening.decision == ""


def test_the_service_refuses_a_non_physician_too(reception, nsaid_screening):
    with pytest.raises(DecisionRefused, match="Only a physician"):
        screening_decide(screening=nsaid_screening, decision="approved", reason="x", decided_by=reception)


@time_machine.travel(NOW)
def test_an_under_age_screening_cannot_be_approved_by_anyone(client, physician, reception, teen):
    screening = screening_take(patient=teen, answers=answers(), taken_by=reception)
    assert screening.hard_stop and screening.outcome == Outcome.NOT_ELIGIBLE
    with pytest.raises(DecisionRefused, match="under the minimum age"):
        screening_decide(screening=screening, decision="approved", reason="mother consents", decided_by=physician)
    client.force_login(physician)
    page = client.get(f"/patients/screenings/{screening.pk}/").content.decode()
    assert "No one can approve this screening" in page and "Record decision" not in page
    assert client.post(f"/patients/screenings/{screening.pk}/decide/",
                       {"decision": "approved", "reason": "x"}, follow=True).status_code == 200
    screening.refresh_from_db()
    assert screening.decision == ""
    assert "Not eligible" in client.get(f"/patients/{teen.pk}/").content.decode()


@time_machine.travel(NOW)
def test_a_not_eligible_finding_offers_no_approval(client, physician, reception, patient):
    screening = screening_take(patient=patient, answers=answers(pregnant=True), taken_by=reception)
    client.force_login(physician)
    response = client.get(f"/patients/screenings/{screening.pk}/")
    choices = [value for value, _ in response.context["form"].fields["decision"].choices]
    assert choices == ["deferred", "declined"]
    response = client.post(f"/patients/screenings/{screening.pk}/decide/", {"decision": "approved", "reason": "x"})
    assert response.status_code == 200 and "decision" in response.context["form"].errors


@pytest.mark.parametrize("answer", [{"takes_nsaid": True, "nsaid_name": "ibuprofen"},
                                    {"takes_blood_thinner": True, "blood_thinner_name": "aspirin"}])
def test_the_database_refuses_a_plain_eligible_with_a_blood_thinner_or_nsaid(reception, patient, answer):
    """Invariant 3 below the rules: a row saying "eligible" for a patient on either cannot be written."""
    from django.db import IntegrityError, transaction

    screening = screening_take(patient=patient, answers=answers(**answer), taken_by=reception)
    assert screening.outcome == "needs_review"
    with pytest.raises(IntegrityError, match="blood_thinner_or_nsaid_is_never_plain_eligible"), transaction.atomic():
        EligibilityScreening.objects.filter(pk=screening.pk).update(outcome="eligible")
    plain = screening_take(patient=patient, answers=answers(), taken_by=reception)
    assert plain.outcome == "eligible"  # the same constraint lets every other eligible row through


def test_the_database_refuses_an_approval_of_a_hard_stop(physician, reception, teen):
    from django.db import IntegrityError

    screening = screening_take(patient=teen, answers=answers(), taken_by=reception)
    with pytest.raises(IntegrityError, match="screening_approval_needs_approvable_outcome"):
        EligibilityScreening.objects.filter(pk=screening.pk).update(
            decision="approved", decided_by=physician, decided_at=NOW, decision_reason="x",
            valid_until=dt.date(2027, 1, 1),
        )
