"""Search that finds Turkish names, and phone numbers in E.164 (issue 14).

1. `Patient.search_text`: the names and email folded (patients/search.py `fold`: "ŞİMŞEK" -> "simsek"), filled
   for every existing patient. On PostgreSQL a trigram index on it replaces the three on upper(given_name),
   upper(family_name) and upper(email) of migration 0002, which nothing searches any more.
2. The phone and the emergency contact's phone of every patient rewritten in E.164 ("0532 111 22 33" ->
   "+905321112233", in the clinic's PHONE_DEFAULT_REGION) when they parse as a valid number. Numbers that do not
   are left exactly as they were (no data is lost); the migration prints how many, so they can be corrected
   from the patient's edit form, which asks for a valid number. Not in the patients' history: the number is
   the same, only its writing changes. Not reversed: the old writing is not kept (the reverse step only
   leaves the numbers in E.164, which the previous code reads as well).
"""

from django.conf import settings
from django.db import migrations, models

from patients.search import e164, search_text

OLD_INDEXES = {
    "patient_given_name_trgm": "upper(given_name::text) gin_trgm_ops",
    "patient_family_name_trgm": "upper(family_name::text) gin_trgm_ops",
    "patient_email_trgm": "upper(email::text) gin_trgm_ops",
}
BATCH = 2000


def fill(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    region = getattr(settings, "PHONE_DEFAULT_REGION", "TR")
    rows = Patient._base_manager.using(schema_editor.connection.alias).order_by("pk")
    columns = ("pk", "given_name", "family_name", "email", "phone", "emergency_contact_phone")
    changed, kept_as_typed, last = [], 0, 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*columns)[:BATCH])
        if not batch:
            break
        last = batch[-1][0]
        changed = []
        for pk, given, family, email, phone, emergency in batch:
            values = {"search_text": search_text(given_name=given, family_name=family, email=email)}
            for name, number in (("phone", phone), ("emergency_contact_phone", emergency)):
                if number:
                    normalised = e164(number, region=region)
                    kept_as_typed += normalised is None
                    values[name] = normalised or number
            values["phone_digits"] = "".join(ch for ch in values.get("phone", phone) if ch.isdigit())
            changed.append(Patient(pk=pk, **values))
        Patient._base_manager.using(schema_editor.connection.alias).bulk_update(
            changed, ["search_text", "phone", "emergency_contact_phone", "phone_digits"]
        )
    if kept_as_typed:
        print(f"\n  {kept_as_typed} phone numbers are not valid numbers: kept as they were typed.")  # noqa: T201


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS patient_search_text_trgm ON patients_patient "
                          "USING gin (search_text gin_trgm_ops)")
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in OLD_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin ({expression})")
    schema_editor.execute("DROP INDEX IF EXISTS patient_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("patients", "0005_patient_labels")]
    operations = [
        migrations.AddField(
            model_name="patient",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
