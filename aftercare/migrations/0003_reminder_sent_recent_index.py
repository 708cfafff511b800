"""An index for the delivery page (issue 7): the sent reminders by sent time, and only those."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aftercare", "0002_aftercare_content")]

    operations = [
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("status", "sent")), fields=["-sent_at"], name="reminder_sent_recent"
            ),
        ),
    ]
