"""Registering and finding patients, and what happens to bad input."""

import datetime as dt

import pytest
import time_machine

from patients.models import Patient
from tests.fixtures.pages import main_of

VALID = {
    "given_name": "Emma",
    "family_name": "Clarke",
    "date_of_birth": "1979-11-03",
    "sex": "female",
    "phone": "+44 7911 123456",
    "email": "emma@example.com",
    "preferred_language": "en",
    "email_consent": "on",
}


def register(client, **changes):
    return client.post("/patients/new/", {**VALID, **changes})


def test_reception_registers_a_patient(client, reception):
    client.force_login(reception)
    response = register(client)
    patient = Patient.objects.get()
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert patient.created_by == reception
    page = client.get(response["Location"]).content.decode()
    assert "Emma Clarke" in page and "Consented" in page


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2027-01-01", "cannot be in the future"),
        ("date_of_birth", "1890-05-01", "136 years old"),
        ("date_of_birth", "1990-02-30", "Enter a valid date"),
        ("email", "emma@", "Enter a valid email address"),
        ("phone", "12ab", "7 to 15 digits"),
        ("phone", "123", "7 to 15 digits"),
        ("given_name", "", "This field is required"),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(client, reception, field, value, message):
    client.force_login(reception)
    response = register(client, **{field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html  # crispy renders the message next to the field
    assert 'value="Clarke"' in html  # what was typed is kept
    assert not Patient.objects.exists()


def test_email_consent_needs_an_address(client, reception):
    client.force_login(reception)
    response = register(client, email="")
    assert "needed to send aftercare emails" in " ".join(response.context["form"].errors["email"])


def test_search_is_posted_so_names_stay_out_of_urls(client, reception, patient):
    client.force_login(reception)
    response = client.post("/patients/", {"q": "arslan"}, follow=True)
    assert response.status_code == 200
    assert list(response.context["patients"]) == [patient]
    assert len(client.post("/patients/", {"q": "nobody"}, follow=True).context["patients"]) == 0
    html = main_of(client.get("/patients/").content.decode())  # the navbar has a posted search form of its own
    assert 'method="post"' in html and 'role="search"' in html


def test_search_matches_phone_and_email(client, reception, patient):
    client.force_login(reception)
    assert list(client.post("/patients/", {"q": "532 111"}, follow=True).context["patients"]) == [patient]
    assert list(client.post("/patients/", {"q": "ZEYNEP@EXAMPLE"}, follow=True).context["patients"]) == [patient]


def test_a_search_with_a_nul_byte_is_answered_not_a_server_error(client, reception, patient):
    """Found by the form fuzzing on PostgreSQL, which refuses NUL bytes in strings."""
    client.force_login(reception)
    response = client.post("/patients/", {"q": "zey\x00nep"}, follow=True)
    assert response.status_code == 200 and list(response.context["patients"]) == [patient]
    assert client.post("/patients/", {"q": "\x00"}, follow=True).status_code == 200


def test_age_on_a_leap_day_birthday():
    leapling = Patient(date_of_birth=dt.date(2008, 2, 29))
    assert leapling.age_on(dt.date(2026, 2, 28)) == 17
    assert leapling.age_on(dt.date(2026, 3, 1)) == 18
    assert leapling.age_on(dt.date(2028, 2, 29)) == 20


def test_search_by_date_of_birth(client, reception, patient):
    client.force_login(reception)
    for typed in ("12.04.1988", "12/04/1988", "1988-04-12"):
        assert list(client.post("/patients/", {"q": typed}, follow=True).context["patients"]) == [patient]


def test_search_by_phone_ignores_formatting(client, reception, patient):
    client.force_login(reception)
    assert list(client.post("/patients/", {"q": "905321112233"}, follow=True).context["patients"]) == [patient]


@pytest.mark.parametrize(
    "changes",
    [
        {
            "given_name": "ZEYNEP",
            "family_name": "arslan",
            "date_of_birth": "1988-04-12",
            "email": "",
            "phone": "+90 555 000 00 00",
        },
        {"email": "Zeynep@Example.com"},
        {"phone": "+90 (532) 111-22-33"},
    ],
    ids=["same name and birth date", "same email", "same phone"],
)
def test_a_possible_duplicate_is_shown_and_needs_confirmation(client, reception, patient, changes):
    client.force_login(reception)
    data = {**changes, "email_consent": ""} if changes.get("email") == "" else changes
    response = register(client, **data)
    assert response.status_code == 200
    assert response.context["form"].duplicates == [patient]
    html = response.content.decode()
    assert "Possible duplicate" in html and f"/patients/{patient.pk}/" in html
    assert Patient.objects.count() == 1

    response = register(client, **data, confirm_new_person="on")
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_reception_corrects_a_patients_details(client, reception, nurse, patient):
    client.force_login(reception)
    data = {**VALID, "given_name": "Zeynep", "family_name": "Arslan-Kaya", "email": "zeynep@example.com"}
    response = client.post(f"/patients/{patient.pk}/edit/", data)
    assert response["Location"] == f"/patients/{patient.pk}/"
    patient.refresh_from_db()
    assert patient.family_name == "Arslan-Kaya" and patient.phone_digits == "447911123456"
    client.force_login(nurse)
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403


def test_the_printable_intake_form_has_every_question(client, reception, patient):
    from patients import questionnaire

    client.force_login(reception)
    html = client.get(f"/patients/{patient.pk}/intake/print/").content.decode()
    assert "Zeynep Arslan" in html and "Patient's signature" in html
    for question in questionnaire.all_questions():
        assert question.text.replace("'", "&#x27;") in html
