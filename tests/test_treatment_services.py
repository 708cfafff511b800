"""Behaviour of the treatments services: patch tests, booking, the perform gate, cancelling, readiness.

Each test goes through the services as the views do and asserts on what is stored afterwards, so a
refusal that still writes, or a write that skips a rule, fails here. The clock is set with
time_machine; the clinic is in Europe/Istanbul (UTC+03:00). The catalogue (products, indications,
consent text v1) comes from the data migration.
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from meso_clinic.core.history import allow_hard_delete
from patients.models import EligibilityScreening, Outcome, Patient
from patients.services import DecisionRefused, screening_decide, screening_take
from tests.fixtures.treatments import (
    AMINO,
    CREAM,
    DAY,
    HOUR,
    MINUTE,
    NOW,
    VITAMINS,
    answers,
    approved_screening,
    course_with_consent,
    make_batch,
    make_patient,
    product,
    read_patch_test,
    travel,
    wrinkles,
)
from treatments import readiness as readiness_rules
from treatments.models import Batch, Consent, PatchTest, Product, Session, SessionProduct
from treatments.scheduling import Earliest
from treatments.selectors import batch_recall, day_sessions, sessions_readiness
from treatments.services import (
    Refused,
    patch_reaction_clear,
    patch_test_apply,
    patch_test_read,
    session_book,
    session_cancel,
    session_perform,
)

CLINIC = ZoneInfo("Europe/Istanbul")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The staff fixtures set passwords; the default hasher costs about 0.4 s a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(reception, nurse, physician):
    return SimpleNamespace(reception=reception, nurse=nurse, physician=physician)


def messages(refusal: pytest.ExceptionInfo[Refused], field: str) -> str:
    """Every message a refusal gives at one field, joined, for `in` checks."""
    return " | ".join(refusal.value.errors.get(field, []))


def book(staff, patient: Patient, products: list[Product], *, scheduled_at: dt.datetime, **extra) -> Session:
    """Reception books a session with the nurse as practitioner and the physician supervising."""
    options = {
        "practitioner": staff.nurse,
        "supervising_physician": staff.physician,
        "booked_by": staff.reception,
        "technique": Session.Technique.GUN,
        **extra,
    }
    return session_book(
        patient=patient, indication=wrinkles(), products=products, scheduled_at=scheduled_at, **options
    )


# --- Patch tests ------------------------------------------------------------------------------


@pytest.fixture
def applied(staff, patient) -> PatchTest:
    """A vitamin patch test applied by the nurse at NOW."""
    with travel(NOW):
        return patch_test_apply(
            patient=patient, products=[product(VITAMINS)], site="inner left forearm", applied_by=staff.nurse
        )


def test_a_patch_test_read_one_minute_early_is_refused_and_nothing_is_saved(applied, staff):
    with travel(NOW + 23 * HOUR + 59 * MINUTE), pytest.raises(Refused) as refusal:
        patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse)
    assert "Too early" in messages(refusal, "")
    assert "24 Nov 2026 12:30" in messages(refusal, "")  # readable from, in clinic time
    applied.refresh_from_db()
    assert applied.read_at is None and applied.result == "" and applied.read_by is None


def test_a_patch_test_read_at_exactly_24_hours_is_accepted(applied, staff):
    with travel(NOW + 24 * HOUR):
        test = patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse)
    test.refresh_from_db()
    assert test.read_at == NOW + 24 * HOUR and test.result == "no_reaction" and test.read_by == staff.nurse


def test_a_patch_test_read_at_exactly_72_hours_is_accepted_and_a_minute_later_too_late(applied, staff, patient):
    with travel(NOW + 72 * HOUR + MINUTE), pytest.raises(Refused) as refusal:
        patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse)
    assert "Too late" in messages(refusal, "") and "apply a new patch test" in messages(refusal, "")
    applied.refresh_from_db()
    assert applied.read_at is None
    with travel(NOW + 72 * HOUR):
        assert patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse).read_at == NOW + 72 * HOUR


def test_a_second_read_is_refused_and_the_first_stays(applied, staff, physician):
    with travel(NOW + 25 * HOUR):
        patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse)
    with travel(NOW + 26 * HOUR), pytest.raises(Refused) as refusal:
        patch_test_read(test=applied, result="redness", notes="red patch", read_by=physician)
    assert "already read" in messages(refusal, "")
    applied.refresh_from_db()
    assert (applied.result, applied.read_by, applied.read_at) == ("no_reaction", staff.nurse, NOW + 25 * HOUR)
    assert applied.result_notes == ""


def test_a_reaction_needs_notes(applied, staff):
    with travel(NOW + 25 * HOUR):
        with pytest.raises(Refused) as refusal:
            patch_test_read(test=applied, result="swelling", notes="   ", read_by=staff.nurse)
        assert "Describe the reaction" in messages(refusal, "result_notes")
        applied.refresh_from_db()
        assert applied.read_at is None
        test = patch_test_read(test=applied, result="swelling", notes=" 1 cm swelling ", read_by=staff.nurse)
    assert test.result == "swelling" and test.result_notes == "1 cm swelling" and test.is_reaction


def test_an_unknown_result_is_refused(applied, staff):
    with travel(NOW + 25 * HOUR), pytest.raises(Refused) as refusal:
        patch_test_read(test=applied, result="fine", read_by=staff.nurse)
    assert "result" in refusal.value.errors


def test_a_nurse_reads_a_patch_test_and_reception_cannot(applied, staff):
    with travel(NOW + 25 * HOUR):
        with pytest.raises(Refused) as refusal:
            patch_test_read(test=applied, result="no_reaction", read_by=staff.reception)
        assert "Only nurses and physicians" in messages(refusal, "")
        applied.refresh_from_db()
        assert applied.read_at is None
        assert patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse).read_by == staff.nurse


def test_a_read_dated_in_the_future_is_refused(applied, staff):
    with travel(NOW + HOUR), pytest.raises(Refused) as refusal:
        patch_test_read(test=applied, result="no_reaction", read_by=staff.nurse, read_at=NOW + 24 * HOUR)
    assert "cannot be dated in the future" in messages(refusal, "")
    applied.refresh_from_db()
    assert applied.read_at is None


def test_applying_a_patch_test_without_products_is_refused_at_products(staff, patient):
    with travel(NOW), pytest.raises(Refused) as refusal:
        patch_test_apply(patient=patient, products=[], site="forearm", applied_by=staff.nurse)
    assert "Choose the products" in messages(refusal, "products")
    assert not PatchTest.objects.exists()


def test_applying_a_patch_test_in_the_future_is_refused(staff, patient):
    with travel(NOW), pytest.raises(Refused) as refusal:
        patch_test_apply(
            patient=patient, products=[product(VITAMINS)], site="forearm", applied_by=staff.nurse,
            applied_at=NOW + HOUR,
        )
    assert "cannot be in the future" in messages(refusal, "applied_at")
    assert not PatchTest.objects.exists()


def test_reception_cannot_apply_a_patch_test(staff, patient):
    with travel(NOW), pytest.raises(Refused) as refusal:
        patch_test_apply(patient=patient, products=[product(VITAMINS)], site="forearm", applied_by=staff.reception)
    assert "Only nurses and physicians" in messages(refusal, "")
    assert not PatchTest.objects.exists()


def test_a_nurse_applies_a_patch_test_for_the_products_at_the_site(staff, patient):
    with travel(NOW):
        test = patch_test_apply(
            patient=patient, products=[product(VITAMINS), product(AMINO)], site="  inner left forearm ",
            applied_by=staff.nurse,
        )
    test.refresh_from_db()
    assert test.applied_at == NOW and test.site == "inner left forearm" and test.applied_by == staff.nurse
    assert set(test.products.values_list("name", flat=True)) == {VITAMINS, AMINO}


# --- Reaction decisions -----------------------------------------------------------------------


def test_only_a_physician_clears_a_reaction_and_only_once(staff, patient):
    test = read_patch_test(patient, [product(VITAMINS)], nurse=staff.nurse, applied_at=NOW, result="redness")
    with pytest.raises(Refused) as refusal:
        patch_reaction_clear(test=test, decided_by=staff.nurse, decision="looks fine")
    assert "Only a physician" in messages(refusal, "")
    test.refresh_from_db()
    assert test.reaction_cleared_at is None

    with travel(NOW + 2 * DAY):
        patch_reaction_clear(test=test, decided_by=staff.physician, decision=" Mild, irritant not allergic. ")
    with travel(NOW + 3 * DAY), pytest.raises(Refused) as refusal:
        patch_reaction_clear(test=test, decided_by=staff.physician, decision="second thoughts")
    assert "already recorded" in messages(refusal, "")
    test.refresh_from_db()
    assert test.reaction_cleared_by == staff.physician and test.reaction_cleared_at == NOW + 2 * DAY
    assert test.reaction_decision == "Mild, irritant not allergic."


def test_there_is_nothing_to_clear_on_a_negative_test(staff, patient):
    test = read_patch_test(patient, [product(VITAMINS)], nurse=staff.nurse, applied_at=NOW)
    with pytest.raises(Refused) as refusal:
        patch_reaction_clear(test=test, decided_by=staff.physician, decision="ok")
    assert "no reaction" in messages(refusal, "")
    test.refresh_from_db()
    assert test.reaction_cleared_at is None and test.reaction_decision == ""


def test_a_reaction_decision_needs_a_reason(staff, patient):
    test = read_patch_test(patient, [product(VITAMINS)], nurse=staff.nurse, applied_at=NOW, result="rash_wheal")
    with pytest.raises(Refused) as refusal:
        patch_reaction_clear(test=test, decided_by=staff.physician, decision="  ")
    assert "reaction_decision" in refusal.value.errors


# --- Booking ----------------------------------------------------------------------------------


def counts() -> tuple[int, int]:
    return Session.objects.count(), SessionProduct.objects.count()


def test_booking_more_than_the_grace_period_in_the_past_is_refused(staff, patient):
    grace = dt.timedelta(minutes=settings.SESSION_PAST_GRACE_MINUTES)
    with travel(NOW):
        with pytest.raises(Refused) as refusal:
            book(staff, patient, [product(VITAMINS)], scheduled_at=NOW - grace - MINUTE)
        assert "That time has passed" in messages(refusal, "scheduled_at")
        assert counts() == (0, 0)
        session = book(staff, patient, [product(VITAMINS)], scheduled_at=NOW - grace + MINUTE)
    assert session.status == Session.Status.BOOKED and session.booked_at == NOW
    assert counts() == (1, 1)


def test_a_practitioner_cannot_be_booked_twice_at_once_but_back_to_back_is_fine(staff, patient):
    start = NOW + DAY  # 24 Nov 12:30 clinic time, 45 minutes
    other_patient = make_patient(dt.date(1985, 3, 3), given_name="Ece")  # one patient cannot be in two places
    cream = product(CREAM)  # needs no patch test: the times alone are tested here
    with travel(NOW):
        book(staff, patient, [cream], scheduled_at=start)
        with pytest.raises(Refused) as refusal:
            book(staff, other_patient, [cream], scheduled_at=start + 30 * MINUTE)
        assert "another session at 12:30 (until 13:15) that overlaps" in messages(refusal, "scheduled_at")
        with pytest.raises(Refused) as refusal:  # a longer session that covers it
            book(staff, other_patient, [cream], scheduled_at=start - HOUR, duration_minutes=120)
        assert "that overlaps" in messages(refusal, "scheduled_at")
        assert counts() == (1, 1)
        after = book(staff, patient, [cream], scheduled_at=start + 45 * MINUTE)  # starts as it ends
        before = book(staff, patient, [cream], scheduled_at=start - 45 * MINUTE)  # ends as it starts
        other = book(staff, other_patient, [cream], scheduled_at=start, practitioner=staff.physician)
    assert {after.scheduled_at, before.scheduled_at, other.scheduled_at} == {start + 45 * MINUTE, start - 45 * MINUTE,
                                                                             start}
    assert counts() == (4, 4)


def test_a_cancelled_session_frees_the_practitioner(staff, patient):
    with travel(NOW):
        first = book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY)
        session_cancel(session=first, by=staff.reception, reason="The patient called off.")
        assert book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY).status == Session.Status.BOOKED


def test_a_session_lasts_at_most_four_hours_and_a_long_one_blocks_to_its_end(staff, patient):
    with travel(NOW):
        with pytest.raises(Refused) as refusal:
            book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY, duration_minutes=13 * 60)
        assert "between 5 and 240 minutes" in messages(refusal, "duration_minutes")
        assert counts() == (0, 0)
        book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY, duration_minutes=240)
        with pytest.raises(Refused) as refusal:
            book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY + 239 * MINUTE)
        assert "overlaps" in messages(refusal, "scheduled_at")
        assert book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY + 240 * MINUTE).pk
    assert counts() == (2, 2)


def test_the_supervising_physician_must_be_a_physician(staff, patient):
    with travel(NOW), pytest.raises(Refused) as refusal:
        book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY, supervising_physician=staff.nurse)
    assert "must be a physician" in messages(refusal, "supervising_physician")
    assert counts() == (0, 0)


def test_a_course_of_another_patient_is_refused(staff, patient):
    other = make_patient(dt.date(1980, 5, 5), given_name="Ece")
    course, _ = course_with_consent(other, by=staff.reception, at=NOW)
    with travel(NOW), pytest.raises(Refused) as refusal:
        book(staff, patient, [product(VITAMINS)], scheduled_at=NOW + DAY, course=course)
    assert "another patient" in messages(refusal, "course")
    assert counts() == (0, 0)


def test_a_booking_without_products_is_refused(staff, patient):
    with travel(NOW), pytest.raises(Refused) as refusal:
        book(staff, patient, [], scheduled_at=NOW + DAY)
    assert "products" in refusal.value.errors
    assert counts() == (0, 0)


# --- The perform gate -------------------------------------------------------------------------


@dataclass
class Prepared:
    """A booked session and everything around it; `batches` is a valid batch for each product."""

    patient: Patient
    session: Session
    screening: EligibilityScreening | None
    consent: Consent | None
    products: list[Product]
    batches: dict[int, Batch]


def prepare(
    staff,
    patient: Patient,
    *,
    session_at: dt.datetime = NOW,
    screening: str | None = "approved",  # "approved", "pending" or None
    approved_at: dt.datetime | None = None,
    patch: str | None = "negative",  # "negative", "reaction", "recent" (applied 23 h before) or None
    consent: bool = True,
    allergy: bool = False,
) -> Prepared:
    """A vitamin + anaesthetic-cream session at `session_at`, prepared two days before it.

    Everything holds by default; each keyword takes one thing away. The cream needs no patch test, unless
    the approved screening found an allergy (`allergy=True`: the patient reports one to local anaesthetics).
    """
    start = approved_at or session_at - 2 * DAY
    vitamins, cream = product(VITAMINS), product(CREAM)
    with travel(start):
        taken = None
        if screening == "approved":
            reported = {"allergy_to_local_anaesthetic": True} if allergy else {}
            taken = approved_screening(
                patient, taken_by=staff.reception, physician=staff.physician, at=start, **reported
            )
        elif screening == "pending":
            taken = screening_take(patient=patient, answers=answers(), taken_by=staff.reception, at=start)
        course, given = course_with_consent(patient, by=staff.reception, at=start)
        if not consent:
            with allow_hard_delete():  # clinical records are never deleted, except to set up this test
                given.delete()
            given = None
        session = book(staff, patient, [vitamins, cream], scheduled_at=session_at, course=course)
    if patch == "negative":
        read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=session_at - 2 * DAY)
    elif patch == "reaction":
        read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=session_at - 2 * DAY, result="redness")
    elif patch == "recent":
        read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=session_at - 23 * HOUR, read_after=None)
    batches = {  # the same lots for every session prepared in a test
        vitamins.pk: Batch.objects.filter(product=vitamins, lot_number="VIT-2601").first()
        or make_batch(vitamins, "VIT-2601", dt.date(2027, 12, 31)),
        cream.pk: Batch.objects.filter(product=cream, lot_number="LID-2602").first()
        or make_batch(cream, "LID-2602", dt.date(2027, 12, 31)),
    }
    return Prepared(patient, session, taken, given, [vitamins, cream], batches)


def perform(prepared: Prepared, by, *, at: dt.datetime = NOW, **options) -> Session:
    """Perform at clock time `at` (performed_at defaults to it) with the valid batches."""
    kwargs = {"batches": prepared.batches, "health_unchanged": True, **options}
    with travel(at):
        return session_perform(session=prepared.session, performed_by=by, **kwargs)


def refused_and_untouched(prepared: Prepared, by, field: str, fragment: str, **options) -> Refused:
    """Perform must refuse with `fragment` at `field`, and leave the session booked with no batch."""
    with pytest.raises(Refused) as refusal:
        perform(prepared, by, **options)
    assert fragment in messages(refusal, field), refusal.value.errors
    session = Session.objects.get(pk=prepared.session.pk)
    assert session.status == Session.Status.BOOKED
    assert (session.performed_at, session.performed_by, session.screening, session.consent) == (None, None, None, None)
    assert not session.health_unchanged_confirmed
    assert not SessionProduct.objects.filter(session=session, batch__isnull=False).exists()
    return refusal.value


def test_a_session_is_performed_when_everything_holds_and_its_batch_can_be_recalled(staff, patient):
    prepared = prepare(staff, patient)
    session = perform(prepared, staff.physician, notes=" went well ")
    session.refresh_from_db()
    assert session.status == Session.Status.PERFORMED
    assert session.performed_at == NOW and session.performed_by == staff.physician
    assert session.screening == prepared.screening and session.consent == prepared.consent
    assert session.health_unchanged_confirmed and session.notes == "went well"
    used = {sp.product_id: sp.batch for sp in session.session_products.all()}
    assert used == prepared.batches
    recalled = list(batch_recall(" vit-2601 "))
    assert [sp.session for sp in recalled] == [session] and recalled[0].session.patient == patient


def test_with_an_allergy_the_anaesthetic_cream_needs_its_own_negative_patch_test(staff, patient):
    """A known allergy (here to local anaesthetics) makes the patch test mandatory, the cream's too
    (docs/clinical-rules.md)."""
    prepared = prepare(staff, patient, allergy=True)  # the vitamins are tested, the cream is not
    refused_and_untouched(prepared, staff.physician, "", f"No patch test for {CREAM}")
    read_patch_test(patient, [product(CREAM)], nurse=staff.nurse, applied_at=NOW - 2 * DAY)
    assert perform(prepared, staff.physician).status == Session.Status.PERFORMED


def test_each_later_session_records_whether_a_reaction_followed_the_previous_one(staff, patient):
    first = perform(prepare(staff, patient, session_at=NOW - 14 * DAY), staff.physician, at=NOW - 14 * DAY,
                    previous_reaction="none", reaction_after_previous="ignored")
    assert (first.previous_reaction, first.reaction_after_previous) == ("", "")  # her first: nothing to ask
    second = prepare(staff, patient)
    refused_and_untouched(second, staff.physician, "previous_reaction", "Ask the patient whether any reaction")
    refused_and_untouched(second, staff.physician, "reaction_after_previous", "Describe the reaction",
                          previous_reaction="reaction", reaction_after_previous="  ")
    done = perform(second, staff.physician, previous_reaction="none", reaction_after_previous="typed, then No")
    assert (done.previous_reaction, done.reaction_after_previous) == ("none", "")


def test_a_screening_awaiting_a_decision_blocks(staff, patient):
    prepared = prepare(staff, patient, screening="pending")
    refused_and_untouched(prepared, staff.physician, "", "waiting for a physician's decision")


def test_no_screening_at_all_blocks(staff, patient):
    prepared = prepare(staff, patient, screening=None)
    refused_and_untouched(prepared, staff.physician, "", "No eligibility screening approved by a physician")


def test_an_approval_is_valid_180_days_and_expired_on_day_181(staff, patient):
    day_181 = NOW + 181 * DAY
    prepared = prepare(staff, patient, session_at=day_181, approved_at=NOW)
    assert prepared.screening.valid_until == dt.date(2027, 5, 22)
    refusal = refused_and_untouched(
        prepared, staff.physician, "", "approval expired on 22 May 2027", at=day_181
    )
    assert set(refusal.errors) == {""} and len(refusal.errors[""]) == 1  # nothing else is missing
    # On day 180 (still within the approval) the same session goes ahead.
    session = perform(prepared, staff.physician, at=day_181, performed_at=NOW + 180 * DAY + HOUR)
    assert session.status == Session.Status.PERFORMED


def test_a_patch_test_applied_less_than_24_hours_before_blocks(staff, patient):
    prepared = prepare(staff, patient, patch="recent")
    refused_and_untouched(prepared, staff.physician, "", "is too recent")


def test_a_patch_test_reaction_blocks(staff, patient):
    prepared = prepare(staff, patient, patch="reaction")
    refused_and_untouched(prepared, staff.physician, "", "a physician must record a decision")


def test_no_patch_test_blocks(staff, patient):
    prepared = prepare(staff, patient, patch=None)
    refused_and_untouched(prepared, staff.physician, "", f"No patch test for {VITAMINS}")


def test_no_consent_blocks(staff, patient):
    prepared = prepare(staff, patient, consent=False)
    refused_and_untouched(prepared, staff.physician, "", "No informed consent")


def test_health_not_confirmed_unchanged_blocks_at_its_field(staff, patient):
    prepared = prepare(staff, patient)
    refused_and_untouched(prepared, staff.physician, "health_unchanged", "have not changed", health_unchanged=False)


def test_an_expired_batch_blocks_at_its_field(staff, patient):
    prepared = prepare(staff, patient)
    vitamins = product(VITAMINS)
    old = make_batch(vitamins, "VIT-OLD", dt.date(2026, 11, 22))  # the day before the session
    refused_and_untouched(
        prepared, staff.physician, f"batch_{vitamins.pk}", "Lot VIT-OLD expired on 22 Nov 2026",
        batches={**prepared.batches, vitamins.pk: old},
    )


def test_a_batch_can_be_used_on_its_expiry_day(staff, patient):
    prepared = prepare(staff, patient)
    vitamins = product(VITAMINS)
    last_day = make_batch(vitamins, "VIT-LAST", dt.date(2026, 11, 23))
    perform(prepared, staff.physician, batches={**prepared.batches, vitamins.pk: last_day})
    assert SessionProduct.objects.get(session=prepared.session, product=vitamins).batch == last_day


def test_a_batch_of_another_product_blocks(staff, patient):
    prepared = prepare(staff, patient)
    vitamins = product(VITAMINS)
    amino = make_batch(product(AMINO), "AMI-1", dt.date(2027, 12, 31))
    refused_and_untouched(
        prepared, staff.physician, f"batch_{vitamins.pk}", "Lot AMI-1 is a batch of another product",
        batches={**prepared.batches, vitamins.pk: amino},
    )


def test_a_missing_batch_blocks(staff, patient):
    prepared = prepare(staff, patient)
    cream = product(CREAM)
    refused_and_untouched(
        prepared, staff.physician, f"batch_{cream.pk}", f"Record the batch of {CREAM}",
        batches={k: b for k, b in prepared.batches.items() if k != cream.pk},
    )


def test_performed_before_it_was_booked_is_refused(staff, patient):
    prepared = prepare(staff, patient)
    booked_at = prepared.session.booked_at
    refused_and_untouched(
        prepared, staff.physician, "performed_at", "before the session was booked", performed_at=booked_at - MINUTE
    )


def test_performed_in_the_future_is_refused(staff, patient):
    prepared = prepare(staff, patient)
    refused_and_untouched(
        prepared, staff.physician, "performed_at", "cannot be in the future", performed_at=NOW + HOUR
    )


def test_a_nurse_cannot_perform(staff, patient):
    prepared = prepare(staff, patient)
    refused_and_untouched(prepared, staff.nurse, "", "Only a physician")


def test_a_performed_session_cannot_be_performed_again(staff, patient):
    prepared = prepare(staff, patient)
    perform(prepared, staff.physician)
    with pytest.raises(Refused) as refusal:
        perform(prepared, staff.physician, at=NOW + HOUR)
    assert "performed: it cannot be performed" in messages(refusal, "")
    assert Session.objects.get(pk=prepared.session.pk).performed_at == NOW


# --- Invariant 1: age on the local day of the session -----------------------------------------


def test_readiness_refuses_a_patient_who_turns_18_the_day_after():
    at = dt.datetime(2026, 11, 23, 20, 59, tzinfo=dt.UTC)  # 23:59 on 23 Nov in Istanbul
    approved = readiness_rules.ScreeningFacts(
        screening_id=1,
        taken_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC),
        decision="approved",
        decided_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC),
        valid_until=dt.date(2027, 4, 30),
    )
    common = {
        "date_of_birth": dt.date(2008, 11, 24),
        "tz": CLINIC,
        "min_age_years": 18,
        "screenings": [approved],
        "clearances": {},
        "has_consent": True,
        "health_unchanged": True,
    }
    before = readiness_rules.readiness(session_at=at, **common)
    assert [m.code for m in before.missing] == ["under_age"]
    assert "17 on 23 Nov 2026" in before.missing[0].message
    birthday = readiness_rules.readiness(session_at=at + 2 * MINUTE, **common)  # 00:01 on 24 Nov locally
    assert birthday.ready and birthday.approval.screening_id == 1


def test_the_gate_refuses_a_minor_even_with_an_approval_forced_into_the_database(staff, monkeypatch):
    """The services never approve a minor (hard stop) nor book her before her birthday (tests/test_booking.py); the
    gate re-checks age whatever the rows say, here a session booked as if the booking knew no age rule."""
    minor = make_patient(dt.date(2008, 11, 24))  # 18 on 24 Nov 2026, the day after NOW
    with monkeypatch.context() as forced:
        forced.setattr("treatments.availability.earliest_for", lambda *a, **k: Earliest(NOW, False, ()))
        prepared = prepare(staff, minor, screening=None)
    EligibilityScreening.objects.create(
        patient=minor, taken_at=NOW - DAY, taken_by=staff.reception, questionnaire_version="test", answers={},
        answer_record=[], age_years=18, outcome=Outcome.ELIGIBLE, hard_stop=False, decision="approved",
        decided_by=staff.physician, decided_at=NOW - DAY, decision_reason="entered by mistake",
        valid_until=dt.date(2027, 5, 1),
    )
    refused_and_untouched(prepared, staff.physician, "", "no one under 18 is treated")


def test_a_minor_screening_is_a_hard_stop_no_one_can_approve(staff):
    minor = make_patient(dt.date(2008, 11, 24))
    with travel(NOW):
        screening = screening_take(patient=minor, answers=answers(), taken_by=staff.reception)
    assert screening.hard_stop and screening.outcome == Outcome.NOT_ELIGIBLE
    with pytest.raises(DecisionRefused, match="under the minimum age"):
        screening_decide(screening=screening, decision="approved", reason="Parent agrees.", decided_by=staff.physician)
    screening.refresh_from_db()
    assert screening.decision == ""


def test_a_patient_screened_and_treated_on_their_18th_birthday_just_after_local_midnight(staff):
    birthday = dt.datetime(2026, 11, 22, 21, 5, tzinfo=dt.UTC)  # 00:05 on 23 Nov in Istanbul, 22 Nov in UTC
    adult = make_patient(dt.date(2008, 11, 23))
    prepared = prepare(staff, adult, session_at=birthday + HOUR, screening=None)
    screening = approved_screening(adult, taken_by=staff.reception, physician=staff.physician, at=birthday)
    assert screening.age_years == 18 and not screening.hard_stop
    session = perform(prepared, staff.physician, at=birthday + HOUR)
    assert session.status == Session.Status.PERFORMED and session.screening == screening


# --- Invariant 3: blood thinners and NSAIDs need a physician's decision ------------------------


@pytest.mark.parametrize("medicine", ["takes_blood_thinner", "takes_nsaid"])
def test_a_blood_thinner_or_nsaid_screening_blocks_until_a_physician_approves_it(staff, patient, medicine):
    prepared = prepare(staff, patient, screening=None)
    screening = screening_take(
        patient=patient, answers=answers(**{medicine: True}), taken_by=staff.reception, at=NOW - 3 * HOUR
    )
    assert screening.outcome == Outcome.NEEDS_REVIEW
    refused_and_untouched(prepared, staff.physician, "", "waiting for a physician's decision")
    screening_decide(
        screening=screening, decision="approved", reason="Low-dose aspirin paused 7 days on the GP's advice.",
        decided_by=staff.physician, at=NOW - 2 * HOUR,
    )
    session = perform(prepared, staff.physician)
    assert session.status == Session.Status.PERFORMED and session.screening == screening


@pytest.mark.parametrize(
    ("newer", "message"),
    [("undecided", "waiting for a physician's decision"), ("declined", "was declined by a physician")],
)
def test_a_newer_blood_thinner_screening_without_approval_blocks_despite_an_older_approval(
    staff, patient, newer, message
):
    """Health changed since the approval: the newer screening, not the older approval, decides."""
    prepared = prepare(staff, patient)  # approved two days ago, on a clean intake
    newer_screening = screening_take(
        patient=patient, answers=answers(takes_blood_thinner=True, blood_thinner_name="warfarin 5 mg"),
        taken_by=staff.reception, at=NOW - 3 * HOUR,
    )
    if newer == "declined":
        screening_decide(
            screening=newer_screening, decision="declined", reason="On warfarin for a mechanical valve.",
            decided_by=staff.physician, at=NOW - 2 * HOUR,
        )
    refused_and_untouched(prepared, staff.physician, "", message)


def test_a_newer_approved_screening_is_the_one_the_session_records(staff, patient):
    prepared = prepare(staff, patient)
    newer = approved_screening(
        patient, taken_by=staff.reception, physician=staff.physician, at=NOW - 3 * HOUR, takes_nsaid=True
    )
    assert perform(prepared, staff.physician).screening == newer


# --- Reaction decisions and the gate ----------------------------------------------------------


def test_a_cleared_reaction_no_longer_blocks_when_a_negative_test_exists(staff, patient):
    prepared = prepare(staff, patient)  # negative test applied NOW - 2 days
    vitamins = product(VITAMINS)
    reaction = read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=NOW - 47 * HOUR, result="redness")
    refused_and_untouched(prepared, staff.physician, "", "a physician must record a decision")
    with travel(NOW - HOUR):
        patch_reaction_clear(test=reaction, decided_by=staff.physician, decision="Irritant, not allergic.")
    assert perform(prepared, staff.physician).status == Session.Status.PERFORMED


def test_a_session_back_dated_to_before_the_reaction_decision_is_refused(staff, patient):
    prepared = prepare(staff, patient)
    vitamins = product(VITAMINS)
    reaction = read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=NOW - 47 * HOUR, result="redness")
    with travel(NOW + 2 * HOUR):
        patch_reaction_clear(test=reaction, decided_by=staff.physician, decision="Irritant, not allergic.")
    refused_and_untouched(
        prepared, staff.physician, "", "a physician must record a decision", at=NOW + 3 * HOUR, performed_at=NOW
    )
    assert perform(prepared, staff.physician, at=NOW + 3 * HOUR).status == Session.Status.PERFORMED


# --- Cancelling -------------------------------------------------------------------------------


def test_a_booked_session_is_cancelled_and_a_performed_one_cannot_be(staff, patient):
    prepared = prepare(staff, patient)
    with travel(NOW):
        other = book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY)
        assert session_cancel(session=other, by=staff.reception, reason="Unwell").status == Session.Status.CANCELLED
        missed = book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY)
    with travel(NOW + DAY):  # a no-show once her time has come (tests/test_session_life.py: not before)
        assert session_cancel(session=missed, by=staff.reception, no_show=True).status == Session.Status.NO_SHOW
    perform(prepared, staff.physician)
    with pytest.raises(Refused) as refusal:
        session_cancel(session=prepared.session, by=staff.reception, reason="Unwell")
    assert "This session is performed: it cannot be cancelled." in messages(refusal, "")
    assert Session.objects.get(pk=prepared.session.pk).status == Session.Status.PERFORMED
    with pytest.raises(Refused) as refusal:
        session_cancel(session=other, by=staff.reception, reason="Unwell")  # cancelled already
    assert "This session is cancelled: it cannot be cancelled." in messages(refusal, "")
    assert Session.objects.get(pk=other.pk).status == Session.Status.CANCELLED


# --- Readiness of a day -----------------------------------------------------------------------


def test_readiness_of_a_day_takes_a_bounded_number_of_queries(staff, django_assert_max_num_queries):
    """10 sessions for 5 patients: the first three patients are ready, the last two have no approval."""
    day = dt.date(2026, 11, 25)
    first = dt.datetime(2026, 11, 25, 5, 0, tzinfo=dt.UTC)  # 08:00 in Istanbul
    vitamins, cream = product(VITAMINS), product(CREAM)
    expected = {}
    for i in range(5):
        patient = make_patient(dt.date(1985 + i, 3, 1), given_name=f"Patient {i}")
        with travel(NOW):
            if i < 3:
                approved_screening(patient, taken_by=staff.reception, physician=staff.physician, at=NOW)
            course, _ = course_with_consent(patient, by=staff.reception, at=NOW)
            for j in range(2):
                at = first + (2 * i + j) * HOUR
                session = book(staff, patient, [vitamins, cream], scheduled_at=at, course=course)
                expected[session.pk] = i < 3
        read_patch_test(patient, [vitamins], nurse=staff.nurse, applied_at=NOW)
    with travel(NOW):
        book(staff, patient, [vitamins], scheduled_at=first + DAY)  # the next day: not listed

    with django_assert_max_num_queries(8):
        sessions = list(day_sessions(day))
        ready = sessions_readiness(sessions)
        names = [(s.patient.full_name, [sp.product.name for sp in s.session_products.all()]) for s in sessions]
    assert len(sessions) == 10 and len(names) == 10
    assert {pk: r.ready for pk, r in ready.items()} == expected
    assert {m.code for pk, r in ready.items() if not expected[pk] for m in r.missing} == {"no_approval"}


# --- Roles in the services (the views check them too; a script or task must not get past) ------


def test_roles_without_the_permission_cannot_book_move_cancel_or_record_consent(staff, patient, manager):
    from tests.fixtures.treatments import consent_text
    from treatments.services import consent_record, course_create, session_reschedule

    with travel(NOW):
        with pytest.raises(Refused) as refusal:
            book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY, booked_by=manager)
        assert "cannot book" in messages(refusal, "")
        assert Session.objects.count() == 0
        session = book(staff, patient, [product(AMINO)], scheduled_at=NOW + DAY)
        with pytest.raises(Refused, match="cannot move"):
            session_reschedule(session=session, scheduled_at=NOW + 2 * DAY, by=manager)
        with pytest.raises(Refused, match="cannot cancel"):
            session_cancel(session=session, by=manager)
        session.refresh_from_db()
        assert session.status == Session.Status.BOOKED and session.scheduled_at == NOW + DAY
        with pytest.raises(Refused, match="cannot plan"):
            course_create(patient=patient, indication=wrinkles(), planned_sessions=4, interval_days=14,
                          created_by=manager)
        with pytest.raises(Refused, match="cannot record a consent"):
            consent_record(patient=patient, text=consent_text(), recorded_by=manager)
    assert Consent.objects.count() == 0


def test_a_consent_dated_in_the_future_is_refused(staff, patient):
    from tests.fixtures.treatments import consent_text
    from treatments.services import consent_record

    with travel(NOW), pytest.raises(Refused) as refusal:
        consent_record(patient=patient, text=consent_text(), recorded_by=staff.reception, consented_at=NOW + HOUR)
    assert "future" in messages(refusal, "consented_at")
    assert Consent.objects.count() == 0


def test_only_the_consent_text_in_force_can_be_consented_to(staff, patient):
    """An older version (a stale page, or an edited request) or one dated to be published later is refused."""
    from tests.fixtures.treatments import consent_text
    from treatments.models import ConsentText
    from treatments.services import consent_record

    old = consent_text()
    new = ConsentText.objects.create(version="2", title="Informed consent", body="Adds a risk.",
                                     published_at=NOW - DAY)
    ConsentText.objects.create(version="3", title="Informed consent", body="Not out yet.", published_at=NOW + DAY)
    with travel(NOW):
        with pytest.raises(Refused) as refusal:
            consent_record(patient=patient, text=old, recorded_by=staff.reception)
        assert "not the consent text in force" in messages(refusal, "")
        assert consent_record(patient=patient, text=new, recorded_by=staff.reception).text == new
    assert Consent.objects.count() == 1
