"""Reads of the treatments app: what a patient is cleared for, readiness of sessions, lists.

Readiness is gathered for many patients in a fixed number of queries (the day view shows every
session of the day with its readiness), then computed by the pure rules.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import Case, CharField, Count, Max, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from meso_clinic.core.clock import clinic_zone
from meso_clinic.core.db import ListAgg, latest, split_list
from meso_clinic.core.people import users_with_permission
from patients.eligibility import ALLERGY_FINDING
from patients.models import Decision, EligibilityScreening, Patient

from . import patch_tests
from . import readiness as readiness_rules
from .models import Batch, Consent, ConsentText, Course, PatchTest, Product, Session, SessionProduct
from .readiness import Readiness, ScreeningFacts, readiness

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# What the selectors annotate() on their rows, for the type checker (django-stubs' WithAnnotations[Model, TypedDict]):
# a function handed such rows says so in its signature. A ListAgg is typed str as its output field says (it is None
# for a row with nothing to gather: split_list and split_product_refs take both).
class CourseCounts(TypedDict):
    done: int  # patient_courses
    booked: int
    last_performed: dt.datetime | None


class SessionProducts(TypedDict):
    product_lots: str  # patient_sessions (ListAgg)
    product_refs: str


class PatchTestProducts(TypedDict):
    product_names: str  # patient_treatment_summary (ListAgg)
    product_refs: str


def patch_rules() -> patch_tests.PatchTestRules:
    return patch_tests.PatchTestRules(
        min_hours=settings.PATCH_TEST_MIN_HOURS,
        read_window_hours=settings.PATCH_TEST_READ_WINDOW_HOURS,
        validity_days=settings.PATCH_TEST_VALIDITY_DAYS,
    )


@dataclass
class PatientFacts:
    """What readiness needs to know about one patient, as plain values."""

    date_of_birth: dt.date
    screenings: list[ScreeningFacts] = field(default_factory=list)
    tests: list[patch_tests.PatchTestFacts] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    reactions_cleared_at: dict[int, dt.datetime] = field(default_factory=dict)  # test id -> physician's decision

    def tests_at(self, at: dt.datetime) -> list[patch_tests.PatchTestFacts]:
        """The patch tests as they stood at `at`: a reaction decision taken later did not exist yet."""
        return [
            replace(t, reaction_cleared=self.reactions_cleared_at[t.test_id] <= at) if t.reaction_cleared else t
            for t in self.tests
        ]


def patient_facts(patients: Iterable[Patient]) -> dict[int, PatientFacts]:
    """Facts for many patients in three queries, whatever their number, read as plain values.

    Patch tests come from their product rows (one row per test and product): a test with no product
    clears and blocks nothing, so leaving it out changes no readiness. Consents are loaded without
    their text, which readiness does not read.
    """
    facts = {p.pk: PatientFacts(p.date_of_birth) for p in patients}
    ids = list(facts)
    screenings = EligibilityScreening.objects.filter(patient_id__in=ids).order_by("patient_id", "taken_at", "pk")
    for pk, patient_id, taken_at, decision, decided_at, valid_until, findings, outcome, hard_stop in (
        screenings.values_list(
            "pk", "patient_id", "taken_at", "decision", "decided_at", "valid_until", "findings", "outcome", "hard_stop"
        )
    ):
        allergy = any(f.get("code") == ALLERGY_FINDING for f in findings or [])
        facts[patient_id].screenings.append(
            ScreeningFacts(
                pk, taken_at, decision, decided_at, valid_until, allergy=allergy, outcome=outcome, hard_stop=hard_stop
            )
        )
    tests: dict[int, dict] = {}
    rows = PatchTest.products.through.objects.filter(patchtest__patient_id__in=ids).order_by(
        "patchtest__applied_at", "patchtest_id", "product_id"
    )
    for test_id, product_id, patient_id, applied_at, read_at, result, cleared_at in rows.values_list(
        "patchtest_id",
        "product_id",
        "patchtest__patient_id",
        "patchtest__applied_at",
        "patchtest__read_at",
        "patchtest__result",
        "patchtest__reaction_cleared_at",
    ):
        test = tests.setdefault(
            test_id,
            {"patient_id": patient_id, "products": set(), "applied_at": applied_at, "read_at": read_at,
             "result": result, "cleared_at": cleared_at},
        )
        test["products"].add(product_id)
    for test_id, t in tests.items():
        patient = facts[t["patient_id"]]
        patient.tests.append(
            patch_tests.PatchTestFacts(
                test_id=test_id,
                product_ids=frozenset(t["products"]),
                applied_at=t["applied_at"],
                read_at=t["read_at"],
                result=patch_tests.ReadResult(t["result"]) if t["result"] else None,
                reaction_cleared=t["cleared_at"] is not None,
            )
        )
        if t["cleared_at"] is not None:
            patient.reactions_cleared_at[test_id] = t["cleared_at"]
    for c in Consent.objects.filter(patient_id__in=ids, withdrawn_at__isnull=True).only(
        "pk", "patient_id", "course_id", "consented_at"
    ):
        facts[c.patient_id].consents.append(c)
    return facts


def valid_consent(consents: Iterable[Consent], *, course_id: int | None, at: dt.datetime) -> Consent | None:
    """A consent to this course, or a consent to a single session given on the session's day."""
    given = sorted((c for c in consents if c.consented_at <= at), key=lambda c: c.consented_at, reverse=True)
    if course_id is not None:
        for c in given:
            if c.course_id == course_id:
                return c
    day = timezone.localdate(at)
    return next((c for c in given if c.course_id is None and timezone.localdate(c.consented_at) == day), None)


def readiness_from_facts(
    facts: PatientFacts,
    *,
    products: Iterable[Product],
    at: dt.datetime,
    course_id: int | None,
    health_unchanged: bool | None = None,
) -> Readiness:
    screening = readiness_rules.latest_screening(facts.screenings, at=at)
    tested = [
        p for p in products
        if readiness_rules.needs_patch_test(required_by_catalogue=p.patch_test_required, screening=screening)
    ]
    return readiness(
        date_of_birth=facts.date_of_birth,
        session_at=at,
        tz=clinic_zone(),
        min_age_years=settings.ELIGIBILITY_MIN_AGE_YEARS,
        screenings=facts.screenings,
        clearances=patch_tests.clearance(
            product_ids=[p.pk for p in tested],
            tests=facts.tests_at(at),
            session_at=at,
            rules=patch_rules(),
            tz=clinic_zone(),
            product_names={p.pk: p.name for p in tested},
        ),
        has_consent=valid_consent(facts.consents, course_id=course_id, at=at) is not None,
        health_unchanged=health_unchanged,
    )


def patient_readiness(
    *,
    patient: Patient,
    products: Iterable[Product],
    at: dt.datetime,
    course_id: int | None = None,
    health_unchanged: bool | None = None,
) -> Readiness:
    return readiness_from_facts(
        patient_facts([patient])[patient.pk],
        products=products,
        at=at,
        course_id=course_id,
        health_unchanged=health_unchanged,
    )


def sessions_readiness(sessions: Iterable[Session]) -> dict[int, Readiness]:
    """Readiness of each booked (or arrived) session at its scheduled time. Sessions must come with
    `session_products__product` prefetched and `patient` selected (see day_sessions)."""
    sessions = [s for s in sessions if s.status in Session.OPEN_STATUSES]  # readiness is shown for these only
    facts = patient_facts({s.patient_id: s.patient for s in sessions}.values())
    return {
        s.pk: readiness_from_facts(
            facts[s.patient_id],
            products=[sp.product for sp in s.session_products.all()],
            at=s.scheduled_at,
            course_id=s.course_id,
        )
        for s in sessions
    }


def _with_details(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related(
        "patient", "area", "indication", "practitioner", "supervising_physician", "course"
    ).prefetch_related(Prefetch("session_products", queryset=SessionProduct.objects.select_related("product", "batch")))


def day_sessions(day: dt.date) -> QuerySet[Session]:
    tz = clinic_zone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    return _with_details(Session.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end)).order_by(
        "scheduled_at", "id"
    )


LOT_SEPARATOR = "\x1e"  # between a product's name and its lot in a session's ListAgg


def session_with_details(pk: int) -> Session:
    return _with_details(Session.objects.all()).get(pk=pk)


def patch_tests_to_read(*, now: dt.datetime) -> QuerySet[PatchTest]:
    """Unread tests still inside their reading window (or becoming readable), soonest first."""
    window = dt.timedelta(hours=settings.PATCH_TEST_READ_WINDOW_HOURS)
    return (
        PatchTest.objects.filter(read_at__isnull=True, applied_at__gt=now - window)
        .select_related("patient", "applied_by")
        .prefetch_related("products")
        .order_by("applied_at", "id")
    )


def patient_courses(patient: Patient) -> "list[WithAnnotations[Course, CourseCounts]]":
    """The patient's courses with the sessions performed and booked, and suggested next dates."""
    performed = Q(sessions__status=Session.Status.PERFORMED)
    courses = list(
        Course.objects.filter(patient=patient)
        .select_related("area", "indication")
        .annotate(
            done=Count("sessions", filter=performed),
            booked=Count("sessions", filter=Q(sessions__status__in=Session.OPEN_STATUSES)),  # booked or arrived
            last_performed=Max("sessions__performed_at", filter=performed),
        )
    )
    for course in courses:
        course.suggestions = next_session_suggestions(course, today=timezone.localdate())
    return courses


def next_session_suggestions(
    course: "WithAnnotations[Course, CourseCounts]", *, today: dt.date, count: int = 3
) -> list[dt.date]:
    """Suggested dates for the sessions still to book: every `interval_days` from the last session
    performed (or from today for a course not started), never in the past."""
    remaining = course.planned_sessions - course.done - course.booked
    if course.status != Course.Status.ACTIVE or remaining <= 0:
        return []
    start = timezone.localdate(course.last_performed) if course.last_performed else today
    first = max(start + dt.timedelta(days=course.interval_days), today) if course.last_performed else today
    return [first + dt.timedelta(days=course.interval_days * i) for i in range(min(count, remaining))]


def batch_recall(lot_number: str) -> QuerySet[SessionProduct]:
    """Every session (and so every patient) that received a batch with this lot number."""
    return (
        SessionProduct.objects.filter(batch__lot_number__iexact=lot_number.strip())
        .select_related("session__patient", "batch__product", "session__performed_by")
        .order_by("-session__performed_at")
    )


# Who may do what, as permissions (the roles table in meso_clinic/core/roles.py gives them to nurses and physicians):
# the booking form lists these people and the booking service refuses anyone else.
PRACTITIONER_PERMISSIONS = ("treatments.add_patchtest", "treatments.perform_session")  # who treats patients
SUPERVISOR_PERMISSION = "treatments.perform_session"  # who supervises and signs off a session


def practitioners() -> QuerySet:
    return users_with_permission(*PRACTITIONER_PERMISSIONS)


def supervising_physicians() -> QuerySet:
    return users_with_permission(SUPERVISOR_PERMISSION)


def may_practise(user) -> bool:
    return any(user.has_perm(perm) for perm in PRACTITIONER_PERMISSIONS)


def catalogue_products(*, on: dt.date) -> list[Product]:
    """The active products with their batches, each batch marked `expired` on the clinic day `on`
    (Batch.is_expired_on: a batch is usable up to and including its expiry date)."""
    products = list(Product.objects.filter(active=True).prefetch_related("batches"))
    for product in products:
        for batch in product.batches.all():
            batch.expired = batch.is_expired_on(on)
    return products


def usable_batches(product: Product, *, on: dt.date) -> QuerySet[Batch]:
    return Batch.objects.filter(product=product, expiry_date__gte=on).order_by("expiry_date")


@dataclass
class TreatmentSummary:
    """The treatments part of a patient's page."""

    patch_tests: "list[WithAnnotations[PatchTest, PatchTestProducts]]"
    consents: list[Consent]
    courses: "list[WithAnnotations[Course, CourseCounts]]"
    sessions: "list[WithAnnotations[Session, SessionProducts]]"
    limit: int = 10  # the latest `limit` sessions; the page links to all of them when the list is full
    record_limit: int = 20  # the latest `record_limit` patch tests and consents ...
    more_patch_tests: bool = False  # ... and whether older ones exist (the page says so: nothing ends silently)
    more_consents: bool = False


def current_consent_text(*, at: dt.datetime | None = None, language: str = "en") -> ConsentText | None:
    """The consent text patients sign now: the latest published by `at` (one dated later is not out yet), in
    `language` (the patient's); English when the clinic has none in her language yet."""
    published = ConsentText.objects.filter(published_at__lte=at or timezone.now()).order_by("-published_at", "-id")
    return published.filter(language=language).first() or published.filter(language="en").first()


def previous_session_at(patient_id: int, *, before: dt.datetime, exclude: int | None = None) -> dt.datetime | None:
    """When the patient's latest session performed before `before` was performed (None: this is her first)."""
    performed = Session.objects.filter(patient_id=patient_id, status=Session.Status.PERFORMED, performed_at__lt=before)
    if exclude is not None:  # (exclude(pk=None) excluded nothing: the same rows)
        performed = performed.exclude(pk=exclude)
    return (
        performed.order_by("-performed_at")
        .values_list("performed_at", flat=True)
        .first()
    )


def patient_sessions(patient: Patient) -> "QuerySet[WithAnnotations[Session, SessionProducts]]":
    """A patient's sessions, newest first, each with its products and lots gathered in the same query
    (`product_lots`; `with_product_lists` makes them a list of (product, lot) pairs)."""
    return (
        Session.objects.filter(patient=patient)
        .select_related("indication")
        .only("pk", "scheduled_at", "status", "course_id", "indication__name", "indication__name_tr")
        .annotate(
            product_lots=ListAgg(
                Concat(
                    "session_products__product__name",
                    Value(LOT_SEPARATOR),
                    Coalesce("session_products__batch__lot_number", Value("")),
                )
            ),
            # What the patient page's checklist judges a booked session's patch tests by (split_product_refs).
            product_refs=product_refs(),
        )
        .order_by("-scheduled_at", "-id")
    )


def product_refs() -> ListAgg:
    """A session's products as one text (id, needs a patch test by the catalogue, name): read by split_product_refs."""
    return ListAgg(
        Concat(
            Cast("session_products__product_id", CharField()),
            Value(LOT_SEPARATOR),
            Case(
                When(session_products__product__patch_test_required=True, then=Value("1")), default=Value("0")
            ),
            Value(LOT_SEPARATOR),
            "session_products__product__name",
            output_field=CharField(),
        )
    )


def split_product_refs(value: str | None) -> list[tuple[int, bool, str]]:
    """A `product_refs` ListAgg (patient_sessions, patient_treatment_summary's patch tests) as (product id, needs a
    patch test by the catalogue, name) triples."""
    refs = []
    for item in split_list(value):
        product_id, required, name = (item.split(LOT_SEPARATOR, 2) + ["", ""])[:3]
        if product_id:  # a row without a product (none in practice) concatenates to separators only
            refs.append((int(product_id), required == "1", name))
    return refs


def with_product_lists(
    sessions: "list[WithAnnotations[Session, SessionProducts]]",
) -> "list[WithAnnotations[Session, SessionProducts]]":
    for session in sessions:
        session.product_list = [tuple(item.split(LOT_SEPARATOR, 1)) for item in split_list(session.product_lots)]
    return sessions


def patient_treatment_summary(patient: Patient, *, limit: int = 10, record_limit: int = 20) -> TreatmentSummary:
    """The latest `limit` sessions (they have an "All sessions" page) and the latest `record_limit` patch tests
    and consents (short lines, no page of their own), in five queries whatever the length of the history: what
    each patch test and session lists (products, lots) comes in the same query, gathered by ListAgg."""
    patch_tests, more_patch_tests = latest(
        PatchTest.objects.filter(patient=patient)
        .only("pk", "applied_at", "read_at", "result", "reaction_cleared_at")
        .annotate(
            product_names=ListAgg("products__name"),
            product_refs=ListAgg(
                Concat(Cast("products__id", CharField()), Value(LOT_SEPARATOR + "1" + LOT_SEPARATOR), "products__name",
                       output_field=CharField())
            ),
        )
        .order_by("-applied_at", "-id"),
        record_limit,
    )
    for test in patch_tests:
        test.product_list = split_list(test.product_names)
    sessions = with_product_lists(list(patient_sessions(patient)[:limit]))
    consents, more_consents = latest(
        Consent.objects.filter(patient=patient)
        .select_related("text", "course__indication")
        .only(
            "pk", "consented_at", "withdrawn_at", "text__title", "text__version",
            "course__indication__name", "course__indication__name_tr",
        ),
        record_limit,
    )
    return TreatmentSummary(
        patch_tests=patch_tests,
        consents=consents,
        courses=patient_courses(patient),
        sessions=sessions,
        limit=limit,
        record_limit=record_limit,
        more_patch_tests=more_patch_tests,
        more_consents=more_consents,
    )


# --- The physician's instructions for a session (issue 14) -----------------------------------------


def session_instructions(session: Session) -> str:
    """What the physician told the patient to do, from the review of the screening in force for this session
    (e.g. "pause ibuprofen 3 days before"): the one a performed session was signed off on, else the latest
    screening taken by the session's time when it is approved (a newer, undecided one replaces it, as in
    readiness). Empty when there are none. Shown on the session page, the pre-session email and the sheet."""
    screenings = EligibilityScreening.objects.filter(patient_id=session.patient_id)
    if session.screening_id is not None:
        screenings = screenings.filter(pk=session.screening_id)
    else:
        screenings = screenings.filter(taken_at__lte=session.scheduled_at).order_by("-taken_at", "-pk")[:1]
    row = screenings.values_list("decision", "instructions").first()
    if row is None or row[0] != Decision.APPROVED:
        return ""
    return row[1].strip()
