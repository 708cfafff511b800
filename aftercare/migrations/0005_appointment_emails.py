"""The emails about an appointment (issue 14): the booking confirmation, a moved session and a cancelled one,
each with the session's calendar entry; a per-send number on reminders (Message-ID, the entry's SEQUENCE).
Their words are data, in English and Turkish, editable by the clinic manager like the aftercare texts."""

from django.db import migrations, models

# kind: ((subject, body) in English, (subject, body) in Turkish). No patient data in subjects (lock screens).
MESSAGES = {
    "booking_confirmed": (
        ("Your session is booked",
         "Thank you for booking with us. The date and time of your mesotherapy session are below; the attached "
         "calendar entry adds it to your calendar.\n\n"
         "A few days before the session we will email you how to prepare for it."),
        ("Seansınız ayarlandı",
         "Randevunuz için teşekkür ederiz. Mezoterapi seansınızın tarihi ve saati aşağıdadır; ekteki takvim "
         "kaydı seansı takviminize ekler.\n\n"
         "Seanstan birkaç gün önce nasıl hazırlanacağınızı size e-postayla bildireceğiz."),
    ),
    "session_moved": (
        ("Your session has a new time",
         "Your mesotherapy session has been moved. The new date and time are below; the attached calendar entry "
         "updates the one in your calendar."),
        ("Seansınızın saati değişti",
         "Mezoterapi seansınızın zamanı değiştirildi. Yeni tarih ve saat aşağıdadır; ekteki takvim kaydı "
         "takviminizdeki kaydı günceller."),
    ),
    "session_cancelled": (
        ("Your session is cancelled",
         "Your mesotherapy session below has been cancelled. The attached calendar entry removes it from your "
         "calendar.\n\n"
         "To book a new time, call us: the number is below."),
        ("Seansınız iptal edildi",
         "Aşağıdaki mezoterapi seansınız iptal edildi. Ekteki takvim kaydı seansı takviminizden kaldırır.\n\n"
         "Yeni bir zaman için bizi arayın: numaramız aşağıdadır."),
    ),
}


def load(apps, schema_editor):
    ReminderMessage = apps.get_model("aftercare", "ReminderMessage")
    for kind, ((subject_en, body_en), (subject_tr, body_tr)) in MESSAGES.items():
        ReminderMessage.objects.get_or_create(kind=kind, language="en", defaults={"subject": subject_en, "body": body_en})
        ReminderMessage.objects.get_or_create(kind=kind, language="tr", defaults={"subject": subject_tr, "body": body_tr})


def unload(apps, schema_editor):
    apps.get_model("aftercare", "ReminderMessage").objects.filter(kind__in=list(MESSAGES)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('aftercare', '0004_catalogue_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='reminder',
            name='sequence',
            field=models.PositiveSmallIntegerField(default=0, help_text='Bumped each time the row is pending again.', verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='aftercarestep',
            name='kind',
            field=models.CharField(choices=[('aftercare_sheet', 'Aftercare sheet'), ('wash_makeup_ok', 'Washing and make-up allowed again'), ('check_in_day1', 'Day 1 check-in'), ('rest_over', 'Two-day rest over'), ('check_in_day3', 'Day 3 check-in'), ('recovery_review', 'Recovery review'), ('pre_session', 'Pre-session instructions'), ('booking_confirmed', 'Booking confirmation'), ('session_moved', 'Session moved'), ('session_cancelled', 'Session cancelled')], max_length=20, verbose_name='email'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(choices=[('aftercare_sheet', 'Aftercare sheet'), ('wash_makeup_ok', 'Washing and make-up allowed again'), ('check_in_day1', 'Day 1 check-in'), ('rest_over', 'Two-day rest over'), ('check_in_day3', 'Day 3 check-in'), ('recovery_review', 'Recovery review'), ('pre_session', 'Pre-session instructions'), ('booking_confirmed', 'Booking confirmation'), ('session_moved', 'Session moved'), ('session_cancelled', 'Session cancelled')], max_length=20),
        ),
        migrations.AlterField(
            model_name='remindermessage',
            name='kind',
            field=models.CharField(choices=[('aftercare_sheet', 'Aftercare sheet'), ('wash_makeup_ok', 'Washing and make-up allowed again'), ('check_in_day1', 'Day 1 check-in'), ('rest_over', 'Two-day rest over'), ('check_in_day3', 'Day 3 check-in'), ('recovery_review', 'Recovery review'), ('pre_session', 'Pre-session instructions'), ('booking_confirmed', 'Booking confirmation'), ('session_moved', 'Session moved'), ('session_cancelled', 'Session cancelled')], max_length=20, verbose_name='email'),
        ),
        migrations.RunPython(load, unload),
    ]
