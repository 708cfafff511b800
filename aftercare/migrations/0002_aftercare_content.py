"""The clinic's aftercare texts as data (docs/clinical-rules.md), in English and Turkish:
one plan per treatment area with the default timeline, and the words of each reminder.
Editable by the clinic manager; edits apply to reminders not yet sent."""

from django.db import migrations

INSTRUCTIONS_EN = """Do not let water touch the treated area for the first 10-15 hours.
Do not put make-up on the area for the first 10-15 hours.
Do not wear tight clothes (such as skinny jeans) on the treated areas: they affect circulation.
Do not exert yourself for the first two days: rest, and avoid strenuous activity and exercise.
Do not take aspirin or other blood thinners, or anti-inflammatory painkillers, after the application. Never stop a prescribed medicine without your prescriber's advice.
Protect the area from direct sunlight and use the creams recommended to you.
Drink more fluids.
Eat healthily; avoid alcohol, caffeine, smoking and high-protein foods.
Against swelling, bruising and redness, apply something cold: a cold chamomile tea compress or a cold gel.
Do not scratch, press or touch the area; wash your hands before touching it.
Mild redness and swelling are expected and settle in the first few days; full recovery can take a few weeks.
Report any unusual reaction at once, and follow all your physician's advice."""

INSTRUCTIONS_TR = """İlk 10-15 saat boyunca uygulama bölgesine su değdirmeyin.
İlk 10-15 saat boyunca bölgeye makyaj yapmayın.
Uygulanan bölgelerde dar kıyafetler (örneğin dar kot pantolon) giymeyin: kan dolaşımını etkiler.
İlk iki gün kendinizi fiziksel olarak zorlamayın: dinlenin, aşırı aktivite ve egzersizden kaçının.
Uygulamadan sonra aspirin veya başka kan sulandırıcılar ve iltihap giderici ağrı kesiciler kullanmayın. Reçeteyle kullandığınız bir ilacı doktorunuza danışmadan asla bırakmayın.
Bölgeyi doğrudan güneş ışığından koruyun ve size önerilen kremleri kullanın.
Daha fazla sıvı tüketin.
Sağlıklı beslenin; alkol, kafein, sigara ve yüksek proteinli yiyeceklerden kaçının.
Şişlik, morarma ve kızarıklığa karşı soğuk uygulama yapın: soğuk papatya çayı kompresi veya soğuk jel.
Bölgeyi kaşımayın, bastırmayın ve dokunmayın; dokunmadan önce ellerinizi yıkayın.
Hafif kızarıklık ve şişlik beklenir ve ilk birkaç günde geçer; tam iyileşme birkaç hafta sürebilir.
Olağan dışı bir tepkiyi hemen bildirin ve doktorunuzun tüm önerilerine uyun."""

# kind: (days, hours) after the session
TIMELINE = {
    "aftercare_sheet": (0, 0),
    "wash_makeup_ok": (0, 15),
    "check_in_day1": (1, 0),
    "rest_over": (0, 48),
    "check_in_day3": (3, 0),
    "recovery_review": (14, 0),
}

MESSAGES = {
    "aftercare_sheet": (
        ("Your aftercare instructions",
         "Thank you for your visit today. Please follow these instructions in the coming days.\n\n"
         "Mild redness and swelling are normal and settle in the first few days."),
        ("Bakım talimatlarınız",
         "Bugünkü ziyaretiniz için teşekkür ederiz. Lütfen önümüzdeki günlerde bu talimatlara uyun.\n\n"
         "Hafif kızarıklık ve şişlik normaldir ve ilk birkaç günde geçer."),
    ),
    "wash_makeup_ok": (
        ("You can wash the area again",
         "The first 10 to 15 hours after your session are over. You may now let water touch the treated area "
         "and use make-up again.\n\nBe gentle: do not scratch or rub the area."),
        ("Bölgeyi artık yıkayabilirsiniz",
         "Seansınızdan sonraki ilk 10-15 saat geride kaldı. Artık uygulama bölgesine su değdirebilir ve yeniden "
         "makyaj yapabilirsiniz.\n\nNazik olun: bölgeyi kaşımayın ve ovmayın."),
    ),
    "check_in_day1": (
        ("How are you feeling today?",
         "It is one day since your session. Mild redness, swelling, small bruises or tenderness at the area are "
         "normal. Keep resting, drink plenty of fluids and use a cold compress if needed.\n\n"
         "If anything worries you, tell us through the link below."),
        ("Bugün nasıl hissediyorsunuz?",
         "Seansınızın üzerinden bir gün geçti. Bölgede hafif kızarıklık, şişlik, küçük morluklar veya hassasiyet "
         "normaldir. Dinlenmeye devam edin, bol sıvı tüketin ve gerekirse soğuk kompres uygulayın.\n\n"
         "Sizi endişelendiren bir şey olursa aşağıdaki bağlantıdan bize bildirin."),
    ),
    "rest_over": (
        ("Your two days of rest are over",
         "You may go back to your normal activities and exercise. Keep protecting the area from direct sunlight, "
         "and still avoid tight clothes on the treated area."),
        ("İki günlük dinlenme süreniz tamamlandı",
         "Normal aktivitelerinize ve egzersize dönebilirsiniz. Bölgeyi doğrudan güneş ışığından korumaya devam "
         "edin ve uygulanan bölgede hâlâ dar kıyafetlerden kaçının."),
    ),
    "check_in_day3": (
        ("A check-in three days after your session",
         "Redness and swelling should be settling by now. If they are getting worse or spreading, or the area is "
         "warm or painful, tell us at once."),
        ("Seansınızdan üç gün sonra kısa bir kontrol",
         "Kızarıklık ve şişlik artık azalıyor olmalı. Artıyor veya yayılıyorsa ya da bölge sıcak veya ağrılıysa "
         "bize hemen bildirin."),
    ),
    "recovery_review": (
        ("How is your recovery going?",
         "Two weeks have passed since your session. Full recovery can take a few weeks. Infections are rare but "
         "can start weeks after a treatment: tell us about any lump, pus or redness.\n\n"
         "If you are in a course of sessions, we look forward to seeing you at your next one."),
        ("İyileşmeniz nasıl gidiyor?",
         "Seansınızın üzerinden iki hafta geçti. Tam iyileşme birkaç hafta sürebilir. Enfeksiyon nadirdir ancak "
         "uygulamadan haftalar sonra da başlayabilir: herhangi bir şişlik, iltihap veya kızarıklığı bize "
         "bildirin.\n\nSeans kürü içindeyseniz bir sonraki seansınızda görüşmek üzere."),
    ),
    "pre_session": (
        ("Preparing for your session",
         "Your mesotherapy session is coming up. Before it, please:\n\n"
         "Do not take aspirin or other blood thinners, or anti-inflammatory painkillers such as ibuprofen. If a "
         "doctor prescribed one, never stop it without your prescriber's advice, and tell us about it.\n\n"
         "Eat healthily, and avoid alcohol, caffeine, smoking and high-protein foods.\n\n"
         "Tell us before the session if your health or medicines have changed."),
        ("Seansınıza hazırlık",
         "Mezoterapi seansınız yaklaşıyor. Seanstan önce lütfen:\n\n"
         "Aspirin veya başka kan sulandırıcılar ve ibuprofen gibi iltihap giderici ağrı kesiciler kullanmayın. "
         "Reçeteyle kullandığınız bir ilacı doktorunuza danışmadan asla bırakmayın ve bize bildirin.\n\n"
         "Sağlıklı beslenin; alkol, kafein, sigara ve yüksek proteinli yiyeceklerden kaçının.\n\n"
         "Sağlığınızda veya ilaçlarınızda bir değişiklik olduysa seanstan önce bize bildirin."),
    ),
}


def load(apps, schema_editor):
    TreatmentArea = apps.get_model("treatments", "TreatmentArea")
    AftercarePlan = apps.get_model("aftercare", "AftercarePlan")
    AftercareStep = apps.get_model("aftercare", "AftercareStep")
    ReminderMessage = apps.get_model("aftercare", "ReminderMessage")
    for area in TreatmentArea.objects.all():
        plan = AftercarePlan.objects.create(area=area, instructions_en=INSTRUCTIONS_EN, instructions_tr=INSTRUCTIONS_TR)
        AftercareStep.objects.bulk_create(
            AftercareStep(plan=plan, kind=kind, days=days, hours=hours) for kind, (days, hours) in TIMELINE.items()
        )
    for kind, ((subject_en, body_en), (subject_tr, body_tr)) in MESSAGES.items():
        ReminderMessage.objects.create(kind=kind, language="en", subject=subject_en, body=body_en)
        ReminderMessage.objects.create(kind=kind, language="tr", subject=subject_tr, body=body_tr)


def unload(apps, schema_editor):
    apps.get_model("aftercare", "ReminderMessage").objects.all().delete()
    apps.get_model("aftercare", "AftercarePlan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aftercare", "0001_plans_reminders_reports"),
        ("treatments", "0002_catalogue_data"),
    ]
    operations = [migrations.RunPython(load, unload)]
