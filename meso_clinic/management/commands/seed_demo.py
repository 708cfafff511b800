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

from meso_clinic.roles import MANAGER, NURSE, PHYSICIAN, RECEPTION
from patients.models import Patient

DEMO_PASSWORD = "meso-demo-2026"  # noqa: S105 - stated in the README; demo databases only

DEMO_STAFF = [
    # username, first name, last name, role, can use the admin site
    ("reception", "Selin", "Kaya", RECEPTION, False),
    ("nurse", "Ayşe", "Demir", NURSE, False),
    ("physician", "Dr. Mehmet", "Yılmaz", PHYSICIAN, False),
    ("manager", "Elif", "Şahin", MANAGER, True),
]

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
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has users."
        )

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
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(DEMO_STAFF)} staff accounts "
                f"({', '.join(u[0] for u in DEMO_STAFF)}; password {DEMO_PASSWORD}) "
                f"and {len(DEMO_PATIENTS)} patients."
            )
        )
