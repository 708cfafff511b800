"""Property test of the perform gate: no sequence of service calls yields a session that breaks invariants 1-3.

A hypothesis state machine drives the clinic through its services, in any order: it registers patients
(16 to 40 years old, many close to their 18th birthday), takes screenings with random answers (blood
thinner, NSAID, pregnancy), has physicians and others approve, defer or decline them, applies and reads
patch tests at random times with random results, clears reactions, records consent, books sessions,
performs them at random times with random batches (expired, of another product, missing), health
confirmations and staff, cancels them, and moves the clock (time_machine). A refusal (`Refused`,
`DecisionRefused`) is part of the game.

Random sequences rarely line up everything a session needs, so one step, `prepare_session`, walks a new
patient along the usual path (screen, approve, patch test, read, consent, book, perform) with allowed
variations (edges included: a read at exactly 24 h or 72 h, the 18th birthday today, a blood thinner the
physician approved, a reaction the physician cleared) and at most one flaw from FLAWS. Without a flaw the
gate must accept; with one it may refuse. The other steps then disturb what booked sessions rest on.

After every step, every performed session is checked against invariants 1-3 (docs/architecture.md) by the checks
below, written from the rules' wording (docs/clinical-rules.md) and the stored rows, not with the app's own rule
code (treatments.readiness, treatments.patch_tests, patients.eligibility). A refused perform must leave
the session as it was.
"""

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass
from types import SimpleNamespace
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Prefetch
from django.test import TestCase
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from meso_clinic.core.roles import NURSE, PHYSICIAN, RECEPTION
from patients.models import EligibilityScreening, Patient
from patients.services import DecisionRefused, screening_decide, screening_take
from tests.fixtures.treatments import AMINO, CREAM, NOW, VITAMINS, answers, consent_text, product, wrinkles
from treatments.models import Batch, PatchTest, Product, Session, SessionProduct
from treatments.services import (
    Refused,
    consent_record,
    course_create,
    patch_reaction_clear,
    patch_test_apply,
    patch_test_read,
    session_book,
    session_cancel,
    session_perform,
)

MIN_AGE = 18  # invariant 1
ROLES = {"reception": RECEPTION, "nurse": NURSE, "physician": PHYSICIAN}
RESULTS = ["no_reaction", "redness", "swelling", "itching_burning", "rash_wheal", "other"]
DECISIONS = ["approved", "deferred", "declined"]
BATCH_KINDS = ["good", "expiring", "expired", "other_product", "missing"]
MINUTES = dt.timedelta(minutes=1)


def clinic_day(at: dt.datetime) -> dt.date:
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def completed_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Known:
    """What had been recorded when a session was performed. A later record can be dated earlier (a
    reading is entered after the fact, a perform is dated up to the grace period ahead), but the gate
    could not have seen it, so the checks leave such records out."""

    last_screening: int
    read_tests: frozenset[int]

    @classmethod
    def now(cls) -> "Known":
        last = EligibilityScreening.objects.order_by("-pk").values_list("pk", flat=True).first()
        return cls(last or 0, frozenset(PatchTest.objects.filter(read_at__isnull=False).values_list("pk", flat=True)))


class Permissions:
    """Whether a user has a permission, asked once per user and permission (roles do not change here)."""

    def __init__(self) -> None:
        self.answers: dict[tuple[int, str], bool] = {}

    def has(self, user_id: int, perm: str) -> bool:
        if (user_id, perm) not in self.answers:  # a fresh user: no permissions cached on an old instance
            self.answers[user_id, perm] = get_user_model().objects.get(pk=user_id).has_perm(perm)
        return self.answers[user_id, perm]


# --- The invariants, checked from the stored rows ----------------------------------------------


def check_age(session: Session, day: dt.date) -> None:
    """Invariant 1: 18 or older on the clinic-local day of the session."""
    born = session.patient.date_of_birth
    assert completed_years(born, day) >= MIN_AGE, f"{session}: patient born {born} treated on {day}"


def check_approval(session: Session, day: dt.date, perms: Permissions) -> None:
    """Invariant 2: the session rests on this patient's screening, approved by a physician with a reason,
    decided by the session's time and valid on its local day."""
    screening = session.screening
    assert screening is not None, f"{session}: no screening recorded"
    assert screening.patient_id == session.patient_id, f"{session}: screening of another patient"
    assert screening.decision == "approved", f"{session}: screening {screening.pk} is {screening.decision!r}"
    assert not screening.hard_stop and screening.outcome != "not_eligible"
    assert perms.has(screening.decided_by_id, "patients.decide_screening"), f"{session}: not approved by a physician"
    assert screening.decision_reason.strip(), f"{session}: approval without a documented reason"
    assert screening.decided_at <= session.performed_at, f"{session}: approved only after it was performed"
    decided_on = clinic_day(screening.decided_at)
    assert decided_on <= day <= screening.valid_until, (
        f"{session}: approval {decided_on}..{screening.valid_until} does not cover {day}"
    )


def check_current_medicines_decided(session: Session, known: Known) -> None:
    """Invariant 3: the patient's latest answers before the session (blood thinners, NSAIDs, ...) are the
    ones a physician approved: a newer screening, undecided or not approved, is not overridden."""
    latest = (
        EligibilityScreening.objects.filter(
            patient_id=session.patient_id, taken_at__lte=session.performed_at, pk__lte=known.last_screening
        )
        .order_by("-taken_at", "-pk")
        .only("pk", "decision")
        .first()
    )
    assert latest is not None and latest.pk == session.screening_id, (
        f"{session}: performed on screening {session.screening_id} although screening "
        f"{latest and latest.pk} ({latest and latest.decision or 'undecided'}) is newer"
    )


def check_patch_tests(session: Session, product: Product, tests: list[PatchTest]) -> None:
    """Invariant 2: a negative read in its window of a test applied 24 h or more before and within its
    validity; and no reaction, read by then, without a physician's decision recorded by then."""
    at = session.performed_at
    min_wait = dt.timedelta(hours=settings.PATCH_TEST_MIN_HOURS)
    window = dt.timedelta(hours=settings.PATCH_TEST_READ_WINDOW_HOURS)
    validity = dt.timedelta(days=settings.PATCH_TEST_VALIDITY_DAYS)
    tests = [t for t in tests if product in t.products.all()]
    clearing = [
        t
        for t in tests
        if t.result == "no_reaction"
        and t.applied_at + min_wait <= at <= t.applied_at + validity
        and t.applied_at + min_wait <= t.read_at <= t.applied_at + window
        and t.read_at <= at
    ]
    assert clearing, f"{session}: no negative patch test for {product} clears {at}"
    blocking = [
        t
        for t in tests
        if t.result not in ("", "no_reaction")
        and t.applied_at <= at
        and t.read_at <= at
        and (t.reaction_cleared_at is None or t.reaction_cleared_at > at)
    ]
    assert not blocking, f"{session}: {product} used despite the reaction on patch test {blocking[0].pk}"


def check_batch(session: Session, sp: SessionProduct, day: dt.date) -> None:
    """Recorded for recalls: a batch of this very product, not expired on the session's day."""
    batch = sp.batch
    assert batch is not None, f"{session}: no batch recorded for {sp.product}"
    assert batch.product_id == sp.product_id, f"{session}: lot {batch.lot_number} is not {sp.product}"
    assert day <= batch.expiry_date, f"{session}: lot {batch.lot_number} expired {batch.expiry_date}, used {day}"


def check_consent(session: Session, day: dt.date) -> None:
    """The patient's consent, given by then, to this course or to a single session on that day."""
    consent = session.consent
    assert consent is not None and consent.patient_id == session.patient_id, f"{session}: no consent of the patient"
    assert consent.consented_at <= session.performed_at and consent.withdrawn_at is None
    covers = consent.course_id == session.course_id if consent.course_id else clinic_day(consent.consented_at) == day
    assert covers, f"{session}: consent {consent.pk} is for another course or day"


def check_performed_sessions(known: dict[int, Known], perms: Permissions) -> int:
    """Every performed session against invariants 1-3, with what was `known` when it was performed."""
    sessions = (
        Session.objects.filter(status=Session.Status.PERFORMED)
        .select_related("patient", "consent", "screening")
        .prefetch_related(
            Prefetch("session_products", queryset=SessionProduct.objects.select_related("product", "batch"))
        )
    )
    for session in sessions:
        assert session.performed_at is not None and session.health_unchanged_confirmed
        assert perms.has(session.performed_by_id, "treatments.perform_session"), f"{session}: not by a physician"
        day = clinic_day(session.performed_at)
        check_age(session, day)
        check_approval(session, day, perms)
        check_current_medicines_decided(session, known[session.pk])
        check_consent(session, day)
        tests = list(
            PatchTest.objects.filter(patient_id=session.patient_id, pk__in=known[session.pk].read_tests)
            .prefetch_related("products")
        )
        for sp in session.session_products.all():
            check_batch(session, sp, day)
            if sp.product.patch_test_required:
                check_patch_tests(session, sp.product, tests)
    return len(sessions)


def check_refusal_left_no_trace(before: Session) -> None:
    """A refused perform changes nothing: a booked session stays booked, with no batch, approval or consent."""
    after = Session.objects.get(pk=before.pk)
    assert after.status == before.status, f"{before}: a refused perform changed its status"
    if before.status == Session.Status.BOOKED:
        assert (after.performed_at, after.performed_by_id, after.screening_id, after.consent_id) == (None,) * 4
        assert not SessionProduct.objects.filter(session=after, batch__isnull=False).exists()


# --- Strategies ---------------------------------------------------------------------------------


def mostly(usual: st.SearchStrategy, rare: st.SearchStrategy, *, in_ten: int = 8) -> st.SearchStrategy:
    """A draw from `usual` about `in_ten` times in ten, else from `rare`; shrinks towards `usual`."""
    return st.integers(0, 9).flatmap(lambda i: usual if i < in_ten else rare)


STAFF = st.sampled_from(["reception", "nurse", "physician"])
BY_PHYSICIAN = mostly(st.just("physician"), STAFF)
BY_NURSE = mostly(st.just("nurse"), STAFF)
PRODUCTS = st.frozensets(st.integers(0, 2), max_size=3)  # indices into GateMachine.products
# Which earlier row a step acts on: 0 is the most recent, so examples shrink towards "the latest".
RECENT = mostly(st.just(0), st.integers(0, 6), in_ten=6)
# Minutes from a patch test's application to its reading: in the window, or at or just past its edges.
READ_AFTER = mostly(
    st.integers(24 * 60, 72 * 60), st.sampled_from([0, 23 * 60 + 59, 24 * 60, 72 * 60, 72 * 60 + 1, 80 * 60])
)
RESULT = mostly(st.just("no_reaction"), st.sampled_from(RESULTS), in_ten=7)
BATCH = mostly(st.just("good"), st.sampled_from(BATCH_KINDS), in_ten=9)
# What can be wrong with a session prepared along the usual path (GateMachine.prepare_session).
FLAWS = (
    "under_age",
    "not_approved",
    "approval_expired",
    "newer_screening",
    "untested_product",
    "read_too_early",
    "read_too_late",
    "reaction",
    "other_reaction",
    "reaction_cleared_later",
    "patch_test_expired",
    "performed_before_read",
    "consent_yesterday",
    "no_consent",
    "batch_expired",
    "batch_of_other_product",
    "batch_missing",
    "health_changed",
    "performed_by_non_physician",
)
PREPARE = {
    "flaw": mostly(st.none(), st.sampled_from(FLAWS), in_ten=3),
    # Every variation below is allowed, edges included.
    "days_past_18": mostly(st.integers(1, 22 * 365), st.just(0)),  # 0: the 18th birthday is today
    "medicines": st.sampled_from(["none", "blood_thinner", "nsaid", "both"]),
    "booked": st.frozensets(st.integers(0, 2), min_size=1, max_size=3),
    "other_test": st.sampled_from(["none", "negative", "reaction_cleared"]),
    "read_after": st.one_of(st.sampled_from([24 * 60, 72 * 60]), st.integers(24 * 60, 72 * 60)),
    "wait": mostly(st.integers(60, 180), st.integers(60, 85 * 24 * 60)),
    "consent": st.sampled_from(["course", "single"]),
    "book_first": st.booleans(),
    "extra": st.integers(1, 3),
}
# Arguments of GateMachine.perform, each usually the right one.
PERFORM_AS_USUAL = st.fixed_dictionaries(
    {
        "minutes_offset": mostly(st.just(0), st.integers(-72 * 60, 30), in_ten=9),
        "batch_kinds": st.tuples(BATCH, BATCH, BATCH),
        "health_unchanged": mostly(st.just(True), st.just(False), in_ten=9),
        "by": mostly(st.just("physician"), STAFF, in_ten=9),
    }
)


# --- The machine --------------------------------------------------------------------------------


class GateMachine(RuleBasedStateMachine):
    """One clinic from NOW on; every example runs in a savepoint that is rolled back at teardown."""

    staff: ClassVar[SimpleNamespace]
    performed_total: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.traveller = time_machine.travel(NOW, tick=False)
        self.clock = self.traveller.start()
        self.now = NOW
        self.products = [product(VITAMINS), product(AMINO), product(CREAM)]  # the cream needs no patch test
        self.batches = {
            p.pk: {
                "good": Batch.objects.create(product=p, lot_number=f"G{p.pk}", expiry_date=dt.date(2030, 12, 31)),
                "expiring": Batch.objects.create(product=p, lot_number=f"S{p.pk}", expiry_date=dt.date(2027, 1, 31)),
                "expired": Batch.objects.create(product=p, lot_number=f"X{p.pk}", expiry_date=dt.date(2026, 11, 20)),
            }
            for p in self.products
        }
        self.patients: list[Patient] = []
        self.screenings: list[EligibilityScreening] = []
        self.tests: list[PatchTest] = []
        self.courses: list = []
        self.sessions: list[Session] = []
        self.known: dict[int, Known] = {}  # session id -> what had been recorded when it was performed
        self.perms = Permissions()

    def teardown(self) -> None:
        self.traveller.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # Helpers

    def move_to(self, moment: dt.datetime) -> None:
        """Time only moves forward."""
        if moment > self.now:
            self.clock.move_to(moment)
            self.now = moment

    def user(self, role: str):
        return getattr(self.staff, role)

    @staticmethod
    def recent(rows: list, back: int):
        """The `back`-th most recent row, fresh from the database (as a view would load it)."""
        row = rows[-1 - back % len(rows)]
        row.refresh_from_db()
        return row

    def course_for(self, patient: Patient, which: str):
        """The patient's latest course ("own"), another patient's latest ("other"), or None."""
        if which == "none":
            return None
        mine = which == "own"
        return next((c for c in reversed(self.courses) if (c.patient_id == patient.pk) == mine), None)

    def pick(self, indices: frozenset[int]) -> list[Product]:
        return [self.products[i] for i in sorted(indices)]

    def apply_test(self, patient: Patient, products: frozenset[int]) -> PatchTest | None:
        with suppress(Refused):
            test = patch_test_apply(
                patient=patient, products=self.pick(products), site="forearm", applied_by=self.staff.nurse
            )
            self.tests.append(test)
            return test
        return None

    def read(self, test: PatchTest | None, result: str) -> None:
        if test is not None:
            with suppress(Refused):
                patch_test_read(test=test, result=result, notes="1 cm wheal", read_by=self.staff.nurse)

    def clear(self, test: PatchTest | None) -> None:
        if test is not None:
            with suppress(Refused):
                patch_reaction_clear(test=test, decided_by=self.staff.physician, decision="Irritant only.")

    def book_session(self, patient: Patient, products: frozenset[int], course, *, at: dt.datetime) -> Session | None:
        try:
            session = session_book(
                patient=patient, indication=wrinkles(), products=self.pick(products), technique="gun",
                practitioner=self.staff.nurse, supervising_physician=self.staff.physician, scheduled_at=at,
                booked_by=self.staff.reception, course=course,
            )
        except Refused:
            return None
        self.sessions.append(session)
        return session

    def try_perform(self, session: Session, **arguments) -> bool:
        """Perform; True if the gate let it through (what was known then is kept for the checks)."""
        try:
            session_perform(session=session, **arguments)
        except Refused:
            check_refusal_left_no_trace(session)
            return False
        self.known[session.pk] = Known.now()
        type(self).performed_total += 1
        return True

    def new_patient(self, born: dt.date) -> Patient:
        patient = Patient.objects.create(given_name="P", family_name="Q", date_of_birth=born, sex=Patient.Sex.FEMALE)
        self.patients.append(patient)
        return patient

    # The usual path to a session, with at most one flaw

    @initialize(**PREPARE)
    def first_session(self, **path) -> None:
        self.prepare_session(**path)

    @rule(**PREPARE)
    def prepare_session(
        self, flaw, days_past_18, medicines, booked, other_test, read_after, wait, consent, book_first, extra
    ) -> None:
        """Walk a new patient through the usual path (screen, approve, patch test, read, wait, consent, book)
        and perform: with no `flaw` the gate must accept, with one it may refuse (the invariants judge).
        `extra` (1-3) says how far past an edge a flaw goes."""
        if flaw in ("reaction_cleared_later", "performed_before_read"):
            book_first, consent = True, "course"  # booked and consented beforehand: it can be dated back
        if flaw == "consent_yesterday":
            consent = "single"  # a consent to a course is not bound to a day
        needs_test = sorted(i for i in booked if self.products[i].patch_test_required)
        if flaw == "untested_product" and not needs_test:
            booked, needs_test = booked | {0}, [0]
        tested = booked - {needs_test[0]} if flaw == "untested_product" else booked

        # Screening and decision
        days = -extra if flaw == "under_age" else days_past_18
        patient = self.new_patient(years_before(clinic_day(self.now), MIN_AGE) - dt.timedelta(days=days))
        medicine_answers = {
            "takes_blood_thinner": medicines in ("blood_thinner", "both"), "takes_nsaid": medicines in ("nsaid", "both")
        }
        self.screenings.append(
            screening_take(patient=patient, answers=answers(**medicine_answers), taken_by=self.staff.reception)
        )
        decision, decided_by = ("approved", "physician")
        if flaw == "not_approved":
            decision, decided_by = [("deferred", "physician"), ("declined", "physician"), ("approved", "nurse")][
                extra - 1
            ]
        self.decide(0, decision=decision, by=decided_by, deferred_days=14)
        if flaw == "newer_screening":  # the patient now takes a blood thinner: undecided, deferred or declined
            self.take_screening(0, blood_thinner=True, nsaid=False, pregnant=False)
            if extra > 1:
                self.decide(0, decision=DECISIONS[extra - 1], by="physician", deferred_days=14)
        if flaw == "approval_expired":
            self.move_to(self.now + dt.timedelta(days=181))

        # Consent to a course, booking ahead, patch tests and their reading
        course = None
        if consent == "course":
            course = course_create(
                patient=patient, indication=wrinkles(), planned_sessions=4, interval_days=14,
                created_by=self.staff.reception,
            )
            self.courses.append(course)
            if flaw != "no_consent":
                consent_record(patient=patient, text=consent_text(), recorded_by=self.staff.reception, course=course)
        session = None
        if book_first:
            session = self.book_session(patient, booked, course, at=self.now + (read_after + wait) * MINUTES)
        applied_at = self.now
        main = self.apply_test(patient, tested)
        other_reacts = flaw in ("other_reaction", "reaction_cleared_later") or other_test == "reaction_cleared"
        other = self.apply_test(patient, booked) if other_test != "none" or other_reacts else None
        if flaw == "read_too_early":
            read_after = 24 * 60 - extra
        elif flaw == "read_too_late":
            read_after = 72 * 60 + extra
        read_at = applied_at + read_after * MINUTES
        self.move_to(read_at)
        self.read(main, RESULTS[extra] if flaw == "reaction" else "no_reaction")
        self.read(other, "redness" if other_reacts else "no_reaction")
        if other_test == "reaction_cleared" and flaw not in ("other_reaction", "reaction_cleared_later"):
            self.clear(other)

        # Waiting, consent to a single session, booking on the day
        if flaw == "patch_test_expired":
            self.move_to(applied_at + dt.timedelta(days=settings.PATCH_TEST_VALIDITY_DAYS + extra))
        else:
            self.move_to(self.now + wait * MINUTES)
        if flaw == "reaction_cleared_later":
            self.clear(other)
        if consent == "single" and flaw != "no_consent":  # a consent to this session alone, given on the day
            consent_record(
                patient=patient, text=consent_text(), recorded_by=self.staff.reception,
                consented_at=self.now - dt.timedelta(days=1 if flaw == "consent_yesterday" else 0),
            )
        if not book_first:
            session = self.book_session(patient, booked, course, at=self.now)
        if session is None:
            return  # the practitioner was busy

        # Performing
        performed_at = self.now
        if flaw == "performed_before_read":
            performed_at = applied_at + (24 * 60 - extra) * MINUTES
        elif flaw == "reaction_cleared_later":
            performed_at = read_at + extra * MINUTES
        first = self.products[min(booked)].pk
        batches = {p.pk: self.batches[p.pk]["good"] for p in self.products}
        if flaw == "batch_expired":
            batches[first] = self.batches[first]["expired"]
        elif flaw == "batch_of_other_product":
            batches[first] = next(b["good"] for pk, b in self.batches.items() if pk != first)
        elif flaw == "batch_missing":
            del batches[first]
        by = ["nurse", "reception", "nurse"][extra - 1] if flaw == "performed_by_non_physician" else "physician"
        performed = self.try_perform(
            session, performed_by=self.user(by), batches=batches, health_unchanged=flaw != "health_changed",
            performed_at=performed_at,
        )
        assert performed or flaw is not None, f"{session}: refused although every ingredient was in place"

    @precondition(lambda self: self.sessions)
    @rule(arguments=PERFORM_AS_USUAL)
    def perform_latest(self, arguments) -> None:
        """Try the latest session again, e.g. after a physician decided or cleared a reaction since."""
        self.perform(0, **arguments)

    # Any step, in any order

    @rule(years=st.integers(16, 40), days=st.integers(-30, 30))
    def register_patient(self, years: int, days: int) -> None:
        """A patient `years` old give or take `days`: many are close to their 18th birthday."""
        self.new_patient(years_before(clinic_day(self.now), years) + dt.timedelta(days=days))

    @precondition(lambda self: self.patients)
    @rule(patient=RECENT, blood_thinner=st.booleans(), nsaid=st.booleans(), pregnant=st.booleans())
    def take_screening(self, patient, blood_thinner, nsaid, pregnant) -> None:
        given = answers(takes_blood_thinner=blood_thinner, takes_nsaid=nsaid, pregnant=pregnant)
        self.screenings.append(
            screening_take(patient=self.recent(self.patients, patient), answers=given, taken_by=self.staff.reception)
        )

    @precondition(lambda self: self.screenings)
    @rule(screening=RECENT, decision=st.sampled_from(DECISIONS), by=BY_PHYSICIAN, deferred_days=st.integers(0, 30))
    def decide(self, screening, decision, by, deferred_days) -> None:
        with suppress(DecisionRefused):
            screening_decide(
                screening=self.recent(self.screenings, screening), decision=decision, reason="Reviewed.",
                decided_by=self.user(by), deferred_until=clinic_day(self.now) + dt.timedelta(days=deferred_days),
            )

    @precondition(lambda self: self.patients)
    @rule(patient=RECENT, products=PRODUCTS, minutes_ago=mostly(st.just(0), st.integers(0, 30 * 60)), by=BY_NURSE)
    def apply_patch_test(self, patient, products, minutes_ago, by) -> None:
        with suppress(Refused):
            self.tests.append(
                patch_test_apply(
                    patient=self.recent(self.patients, patient), products=self.pick(products), site="forearm",
                    applied_by=self.user(by), applied_at=self.now - minutes_ago * MINUTES,
                )
            )

    @precondition(lambda self: self.tests)
    @rule(
        test=RECENT,
        minutes_after=READ_AFTER,
        result=RESULT,
        notes=mostly(st.just("2 cm red patch"), st.just("")),
        by=BY_NURSE,
    )
    def read_patch_test(self, test, minutes_after, result, notes, by) -> None:
        """Read `minutes_after` the application; the clock moves there first if that is still to come."""
        test = self.recent(self.tests, test)
        read_at = test.applied_at + minutes_after * MINUTES
        self.move_to(read_at)
        with suppress(Refused):
            patch_test_read(test=test, result=result, notes=notes, read_by=self.user(by), read_at=read_at)

    @precondition(lambda self: self.tests)
    @rule(test=RECENT, by=BY_PHYSICIAN)
    def clear_reaction(self, test, by) -> None:
        with suppress(Refused):
            patch_reaction_clear(test=self.recent(self.tests, test), decided_by=self.user(by), decision="Irritant.")

    @precondition(lambda self: self.patients)
    @rule(patient=RECENT)
    def create_course(self, patient) -> None:
        self.courses.append(
            course_create(
                patient=self.recent(self.patients, patient), indication=wrinkles(), planned_sessions=4,
                interval_days=14, created_by=self.staff.reception,
            )
        )

    @precondition(lambda self: self.patients)
    @rule(patient=RECENT, course=st.sampled_from(["own", "none", "other"]))
    def record_consent(self, patient, course) -> None:
        """Consent to the patient's latest course, to a single session today, or (refused) another's course."""
        patient = self.recent(self.patients, patient)
        with suppress(Refused):
            consent_record(
                patient=patient, text=consent_text(), recorded_by=self.staff.reception,
                course=self.course_for(patient, course),
            )

    @precondition(lambda self: self.patients)
    @rule(
        patient=RECENT,
        products=st.frozensets(st.integers(0, 2), min_size=1, max_size=3),
        course=st.sampled_from(["own", "none", "other"]),
        minutes_ahead=mostly(st.just(0), st.integers(-60, 7 * 24 * 60)),
        practitioner=st.sampled_from(["nurse", "physician"]),
        supervisor=BY_PHYSICIAN,
    )
    def book(self, patient, products, course, minutes_ahead, practitioner, supervisor) -> None:
        """Book for the patient's latest course, none, or (refused) another patient's course."""
        patient = self.recent(self.patients, patient)
        with suppress(Refused):
            self.sessions.append(
                session_book(
                    patient=patient, indication=wrinkles(), products=self.pick(products), technique="gun",
                    practitioner=self.user(practitioner), supervising_physician=self.user(supervisor),
                    scheduled_at=self.now + minutes_ahead * MINUTES, booked_by=self.staff.reception,
                    course=self.course_for(patient, course),
                )
            )

    @precondition(lambda self: self.sessions)
    @rule(
        session=RECENT,
        minutes_offset=mostly(st.just(0), st.integers(-72 * 60, 30)),
        batch_kinds=st.tuples(*[st.sampled_from(BATCH_KINDS)] * 3),
        health_unchanged=st.booleans(),
        by=STAFF,
    )
    def perform(self, session, minutes_offset, batch_kinds, health_unchanged, by) -> None:
        """Perform at now + `minutes_offset` with, for each product, a usable batch, one expiring on
        31 Jan 2027, an expired one, one of another product, or none."""
        session = self.recent(self.sessions, session)
        batches = {}
        for p, kind in zip(self.products, batch_kinds, strict=True):
            if kind == "other_product":
                batches[p.pk] = next(b["good"] for pk, b in self.batches.items() if pk != p.pk)
            elif kind != "missing":
                batches[p.pk] = self.batches[p.pk][kind]
        self.try_perform(
            session, performed_by=self.user(by), batches=batches, health_unchanged=health_unchanged,
            performed_at=self.now + minutes_offset * MINUTES,
        )

    @precondition(lambda self: self.sessions)
    @rule(session=RECENT, no_show=st.booleans())
    def cancel(self, session, no_show) -> None:
        with suppress(Refused):
            session_cancel(
                session=self.recent(self.sessions, session), by=self.staff.reception, no_show=no_show, reason="Unwell"
            )

    @rule(minutes=st.one_of(st.integers(1, 3 * 24 * 60), st.integers(1, 200).map(lambda days: days * 24 * 60)))
    def advance_clock(self, minutes: int) -> None:
        self.move_to(self.now + minutes * MINUTES)

    @invariant()
    def performed_sessions_keep_invariants_1_to_3(self) -> None:
        check_performed_sessions(self.known, self.perms)


def staff_member(username: str, role: str):
    user = get_user_model().objects.create_user(username=username)  # no password: no hashing cost
    user.groups.add(Group.objects.get(name=ROLES[role]))
    return user


class SessionGateProperty(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.staff = SimpleNamespace(**{role: staff_member(f"gate_{role}", role) for role in ROLES})

    def test_no_sequence_of_service_calls_breaks_invariants_1_to_3(self) -> None:
        GateMachine.staff = self.staff
        GateMachine.performed_total = 0
        run_state_machine_as_test(
            GateMachine,
            settings=hypothesis_settings(
                max_examples=60,
                stateful_step_count=25,
                deadline=None,
                database=None,  # no example database written into the tree
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
        # Not vacuous: some sequences reached the gate with everything in place.
        assert GateMachine.performed_total > 0
