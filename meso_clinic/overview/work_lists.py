"""The dashboard's work lists: who is next today, who is booked but not ready (and why), patch tests to read now,
screenings waiting for a physician, side-effect reports waiting. Each list is bounded (WORK_LIST_SIZE lines, the
page links to all of them) and costs a fixed number of queries whatever the clinic's size: one per list, and three
for the readiness facts of the sessions looked at (treatments.selectors.patient_facts)."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import QuerySet

from aftercare.models import SideEffectReport
from meso_clinic.core.clock import clinic_zone
from meso_clinic.core.db import ListAgg, split_list
from treatments.models import PatchTest, Product, Session
from treatments.readiness import Readiness
from treatments.selectors import (
    patch_tests_to_read,
    patient_facts,
    product_refs,
    readiness_from_facts,
    split_product_refs,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

WORK_LIST_SIZE = 10
# Sessions looked at for "not ready": the next ones from the start of today, at most this many and this far ahead.
SESSIONS_LOOKED_AT = 50
SESSIONS_AHEAD_DAYS = 7
OPEN_STATUSES = (Session.Status.BOOKED, Session.Status.ARRIVED)


@dataclass(frozen=True)
class SessionLine:
    session: Session
    readiness: Readiness


@dataclass(frozen=True)
class SessionLists:
    today: list[SessionLine]  # today's open sessions in time order (the first WORK_LIST_SIZE)
    more_today: bool
    not_ready: list[SessionLine]  # the next sessions, today or in the week ahead, that are not ready
    more_not_ready: bool


def session_lists(*, now: dt.datetime) -> SessionLists:
    """Today's open sessions and the week's sessions that are not ready, from one query of the next
    SESSIONS_LOOKED_AT open sessions (from the start of today, within SESSIONS_AHEAD_DAYS) and the readiness facts
    of their patients (three queries): four queries however busy the week is."""
    tz = clinic_zone()
    start = dt.datetime.combine(now.astimezone(tz).date(), dt.time.min, tzinfo=tz)
    tomorrow = start + dt.timedelta(days=1)
    sessions = list(
        Session.objects.filter(
            status__in=OPEN_STATUSES,
            scheduled_at__gte=start,
            scheduled_at__lt=start + dt.timedelta(days=SESSIONS_AHEAD_DAYS),
        )
        .select_related("patient", "practitioner", "indication")
        .only(
            "scheduled_at", "status", "course_id", "patient_id", "practitioner_id",
            "patient__given_name", "patient__family_name", "patient__date_of_birth",
            "practitioner__username", "practitioner__first_name", "practitioner__last_name", "indication__name",
            "indication__name_tr",
        )
        .annotate(
            product_refs=product_refs()
        )
        .order_by("scheduled_at", "id")[:SESSIONS_LOOKED_AT]
    )
    facts = patient_facts({s.patient_id: s.patient for s in sessions}.values())
    lines = [
        SessionLine(
            s,
            readiness_from_facts(
                facts[s.patient_id],
                products=[
                    Product(pk=pid, name=name, patch_test_required=required)
                    for pid, required, name in split_product_refs(s.product_refs)
                ],
                at=s.scheduled_at,
                course_id=s.course_id,
            ),
        )
        for s in sessions
    ]
    today = [line for line in lines if line.session.scheduled_at < tomorrow]
    not_ready = [line for line in lines if not line.readiness.ready]
    return SessionLists(
        today=today[:WORK_LIST_SIZE],
        more_today=len(today) > WORK_LIST_SIZE,
        not_ready=not_ready[:WORK_LIST_SIZE],
        # Past the sessions looked at there may be more: the page then links to the calendar for them.
        more_not_ready=len(not_ready) > WORK_LIST_SIZE or len(sessions) == SESSIONS_LOOKED_AT,
    )


class ProductNames(TypedDict):
    product_names: str  # patch_tests_readable (ListAgg)


def patch_tests_readable(*, now: dt.datetime) -> "QuerySet[WithAnnotations[PatchTest, ProductNames]]":
    """Unread tests that can be read now (24 hours after application, inside their window), oldest first: the
    first to close. One query, the products' names gathered in it."""
    return (
        patch_tests_to_read(now=now)
        .filter(applied_at__lte=now - dt.timedelta(hours=settings.PATCH_TEST_MIN_HOURS))
        .prefetch_related(None)
        .annotate(product_names=ListAgg("products__name"))
    )


def with_product_lists(
    tests: "list[WithAnnotations[PatchTest, ProductNames]]",
) -> "list[WithAnnotations[PatchTest, ProductNames]]":
    for test in tests:
        test.product_list = split_list(test.product_names)
    return tests


def reports_waiting() -> QuerySet[SideEffectReport]:
    """Open side-effect reports, those with a warning sign first, then the newest."""
    return (
        SideEffectReport.objects.filter(status=SideEffectReport.Status.OPEN)
        .select_related("session__patient")
        .only("reported_at", "severity", "escalated", "effects", "session__patient__given_name",
              "session__patient__family_name")
        .order_by("-escalated", "-reported_at", "-id")
    )
