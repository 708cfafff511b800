"""Who opened which patient's record: one line per person, patient and day, read by the manager.

Elif (the manager) answers "who looked at my record?"; the log stays small (reloads only count),
and lines older than ACCESS_LOG_RETENTION_DAYS go every night.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.models import AccessLogEntry
from meso_clinic.core.tasks import purge_access_log
from patients.models import Patient
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import NOW

pytestmark = pytest.mark.django_db

ACCESS_LOG = "/access-log/"
DAY = dt.timedelta(days=1)


@pytest.fixture
def other_patient(db):
    return Patient.objects.create(
        given_name="Ali", family_name="Demir", date_of_birth=dt.date(1980, 1, 2), sex=Patient.Sex.MALE
    )


def test_opening_a_patients_page_twice_in_a_day_is_one_line_counted_twice(client, nurse, patient):
    client.force_login(nurse)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    [entry] = AccessLogEntry.objects.all()
    assert (entry.user, entry.patient, entry.count) == (nurse, patient, 2)
    assert entry.first_at <= entry.last_at


def test_the_full_lists_of_sessions_and_emails_are_part_of_the_record_and_logged(client, nurse, patient):
    client.force_login(nurse)
    assert client.get(f"/treatments/patients/{patient.pk}/sessions/").status_code == 200
    assert client.get(f"/aftercare/patients/{patient.pk}/emails/").status_code == 200
    [entry] = AccessLogEntry.objects.all()
    assert (entry.user, entry.patient, entry.count) == (nurse, patient, 2)


def test_each_day_and_each_person_has_its_own_line(nurse, reception, patient):
    log_patient_access(nurse, patient, at=NOW)
    log_patient_access(nurse, patient, at=NOW + dt.timedelta(hours=3))
    log_patient_access(nurse, patient, at=NOW + DAY)
    log_patient_access(reception, patient, at=NOW)
    lines = {(e.user.username, e.day): e for e in AccessLogEntry.objects.select_related("user")}
    assert set(lines) == {("ayse", NOW.date()), ("ayse", (NOW + DAY).date()), ("selin", NOW.date())}
    today = lines[("ayse", NOW.date())]
    assert (today.count, today.first_at, today.last_at) == (2, NOW, NOW + dt.timedelta(hours=3))


def test_the_day_is_the_clinics_day(nurse, patient):
    late_evening = dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)  # already 24 November in Istanbul
    log_patient_access(nurse, patient, at=late_evening)
    assert AccessLogEntry.objects.get().day == dt.date(2026, 11, 24)


def test_the_manager_reads_who_opened_a_record(client, manager, nurse, patient, other_patient):
    log_patient_access(nurse, patient)
    log_patient_access(nurse, patient)
    log_patient_access(nurse, other_patient)
    client.force_login(manager)
    response = client.get(ACCESS_LOG)
    assert response.status_code == 200
    rows = [(e.patient.full_name, e.user.first_name, e.count) for e in response.context["entries"]]
    assert sorted(rows) == [("Ali Demir", "Ayşe", 1), ("Zeynep Arslan", "Ayşe", 2)]
    assert "Zeynep Arslan" in response.content.decode()


def test_the_patient_page_links_the_manager_to_that_patients_log_by_id(client, manager, nurse, patient, other_patient):
    log_patient_access(nurse, patient)
    log_patient_access(nurse, other_patient)
    client.force_login(manager)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    link = f"{ACCESS_LOG}?patient={patient.pk}"
    assert f'href="{link}"' in page
    response = client.get(link)
    assert {e.patient for e in response.context["entries"]} == {patient}
    assert response.context["patient"] == patient
    # The manager's own opening of the patient page is in the log too.
    assert {e.user for e in response.context["entries"]} == {nurse, manager}


def test_a_patient_is_found_by_a_posted_search_so_no_name_is_in_a_url(client, manager, patient, other_patient):
    client.force_login(manager)
    response = client.post(ACCESS_LOG, {"q": "arslan"})
    assert response.status_code == 200
    assert response.context["matches"] == [patient]
    assert f'href="?patient={patient.pk}"' in response.content.decode()


def test_the_log_is_filtered_by_staff_member_and_days(client, manager, nurse, reception, patient):
    log_patient_access(nurse, patient, at=NOW - 10 * DAY)
    log_patient_access(nurse, patient, at=NOW)
    log_patient_access(reception, patient, at=NOW)
    client.force_login(manager)
    by_nurse = client.get(ACCESS_LOG, {"user": nurse.pk}).context["entries"]
    assert {e.user for e in by_nurse} == {nurse} and len(by_nurse) == 2
    recent = client.get(ACCESS_LOG, {"since": (NOW - 2 * DAY).date().isoformat(), "until": NOW.date().isoformat()})
    assert {(e.user, e.day) for e in recent.context["entries"]} == {(nurse, NOW.date()), (reception, NOW.date())}


def test_the_log_is_paginated(client, manager, nurse, patient):
    for days in range(55):
        log_patient_access(nurse, patient, at=NOW - days * DAY)
    client.force_login(manager)
    first = client.get(ACCESS_LOG, {"user": nurse.pk})
    assert len(first.context["entries"]) == 50
    assert f"?user={nurse.pk}&amp;page=2" in first.content.decode()  # the filter stays on the next page
    assert len(client.get(ACCESS_LOG, {"user": nurse.pk, "page": 2}).context["entries"]) == 5


@pytest.mark.parametrize("role", ["nurse", "reception", "physician", "outsider"])
def test_only_the_manager_reads_the_access_log(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(ACCESS_LOG).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(ACCESS_LOG)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@override_settings(ACCESS_LOG_RETENTION_DAYS=30)
def test_the_nightly_purge_removes_lines_older_than_the_retention(nurse, patient, other_patient):
    now = dt.datetime.now(dt.UTC)
    log_patient_access(nurse, patient, at=now - 31 * DAY)
    log_patient_access(nurse, other_patient, at=now - 29 * DAY)
    log_patient_access(nurse, patient, at=now)
    assert purge_access_log.apply().get() == 1
    assert sorted(e.day for e in AccessLogEntry.objects.all()) == [
        timezone.localdate(now - 29 * DAY),
        timezone.localdate(now),
    ]


def test_the_purge_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-access-log"]
    assert entry["task"] == "meso_clinic.core.tasks.purge_access_log" and entry["schedule"] == 24 * 60 * 60


def test_by_default_the_purge_keeps_two_years(nurse, patient, other_patient):
    """README: ACCESS_LOG_RETENTION_DAYS defaults to 730. A line 731 days old goes; one 730 days old stays."""
    now = dt.datetime.now(dt.UTC)
    log_patient_access(nurse, patient, at=now - 731 * DAY)
    log_patient_access(nurse, other_patient, at=now - 730 * DAY)
    assert purge_access_log.apply().get() == 1
    assert [e.day for e in AccessLogEntry.objects.all()] == [timezone.localdate(now - 730 * DAY)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_the_manager_finds_who_opened_a_record(page, live_server, manager, nurse, reception, patient):
    log_patient_access(nurse, patient)
    log_patient_access(nurse, patient)
    log_patient_access(reception, patient)
    sign_in(page, "elif", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Access log").click()
    page.wait_for_url(f"**{ACCESS_LOG}?patient={patient.pk}")
    assert page.get_by_test_id("chosen-patient").inner_text() == "Zeynep Arslan"
    table = page.get_by_test_id("access-log").inner_text()
    assert "Ayşe" in table and "Selin" in table and "Elif" in table
    page.get_by_label("Name, date of birth, phone or email").fill("Arslan")
    page.get_by_role("button", name="Find").click()
    assert "Arslan" not in page.url  # searched by POST
    assert page.get_by_test_id("patient-matches").get_by_role("link", name="Zeynep Arslan").count() == 1
    page.screenshot(path=screenshot_path("access_log"), full_page=True)


def test_every_page_that_shows_a_patients_record_is_logged(client, reception, nurse, physician, patient):
    """Not only the patient page: the edit form (all her details), the intake, a screening (her health), a
    patch test, a session, the aftercare sheet, a side-effect report and a record's history show her record."""
    from aftercare.models import SideEffectReport
    from tests.fixtures.aftercare import performed_session

    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    report = SideEffectReport.objects.create(session=session, effects=["redness"], severity="mild")
    pages = [
        f"/patients/{patient.pk}/edit/",
        f"/patients/{patient.pk}/intake/",
        f"/patients/{patient.pk}/intake/print/",
        f"/patients/screenings/{session.screening_id}/",
        f"/treatments/patch-tests/{patient.patch_tests.get().pk}/",
        f"/treatments/sessions/{session.pk}/",
        f"/aftercare/sessions/{session.pk}/sheet/",
        f"/aftercare/reports/{report.pk}/",
        f"/history/treatments.session/{session.pk}/",
        f"/treatments/patients/{patient.pk}/consent/",
    ]
    client.force_login(physician)
    for page in pages:
        AccessLogEntry.objects.all().delete()
        assert client.get(page).status_code == 200, page
        assert list(AccessLogEntry.objects.values_list("user", "patient")) == [(physician.pk, patient.pk)], page
