"""Patch tests, consent, booking, the sign-off gate, the day view and recalls, through the views.

The clock stands still at NOW (23 Nov 2026, 12:30 in Istanbul) unless a test moves it. The patient
"ready" for a session has, from three days before: a physician's approval, a negative patch test
for the vitamin complex read 25 hours after application, and a four-session skin course with her
consent to all of it.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meso_clinic.core.history import allow_hard_delete
from patients.models import Patient
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import (
    AMINO,
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    approved_screening,
    consent_text,
    course_with_consent,
    make_batch,
    make_patient,
    product,
    read_patch_test,
    wrinkles,
)
from treatments.models import Batch, Course, PatchTest, Product, Session
from treatments.services import consent_record, patch_test_apply, session_book

ROLES = ("reception", "nurse", "physician", "manager", "outsider")


def local(moment: dt.datetime) -> str:
    """A moment as a datetime-local input sends it: clinic time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def errors_of(response, form: str = "form") -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in response.context[form].errors.items()}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Staff fixtures hash a password each; the default hasher makes the role matrix slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def vitamins(db) -> Product:
    return product(VITAMINS)


@pytest.fixture
def amino(db) -> Product:
    return product(AMINO)


@pytest.fixture
def batches(vitamins, amino) -> dict[str, Batch]:
    return {
        "good": make_batch(vitamins, "VIT-2611", dt.date(2027, 6, 30)),
        "expired": make_batch(vitamins, "VIT-OLD", dt.date(2026, 11, 22)),  # the day before NOW
        "amino": make_batch(amino, "AMI-77", dt.date(2027, 6, 30)),
    }


@dataclass
class Ready:
    patient: Patient
    test: PatchTest
    course: Course


@pytest.fixture
def ready(patient, reception, nurse, physician, vitamins) -> Ready:
    start = NOW - 3 * DAY
    approved_screening(patient, taken_by=reception, physician=physician, at=start)
    test = read_patch_test(patient, [vitamins], nurse=nurse, applied_at=start)
    course, _ = course_with_consent(patient, by=physician, at=start)
    return Ready(patient, test, course)


@pytest.fixture
def booked(ready, physician, vitamins, clock) -> Session:
    """A course session booked two hours ago by the physician, for one hour ago."""
    clock.move_to(NOW - 2 * HOUR)
    session = session_book(
        patient=ready.patient,
        indication=wrinkles(),
        products=[vitamins],
        technique="needles",
        practitioner=physician,
        supervising_physician=physician,
        scheduled_at=NOW - HOUR,
        booked_by=physician,
        course=ready.course,
    )
    clock.move_to(NOW)
    return session


def perform_data(session: Session, batch: Batch, **changes) -> dict:
    product_id = session.session_products.get().product_id
    data = {
        "performed_at": local(NOW - 30 * MINUTE),
        "health_unchanged": "on",
        f"batch_{product_id}": batch.pk,
        "reaction_after_previous": "",
        "immediate_reactions": "slight redness",
        "notes": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def book_data(practitioner, physician, products, **changes) -> dict:
    data = {
        "indication": wrinkles().pk,
        "course": "",
        "products": [p.pk for p in products],
        "technique": "needles",
        "practitioner": practitioner.pk,
        "supervising_physician": physician.pk,
        "scheduled_at": local(NOW + HOUR),
        "duration_minutes": "45",
        "book": "",
    }
    data.update(changes)
    return data


# --- Who may open what ------------------------------------------------------------------------


@pytest.fixture
def world(ready, booked, nurse, physician, vitamins):
    """One of everything, so that every page has something to show."""
    reaction = read_patch_test(
        ready.patient, [vitamins], nurse=nurse, applied_at=NOW - 2 * DAY, read_after=25 * HOUR, result="redness"
    )
    return {"patient": ready.patient.pk, "test": ready.test.pk, "reaction": reaction.pk, "session": booked.pk}


PAGES = [
    # (url template, roles that get 200, roles that get 403)
    ("/treatments/catalogue/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
    ("/treatments/recall/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
    ("/treatments/calendar/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
    ("/treatments/patch-tests/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
    ("/treatments/patch-tests/{test}/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
    ("/treatments/patients/{patient}/patch-tests/new/", {"nurse", "physician"}, {"reception", "manager", "outsider"}),
    ("/treatments/patients/{patient}/consent/", {"reception", "nurse", "physician"}, {"manager", "outsider"}),
    ("/treatments/patients/{patient}/courses/new/", {"reception", "physician"}, {"nurse", "manager", "outsider"}),
    ("/treatments/patients/{patient}/sessions/new/", {"reception", "nurse", "physician"}, {"manager", "outsider"}),
    ("/treatments/sessions/{session}/", {"reception", "nurse", "physician", "manager"}, {"outsider"}),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_answers_its_roles_and_refuses_the_others(request, client, world, url, allowed, refused):
    assert allowed | refused == set(ROLES)
    url = url.format(**world)
    for role in ROLES:
        client.force_login(request.getfixturevalue(role))
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (role, url)


POSTS = [
    # (url template, roles whose POST is handled (200: the form again, with errors), roles refused)
    ("/treatments/patch-tests/{test}/read/", {"nurse", "physician"}, {"reception", "manager", "outsider"}),
    ("/treatments/patch-tests/{reaction}/reaction/", {"physician"}, {"reception", "nurse", "manager", "outsider"}),
    ("/treatments/sessions/{session}/perform/", {"physician"}, {"reception", "nurse", "manager", "outsider"}),
    ("/treatments/sessions/{session}/reschedule/", {"reception", "nurse", "physician"}, {"manager", "outsider"}),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), POSTS, ids=[p[0] for p in POSTS])
def test_each_action_answers_its_roles_and_refuses_the_others(request, client, world, url, allowed, refused):
    url = url.format(**world)
    for role in ROLES:
        client.force_login(request.getfixturevalue(role))
        expected = 200 if role in allowed else 403
        assert client.post(url, {}).status_code == expected, (role, url)
    assert PatchTest.objects.get(pk=world["reaction"]).reaction_cleared_at is None
    assert Session.objects.get(pk=world["session"]).status == Session.Status.BOOKED


def test_cancelling_is_for_the_roles_that_book(client, world, manager, reception):
    url = f"/treatments/sessions/{world['session']}/cancel/"
    client.force_login(manager)
    assert client.post(url, {"choice": "Booked by mistake."}).status_code == 403
    assert client.post(f"/treatments/sessions/{world['session']}/no-show/").status_code == 403
    assert Session.objects.get(pk=world["session"]).status == Session.Status.BOOKED
    client.force_login(reception)
    assert client.post(url, {"choice": "Booked by mistake."}).status_code == 302
    assert Session.objects.get(pk=world["session"]).status == Session.Status.CANCELLED


def test_pages_offer_only_the_actions_of_the_role(client, world, reception, nurse, physician):
    patient_page = f"/patients/{world['patient']}/"
    unread = patch_test_apply(
        patient=Patient.objects.get(pk=world["patient"]),
        products=[product(VITAMINS)],
        site="forearm",
        applied_by=nurse,
    )

    client.force_login(reception)
    html = client.get(patient_page).content.decode()
    assert "Apply patch test" not in html and "Book a session" in html
    assert "Record reading" not in client.get(f"/treatments/patch-tests/{unread.pk}/").content.decode()

    client.force_login(nurse)
    assert "Apply patch test" in client.get(patient_page).content.decode()
    assert "Record reading" in client.get(f"/treatments/patch-tests/{unread.pk}/").content.decode()
    reaction_page = client.get(f"/treatments/patch-tests/{world['reaction']}/").content.decode()
    assert "Allow the products despite the reaction" not in reaction_page
    assert "Sign off as performed" not in client.get(f"/treatments/sessions/{world['session']}/").content.decode()

    client.force_login(physician)
    reaction_page = client.get(f"/treatments/patch-tests/{world['reaction']}/").content.decode()
    assert "Allow the products despite the reaction" in reaction_page
    assert "Sign off as performed" in client.get(f"/treatments/sessions/{world['session']}/").content.decode()


def test_only_a_physician_clears_a_reaction_and_must_say_why(client, world, physician):
    url = f"/treatments/patch-tests/{world['reaction']}/reaction/"
    client.force_login(physician)
    response = client.post(url, {"reaction_decision": ""})
    assert response.status_code == 200 and "reaction_decision" in errors_of(response, "clear_form")
    assert PatchTest.objects.get(pk=world["reaction"]).reaction_cleared_at is None

    response = client.post(url, {"reaction_decision": "Redness faded in an hour; allergist agrees."})
    assert response.status_code == 302
    cleared = PatchTest.objects.get(pk=world["reaction"])
    assert cleared.reaction_cleared_by == physician and cleared.reaction_decision.startswith("Redness faded")


# --- Bad input is refused at the field and saves nothing -------------------------------------


def test_booking_in_the_past_is_refused_at_the_time(client, ready, physician, vitamins):
    client.force_login(physician)
    url = f"/treatments/patients/{ready.patient.pk}/sessions/new/"
    response = client.post(url, book_data(physician, physician, [vitamins], scheduled_at=local(NOW - HOUR)))
    assert response.status_code == 200
    assert any("That time has passed" in m for m in errors_of(response)["scheduled_at"])
    assert "That time has passed" in response.content.decode()
    assert not Session.objects.exists()


def test_overlapping_sessions_of_one_practitioner_are_refused(client, ready, nurse, physician, vitamins):
    session_book(
        patient=make_patient(dt.date(1980, 1, 1)),
        indication=wrinkles(),
        products=[vitamins],
        technique="gun",
        practitioner=nurse,
        supervising_physician=physician,
        scheduled_at=NOW + HOUR,
        booked_by=nurse,
    )
    client.force_login(physician)
    url = f"/treatments/patients/{ready.patient.pk}/sessions/new/"
    overlapping = book_data(nurse, physician, [vitamins], scheduled_at=local(NOW + HOUR + 30 * MINUTE))
    response = client.post(url, overlapping)
    assert response.status_code == 200
    message = "The practitioner has another session at 13:30 (until 14:15) that overlaps this time."
    assert errors_of(response)["scheduled_at"] == [message]
    assert message in response.content.decode()
    assert Session.objects.count() == 1

    # Another practitioner is free at that time (for another patient: one patient is not in two rooms at once);
    # the first one is free once the first session ends.
    other = f"/treatments/patients/{make_patient(dt.date(1981, 2, 2), given_name='Ece').pk}/sessions/new/"
    assert client.post(other, book_data(physician, physician, [vitamins], scheduled_at=overlapping["scheduled_at"]))[
        "Location"
    ].startswith("/treatments/sessions/")
    after = book_data(nurse, physician, [vitamins], scheduled_at=local(NOW + HOUR + 45 * MINUTE))
    assert client.post(url, after).status_code == 302
    assert Session.objects.count() == 3


def test_a_patch_test_read_before_24_hours_is_refused_and_stays_unread(client, patient, nurse, vitamins):
    test = patch_test_apply(
        patient=patient, products=[vitamins], site="inner left forearm", applied_by=nurse, applied_at=NOW - 2 * HOUR
    )
    client.force_login(nurse)
    too_early = "Too early: this patch test can be read from 24 Nov 2026 10:30 (24 hours after it was applied)."
    page = client.get(f"/treatments/patch-tests/{test.pk}/")
    assert too_early in page.content.decode()

    response = client.post(f"/treatments/patch-tests/{test.pk}/read/", {"result": "no_reaction"})
    assert response.status_code == 200
    assert response.context["read_form"].non_field_errors() == [too_early]
    html = response.content.decode()
    assert "Not saved:" in html and too_early in html
    test.refresh_from_db()
    assert (test.read_at, test.result, test.read_by) == (None, "", None)


def test_a_reaction_needs_a_description(client, patient, nurse, vitamins, clock):
    test = patch_test_apply(
        patient=patient,
        products=[vitamins],
        site="forearm",
        applied_by=nurse,
        applied_at=NOW - 25 * HOUR,
        now=NOW - 25 * HOUR,
    )
    client.force_login(nurse)
    response = client.post(f"/treatments/patch-tests/{test.pk}/read/", {"result": "redness", "result_notes": ""})
    assert errors_of(response, "read_form")["result_notes"] == ["Describe the reaction (size, look, symptoms)."]
    test.refresh_from_db()
    assert test.read_at is None


def test_signing_off_with_an_expired_batch_is_refused_at_the_batch(client, booked, batches, physician, vitamins):
    client.force_login(physician)
    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", perform_data(booked, batches["expired"]))
    assert response.status_code == 200
    assert errors_of(response, "perform_form")[f"batch_{vitamins.pk}"] == [
        "Lot VIT-OLD expired on 22 Nov 2026: it cannot be used."
    ]
    assert "Lot VIT-OLD expired on 22 Nov 2026" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Session.Status.BOOKED and booked.session_products.get().batch is None


def test_signing_off_with_a_batch_of_another_product_is_refused_at_the_batch(
    client, booked, batches, physician, vitamins
):
    client.force_login(physician)
    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", perform_data(booked, batches["amino"]))
    assert response.status_code == 200
    errors = errors_of(response, "perform_form")
    assert list(errors) == [f"batch_{vitamins.pk}"]
    assert "Select a valid choice" in errors[f"batch_{vitamins.pk}"][0]
    booked.refresh_from_db()
    assert booked.status == Session.Status.BOOKED and booked.session_products.get().batch is None


def test_signing_off_without_the_health_confirmation_is_refused_at_the_checkbox(client, booked, batches, physician):
    client.force_login(physician)
    data = perform_data(booked, batches["good"], health_unchanged=None)
    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", data)
    assert response.status_code == 200
    [message] = errors_of(response, "perform_form")["health_unchanged"]
    assert message.startswith("Confirm with the patient that health and medicines have not changed")
    booked.refresh_from_db()
    assert booked.status == Session.Status.BOOKED and not booked.health_unchanged_confirmed


def test_a_first_session_is_not_asked_about_a_previous_one(client, booked, physician):
    client.force_login(physician)
    page = client.get(f"/treatments/sessions/{booked.pk}/").content.decode()
    assert "Any reaction after the previous session" not in page


def test_a_later_session_records_whether_a_reaction_followed_the_previous_one(
    client, booked, batches, physician, reception, nurse
):
    """docs/clinical-rules.md: a clean patch test is not permanent clearance; each later session records the answer."""
    performed_session(booked.patient, reception=reception, nurse=nurse, physician=physician, now=NOW - 14 * DAY)
    client.force_login(physician)
    url = f"/treatments/sessions/{booked.pk}/perform/"
    page = client.get(f"/treatments/sessions/{booked.pk}/").content.decode()
    assert "Any reaction after the previous session (09 Nov 2026)? Ask the patient." in page

    unanswered = client.post(url, perform_data(booked, batches["good"], notes="left the question out"))
    [message] = errors_of(unanswered, "perform_form")["previous_reaction"]
    assert message.startswith("Ask the patient whether any reaction followed the previous session (09 Nov 2026)")
    assert "left the question out" in unanswered.content.decode()  # what was typed stays
    no_batch = perform_data(booked, batches["good"], **{f"batch_{booked.session_products.get().product_id}": None})
    both = errors_of(client.post(url, no_batch), "perform_form")  # asked with the other fields, at once
    assert "previous_reaction" in both and len(both) == 2

    data = perform_data(booked, batches["good"], previous_reaction="reaction")
    undescribed = client.post(url, data)
    assert errors_of(undescribed, "perform_form") == {
        "reaction_after_previous": ["Describe the reaction that followed the previous session."]
    }
    booked.refresh_from_db()
    assert booked.status == Session.Status.BOOKED

    data["reaction_after_previous"] = "Bruising for two days"
    assert client.post(url, data).status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.previous_reaction, booked.reaction_after_previous) == (
        Session.Status.PERFORMED, "reaction", "Bruising for two days"
    )
    shown = client.get(f"/treatments/sessions/{booked.pk}/").content.decode()
    assert re.search(r'data-testid="previous-reaction">.*A reaction.*Bruising for two days', shown)


def test_the_database_keeps_a_reaction_after_the_previous_session_described(booked):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="session_previous_reaction_is_described"), transaction.atomic():
        Session.objects.filter(pk=booked.pk).update(previous_reaction="reaction", reaction_after_previous="")


def test_signing_off_before_the_booking_time_is_refused_at_the_time(client, booked, batches, physician):
    client.force_login(physician)
    data = perform_data(booked, batches["good"], performed_at=local(NOW - 3 * HOUR))  # booked at NOW - 2 h
    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", data)
    assert response.status_code == 200
    assert "The performed time is before the session was booked." in errors_of(response, "perform_form")["performed_at"]
    booked.refresh_from_db()
    assert booked.status == Session.Status.BOOKED and booked.performed_at is None


def test_signing_off_when_the_patch_test_is_unread_is_refused_with_the_reason(
    client, patient, reception, nurse, physician, vitamins, batches
):
    approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 3 * DAY)
    with time_machine.travel(NOW - 2 * HOUR, tick=False):  # booked before the test (once applied, not before 24 h)
        session = session_book(
            patient=patient,
            indication=wrinkles(),
            products=[vitamins],
            technique="gun",
            practitioner=physician,
            supervising_physician=physician,
            scheduled_at=NOW,
            booked_by=physician,
        )
    patch_test_apply(patient=patient, products=[vitamins], site="forearm", applied_by=nurse, applied_at=NOW - HOUR)
    consent_record(patient=patient, text=consent_text(), recorded_by=physician, consented_at=NOW - 50 * MINUTE)
    client.force_login(physician)
    response = client.post(
        f"/treatments/sessions/{session.pk}/perform/", perform_data(session, batches["good"], performed_at=local(NOW))
    )
    assert response.status_code == 200
    [reason] = response.context["perform_form"].non_field_errors()
    assert reason.startswith(f"The patch test for {VITAMINS} applied 23 Nov 2026 11:30 is too recent")
    assert "Not saved:" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.BOOKED


def red_boxes_with(html: str, message: str) -> int:
    """How many red alert boxes on the page carry `message`."""
    boxes = re.findall(r'<div class="alert[^"]*\balert-danger\b[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return sum(message in box for box in boxes)


@pytest.mark.parametrize("page", ["patch test read", "sign-off"])
def test_a_refusal_is_shown_in_one_red_box(client, patient, reception, nurse, physician, vitamins, batches, page):
    test = patch_test_apply(
        patient=patient, products=[vitamins], site="forearm", applied_by=nurse, applied_at=NOW - HOUR
    )
    client.force_login(physician)
    if page == "patch test read":
        response = client.post(f"/treatments/patch-tests/{test.pk}/read/", {"result": "no_reaction"})
        [message] = response.context["read_form"].non_field_errors()
    else:
        approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 3 * DAY)
        with time_machine.travel(NOW - 2 * HOUR, tick=False):  # booked before the patch test was applied
            session = session_book(
                patient=patient,
                indication=wrinkles(),
                products=[vitamins],
                technique="gun",
                practitioner=physician,
                supervising_physician=physician,
                scheduled_at=NOW,
                booked_by=physician,
            )
        response = client.post(
            f"/treatments/sessions/{session.pk}/perform/",
            perform_data(session, batches["good"], performed_at=local(NOW)),
        )
        message = response.context["perform_form"].non_field_errors()[0]
    assert red_boxes_with(response.content.decode(), message) == 1


def test_a_walk_in_can_be_signed_off_in_the_minute_it_was_booked(
    client, patient, reception, nurse, physician, vitamins, batches, clock
):
    approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 3 * DAY)
    read_patch_test(patient, [vitamins], nurse=nurse, applied_at=NOW - 3 * DAY)
    client.force_login(physician)
    clock.move_to(NOW + 20 * dt.timedelta(seconds=1))  # 12:30:20: consent, booked at 12:30:30, signed at 12:30:45
    client.post(f"/treatments/patients/{patient.pk}/consent/", {"text": consent_text().pk, "confirmed": "on"})
    clock.move_to(NOW + 30 * dt.timedelta(seconds=1))
    response = client.post(
        f"/treatments/patients/{patient.pk}/sessions/new/",
        book_data(physician, physician, [vitamins], scheduled_at=local(NOW)),
    )
    session = Session.objects.get()
    clock.move_to(NOW + 45 * dt.timedelta(seconds=1))
    page = client.get(response["Location"])
    prefilled = page.context["perform_form"]["performed_at"].value()
    response = client.post(
        f"/treatments/sessions/{session.pk}/perform/", perform_data(session, batches["good"], performed_at=prefilled)
    )
    assert response.status_code == 302, errors_of(response, "perform_form")


def test_a_performed_course_session_shows_progress_lot_and_is_found_by_recall(
    client, booked, batches, physician, ready
):
    client.force_login(physician)
    patient_page = f"/patients/{ready.patient.pk}/"
    assert "0 of 4 done" in client.get(patient_page).content.decode()

    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", perform_data(booked, batches["good"]))
    assert response["Location"] == patient_page
    booked.refresh_from_db()
    assert booked.status == Session.Status.PERFORMED and booked.performed_by == physician
    assert booked.consent is not None and booked.screening is not None and booked.health_unchanged_confirmed

    html = client.get(patient_page).content.decode()
    assert "1 of 4 done" in html
    assert "Session performed and signed off." in html
    assert "(lot VIT-2611)" in html and "Performed" in html

    recall = client.get("/treatments/recall/", {"lot_number": " vit-2611 "})
    assert [use.session for use in recall.context["uses"]] == [booked]
    recall_html = recall.content.decode()
    assert "<strong>1</strong> use found." in recall_html
    assert "Zeynep Arslan" in recall_html and "+90 532 111 22 33" in recall_html
    nothing = client.get("/treatments/recall/", {"lot_number": "AMI-77"}).content.decode()
    assert "No session used a lot with that number." in nothing


def test_an_area_without_an_aftercare_plan_is_flagged_before_and_after_performing(
    client, booked, batches, physician
):
    """Without a plan a performed session schedules no aftercare email at all: staff are told, not left to find out."""
    from aftercare.models import AftercarePlan, Reminder
    from aftercare.services import AFTER_SESSION_KINDS

    client.force_login(physician)
    assert 'data-testid="session-warning"' not in client.get(f"/treatments/sessions/{booked.pk}/").content.decode()
    with allow_hard_delete():
        AftercarePlan.objects.filter(area_id=booked.area_id).delete()
    page = client.get(f"/treatments/sessions/{booked.pk}/").content.decode()
    warning = f"{booked.area.name} has no aftercare plan: after this session the patient gets no aftercare sheet"
    assert 'data-testid="session-warning"' in page and warning in page
    response = client.post(f"/treatments/sessions/{booked.pk}/perform/", perform_data(booked, batches["good"]),
                           follow=True)
    assert "Session performed and signed off." in response.content.decode()
    assert warning in response.content.decode()
    assert not Reminder.objects.filter(session=booked, kind__in=AFTER_SESSION_KINDS).exists()


def test_signing_off_twice_is_refused(client, booked, batches, physician):
    client.force_login(physician)
    url = f"/treatments/sessions/{booked.pk}/perform/"
    assert client.post(url, perform_data(booked, batches["good"])).status_code == 302
    response = client.post(url, perform_data(booked, batches["good"]))
    assert response.status_code == 200
    assert "This session is performed: it cannot be performed." in response.content.decode()


# --- Check readiness before booking ----------------------------------------------------------


def test_check_readiness_shows_what_is_missing_and_books_nothing(client, patient, physician, vitamins):
    client.force_login(physician)
    data = book_data(physician, physician, [vitamins], check="")
    del data["book"]
    response = client.post(f"/treatments/patients/{patient.pk}/sessions/new/", data)
    assert response.status_code == 200
    assert not response.context["readiness"].ready
    html = response.content.decode()
    assert "Not ready yet. Missing:" in html
    assert "No eligibility screening approved by a physician for that day." in html
    assert f"No patch test for {VITAMINS}." in html
    assert "No informed consent recorded for this course or session." in html
    assert 'value="' + data["scheduled_at"] + '"' in html  # what was typed stays in the form
    assert not Session.objects.exists()


def test_check_readiness_says_ready_for_a_ready_patient_and_books_nothing(client, ready, physician, vitamins):
    client.force_login(physician)
    data = book_data(physician, physician, [vitamins], course=ready.course.pk, check="")
    del data["book"]
    response = client.post(f"/treatments/patients/{ready.patient.pk}/sessions/new/", data)
    assert response.context["readiness"].ready
    assert "Ready:" in response.content.decode()
    assert not Session.objects.exists()


# --- The day view and the patch tests to read --------------------------------------------------


def make_day(count: int, *, reception, nurse, physician, vitamins) -> list[Session]:
    """`count` sessions today from 12:30, every 30 minutes, alternating practitioners; even ones ready."""
    sessions = []
    for i in range(count):
        patient = make_patient(dt.date(1985, 1, 1), given_name=f"Patient{i:02d}")
        if i % 2 == 0:
            approved_screening(patient, taken_by=reception, physician=physician, at=NOW - 3 * DAY)
            read_patch_test(patient, [vitamins], nurse=nurse, applied_at=NOW - 3 * DAY)
            consent_record(patient=patient, text=consent_text(), recorded_by=physician, consented_at=NOW - MINUTE)
        sessions.append(
            session_book(
                patient=patient,
                indication=wrinkles(),
                products=[vitamins],
                technique="gun",
                practitioner=nurse if i % 2 else physician,
                supervising_physician=physician,
                scheduled_at=NOW + i * 30 * MINUTE,
                booked_by=reception,
            )
        )
    return sessions


def test_day_view_lists_todays_sessions_with_readiness_in_few_queries(
    client, reception, nurse, physician, vitamins, django_assert_max_num_queries
):
    make_day(10, reception=reception, nurse=nurse, physician=physician, vitamins=vitamins)
    tomorrow = session_book(
        patient=make_patient(dt.date(1985, 1, 1), given_name="Tomorrow"),
        indication=wrinkles(),
        products=[vitamins],
        technique="gun",
        practitioner=nurse,
        supervising_physician=physician,
        scheduled_at=NOW + DAY,
        booked_by=reception,
    )
    client.force_login(reception)
    with django_assert_max_num_queries(20):
        response = client.get("/treatments/calendar/", {"view": "day"})  # the day view is the calendar's day
    assert response.status_code == 200
    blocks = [b.item for c in response.context["page"].grid.columns for b in c.blocks]
    assert len(blocks) == 10 and tomorrow.pk not in [b.session.pk for b in blocks]
    assert [b.readiness.ready for b in sorted(blocks, key=lambda b: b.session.scheduled_at)] == [
        i % 2 == 0 for i in range(10)
    ]
    html = response.content.decode()
    assert "Monday 23 November 2026" in html
    assert html.count("✓ Ready</span>") == 5 and html.count("⚠ Not ready:</span>") == 5
    assert "No eligibility screening approved by a physician for that day." in html
    assert f"No patch test for {VITAMINS}." in html
    assert "Patient01 Kaya" in html and "12:30" in html and "17:00" in html

    other = client.get("/treatments/calendar/", {"view": "day", "date": "2026-11-24"})
    assert [b.item.session for c in other.context["page"].grid.columns for b in c.blocks] == [tomorrow]


def test_day_view_queries_do_not_grow_with_the_sessions(client, reception, nurse, physician, vitamins):
    make_day(1, reception=reception, nurse=nurse, physician=physician, vitamins=vitamins)
    client.force_login(reception)
    client.get("/treatments/calendar/?view=day")  # warm caches that are not per request (content types)
    with CaptureQueriesContext(connection) as one:
        client.get("/treatments/calendar/?view=day")
    with allow_hard_delete():  # clinical records are never deleted, except to set up this test
        Session.objects.all().delete()
    make_day(12, reception=reception, nurse=nurse, physician=physician, vitamins=vitamins)
    with CaptureQueriesContext(connection) as twelve:
        response = client.get("/treatments/calendar/?view=day")
    assert response.content.decode().count('data-testid="cal-block"') == 12
    assert len(twelve) == len(one)


def test_patch_tests_to_read_show_readable_now_or_from_when(client, reception, nurse, vitamins, amino):
    old = make_patient(dt.date(1970, 5, 5), given_name="Readable")
    new = make_patient(dt.date(1970, 5, 5), given_name="Fresh")
    done = make_patient(dt.date(1970, 5, 5), given_name="Done")
    lapsed = make_patient(dt.date(1970, 5, 5), given_name="Lapsed")
    read_patch_test(old, [vitamins, amino], nurse=nurse, applied_at=NOW - 25 * HOUR, read_after=None)
    read_patch_test(new, [vitamins], nurse=nurse, applied_at=NOW - 2 * HOUR, read_after=None)
    read_patch_test(done, [vitamins], nurse=nurse, applied_at=NOW - 30 * HOUR, read_after=26 * HOUR)
    read_patch_test(lapsed, [vitamins], nurse=nurse, applied_at=NOW - 73 * HOUR, read_after=None)

    client.force_login(reception)  # reception sees the list (to plan), without a way to read
    response = client.get("/treatments/patch-tests/")
    assert [row["test"].patient.given_name for row in response.context["rows"]] == ["Readable", "Fresh"]
    html = response.content.decode()
    assert "Readable now</span> until 25 Nov 11:30" in html
    assert "From 24 Nov 10:30" in html
    assert f"{AMINO}, {VITAMINS}" in html
    assert "Done Kaya" not in html and "Lapsed Kaya" not in html


# --- Unknown ids and garbage parameters --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/treatments/patch-tests/999999/"),
        ("post", "/treatments/patch-tests/999999/read/"),
        ("post", "/treatments/patch-tests/999999/reaction/"),
        ("get", "/treatments/patients/999999/patch-tests/new/"),
        ("get", "/treatments/patients/999999/consent/"),
        ("get", "/treatments/patients/999999/courses/new/"),
        ("get", "/treatments/patients/999999/sessions/new/"),
        ("post", "/treatments/patients/999999/sessions/new/"),
        ("get", "/treatments/sessions/999999/"),
        ("post", "/treatments/sessions/999999/perform/"),
        ("post", "/treatments/sessions/999999/cancel/"),
        ("post", "/treatments/sessions/999999/reschedule/"),
        ("get", "/treatments/sessions/99999999999999999999999/"),
        ("get", "/treatments/patients/99999999999999999999999/sessions/new/"),
    ],
)
def test_unknown_ids_are_404_not_500(client, physician, method, url):
    client.force_login(physician)
    assert getattr(client, method)(url, {}).status_code == 404


@pytest.mark.parametrize(
    "day", ["garbage", "2026-02-30", "", "2026-13-01", "23/11/2026", "0", "-1", "2026-11-23T10:00", "%00", "<b>"]
)
def test_garbage_day_shows_today_instead_of_failing(client, reception, day):
    client.force_login(reception)
    response = client.get("/treatments/day/", {"day": day})  # the old day view's address: the calendar's day
    assert response.url == "/treatments/calendar/?date=2026-11-23&view=day"
    response = client.get("/treatments/calendar/", {"date": day, "view": "day"})
    assert response.status_code == 200
    assert response.context["day"] == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "day",
    [
        "9999-12-31",
        "0001-01-01",
    ],
)
def test_extreme_but_valid_days_do_not_fail(client, reception, day):
    """Out of the clinic's range (2000-2200): the page shows today instead of overflowing."""
    client.force_login(reception)
    client.raise_request_exception = False
    assert client.get("/treatments/day/", {"day": day}).status_code == 302
    assert client.get("/treatments/calendar/", {"date": day}).status_code == 200


def test_garbage_course_param_on_the_booking_page_is_ignored(client, patient, physician):
    client.force_login(physician)
    for course in ("abc", "", "-1", "999999", "1.5"):
        response = client.get(f"/treatments/patients/{patient.pk}/sessions/new/", {"course": course})
        assert response.status_code == 200, course


def test_unicode_digit_course_param_is_ignored(client, patient, physician):
    client.force_login(physician)
    client.raise_request_exception = False
    response = client.get(f"/treatments/patients/{patient.pk}/sessions/new/", {"course": "²"})
    assert response.status_code == 200
