"""Load a clinic chain's worth of realistic data into PostgreSQL, for benchmarks (docs/benchmarks.md).

    manage.py generate_load_data [--patients 100000] [--scale 1.0] [--seed 7] [--password PW]

At full scale: 100,000 patients, ~300,000 eligibility screenings, ~500,000 sessions and ~2,000,000
aftercare reminders, plus the courses, consents, patch tests, session products with batches and a few
side-effect reports that go with them. Rows are written with PostgreSQL COPY (psycopg 3) in one
transaction, chunk by chunk (parents before children, so every foreign key is checked as usual); ids
are allocated by the generator after the tables' current maximum and the identity sequences are moved
past them at the end. Nothing is disabled: the indexes, constraints and triggers all stay in place.
Then VACUUM (ANALYZE) (ANALYZE alone inside an outer transaction, as in tests).

The data follow the clinic's own rules, so that the pages show what they would show in a clinic:
every performed session carries an approved screening, a consent and the batch of each product; the
reminders of a performed session are the aftercare plan's timeline (aftercare.schedule), sent when due,
pending when not yet due; the review queue holds the last days' undecided screenings. A few patients
have a very long history (about 200 sessions), for the "patient page with a long history" benchmark.

The sessions are one clinic's calendar (12 practitioners with working hours, 6 rooms: `clinic_schedule`): a
`Diary` gives each session the first quarter hour free for a practitioner from the time its course wanted, so
that nothing overlaps a practitioner or a room, and the period is as long as that clinic takes to see them at
75% of its practitioners' time (`past_days`: about thirteen years for 100,000 patients; two years at least).

The four role accounts of seed_demo (reception, nurse, physician, manager) are reused or created with
`--password`; the chain's other staff get unusable passwords. Refuses to run on SQLite.
"""

import dataclasses
import datetime as dt
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from aftercare.models import AftercarePlan, Reminder, SideEffectReport
from aftercare.schedule import ReminderKind, TimelineStep, aftercare_timeline, pre_session_reminder
from aftercare.services import plan_steps
from meso_clinic.core.roles import NURSE, PHYSICIAN, RECEPTION
from meso_clinic.overview.management.commands.seed_demo import DEMO_STAFF
from patients import eligibility, questionnaire
from patients.models import EligibilityScreening, Patient, digits_of
from patients.search import search_text
from treatments.models import (
    Batch,
    Consent,
    ConsentText,
    Course,
    PatchTest,
    Product,
    Session,
    SessionProduct,
    TreatmentArea,
)

UTC = dt.UTC
FULL_PATIENTS = 100_000
PAST_DAYS = 730  # sessions over at least the last two years (more when the clinic needs longer: `past_days`) ...
FUTURE_DAYS = 61  # ... and the next two months
REVIEW_DAYS = 2  # screenings of the last days may still wait for a physician
COURSE_CHANCE = 0.40  # of a course after an approval (tuned for ~5 sessions per patient)
LEAD_DAYS = 300  # patients registered up to this long before the two years of sessions
ACTIVE_MIN_DAYS, ACTIVE_MEAN_DAYS = 30, 800  # how long a patient keeps coming: 30 days + exponential
RESCREEN_DAYS = (110, 190)  # days between two screenings of a patient who keeps coming
BOOKED_AHEAD = 3  # sessions of a course booked ahead of today, at most
SESSIONS_PER_PATIENT = 5  # about, as COURSE_CHANCE is tuned: how many sessions the clinic must fit in
OCCUPANCY = 0.75  # of the practitioners' working time the sessions ask for: the period is as long as that takes
# (at 0.8 the gaps left between sessions booked at the times their patients asked for made the queue grow)
SLOT = 15  # minutes: sessions start on the quarter hour (as clinic_slot and the calendar's rows)
MESSAGE_ID_DOMAIN_FALLBACK = "mesoclinic.example"

# --- Names: Turkish and English, most common first (the draw favours the first ones) ------------------


def _words(text: str) -> list[str]:
    return text.split()


TR_FEMALE = _words(
    "Zeynep Elif Ayşe Fatma Emine Merve Esra Büşra Özlem Selin Defne Ebru Gamze Derya Seda Sibel Yasemin Pınar "
    "Aslı Burcu Deniz Ece İrem Nur Gül Hülya Melek Tuba Cansu Hatice Sevgi Dilek Şule Tuğba Nazlı Ceren Ezgi "
    "Gizem Aylin Buse"
)
TR_MALE = _words(
    "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Emre Burak Can Cem Kerem Onur Serkan Volkan Oğuz Barış "
    "Tolga Uğur Yusuf Ömer Arda Kaan Eren Berk Mert Deniz Selim Taner"
)
TR_FAMILY = _words(
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç "
    "Kurt Özkan Şimşek Polat Korkmaz Karakaya Erdoğan Güneş Aksoy Bulut Keskin Ünal Tekin Acar Kaplan Avcı Tunç "
    "Sarı Türkmen Bozkurt Aktaş Özer Güler Uçar Işık Ateş Kocabaş Erdem Akın Yücel Sezer Bayram Duman"
)
EN_FEMALE = _words(
    "Emma Olivia Sophie Charlotte Emily Jessica Hannah Lucy Grace Chloe Amelia Isabella Mia Ella Lily Sarah "
    "Rebecca Laura Katie Anna Claire Rachel Victoria Megan Alice Eleanor Holly Natalie Amy Zoe"
)
EN_MALE = _words("James Oliver Thomas William Jack Harry George Daniel Matthew Samuel Joseph David Michael Ben Adam")
EN_FAMILY = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts "
    "Green Hall Wood Jackson Clarke Bennett Hughes Edwards Turner Harris Lewis Martin Cooper Hill Ward Morris "
    "Moore King Baker Harrison Scott Young Allen Mitchell Carter"
)
ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "posta.example")

# Areas: share of courses, the products used, techniques.
AREA_WEIGHTS = {"skin": 45, "hair": 25, "cellulite": 15, "pain": 10, "vascular": 5}
AREA_PRODUCTS = {
    "skin": (["Revitalising vitamin complex"], ["Hyaluronic acid (non-crosslinked)", "Amino acid complex"]),
    "hair": (["Hair growth formulation"], []),
    "cellulite": (["Lipolytic formulation"], []),
    "pain": (["Mineral complex"], ["Amino acid complex"]),
    "vascular": (["Mineral complex"], []),
}
LOT_PREFIX = {
    "Revitalising vitamin complex": "VC",
    "Amino acid complex": "AA",
    "Mineral complex": "MC",
    "Hair growth formulation": "HG",
    "Lipolytic formulation": "LF",
    "Hyaluronic acid (non-crosslinked)": "HA",
    "Lidocaine/prilocaine cream 5%": "LC",
}
BATCH_EVERY_DAYS = 21
BATCH_SHELF_DAYS = 540

DECISION_REASONS = {
    "approved": ["No contraindication found.", "Reviewed: suitable for treatment.", "Approved after review of "
                 "the findings with the patient.", "Eligible; usual pre-treatment instructions given."],
    "deferred": ["Wait until the skin at the area has healed.", "Not while pregnant or breastfeeding.",
                 "Pause the anti-inflammatory first, if the prescriber agrees.", "Needs a letter from the "
                 "cardiologist first."],
    "declined": ["Risk outweighs the benefit for this patient.", "Bleeding risk too high.", "Not suitable: "
                 "history of severe reaction."],
}
FAILED_ERRORS = [
    (1, "550 5.1.1 <{email}>: Recipient address rejected: User unknown"),
    (1, "554 5.7.1 Message rejected as spam"),
    (6, "421 4.7.0 Try again later, closing connection"),
    (6, "TimeoutError: timed out"),
]
IMMEDIATE_REACTIONS = ["Mild redness at the injection points.", "Slight swelling, settled before leaving.",
                       "Two small bruises.", "Felt faint briefly; recovered after 10 minutes lying down."]


# --- Screening answers: a few realistic questionnaires, assessed by the real rules ---------------------


def _yes_no_keys() -> list[str]:
    return [q.key for q in questionnaire.all_questions() if q.kind == "yes_no"]


def _display(question: questionnaire.Question, value) -> str:
    if question.kind == "yes_no":
        return {True: "Yes", False: "No"}.get(value, "Not asked")
    return value or "Not asked"


def _answer_record(answers: dict) -> list:
    """The questions as shown with their answers (as patients.services.screening_take stores them)."""
    return [
        [section.title, question.text, _display(question, answers.get(question.key)), question is not top]
        for section in questionnaire.SECTIONS
        for top in section.questions
        for question in (top, *top.follow_ups)
        if question is top or answers.get(top.key) is True
    ]


BASE_TEXTS = {"medical_history": "none", "current_medicines": "none", "allergies": "none"}
ANSWER_VARIANTS: dict[str, list[dict]] = {
    "eligible": [
        {},
        {"medical_history": "Appendectomy in 2015", "current_medicines": "Vitamin D"},
        {"current_medicines": "Oral contraceptive"},
        {"allergies": "Pollen (hay fever)"},
        {"medical_history": "Caesarean section 2019", "current_medicines": "Iron supplement"},
    ],
    "needs_review": [
        {"takes_blood_thinner": True, "blood_thinner_name": "aspirin 100 mg", "blood_thinner_prescribed": True},
        {"takes_nsaid": True, "nsaid_name": "ibuprofen, occasionally"},
        {"takes_nsaid": True, "nsaid_name": "naproxen for back pain"},
        {"allergy_to_components": True},
        {"previous_mesotherapy_reaction": True, "allergy_details": "itching for two days"},
        {"keloid_tendency": True},
        {"autoimmune_disease": True, "medical_history": "Hashimoto's thyroiditis"},
        {"arrhythmia": True},
        {"takes_blood_thinner": True, "blood_thinner_name": "warfarin 5 mg", "blood_thinner_prescribed": True},
    ],
    "not_eligible": [
        {"pregnant": True},
        {"breastfeeding": True},
        {"area_infection": True},
        {"area_cold_sore": True},
        {"area_sunburn": True},
    ],
}


@dataclasses.dataclass(frozen=True)
class ScreeningTemplate:
    answers: str  # JSON, as stored
    record: str
    findings: str
    outcome: str
    hard_stop: bool


def _findings_json(assessment: eligibility.Assessment) -> str:
    return json.dumps(
        [
            {"code": f.code, "outcome": str(f.outcome), "reason": f.reason, "overridable": f.overridable}
            for f in assessment.findings
        ]
    )


def screening_templates(tz: ZoneInfo, now: dt.datetime) -> dict[str, list[ScreeningTemplate]]:
    no = dict.fromkeys(_yes_no_keys(), False)
    templates: dict[str, list[ScreeningTemplate]] = {}
    for outcome, variants in ANSWER_VARIANTS.items():
        templates[outcome] = []
        for variant in variants:
            answers = {**no, **BASE_TEXTS, **variant}
            # Its medicines are named under a yes only, which fires on its own: the lists would add no finding.
            assessment = eligibility.assess(
                answers, date_of_birth=dt.date(1990, 1, 1), at=now, tz=tz, medicine_names=()
            )
            if str(assessment.outcome) != outcome:  # the rules changed: this variant no longer fits here
                continue
            templates[outcome].append(
                ScreeningTemplate(
                    json.dumps(answers), json.dumps(_answer_record(answers)), _findings_json(assessment),
                    outcome, assessment.hard_stop,
                )
            )
        if not templates[outcome]:
            raise CommandError(f"no questionnaire variant gives the outcome {outcome!r} any more")
    return templates


# --- Tables: columns from the models' own _meta ---------------------------------------------------------


class Table:
    """A table to COPY into: its name and columns read from the model, and the rows of the current chunk."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        # Concrete fields, each with its column (a relation's reverse side would fail here at once).
        self.columns = [cast(str, cast(models.Field, model._meta.get_field(f)).column) for f in fields]
        self.rows: list[tuple] = []
        self.count = 0
        self.seconds = 0.0
        self.next_id = 0  # set from the table's maximum id before the load

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def take(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows

    def copy(self, cursor, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        qn = connection.ops.quote_name
        statement = f"COPY {qn(self.name)} ({', '.join(qn(c) for c in self.columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        self.seconds += time.perf_counter() - started
        self.count += len(rows)


@dataclasses.dataclass
class Staff:
    reception: list[int]
    nurses: list[int]
    physicians: list[int]


@dataclasses.dataclass
class Approval:
    screening_id: int
    decided_at: dt.datetime
    valid_until: dt.date


class Diary:
    """Who and which room is taken when, day by day, so that no two sessions overlap for a practitioner or a
    room: the load is one clinic's calendar (docs/benchmarks.md). Each practitioner's working hours (from
    `WorkingHours`) and busy times are bit masks of a day's 96 quarter hours; a session goes to the earliest
    quarter hour at or after the one asked for, that day or the next ones, with a practitioner of the group
    asked for first (physician or nurse), then the other group; a room free for the whole session if there is
    one (six rooms for twelve practitioners: not always), else none, as older bookings have."""

    def __init__(self, *, hours: dict[tuple[int, int], int], practitioners: Sequence[int], rooms: Sequence[int],
                 tz: ZoneInfo) -> None:
        self.hours = hours  # (practitioner, weekday) -> working quarter hours
        self.practitioners = list(practitioners)
        self.rooms = list(rooms)
        self.tz = tz
        self.busy: dict[tuple[dt.date, int], int] = defaultdict(int)  # (day, practitioner) -> taken quarters
        self.room_busy: dict[tuple[dt.date, int], int] = defaultdict(int)
        self.placed = self.moved = self.without_room = 0

    @staticmethod
    def runs(free: int, length: int) -> int:
        """The quarters at which `length` free quarters start."""
        starts = free
        for shift in range(1, length):
            starts &= free >> shift
        return starts

    def place(self, at: dt.datetime, minutes: int, groups: Sequence[Sequence[int]], rng: random.Random
              ) -> tuple[dt.datetime, int, int | None]:
        local = at.astimezone(self.tz)
        day, first = local.date(), (local.hour * 60 + local.minute) // SLOT
        length = -(-minutes // SLOT)
        span = (1 << length) - 1
        # The day asked for from the time asked for, then its earlier hours, then the next days from their start
        # (first fit: later days fill without gaps, so that the clinic's time is used as a receptionist would).
        for offset, floor in [(0, first), (0, 0), *((n, 0) for n in range(1, 731))]:
            when = day + dt.timedelta(days=offset)
            weekday = when.weekday()
            for group in groups:
                best: tuple[int, int] | None = None
                for pk in rng.sample(list(group), len(group)):
                    work = self.hours.get((pk, weekday), 0)
                    if not work:
                        continue
                    starts = self.runs(work & ~self.busy[when, pk], length) >> floor << floor
                    if starts:
                        quarter = (starts & -starts).bit_length() - 1
                        if best is None or quarter < best[0]:
                            best = (quarter, pk)
                if best is None:
                    continue
                quarter, pk = best
                self.busy[when, pk] |= span << quarter
                room = next((r for r in self.rooms if not self.room_busy[when, r] & (span << quarter)), None)
                if room is None:
                    self.without_room += 1
                else:
                    self.room_busy[when, room] |= span << quarter
                self.placed += 1
                self.moved += offset > 0 or quarter != first
                moment = dt.datetime(when.year, when.month, when.day, quarter * SLOT // 60, quarter * SLOT % 60,
                                     tzinfo=self.tz)
                return moment, pk, room
        raise RuntimeError("nobody works: no session can be placed")

    def _quarters(self, at: dt.datetime, minutes: int) -> tuple[dt.date, int]:
        local = at.astimezone(self.tz)
        first = (local.hour * 60 + local.minute) // SLOT
        return local.date(), ((1 << -(-minutes // SLOT)) - 1) << first

    def take(self, at: dt.datetime, minutes: int, practitioner: int, room: int | None) -> None:
        """A session already in the database."""
        day, taken = self._quarters(at, minutes)
        self.busy[day, practitioner] |= taken
        if room is not None:
            self.room_busy[day, room] |= taken

    def release(self, at: dt.datetime, minutes: int, practitioner: int, room: int | None) -> None:
        """Undo `place` (a session that will not be written)."""
        day, taken = self._quarters(at, minutes)
        self.busy[day, practitioner] &= ~taken
        if room is not None:
            self.room_busy[day, room] &= ~taken
        self.placed -= 1  # clinic_schedule gives everyone hours


def working_quarters(starts: dt.time, ends: dt.time) -> int:
    """A day's quarter hours from `starts` to `ends` as a bit mask (bit 0 = 00:00-00:15)."""
    first, last = (starts.hour * 60 + starts.minute) // SLOT, (ends.hour * 60 + ends.minute) // SLOT
    return ((1 << (last - first)) - 1) << first


def past_days(patients: int, practitioners_hours_a_week: float) -> int:
    """How many days of sessions the clinic needs for this many patients' sessions at OCCUPANCY of its
    practitioners' time (45 minutes a session on average), and never fewer than PAST_DAYS: 100,000 patients'
    ~500,000 sessions take 12 practitioners about thirteen years."""
    sessions_a_week = practitioners_hours_a_week * 60 / 45 * OCCUPANCY
    return max(PAST_DAYS, math.ceil(patients * SESSIONS_PER_PATIENT / sessions_a_week * 7))


class Generator:
    """Builds the rows patient by patient; `flush` COPYs a chunk, parents first."""

    def __init__(self, *, patients: int, seed: int, staff: Staff, long_history: int, stdout) -> None:
        self.n_patients = patients
        self.rng = random.Random(seed)
        self.staff = staff
        self.long_history = long_history
        self.stdout = stdout
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = dt.datetime.now(tz=UTC).replace(microsecond=0)
        self.today = self.now.astimezone(self.tz).date()
        self.message_domain = getattr(settings, "MESSAGE_ID_DOMAIN", MESSAGE_ID_DOMAIN_FALLBACK)
        self.approval_days = settings.APPROVAL_VALID_DAYS
        self.templates = screening_templates(self.tz, self.now)
        self.diary = clinic_diary(staff, self.tz)
        weekly_hours = sum(bin(mask).count("1") for mask in self.diary.hours.values()) * SLOT / 60
        self.past_days = past_days(patients, weekly_hours)
        # Over two years most patients' stays are cut by its ends; over a longer period each stay is whole and
        # holds twice the courses: half the chance keeps ~5 sessions a patient (SESSIONS_PER_PATIENT).
        self.course_chance = COURSE_CHANCE if self.past_days <= PAST_DAYS else COURSE_CHANCE / 2
        self._tables()
        self._catalogue()
        self._names()
        self.generate_seconds = 0.0

    # --- set-up ---------------------------------------------------------------------------------------

    def _tables(self) -> None:
        through = PatchTest.products.through
        self.t_patient = Table(Patient, [
            "id", "given_name", "family_name", "date_of_birth", "sex", "phone", "phone_digits", "search_text", "email",
            "preferred_language", "email_consent", "emergency_contact_name", "emergency_contact_phone", "notes",
            "created_at", "updated_at", "created_by",
        ])
        self.t_screening = Table(EligibilityScreening, [
            "id", "patient", "taken_at", "taken_by", "questionnaire_version", "answers", "answer_record",
            "age_years", "outcome", "hard_stop", "findings", "decision", "decided_by", "decided_at",
            "decision_reason", "deferred_until", "instructions", "valid_until", "answered_by",
        ])
        self.t_patch = Table(PatchTest, [
            "id", "patient", "applied_at", "site", "applied_by", "read_at", "result", "result_notes", "read_by",
            "reaction_cleared_by", "reaction_cleared_at", "reaction_decision",
        ])
        self.t_patch_products = Table(through, ["id", "patchtest", "product"])
        self.t_course = Table(Course, [
            "id", "patient", "area", "indication", "planned_sessions", "interval_days", "status", "created_at",
            "created_by",
        ])
        self.t_consent = Table(Consent, [
            "id", "patient", "text", "course", "consented_at", "recorded_by", "withdrawn_at", "device", "signed_name",
            "user_agent",
        ])
        self.t_session = Table(Session, [
            "id", "patient", "course", "area", "indication", "technique", "anaesthetic_cream", "practitioner",
            "supervising_physician", "room", "scheduled_at", "duration_minutes", "status", "booked_by", "booked_at",
            "performed_at", "performed_by", "screening", "consent", "health_unchanged_confirmed",
            "previous_reaction", "reaction_after_previous", "immediate_reactions", "notes", "cancel_reason",
        ])
        self.t_session_product = Table(SessionProduct, ["id", "session", "product", "batch"])
        self.t_reminder = Table(Reminder, [
            "id", "session", "kind", "due_at", "status", "attempts", "next_attempt_at", "lease_expires_at",
            "lease_token", "sent_at", "message_id", "last_error", "created_at", "updated_at", "sequence",
        ])
        self.t_report = Table(SideEffectReport, [
            "id", "session", "reminder", "reported_at", "effects", "warning_signs", "severity", "description",
            "photo", "escalated", "status", "closed_by", "closed_at", "closing_note",
        ])
        # Parents before children: the order of COPY in each chunk.
        self.tables = [
            self.t_patient, self.t_screening, self.t_patch, self.t_patch_products, self.t_course, self.t_consent,
            self.t_session, self.t_session_product, self.t_reminder, self.t_report,
        ]

    def start_ids(self, cursor) -> None:
        qn = connection.ops.quote_name
        for table in self.tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(table.name)}")  # noqa: S608 - a model's table
            table.next_id = cursor.fetchone()[0]

    def _catalogue(self) -> None:
        areas = {a.category: a for a in TreatmentArea.objects.prefetch_related("indications")}
        missing = set(AREA_WEIGHTS) - set(areas)
        if missing:
            raise CommandError(f"treatment areas missing (did the data migrations run?): {sorted(missing)}")
        self.areas = areas
        self.indications = {cat: [i.pk for i in a.indications.all()] for cat, a in areas.items()}
        self.area_categories = list(AREA_WEIGHTS)
        self.area_cum = _cumulative(AREA_WEIGHTS.values())
        products = {p.name: p for p in Product.objects.all()}
        self.products = products
        self.tested_products = {p.pk for p in products.values() if p.patch_test_required}
        self.area_products = {}
        for cat, (always, optional) in AREA_PRODUCTS.items():
            names = [n for n in always + optional if n in products]
            if not names:
                names = [next(iter(products))]
            self.area_products[cat] = (
                [products[n].pk for n in always if n in products] or [products[names[0]].pk],
                [products[n].pk for n in optional if n in products],
            )
        consent_text = ConsentText.objects.order_by("-published_at").first()
        if consent_text is None:
            raise CommandError("no consent text (did the data migrations run?)")
        self.consent_text = consent_text
        plans = {p.area_id: p for p in AftercarePlan.objects.prefetch_related("steps")}
        self.plan_steps: dict[int, list[TimelineStep]] = {
            area.pk: plan_steps(plans.get(area.pk)) for area in areas.values()
        }

    def _names(self) -> None:
        self.names = {
            ("tr", "female"): (TR_FEMALE, _zipf(len(TR_FEMALE))),
            ("tr", "male"): (TR_MALE, _zipf(len(TR_MALE))),
            ("en", "female"): (EN_FEMALE, _zipf(len(EN_FEMALE))),
            ("en", "male"): (EN_MALE, _zipf(len(EN_MALE))),
            ("tr", "family"): (TR_FAMILY, _zipf(len(TR_FAMILY))),
            ("en", "family"): (EN_FAMILY, _zipf(len(EN_FAMILY))),
        }

    def make_batches(self) -> dict[int, list[tuple[dt.date, int]]]:
        """A new lot of every product every three weeks over the period: a few hundred batches.

        Uses the ORM (a few hundred rows); returns product id -> [(received_on, batch id)] sorted.
        """
        first = self.today - dt.timedelta(days=self.past_days + 60)
        batches = []
        for product in self.products.values():
            prefix = LOT_PREFIX.get(product.name, product.name[:2].upper())
            day = first + dt.timedelta(days=self.rng.randrange(BATCH_EVERY_DAYS))
            letter = 0
            while day <= self.today:
                lot = f"{prefix}-{day:%y%m}-{chr(65 + letter % 26)}{self.rng.randrange(100, 999)}"
                letter += 1
                batches.append(
                    Batch(product=product, lot_number=lot, received_on=day,
                          expiry_date=day + dt.timedelta(days=BATCH_SHELF_DAYS))
                )
                day += dt.timedelta(days=BATCH_EVERY_DAYS + self.rng.randrange(-4, 5))
        existing = set(Batch.objects.values_list("product_id", "lot_number"))
        Batch.objects.bulk_create([b for b in batches if (b.product_id, b.lot_number) not in existing])
        by_product: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        for product_id, received, pk in Batch.objects.values_list("product_id", "received_on", "pk"):
            by_product[product_id].append((received, pk))
        for lots in by_product.values():
            lots.sort()
        self.batches = by_product
        return by_product

    def batch_for(self, product_id: int, day: dt.date) -> int | None:
        lots = self.batches.get(product_id)
        if not lots:
            return None
        chosen = lots[0][1]
        for received, pk in lots:  # a few dozen per product
            if received > day:
                break
            chosen = pk
        return chosen

    # --- helpers ----------------------------------------------------------------------------------------

    def pick(self, key: tuple[str, str]) -> str:
        values, cum = self.names[key]
        return self.rng.choices(values, cum_weights=cum)[0]

    def local(self, day: dt.date, minutes: int) -> dt.datetime:
        """An aware moment at `minutes` after midnight of a clinic-local day."""
        return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=self.tz)

    def clinic_slot(self, around: dt.datetime) -> dt.datetime:
        """The moment moved into opening hours (Mon-Sat 09:00-19:00 local) on its day, in 15-minute slots."""
        day = around.astimezone(self.tz).date()
        if day.weekday() == 6:  # closed on Sundays: the Saturday before or the Monday after
            day += dt.timedelta(days=self.rng.choice((-1, 1)))
        return self.local(day, 9 * 60 + 15 * self.rng.randrange(40))

    # --- one patient --------------------------------------------------------------------------------------

    def patient(self, index: int) -> None:
        rng = self.rng
        long_history = index < self.long_history
        language = "tr" if rng.random() < 0.7 else "en"
        r = rng.random()
        sex = "female" if r < 0.76 else "male" if r < 0.985 else ("not_stated" if r < 0.995 else "intersex")
        given = self.pick((language, "male" if sex == "male" else "female"))
        family = self.pick((language, "family"))
        if long_history:
            registered = self.now - dt.timedelta(days=PAST_DAYS + 30, minutes=rng.randrange(600))
        else:
            # Patients join all the time (also before the two years of sessions) and stay a while: the chain
            # is in a steady state, so the sessions are spread evenly over the period.
            registered = self.now - dt.timedelta(days=rng.uniform(0.01, self.past_days + LEAD_DAYS))
        minor = not long_history and rng.random() < 0.004
        if minor:
            age_days = rng.randrange(15 * 365, 18 * 365 - 30)
        else:
            age = min(80, max(18, round(rng.triangular(18, 80, 36))))
            age_days = age * 365 + rng.randrange(365)
        dob = registered.astimezone(self.tz).date() - dt.timedelta(days=age_days)
        # Stored in E.164, as the patient form stores them (patients/forms.py clean_phone_number).
        if language == "tr":
            phone = f"+905{rng.randrange(30, 56)}{rng.randrange(1000000, 10000000)}"
        else:
            phone = f"+447700{rng.randrange(900000, 1000000)}"
        has_email = rng.random() < 0.96
        email = ""
        if has_email:
            email = (f"{given}.{family}{rng.randrange(1, 1000)}@{rng.choice(EMAIL_DOMAINS)}"
                     .translate(ASCII).lower().replace(" ", ""))
        consent = has_email and (long_history or rng.random() < 0.82)
        emergency = rng.random() < 0.4
        patient_id = self.t_patient.new_id()
        self.t_patient.rows.append((
            patient_id, given, family, dob, sex, phone, digits_of(phone),
            search_text(given_name=given, family_name=family, email=email), email, language, consent,
            f"{self.pick((language, 'female'))} {family}" if emergency else "",
            f"+905{rng.randrange(30, 56)}{rng.randrange(1000000, 10000000)}" if emergency else "",
            "Prefers afternoon appointments." if rng.random() < 0.03 else "",
            registered, registered, rng.choice(self.staff.reception),
        ))
        approvals = self.screenings(patient_id, dob, registered, minor=minor, long_history=long_history)
        if minor:
            return
        emailable = consent
        if long_history:
            self.long_courses(patient_id, approvals, emailable)
            return
        for approval in approvals:
            if rng.random() < self.course_chance:
                self.course(patient_id, approval, emailable)

    def screenings(
        self, patient_id: int, dob: dt.date, registered: dt.datetime, *, minor: bool, long_history: bool
    ) -> list[Approval]:
        rng = self.rng
        first = registered + dt.timedelta(minutes=rng.randrange(5, 90))
        if long_history:
            times = [first + dt.timedelta(days=170 * i) for i in range(PAST_DAYS // 170 + 1)]
        elif minor:
            times = [first]
        else:
            # Screened again about every five months while the patient keeps coming (an approval lasts 180 days).
            active_until = min(first + dt.timedelta(days=ACTIVE_MIN_DAYS + rng.expovariate(1 / ACTIVE_MEAN_DAYS)),
                               self.now)
            times = [first]
            while True:
                at = times[-1] + dt.timedelta(days=rng.uniform(*RESCREEN_DAYS), minutes=rng.randrange(-600, 600))
                if at > active_until:
                    break
                times.append(at)
        approvals = []
        for taken_at in times:
            taken_at = min(taken_at, self.now - dt.timedelta(minutes=1))
            local_day = taken_at.astimezone(self.tz).date()
            age = eligibility.age_on(dob, local_day)
            if minor:
                answers = {**dict.fromkeys(_yes_no_keys(), False), **BASE_TEXTS}
                assessment = eligibility.assess(answers, date_of_birth=dob, at=taken_at, tz=self.tz, medicine_names=())
                template = ScreeningTemplate(
                    json.dumps(answers), json.dumps(_answer_record(answers)),
                    _findings_json(assessment), str(assessment.outcome), assessment.hard_stop,
                )
            else:
                r = rng.random()
                outcome = "eligible" if long_history or r < 0.70 else "needs_review" if r < 0.95 else "not_eligible"
                template = rng.choice(self.templates[outcome])
            decision = self.decision(template, taken_at, long_history)
            screening_id = self.t_screening.new_id()
            decided_at = deferred_until = valid_until = None
            decided_by = None
            reason = instructions = ""
            if decision:
                decided_at = min(taken_at + dt.timedelta(minutes=rng.randrange(20, 48 * 60)),
                                 self.now - dt.timedelta(seconds=30))
                decided_by = rng.choice(self.staff.physicians)
                reason = rng.choice(DECISION_REASONS[decision])
                decided_day = decided_at.astimezone(self.tz).date()
                if decision == "approved":
                    valid_until = decided_day + dt.timedelta(days=self.approval_days)
                    approvals.append(Approval(screening_id, decided_at, valid_until))
                elif decision == "deferred":
                    deferred_until = decided_day + dt.timedelta(days=rng.randrange(14, 91))
                    instructions = "Take a new intake questionnaire after the deferral date."
            self.t_screening.rows.append((
                screening_id, patient_id, taken_at, rng.choice(self.staff.reception + self.staff.nurses),
                questionnaire.VERSION, template.answers, template.record, age, template.outcome,
                template.hard_stop, template.findings, decision, decided_by, decided_at, reason, deferred_until,
                instructions, valid_until, "staff",  # taken by staff (answered_by's default; COPY has no default)
            ))
        return approvals

    def decision(self, template: ScreeningTemplate, taken_at: dt.datetime, long_history: bool) -> str:
        """approved / deferred / declined, or "" (waiting for a physician: recent ones; never a hard stop)."""
        rng = self.rng
        if template.hard_stop:
            return ""
        if long_history:
            return "approved"
        if self.now - taken_at < dt.timedelta(days=REVIEW_DAYS) and rng.random() < 0.35:
            return ""
        if rng.random() < 0.0005:  # a few forgotten ones, further down the queue
            return ""
        r = rng.random()
        if template.outcome == "eligible":
            return "approved" if r < 0.93 else "deferred" if r < 0.98 else "declined"
        if template.outcome == "needs_review":
            return "approved" if r < 0.65 else "deferred" if r < 0.87 else "declined"
        return "deferred" if r < 0.7 else "declined"

    def patch_test(self, patient_id: int, applied_at: dt.datetime, product_ids: Iterable[int]) -> dt.datetime | None:
        """Apply (and read, 24-30 h later, if that moment has passed) a patch test; returns the reading time."""
        rng = self.rng
        test_id = self.t_patch.new_id()
        read_at = applied_at + dt.timedelta(hours=24, minutes=rng.randrange(0, 360))
        read = read_at <= self.now
        result = ""
        if read:
            result = "no_reaction" if rng.random() < 0.97 else rng.choice(["redness", "itching_burning", "swelling"])
        cleared = read and result != "no_reaction"
        self.t_patch.rows.append((
            test_id, patient_id, applied_at, rng.choice(["Inner left forearm", "Inner right forearm",
                                                         "Behind the left ear"]),
            rng.choice(self.staff.nurses), read_at if read else None, result,
            "Faint, resolved within the hour." if cleared else "", rng.choice(self.staff.nurses) if read else None,
            rng.choice(self.staff.physicians) if cleared else None,
            read_at + dt.timedelta(hours=2) if cleared else None,
            "Minor transient redness; allowed with observation." if cleared else "",
        ))
        for product_id in product_ids:
            self.t_patch_products.rows.append((self.t_patch_products.new_id(), test_id, product_id))
        return read_at if read else None

    def course(self, patient_id: int, approval: Approval, emailable: bool) -> None:
        rng = self.rng
        category = rng.choices(self.area_categories, cum_weights=self.area_cum)[0]
        area = self.areas[category]
        indication = rng.choice(self.indications[category])
        always, optional = self.area_products[category]
        product_ids = always + ([rng.choice(optional)] if optional and rng.random() < 0.5 else [])
        applied = self.clinic_slot(approval.decided_at + dt.timedelta(days=rng.randrange(1, 4)))
        if applied > self.now:
            return  # the patient has not come for the patch test yet
        read_at = self.patch_test(patient_id, applied, [p for p in product_ids if self.products_needing_test(p)])
        first = self.clinic_slot((read_at or applied + dt.timedelta(days=1)) + dt.timedelta(days=rng.randrange(1, 8)))
        planned = area.typical_sessions
        interval = area.typical_interval_days
        stop_after = rng.randrange(1, planned + 1) if rng.random() < 0.12 else planned
        last_day = min(approval.valid_until, self.today + dt.timedelta(days=FUTURE_DAYS))
        times: list[dt.datetime] = []
        at = first
        window_start = self.now - dt.timedelta(days=self.past_days)
        for _ in range(stop_after):
            if at.astimezone(self.tz).date() > last_day or sum(t > self.now for t in times) >= BOOKED_AHEAD:
                break
            if at >= window_start:  # earlier sessions are before the period this data covers
                times.append(at)
            at = self.clinic_slot(at + dt.timedelta(days=interval + rng.choice((-1, 0, 0, 0, 1))))
        if not times:
            return
        self.sessions_of_course(
            patient_id, approval, area, indication, product_ids, times, planned, interval, emailable,
            stopped=stop_after < planned,
        )

    def long_courses(self, patient_id: int, approvals: list[Approval], emailable: bool) -> None:
        """Back-to-back courses every 3-4 days under each approval: about 200 sessions over two years."""
        rng = self.rng
        for approval in approvals:
            category = rng.choice(["hair", "pain"])
            area = self.areas[category]
            indication = rng.choice(self.indications[category])
            product_ids = self.area_products[category][0]
            applied = self.clinic_slot(approval.decided_at + dt.timedelta(days=1))
            if applied > self.now:
                continue
            read_at = self.patch_test(patient_id, applied, product_ids)
            at = self.clinic_slot((read_at or applied) + dt.timedelta(days=1))
            last_day = min(approval.valid_until, self.today + dt.timedelta(days=FUTURE_DAYS))
            while at.astimezone(self.tz).date() <= last_day and at <= self.now:
                times = []
                for _ in range(12):
                    if at.astimezone(self.tz).date() > last_day:
                        break
                    times.append(at)
                    at = self.clinic_slot(at + dt.timedelta(days=rng.choice((3, 4, 4, 5))))
                self.sessions_of_course(
                    patient_id, approval, area, indication, product_ids, times, 12, 4, emailable, stopped=False
                )

    def products_needing_test(self, product_id: int) -> bool:
        return product_id in self.tested_products

    def sessions_of_course(
        self, patient_id: int, approval: Approval, area: TreatmentArea, indication: int, product_ids: list[int],
        times: list[dt.datetime], planned: int, interval: int, emailable: bool, *, stopped: bool,
    ) -> None:
        rng = self.rng
        now = self.now
        # The clinic's diary decides each time: the first free quarter hour from the one wanted, after the
        # course's previous session (a busy day moves it later, never earlier); none beyond the booked period.
        placed = []
        earliest = times[0]
        last_day = self.today + dt.timedelta(days=FUTURE_DAYS)
        for wanted in times:
            duration = rng.choice((30, 45, 45, 45, 60))
            groups = (self.staff.physicians, self.staff.nurses)
            if rng.random() >= 0.6:
                groups = groups[::-1]
            at, practitioner, room = self.diary.place(max(wanted, earliest), duration, groups, rng)
            if at.astimezone(self.tz).date() > last_day:
                self.diary.release(at, duration, practitioner, room)
                break
            earliest = at + dt.timedelta(days=1)
            placed.append((at, duration, practitioner, room))
        if not placed:
            return
        times = [at for at, *_ in placed]
        course_id = self.t_course.new_id()
        consented_at = times[0] - dt.timedelta(minutes=rng.randrange(10, 60 * 24 * 2))
        consent_id = None
        if consented_at <= now:
            consent_id = self.t_consent.new_id()
            self.t_consent.rows.append((
                consent_id, patient_id, self.consent_text.pk, course_id, consented_at,
                rng.choice(self.staff.reception), None, "staff", "", "",  # recorded by staff (COPY has no defaults)
            ))
        performed = 0
        future = False
        for at, duration, practitioner, room in placed:
            session_id = self.t_session.new_id()
            supervisor = practitioner if practitioner in self.staff.physicians else rng.choice(self.staff.physicians)
            booked_at = min(at - dt.timedelta(days=rng.randrange(1, 21), minutes=rng.randrange(600)),
                            now - dt.timedelta(minutes=rng.randrange(1, 600)))
            past = at + dt.timedelta(minutes=duration) <= now
            if past:
                r = rng.random()
                status = "performed" if r < 0.88 else "cancelled" if r < 0.95 else "no_show"
                if status == "performed" and consent_id is None:
                    status = "no_show"
            else:
                status = "booked" if rng.random() < 0.95 else "cancelled"
                future = future or status == "booked"
            performed_at = performed_by = screening_id = session_consent = None
            reactions = ""
            if status == "performed":
                performed += 1
                performed_at = at + dt.timedelta(minutes=rng.randrange(0, 20))
                performed_at = min(performed_at, now - dt.timedelta(minutes=1))
                performed_by = supervisor
                screening_id = approval.screening_id
                session_consent = consent_id
                reactions = rng.choice(IMMEDIATE_REACTIONS) if rng.random() < 0.04 else ""
            category = area.category
            self.t_session.rows.append((
                session_id, patient_id, course_id, area.pk, indication,
                "gun" if category in ("hair", "cellulite") and rng.random() < 0.6 else "needles",
                category == "skin" and rng.random() < 0.4, practitioner, supervisor, room, at, duration, status,
                rng.choice(self.staff.reception), booked_at, performed_at, performed_by, screening_id,
                session_consent, status == "performed", "none" if status == "performed" and performed > 1 else "",
                "", reactions, "", "",
            ))
            day = at.astimezone(self.tz).date()
            for product_id in product_ids:
                batch = self.batch_for(product_id, day) if status == "performed" else None
                self.t_session_product.rows.append((self.t_session_product.new_id(), session_id, product_id, batch))
            if emailable and status == "performed":
                self.after_session_reminders(session_id, area.pk, cast(dt.datetime, performed_at))  # performed: set
            elif emailable and status == "booked":
                self.pre_session(session_id, at, booked_at)
        status = "active" if future else "stopped" if stopped else "completed" if performed >= planned else "active"
        self.t_course.rows.append((
            course_id, patient_id, area.pk, indication, planned, interval, status,
            min(consented_at, times[0] - dt.timedelta(minutes=5), now), rng.choice(self.staff.reception),
        ))

    def after_session_reminders(self, session_id: int, area_id: int, performed_at: dt.datetime) -> None:
        rng = self.rng
        now = self.now
        due_now = now - dt.timedelta(minutes=2)
        unsubscribed = rng.random() < 0.006
        reminder_ids = []
        for due in aftercare_timeline(performed_at=performed_at, tz=self.tz, steps=self.plan_steps[area_id]):
            reminder_id = self.t_reminder.new_id()
            reminder_ids.append(reminder_id)
            due_at = due.due_at
            attempts, sent_at, message_id, error, updated = 0, None, "", "", performed_at
            if due_at > due_now:
                status = "pending"
            elif unsubscribed and due_at > performed_at + dt.timedelta(hours=1):
                status, error, updated = "cancelled", "The patient unsubscribed.", due_at
            elif rng.random() < 0.004:
                attempts, error = rng.choice(FAILED_ERRORS)
                status, error, updated = "failed", error.format(email="patient"), due_at + dt.timedelta(hours=1)
            else:
                status, attempts = "sent", 1
                sent_at = due_at + dt.timedelta(seconds=rng.randrange(1, 90))
                message_id = f"<reminder-{reminder_id}-{session_id}@{self.message_domain}>"
                updated = sent_at
            self.t_reminder.rows.append((
                reminder_id, session_id, str(due.kind), due_at, status, attempts, None, None, "", sent_at, message_id,
                error, performed_at, updated, 0,
            ))
        if reminder_ids and rng.random() < 0.002:
            self.side_effect_report(session_id, reminder_ids[-1], performed_at)

    def pre_session(self, session_id: int, scheduled_at: dt.datetime, booked_at: dt.datetime) -> None:
        due = pre_session_reminder(scheduled_at=scheduled_at, now=booked_at, tz=self.tz)
        if due is None:
            return
        reminder_id = self.t_reminder.new_id()
        sent = due.due_at <= self.now - dt.timedelta(minutes=2)
        sent_at = due.due_at + dt.timedelta(seconds=self.rng.randrange(1, 90)) if sent else None
        self.t_reminder.rows.append((
            reminder_id, session_id, ReminderKind.PRE_SESSION.value, due.due_at, "sent" if sent else "pending",
            1 if sent else 0, None, None, "", sent_at,
            f"<reminder-{reminder_id}-{session_id}@{self.message_domain}>" if sent else "", "", booked_at,
            sent_at or booked_at, 0,
        ))

    def side_effect_report(self, session_id: int, reminder_id: int, performed_at: dt.datetime) -> None:
        rng = self.rng
        reported = performed_at + dt.timedelta(days=rng.randrange(1, 5), minutes=rng.randrange(600))
        if reported > self.now:
            return
        escalated = rng.random() < 0.1
        closed = self.now - reported > dt.timedelta(days=3) or rng.random() < 0.3
        self.t_report.rows.append((
            self.t_report.new_id(), session_id, reminder_id, reported,
            json.dumps(rng.sample(["redness", "swelling", "bruising", "itching"], rng.randrange(1, 3))),
            json.dumps(["spreading_redness"] if escalated else []),
            "severe" if escalated else rng.choice(["mild", "mild", "moderate"]),
            "Still red on the second day.", "", escalated, "closed" if closed else "open",
            rng.choice(self.staff.physicians) if closed else None,
            reported + dt.timedelta(hours=rng.randrange(1, 48)) if closed else None,
            "Called the patient: settling, advice given." if closed else "",
        ))

    # --- writing ------------------------------------------------------------------------------------------

    def run(self, cursor, chunk: int) -> None:
        """Generate `chunk` patients at a time and COPY each chunk, parents first."""
        self.start_ids(cursor)
        done = 0
        report_every = max(chunk, self.n_patients // 10)
        next_report = report_every
        started = time.perf_counter()
        while done < self.n_patients:
            t0 = time.perf_counter()
            for index in range(done, min(done + chunk, self.n_patients)):
                self.patient(index)
            self.generate_seconds += time.perf_counter() - t0
            done = min(done + chunk, self.n_patients)
            for table in self.tables:
                table.copy(cursor, table.take())
            if done >= next_report or done == self.n_patients:
                next_report += report_every
                self.stdout.write(
                    f"  {done:>7} patients, {self.t_session.count:>8} sessions, {self.t_reminder.count:>9} "
                    f"reminders ({time.perf_counter() - started:6.1f} s)"
                )


class SetAside:
    """Secondary indexes and foreign keys of the loaded tables, dropped for the load and put back after it.

    All of it happens in the load's transaction (PostgreSQL DDL is transactional): if the load fails, the
    rollback brings every index and constraint back as it was. Putting a foreign key back validates every
    row in one pass, and building an index once is cheaper than updating it row by row. Primary keys and
    unique constraints stay in place throughout.
    """

    def __init__(self, cursor, tables: list[str]) -> None:
        self.cursor = cursor
        self.tables = tables
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        self.foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1",
            [tables],
        )
        self.indexes = cursor.fetchall()

    def drop(self) -> None:
        qn = connection.ops.quote_name
        # Deferred checks of rows written so far (staff, batches) run now: ALTER TABLE refuses pending ones.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in self.foreign_keys:
            self.cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
        for index, _definition in self.indexes:
            self.cursor.execute(f"DROP INDEX {index}")

    def restore_indexes(self) -> None:
        for _index, definition in self.indexes:
            self.cursor.execute(definition)

    def restore_foreign_keys(self) -> None:
        qn = connection.ops.quote_name
        for table, name, definition in self.foreign_keys:
            self.cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
        self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _zipf(n: int, exponent: float = 0.9) -> list[float]:
    return _cumulative(1 / (rank + 1) ** exponent for rank in range(n))


CLINIC_ROOMS = 6
CLINIC_PRACTITIONERS = 12  # with working hours: what the calendar's benchmark shows (docs/benchmarks.md)


def clinic_schedule(staff: Staff) -> Staff:
    """Six treatment rooms and the working hours of twelve practitioners (six physicians, six nurses, the demo
    accounts first): Monday to Saturday 09:00-19:00 as `clinic_slot` books, one physician off on Wednesdays and
    one nurse on Saturdays. Kept if already there (a second load adds none). Written by the ORM: a few rows.
    Returns the staff whose sessions are generated: these twelve treat (the calendar's clinic), the others
    keep their accounts."""
    from treatments.models import Room, WorkingHours

    for i in range(1, CLINIC_ROOMS + 1):
        Room.objects.get_or_create(name=f"Room {i}")
    half = CLINIC_PRACTITIONERS // 2
    chosen = staff.physicians[:half] + staff.nurses[:half]
    treating = dataclasses.replace(staff, physicians=staff.physicians[:half], nurses=staff.nurses[:half])
    if WorkingHours.objects.filter(practitioner_id__in=chosen).exists():
        return treating
    rows = []
    for n, pk in enumerate(chosen):
        off = 2 if n == 1 else 5 if n == half + 1 else None
        rows += [WorkingHours(practitioner_id=pk, weekday=d, starts=dt.time(9), ends=dt.time(19))
                 for d in range(6) if d != off]
    WorkingHours.objects.bulk_create(rows)
    return treating


def clinic_diary(staff: Staff, tz: ZoneInfo) -> Diary:
    """The diary of the practitioners who treat (their working hours) and the clinic's active rooms."""
    from treatments.models import Room, WorkingHours

    treating = [*staff.physicians, *staff.nurses]
    hours: dict[tuple[int, int], int] = defaultdict(int)
    for pk, weekday, starts, ends in WorkingHours.objects.filter(practitioner_id__in=treating).values_list(
        "practitioner_id", "weekday", "starts", "ends"
    ):
        hours[pk, weekday] |= working_quarters(starts, ends)
    rooms = list(Room.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    diary = Diary(hours=dict(hours), practitioners=treating, rooms=rooms, tz=tz)
    # A second load adds to the first: its sessions keep their times.
    for at, minutes, pk, room in Session.objects.values_list(
        "scheduled_at", "duration_minutes", "practitioner_id", "room_id"
    ).iterator(chunk_size=20000):
        diary.take(at, minutes, pk, room)
    return diary


STAFF_NAMES = {
    RECEPTION: [("Selin", "Kaya")] + [(g, f) for g, f in zip(TR_FEMALE[10:16], TR_FAMILY[20:26], strict=True)],
    NURSE: [(g, f) for g, f in zip(TR_FEMALE[16:34], TR_FAMILY[26:44], strict=True)],
    PHYSICIAN: [(f"Dr. {g}", f) for g, f in zip(TR_MALE[:6] + TR_FEMALE[:6], TR_FAMILY[:12], strict=True)],
}


class Command(BaseCommand):
    help = (
        "Load realistic benchmark data into PostgreSQL with COPY: 100,000 patients, ~300,000 screenings, "
        "~500,000 sessions, ~2,000,000 reminders at --scale 1. Not for SQLite."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--patients", type=int, default=FULL_PATIENTS,
                            help=f"patients before scaling (default {FULL_PATIENTS})")
        parser.add_argument("--scale", type=float, default=1.0, help="multiplies --patients (default 1.0)")
        parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same data")
        parser.add_argument("--password", default="",
                            help="password of the reception, nurse, physician and manager accounts; needed to "
                                 "create them, and sets it on them if they exist")
        parser.add_argument("--long-history", type=int, default=None,
                            help="patients with ~200 sessions (default: 1 per 5,000 patients, at least 1)")
        parser.add_argument("--chunk", type=int, default=5000, help="patients per COPY chunk (default 5000)")
        parser.add_argument(
            "--no-set-aside", dest="set_aside", action="store_false",
            help="keep the loaded tables' secondary indexes and foreign keys in place during the load (slower); by "
                 "default they are dropped and put back, validated, in the same transaction",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_load_data writes with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL "
                               f"database (this one is {connection.vendor}).")
        patients = round(options["patients"] * options["scale"])
        if patients < 1:
            raise CommandError("--patients x --scale must be at least 1")
        long_history = options["long_history"]
        if long_history is None:
            long_history = max(1, patients // 5000)
        long_history = min(long_history, patients)
        started = time.perf_counter()
        in_outer_transaction = connection.in_atomic_block
        with transaction.atomic():
            staff = self.staff_accounts(options["password"])
            staff = clinic_schedule(staff)
            generator = Generator(
                patients=patients, seed=options["seed"], staff=staff, long_history=long_history, stdout=self.stdout
            )
            t0 = time.perf_counter()
            generator.make_batches()
            batches_seconds = time.perf_counter() - t0
            self.stdout.write(f"Loading {patients} patients ({long_history} with a long history) into "
                              f"{connection.settings_dict['NAME']} ...")
            with connection.cursor() as cursor:
                # This transaction only: no wait for the WAL flush at the commit, more memory for index builds.
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                names = [t.name for t in generator.tables]
                t0 = time.perf_counter()
                set_aside = SetAside(cursor, names) if options["set_aside"] else None
                if set_aside:
                    set_aside.drop()
                prepare_seconds = time.perf_counter() - t0
                generator.run(cursor, chunk=max(100, options["chunk"]))
                t0 = time.perf_counter()
                if set_aside:
                    set_aside.restore_indexes()
                indexes_seconds = time.perf_counter() - t0
                t0 = time.perf_counter()
                if set_aside:
                    set_aside.restore_foreign_keys()
                fk_seconds = time.perf_counter() - t0
                self.move_sequences(cursor, generator.tables)
        load_seconds = time.perf_counter() - started
        t0 = time.perf_counter()
        analyzed = self.analyze(generator.tables, vacuum=not in_outer_transaction)
        analyze_seconds = time.perf_counter() - t0
        total = time.perf_counter() - started
        self.stdout.write("")
        self.stdout.write(f"{'table':<34} {'rows':>10} {'COPY s':>8}")
        for table in generator.tables:
            self.stdout.write(f"{table.name:<34} {table.count:>10} {table.seconds:>8.1f}")
        self.stdout.write(f"{'(batches, ORM)':<34} {sum(map(len, generator.batches.values())):>10} "
                          f"{batches_seconds:>8.1f}")
        self.stdout.write(f"{'generating rows in Python':<45} {generator.generate_seconds:>8.1f}")
        diary = generator.diary
        self.stdout.write(f"sessions over {generator.past_days} days before today (the clinic's capacity at "
                          f"{OCCUPANCY:.0%}): {diary.placed} placed, {diary.moved} moved from the time wanted, "
                          f"{diary.without_room} without a free room")
        if options["set_aside"]:
            self.stdout.write(f"{'secondary indexes and foreign keys set aside':<45} {prepare_seconds:>8.1f}")
            self.stdout.write(f"{'secondary indexes rebuilt':<45} {indexes_seconds:>8.1f}")
            self.stdout.write(f"{'foreign keys added back and validated':<45} {fk_seconds:>8.1f}")
        self.stdout.write(f"{'load transaction (with commit)':<45} {load_seconds:>8.1f}")
        self.stdout.write(f"{analyzed:<45} {analyze_seconds:>8.1f}")
        self.stdout.write(self.style.SUCCESS(f"{'total':<45} {total:>8.1f} s"))

    def staff_accounts(self, password: str) -> Staff:
        """The four role accounts of seed_demo (reused, or created with --password) and the chain's other staff."""
        user_model = get_user_model()
        groups = {g.name: g for g in Group.objects.all()}
        for _username, _first, _last, role, _is_staff in DEMO_STAFF:
            if role not in groups:
                raise CommandError(f"the group {role!r} is missing: run migrate first")
        for username, first, last, role, is_staff in DEMO_STAFF:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                if not password:
                    raise CommandError(f"the account {username!r} does not exist: give --password to create it")
                user = user_model(username=username, first_name=first, last_name=last, is_staff=is_staff)
            if password:
                try:
                    validate_password(password, user)
                except ValidationError as error:
                    raise CommandError(f"--password: {' '.join(error.messages)}") from error
                user.set_password(password)
            user.save()
            user.groups.add(groups[role])
        unusable = make_password(None)
        ids: dict[str, list[int]] = {}
        main = {role: username for username, _f, _l, role, _s in DEMO_STAFF}
        for role, names in STAFF_NAMES.items():
            slug = role.split()[0].lower()
            wanted = [f"load-{slug}-{i:02d}" for i in range(1, len(names) + 1)]
            existing = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
            new = [
                user_model(username=u, first_name=g, last_name=f, password=unusable)
                for u, (g, f) in zip(wanted, names, strict=True)
                if u not in existing
            ]
            user_model.objects.bulk_create(new)
            users = list(user_model.objects.filter(username__in=[*wanted, main[role]]))
            groups[role].user_set.add(*users)
            ids[role] = sorted(u.pk for u in users)
        return Staff(reception=ids[RECEPTION], nurses=ids[NURSE], physicians=ids[PHYSICIAN])

    def move_sequences(self, cursor, tables: list[Table]) -> None:
        """The identity sequences continue after the ids the load used."""
        for table in tables:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, true)", [table.name, max(table.next_id, 1)]
            )

    def analyze(self, tables: list[Table], *, vacuum: bool) -> str:
        """Fresh planner statistics (and the visibility map, for index-only scans) on the loaded tables."""
        qn = connection.ops.quote_name
        names = [t.name for t in tables] + [Batch._meta.db_table, get_user_model()._meta.db_table]
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {qn(name)}")
        return "VACUUM (ANALYZE)" if vacuum else "ANALYZE (inside a transaction: no VACUUM)"
