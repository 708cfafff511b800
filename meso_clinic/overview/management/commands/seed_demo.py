"""Demo staff accounts and demo patients, so that a new user can sign in and look around at once.

Demo only: refuses to run unless DEBUG is on, so the well-known demo password never reaches a
production database.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meso_clinic.core.demo_accounts import DEMO_PASSWORD, DEMO_TOTP_KEYS
from meso_clinic.core.roles import MANAGER, NURSE, PHYSICIAN, RECEPTION
from patients import questionnaire
from patients.models import EligibilityScreening, Patient
from patients.services import screening_decide, screening_take
from treatments import availability
from treatments import services as treatment_services
from treatments.models import Batch, ConsentText, Indication, Product, Room, WorkingHours

DEMO_STAFF = [
    # username, first name, last name, role, can use the admin site
    ("reception", "Selin", "Kaya", RECEPTION, False),
    ("nurse", "Ayşe", "Demir", NURSE, False),
    ("physician", "Dr. Mehmet", "Yılmaz", PHYSICIAN, False),
    ("manager", "Elif", "Şahin", MANAGER, True),
]

DEMO_ROOMS = ("Room 1", "Room 2")
# The demo practitioners' week (clinic time): weekdays 09:00-18:00, Saturday mornings.
DEMO_HOURS = [(weekday, dt.time(9), dt.time(18)) for weekday in range(5)] + [(5, dt.time(10), dt.time(14))]

DEMO_PATIENTS = [
    # given, family, date of birth, sex, phone, email, language, consents to email
    ("Zeynep", "Arslan", dt.date(1988, 4, 12), "female", "+90 532 111 2233", "zeynep.arslan@example.com", "tr", True),
    ("Emma", "Clarke", dt.date(1979, 11, 3), "female", "+44 7700 900123", "emma.clarke@example.com", "en", True),
    ("Murat", "Öztürk", dt.date(1992, 7, 21), "male", "+90 533 444 5566", "murat.ozturk@example.com", "tr", True),
    ("Hannah", "Meyer", dt.date(1985, 2, 28), "female", "+49 151 2345 6789", "", "en", False),
    ("Can", "Aydın", dt.date(2000, 2, 29), "male", "+90 542 777 8899", "can.aydin@example.com", "tr", True),
    ("Oliver", "Bennett", dt.date(1969, 9, 30), "male", "+44 7700 900456", "oliver.bennett@example.com", "en", False),
    ("Defne", "Koç", dt.date(1995, 12, 14), "female", "+90 555 123 4567", "defne.koc@example.com", "tr", True),
    ("Sophie", "Laurent", dt.date(1990, 6, 5), "female", "+33 6 12 34 56 78", "sophie.laurent@example.com", "en", True),
    ("Burak", "Çelik", dt.date(1983, 3, 17), "male", "+90 506 987 6543", "", "tr", False),
    ("Leyla", "Yıldız", dt.date(2009, 1, 9), "female", "+90 530 246 8101", "leyla.yildiz@example.com", "tr", False),
]


class Command(BaseCommand):
    help = "Create the demo staff accounts (password in the README) and demo patients. DEBUG only."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has users.")

    @transaction.atomic
    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a published password: DEBUG only.")
        user_model = get_user_model()
        if if_empty and user_model.objects.exists():
            self.stdout.write("Users exist already: demo data not added.")
            return
        for username, first, last, role, is_staff in DEMO_STAFF:
            user, _ = user_model.objects.update_or_create(
                username=username, defaults={"first_name": first, "last_name": last, "is_staff": is_staff}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if username in DEMO_TOTP_KEYS:
                TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEYS[username]).delete()
                TOTPDevice.objects.update_or_create(
                    user=user,
                    key=DEMO_TOTP_KEYS[username],
                    defaults={"name": "Authenticator app (demo key)", "confirmed": True},
                )
        self._schedule()
        for given, family, dob, sex, phone, email, lang, consent in DEMO_PATIENTS:
            Patient.objects.update_or_create(
                given_name=given,
                family_name=family,
                date_of_birth=dob,
                defaults={
                    "sex": sex,
                    "phone": phone,
                    "email": email,
                    "preferred_language": lang,
                    "email_consent": consent,
                },
            )
        if not EligibilityScreening.objects.exists():
            self._clinical_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(DEMO_STAFF)} staff accounts "
                f"({', '.join(u[0] for u in DEMO_STAFF)}; password {DEMO_PASSWORD}) "
                f"and {len(DEMO_PATIENTS)} patients. The codes of physician and manager: "
                "manage.py demo_code physician (or manager)."
            )
        )

    def _schedule(self) -> None:
        """Treatment rooms, and working hours for the nurse and the physician (kept if they have some already)."""
        for name in DEMO_ROOMS:
            Room.objects.get_or_create(name=name)
        for person in get_user_model().objects.filter(username__in=["nurse", "physician"]):
            if not WorkingHours.objects.filter(practitioner=person).exists():
                WorkingHours.objects.bulk_create(
                    WorkingHours(practitioner=person, weekday=d, starts=starts, ends=ends)
                    for d, starts, ends in DEMO_HOURS
                )

    def _clinical_demo(self) -> None:
        """A clinic in mid-week: approvals, a screening to review, patch tests, a course, today's sessions."""
        users = get_user_model().objects
        reception, nurse, physician = (users.get(username=u) for u in ("reception", "nurse", "physician"))
        now = timezone.now()
        today = timezone.localdate()
        products = {p.name: p for p in Product.objects.all()}
        vitamins = products["Revitalising vitamin complex"]
        hair = products["Hair growth formulation"]
        for product, lot, months in [(vitamins, "VC-2611-A", 9), (vitamins, "VC-2504-X", -1), (hair, "HG-2609-B", 12)]:
            Batch.objects.get_or_create(
                product=product, lot_number=lot, defaults={"expiry_date": today + dt.timedelta(days=30 * months)}
            )
        no = {q.key: False for q in questionnaire.all_questions() if q.kind == "yes_no"}
        patients = {p.given_name: p for p in Patient.objects.all()}

        def approved(patient, days_ago, **answers):
            at = now - dt.timedelta(days=days_ago)
            screening = screening_take(patient=patient, answers={**no, **answers}, taken_by=reception, at=at)
            screening_decide(
                screening=screening,
                decision="approved",
                reason="No contraindication found.",
                decided_by=physician,
                at=at + dt.timedelta(hours=1),
            )

        def patch(patient, product, hours_ago, read=True):
            applied = now - dt.timedelta(hours=hours_ago)
            test = treatment_services.patch_test_apply(
                patient=patient,
                products=[product],
                site="Inner left forearm",
                applied_by=nurse,
                applied_at=applied,
                now=applied,
            )
            if read:
                treatment_services.patch_test_read(
                    test=test, result="no_reaction", read_by=nurse, read_at=applied + dt.timedelta(hours=25)
                )

        consent_text = ConsentText.objects.order_by("-published_at").first()
        if consent_text is None:
            raise CommandError("no consent text (did the data migrations run?)")
        skin = Indication.objects.get(area__category="skin", name="Skin ageing")
        hair_loss = Indication.objects.get(area__category="hair", name="Alopecia / hair loss")
        # Zeynep and Emma: approved, negative patch test, consent: ready for today's sessions.
        for slot, (name, product, indication, hour) in enumerate(
            [("Zeynep", vitamins, skin, 11), ("Emma", hair, hair_loss, 14)]
        ):
            patient = patients[name]
            approved(patient, days_ago=10)
            patch(patient, product, hours_ago=24 * 5)
            course = treatment_services.course_create(
                patient=patient,
                indication=indication,
                planned_sessions=indication.area.typical_sessions,
                interval_days=indication.area.typical_interval_days,
                created_by=reception,
            )
            treatment_services.consent_record(
                patient=patient,
                text=consent_text,
                course=course,
                recorded_by=reception,
                consented_at=now - dt.timedelta(days=5),
            )
            soon = timezone.localtime(now + dt.timedelta(minutes=5 + 90 * slot)).replace(second=0, microsecond=0)
            soon += dt.timedelta(minutes=-soon.minute % 15)  # on the quarter hour, as the calendar offers
            wanted = max(timezone.localtime(now).replace(hour=hour, minute=0, second=0, microsecond=0), soon)
            room = Room.objects.get(name=DEMO_ROOMS[slot])
            # Within the physician's hours: late in the day or on a Sunday, the next free time (the next working day).
            answer = availability.slot_answer(
                start=wanted, minutes=45, practitioner_id=physician.pk, room_id=room.pk, patient_id=patient.pk, now=now
            )
            treatment_services.session_book(
                patient=patient,
                course=course,
                indication=indication,
                products=[product],
                technique="needles",
                practitioner=physician,
                supervising_physician=physician,
                scheduled_at=wanted if answer.check.free else answer.nearest[0],
                room=room,
                booked_by=reception,
                now=now,
            )
        # Murat: approved but his patch test was applied this morning: not ready until tomorrow.
        approved(patients["Murat"], days_ago=2, takes_nsaid=True, nsaid_name="ibuprofen, occasionally")
        patch(patients["Murat"], vitamins, hours_ago=3, read=False)
        # Oliver takes warfarin: his screening waits for a physician's review.
        screening_take(
            patient=patients["Oliver"],
            answers={
                **no,
                "takes_blood_thinner": True,
                "blood_thinner_name": "warfarin 5 mg",
                "blood_thinner_prescribed": True,
            },
            taken_by=reception,
            at=now - dt.timedelta(hours=20),
        )
        # Leyla is 17: a hard stop.
        screening_take(patient=patients["Leyla"], answers=no, taken_by=reception, at=now - dt.timedelta(days=1))
