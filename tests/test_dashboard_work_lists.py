"""The dashboard's work lists (meso_clinic/overview/work_lists.py): each role sees its own, each line links to where
the work is done, the lists are bounded and their queries do not grow with the rows."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from aftercare.models import SideEffectReport
from patients.services import screening_take
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import (
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    answers,
    approved_screening,
    course_with_consent,
    make_patient,
    product,
    read_patch_test,
    travel,
)
from tests.test_query_counts import MAX_QUERIES, queries_of
from treatments.services import patch_test_apply, session_book

pytestmark = pytest.mark.django_db


def book(patient, *, at, by, physician, course=None):
    return session_book(
        patient=patient, course=course, indication=course.indication if course else _wrinkles(), products=[
            product(VITAMINS)], technique="needles", practitioner=physician, supervising_physician=physician,
        scheduled_at=at, booked_by=by, duration_minutes=5,
    )


def _wrinkles():
    from tests.fixtures.treatments import wrinkles

    return wrinkles()


def ready_patient(name, *, reception, nurse, physician, now):
    patient = make_patient(dt.date(1985, 5, 5), given_name=name)
    approved_screening(patient, taken_by=reception, physician=physician, at=now - 5 * DAY)
    read_patch_test(patient, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)
    course, _ = course_with_consent(patient, by=reception, at=now - DAY)
    return patient, course


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</section>", start)]


def test_reception_sees_who_is_next_and_who_is_not_ready_and_why(client, reception, nurse, physician):
    now = timezone.now()
    ready, course = ready_patient("Ready", reception=reception, nurse=nurse, physician=physician, now=now)
    on_time = book(ready, at=now + 30 * MINUTE, by=reception, physician=physician, course=course)
    unready = make_patient(dt.date(1990, 1, 1), given_name="Unready")
    approved_screening(unready, taken_by=reception, physician=physician, at=now - 5 * DAY)
    read_patch_test(unready, [product(VITAMINS)], nurse=nurse, applied_at=now - 3 * DAY)
    later = book(unready, at=now + 2 * DAY, by=reception, physician=physician)  # no consent
    client.force_login(reception)
    html = client.get("/").content.decode()

    today = section(html, "next-today")
    assert f'href="/treatments/sessions/{on_time.pk}/">Ready Kaya</a>' in today and ">Ready</span>" in today
    assert "Unready" not in today  # not today
    not_ready = section(html, "not-ready")
    assert f'href="/patients/{unready.pk}/">Unready Kaya</a>' in not_ready
    assert "No informed consent recorded for this course or session." in not_ready
    assert "Ready Kaya" not in not_ready
    assert later.pk  # booked
    # Reception reads no patch test and reviews no screening: those lists are not there.
    assert 'data-testid="to-read"' not in html and 'data-testid="to-review"' not in html


def test_the_physician_sees_tests_to_read_screenings_to_review_and_reports_urgent_first(
    client, patient, reception, nurse, physician
):
    now = timezone.now()
    waiting = make_patient(dt.date(1980, 1, 1), given_name="Murat")
    screening = screening_take(patient=waiting, answers=answers(takes_nsaid=True, nsaid_name="ibuprofen"),
                               taken_by=reception, at=now - HOUR)
    readable = patch_test_apply(patient=waiting, products=[product(VITAMINS)], site="forearm", applied_by=nurse,
                                applied_at=now - 25 * HOUR, now=now - 25 * HOUR)
    too_soon = make_patient(dt.date(1980, 1, 1), given_name="Soon")
    patch_test_apply(patient=too_soon, products=[product(VITAMINS)], site="forearm", applied_by=nurse)
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=now - DAY)
    mild = SideEffectReport.objects.create(session=session, effects=["itching"], severity="mild")
    urgent = SideEffectReport.objects.create(session=session, effects=["swelling"], severity="severe", escalated=True)
    client.force_login(physician)
    html = client.get("/").content.decode()

    to_read = section(html, "to-read")
    assert f'href="/treatments/patch-tests/{readable.pk}/">Murat Kaya</a>: {VITAMINS}' in to_read
    assert "Soon" not in to_read  # not readable yet
    assert f'href="/patients/screenings/{screening.pk}/">Murat Kaya</a>' in section(html, "to-review")
    reports = section(html, "reports-waiting")
    assert reports.index(f"/aftercare/reports/{urgent.pk}/") < reports.index(f"/aftercare/reports/{mild.pk}/")
    assert "Warning sign" in reports


@pytest.fixture
def midday():
    """12:30 at the clinic: the day's sessions below all fall on the same day."""
    with travel(NOW):
        yield NOW


def test_the_lists_are_bounded_and_their_queries_constant(client, reception, nurse, physician, midday):
    now = midday
    client.force_login(physician)

    def add(count: int, offset: int) -> None:
        for i in range(offset, offset + count):
            p, course = ready_patient(f"P{i:02d}", reception=reception, nurse=nurse, physician=physician,
                                      now=now - 2 * HOUR)
            book(p, at=now + (i + 1) * 5 * MINUTE, by=reception, physician=physician, course=course)
            other = make_patient(dt.date(1980, 1, 1), given_name=f"N{i:02d}")
            patch_test_apply(patient=other, products=[product(VITAMINS)], site="forearm", applied_by=nurse,
                             applied_at=now - 25 * HOUR, now=now - 25 * HOUR)
            screening_take(patient=other, answers=answers(takes_nsaid=True, nsaid_name="x"), taken_by=reception)
            book(other, at=now + DAY + i * 5 * MINUTE, by=reception, physician=physician)  # unread test, no approval

    add(3, 0)
    small, _ = queries_of(client, "/")
    add(9, 3)
    big, html = queries_of(client, "/")
    assert big == small <= MAX_QUERIES
    assert section(html, "next-today").count('href="/treatments/sessions/') == 10
    assert section(html, "to-review").count('href="/patients/screenings/') == 10
    assert len(re.findall(r'href="/treatments/patch-tests/\d+/"', section(html, "to-read"))) == 10
    assert section(html, "not-ready").count('href="/patients/') == 10
