"""A patient's whole record for an access request: JSON to download and a page to print.

Zeynep asks for everything the clinic holds about her. Dr. Yılmaz or Elif exports it; reception
and nurses cannot; every export is in the access log.
"""

import json
import re

import pytest

from aftercare.models import Reminder
from aftercare.services import report_create
from meso_clinic.core.models import AccessLogEntry
from meso_clinic.overview.export import patient_record
from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import NOW, VITAMINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(patient, reception, nurse, physician):
    """Zeynep: screened and approved, patch-tested, consented to a course, treated; she reported redness."""
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    Reminder.objects.filter(session=session, kind="aftercare_sheet").update(
        status="sent", sent_at=NOW, message_id="<m@x>"
    )
    report_create(
        session=session, reminder_id=None, effects=["redness"], warning_signs=[], severity="mild",
        description="A little red the next day.", notify=lambda pk: None,
    )
    return session


def test_the_record_holds_every_part_of_the_patients_file(patient, treated):
    record = patient_record(patient)
    assert record["patient"]["family_name"] == "Arslan" and record["patient"]["date_of_birth"] == "1988-04-12"

    [screening] = record["screenings"]
    assert screening["decision"] == "Approved" and screening["decided_by"] == "Mehmet"
    assert screening["decision_reason"] == "Reviewed with the patient."
    # The questions as worded on the day, with the answers given.
    questions = {a["question"]: a["answer"] for a in screening["answers"]}
    assert len(questions) > 10 and "No" in questions.values()
    assert questions["Does the patient take a blood thinner?"] == "No"

    [test] = record["patch_tests"]
    assert test["products"] == [VITAMINS] and test["result"] == "No reaction" and test["read_by"] == "Ayşe"
    [consent] = record["consents"]
    [course] = record["courses"]
    assert consent["course_id"] == course["id"] and course["planned_sessions"] == 4

    [session] = record["sessions"]
    assert session["status"] == "Performed" and session["performed_by"] == "Mehmet"
    assert session["products"] == [
        {"product": VITAMINS, "batch": f"VC-{patient.pk}", "batch_expiry": session["products"][0]["batch_expiry"]}
    ]
    assert session["consent_id"] == consent["id"] and session["screening_id"] == screening["id"]

    sent = [r for r in record["reminders"] if r["status"] == "Sent"]
    assert len(sent) == 1 and sent[0]["sent_at"].startswith("2026-11-23T12:30")  # the clinic's time
    [report] = record["side_effect_reports"]
    assert report["side_effects"] == ["Redness"] and report["description"] == "A little red the next day."


def test_the_record_is_plain_json(patient, treated):
    record = patient_record(patient)
    assert json.loads(json.dumps(record)) == record


def test_a_physician_downloads_the_record_as_a_json_file_named_by_id(client, physician, patient, treated):
    client.force_login(physician)
    response = client.get(f"/patients/{patient.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="patient-{patient.pk}-record.json"'
    data = json.loads(response.content)
    assert data["export"]["exported_by"] == "Mehmet"
    assert data["screenings"][0]["answers"] and data["sessions"][0]["products"][0]["product"] == VITAMINS
    entry = AccessLogEntry.objects.get(user=physician)
    assert entry.patient == patient  # the export is in the access log


def test_the_manager_prints_the_record(client, manager, patient, treated):
    client.force_login(manager)
    response = client.get(f"/patients/{patient.pk}/export/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="patient-export' in html and "data-print" in html
    assert "the record of Zeynep Arslan" in html
    assert f"lot VC-{patient.pk}" in html and "A little red the next day." in html
    assert "Reviewed with the patient." in html
    assert AccessLogEntry.objects.filter(user=manager, patient=patient).exists()


def test_the_patient_page_offers_the_export_to_those_who_may(client, physician, reception, patient):
    client.force_login(physician)
    assert f'href="/patients/{patient.pk}/export/"' in client.get(f"/patients/{patient.pk}/").content.decode()
    client.force_login(reception)
    assert "/export/" not in client.get(f"/patients/{patient.pk}/").content.decode()


@pytest.mark.parametrize("role", ["reception", "nurse", "outsider"])
@pytest.mark.parametrize("suffix", ["export.json", "export/"])
def test_the_export_is_refused_to_other_roles(client, request, role, suffix, patient):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/patients/{patient.pk}/{suffix}").status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, patient):
    response = client.get(f"/patients/{patient.pk}/export.json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_patient_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/patients/999999/export.json").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_the_printed_record_is_the_record_alone(page, live_server, physician, patient, treated):
    sign_in(page, "dr_yilmaz", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Export record").click()
    page.wait_for_url(f"**/patients/{patient.pk}/export/")
    assert page.get_by_role("button", name="Print").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_test_id("export-sessions").is_visible()
    page.screenshot(path=screenshot_path("patient_export_print"), full_page=True)


def test_the_record_in_turkish_for_a_turkish_speaking_manager(client, manager, patient, treated):
    """The printed record follows the staff member's language; what staff typed stays as typed."""
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "tr"
    html = client.get(f"/patients/{patient.pk}/export/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for words in ["Zeynep Arslan adlı hastanın kaydı", "Uygunluk taramaları (1)", "Yama testleri (1)",
                  "Onamlar (1)", "Kürler (1)", "Seanslar (1)", "Bakım e-postaları (", "Yan etki bildirimleri (1)",
                  "Kuralların sonucu:", "Hekim kararı: Onaylandı", "Soru Yanıt", "Yazdır", "JSON olarak indir",
                  f"lot VC-{patient.pk} (son kullanma", "sürüm", "A little red the next day.",
                  "Reviewed with the patient."]:
        assert words in text, words
    for words in ["the record of", "Eligibility screenings", "Patch tests (", "Rules' outcome", "Download as JSON",
                  "Physician's decision", "recorded by", "supervised by", "(version"]:
        assert words not in text, words
