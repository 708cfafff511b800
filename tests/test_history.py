"""Every change to a clinical record keeps its history (docs/architecture.md, invariant 5): who, when, before, after.

Changes come from forms (save), services (save and QuerySet.update), the reminder worker (bulk
updates) and patients' emailed links; none escapes. Records are never deleted.
"""

import datetime as dt
import re
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from aftercare.links import unsubscribe_token
from aftercare.models import Reminder
from aftercare.services import reminders_dispatch, reminders_for_performed_session
from aftercare.tasks import send_reminder
from meso_clinic.core.history import (
    PATIENT_LINK,
    SYSTEM,
    TASK_ACTORS,
    HardDeleteRefused,
    acting_as,
    allow_hard_delete,
    tracked_fields,
    tracked_models,
)
from meso_clinic.core.models import HistoryEntry
from meso_clinic.overview.record_labels import ACTOR_WORDS, FIELD_LABELS, RECORD_NAMES
from patients.models import EligibilityScreening, Patient
from patients.services import screening_take
from tests.fixtures.aftercare import performed_session
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.pages import main_of
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import NOW, VITAMINS, answers, product, travel
from treatments.models import PatchTest, Session, SessionProduct
from treatments.services import patch_test_apply

pytestmark = pytest.mark.django_db


def history_of(record) -> list[HistoryEntry]:
    """In the order written (some tests move the clock back to a fixed day)."""
    content_type = ContentType.objects.get_for_model(type(record))
    return list(HistoryEntry.objects.filter(content_type=content_type, object_id=record.pk).order_by("id"))


def history_url(record) -> str:
    return f"/history/{record._meta.label_lower}/{record.pk}/"


def edit_form(patient: Patient, **changes) -> dict:
    data = {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "phone": patient.phone,
        "email": patient.email,
        "preferred_language": patient.preferred_language,
        "email_consent": "on" if patient.email_consent else "",
        "emergency_contact_name": patient.emergency_contact_name,
        "emergency_contact_phone": patient.emergency_contact_phone,
        "notes": patient.notes,
    }
    return {**data, **changes}


# --- Created, changed (save), bulk-updated ----------------------------------------------------------


def test_a_new_record_has_a_created_entry_with_its_values_and_who_made_it(reception):
    with acting_as(reception):
        patient = Patient.objects.create(
            given_name="Deniz", family_name="Kaya", date_of_birth=dt.date(1990, 3, 1), sex=Patient.Sex.FEMALE
        )
    [entry] = history_of(patient)
    assert entry.action == "created"
    assert entry.changed_by == reception and entry.actor == "Selin"
    assert entry.changes["given_name"] == [None, "Deniz"]
    assert entry.changes["date_of_birth"] == [None, "1990-03-01"]
    assert "updated_at" not in entry.changes and "phone_digits" not in entry.changes  # bookkeeping, not record


def test_an_edit_through_the_form_records_only_the_changed_fields_by_the_signed_in_user(client, reception, patient):
    client.force_login(reception)
    response = client.post(f"/patients/{patient.pk}/edit/", edit_form(patient, phone="+90 532 999 88 77"))
    assert response.status_code == 302
    *_, entry = history_of(patient)
    assert entry.action == "changed"
    assert entry.changed_by == reception
    assert entry.changes == {"phone": ["+90 532 111 22 33", "+905329998877"]}  # the form stores E.164


def test_an_edit_whose_history_cannot_be_written_is_not_saved_either(client, reception, patient, monkeypatch):
    """A request is one transaction (ATOMIC_REQUESTS): no change is kept without its history row."""
    from meso_clinic.core import history

    def broken(entries, using):
        raise RuntimeError("the history table is unavailable")

    monkeypatch.setattr(history, "_write", broken)
    client.force_login(reception)
    client.raise_request_exception = False
    response = client.post(f"/patients/{patient.pk}/edit/", edit_form(patient, phone="+90 532 999 88 77"))
    assert response.status_code == 500
    patient.refresh_from_db()
    assert patient.phone == "+90 532 111 22 33"


def test_saving_without_a_change_adds_nothing(patient):
    before = len(history_of(patient))
    patient.save()
    assert len(history_of(patient)) == before


def test_a_bulk_update_keeps_one_entry_per_record_with_before_and_after(patient, reception):
    other = Patient.objects.create(
        given_name="Ali", family_name="Demir", date_of_birth=dt.date(1980, 1, 2), sex=Patient.Sex.MALE,
        email="ali@example.com", email_consent=True,
    )
    with acting_as(reception):
        updated = Patient.objects.filter(pk__in=[patient.pk, other.pk]).update(email_consent=False)
    assert updated == 2
    for record in (patient, other):
        *_, entry = history_of(record)
        assert entry.action == "changed" and entry.changed_by == reception
        assert entry.changes == {"email_consent": [True, False]}


def test_a_compare_and_set_update_keeps_the_same_history_and_changes_nothing_when_the_row_moved(patient, reception):
    """update_if (the reminder worker's "mark sent") skips the locking read: the expected values are the before."""
    old_phone = patient.phone
    with acting_as(reception):
        assert Patient.objects.update_if(patient.pk, expected={"phone": old_phone}, phone="+90 555 000 11 22")
        # Someone else's change came first: the row no longer holds the expected value.
        assert not Patient.objects.update_if(patient.pk, expected={"phone": old_phone}, phone="+90 555 999 99 99")
    *_, entry = history_of(patient)
    assert entry.changes == {"phone": [old_phone, "+90 555 000 11 22"]} and entry.changed_by == reception
    assert Patient.objects.get(pk=patient.pk).phone == "+90 555 000 11 22"
    assert len(history_of(patient)) == 2  # created, and the one change
    with pytest.raises(TypeError, match="expected value of phone"):
        Patient.objects.update_if(patient.pk, expected={}, phone="+90 555 000 00 00")
    with pytest.raises(TypeError, match="plain values"):
        Patient.objects.update_if(patient.pk, expected={"notes": ""}, notes=F("phone"))


def test_a_compare_and_set_of_many_rows_writes_one_entry_per_row_it_changed(patient, reception):
    """update_all_if (the reminder dispatch's claim): every row that holds the expected values, with history."""
    other = Patient.objects.create(
        given_name="Emma", family_name="Clarke", date_of_birth=dt.date(1979, 11, 3), sex="female", notes="old"
    )
    Patient.objects.filter(pk=patient.pk).update(notes="different")
    with acting_as(reception):
        changed = Patient.objects.filter(pk__in=[patient.pk, other.pk]).update_all_if(
            expected={"notes": "old"}, notes="new"
        )
    assert changed == 1  # only Emma still held the expected value
    assert Patient.objects.get(pk=other.pk).notes == "new" and Patient.objects.get(pk=patient.pk).notes == "different"
    *_, entry = history_of(other)
    assert entry.changes == {"notes": ["old", "new"]} and entry.changed_by == reception and entry.actor
    assert history_of(patient)[-1].changes == {"notes": [patient.notes, "different"]}  # nothing more for Zeynep
    # No row to consider (a dispatch that found nothing due): nothing happens.
    assert Patient.objects.filter(pk__in=[]).update_all_if(expected={"notes": "new"}, notes="newer") == 0


def test_a_bulk_update_by_expression_records_the_value_it_produced(patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    reminder = Reminder.objects.filter(session=session, status="pending").first()
    Reminder.objects.filter(pk=reminder.pk).update(attempts=F("attempts") + 2)
    *_, entry = history_of(reminder)
    assert entry.changes == {"attempts": [0, 2]} and entry.actor == "system"


def test_an_unsubscribe_from_the_emailed_link_is_recorded_as_the_patient(client, patient):
    response = client.post(reverse("aftercare:unsubscribe", args=[unsubscribe_token(patient_id=patient.pk)]))
    assert response.status_code == 200
    *_, entry = history_of(patient)
    assert entry.changes == {"email_consent": [True, False]}
    assert entry.changed_by is None and entry.actor == "patient (emailed link)"


def test_a_physicians_decision_through_the_review_page_is_recorded_as_theirs(client, patient, reception, physician):
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception)
    client.force_login(physician)
    response = client.post(
        reverse("patients:decide", args=[screening.pk]), {"decision": "approved", "reason": "Reviewed, no concerns."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created, decided = history_of(screening)
    assert created.action == "created" and created.actor == "system"  # taken outside a request here
    assert decided.action == "changed" and decided.changed_by == physician
    assert decided.changes["decision"] == ["", "approved"]
    assert decided.changes["decided_by"] == [None, physician.pk]
    assert decided.changes["decision_reason"] == ["", "Reviewed, no concerns."]


def test_a_patch_tests_products_are_part_of_its_history(patient, nurse):
    vitamins = product(VITAMINS)
    with acting_as(nurse):
        test = patch_test_apply(
            patient=patient, products=[vitamins], site="inner left forearm", applied_by=nurse, applied_at=NOW, now=NOW
        )
    created, products = history_of(test)
    assert created.action == "created" and created.changes["site"] == [None, "inner left forearm"]
    assert products.changes == {"products": [[], [vitamins.pk]]} and products.changed_by == nurse


# --- The reminder pipeline: meaningful fields only ------------------------------------------------------


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_reminder_worker_is_recorded_and_its_leases_are_not(
    patient, reception, nurse, physician, django_capture_on_commit_callbacks
):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    reminder = Reminder.objects.filter(session=session, status="pending").order_by("due_at").first()
    claimed = []
    with travel(reminder.due_at), django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    pk, token = next(c for c in claimed if c[0] == reminder.pk)
    assert send_reminder.apply(args=(pk, token)).get() == "sent"
    assert len(mail.outbox) >= 1

    created, claim, attempt, sent = history_of(reminder)
    assert created.action == "created"
    assert claim.changes == {"status": ["pending", "sending"]}  # the lease token and expiry are not history
    assert attempt.changes == {"attempts": [0, 1]} and attempt.actor == "system: reminder worker"
    assert sent.changes["status"] == ["sending", "sent"] and sent.actor == "system: reminder worker"
    assert set(sent.changes) == {"status", "sent_at", "message_id"}


@pytest.mark.integration
def test_a_real_worker_and_beat_are_recorded_as_the_reminder_worker(
    celery_processes, smtp_server, patient, reception, nurse, physician
):
    processes = celery_processes(EMAIL_URL=smtp_server.url, REMINDER_DISPATCH_SECONDS="1")
    processes.start_worker()
    processes.start_beat()
    with acting_as(physician):
        session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    smtp_server.handler.wait_for(1)  # the aftercare sheet, due at once
    sheet = Reminder.objects.get(session=session, kind="aftercare_sheet")
    for _ in range(50):  # the worker marks it sent just after the SMTP server has it
        if Reminder.objects.get(pk=sheet.pk).status == "sent":
            break
        time.sleep(0.1)
    created, *worked = history_of(sheet)
    assert created.changed_by == physician  # written with the session, by the physician who performed it
    statuses = [e.changes["status"] for e in worked if "status" in e.changes]
    assert statuses == [["pending", "sending"], ["sending", "sent"]]
    assert {e.actor for e in worked} == {"system: reminder worker"} and all(e.changed_by is None for e in worked)


def test_bulk_create_that_ignores_conflicts_records_only_the_rows_it_made(patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    reminder_type = ContentType.objects.get_for_model(Reminder)
    made = HistoryEntry.objects.filter(content_type=reminder_type, action="created").count()
    assert made == Reminder.objects.filter(session=session).count() > 0
    reminders_for_performed_session(Session.objects.select_related("patient").get(pk=session.pk))  # again
    assert HistoryEntry.objects.filter(content_type=reminder_type, action="created").count() == made


def test_bulk_update_keeps_history(patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    reminders = list(Reminder.objects.filter(session=session, status="pending"))
    assert len(reminders) >= 5  # the after-session timeline: the loops below check each
    for r in reminders:
        r.last_error = "Checked by hand."
    Reminder.objects.bulk_update(reminders, ["last_error"])
    for r in reminders:
        assert history_of(r)[-1].changes == {"last_error": ["", "Checked by hand."]}


# --- No hard delete ----------------------------------------------------------------------------------


def test_clinical_records_are_never_deleted(patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    attempts = [
        lambda: Patient.objects.filter(pk=patient.pk).delete(),
        lambda: Reminder.objects.filter(session=session).delete(),
        lambda: SessionProduct.objects.filter(session=session).first().delete(),  # Model.delete() too
        lambda: EligibilityScreening.objects.all().delete(),
        lambda: HistoryEntry.objects.all().delete(),  # history is kept as well
    ]
    words = "never deleted: they are kept at least 20 years"
    for attempt in attempts:
        with pytest.raises(HardDeleteRefused, match=words), transaction.atomic():
            attempt()
    assert Reminder.objects.filter(session=session).exists() and SessionProduct.objects.filter(session=session).exists()


def test_the_documented_manual_removal_is_itself_recorded(reception):
    with acting_as(reception):
        patient = Patient.objects.create(
            given_name="Old", family_name="Record", date_of_birth=dt.date(1950, 1, 1), sex=Patient.Sex.MALE
        )
    pk = patient.pk
    with allow_hard_delete():
        patient.delete()
    assert not Patient.objects.filter(pk=pk).exists()
    entry = HistoryEntry.objects.filter(object_id=pk, action="deleted").get()
    assert entry.changes["family_name"] == ["Record", None]


def test_the_admin_site_offers_no_delete_for_patients(client, manager, patient):
    client.force_login(manager)
    response = client.get(f"/admin/patients/patient/{patient.pk}/delete/")
    assert response.status_code == 403
    page = client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert "deletelink" not in page


# --- The history page ----------------------------------------------------------------------------------


def test_the_history_page_shows_a_change_in_words(client, reception, physician, patient):
    client.force_login(reception)
    client.post(f"/patients/{patient.pk}/edit/", edit_form(patient, phone="+90 532 999 88 77", sex="not_stated"))
    client.force_login(physician)
    response = client.get(history_url(patient))
    assert response.status_code == 200
    html = response.content.decode()
    assert "History: Zeynep Arslan&#x27;s details" in html
    assert "Selin" in html  # who
    assert "+90 532 111 22 33" in html and "+905329998877" in html
    assert "Female" in html and "Prefers not to say" in html  # the words of the choice, not its code
    assert "not_stated" not in html


def test_a_screenings_history_shows_the_decision_and_who_made_it(client, reception, physician, patient):
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception)
    client.force_login(physician)
    client.post(reverse("patients:decide", args=[screening.pk]), {"decision": "approved", "reason": "Fine."})
    html = client.get(history_url(screening)).content.decode()
    assert "Mehmet" in main_of(html)  # the physician's name, not the id (the navbar has it too: he is signed in)
    assert "Approve" in html and "Fine." in html


def test_a_sessions_history_includes_the_batches_recorded_for_its_products(
    client, patient, reception, nurse, physician
):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    client.force_login(physician)
    page = client.get(reverse("treatments:session", args=[session.pk])).content.decode()
    assert f'href="{history_url(session)}"' in page  # the link on the session page
    html = client.get(history_url(session)).content.decode()
    assert f"{VITAMINS} in session {session.pk}" in html
    assert f"lot VC-{patient.pk}" in html  # the batch in words
    assert "Performed" in html


def test_pages_link_to_their_history_for_physicians_only(client, reception, physician, nurse, patient):
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception)
    test = patch_test_apply(
        patient=patient, products=[product(VITAMINS)], site="arm", applied_by=nurse, applied_at=NOW, now=NOW
    )
    pages = {
        reverse("patients:detail", args=[patient.pk]): history_url(patient),
        reverse("patients:screening", args=[screening.pk]): history_url(screening),
        reverse("treatments:patch_test", args=[test.pk]): history_url(test),
    }
    client.force_login(physician)
    for page, link in pages.items():
        assert f'href="{link}"' in client.get(page).content.decode(), page
    client.force_login(reception)
    for page, link in pages.items():
        assert link not in client.get(page).content.decode(), page


@pytest.mark.parametrize("role", ["reception", "nurse", "outsider"])
def test_history_is_refused_to_other_roles(client, request, role, patient):
    client.force_login(request.getfixturevalue(role))
    assert client.get(history_url(patient)).status_code == 403


def test_history_asks_anonymous_visitors_to_sign_in(client, patient):
    response = client.get(history_url(patient))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_history_of_a_record_that_never_existed_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/history/patients.patient/999999/").status_code == 404


def test_a_patch_tests_history_page_names_its_products(client, physician, nurse, patient):
    with acting_as(nurse):
        test = patch_test_apply(
            patient=patient, products=[product(VITAMINS)], site="arm", applied_by=nurse, applied_at=NOW, now=NOW
        )
    client.force_login(physician)
    html = client.get(history_url(test)).content.decode()
    assert "<strong>Products:</strong>" in html and VITAMINS in html and "Ayşe" in html
    assert PatchTest.objects.filter(pk=test.pk).exists()


def test_the_systems_own_actors_have_words_for_the_history_page():
    assert {SYSTEM, PATIENT_LINK, *TASK_ACTORS.values()} <= set(ACTOR_WORDS)


def test_every_tracked_record_and_field_has_words_for_the_history_page():
    """A new tracked field without its label would show Django's default, in English only."""
    models = tracked_models()
    assert {"patients.patient", "patients.eligibilityscreening", "treatments.session", "aftercare.reminder"} <= {
        model._meta.label_lower for model in models
    }
    for model in models:
        assert model._meta.label_lower in RECORD_NAMES, model
        fields = list(tracked_fields(model)) + list(model._meta.many_to_many)
        # Words: FIELD_LABELS', or the model's own verbose name when it is marked for translation.
        missing = [f.name for f in fields if f.name not in FIELD_LABELS and not isinstance(f.verbose_name, Promise)]
        assert not missing, f"{model._meta.label}: {missing}"


def test_a_patients_details_are_labelled_by_the_models_verbose_names_in_both_languages():
    from django.utils import translation

    from meso_clinic.overview.record_labels import field_label

    def labels() -> list[str]:
        return [field_label(Patient._meta.get_field(name)) for name in ("given_name", "date_of_birth", "phone")]

    assert labels() == ["Given name", "Date of birth", "Phone"]
    with translation.override("tr"):
        assert labels() == ["Ad", "Doğum tarihi", "Telefon"]
        assert field_label(Patient._meta.get_field("emergency_contact_phone")) == "Acil durum telefonu"  # its own


def test_a_screenings_history_in_turkish(client, reception, physician, patient):
    """Headings, field labels, choices and yes/no in the staff member's language; typed text as typed."""
    screening = screening_take(patient=patient, answers=answers(), taken_by=reception)
    client.force_login(physician)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "tr"
    client.post(reverse("patients:decide", args=[screening.pk]), {"decision": "approved", "reason": "Fine."})
    html = client.get(history_url(screening)).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for words in ["Geçmiş: Zeynep Arslan: uygunluk taraması", f"Tarama {screening.pk} (Uygun)",
                  "Karar: — → Onayla", "Karar veren: — → Mehmet", "sistem Oluşturuldu", "Gerekçe: — → Fine.",
                  "Kuralların sonucu", "Onaylanamaz", "Hayır", "Yaş", "Anket sürümü", "Kayda dön (uygunluk taraması)"]:
        assert words in text, words
    for words in ["Decision", "Decided by", "Decision reason", "Age years", "Hard stop", "eligibility screening",
                  f"Screening {screening.pk}", "system Oluşturuldu"]:  # (the stored answers stay as recorded)
        assert words not in text, words


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_a_physician_reads_a_patients_history(page, live_server, reception, physician, patient):
    with acting_as(reception):
        patient.phone = "+90 532 999 88 77"
        patient.notes = "Prefers afternoon appointments."
        patient.save()
    sign_in(page, "dr_yilmaz", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**{history_url(patient)}")
    table = page.get_by_test_id("history")
    assert "+90 532 999 88 77" in table.inner_text() and "Selin" in table.inner_text()
    page.screenshot(path=screenshot_path("history_patient"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_a_sessions_history_tells_how_it_was_booked_and_performed(
    page, live_server, patient, reception, nurse, physician
):
    with acting_as(physician):
        session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)
    sign_in(page, "dr_yilmaz", PASSWORD)
    page.goto(reverse("treatments:session", args=[session.pk]))
    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**{history_url(session)}")
    table = page.get_by_test_id("history")
    page.get_by_text("Recorded with").last.click()  # the values the booking was made with
    text = table.inner_text()
    assert "Status: Booked → Performed" in text and "Mehmet" in text
    assert f"lot VC-{patient.pk}" in text and "Appointment" in text
    page.screenshot(path=screenshot_path("history_session"), full_page=True)
