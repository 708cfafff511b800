"""The catalogue in her language (issue 15): areas, indications and products have Turkish patient-facing names (and
the areas Turkish descriptions for patients), seeded for the clinic's catalogue and editable in the admin site; her
emails, her report page and the aftercare sheet name her treatment in her language, and the staff interface in
Turkish shows the Turkish names."""

import importlib

import pytest
import time_machine

from aftercare.emails import render_reminder
from aftercare.links import report_token
from aftercare.models import Reminder
from tests.fixtures.aftercare import performed_session
from tests.fixtures.pages import main_of
from tests.fixtures.treatments import NOW
from treatments.models import Indication, Product, TreatmentArea, in_language

SEED = importlib.import_module("treatments.migrations.0012_catalogue_in_turkish_data")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(patient, reception, nurse, physician):
    """Zeynep's session for wrinkles (skin rejuvenation), performed at NOW."""
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


def test_a_text_in_a_language_is_the_turkish_one_when_asked_for_and_written():
    assert in_language("tr", "Pain", "Ağrı") == "Ağrı"
    assert in_language("tr-tr", "Pain", "Ağrı") == "Ağrı"
    assert in_language("en", "Pain", "Ağrı") == "Pain"
    assert in_language("tr", "Pain", "") == "Pain"  # not written yet: the English one
    assert in_language(None, "Pain", "Ağrı") == "Pain"


def test_the_seeded_catalogue_is_in_turkish_too(db):
    areas = list(TreatmentArea.objects.all())
    assert len(areas) == 5 and all(a.name_tr and a.patient_description_tr for a in areas)
    indications = list(Indication.objects.all())
    assert len(indications) == len(SEED.INDICATIONS) and all(i.name_tr for i in indications)
    products = list(Product.objects.all())
    assert len(products) == len(SEED.PRODUCTS) and all(p.name_tr for p in products)
    skin = TreatmentArea.objects.get(category="skin")
    assert (skin.name_in("tr"), skin.name_in("en")) == ("Cilt yenileme", "Skin rejuvenation")
    assert skin.patient_description_in("tr").startswith("Cildin sağlığını")
    assert Indication.objects.get(name="Wrinkles").name_in("tr") == "Kırışıklıklar"


@pytest.mark.parametrize(
    ("language", "treatment", "other"),
    [("tr", "Cilt yenileme: Kırışıklıklar", "Skin rejuvenation"), ("en", "Skin rejuvenation: Wrinkles", "Cilt")],
)
def test_her_email_names_the_treatment_in_her_language(session, patient, language, treatment, other):
    patient.preferred_language = language
    patient.save()
    email = render_reminder(Reminder.objects.get(session=session, kind="aftercare_sheet"))
    assert treatment in email.body and treatment in email.alternatives[0][0]
    assert other not in email.body


def test_the_aftercare_sheet_names_it_in_her_language_inside_the_staff_page(client, nurse, session, patient):
    patient.preferred_language = "tr"
    patient.save()
    client.force_login(nurse)
    page = client.get(f"/aftercare/sessions/{session.pk}/sheet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sheet = page.split('data-testid="aftercare-sheet"')[1].split("</article>")[0]
    assert "Cilt yenileme: Kırışıklıklar" in sheet and "Skin rejuvenation" not in sheet


def test_her_report_page_names_it_in_her_language(client, session, patient):
    patient.preferred_language = "tr"
    patient.save()
    page = client.get(f"/r/{report_token(session_id=session.pk, reminder_id=None)}/").content.decode()
    assert "Cilt yenileme: Kırışıklıklar" in page


@pytest.mark.parametrize(
    ("language", "area", "indication", "product"),
    [("tr", "Cilt yenileme", "Kırışıklıklar", "Amino asit kompleksi"),
     ("en", "Skin rejuvenation", "Wrinkles", "Amino acid complex")],
)
def test_the_staff_catalogue_and_session_page_show_the_names_in_the_staff_language(
    client, physician, session, language, area, indication, product
):
    client.force_login(physician)
    catalogue = main_of(client.get("/treatments/catalogue/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert area in catalogue and indication in catalogue and product in catalogue
    page = main_of(client.get(f"/treatments/sessions/{session.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert f"{area}: {indication}" in page


def test_the_names_in_forms_and_lists_follow_the_active_language(db):
    from django.utils import translation

    with translation.override("tr"):
        assert str(Indication.objects.get(name="Wrinkles")) == "Kırışıklıklar (Cilt yenileme)"
    assert str(Indication.objects.get(name="Wrinkles")) == "Wrinkles (Skin rejuvenation)"
