"""The patient's page: her details and screenings (patients), her treatments (treatments) and emails
(aftercare) on one page. It lives above the apps because it shows all three; its URL keeps the
patients' namespace ("patients:detail"), joined to the patients' URLs in meso_clinic/urls.py."""

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import DetailView

from aftercare.selectors import PATIENT_EMAILS_SHOWN, patient_reminders
from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.clock import clinic_zone
from meso_clinic.core.db import latest
from patients.eligibility import ALLERGY_FINDING
from patients.models import Patient
from patients.selectors import EligibilityStatus, eligibility_status
from treatments import patch_tests, scheduling
from treatments.models import Course, Product, Session
from treatments.outcome_services import attach_outcome_charts
from treatments.readiness import ScreeningFacts, latest_screening, needs_patch_test
from treatments.selectors import (
    CourseCounts,
    PatientFacts,
    TreatmentSummary,
    patch_rules,
    patient_treatment_summary,
    readiness_from_facts,
    split_product_refs,
    valid_consent,
)

from . import next_steps
from .next_steps import Action

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SCREENINGS_SHOWN = 20

# Who may do each of the checklist's actions (the pages' own rules in the apps' access.py say the same).
ACTION_PERMISSIONS = {
    Action.TAKE_INTAKE: "patients.add_eligibilityscreening",
    Action.REVIEW_SCREENING: "patients.decide_screening",
    Action.PLAN_COURSE: "treatments.add_course",
    Action.RECORD_CONSENT: "treatments.add_consent",
    Action.APPLY_PATCH_TEST: "treatments.add_patchtest",
    Action.READ_PATCH_TEST: "treatments.change_patchtest",
    Action.BOOK_NEXT: "treatments.add_session",
    Action.BOOK_SESSION: "treatments.add_session",
    Action.OPEN_SESSION: "treatments.view_session",
}
OPEN_STATUSES = (Session.Status.BOOKED, Session.Status.ARRIVED)


class PatientDetailView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "patients.view_patient"
    model = Patient
    template_name = "patients/patient_detail.html"
    context_object_name = "patient"

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object)  # the access log (meso_clinic/core/access_log.py)
        today = timezone.localdate()
        # The latest 20 (the page says when there are more: the record export lists all); the answers as
        # shown on the day (answer_record, the largest column) are only read by the screening's page.
        screenings, more_screenings = latest(
            self.object.screenings.select_related("taken_by", "decided_by").defer("answer_record"), SCREENINGS_SHOWN
        )
        status = eligibility_status(screening=screenings[0] if screenings else None, on=today)
        treatments = patient_treatment_summary(self.object)
        attach_outcome_charts(treatments.courses)  # one query for the scores of all her courses (issue 16)
        return super().get_context_data(
            age=self.object.age_on(today),
            screenings=screenings,
            more_screenings=more_screenings,
            screenings_shown=SCREENINGS_SHOWN,
            treatments=treatments,
            reminders=patient_reminders(self.object),
            emails_shown=PATIENT_EMAILS_SHOWN,  # a full list links to all of them
            status=status,
            checklist=checklist_for(
                self.object, screenings=screenings, status=status, treatments=treatments, user=self.request.user
            ),
            **kwargs,
        )


class ChecklistView:
    """The checklist as the template shows it: its steps, and its actions as (label, address) pairs."""

    def __init__(self, checklist: next_steps.Checklist, urls: dict[Action, str]) -> None:
        self.steps = checklist.steps
        self.stop_reason = checklist.stop_reason
        self.primary = _link(checklist.primary, urls) if checklist.primary else None
        self.secondary = [_link(a, urls) for a in checklist.secondary]


def _link(action: Action, urls: dict[Action, str]) -> tuple[str, str]:
    return str(next_steps.ACTION_LABELS[action]), urls[action]


def checklist_for(
    patient: Patient, *, screenings: list, status: EligibilityStatus, treatments: TreatmentSummary, user,
    now: dt.datetime | None = None,
) -> ChecklistView:
    """The patient's next steps from what the page has loaded (no query of its own): her latest screenings, the
    latest patch tests, consents and sessions, and her courses. The readiness rules judge them at the next booked
    session's time, or now. The lists are the page's bounded ones (the latest 20 screenings, patch tests and
    consents, 10 sessions): the latest screening is always among them, and a test or consent older than 20 newer
    ones is not read here (the booking page and the perform gate read them all)."""
    now = now or timezone.now()
    tz, rules = clinic_zone(), patch_rules()
    facts = PatientFacts(
        patient.date_of_birth,
        screenings=[
            ScreeningFacts(
                s.pk, s.taken_at, s.decision, s.decided_at, s.valid_until,
                allergy=any(f.get("code") == ALLERGY_FINDING for f in s.findings or []),
                outcome=s.outcome, hard_stop=s.hard_stop,
            )
            for s in screenings
        ],
    )
    names: dict[int, str] = {}
    for t in treatments.patch_tests:
        refs = split_product_refs(t.product_refs)
        names.update((pid, name) for pid, _required, name in refs)
        if refs:  # a test with no product clears and blocks nothing (as treatments.selectors.patient_facts)
            facts.tests.append(
                patch_tests.PatchTestFacts(
                    test_id=t.pk, product_ids=frozenset(pid for pid, _r, _n in refs), applied_at=t.applied_at,
                    read_at=t.read_at, result=patch_tests.ReadResult(t.result) if t.result else None,
                    reaction_cleared=t.reaction_cleared_at is not None,
                )
            )
            if t.reaction_cleared_at is not None:
                facts.reactions_cleared_at[t.pk] = t.reaction_cleared_at
    facts.consents = [c for c in treatments.consents if c.withdrawn_at is None]

    start_of_today = dt.datetime.combine(now.astimezone(tz).date(), dt.time.min, tzinfo=tz)
    upcoming = [s for s in treatments.sessions if s.status in OPEN_STATUSES and s.scheduled_at >= start_of_today]
    session = min(upcoming, key=lambda s: (s.scheduled_at, s.pk)) if upcoming else None
    course = _next_course(treatments.courses, session)
    if session is not None:
        refs = split_product_refs(session.product_refs)
        names.update((pid, name) for pid, _required, name in refs)
        products = [Product(pk=pid, name=name, patch_test_required=required) for pid, required, name in refs]
        # Today's session counts until performed or cancelled, whatever the clock; past its start, judged now.
        at, course_id = next_steps.judged_at(now=now, session_at=session.scheduled_at), session.course_id
    else:
        # No session booked: the products of her latest patch test, as they stand now.
        latest_test = facts.tests[0] if facts.tests else None
        products = [Product(pk=pid, name=names.get(pid, ""), patch_test_required=True)
                    for pid in sorted(latest_test.product_ids)] if latest_test else []
        at, course_id = now, course.pk if course is not None and course.status == Course.Status.ACTIVE else None
    readiness = readiness_from_facts(facts, products=products, at=at, course_id=course_id)
    screening = latest_screening(facts.screenings, at=at)
    tested = [p for p in products
              if needs_patch_test(required_by_catalogue=p.patch_test_required, screening=screening)]
    clearances = patch_tests.clearance(
        product_ids=[p.pk for p in tested], tests=facts.tests_at(at), session_at=at, rules=rules, tz=tz,
        product_names=names,
    )
    consent = valid_consent(facts.consents, course_id=course_id, at=at)
    today = now.astimezone(tz).date()
    min_age = settings.ELIGIBILITY_MIN_AGE_YEARS
    checklist = next_steps.patient_checklist(
        now=now,
        tz=tz,
        status=next_steps.StatusFacts(
            status.code, status.label, status.detail,
            deferred_until=status.screening.deferred_until if status.screening is not None else None,
        ),
        age=patient.age_on(today),
        min_age_years=min_age,
        date_of_birth=patient.date_of_birth,
        readiness=readiness,
        clearances=clearances,
        tests=facts.tests,
        rules=rules,
        product_names=names,
        consent=next_steps.ConsentFacts(
            timezone.localdate(consent.consented_at, tz),
            consent.course.indication.name if consent.course is not None else "",  # none: no query
        ) if consent is not None else None,
        booked=next_steps.BookedSession(session.scheduled_at, readiness.ready) if session is not None else None,
        course=_course_facts(course, facts, tested, now=now) if course is not None else None,
        allowed=frozenset(a for a, perm in ACTION_PERMISSIONS.items() if user.has_perm(perm)),
    )
    urls = {
        Action.TAKE_INTAKE: reverse("patients:intake", args=[patient.pk]),
        Action.PLAN_COURSE: reverse("treatments:course_create", args=[patient.pk]),
        Action.RECORD_CONSENT: reverse("treatments:consent", args=[patient.pk]),
        Action.APPLY_PATCH_TEST: reverse("treatments:patch_test_apply", args=[patient.pk]),
        Action.BOOK_SESSION: reverse("treatments:session_book", args=[patient.pk]),
    }
    if status.screening is not None:
        urls[Action.REVIEW_SCREENING] = reverse("patients:screening", args=[status.screening.pk])
    if facts.tests:
        unread = next((t for t in facts.tests if t.read_at is None), facts.tests[0])
        urls[Action.READ_PATCH_TEST] = reverse("treatments:patch_test", args=[unread.test_id])
    if course is not None:
        urls[Action.BOOK_NEXT] = f"{urls[Action.BOOK_SESSION]}?course={course.pk}"
    if session is not None:
        urls[Action.OPEN_SESSION] = reverse("treatments:session", args=[session.pk])
    return ChecklistView(checklist, urls)


def _next_course(
    courses: "list[WithAnnotations[Course, CourseCounts]]", session: Session | None
) -> "WithAnnotations[Course, CourseCounts] | None":
    """The course the next session belongs to: the booked one's, else the newest active course with sessions left,
    else the newest course (complete, or stopped)."""
    if session is not None and session.course_id is not None:
        return next((c for c in courses if c.pk == session.course_id), None)
    active = [c for c in courses if c.status == Course.Status.ACTIVE and c.planned_sessions > c.done + c.booked]
    return active[0] if active else (courses[0] if courses else None)


def _course_facts(
    course: "WithAnnotations[Course, CourseCounts]", facts: PatientFacts, tested: list[Product], *, now: dt.datetime
) -> next_steps.CourseFacts:
    """The course's next session: the earliest moment the scheduling rules allow (patch tests readable and read,
    the course's interval after the last session), else the course's suggested date."""
    # No patch test at all yet: whatever the products, one applied now is read a day later at the earliest (the
    # rule's answer for a product without a test; 0 stands for "a product", no product has that id).
    tested_ids = [p.pk for p in tested] or ([0] if not facts.tests else [])
    earliest = scheduling.earliest_treatment(
        now=now, tz=clinic_zone(), date_of_birth=facts.date_of_birth, min_age_years=settings.ELIGIBILITY_MIN_AGE_YEARS,
        screenings=facts.screenings, tested_product_ids=tested_ids, tests=facts.tests_at(now),
        rules=patch_rules(), interval_days=course.interval_days, last_session_at=course.last_performed,
    )
    return next_steps.CourseFacts(
        name=course.indication.name,
        done=course.done,
        planned=course.planned_sessions,
        booked=course.booked,
        active=course.status == Course.Status.ACTIVE,
        due=course.suggestions[0] if course.suggestions else None,
        due_at=earliest.at if earliest.bookable else None,
    )


# Joined to patients/urls.py's patterns under the "patients" namespace (meso_clinic/urls.py).
patient_urlpatterns = [
    path("<int:pk>/", PatientDetailView.as_view(), name="detail"),
]
