"""Medicines named in the intake's words (issue 15), through the service, the pages and the database: the staff form
and the patient's own link give the same finding, the screening keeps what was read, its page marks the answer, the
review queue lists the finding, the database refuses a plain "eligible" with a medicine named, and the lists are
the clinic's to extend in the admin site (the manager)."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from patients.invitations import invitation_create
from patients.models import EligibilityScreening, IntakeInvitation, MedicineName
from patients.services import screening_take
from tests.fixtures.pages import main_of
from tests.test_own_intake import answer_everything
from tests.test_screening_views import all_no, answers

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
REASON = "Medicines named: Aspirin 100 mg daily (aspirin: a blood thinner): a physician must decide."


def test_the_seeded_lists_are_in_the_database(db):
    assert MedicineName.objects.filter(kind="blood_thinner", active=True).count() > 40
    assert MedicineName.objects.get(name="Majezik").generic == "flurbiprofen"
    assert MedicineName.objects.get(name="Coraspin").kind == "blood_thinner"


@time_machine.travel(NOW)
def test_aspirin_written_in_the_staff_intake_with_the_question_answered_no_is_not_plain_eligible(
    client, reception, physician, patient
):
    client.force_login(reception)
    response = client.post(
        f"/patients/{patient.pk}/intake/",
        all_no(current_medicines="Aspirin 100 mg daily", takes_blood_thinner="False"),
    )
    screening = EligibilityScreening.objects.get()
    assert response["Location"] == f"/patients/screenings/{screening.pk}/"
    assert screening.outcome == "needs_review"
    assert [(f["code"], f["reason"]) for f in screening.findings] == [("medicine_named", REASON)]
    assert screening.medicines_named == [
        {"key": "current_medicines", "question": "All current medicines, supplements and herbal remedies",
         "written": "Aspirin", "name": "aspirin", "generic": "aspirin", "kind": "blood_thinner"}
    ]
    # The screening's page marks the answer as it marks a yes, and says what was read in it.
    client.force_login(physician)
    page = main_of(client.get(response["Location"]).content.decode())
    row = page.split("All current medicines, supplements and herbal remedies")[0].rsplit("<tr", 1)[1]
    assert 'class="table-danger"' in row
    assert "Aspirin: aspirin, a blood thinner" in page and REASON in page
    # The review queue lists the finding, as it lists the explicit question's.
    queue = main_of(client.get(reverse("patients:review_queue")).content.decode())
    assert "Medicines named: Aspirin 100 mg daily" in queue


@time_machine.travel(NOW)
def test_the_screening_page_in_turkish_marks_it_too(client, reception, physician, patient):
    screening = screening_take(patient=patient, answers=answers(current_medicines="Nurofen"), taken_by=reception)
    client.force_login(physician)
    page = main_of(client.get(f"/patients/screenings/{screening.pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode())
    assert "Nurofen: ibuprofen" in page
    row = page.split("Nurofen: ibuprofen")[0].rsplit("<tr", 1)[1]
    assert 'class="table-danger"' in row


@time_machine.travel(NOW)
def test_a_medicine_she_names_on_her_own_link_is_the_same_finding(client, patient, reception):
    invitation, token = invitation_create(patient=patient, created_by=reception, channel=IntakeInvitation.Channel.LINK)
    answer_everything(client, token, current_medicines="Coraspin 100 ve arada Arveles")
    assert client.post(reverse("intake:summary", args=[token])).status_code == 302
    screening = EligibilityScreening.objects.get()
    assert screening.answered_by == "patient_link" and screening.outcome == "needs_review"
    [finding] = screening.findings
    assert finding["code"] == "medicine_named"
    assert "(aspirin: a blood thinner, dexketoprofen: an NSAID)" in finding["reason"]


def test_ordinary_words_fire_nothing_through_the_service(reception, patient):
    screening = screening_take(
        patient=patient, answers=answers(current_medicines="Demir ilacı ve D vitamini kullanıyorum"),
        taken_by=reception,
    )
    assert (screening.outcome, screening.findings, screening.medicines_named) == ("eligible", [], [])


def test_the_database_refuses_a_plain_eligible_with_a_medicine_named(reception, patient):
    """Invariant 3 below the rules, for a medicine written in words: the row keeps what was read, and a row that
    says "eligible" beside a medicine read cannot be written."""
    screening = screening_take(patient=patient, answers=answers(current_medicines="Xarelto"), taken_by=reception)
    assert screening.outcome == "needs_review"
    with pytest.raises(IntegrityError, match="screening_medicine_named_is_never_plain_eligible"), transaction.atomic():
        EligibilityScreening.objects.filter(pk=screening.pk).update(outcome="eligible")
    plain = screening_take(patient=patient, answers=answers(current_medicines="none"), taken_by=reception)
    assert plain.outcome == "eligible"  # every other eligible row still goes through


def test_a_name_the_clinic_adds_is_read_and_one_it_switches_off_is_not(reception, patient):
    MedicineName.objects.create(name="Ketonal", kind="nsaid", generic="ketoprofen")
    MedicineName.objects.filter(name="Majezik").update(active=False)
    added = screening_take(patient=patient, answers=answers(current_medicines="Ketonal"), taken_by=reception)
    off = screening_take(patient=patient, answers=answers(current_medicines="Majezik"), taken_by=reception)
    assert [f["code"] for f in added.findings] == ["medicine_named"] and off.findings == []


def test_the_manager_adds_a_name_in_the_admin_and_a_bad_one_is_refused_at_the_field(client, manager):
    client.force_login(manager)
    url = reverse("admin:patients_medicinename_add")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "Ketonal 100", "kind": "nsaid", "generic": "ketoprofen", "active": "on"})
    assert refused.status_code == 200 and "One word of at least 4 letters" in refused.content.decode()
    duplicate = client.post(url, {"name": "NUROFEN", "kind": "nsaid", "generic": "ibuprofen", "active": "on"})
    assert "already on the lists" in duplicate.content.decode()
    added = client.post(url, {"name": "Ketonal", "kind": "nsaid", "generic": "ketoprofen", "active": "on"})
    assert added.status_code == 302 and MedicineName.objects.filter(name="Ketonal").exists()


def test_staff_other_than_the_manager_cannot_edit_the_lists(client, reception):
    client.force_login(reception)
    assert client.get(reverse("admin:patients_medicinename_changelist")).status_code in (302, 403)
