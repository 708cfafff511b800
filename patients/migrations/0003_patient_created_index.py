"""An index for the dashboard's "registered this week" (issue 7)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_patient_search_trigram_indexes")]

    operations = [
        migrations.AddIndex(model_name="patient", index=models.Index(fields=["created_at"], name="patient_created")),
    ]
