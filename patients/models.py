import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from meso_clinic.core.db import alters_data
from meso_clinic.core.history import TrackedManager, TrackedQuerySet

from . import eligibility, medicines
from .search import fold, phone_shown, search_text

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def digits_of(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


# The fields `search_text` and `phone_digits` are derived from: every way of writing them keeps those in step.
SEARCHED_FIELDS = frozenset({"given_name", "family_name", "email", "phone"})


class PatientQuerySet(TrackedQuerySet):
    """Writes that bypass save() (bulk_create, update, update_if) keep the derived search columns in step."""

    @alters_data
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.derive_search_columns()
        return super().bulk_create(objs, *args, **kwargs)

    @alters_data
    def update(self, **kwargs) -> int:
        if not kwargs.keys() & SEARCHED_FIELDS:
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        _rederive(self.model, self.db, pks)
        return updated

    @alters_data
    def update_all_if(self, *, expected, **kwargs) -> int:
        updated = super().update_all_if(expected=expected, **kwargs)
        if updated and kwargs.keys() & SEARCHED_FIELDS:
            _rederive(self.model, self.db, list(self.values_list("pk", flat=True)))
        return updated


def _rederive(model, using: str, pks: list) -> None:
    """Recompute the derived search columns of these rows (not history: they are bookkeeping, not record)."""
    rows = model._base_manager.using(using).filter(pk__in=pks).only(*SEARCHED_FIELDS, "search_text", "phone_digits")
    changed = []
    for row in rows:
        before = (row.search_text, row.phone_digits)
        row.derive_search_columns()
        if (row.search_text, row.phone_digits) != before:
            changed.append(row)
    model._base_manager.using(using).bulk_update(changed, ["search_text", "phone_digits"], batch_size=500)


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        INTERSEX = "intersex", _("Intersex")
        NOT_STATED = "not_stated", _("Prefers not to say")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        TURKISH = "tr", _("Turkish")

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The phone's digits alone, so that "+90 532 111 22 33" and "905321112233" are found as one.
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    # The names and email folded for search (patients/search.py `fold`: "Şimşek" -> "simsek"), kept in step on
    # every write; a trigram index on PostgreSQL (migration 0006) serves the substring search.
    search_text = models.TextField(blank=True, editable=False, default="")
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    email_consent = models.BooleanField(
        _("consents to aftercare emails"),
        default=False,
        help_text=_("Aftercare instructions and reminders are emailed only with the patient's consent."),
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # History of every change; never deleted (meso_clinic/core/history.py); the search columns kept in step.
    objects = TrackedManager.from_queryset(PatientQuerySet)()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Upper("family_name"), Upper("given_name"), "date_of_birth", name="patient_name_dob_ci"),
            models.Index(fields=["date_of_birth"], name="patient_dob"),
            # The registry's order: lets a list page or a common-name search stop after one page.
            models.Index(fields=["family_name", "given_name", "id"], name="patient_list_order"),
            # The dashboard's "registered this week" (a range on created_at).
            models.Index(fields=["created_at"], name="patient_created"),
        ]
        constraints = [
            # An aftercare email needs an address to go to.
            models.CheckConstraint(
                condition=~models.Q(email_consent=True, email=""), name="patient_email_consent_needs_email"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.derive_search_columns()
        if kwargs.get("update_fields") is not None and SEARCHED_FIELDS & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digits", "search_text"}
        super().save(*args, **kwargs)

    def derive_search_columns(self) -> None:
        self.phone_digits = digits_of(self.phone)
        self.search_text = search_text(given_name=self.given_name, family_name=self.family_name, email=self.email)

    @property
    def phone_shown(self) -> str:
        """The phone for reading ("+90 532 111 22 33"); it is stored in E.164 ("+905321112233")."""
        return phone_shown(self.phone)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int:
        """Completed years on `day` (a 29 February birthday is reached on 1 March in common years)."""
        return eligibility.age_on(self.date_of_birth, day)

    @property
    def language(self) -> str:
        """The language of her emails and of the pages her links open: her preferred one when the clinic writes in
        it, else English (a value from an old row or a data import)."""
        return self.preferred_language if self.preferred_language in self.Language.values else self.Language.ENGLISH


class Outcome(models.TextChoices):
    """The automatic outcome of the rules (patients/eligibility.py), before any physician decision."""

    ELIGIBLE = "eligible", _("Eligible")
    NEEDS_REVIEW = "needs_review", _("Needs physician review")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approve")
    DEFERRED = "deferred", _("Defer")
    DECLINED = "declined", _("Decline")


# A recorded decision in words, as done ("Approved"); the choices' labels are what the physician does ("Approve").
DECISIONS_DONE: "dict[str, StrPromise]" = {
    Decision.APPROVED: _("Approved"),
    Decision.DEFERRED: _("Deferred"),
    Decision.DECLINED: _("Declined"),
}


def decision_done(code: str) -> str:
    """A recorded decision ("approved") as the word for it done ("Approved"), in the active language."""
    words = DECISIONS_DONE.get(code)
    return str(words) if words is not None else code.capitalize()


# The answers a screening stores for a yes/no and an unasked question (patients/services.py): English text, never
# the page's language, translated when shown (templatetags/recorded_text.py).
STORED_YES, STORED_NO, STORED_NOT_ASKED = gettext_noop("Yes"), gettext_noop("No"), gettext_noop("Not asked")
STORED_ANSWERS = frozenset({STORED_YES, STORED_NO, STORED_NOT_ASKED})


@dataclass(frozen=True)
class AnswerShown:
    """One row of a screening's answers as given (`answer_record`)."""

    section: str
    question: str
    answer: str
    follow_up: bool
    # The blood thinners and NSAIDs read in this answer, in words ("Asprin: aspirin, a blood thinner").
    medicines_named: tuple[str, ...] = ()

    @property
    def is_yes(self) -> bool:
        """A "yes" is what the questionnaire asks about (a condition, a medicine, a recent procedure): shown marked."""
        return self.answer == STORED_YES

    @property
    def is_marked(self) -> bool:
        """Shown marked for the physician: a yes, or a blood thinner or NSAID named in the words of the answer."""
        return self.is_yes or bool(self.medicines_named)


class AnsweredBy(models.TextChoices):
    """Who answered a screening's questions."""

    STAFF = "staff", _("Staff, with the patient")
    PATIENT_LINK = "patient_link", _("The patient, through the emailed link")
    PATIENT_TABLET = "patient_tablet", _("The patient, on the clinic's tablet")


class EligibilityScreening(models.Model):
    """One intake questionnaire, the rules' outcome on it, and the physician's decision.

    `answers` holds the answers by key (what the rules read) and `answer_record` the questions as
    they were worded on the day with the answers as shown, so the record never changes meaning when
    the questionnaire does. Rows are never edited after the decision: a change in health means a
    new screening.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who gave the answers (issue 15). For the patient's own answers `taken_by` is the staff member who sent
    # her the link or handed her the tablet: the person answerable for the invitation, not the one who typed.
    answered_by = models.CharField(
        _("answered by"), max_length=16, choices=AnsweredBy.choices, default=AnsweredBy.STAFF
    )
    questionnaire_version = models.CharField(max_length=20)
    answers = models.JSONField()
    answer_record = models.JSONField(help_text="[[section, question, answer, is follow-up], ...] as shown on the day")
    age_years = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    hard_stop = models.BooleanField(help_text="No one can approve it (under age).")
    findings = models.JSONField(default=list, blank=True, help_text="The rules that fired, with their reasons.")
    # The blood thinners and NSAIDs the matcher read in her free-text answers about medicines (patients/medicines.py),
    # [{"key", "written", "name", "generic", "kind"}, ...]: what the "medicine_named" rule fired on, and what the
    # screening's page marks in the answers. Kept with the screening because the lists change over time.
    medicines_named = models.JSONField(
        _("medicines named in the answers"),
        default=list,
        blank=True,
        db_default=Value([], output_field=models.JSONField()),
    )

    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    deferred_until = models.DateField(null=True, blank=True)
    instructions = models.TextField(blank=True, help_text="What the patient must do before a new screening.")
    valid_until = models.DateField(null=True, blank=True, help_text="Last day an approval is valid.")

    objects = TrackedManager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        permissions = [("decide_screening", "Can approve, defer or decline an eligibility screening")]
        indexes = [
            models.Index(fields=["taken_at"], condition=models.Q(decision=""), name="screening_undecided"),
            models.Index(fields=["patient", "-taken_at"], name="screening_patient_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                name="screening_decision_is_complete",
                condition=models.Q(decision="", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~models.Q(decision="")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~models.Q(decision_reason="")
                ),
            ),
            # A hard stop or a "not eligible" outcome is never approved (invariant 1).
            models.CheckConstraint(
                name="screening_approval_needs_approvable_outcome",
                condition=~models.Q(decision="approved")
                | (models.Q(hard_stop=False, valid_until__isnull=False) & ~models.Q(outcome="not_eligible")),
            ),
            # Blood-thinner or NSAID use never yields a plain "eligible" (invariant 3): the rules send it to
            # a physician, and a row that says otherwise cannot be written.
            models.CheckConstraint(
                name="screening_blood_thinner_or_nsaid_is_never_plain_eligible",
                condition=~models.Q(outcome="eligible")
                | ~(models.Q(answers__takes_blood_thinner=True) | models.Q(answers__takes_nsaid=True)),
            ),
            # The same for a blood thinner or NSAID named in the free-text answers (invariant 3): the database cannot
            # run the matcher (its lists are data and it forgives typos), but it refuses a row whose recorded matches
            # and outcome disagree.
            models.CheckConstraint(
                name="screening_medicine_named_is_never_plain_eligible",
                condition=~models.Q(outcome="eligible") | models.Q(medicines_named=[]),
            ),
            models.CheckConstraint(
                name="screening_deferral_has_a_date",
                condition=~models.Q(decision="deferred") | models.Q(deferred_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("Screening %(id)s (%(outcome)s)") % {"id": self.pk, "outcome": self.get_outcome_display()}

    @property
    def awaits_decision(self) -> bool:
        return not self.decision and not self.hard_stop

    @property
    def decision_done(self) -> str:
        return decision_done(self.decision)

    @property
    def answers_shown(self) -> list[AnswerShown]:
        """The answers as given on the day, row by row, with the medicines named in each."""
        named: dict[str, list[str]] = {}
        for match in self.medicines_named:
            kind = medicines.Kind(match["kind"]).label
            named.setdefault(match["question"], []).append(
                _("%(written)s: %(generic)s, %(kind)s") % {"written": match["written"], "generic": match["generic"],
                                                         "kind": kind}
            )
        return [AnswerShown(section, question, answer, bool(follow_up), tuple(named.get(question, ())))
                for section, question, answer, follow_up in self.answer_record]

    def is_valid_approval_on(self, day: dt.date) -> bool:
        """An approval counts from its decision day to `valid_until`, both included."""
        return (
            self.decision == Decision.APPROVED
            and self.decided_at is not None
            and self.valid_until is not None
            and timezone.localdate(self.decided_at) <= day <= self.valid_until
        )


class IntakeInvitation(models.Model):
    """The patient's own way in to her intake questionnaire (issue 15): an emailed link or the clinic's tablet.

    The link's token is random and only its SHA-256 is stored (patients/invitations.py), so a database dump
    opens nothing. Her answers are kept section by section in `draft` until she submits them; submitting
    writes one screening (`screening` is unique: a double tap cannot make two) and spends the link.
    """

    class Channel(models.TextChoices):
        LINK = "link", _("Emailed link")
        TABLET = "tablet", _("Clinic tablet")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intake_invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # {question key: answer as posted ("True"/"False", text, "YYYY-MM-DD")}: what she has answered so far.
    draft = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    screening = models.OneToOneField(
        EligibilityScreening, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    # Set when every step of her link is done (the intake, then the consents): the link then opens nothing.
    spent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="intake_invitation_submitted_with_screening",
                condition=models.Q(submitted_at__isnull=True, screening__isnull=True)
                | models.Q(submitted_at__isnull=False, screening__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Intake invitation {self.pk} ({self.channel})"

    @property
    def answered_by(self) -> str:
        return AnsweredBy.PATIENT_TABLET if self.channel == self.Channel.TABLET else AnsweredBy.PATIENT_LINK


class MedicineName(models.Model):
    """A blood thinner's or NSAID's name that the intake's free-text answers are read for (patients/medicines.py).

    Data the clinic extends in the admin site (the seeded list: migration 0009). A generic or a brand, one word:
    "Voltaren" reads "Voltaren Emulgel" too. Switched off rather than deleted, so a screening's record still names
    what it matched.
    """

    class Kind(models.TextChoices):
        BLOOD_THINNER = "blood_thinner", _("Blood thinner (antiplatelet or anticoagulant)")
        NSAID = "nsaid", _("Anti-inflammatory painkiller (NSAID)")

    name = models.CharField(
        _("name"),
        max_length=40,
        help_text=_("One word, as patients write it: a generic (ibuprofen) or a brand (Nurofen)."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    generic = models.CharField(
        _("generic name"), max_length=80, help_text=_("The active substance, in English, as physicians read it.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("medicine name")
        verbose_name_plural = _("medicine names")
        ordering = ["kind", "generic", "name"]
        constraints = [models.UniqueConstraint(Upper("name"), name="medicine_name_unique_ci")]

    def __str__(self) -> str:
        return f"{self.name} ({self.generic})"

    def clean(self) -> None:
        if not medicines.valid_name(self.name):
            raise ValidationError(
                {"name": _("One word of at least %(count)s letters, without digits or spaces.") % {
                    "count": medicines.MIN_NAME_LETTERS}}
            )
        others = MedicineName.objects.exclude(pk=self.pk).values_list("name", flat=True)
        if any(fold(other) == fold(self.name) for other in others):
            raise ValidationError({"name": _("This name is already on the lists.")})

    def as_name(self) -> medicines.Name:
        return medicines.Name(name=self.name, kind=medicines.Kind(self.kind), generic=self.generic)
