"""The clinic's catalogue as data (docs/clinical-rules.md, "Treatment areas and courses"): the five
categories with their indications, texts and typical courses; starter products; consent text v1.
All of it is editable by the clinic manager in the admin site."""

import datetime as dt

from django.db import migrations

AREAS = [
    {
        "category": "skin",
        "name": "Skin rejuvenation",
        "staff_description": "Microinjections of vitamins, amino acids, minerals and other nutrients into the dermis "
        "of the face, neck, décolleté or hands, chosen per need, by injection gun or fine needles.",
        "patient_description": "Small injections of nourishing substances into the skin to improve its health, "
        "texture and tone. Mild redness and swelling usually settle within a few days.",
        "typical_sessions": 5,
        "typical_interval_days": 14,
        "course_notes": "4-6 sessions every 2 weeks.",
        "indications": ["Wrinkles", "Cracks", "Sunspots", "Skin spots", "Skin ageing", "Acne scars"],
    },
    {
        "category": "hair",
        "name": "Hair and scalp",
        "staff_description": "Injections into the scalp of the thinning or bald area to support hair growth.",
        "patient_description": "Small injections into the scalp to nourish the hair roots. Results build up over "
        "a course of sessions.",
        "typical_sessions": 12,
        "typical_interval_days": 7,
        "course_notes": "Up to 12 sessions, weekly at first, then every 2-4 weeks.",
        "indications": ["Baldness", "Alopecia / hair loss"],
    },
    {
        "category": "cellulite",
        "name": "Cellulite and localized fat",
        "staff_description": "Injections into the subcutaneous layer of the treated body area.",
        "patient_description": "Injections into the area of cellulite or localized fat. Wear loose clothes "
        "afterwards: tight clothes affect circulation.",
        "typical_sessions": 4,
        "typical_interval_days": 21,
        "course_notes": "3-4 sessions, 3-4 weeks apart.",
        "indications": ["Cellulite", "Regional fattening (localized fat)"],
    },
    {
        "category": "pain",
        "name": "Pain",
        "staff_description": "Local injections at or around the painful area for acute or chronic pain.",
        "patient_description": "Small injections at the painful area to relieve acute or chronic pain.",
        "typical_sessions": 3,
        "typical_interval_days": 7,
        "course_notes": "1-9 sessions, varying with the condition.",
        "indications": [
            "Menstrual pain", "Migraine", "Fibromyalgia", "Cervicobrachial syndrome", "Neuralgia", "Gout",
            "Sports injuries", "Muscle-tendon injuries", "Bursitis", "Myositis", "Painful joint effusions",
        ],
    },
    {
        "category": "vascular",
        "name": "Vascular",
        "staff_description": "Injections for circulatory problems of the legs.",
        "patient_description": "Small injections to support circulation in the treated area.",
        "typical_sessions": 4,
        "typical_interval_days": 14,
        "course_notes": "Set by the physician.",
        "indications": ["Varicose veins / circulatory disorders"],
    },
]

PRODUCTS = [
    ("Revitalising vitamin complex", "vitamins", "Vitamin C\nVitamin B complex\nVitamin A\nVitamin E", True),
    ("Amino acid complex", "amino_acids", "Glycine\nProline\nLysine\nArginine", True),
    ("Mineral complex", "minerals", "Zinc\nCopper\nMagnesium\nSelenium", True),
    ("Hair growth formulation", "cocktail", "Biotin\nPanthenol\nZinc\nAmino acids", True),
    ("Lipolytic formulation", "cocktail", "L-carnitine\nCaffeine\nArtichoke extract", True),
    ("Hyaluronic acid (non-crosslinked)", "nutrients", "Sodium hyaluronate", True),
    ("Lidocaine/prilocaine cream 5%", "anaesthetic", "Lidocaine 2.5%\nPrilocaine 2.5%", False),
]

CONSENT = (
    "1",
    "Informed consent to mesotherapy",
    "I have been told what mesotherapy is: small injections of vitamins, amino acids, minerals and other "
    "nutrients into the skin or scalp, by an injection gun or fine needles, after cleansing and, if I wish, "
    "a local anaesthetic cream.\n\n"
    "I have been told of the possible side effects: redness, swelling, bruising, skin sensitivity, itching or "
    "burning, rash, eruption in very sensitive skin, dark scars, nausea, vomiting, diarrhoea, allergic reactions "
    "and, rarely, infection, which can start 1 to 12 weeks after treatment.\n\n"
    "I have answered the health questionnaire truthfully. I will tell the clinic before each session of any "
    "change in my health or medicines. I will not take aspirin or other blood thinners (unless prescribed, and "
    "then only on my prescriber's advice) or anti-inflammatory drugs before and after the application.\n\n"
    "I have received the aftercare instructions and know how to report a side effect. I may withdraw this "
    "consent at any time.",
)


def load(apps, schema_editor):
    TreatmentArea = apps.get_model("treatments", "TreatmentArea")
    Indication = apps.get_model("treatments", "Indication")
    Product = apps.get_model("treatments", "Product")
    ConsentText = apps.get_model("treatments", "ConsentText")
    for data in AREAS:
        data = dict(data)
        indications = data.pop("indications")
        area = TreatmentArea.objects.create(**data)
        Indication.objects.bulk_create(Indication(area=area, name=name) for name in indications)
    for name, kind, components, patch in PRODUCTS:
        Product.objects.create(name=name, kind=kind, components=components, patch_test_required=patch)
    version, title, body = CONSENT
    ConsentText.objects.create(
        version=version, title=title, body=body, published_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )


def unload(apps, schema_editor):
    for model in ("Indication", "TreatmentArea", "Product", "ConsentText"):
        apps.get_model("treatments", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("treatments", "0001_catalogue_products_patch_tests_sessions")]
    operations = [migrations.RunPython(load, unload)]
