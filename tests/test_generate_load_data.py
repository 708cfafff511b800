"""The benchmark data generator (manage.py generate_load_data): a small run on the PostgreSQL test database.

Checks the row counts and the proportions the benchmark relies on, the clinic's own rules in the data
(a performed session has an approved screening, a consent and a batch per product; reminders follow the
aftercare timeline), and that the app's pages still render with that data.
"""

import collections
import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max
from django.test import Client, RequestFactory
from django.utils import timezone

from aftercare.models import Reminder
from aftercare.schedule import ReminderKind
from patients.models import EligibilityScreening, Patient
from tests.fixtures.staff import give_authenticator
from treatments.models import Batch, Consent, Course, PatchTest, Session, SessionProduct

PATIENTS = 200
LOAD_PASSWORD = "load-data-test-2026!"

pytestmark = pytest.mark.integration


@pytest.fixture
def loaded(postgres):
    out = io.StringIO()
    call_command("generate_load_data", patients=PATIENTS, seed=11, password=LOAD_PASSWORD, stdout=out)
    return out.getvalue()


def share(counter: collections.Counter, key: str) -> float:
    return counter[key] / sum(counter.values())


def test_refuses_sqlite(db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_load_data", patients=10, password=LOAD_PASSWORD, stdout=io.StringIO())


def test_needs_a_password_to_create_the_role_accounts(postgres):
    with pytest.raises(CommandError, match="--password"):
        call_command("generate_load_data", patients=10, stdout=io.StringIO())


def test_counts_and_proportions(loaded):
    assert "total" in loaded and "aftercare_reminder" in loaded  # the time per table and the total are printed
    assert Patient.objects.count() == PATIENTS
    # One patient (1 per 5,000, at least 1) has a very long history; the others ~5 sessions on average.
    per_patient = dict(Session.objects.values_list("patient").annotate(n=Count("id")).values_list("patient", "n"))
    long_patient, longest = max(per_patient.items(), key=lambda item: item[1])
    assert 150 <= longest <= 260
    others = sum(n for p, n in per_patient.items() if p != long_patient) / (PATIENTS - 1)
    assert 3.5 <= others <= 6.5
    assert 2.4 <= EligibilityScreening.objects.count() / PATIENTS <= 3.6
    reminders = Reminder.objects.count()
    # 20 a patient at 100k; with 200 patients the one long history (150-260 sessions) adds up to ~7 more,
    # and how many of today's sessions are already performed depends on the time of day.
    assert 15 <= reminders / PATIENTS <= 30

    outcomes = collections.Counter(EligibilityScreening.objects.values_list("outcome", flat=True))
    assert 0.62 <= share(outcomes, "eligible") <= 0.78
    assert 0.17 <= share(outcomes, "needs_review") <= 0.33
    assert 0.01 <= share(outcomes, "not_eligible") <= 0.10
    decisions = collections.Counter(EligibilityScreening.objects.values_list("decision", flat=True))
    assert set(decisions) <= {"approved", "deferred", "declined", ""}
    assert share(decisions, "approved") > 0.6 and decisions["deferred"] and decisions["declined"]

    statuses = collections.Counter(Session.objects.values_list("status", flat=True))
    assert share(statuses, "performed") > 0.6
    assert statuses["booked"] and statuses["cancelled"] and statuses["no_show"]
    kinds = collections.Counter(Reminder.objects.values_list("kind", flat=True))
    assert set(kinds) == {k.value for k in ReminderKind if k.after_session} | {ReminderKind.PRE_SESSION.value}
    reminder_statuses = collections.Counter(Reminder.objects.values_list("status", flat=True))
    assert share(reminder_statuses, "sent") > 0.8 and reminder_statuses["pending"]
    assert not reminder_statuses["sending"]

    # Ages 18-80 mostly (a few minors, who are hard stops), Turkish and English names.
    ages = list(EligibilityScreening.objects.values_list("age_years", flat=True))
    assert sum(18 <= a <= 82 for a in ages) / len(ages) > 0.97
    hard_stops = EligibilityScreening.objects.filter(hard_stop=True)
    assert all(s.age_years < 18 and s.outcome == "not_eligible" and not s.decision for s in hard_stops)
    languages = collections.Counter(Patient.objects.values_list("preferred_language", flat=True))
    assert languages["tr"] > languages["en"] > 0
    assert PatchTest.objects.exists() and Consent.objects.exists() and Course.objects.exists()
    assert 100 <= Batch.objects.count() <= 600


def test_rows_follow_the_clinics_rules(loaded):
    performed = Session.objects.filter(status=Session.Status.PERFORMED)
    assert performed.exists()
    # Invariant 2: an approved screening and a consent; and the batch of every product, for recalls.
    assert not performed.exclude(screening__decision="approved").exists()
    assert not performed.filter(consent__isnull=True).exists()
    assert not SessionProduct.objects.filter(session__status="performed", batch__isnull=True).exists()
    assert not SessionProduct.objects.exclude(session__status="performed").filter(batch__isnull=False).exists()
    # Reminders: the after-session ones belong to performed sessions of patients who take emails, sent
    # ones carry their Message-ID, and a session has at most one of each kind.
    after = Reminder.objects.exclude(kind=ReminderKind.PRE_SESSION)
    assert not after.exclude(session__status="performed").exists()
    assert not Reminder.objects.filter(session__patient__email_consent=False).exists()
    sent = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert not sent.filter(message_id="").exists()
    assert sent.first().message_id.startswith(f"<reminder-{sent.first().pk}-")
    # Due reminders were sent (or failed): pending ones are not yet due.
    assert not Reminder.objects.filter(status="pending", due_at__lt=timezone.now() - dt.timedelta(minutes=10)).exists()
    # Sessions run in opening hours (Monday to Saturday, 09:00-19:00), two years back (a small load) to two
    # months ahead.
    times = [timezone.localtime(t) for t in Session.objects.values_list("scheduled_at", flat=True)]
    assert all(9 <= t.hour < 19 and t.weekday() != 6 for t in times)
    today = timezone.localdate()
    assert min(times).date() >= today - dt.timedelta(days=800)
    assert max(times).date() <= today + dt.timedelta(days=62)
    # The review queue holds recent undecided screenings only.
    assert EligibilityScreening.objects.filter(decision="", hard_stop=False).count() < PATIENTS * 0.05


def test_one_clinics_calendar_nothing_overlaps_a_practitioner_or_a_room(loaded):
    """The load is one clinic's diary: no two sessions at once for a practitioner or in a room (a second run
    keeps the first's), most in a room, and 100,000 patients' sessions spread over the years that clinic needs."""
    call_command("generate_load_data", patients=20, seed=12, stdout=io.StringIO())
    with connection.cursor() as cursor:
        for column in ("practitioner_id", "room_id"):
            cursor.execute(f"""
                SELECT count(*) FROM treatments_session a JOIN treatments_session b
                  ON a.{column} = b.{column} AND a.id < b.id
                 AND a.scheduled_at < b.scheduled_at + b.duration_minutes * interval '1 minute'
                 AND b.scheduled_at < a.scheduled_at + a.duration_minutes * interval '1 minute'
            """)  # noqa: S608 - a column name of this test's
            assert cursor.fetchone()[0] == 0, column
    assert Session.objects.filter(room__isnull=False).count() > Session.objects.count() * 0.9
    assert "sessions over 730 days" in loaded  # a small load still spans two years
    from meso_clinic.overview.management.commands.generate_load_data import past_days

    years = past_days(100_000, 12 * 6 * 10 - 2 * 10) / 365  # 12 practitioners, 10 hours, 6 days, two off a day
    assert 12 <= years <= 15


def test_staff_accounts_and_sequences(loaded):
    for username in ("reception", "nurse", "physician", "manager"):
        # With a request, as the sign-in page calls it (django-axes watches every attempt).
        user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password=LOAD_PASSWORD)
        assert user is not None and user.groups.exists()
    # The identity sequences continue after the loaded ids: the app can add rows as usual.
    patient = Patient.objects.create(given_name="New", family_name="Patient", date_of_birth="1990-01-01", sex="female")
    assert patient.pk > Patient.objects.exclude(pk=patient.pk).aggregate(m=Max("pk"))["m"]
    # A second run adds to the first (ids after the maximum), reusing the accounts without a password.
    call_command("generate_load_data", patients=20, seed=12, stdout=io.StringIO())
    assert Patient.objects.count() == PATIENTS + 1 + 20
    # The calendar's clinic (kept by the second run): 6 rooms, 12 practitioners with working hours, who treat.
    from treatments.models import Room, WorkingHours

    assert Room.objects.count() == 6
    working = set(WorkingHours.objects.values_list("practitioner_id", flat=True))
    assert len(working) == 12 and WorkingHours.objects.count() == 12 * 6 - 2
    assert set(Session.objects.values_list("practitioner_id", flat=True)) <= working


def test_the_pages_render_with_the_data(loaded):
    client = Client()
    physician = get_user_model().objects.get(username="physician")
    give_authenticator(physician)  # his role needs two-factor sign-in; force_login stands for both steps
    client.force_login(physician)
    long_patient = Session.objects.values("patient").annotate(n=Count("id")).order_by("-n").first()["patient"]
    screening = EligibilityScreening.objects.first()
    session = Session.objects.filter(status="performed").first()
    pages = [
        ("/", "Good day"),
        ("/patients/", "Patients"),
        (f"/patients/{long_patient}/", "Screening history"),
        ("/patients/reviews/", "Screenings awaiting review"),
        ("/treatments/calendar/?view=week", "Week of"),
        ("/treatments/calendar/?view=week&by=room", "Room 6"),
        ("/aftercare/delivery/", "Aftercare emails"),
        (f"/patients/screenings/{screening.pk}/", "Screening"),
        (f"/treatments/sessions/{session.pk}/", "Session"),
    ]
    for path, text in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path
    family, phone = Patient.objects.values_list("family_name", "phone").first()
    response = client.post("/patients/", {"q": family}, follow=True)
    assert response.status_code == 200
    assert family in response.content.decode()
    # The loaded rows have the search column and E.164 numbers, as the app writes them.
    assert phone.startswith("+") and " " not in phone
    national = "0" + phone[3:] if phone.startswith("+90") else phone
    assert family in client.post("/patients/", {"q": national}, follow=True).content.decode()
    assert not Patient.objects.filter(search_text="").exists()
