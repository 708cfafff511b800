"""Trigram indexes so that substring search (`icontains`) of the registry stays fast at 100,000+
patients on PostgreSQL. SQLite (development) has no such index type and scans instead."""

from django.db import migrations

INDEXES = {
    "patient_given_name_trgm": "upper(given_name::text) gin_trgm_ops",
    "patient_family_name_trgm": "upper(family_name::text) gin_trgm_ops",
    "patient_email_trgm": "upper(email::text) gin_trgm_ops",
    "patient_phone_digits_trgm": "(phone_digits::text) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
