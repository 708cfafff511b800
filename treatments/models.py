"""Treatment catalogue, products and batches, patch tests, consent, courses and sessions.

Rules about readiness live in treatments/patch_tests.py and treatments/readiness.py (pure);
writes that touch several rows live in treatments/services.py.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from meso_clinic.core.history import TrackedManager
from patients.models import Patient

from .patch_tests import ReadResult


def in_language(language: str | None, english: str, turkish: str) -> str:
    """A catalogue text in `language` ("tr", "tr-tr", "en"...): the Turkish one when asked for and written, else the
    English one (the catalogue's own language, always filled in)."""
    return turkish if turkish and (language or "").split("-")[0] == "tr" else english


class NamedInTwoLanguages:
    """A catalogue record with an English `name` and a Turkish `name_tr` (blank: the English one is shown)."""

    name: str
    name_tr: str

    def name_in(self, language: str | None) -> str:
        return in_language(language, self.name, self.name_tr)

    @property
    def name_shown(self) -> str:
        """The name in the active language: the staff member's page, or hers (her pages, {% language %})."""
        return self.name_in(get_language())


class Category(models.TextChoices):
    SKIN = "skin", _("Skin")
    HAIR = "hair", _("Hair")
    CELLULITE = "cellulite", _("Cellulite")
    PAIN = "pain", _("Pain")
    VASCULAR = "vascular", _("Vascular")


class TreatmentArea(NamedInTwoLanguages, models.Model):
    """A catalogue entry: one category with its indications, texts and typical course."""

    category = models.CharField(_("category"), max_length=12, choices=Category.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The patient-facing texts in Turkish (issue 15), as the aftercare plans' instructions are: shown to a Turkish
    # patient and in the Turkish staff interface; blank means the English one is shown.
    name_tr = models.CharField(_("name in Turkish"), max_length=100, blank=True)
    staff_description = models.TextField(_("description for staff"))
    patient_description = models.TextField(_("description for patients"))
    patient_description_tr = models.TextField(_("description for patients in Turkish"), blank=True)
    typical_sessions = models.PositiveSmallIntegerField(
        _("typical sessions"), help_text=_("Sessions in a typical course.")
    )
    typical_interval_days = models.PositiveSmallIntegerField(
        _("typical days between sessions"), help_text=_("Days between sessions in a typical course.")
    )
    course_notes = models.CharField(
        _("course notes"), max_length=300, blank=True, help_text=_("E.g. weekly at first, then every 2-4 weeks.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("treatment area")
        verbose_name_plural = _("treatment areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(typical_sessions__gte=1), name="area_at_least_one_session"),
            models.CheckConstraint(condition=Q(typical_interval_days__gte=1), name="area_interval_positive"),
        ]

    def __str__(self) -> str:
        return self.name_shown

    def patient_description_in(self, language: str | None) -> str:
        return in_language(language, self.patient_description, self.patient_description_tr)


class Indication(NamedInTwoLanguages, models.Model):
    area = models.ForeignKey(TreatmentArea, on_delete=models.PROTECT, related_name="indications",
                             verbose_name=_("treatment area"))
    name = models.CharField(_("name"), max_length=100)
    name_tr = models.CharField(_("name in Turkish"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("indication")
        verbose_name_plural = _("indications")
        ordering = ["area", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="indication_unique_per_area")]

    def __str__(self) -> str:
        return f"{self.name_shown} ({self.area})"


class Product(NamedInTwoLanguages, models.Model):
    class Kind(models.TextChoices):
        VITAMINS = "vitamins", _("Vitamins")
        AMINO_ACIDS = "amino_acids", _("Amino acids")
        MINERALS = "minerals", _("Minerals")
        NUTRIENTS = "nutrients", _("Other nutrients")
        COCKTAIL = "cocktail", _("Mixed formulation")
        ANAESTHETIC = "anaesthetic", _("Local anaesthetic cream")

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_tr = models.CharField(_("name in Turkish"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    components = models.TextField(_("components"), help_text=_("One component per line, as on the label."))
    patch_test_required = models.BooleanField(
        _("patch test required"),
        default=True,
        help_text=_("Off only for a product applied on the skin (the anaesthetic cream): it is then patch-tested "
                    "only for patients with a known allergy."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name_shown

    @property
    def component_list(self) -> list[str]:
        return [line.strip() for line in self.components.splitlines() if line.strip()]


class Batch(models.Model):
    """A stock batch (lot) of a product. Every session records the batch it used, for recalls."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches", verbose_name=_("product"))
    lot_number = models.CharField(_("lot number"), max_length=50)
    expiry_date = models.DateField(_("expiry date"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)

    if TYPE_CHECKING:  # set on the rows treatments.selectors.catalogue_products returns, not on others
        expired: bool

    class Meta:
        ordering = ["product", "expiry_date"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [models.UniqueConstraint(fields=["product", "lot_number"], name="batch_lot_unique_per_product")]
        indexes = [models.Index(fields=["lot_number"], name="batch_lot")]

    def __str__(self) -> str:
        return _("%(product)s lot %(lot)s (exp. %(expiry)s)") % {
            "product": self.product, "lot": self.lot_number, "expiry": date_format(self.expiry_date, "j M Y")
        }

    def is_expired_on(self, day: dt.date) -> bool:
        """A batch may be used up to and including its expiry date."""
        return day > self.expiry_date


class PatchTest(models.Model):
    """Products applied to a small area of skin, read from 24 hours later (docs/clinical-rules.md)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="patch_tests")
    products = models.ManyToManyField(Product, related_name="patch_tests")
    applied_at = models.DateTimeField()
    site = models.CharField(max_length=100, help_text="Where on the skin, e.g. inner left forearm.")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=16, choices=[(r.value, r.label) for r in ReadResult], blank=True)
    result_notes = models.TextField(blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A reaction blocks the products for this patient until a physician records a decision.
    reaction_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reaction_cleared_at = models.DateTimeField(null=True, blank=True)
    reaction_decision = models.TextField(blank=True)

    objects = TrackedManager()  # history of every change, products included; never deleted

    if TYPE_CHECKING:  # set on the rows of patient_treatment_summary and the dashboard's lists, not on others
        product_list: list[str]

    class Meta:
        ordering = ["-applied_at", "-id"]
        permissions = [("clear_patch_reaction", "Can allow a product despite a patch-test reaction")]
        indexes = [
            models.Index(fields=["patient", "-applied_at"], name="patchtest_patient_recent"),
            models.Index(fields=["applied_at"], condition=Q(read_at__isnull=True), name="patchtest_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                name="patchtest_read_is_complete",
                condition=Q(read_at__isnull=True, result="", read_by__isnull=True)
                | (Q(read_at__isnull=False, read_by__isnull=False) & ~Q(result="")),
            ),
            models.CheckConstraint(
                name="patchtest_read_after_application",
                condition=Q(read_at__isnull=True) | Q(read_at__gte=models.F("applied_at")),
            ),
        ]

    def __str__(self) -> str:
        return _("Patch test %(id)s") % {"id": self.pk}

    @property
    def is_reaction(self) -> bool:
        return bool(self.result) and ReadResult(self.result).is_reaction


class ConsentText(models.Model):
    """A version of the informed-consent text in one language. A published version is never edited: add a new one.

    The text in force for a patient is the latest published in her language (treatments/selectors.py
    current_consent_text); each version is written in every language the clinic speaks, with the same content.
    """

    version = models.CharField(_("version"), max_length=20)
    language = models.CharField(_("language"), max_length=2, choices=Patient.Language.choices, default="en")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="consent_text_one_version_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version}, {self.language})"


class Course(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="courses")
    area = models.ForeignKey(TreatmentArea, on_delete=models.PROTECT, related_name="+")
    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="+")
    planned_sessions = models.PositiveSmallIntegerField()
    interval_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TrackedManager()

    if TYPE_CHECKING:  # set on the rows treatments.selectors.patient_courses returns, not on others
        suggestions: list[dt.date]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_sessions__gte=1), name="course_at_least_one_session"),
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="course_interval_positive"),
        ]

    def __str__(self) -> str:
        return ngettext(
            "%(area)s course (%(count)s session)", "%(area)s course (%(count)s sessions)", self.planned_sessions
        ) % {"area": self.area, "count": self.planned_sessions}


class SignedOn(models.TextChoices):
    """Where a consent was given: recorded by staff (paper or spoken), or signed by the patient on a screen."""

    STAFF = "staff", _("Recorded by staff")
    TABLET = "tablet", _("The clinic's tablet")
    PHONE = "phone", _("The patient's phone")


class Consent(models.Model):
    """The patient's informed consent to a course (all its sessions) or to one session."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="consents")
    consented_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Signed by the patient herself (issue 15; treatments/signing.py): her typed name, her drawn signature (a PNG,
    # re-encoded), where she signed and the browser she used. For such a consent `recorded_by` is the staff
    # member who sent her the link or handed her the tablet. Empty for a consent staff recorded on paper.
    signed_name = models.CharField(_("name typed by the patient"), max_length=200, blank=True)
    signature_png = models.BinaryField(null=True, blank=True, editable=False)
    device = models.CharField(_("signed on"), max_length=8, choices=SignedOn.choices, default=SignedOn.STAFF)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    invitation = models.OneToOneField(
        "patients.IntakeInvitation", null=True, blank=True, on_delete=models.PROTECT, related_name="consent",
        verbose_name=_("signed through the patient's link or tablet"),
    )

    objects = TrackedManager()

    class Meta:
        ordering = ["-consented_at"]
        constraints = [
            models.CheckConstraint(
                name="consent_signed_by_patient_has_name_and_signature",
                condition=Q(device="staff") | (~Q(signed_name="") & Q(signature_png__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return _("Consent %(id)s (v%(version)s)") % {"id": self.pk, "version": self.text.version}


class PhotoConsent(models.Model):
    """The patient's consent to photographs of her treatment areas (issue 15), asked apart from the treatment's.

    Its own row with its own scope, so that a refusal of photos never touches her consent to treatment, and
    issue 16's before/after photos can ask what she agreed to (the latest one not withdrawn).
    """

    class Scope(models.TextChoices):
        NONE = "none", _("No photographs")
        RECORD = "record", _("For my clinical record only")
        TEACHING = "teaching", _("For my record, and also for teaching or the clinic's marketing (without my name)")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_consents")
    scope = models.CharField(_("photographs"), max_length=8, choices=Scope.choices)
    given_at = models.DateTimeField(_("given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    signed_name = models.CharField(_("name typed by the patient"), max_length=200, blank=True)
    device = models.CharField(_("given on"), max_length=8, choices=SignedOn.choices, default=SignedOn.STAFF)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    invitation = models.OneToOneField(
        "patients.IntakeInvitation", null=True, blank=True, on_delete=models.PROTECT, related_name="photo_consent",
        verbose_name=_("given through the patient's link or tablet"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = TrackedManager()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("photo consent")

    def __str__(self) -> str:
        return f"Photo consent {self.pk} ({self.scope})"


class Room(models.Model):
    """A treatment room. Two sessions never share one at the same time (the booking services lock the room)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Rooms not in use are not offered for new bookings.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("treatment room")
        verbose_name_plural = _("treatment rooms")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    """As `date.weekday()` counts: 0 is Monday."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """When a practitioner works on a weekday, in the clinic's local time (two rows for a split day).

    The calendar offers only these times, and a booking outside them is refused.
    """

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("practitioner")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["practitioner", "weekday", "starts"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="working_hours_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="working_hours_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class TimeOff(models.Model):
    """A practitioner away (a day off, leave, training): not bookable from `starts_at` until `ends_at`."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off", verbose_name=_("practitioner")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        indexes = [models.Index(fields=["practitioner", "starts_at"], name="time_off_practitioner_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="time_off_end_after_start"),
        ]

    def __str__(self) -> str:
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{starts:%Y-%m-%d %H:%M} - {ends:%Y-%m-%d %H:%M}"


class Session(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")  # checked in at reception, not yet performed
        PERFORMED = "performed", _("Performed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    # Still to happen: booked, or checked in and waiting. Readiness, the perform gate and clashes treat both alike.
    OPEN_STATUSES = (Status.BOOKED, Status.ARRIVED)

    class Technique(models.TextChoices):
        GUN = "gun", _("Injection gun")
        NEEDLES = "needles", _("Fine needles")

    class PreviousReaction(models.TextChoices):
        """Asked at every session after the patient's first (docs/clinical-rules.md: a clean test is not permanent)."""

        NOT_ASKED = "", _("Not asked (the patient's first session)")
        NONE = "none", _("No reaction")
        REACTION = "reaction", _("A reaction")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    area = models.ForeignKey(TreatmentArea, on_delete=models.PROTECT, related_name="+")
    indication = models.ForeignKey(Indication, on_delete=models.PROTECT, related_name="+")
    products = models.ManyToManyField(Product, through="SessionProduct", related_name="+")
    technique = models.CharField(max_length=8, choices=Technique.choices)
    anaesthetic_cream = models.BooleanField(_("local anaesthetic cream"), default=False)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supervising_physician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    # Why a session was cancelled, as staff wrote it (shown to staff; never sent to the patient).
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)

    # Filled when performed (the gate in services.session_perform checks invariants 1-3 first).
    performed_at = models.DateTimeField(null=True, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screening = models.ForeignKey(
        "patients.EligibilityScreening", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    health_unchanged_confirmed = models.BooleanField(default=False)
    previous_reaction = models.CharField(max_length=8, choices=PreviousReaction.choices, blank=True, default="")
    reaction_after_previous = models.TextField(blank=True, help_text="Any reaction after the previous session.")
    immediate_reactions = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    objects = TrackedManager()

    if TYPE_CHECKING:  # set on the rows treatments.selectors.with_product_lists returns, not on others
        product_list: list[tuple[str, ...]]

    class Meta:
        ordering = ["scheduled_at", "id"]
        permissions = [("perform_session", "Can perform and sign off a session")]
        indexes = [
            models.Index(fields=["scheduled_at"], name="session_scheduled"),
            models.Index(fields=["patient", "-scheduled_at"], name="session_patient_recent"),
            models.Index(fields=["practitioner", "scheduled_at"], name="session_practitioner_time"),
            models.Index(fields=["room", "scheduled_at"], name="session_room_time"),
        ]
        constraints = [
            # Invariant 2 in the database too: a performed session carries its approval and consent.
            models.CheckConstraint(
                name="session_performed_is_complete",
                condition=~Q(status="performed")
                | Q(
                    performed_at__isnull=False,
                    performed_by__isnull=False,
                    screening__isnull=False,
                    consent__isnull=False,
                    health_unchanged_confirmed=True,
                ),
            ),
            models.CheckConstraint(
                name="session_performed_at_only_when_performed",
                condition=Q(status="performed") | Q(performed_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=240), name="session_duration_5_to_240_min"
            ),
            # "A reaction" after the previous session is always described.
            models.CheckConstraint(
                name="session_previous_reaction_is_described",
                condition=~Q(previous_reaction="reaction") | ~Q(reaction_after_previous=""),
            ),
        ]

    def __str__(self) -> str:
        return _("Session %(id)s (%(status)s)") % {"id": self.pk, "status": self.get_status_display()}

    def treatment_in(self, language: str | None) -> str:
        """Its area and indication as the catalogue names them in `language` ("Cilt yenileme: Akne izleri")."""
        return f"{self.area.name_in(language)}: {self.indication.name_in(language)}"

    @property
    def treatment(self) -> str:
        """treatment_in the active language: the page's, or hers inside {% language %} and on her own pages."""
        return self.treatment_in(get_language())

    @property
    def ends_at(self) -> dt.datetime:
        return self.scheduled_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def status_tone(self) -> str:
        """The colour of the status badge (a Bootstrap contextual class); the badge says the status in words."""
        return SESSION_STATUS_TONES.get(self.status, "secondary")

    @property
    def is_performed(self) -> bool:
        return self.status == self.Status.PERFORMED

    @property
    def is_open(self) -> bool:
        """Booked or arrived: it can still be performed (or cancelled)."""
        return self.status in self.OPEN_STATUSES

    @property
    def is_booked(self) -> bool:
        """Booked, not yet checked in: it can be moved, checked in or marked a no-show."""
        return self.status == self.Status.BOOKED

    # What the session's actions offer now (templates/treatments/includes/session_actions.html); the services
    # (session_check_in, session_no_show) decide again on their own clock.
    @property
    def can_check_in_today(self) -> bool:
        return self.is_booked and timezone.localdate(self.scheduled_at) == timezone.localdate()

    @property
    def can_be_no_show(self) -> bool:
        return self.is_booked and self.scheduled_at <= timezone.now()

    @property
    def previous_reaction_shown(self) -> "PreviousReactionShown":
        """What the record says about a reaction after the patient's previous session."""
        return describe_previous_reaction(self.previous_reaction, self.reaction_after_previous)


SESSION_STATUS_TONES: dict[str, str] = {
    Session.Status.BOOKED: "primary",
    Session.Status.ARRIVED: "info",
    Session.Status.PERFORMED: "success",
}  # else secondary


@dataclass(frozen=True)
class PreviousReactionShown:
    label: str  # the answer in words ("" for a description recorded before the question had answers)
    description: str  # the reaction as described ("" when there was none)
    is_reaction: bool  # shown as a warning


def describe_previous_reaction(answer: str, description: str) -> PreviousReactionShown:
    """The previous-reaction answer of a session in words. A blank answer is the patient's first session (nothing
    was asked), unless a description is there: sessions recorded before the question had answers kept free text."""
    if answer == Session.PreviousReaction.REACTION:
        return PreviousReactionShown(str(Session.PreviousReaction.REACTION.label), description, True)
    if answer == Session.PreviousReaction.NONE:
        return PreviousReactionShown(str(Session.PreviousReaction.NONE.label), "", False)
    if description:
        return PreviousReactionShown("", description, False)
    return PreviousReactionShown(str(Session.PreviousReaction.NOT_ASKED.label), "", False)


class SessionProduct(models.Model):
    """A product planned for a session; the batch is recorded when the session is performed."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_products")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")

    objects = TrackedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "product"], name="session_product_once")]
        indexes = [models.Index(fields=["batch"], name="sessionproduct_batch")]

    def __str__(self) -> str:
        return _("%(product)s in session %(session)s") % {"product": self.product, "session": self.session_id}


# --- Photos of the treated area (issue 16; treatments/photos.py) -----------------------------------------------


class AreaView(models.Model):
    """A standard view of a treatment area's photos (e.g. hair: scalp top, front hairline, left, right).

    Data, edited in the administration site: a view no longer used is made inactive, never deleted (photos
    keep pointing at it). The same view at every session is what makes a before/after comparison fair.
    """

    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    code = models.SlugField(_("code"), max_length=30, help_text=_("A short name that never changes, e.g. scalp-top."))
    label = models.CharField(_("label"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Views are shown in this order."))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("standard photo view")
        verbose_name_plural = _("standard photo views")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="area_view_code_unique_per_area")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.label}"


def area_photo_path(instance: "AreaPhoto", filename: str) -> str:
    """A random name (nothing of the patient, the phone's file name or the record's id can be read or guessed
    from it); the extension is that of what the content was checked to be (treatments/photos.py)."""
    return f"area-photos/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


def area_thumbnail_path(instance: "AreaPhoto", filename: str) -> str:
    return f"area-photos/thumbnails/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class AreaPhoto(models.Model):
    """One photo of a standard view at a session: re-encoded without metadata, with its thumbnail.

    Stored through Django's storage API (files on disk by default, an S3-compatible store in production:
    README, docs/deploy.md) and served only through treatments/photo_views.py, never from a public URL. A
    retake is a new row: the photos of a record are kept, the latest of a view and stage is the one shown.
    """

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")
        FOLLOW_UP = "follow_up", _("Follow-up")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="photos", verbose_name=_("session"))
    view = models.ForeignKey(AreaView, on_delete=models.PROTECT, related_name="+", verbose_name=_("view"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    image = models.ImageField(_("photo"), upload_to=area_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=area_thumbnail_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    taken_at = models.DateTimeField(_("taken"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )

    objects = TrackedManager()

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name = _("area photo")
        verbose_name_plural = _("area photos")
        indexes = [models.Index(fields=["session", "view"], name="areaphoto_session_view")]
        constraints = [
            models.CheckConstraint(condition=Q(width__gte=1, height__gte=1), name="areaphoto_has_pixels"),
        ]

    def __str__(self) -> str:
        return _("Photo %(id)s (%(stage)s)") % {"id": self.pk, "stage": self.get_stage_display()}


# --- Outcome scores per course (issue 16; treatments/outcomes.py) ----------------------------------------------

# The widest range any scale may span: a CHECK on both tables (the database cannot compare a score with its scale's
# own range, which is in another table: treatments/outcomes.py and services.outcome_scores_record check that).
OUTCOME_VALUE_MIN = -10
OUTCOME_VALUE_MAX = 10


class OutcomeScale(NamedInTwoLanguages, models.Model):
    """A scale that mesotherapy studies score results on (pain 0-10, Norwood-Hamilton, GAIS...), as data.

    Seeded by migration 0013 and edited in the administration site; chosen for a course by its indication. Each
    whole value from min_value to max_value may have a label (labels: {"1": "Exceptional improvement", ...}).
    """

    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("A short name that never changes."))
    name = models.CharField(_("name"), max_length=100)
    name_tr = models.CharField(_("name in Turkish"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("What the values mean, for staff."))
    min_value = models.SmallIntegerField(_("lowest value"))
    max_value = models.SmallIntegerField(_("highest value"))
    labels = models.JSONField(_("labels per value"), default=dict, blank=True,
                              help_text=_('The words for each value, e.g. {"1": "Exceptional improvement"}.'))
    higher_is_better = models.BooleanField(_("a higher value is better"), default=True)
    answered_by_patient = models.BooleanField(
        _("answered by the patient"), default=False, help_text=_("She answers it herself from the emailed link.")
    )
    indications = models.ManyToManyField(Indication, related_name="outcome_scales", verbose_name=_("indications"),
                                         blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("outcome scale")
        verbose_name_plural = _("outcome scales")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__lt=models.F("max_value"), min_value__gte=OUTCOME_VALUE_MIN,
                            max_value__lte=OUTCOME_VALUE_MAX),
                name="outcomescale_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name_shown

    def label_for(self, value: int) -> str:
        """The value's words ("Improved"), or the number itself when the scale has none for it."""
        return str(self.labels.get(str(value), value))


class OutcomeScore(models.Model):
    """One value on one scale for a course: at a session (before it) or at follow-up (session blank).

    Recorded by staff (recorded_by) or given by the patient from her emailed link (by_patient, nobody signed
    in). One staff score and one patient answer per session and scale: recording again replaces the value.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="outcome_scores",
                               verbose_name=_("course"))
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="outcome_scores", verbose_name=_("session"))
    scale = models.ForeignKey(OutcomeScale, on_delete=models.PROTECT, related_name="+", verbose_name=_("scale"))
    value = models.SmallIntegerField(_("score"))
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    by_patient = models.BooleanField(_("given by the patient"), default=False)

    objects = TrackedManager()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("outcome score")
        verbose_name_plural = _("outcome scores")
        indexes = [models.Index(fields=["course", "recorded_at"], name="outcomescore_course_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=OUTCOME_VALUE_MIN, value__lte=OUTCOME_VALUE_MAX),
                name="outcomescore_value_bounded",
            ),
            # Staff scores name who recorded them; the patient's own answers name nobody (no one is signed in).
            models.CheckConstraint(
                condition=Q(by_patient=True, recorded_by__isnull=True) | Q(by_patient=False, recorded_by__isnull=False),
                name="outcomescore_who",
            ),
            models.UniqueConstraint(
                fields=["session", "scale", "by_patient"], condition=Q(session__isnull=False),
                name="outcomescore_one_per_session_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scale}: {self.value}"
