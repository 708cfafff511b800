"""The patient page's checklist (meso_clinic/overview/next_steps.py): pure cases for each kind of patient, then the
page itself for the same four (a new patient, one ready today, one after a performed session, a hard stop)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from meso_clinic.overview.next_steps import (
    Action,
    BookedSession,
    ConsentFacts,
    CourseFacts,
    State,
    StatusFacts,
    judged_at,
    patient_checklist,
)
from patients.services import screening_take
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    VITAMINS,
    answers,
    approved_screening,
    course_with_consent,
    make_patient,
    product,
    read_patch_test,
)
from treatments import patch_tests
from treatments.readiness import Missing, Readiness
from treatments.services import session_book

TZ = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2026, 12, 14, 9, 0, tzinfo=TZ)
RULES = patch_tests.PatchTestRules()
EVERYTHING = frozenset(Action)
RECEPTION = frozenset({Action.TAKE_INTAKE, Action.PLAN_COURSE, Action.RECORD_CONSENT, Action.BOOK_NEXT,
                       Action.BOOK_SESSION, Action.OPEN_SESSION})
APPROVED = StatusFacts("approved", "Approved until 12 June 2027")
READY = Readiness(missing=(), approval=None)


def negative_test(applied_at=NOW - 3 * DAY, read_after=25 * HOUR) -> patch_tests.PatchTestFacts:
    read = applied_at + read_after if read_after is not None else None
    result = patch_tests.ReadResult.NO_REACTION if read else None
    return patch_tests.PatchTestFacts(1, frozenset({7}), applied_at, read, result)


def checklist(*, at=NOW, tests=(), status=APPROVED, readiness=READY, consent=None, booked=None, course=None,
              allowed=EVERYTHING, born=dt.date(1990, 3, 15), products=(7,)):
    clearances = patch_tests.clearance(product_ids=list(products), tests=list(tests), session_at=at, rules=RULES,
                                       tz=TZ, product_names={7: VITAMINS}) if tests or booked else {}
    return patient_checklist(
        now=NOW, tz=TZ, status=status, age=(NOW.date() - born).days // 365, min_age_years=18, date_of_birth=born,
        readiness=readiness, clearances=clearances, tests=list(tests), rules=RULES, product_names={7: VITAMINS},
        consent=consent, booked=booked, course=course, allowed=allowed,
    )


def states(c) -> dict[str, State]:
    return {step.key: step.state for step in c.steps}


def test_a_new_patient_starts_with_the_intake():
    c = checklist(status=StatusFacts("not_screened", "Not screened yet"), allowed=RECEPTION)
    assert states(c) == {"screening": State.TODO, "patch_test": State.TODO, "consent": State.TODO,
                         "next_session": State.TODO}
    assert c.primary is Action.TAKE_INTAKE
    assert [s.text for s in c.steps] == ["Not screened yet: take the intake.", "Needed before the first session.",
                                         "Not recorded yet.", "No course planned yet."]
    # Each action once, the primary not repeated; reception applies no patch test.
    assert c.secondary == (Action.PLAN_COURSE, Action.RECORD_CONSENT, Action.BOOK_SESSION)


def test_a_patient_ready_today_is_opened_at_her_session():
    booked = BookedSession(NOW + HOUR, ready=True)
    c = checklist(at=NOW + HOUR, tests=[negative_test()], consent=ConsentFacts(NOW.date(), "Wrinkles"),
                  booked=booked, course=CourseFacts("Wrinkles", 0, 5, 1, True))
    assert set(states(c).values()) == {State.DONE}
    assert c.primary is Action.OPEN_SESSION
    texts = {s.key: s.text for s in c.steps}
    assert texts["screening"] == "Approved until 12 June 2027"
    assert texts["patch_test"].startswith(f"Negative patch test for {VITAMINS} applied 11 Dec 2026 09:00, valid until")
    assert texts["consent"] == "Recorded on 14 Dec 2026 for the course Wrinkles."
    assert texts["next_session"] == "Booked for Mon 14 Dec 2026 10:00: ready."


def test_after_a_performed_session_the_next_one_of_the_course_is_to_book():
    course = CourseFacts("Wrinkles", done=1, planned=5, booked=0, active=True, due=dt.date(2026, 12, 28),
                         due_at=dt.datetime(2026, 12, 28, 0, 0, tzinfo=TZ))
    c = checklist(tests=[negative_test()], consent=ConsentFacts(NOW.date() - DAY, "Wrinkles"), course=course)
    assert states(c) == {"screening": State.DONE, "patch_test": State.DONE, "consent": State.DONE,
                         "next_session": State.TODO}
    assert c.steps[-1].text == "To book: session 2 of 5 of the course Wrinkles (from Mon 28 Dec 2026)."
    assert c.primary is Action.BOOK_NEXT
    assert Action.BOOK_SESSION not in c.secondary  # one booking button


@pytest.mark.parametrize(
    ("status", "born", "reason", "secondary"),
    [
        (StatusFacts("not_screened", ""), dt.date(2009, 6, 1),
         "The patient is 17: no one under 18 is treated (she is 18 on 1 June 2027).", ()),
        (StatusFacts("not_eligible", "Not eligible", "Pregnant."), dt.date(1990, 1, 1),
         "Not eligible: Pregnant.", (Action.TAKE_INTAKE,)),
        (StatusFacts("declined", "Declined", "Uncontrolled blood pressure."), dt.date(1990, 1, 1),
         "Declined by a physician. Uncontrolled blood pressure.", (Action.TAKE_INTAKE,)),
    ],
)
def test_a_hard_stop_offers_no_treatment_action(status, born, reason, secondary):
    c = checklist(status=status, born=born, course=CourseFacts("Wrinkles", 0, 5, 0, True))
    assert [(s.key, s.state, s.text) for s in c.steps] == [("screening", State.BLOCKED, reason)]
    assert c.primary is None and c.secondary == secondary
    assert c.stop_reason == "No treatment can be planned."


def test_a_screening_waiting_for_review_is_the_physicians_next_step_and_reception_goes_on():
    waiting = StatusFacts("awaiting_review", "Awaiting physician review")
    physician = checklist(status=waiting)
    assert physician.steps[0].state is State.TODO and physician.primary is Action.REVIEW_SCREENING
    assert Action.TAKE_INTAKE not in physician.secondary
    desk = checklist(status=waiting, allowed=RECEPTION)
    assert desk.steps[0].state is State.WAITING and desk.steps[0].text == "Waiting for a physician's review."
    assert desk.primary is Action.PLAN_COURSE  # the course and consent can be done meanwhile


def test_a_patch_test_waits_for_its_reading_then_is_to_be_read():
    course = CourseFacts("Wrinkles", 0, 5, 0, True)
    consent = ConsentFacts(NOW.date(), "Wrinkles")
    applied = NOW - HOUR
    c = checklist(tests=[negative_test(applied, read_after=None)], course=course, consent=consent)
    step = c.steps[1]
    assert step.state is State.WAITING
    assert step.text == f"For {VITAMINS}: to be read from Tue 15 Dec 2026 08:00 (until Thu 17 Dec 2026 08:00)."
    assert c.primary is Action.BOOK_NEXT  # meanwhile, the session is booked for after the reading
    later = checklist(tests=[negative_test(NOW - 25 * HOUR, read_after=None)], course=course, consent=consent)
    assert later.steps[1].state is State.TODO and later.primary is Action.READ_PATCH_TEST


def test_a_booked_session_that_is_not_ready_says_what_is_missing():
    booked = BookedSession(NOW + HOUR, ready=False)
    missing = Readiness(missing=(Missing("consent", "No informed consent recorded."),), approval=None)
    c = checklist(at=NOW + HOUR, tests=[negative_test()], booked=booked, readiness=missing,
                  course=CourseFacts("Wrinkles", 0, 5, 1, True))
    assert states(c)["consent"] is State.TODO and states(c)["next_session"] is State.WAITING
    assert c.steps[-1].text == "Booked for Mon 14 Dec 2026 10:00: not ready yet (1 missing, see above)."
    assert c.primary is Action.RECORD_CONSENT


def test_an_approval_valid_today_but_not_on_the_booked_day_is_to_renew():
    booked = BookedSession(NOW + 30 * DAY, ready=False)
    expired = Readiness(missing=(Missing("approval_expired", "The physician's approval expired on 20 Dec 2026: "
                                         "a new screening is needed."),), approval=None)
    c = checklist(at=NOW + 30 * DAY, tests=[negative_test()], booked=booked, readiness=expired)
    assert c.steps[0].state is State.TODO and c.primary is Action.TAKE_INTAKE
    assert "expired on 20 Dec 2026" in c.steps[0].text


def test_todays_session_past_its_start_is_still_the_one_to_open():
    """Booked at 10:00, now 10:20 (the patient in the room, still booked), her test read negative at 10:05: judged
    now, not at the booked start, the patch test is done and the primary action opens the session."""
    ten = NOW.replace(hour=10)
    now = ten + 20 * dt.timedelta(minutes=1)
    minute = dt.timedelta(minutes=1)
    test = negative_test(applied_at=ten - DAY - 10 * minute, read_after=DAY + 15 * minute)
    at = judged_at(now=now, session_at=ten)
    assert at == now
    clearances = patch_tests.clearance(product_ids=[7], tests=[test], session_at=at, rules=RULES, tz=TZ,
                                       product_names={7: VITAMINS})
    c = patient_checklist(
        now=now, tz=TZ, status=APPROVED, age=36, min_age_years=18, date_of_birth=dt.date(1990, 3, 15),
        readiness=READY, clearances=clearances, tests=[test], rules=RULES, product_names={7: VITAMINS},
        consent=ConsentFacts(NOW.date(), "Wrinkles"), booked=BookedSession(ten, ready=True),
        course=CourseFacts("Wrinkles", done=0, planned=4, booked=1, active=True), allowed=EVERYTHING,
    )
    assert states(c)["patch_test"] is State.DONE
    assert c.primary is Action.OPEN_SESSION
    assert Action.APPLY_PATCH_TEST not in (c.primary, *(s.action for s in c.steps))


# --- The page ------------------------------------------------------------------------------------------------


def page_steps(client, patient) -> str:
    return client.get(f"/patients/{patient.pk}/").content.decode()


def step_state(html: str, key: str) -> str:
    start = html.index(f'data-testid="step-{key}"')
    return html[start:].split('data-state="', 1)[1].split('"', 1)[0]


def primary(html: str) -> str:
    return html.split('data-testid="primary-action">', 1)[1].split("<", 1)[0]


@pytest.mark.django_db
def test_the_page_for_a_new_patient(client, reception):
    patient = make_patient(dt.date(1990, 3, 15))
    client.force_login(reception)
    html = page_steps(client, patient)
    assert [step_state(html, k) for k in ("screening", "patch_test", "consent", "next_session")] == ["todo"] * 4
    assert primary(html) == "Take intake questionnaire"
    assert html.count("Take intake questionnaire") == 1


@pytest.mark.django_db
def test_the_page_for_a_patient_ready_today(client, reception, nurse, physician):
    now = timezone.now()
    patient = make_patient(dt.date(1990, 3, 15))
    approved_screening(patient, taken_by=reception, physician=physician, at=now - 3 * DAY)
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=now - DAY)
    session = session_book(
        patient=patient, course=course, indication=course.indication, products=[product(VITAMINS)],
        technique="needles", practitioner=physician, supervising_physician=physician,
        scheduled_at=now + 10 * dt.timedelta(minutes=1), booked_by=reception,
    )
    client.force_login(reception)
    html = page_steps(client, patient)
    assert [step_state(html, k) for k in ("screening", "patch_test", "consent", "next_session")] == ["done"] * 4
    assert primary(html) == "Open today&#x27;s session"
    assert f'href="/treatments/sessions/{session.pk}/" data-testid="primary-action"' in html


@pytest.mark.django_db
def test_the_page_after_a_performed_session(client, patient, reception, nurse, physician):
    performed = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    client.force_login(reception)
    html = page_steps(client, patient)
    assert [step_state(html, k) for k in ("screening", "patch_test", "consent", "next_session")] == [
        "done", "done", "done", "todo"]
    assert primary(html) == "Book the next session"
    assert f'href="/treatments/patients/{patient.pk}/sessions/new/?course={performed.course_id}"' in html
    assert "To book: session 2 of 4 of the course Wrinkles (from " in html


@pytest.mark.django_db
def test_the_page_for_a_hard_stop(client, reception, physician):
    with time_machine.travel(NOW, tick=False):
        patient = make_patient(dt.date(2009, 6, 1), given_name="Ece")
        screening_take(patient=patient, answers=answers(), taken_by=reception)
        client.force_login(physician)
        html = page_steps(client, patient)
    assert step_state(html, "screening") == "blocked" and 'data-testid="step-patch_test"' not in html
    assert "The patient is 17: no one under 18 is treated (she is 18 on 1 June 2027)." in html
    assert "No treatment can be planned." in html
    for action in ("Apply patch test", "Record consent", "Plan a course", "Book a session", "Book the next session",
                   "Take intake questionnaire", 'data-testid="primary-action"'):
        assert action not in html, action


@pytest.mark.django_db
def test_the_page_once_todays_session_has_begun(client, reception, nurse, physician):
    """Booked at 10:00, now 10:20, the patient in the room (still booked) and her patch test read negative at 10:05,
    after the booked start: the session is still the next one, the patch test is done, and the primary action opens
    the session (not "Apply patch test")."""
    ten = dt.datetime(2026, 12, 15, 10, 0, tzinfo=TZ)
    patient = make_patient(dt.date(1990, 3, 15))
    with time_machine.travel(ten - DAY, tick=False):
        approved_screening(patient, taken_by=reception, physician=physician, at=ten - 3 * DAY)
        # Applied yesterday 09:50 (readable from 09:50 today), read at 10:05.
        read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=ten - DAY - 10 * dt.timedelta(minutes=1),
                        read_after=DAY + 15 * dt.timedelta(minutes=1))
        course, _ = course_with_consent(patient, by=reception, at=ten - 2 * DAY)
        session = session_book(
            patient=patient, course=course, indication=course.indication, products=[product(VITAMINS)],
            technique="needles", practitioner=physician, supervising_physician=physician, scheduled_at=ten,
            booked_by=reception,
        )
    with time_machine.travel(ten + 20 * dt.timedelta(minutes=1), tick=False):
        client.force_login(reception)
        html = page_steps(client, patient)
    assert step_state(html, "patch_test") == "done"
    assert "Needed before the first session." not in html
    assert primary(html) == "Open today&#x27;s session"
    assert f'href="/treatments/sessions/{session.pk}/" data-testid="primary-action"' in html
