"""Writes of the treatments app. Each is one transaction; each refuses with reasons per field.

The gate is `session_perform`: it re-checks invariants 1-3 (docs/architecture.md) on the session's day under
a row lock, whatever the page showed before.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Patient

from . import availability, patch_tests, scheduling, signals
from .models import (
    Batch,
    Consent,
    ConsentText,
    Course,
    Indication,
    PatchTest,
    Product,
    Room,
    Session,
    SessionProduct,
)
from .readiness import previous_reaction_problems
from .selectors import (
    SUPERVISOR_PERMISSION,
    clinic_zone,
    current_consent_text,
    may_practise,
    patch_rules,
    patient_facts,
    previous_session_at,
    readiness_from_facts,
    valid_consent,
)


class Refused(Exception):
    """A write that must not happen. `errors` maps a form field ("" for the whole form) to messages,
    worded in the language of the request."""

    def __init__(self, errors: Mapping[str, str | list[str]]) -> None:
        self.errors = {field: [m] if isinstance(m, str) else list(m) for field, m in errors.items()}
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))


def _grace() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SESSION_PAST_GRACE_MINUTES)


def _require(user: User, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise Refused({"": message})


# --- Patch tests ------------------------------------------------------------------------------


@transaction.atomic
def patch_test_apply(
    *,
    patient: Patient,
    products: Iterable[Product],
    site: str,
    applied_by: User,
    applied_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> PatchTest:
    now = now or timezone.now()
    applied_at = applied_at or now
    products = list(products)
    _require(applied_by, "treatments.add_patchtest", _("Only nurses and physicians apply patch tests."))
    errors: dict[str, str] = {}
    if not products:
        errors["products"] = _("Choose the products that were applied.")
    if applied_at > now + _grace():
        errors["applied_at"] = _("The application time cannot be in the future.")
    elif applied_at < now - dt.timedelta(hours=settings.PATCH_TEST_MIN_HOURS):
        errors["applied_at"] = _("A patch test is recorded when it is applied, not a day or more later.")
    if not site.strip():
        errors["site"] = _("Say where on the skin the products were applied.")
    if errors:
        raise Refused(errors)
    test = PatchTest.objects.create(patient=patient, applied_at=applied_at, site=site.strip(), applied_by=applied_by)
    test.products.set(products)
    return test


@transaction.atomic
def patch_test_read(
    *,
    test: PatchTest,
    result: str,
    read_by: User,
    notes: str = "",
    read_at: dt.datetime | None = None,
) -> PatchTest:
    """Record the reading. Refused before 24 h and after the window; recorded once."""
    now = timezone.now()
    read_at = read_at or now
    _require(read_by, "treatments.change_patchtest", _("Only nurses and physicians read patch tests."))
    if read_at > now + _grace():
        raise Refused({"": _("A reading cannot be dated in the future.")})
    refusal = patch_tests.read_refusal(
        applied_at=test.applied_at, read_at=read_at, rules=patch_rules(), tz=clinic_zone()
    )
    if refusal:
        raise Refused({"": refusal})
    if result not in patch_tests.ReadResult.__members__.values():
        raise Refused({"result": _("Choose the result of the reading.")})
    if patch_tests.ReadResult(result).is_reaction and not notes.strip():
        raise Refused({"result_notes": _("Describe the reaction (size, look, symptoms).")})
    updated = PatchTest.objects.filter(pk=test.pk, read_at__isnull=True).update(
        read_at=read_at, result=result, result_notes=notes.strip(), read_by=read_by
    )
    if not updated:
        raise Refused({"": _("This patch test was already read; nothing was changed.")})
    test.refresh_from_db()
    return test


@transaction.atomic
def patch_reaction_clear(*, test: PatchTest, decided_by: User, decision: str) -> PatchTest:
    """A physician allows the tested products despite a reaction, with a documented reason."""
    _require(decided_by, "treatments.clear_patch_reaction", _("Only a physician can decide on a patch-test reaction."))
    if not test.is_reaction:
        raise Refused({"": _("This patch test showed no reaction: there is nothing to decide.")})
    if not decision.strip():
        raise Refused({"reaction_decision": _("A reason is required.")})
    updated = PatchTest.objects.filter(pk=test.pk, reaction_cleared_at__isnull=True).update(
        reaction_cleared_by=decided_by, reaction_cleared_at=timezone.now(), reaction_decision=decision.strip()
    )
    if not updated:
        raise Refused({"": _("A decision was already recorded for this reaction.")})
    test.refresh_from_db()
    return test


# --- Consent and courses ----------------------------------------------------------------------


def consent_record(
    *,
    patient: Patient,
    text: ConsentText,
    recorded_by: User,
    course: Course | None = None,
    consented_at: dt.datetime | None = None,
) -> Consent:
    _require(recorded_by, "treatments.add_consent", _("Your role cannot record a consent."))
    now = timezone.now()
    consented_at = consented_at or now
    if consented_at > now + _grace():
        raise Refused({"consented_at": _("A consent cannot be dated in the future.")})
    if course is not None and course.patient_id != patient.pk:
        raise Refused({"course": _("That course belongs to another patient.")})
    current = current_consent_text(at=now, language=text.language)  # the text in force in the language shown
    if current is None or text.pk != current.pk:  # the page showed an older text, or one not yet published
        raise Refused({"": _(
            "This is not the consent text in force: show the patient the current text (reload the page) and "
            "record the consent again."
        )})
    return Consent.objects.create(
        patient=patient, text=text, course=course, consented_at=consented_at, recorded_by=recorded_by
    )


def course_create(
    *,
    patient: Patient,
    indication: Indication,
    planned_sessions: int,
    interval_days: int,
    created_by: User,
) -> Course:
    _require(created_by, "treatments.add_course", _("Your role cannot plan a course."))
    course = Course(
        patient=patient,
        area=indication.area,
        indication=indication,
        planned_sessions=planned_sessions,
        interval_days=interval_days,
        created_by=created_by,
    )
    course.full_clean()
    course.save()
    return course


# --- Sessions ---------------------------------------------------------------------------------


MAX_SESSION_MINUTES = 240  # also a database constraint; the overlap scan below relies on it


class SlotRefused(Refused):
    """A booking or move refused for its time or room, with the nearest free starts (and free rooms) to offer."""

    def __init__(
        self,
        errors: Mapping[str, str | list[str]],
        *,
        nearest: Iterable[dt.datetime] = (),
        free_rooms: Iterable[Room] = (),
    ) -> None:
        super().__init__(errors)
        self.nearest = list(nearest)
        self.free_rooms = list(free_rooms)


def _slot_errors(
    *,
    practitioner_id: int,
    room_id: int | None,
    patient_id: int,
    start: dt.datetime,
    minutes: int,
    now: dt.datetime,
    earliest: scheduling.Earliest | None = None,
    exclude: int | None = None,
) -> availability.SlotAnswer:
    """The slot checked under row locks (scheduling.check_slot: past, working hours, time off, the practitioner's,
    the room's and the patient's other sessions), and not before the patch tests can be read.

    Locks the practitioner's row, then the room's, then the patient's (always in this order, so two bookings never
    wait on each other): two receptionists booking one practitioner, one room or one patient at once are served one
    after the other, and the second sees the first's session. FOR NO KEY UPDATE, not FOR UPDATE: a booking's insert
    takes a key-share lock on the users it names (supervising physician, booked by), which FOR UPDATE on one of them
    as another booking's practitioner would block, a deadlock with the room's lock (seen in tests/test_booking.py)."""
    get_user_model().objects.select_for_update(no_key=True).filter(pk=practitioner_id).first()
    if room_id is not None:
        Room.objects.select_for_update(no_key=True).filter(pk=room_id).first()
    Patient.objects.select_for_update(no_key=True).filter(pk=patient_id).first()
    not_before = earliest.refused_before if earliest is not None else None
    return availability.slot_answer(
        start=start, minutes=minutes, practitioner_id=practitioner_id, room_id=room_id, patient_id=patient_id,
        now=now, not_before=not_before, exclude=exclude,
    )


def slot_refusal_errors(
    answer: availability.SlotAnswer, earliest: scheduling.Earliest | None, start: dt.datetime
) -> dict[str, list[str]]:
    """A checked slot's problems by form field, and the patch tests or her age when the slot is too early for them
    (the booking page shows the same before saving)."""
    errors: dict[str, list[str]] = {}
    for reason in answer.check.reasons:
        errors.setdefault(reason.field, []).append(reason.message)
    if earliest is not None and earliest.patch_test_from is not None and start < earliest.patch_test_from:
        why = [r.message for r in earliest.reasons if r.code in PATCH_TEST_WAITS]
        errors.setdefault("scheduled_at", []).append(" ".join([_(
            "Before the patch test can be read: treatment can start from %(at)s."
        ) % {"at": scheduling.fmt(earliest.patch_test_from, clinic_zone())}, *why]))
    if earliest is not None and earliest.adult_from is not None and start < earliest.adult_from:
        why = [r.message for r in earliest.reasons if r.code is scheduling.EarliestCode.UNDER_AGE]
        errors.setdefault("scheduled_at", []).extend(why)
    return errors


PATCH_TEST_WAITS = (scheduling.EarliestCode.PATCH_TEST_NONE, scheduling.EarliestCode.PATCH_TEST_TO_READ)


@transaction.atomic
def session_book(
    *,
    patient: Patient,
    indication: Indication,
    products: Iterable[Product],
    technique: str,
    practitioner: User,
    supervising_physician: User,
    scheduled_at: dt.datetime,
    booked_by: User,
    course: Course | None = None,
    anaesthetic_cream: bool = False,
    duration_minutes: int = 45,
    room: Room | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """Book a session. Refused (with the nearest free starts) for a time in the past, outside the practitioner's
    working hours or in her time off, when she, the room or the patient has another session then, before the
    patch tests can be read; refused altogether for a patient with a hard stop (scheduling.earliest_treatment)."""
    _require(booked_by, "treatments.add_session", _("Your role cannot book sessions."))
    now = now or timezone.now()
    products = list(products)
    errors: dict[str, str | list[str]] = {}
    earliest = availability.earliest_for(patient, products, course=course, now=now)
    if earliest.hard_stop:
        raise Refused({"": [r.message for r in earliest.reasons]})
    if room is not None and not room.active:
        errors["room"] = _("That room is not in use: choose another.")
    if not products:
        errors["products"] = _("Choose at least one product.")
    if not 5 <= duration_minutes <= MAX_SESSION_MINUTES:
        errors["duration_minutes"] = _("A session lasts between 5 and %(max)s minutes.") % {"max": MAX_SESSION_MINUTES}
    if course is not None and (course.patient_id != patient.pk or course.indication_id != indication.pk):
        errors["course"] = _("That course is for another patient or indication.")
    # The same permissions the booking form lists people by (treatments/selectors.py).
    if not may_practise(practitioner):
        errors["practitioner"] = _("The practitioner must be a nurse or a physician.")
    if not supervising_physician.has_perm(SUPERVISOR_PERMISSION):
        errors["supervising_physician"] = _("The supervising physician must be a physician.")
    answer = _slot_errors(
        practitioner_id=practitioner.pk, room_id=room.pk if room else None, patient_id=patient.pk,
        start=scheduled_at, minutes=duration_minutes, now=now, earliest=earliest,
    )
    for field, messages in slot_refusal_errors(answer, earliest, scheduled_at).items():
        already = errors.get(field, [])
        errors[field] = [already, *messages] if isinstance(already, str) else [*already, *messages]
    if errors:
        raise SlotRefused(errors, nearest=answer.nearest, free_rooms=answer.free_rooms)
    session = Session.objects.create(
        patient=patient,
        course=course,
        area=indication.area,
        indication=indication,
        technique=technique,
        anaesthetic_cream=anaesthetic_cream,
        practitioner=practitioner,
        supervising_physician=supervising_physician,
        room=room,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        booked_by=booked_by,
    )
    SessionProduct.objects.bulk_create(SessionProduct(session=session, product=p) for p in products)
    signals.session_booked.send(sender=Session, session=session, now=now)
    return session


@transaction.atomic
def session_perform(
    *,
    session: Session,
    performed_by: User,
    batches: Mapping[int, Batch],
    health_unchanged: bool,
    performed_at: dt.datetime | None = None,
    previous_reaction: str = "",
    reaction_after_previous: str = "",
    immediate_reactions: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Session:
    """The gate: mark a session performed only if invariants 1-3 hold on its day, with batches."""
    now = now or timezone.now()
    performed_at = performed_at or now
    _require(performed_by, "treatments.perform_session", _("Only a physician can perform and sign off a session."))
    session = Session.objects.select_for_update().select_related("patient").get(pk=session.pk)
    if session.status not in Session.OPEN_STATUSES:  # booked, or checked in at reception
        status = session.get_status_display().lower()
        raise Refused({"": _("This session is %(status)s: it cannot be performed.") % {"status": status}})

    errors: dict[str, list[str]] = {}
    if performed_at > now + _grace():
        errors.setdefault("performed_at", []).append(_("The performed time cannot be in the future."))
    if performed_at < session.booked_at:
        errors.setdefault("performed_at", []).append(_("The performed time is before the session was booked."))
    day = timezone.localdate(performed_at)
    planned = list(session.session_products.select_related("product"))
    for sp in planned:
        batch = batches.get(sp.product_id)
        field = f"batch_{sp.product_id}"
        if batch is None:
            errors.setdefault(field, []).append(
                _("Record the batch of %(product)s that was used.") % {"product": sp.product.name}
            )
        elif batch.product_id != sp.product_id:
            errors.setdefault(field, []).append(
                _("Lot %(lot)s is a batch of another product.") % {"lot": batch.lot_number}
            )
        elif batch.is_expired_on(day):
            errors.setdefault(field, []).append(
                _("Lot %(lot)s expired on %(day)s: it cannot be used.")
                % {"lot": batch.lot_number, "day": patch_tests.format_day(batch.expiry_date)}
            )
    # Every session after the patient's first records whether a reaction followed the previous one.
    previous = previous_session_at(session.patient_id, before=performed_at, exclude=session.pk)
    problems = previous_reaction_problems(
        previous_at=previous, answer=previous_reaction, description=reaction_after_previous, tz=clinic_zone()
    )
    for field, message in problems.items():
        errors.setdefault(field, []).append(message)
    reaction_text = reaction_after_previous.strip()
    if previous is None:  # her first session: nothing asked, nothing kept
        previous_reaction, reaction_text = "", ""
    elif previous_reaction == Session.PreviousReaction.NONE:
        reaction_text = ""
    facts = patient_facts([session.patient])[session.patient_id]
    ready = readiness_from_facts(
        facts,
        products=[sp.product for sp in planned],
        at=performed_at,
        course_id=session.course_id,
        health_unchanged=health_unchanged,
    )
    for missing in ready.missing:
        errors.setdefault(missing.field if missing.field == "health_unchanged" else "", []).append(missing.message)
    if errors:
        raise Refused(errors)

    for sp in planned:
        sp.batch = batches[sp.product_id]
        sp.save(update_fields=["batch"])
    session.status = Session.Status.PERFORMED
    session.performed_at = performed_at
    session.performed_by = performed_by
    # No missing means the approval was found (readiness adds a Missing whenever it is None).
    assert ready.approval is not None
    session.screening_id = ready.approval.screening_id
    session.consent = valid_consent(facts.consents, course_id=session.course_id, at=performed_at)
    session.health_unchanged_confirmed = True
    session.previous_reaction = previous_reaction
    session.reaction_after_previous = reaction_text
    session.immediate_reactions = immediate_reactions.strip()
    session.notes = notes.strip()
    session.save()
    # The aftercare emails are written in the same transaction as the session (invariant 4).
    signals.session_performed.send(sender=Session, session=session)
    return session


# --- The session's life: check-in, cancel, no-show (issue 14) ---------------------------------------

CANCEL_REASON_MAX = 500


@transaction.atomic
def session_check_in(*, session: Session, by: User, now: dt.datetime | None = None) -> Session:
    """The patient is at reception: the session is "arrived" (its time kept). Only a booked session, on its day."""
    _require(by, "treatments.change_session", _("Your role cannot check patients in."))
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.BOOKED:
        status = session.get_status_display().lower()
        raise Refused({"": _("This session is %(status)s: only a booked session can be checked in.") % {
            "status": status}})
    if timezone.localdate(session.scheduled_at) != timezone.localdate(now):
        raise Refused({"": _("This session is on %(day)s: a patient is checked in on the day of her session.") % {
            "day": patch_tests.format_day(timezone.localdate(session.scheduled_at))}})
    session.status = Session.Status.ARRIVED
    session.arrived_at = now
    session.save(update_fields=["status", "arrived_at"])  # through the TrackedManager's model: in history
    signals.session_arrived.send(sender=Session, session=session, now=now)
    return session


@transaction.atomic
def session_cancel(
    *,
    session: Session,
    by: User,
    reason: str = "",
    no_show: bool = False,
    now: dt.datetime | None = None,
) -> Session:
    """Cancel a booked or arrived session, with the staff's reason (kept for staff, never sent to the patient).
    `no_show=True` is `session_no_show`, kept for callers that choose between the two."""
    if no_show:
        return session_no_show(session=session, by=by, now=now)
    _require(by, "treatments.change_session", _("Your role cannot cancel sessions."))
    reason = " ".join(reason.split())
    if not reason:
        raise Refused({"reason": _("Say why the session is cancelled.")})
    if len(reason) > CANCEL_REASON_MAX:
        raise Refused({"reason": _("Keep the reason under %(max)s characters.") % {"max": CANCEL_REASON_MAX}})
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in Session.OPEN_STATUSES:
        status = session.get_status_display().lower()
        raise Refused({"": _("This session is %(status)s: it cannot be cancelled.") % {"status": status}})
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.save(update_fields=["status", "cancel_reason"])
    signals.session_ended.send(sender=Session, session=session, now=now or timezone.now())
    return session


@transaction.atomic
def session_no_show(*, session: Session, by: User, now: dt.datetime | None = None) -> Session:
    """The patient did not come: only a booked (not arrived) session, and not before its time."""
    _require(by, "treatments.change_session", _("Your role cannot mark no-shows."))
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.ARRIVED:
        raise Refused({"": _("The patient has arrived: she is not a no-show. Cancel the session if it will not "
                             "take place.")})
    if session.status != Session.Status.BOOKED:
        status = session.get_status_display().lower()
        raise Refused({"": _("This session is %(status)s: it cannot be marked as a no-show.") % {"status": status}})
    if now < session.scheduled_at:
        local = timezone.localtime(session.scheduled_at)
        raise Refused({"": _("The session starts at %(time)s: a patient is a no-show only once her time has come. "
                             "Cancel it if she called off.") % {"time": f"{local:%H:%M}"}})
    session.status = Session.Status.NO_SHOW
    session.save(update_fields=["status"])
    signals.session_ended.send(sender=Session, session=session, now=now)
    return session


@transaction.atomic
def session_reschedule(
    *, session: Session, scheduled_at: dt.datetime, by: User, now: dt.datetime | None = None
) -> Session:
    """Move a booked session; its pending pre-session reminder moves with it."""
    _require(by, "treatments.change_session", _("Your role cannot move sessions."))
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.ARRIVED:
        raise Refused({"": _("The patient has arrived: this session can no longer be moved. Perform it, or cancel "
                             "it and book a new one.")})
    if session.status != Session.Status.BOOKED:
        raise Refused({"": _("Only a booked session can be moved.")})
    # The same checks as a booking (working hours, time off, the practitioner, room and patient, the patch tests).
    earliest = availability.earliest_for(
        session.patient, [sp.product for sp in session.session_products.select_related("product")],
        course=session.course, now=now, exclude=session.pk,
    )
    answer = _slot_errors(
        practitioner_id=session.practitioner_id, room_id=session.room_id, patient_id=session.patient_id,
        start=scheduled_at, minutes=session.duration_minutes, now=now, earliest=earliest, exclude=session.pk,
    )
    errors = slot_refusal_errors(answer, earliest, scheduled_at)
    if errors:
        raise SlotRefused(errors, nearest=answer.nearest, free_rooms=answer.free_rooms)
    session.scheduled_at = scheduled_at
    session.save(update_fields=["scheduled_at"])
    signals.session_moved.send(sender=Session, session=session, now=now)
    return session
