"""Search that finds people (issue 14): Turkish names whatever the case and accents, phone numbers whatever the
format, stored in E.164; Post/Redirect/Get so that Back works, and still no name in a URL.

The database tests run on the default SQLite and, with DATABASE_URL set, on PostgreSQL (its LIKE, its trigram
index): the folded column is what makes the two agree.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from patients.models import Patient
from patients.search import e164, fold, phone_search_digits, search_text
from patients.selectors import patient_search

# --- folding, pure ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Şimşek", "simsek"), ("şimşek", "simsek"), ("ŞİMŞEK", "simsek"), ("simsek", "simsek"), ("SIMSEK", "simsek"),
        ("Çelik", "celik"), ("ÇELİK", "celik"), ("celik", "celik"),
        ("Işık", "isik"), ("IŞIK", "isik"), ("ışık", "isik"), ("ISIK", "isik"), ("Isik", "isik"),
        ("İrem", "irem"), ("irem", "irem"), ("IREM", "irem"),
        ("Ilgın", "ilgin"), ("Yılmaz", "yilmaz"), ("YILMAZ", "yilmaz"),
        ("Doğan", "dogan"), ("DOĞAN", "dogan"), ("Öztürk", "ozturk"), ("ÖZTÜRK", "ozturk"), ("Ünal", "unal"),
        ("Gülşen Ağaoğlu", "gulsen agaoglu"), ("Âdem", "adem"), ("hâkim", "hakim"),
        ("Müller", "muller"), ("José", "jose"), ("Straße", "strasse"),
        ("  Ayşe   Nur ", "ayse nur"),
    ],
)
def test_fold_makes_the_turkish_pairs_one(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Şen", "Sen"),  # merged on purpose: what an English keyboard types
        ("Isik", "Işık"),  # I -> i (not the Turkish ı): one on purpose, a typist cannot be sure which it was
        ("Irmak", "Irmak"),
    ],
)
def test_fold_merges_what_it_means_to(one, other):
    assert fold(one) == fold(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Çelik", "Selik"), ("Gül", "Göl"), ("Özer", "Uzer"), ("Ulaş", "Ulas2"), ("Øre", "Ore"), ("Ağa", "Aha")],
)
def test_fold_keeps_apart_what_differs(one, other):
    assert fold(one) != fold(other)


def test_search_text_holds_names_and_email_folded():
    assert search_text(given_name="Ayşe", family_name="IŞIK", email="Ayse.Isik@Example.com") == (
        "ayse isik ayse.isik@example.com"
    )
    assert search_text(given_name="Ayşe", family_name="Işık", email="") == "ayse isik"


@pytest.mark.parametrize("typed", ["0532 111 22 33", "+90 532 111 2233", "5321112233", "(0532) 111-22-33",
                                   "0090 532 111 22 33", "+90 (532) 111 22 33"])
def test_turkish_numbers_in_every_writing_are_one_e164_number(typed):
    assert e164(typed, region="TR") == "+905321112233"


def test_a_number_from_abroad_keeps_its_country_and_an_invalid_one_is_none():
    assert e164("+44 7911 123456", region="TR") == "+447911123456"
    assert e164("07911 123456", region="GB") == "+447911123456"
    assert e164("0532 111", region="TR") is None
    assert e164("+90 123 456 78 90", region="TR") is None


def test_phone_search_digits_drop_the_prefixes_zeros():
    assert phone_search_digits("0532 111 22 33") == "5321112233"
    assert phone_search_digits("+90 532") == "90532"
    assert phone_search_digits("0090 532") == "90532"


# --- the search, on the database ----------------------------------------------------------------------------------


def person(given: str, family: str, phone: str = "", email: str = "") -> Patient:
    return Patient.objects.create(given_name=given, family_name=family, date_of_birth=dt.date(1985, 5, 5),
                                  sex="female", phone=phone, email=email)


@pytest.fixture
def registry(db):
    return {
        "simsek": person("Elif", "Şimşek", phone="+905321112233"),
        "celik": person("Gülşen", "Çelik", phone="+905334445566"),
        "isik": person("Ayşe", "Işık", phone="+447911123456"),
        "irem": person("İrem", "Doğan"),
        "ozturk": person("Ümit", "Öztürk", email="umit@example.com"),
        "other": person("Emma", "Clarke", phone="+447911654321"),
    }


def found(query: str) -> set[str]:
    ids = set(patient_search(query=query).values_list("pk", flat=True))
    return {p.family_name for p in Patient.objects.filter(pk__in=ids)}


@pytest.mark.parametrize(
    ("query", "family"),
    [
        ("simsek", "Şimşek"), ("şimşek", "Şimşek"), ("ŞİMŞEK", "Şimşek"), ("SIMSEK", "Şimşek"), ("Şim", "Şimşek"),
        ("celik", "Çelik"), ("ÇELİK", "Çelik"), ("gulsen celik", "Çelik"),
        ("ISIK", "Işık"), ("ışık", "Işık"), ("Isik", "Işık"), ("ayse isik", "Işık"),
        ("irem", "Doğan"), ("İREM", "Doğan"), ("IREM", "Doğan"), ("dogan", "Doğan"),
        ("ozturk", "Öztürk"), ("ÜMİT", "Öztürk"), ("UMIT@EXAMPLE", "Öztürk"),
    ],
)
def test_turkish_names_are_found_whatever_the_case_and_accents(registry, query, family):
    assert found(query) == {family}


@pytest.mark.parametrize(
    "query", ["0532 111 22 33", "+90 532 111 2233", "5321112233", "905321112233", "(0532) 111-22-33", "0532 111"]
)
def test_a_phone_number_is_found_whatever_the_format_typed(registry, query):
    assert found(query) == {"Şimşek"}


def test_a_foreign_number_is_found_with_or_without_its_country_code(registry):
    assert found("+44 7911 123456") == {"Işık"}
    assert found("07911 123456") == {"Işık"}  # the UK trunk zero: the digits after it
    assert found("7911") == {"Işık", "Clarke"}


def test_every_word_must_match(registry):
    assert found("elif simsek") == {"Şimşek"}
    assert found("elif celik") == set()


def test_the_search_column_follows_every_kind_of_write(db):
    patient = person("Ayse", "Kaya")
    patient.family_name = "Şimşek"
    patient.save(update_fields=["family_name"])
    assert found("simsek") == {"Şimşek"}
    Patient.objects.filter(pk=patient.pk).update(family_name="Çelik", phone="+905321112233")
    assert found("celik") == {"Çelik"} and found("0532 111 22 33") == {"Çelik"}
    assert Patient.objects.update_if(patient.pk, expected={"family_name": "Çelik"}, family_name="Işık")
    assert found("isik") == {"Işık"}
    Patient.objects.bulk_create([Patient(given_name="Ümit", family_name="Öz", date_of_birth=dt.date(1990, 1, 1),
                                         sex="male")])
    assert found("umit oz") == {"Öz"}


def test_the_migration_fills_the_column_and_normalises_the_numbers_it_can(db, capsys):
    from importlib import import_module

    migration = import_module("patients.migrations.0006_patient_search_text_and_e164_phones")
    good = person("Elif", "Şimşek", phone="0532 111 22 33")
    odd = person("Ayla", "Kaya", phone="12-34-567 ext 9")
    Patient._base_manager.filter(pk__in=[good.pk, odd.pk]).update(search_text="", phone_digits="")  # as before
    migration.fill(django_apps, SimpleNamespace(connection=connection))  # it uses the editor's connection only
    good.refresh_from_db()
    odd.refresh_from_db()
    assert (good.phone, good.phone_digits, good.search_text) == ("+905321112233", "905321112233", "elif simsek")
    assert odd.phone == "12-34-567 ext 9" and odd.search_text == "ayla kaya"  # not a number: kept as typed
    assert "1 phone numbers are not valid numbers" in capsys.readouterr().out


# --- the pages ----------------------------------------------------------------------------------------------------


def test_the_form_stores_the_number_in_e164_and_refuses_an_invalid_one_at_the_field(client, reception, patient):
    from tests.test_patient_registry import VALID

    client.force_login(reception)
    response = client.post("/patients/new/", {**VALID, "phone": "0532 999 88 77", "email": "new@example.com",
                                               "emergency_contact_phone": "0 212 555 01 00"})
    assert response.status_code == 302
    new = Patient.objects.get(email="new@example.com")
    assert (new.phone, new.emergency_contact_phone) == ("+905329998877", "+902125550100")
    assert new.phone_shown == "+90 532 999 88 77"

    # Shown as people read it on her page and in the edit form, not as stored.
    page = client.get(f"/patients/{new.pk}/").content.decode()
    assert "+90 532 999 88 77" in page and "+90 212 555 01 00" in page and "+905329998877" not in page
    edit = client.get(f"/patients/{new.pk}/edit/").content.decode()
    assert 'value="+90 532 999 88 77"' in edit and "+905329998877" not in edit

    response = client.post("/patients/new/", {**VALID, "phone": "+90 123 456 78 90"})
    assert response.status_code == 200
    assert "not a valid phone number" in " ".join(response.context["form"].errors["phone"])
    html = response.content.decode()
    assert 'id="error_1_id_phone"' in html and 'value="+90 123 456 78 90"' in html  # kept as typed


def test_a_search_redirects_to_its_results_by_a_key_never_by_the_name(client, reception, patient):
    client.force_login(reception)
    response = client.post("/patients/", {"q": "ZEYNEP ARSLAN"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/patients/?search=")
    assert "zeynep" not in location.lower() and "arslan" not in location.lower()
    results = client.get(location)
    assert results.status_code == 200 and list(results.context["patients"]) == [patient]
    assert results.context["query"] == "ZEYNEP ARSLAN"  # shown in the box again, not in the address
    assert client.get(location).context["patients"] == [patient]  # again (Back, reload): the same results


def test_an_unknown_or_foreign_search_key_shows_the_empty_search_with_a_message(client, reception, nurse, patient):
    client.force_login(reception)
    location = client.post("/patients/", {"q": "arslan"})["Location"]
    client.force_login(nurse)  # another session: the key is not hers
    response = client.get(location)
    assert response.status_code == 200 and response.context["query"] == ""
    assert "search is no longer kept" in response.content.decode()
    assert client.get("/patients/", {"search": "../../etc"}).status_code == 200


def test_an_empty_search_goes_back_to_the_registry(client, reception, patient):
    client.force_login(reception)
    response = client.post("/patients/", {"q": "  "})
    assert response.status_code == 302 and response["Location"] == "/patients/"


def test_the_navbar_has_the_search_box_for_those_who_may_see_patients(client, reception, outsider, patient):
    client.force_login(reception)
    for path in ("/", "/treatments/patch-tests/", f"/patients/{patient.pk}/"):
        html = client.get(path).content.decode()
        assert 'data-testid="navbar-search"' in html and 'id="navbar-q"' in html, path
    form = html.split('data-testid="navbar-search"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and 'action="/patients/"' in form
    client.force_login(outsider)  # signed in, no role: no patients, no box
    assert 'data-testid="navbar-search"' not in client.get("/").content.decode()
