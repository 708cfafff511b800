"""Every page staff load all day runs a fixed, small number of SQL queries, however long the history
(issue 7, docs/benchmarks.md): at most 10 per request (the signed-in user, the two-factor device, the
page's own queries and the access log), and the same number when the rows double.

Histories are written in bulk (one performed session's approval and consent shared by all its copies),
not through the services: what is measured is reading them. Not timed: figures are in docs/benchmarks.md.
"""

import datetime as dt
import itertools
import re
import time

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.models import Reminder
from aftercare.schedule import ReminderKind
from meso_clinic.core.middleware import LAST_ACTIVITY
from meso_clinic.core.roles import RECEPTION
from patients.models import EligibilityScreening, Patient
from patients.services import screening_take
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import (
    CREAM,
    DAY,
    HOUR,
    MINUTE,
    VITAMINS,
    answers,
    approved_screening,
    make_patient,
    product,
    read_patch_test,
)
from treatments.models import PatchTest, Session, SessionProduct

MAX_QUERIES = 10
KINDS = [k.value for k in ReminderKind if k.after_session]  # the aftercare timeline's kinds


def queries_of(client, path: str, data: dict | None = None) -> tuple[int, str]:
    """The queries of one request (after a first one: per-process caches are not the page's cost)."""
    fetch = (lambda: client.post(path, data)) if data is not None else (lambda: client.get(path))
    assert fetch().status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200, path
    # Not counted: the request's own transaction (ATOMIC_REQUESTS), a savepoint inside the test's transaction.
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sql), response.content.decode()


def add_history(patient, template: Session, *, sessions: int, reminders: int, start: dt.datetime) -> None:
    """`sessions` performed copies of `template` a week apart before `start` (each with two products, one
    with a lot), a patch test every 10 sessions, and `reminders` sent or failed emails spread over them."""
    vitamins, cream = product(VITAMINS), product(CREAM)
    batch = template.session_products.get(product=vitamins).batch
    copies = []
    for i in range(sessions):
        copy = Session.objects.get(pk=template.pk)
        copy.pk = None
        copy.scheduled_at = start - (i + 1) * 7 * DAY
        copy.performed_at = copy.scheduled_at + HOUR
        copies.append(copy)
    copies = Session.objects.bulk_create(copies)
    SessionProduct.objects.bulk_create(
        [SessionProduct(session=s, product=vitamins, batch=batch) for s in copies]
        + [SessionProduct(session=s, product=cream) for s in copies]
    )
    for i in range(0, sessions, 10):
        test = PatchTest.objects.create(
            patient=patient, applied_at=start - (i + 1) * 7 * DAY - 3 * DAY, site="inner forearm",
            applied_by=template.performed_by,
        )
        test.products.set([vitamins, cream])
    rows = []
    for n, (session, kind) in enumerate(itertools.islice(itertools.product(copies, KINDS), reminders)):
        due = session.performed_at + (n % 6 + 1) * HOUR
        failed = n % 10 == 0
        rows.append(
            Reminder(
                session=session, kind=kind, due_at=due, attempts=1,
                status=Reminder.Status.FAILED if failed else Reminder.Status.SENT,
                sent_at=None if failed else due, last_error="550 No such user" if failed else "",
                message_id="" if failed else f"<bench-{session.pk}-{kind}@test>",
            )
        )
    Reminder.objects.bulk_create(rows)


@pytest.fixture
def history(db, patient, reception, nurse, physician):
    """Zeynep's performed session, the one every copy in her history repeats."""
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())


@pytest.fixture
def signed_in(client, physician):
    """Dr. Yılmaz sees every page measured here (the review queue is a physician's)."""
    client.force_login(physician)
    return client


def test_the_patient_page_with_a_long_history(signed_in, patient, history):
    add_history(patient, history, sessions=30, reminders=100, start=history.scheduled_at)
    small, _ = queries_of(signed_in, f"/patients/{patient.pk}/")
    add_history(patient, history, sessions=30, reminders=100, start=history.scheduled_at - 30 * 7 * DAY)
    assert patient.sessions.count() == 61 and Reminder.objects.filter(session__patient=patient).count() >= 200
    for weeks in range(5):  # more patch tests than the sessions list shows
        PatchTest.objects.create(patient=patient, applied_at=history.scheduled_at - (100 + weeks) * 7 * DAY,
                                 site="inner forearm", applied_by=history.performed_by)
    big, html = queries_of(signed_in, f"/patients/{patient.pk}/")
    assert big <= MAX_QUERIES + 1  # + the outcome scores of all her courses, one query (issue 16)
    assert big == small
    # Bounded lists, newest first, with what each lists (products and lots) from the same queries.
    assert html.count('href="/treatments/sessions/') == 10
    # Patch tests have no page of their own listing them all: up to 20 stay on the patient page.
    tests = PatchTest.objects.filter(patient=patient).count()
    assert 10 < tests <= 20 and len(re.findall(r'href="/treatments/patch-tests/\d+/"', html)) == tests
    assert f"{VITAMINS} (lot VC-{patient.pk})" in html and CREAM in html
    assert html.count("550 No such user") <= 10
    # The lists are full: the page links to all of them, paged by 50 with the same queries on every page.
    sessions_url = f"/treatments/patients/{patient.pk}/sessions/"
    emails_url = f"/aftercare/patients/{patient.pk}/emails/"
    assert f'href="{sessions_url}"' in html and f'href="{emails_url}"' in html
    first, html = queries_of(signed_in, sessions_url)
    last, last_html = queries_of(signed_in, sessions_url + "?page=2")
    assert first == last <= MAX_QUERIES
    assert html.count('href="/treatments/sessions/') == 50 and last_html.count('href="/treatments/sessions/') == 11
    assert "Sessions 51 to 61 of 61, newest first." in last_html and f"{VITAMINS} (lot VC-{patient.pk})" in last_html
    first, html = queries_of(signed_in, emails_url)
    assert first <= MAX_QUERIES and html.count("<tr>") == 51  # the header and 50 emails


def test_the_calendar_day_with_a_busy_day(signed_in, reception, nurse, physician):
    """120 sessions on a day, booked for as many patients: the calendar's day with the readiness of each."""
    now = timezone.now()
    day = timezone.localdate(now) + dt.timedelta(days=2)
    ready = make_patient(dt.date(1980, 1, 1), given_name="Ready")
    session = performed_session(ready, reception=reception, nurse=nurse, physician=physician, now=now)

    def book(count: int) -> None:
        patients = Patient.objects.bulk_create(
            [Patient(given_name=f"P{i:03d}", family_name="Day", date_of_birth=dt.date(1985, 1, 1), sex="female")
             for i in range(count)]
        )
        start = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
        booked, before = [], Session.objects.filter(status="booked").count()
        for i, p in enumerate(patients):
            copy = Session.objects.get(pk=session.pk)
            copy.pk, copy.patient, copy.course, copy.status = None, p, None, "booked"
            copy.scheduled_at = start + dt.timedelta(minutes=4 * (before + i))
            copy.performed_at = copy.performed_by = copy.screening = copy.consent = None
            booked.append(copy)
        SessionProduct.objects.bulk_create(
            [SessionProduct(session=s, product=product(VITAMINS)) for s in Session.objects.bulk_create(booked)]
        )
        for p in patients[:3]:  # some patients with the facts readiness reads
            approved_screening(p, taken_by=reception, physician=physician, at=now - 3 * DAY)
            read_patch_test(p, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)

    book(60)
    small, _ = queries_of(signed_in, f"/treatments/calendar/?date={day:%Y-%m-%d}&view=day")
    book(60)
    big, html = queries_of(signed_in, f"/treatments/calendar/?date={day:%Y-%m-%d}&view=day")
    assert big <= MAX_QUERIES
    assert big == small
    assert html.count("⚠ Not ready:</span>") == 120  # every session of the day, each with its readiness


@pytest.mark.parametrize("by", ["practitioner", "room"])
def test_the_calendar_week_with_10_and_200_sessions(signed_in, reception, nurse, physician, by):
    """A week of 12 practitioners with working hours and 6 rooms: the same queries with 10 sessions as with 200."""
    from django.contrib.auth import get_user_model

    from treatments.models import Room, TimeOff, WorkingHours

    nurses = Group.objects.get(name="Nurse")
    staff = [nurse, physician] + [get_user_model().objects.create_user(f"load-nurse-{i}", first_name=f"N{i}")
                                  for i in range(10)]
    nurses.user_set.add(*staff[2:])
    template = performed_session(make_patient(dt.date(1980, 1, 1), given_name="Template"), reception=reception,
                                 nurse=nurse, physician=physician, now=timezone.now())  # booked before the hours
    WorkingHours.objects.bulk_create([WorkingHours(practitioner=p, weekday=d, starts=dt.time(9), ends=dt.time(18))
                                      for p in staff for d in range(6)])
    rooms = Room.objects.bulk_create([Room(name=f"Room {i}") for i in range(1, 7)])
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    tz = timezone.get_current_timezone()
    TimeOff.objects.create(practitioner=staff[3], starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=tz),
                           ends_at=dt.datetime.combine(monday, dt.time(23), tzinfo=tz))
    made = itertools.count()

    def book(count: int) -> None:
        patients = Patient.objects.bulk_create(
            [Patient(given_name=f"W{i:03d}", family_name="Week", date_of_birth=dt.date(1985, 1, 1), sex="female")
             for i in range(count)]
        )
        booked = []
        for p in patients:
            n = next(made)
            copy = Session.objects.get(pk=template.pk)
            copy.pk, copy.patient, copy.course, copy.status = None, p, None, "cancelled" if n % 9 == 0 else "booked"
            copy.practitioner, copy.room = staff[n % 12], rooms[n % 6]
            copy.scheduled_at = dt.datetime.combine(monday + dt.timedelta(days=n % 6), dt.time(9), tzinfo=tz) + (
                n // 6 % 36) * 15 * MINUTE
            copy.performed_at = copy.performed_by = copy.screening = copy.consent = None
            booked.append(copy)
        SessionProduct.objects.bulk_create(
            [SessionProduct(session=s, product=product(VITAMINS)) for s in Session.objects.bulk_create(booked)]
        )
        for p in patients[:3]:
            approved_screening(p, taken_by=reception, physician=physician, at=timezone.now() - 3 * DAY)
            read_patch_test(p, [product(VITAMINS)], nurse=nurse, applied_at=timezone.now() - 3 * DAY)

    url = f"/treatments/calendar/?date={monday:%Y-%m-%d}&view=week&by={by}"
    book(10)
    small, html = queries_of(signed_in, url)
    assert html.count('data-testid="cal-block"') == 10
    book(190)
    big, html = queries_of(signed_in, url)
    assert html.count('data-testid="cal-block"') == 200
    assert big <= MAX_QUERIES
    assert big == small


def test_the_reminder_dashboard_with_many_emails(signed_in, patient, history):
    add_history(patient, history, sessions=30, reminders=150, start=history.scheduled_at)
    small, _ = queries_of(signed_in, "/aftercare/delivery/")
    add_history(patient, history, sessions=30, reminders=150, start=history.scheduled_at - 30 * 7 * DAY)
    assert Reminder.objects.count() >= 300
    big, html = queries_of(signed_in, "/aftercare/delivery/")
    assert big <= MAX_QUERIES
    assert big == small
    failed = html.split("Recently sent")[0]
    assert failed.count("Send again") == 25 and "Older failures" in failed  # 30 failed: a page of 25
    older = signed_in.get("/aftercare/delivery/", {"before": Reminder.objects.filter(status="failed")
                                                    .order_by("-updated_at", "-id")[24].pk})
    assert older.content.decode().split("Recently sent")[0].count("Send again") == 5


def test_the_dashboard_the_registry_the_search_and_the_review_queue(signed_in, reception, physician):
    def register(count: int, offset: int) -> None:
        patients = Patient.objects.bulk_create(
            [Patient(given_name=f"Ayşe{i:04d}", family_name="Yılmaz", date_of_birth=dt.date(1980, 1, 1), sex="female")
             for i in range(offset, offset + count)]
        )
        for p in patients[:count // 20]:  # screenings waiting for a physician
            screening_take(patient=p, answers=answers(), taken_by=reception)

    # A search is posted, then its results are read at the address it redirects to (?search=<key>).
    results = signed_in.post("/patients/", {"q": "ayşe yılmaz"})["Location"]
    pages = [("/", None), ("/patients/", None), (results, None), ("/patients/reviews/", None)]
    register(120, 0)
    small = [queries_of(signed_in, path, data)[0] for path, data in pages]
    register(120, 120)
    assert EligibilityScreening.objects.filter(decision="").count() == 12
    big = [queries_of(signed_in, path, data)[0] for path, data in pages]
    assert max(big) <= MAX_QUERIES
    assert big == small
    assert len(signed_in.get(results).context["patients"]) == 50  # the search found them: its queries all ran
    html = signed_in.get("/").content.decode()
    assert 'data-testid="patient-count">240</div>' in html and 'data-testid="awaiting-review">12</div>' in html


def test_the_registry_pages_by_keyset_without_a_count(signed_in):
    Patient.objects.bulk_create(
        [Patient(given_name=f"G{i:03d}", family_name=f"F{i:03d}", date_of_birth=dt.date(1980, 1, 1), sex="female")
         for i in range(120)]
    )
    names = []
    path, params = "/patients/", {}
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.get(path, params)
        assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
        names += [p.family_name for p in response.context["patients"]]
        params = {"after": response.context["next"]} if response.context["next"] else {}
        if not params:
            break
    assert names == [f"F{i:03d}" for i in range(120)]  # every patient once, in name order
    back = signed_in.get("/patients/", {"before": response.context["previous"]})
    assert [p.family_name for p in back.context["patients"]] == [f"F{i:03d}" for i in range(50, 100)]


def test_the_session_is_written_at_most_once_a_minute(signed_in):
    """The last-activity stamp moves with requests, but only a stamp a minute old is written back."""
    def session_writes(path: str = "/patients/") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(path).status_code == 200
        return sum("django_session" in q["sql"] and not q["sql"].startswith("SELECT") for q in captured)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        signed_in.get("/")
        stamp = signed_in.session[LAST_ACTIVITY]
        clock.shift(30)
        assert session_writes() == 0 and signed_in.session[LAST_ACTIVITY] == stamp
        clock.shift(31)
        assert session_writes() >= 1 and signed_in.session[LAST_ACTIVITY] == pytest.approx(time.time())


def test_a_changed_role_applies_at_the_next_request(client, reception):
    """Permissions and roles are cached (meso_clinic/core/permissions.py); a change of groups is seen at once."""
    client.force_login(reception)
    assert client.get("/patients/").status_code == 200
    reception.groups.clear()
    assert client.get("/patients/").status_code == 403
    reception.groups.add(Group.objects.get(name=RECEPTION))
    assert client.get("/patients/").status_code == 200


def test_a_page_reads_permissions_and_roles_without_a_query(signed_in):
    signed_in.get("/")
    with CaptureQueriesContext(connection) as captured:
        signed_in.get("/patients/")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "auth_permission" not in sql and "auth_group" not in sql and "django_session" not in sql

