"""Turkish translations of the patient-facing texts (emails, report and unsubscribe pages).

Run after `manage.py makemessages -l tr` to fill in what is known here, then `compilemessages`:
    .venv/bin/python scripts/translations_tr.py && .venv/bin/python manage.py compilemessages -l tr
Needs `polib` (pip install polib); the app itself does not.
"""

from pathlib import Path

import polib

TR = {
    "English": "İngilizce",
    "Turkish": "Türkçe",
    "What do you notice?": "Ne fark ediyorsunuz?",
    "Do you have any of these?": "Bunlardan herhangi biri var mı?",
    "How bad is it?": "Ne kadar şiddetli?",
    "Tell us more (optional)": "Biraz daha anlatın (isteğe bağlı)",
    "Where on the treated area, since when, and whether it is getting better or worse.":
        "Uygulama bölgesinin neresinde, ne zamandan beri ve iyiye mi kötüye mi gidiyor.",
    "A photo of the area (optional)": "Bölgenin bir fotoğrafı (isteğe bağlı)",
    "A JPEG or PNG picture, up to 5 MB.": "En fazla 5 MB, JPEG veya PNG bir fotoğraf.",
    "This photo is too large (%(size)s MB). Please send one of up to %(limit)s MB.":
        "Bu fotoğraf çok büyük (%(size)s MB). Lütfen en fazla %(limit)s MB bir fotoğraf gönderin.",
    "This file is not a picture. Please send a JPEG or PNG photo.":
        "Bu dosya bir fotoğraf değil. Lütfen JPEG veya PNG bir fotoğraf gönderin.",
    "Please send a JPEG or PNG photo.": "Lütfen JPEG veya PNG bir fotoğraf gönderin.",
    "Tick what you notice, or describe it in a few words.":
        "Fark ettiklerinizi işaretleyin ya da birkaç kelimeyle anlatın.",
    "Mild: noticeable, does not bother me much": "Hafif: fark ediliyor, pek rahatsız etmiyor",
    "Moderate: bothers me, but I can go about my day": "Orta: rahatsız ediyor ama günlük işlerimi yapabiliyorum",
    "Severe: painful or worrying": "Şiddetli: ağrılı veya endişe verici",
    "Redness": "Kızarıklık",
    "Swelling": "Şişlik",
    "Bruising": "Morarma",
    "Itching or burning": "Kaşıntı veya yanma",
    "Skin sensitivity": "Ciltte hassasiyet",
    "Rash or eruption": "Döküntü veya kabarıklık",
    "Dark marks or scars": "Koyu lekeler veya izler",
    "Nausea": "Bulantı",
    "Vomiting": "Kusma",
    "Diarrhoea": "İshal",
    "Something else": "Başka bir şey",
    "Redness or warmth that is spreading, or still there after 3 days":
        "Yayılan ya da 3 gün sonra hâlâ devam eden kızarıklık veya sıcaklık",
    "Pus or fluid coming from the area": "Bölgeden iltihap veya sıvı gelmesi",
    "Fever or chills": "Ateş veya titreme",
    "Lumps or hard nodules under the skin": "Cilt altında şişlikler veya sert yumrular",
    "Difficulty breathing, or swelling of the face, lips or throat":
        "Nefes almada güçlük ya da yüzde, dudaklarda veya boğazda şişlik",
    "Link not valid": "Bağlantı geçersiz",
    "This link has expired": "Bu bağlantının süresi doldu",
    "This link is not valid": "Bu bağlantı geçerli değil",
    "Please call the clinic on %(phone)s and tell us what you notice.":
        "Lütfen kliniği %(phone)s numaradan arayın ve fark ettiklerinizi anlatın.",
    "Report a side effect": "Yan etki bildirin",
    "About your session on %(when)s. Your report goes to the clinic's staff and physician.":
        "%(when)s tarihli seansınız hakkında. Bildiriminiz kliniğin personeline ve doktoruna iletilir.",
    "If you have trouble breathing, or swelling of the face, lips or throat, call emergency services (112) now. "
    "For other urgent worries call the clinic on %(phone)s.":
        "Nefes almakta güçlük çekiyorsanız ya da yüzünüzde, dudaklarınızda veya boğazınızda şişlik varsa hemen "
        "acil servisi (112) arayın. Diğer acil endişeleriniz için kliniği %(phone)s numaradan arayın.",
    "Please check the answers marked below.": "Lütfen aşağıda işaretlenen yanıtları kontrol edin.",
    "Send my report": "Bildirimimi gönder",
    "Thank you": "Teşekkürler",
    "Please call the clinic now": "Lütfen şimdi kliniği arayın",
    "What you describe needs a physician's attention today. A physician has been told.":
        "Anlattıklarınız bugün bir doktorun ilgilenmesini gerektiriyor. Doktora haber verildi.",
    "Call %(phone)s": "%(phone)s numarayı arayın",
    "If you have trouble breathing, call 112.": "Nefes almakta güçlük çekiyorsanız 112'yi arayın.",
    "Thank you, we have your report": "Teşekkürler, bildiriminizi aldık",
    "The clinic's staff will look at it. If it gets worse, call us on %(phone)s.":
        "Kliniğin personeli inceleyecek. Kötüleşirse bizi %(phone)s numaradan arayın.",
    "Stop receiving emails": "E-postaları durdurun",
    "You will not receive our aftercare emails any more.": "Artık bakım e-postalarımızı almayacaksınız.",
    "To receive them again, tell the clinic at your next visit or call %(phone)s.":
        "Yeniden almak için bir sonraki ziyaretinizde kliniğe söyleyin veya %(phone)s numarayı arayın.",
    "Stop receiving aftercare emails?": "Bakım e-postaları durdurulsun mu?",
    "You will no longer receive aftercare instructions and reminders by email.":
        "Bakım talimatlarını ve hatırlatmaları artık e-postayla almayacaksınız.",
    "Yes, stop the emails": "Evet, e-postaları durdur",
    "Hello %(name)s,": "Merhaba %(name)s,",
    "Your aftercare instructions:": "Bakım talimatlarınız:",
    "Your session: %(when)s.": "Seansınız: %(when)s.",
    "If you have a fever, pus, redness or warmth that is spreading, lumps under the skin or difficulty "
    "breathing, call us at once on %(phone)s.":
        "Ateşiniz, iltihabınız, yayılan kızarıklık veya sıcaklığınız, cilt altında şişlikleriniz ya da nefes "
        "darlığınız varsa bizi hemen %(phone)s numaradan arayın.",
    "Stop receiving these emails": "Bu e-postaları almayı durdurun",
    "Stop receiving these emails:": "Bu e-postaları almayı durdurun:",
    "Report a side effect (no password needed):": "Yan etki bildirin (şifre gerekmez):",
}

po_path = Path(__file__).resolve().parent.parent / "locale" / "tr" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(po_path))
po.metadata["Language"] = "tr"
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
filled = 0
for entry in po:
    if entry.msgid in TR:
        entry.msgstr = TR[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save()
missing = [m for m in TR if not po.find(m)]
print(f"filled {filled} entries; translations with no msgid: {len(missing)}")
for m in missing:
    print("  not in catalogue:", m[:70])
