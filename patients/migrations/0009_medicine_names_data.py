"""The lists of blood thinners and NSAIDs that the intake's free-text answers are read for (issue 15), as data the
clinic manager extends in the admin site (patients.MedicineName).

Generic names in English (the INN, and the US spelling where patients meet it), in Turkish (the spelling of the
Turkish leaflets: "varfarin", "diklofenak") and brand names sold in Turkey or the United Kingdom, each checked
against its active substance. A brand of two words is listed by its first ("Fastum" for Fastum Gel, "Etol" for
Etol Fort). Paracetamol and metamizole are not NSAIDs in this sense and are not listed.
"""

from django.db import migrations

BLOOD_THINNER, NSAID = "blood_thinner", "nsaid"

# generic (English) -> kind, names (generics first, then brands)
NAMES: list[tuple[str, str, tuple[str, ...]]] = [
    # Antiplatelets
    ("aspirin", BLOOD_THINNER,
     ("aspirin", "acetylsalicylic", "asetilsalisilik", "Coraspin", "Ecopirin", "Disprin", "Micropirin")),
    ("clopidogrel", BLOOD_THINNER, ("clopidogrel", "klopidogrel", "Plavix")),
    ("prasugrel", BLOOD_THINNER, ("prasugrel", "Efient")),
    ("ticagrelor", BLOOD_THINNER, ("ticagrelor", "tikagrelor", "Brilique", "Brilinta")),
    ("dipyridamole", BLOOD_THINNER, ("dipyridamole", "dipiridamol", "Persantin")),
    ("dipyridamole with aspirin", BLOOD_THINNER, ("Asasantin",)),
    ("cilostazol", BLOOD_THINNER, ("cilostazol", "silostazol", "Pletal")),
    ("ticlopidine", BLOOD_THINNER, ("ticlopidine", "tiklopidin")),
    # Anticoagulants
    ("warfarin", BLOOD_THINNER, ("warfarin", "varfarin", "Coumadin", "Marevan")),
    ("acenocoumarol", BLOOD_THINNER, ("acenocoumarol", "asenokumarol", "Sintrom", "Sinthrome")),
    ("phenindione", BLOOD_THINNER, ("phenindione",)),
    ("heparin", BLOOD_THINNER, ("heparin",)),
    ("enoxaparin", BLOOD_THINNER, ("enoxaparin", "enoksaparin", "Clexane", "Inhixa")),
    ("dalteparin", BLOOD_THINNER, ("dalteparin", "Fragmin")),
    ("tinzaparin", BLOOD_THINNER, ("tinzaparin", "Innohep")),
    ("nadroparin", BLOOD_THINNER, ("nadroparin", "Fraxiparine")),
    ("fondaparinux", BLOOD_THINNER, ("fondaparinux", "fondaparinuks", "Arixtra")),
    ("apixaban", BLOOD_THINNER, ("apixaban", "apiksaban", "Eliquis")),
    ("rivaroxaban", BLOOD_THINNER, ("rivaroxaban", "rivaroksaban", "Xarelto")),
    ("dabigatran", BLOOD_THINNER, ("dabigatran", "Pradaxa")),
    ("edoxaban", BLOOD_THINNER, ("edoxaban", "edoksaban", "Lixiana")),
    # NSAIDs
    ("ibuprofen", NSAID, ("ibuprofen", "Nurofen", "Brufen", "Advil", "Pedifen", "Fenbid", "Calprofen", "Dolgit")),
    ("naproxen", NSAID, ("naproxen", "naproksen", "Naprosyn", "Apranax", "Synflex")),
    ("diclofenac", NSAID,
     ("diclofenac", "diklofenak", "Voltaren", "Voltarol", "Cataflam", "Dolorex", "Dikloron", "Diclomax", "Arthrotec")),
    ("ketoprofen", NSAID, ("ketoprofen", "Profenid", "Fastum", "Oruvail", "Powergel")),
    ("dexketoprofen", NSAID, ("dexketoprofen", "deksketoprofen", "Arveles", "Keral")),
    ("flurbiprofen", NSAID, ("flurbiprofen", "Majezik", "Strefen", "Froben")),
    ("meloxicam", NSAID, ("meloxicam", "meloksikam", "Mobic")),
    ("etodolac", NSAID, ("etodolac", "etodolak", "Etol")),
    ("indometacin", NSAID, ("indometacin", "indomethacin", "indometazin", "Indocid")),
    ("celecoxib", NSAID, ("celecoxib", "selekoksib", "Celebrex")),
    ("etoricoxib", NSAID, ("etoricoxib", "etorikoksib", "Arcoxia")),
    ("nimesulide", NSAID, ("nimesulide", "nimesulid")),
    ("mefenamic acid", NSAID, ("mefenamic", "mefenamik", "Ponstan")),
    ("piroxicam", NSAID, ("piroxicam", "piroksikam", "Feldene")),
    ("tenoxicam", NSAID, ("tenoxicam", "tenoksikam", "Tilcotil")),
    ("lornoxicam", NSAID, ("lornoxicam", "lornoksikam", "Xefo")),
    ("aceclofenac", NSAID, ("aceclofenac", "aseklofenak", "Preservex")),
]


def load(apps, schema_editor):
    MedicineName = apps.get_model("patients", "MedicineName")
    MedicineName.objects.bulk_create(
        MedicineName(name=name, kind=kind, generic=generic) for generic, kind, names in NAMES for name in names
    )


def unload(apps, schema_editor):
    apps.get_model("patients", "MedicineName").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_medicine_names_and_screening_medicines_named")]
    operations = [migrations.RunPython(load, unload)]
