"""Turkish translations of every text of the app: the patient-facing pages and emails (report and
unsubscribe pages, reminder emails) and the whole staff interface (pages, forms, messages, the
intake questionnaire, eligibility and readiness reasons, patch-test rules).

After changing a marked text, refresh the catalogue, fill it from here and compile it (the .mo is
committed; tests/test_translations.py fails while any text is untranslated):
    .venv/bin/python manage.py makemessages -l tr --no-obsolete -i .venv -i node_modules
    .venv/bin/python scripts/translations_tr.py
    .venv/bin/python manage.py compilemessages -l tr
Needs `polib` (a test dependency); the app itself does not.
"""

from pathlib import Path

import polib

TR = {
    # The "show all" pages of a patient's sessions and emails (issue 7).
    "All sessions": "Tüm seanslar",
    "All emails": "Tüm e-postalar",
    "Sessions of %(name)s": "%(name)s: tüm seanslar",
    "Sessions %(first)s to %(last)s of %(count)s, newest first.":
        "%(count)s seanstan %(first)s-%(last)s arası, en yeniden eskiye.",
    "Aftercare emails of %(name)s": "%(name)s: bakım e-postaları",
    "Emails %(first)s to %(last)s of %(count)s, newest first.":
        "%(count)s e-postadan %(first)s-%(last)s arası, en yeniden eskiye.",
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
    # Staff pages: Aftercare staff pages, sign-in, two-factor sign-in and lockout.
    "What was done": "Yapılanlar",
    "E.g. called the patient, advice given, follow-up booked.":
        "Örn. hasta arandı, öneride bulunuldu, kontrol randevusu verildi.",
    "Pending": "Bekliyor",
    "Sending": "Gönderiliyor",
    "Sent": "Gönderildi",
    "Failed": "Başarısız",
    "Cancelled": "İptal edildi",
    "Open": "Açık",
    "Closed": "Kapatıldı",
    "Aftercare sheet": "Bakım talimatları formu",
    "Washing and make-up allowed again": "Yıkama ve makyaj yeniden serbest",
    "Day 1 check-in": "1. gün kontrolü",
    "Two-day rest over": "İki günlük dinlenme sona erdi",
    "Day 3 check-in": "3. gün kontrolü",
    "Recovery review": "İyileşme değerlendirmesi",
    "Pre-session instructions": "Seans öncesi talimatlar",
    "The session took place.": "Seans yapıldı.",
    "Removed from the aftercare plan.": "Bakım planından çıkarıldı.",
    "The patient has not consented to emails (or has no address).":
        "Hasta e-postalara onay vermedi (ya da e-posta adresi yok).",
    "The patient unsubscribed.": "Hasta e-posta aboneliğinden çıktı.",
    "The reminder will be sent again within a minute.": "Hatırlatma bir dakika içinde yeniden gönderilecek.",
    "Only a failed reminder can be sent again.": "Yalnızca başarısız olan bir hatırlatma yeniden gönderilebilir.",
    "Report closed.": "Bildirim kapatıldı.",
    "This report was already closed.": "Bu bildirim zaten kapatılmış.",
    "Aftercare emails": "Bakım e-postaları",
    "Due now": "Gönderim zamanı gelen",
    "Scheduled (not yet due)": "Planlanan (henüz zamanı gelmedi)",
    "Sent in the last 24 h": "Son 24 saatte gönderilen",
    "Patient": "Hasta",
    "Email": "E-posta",
    "Attempts": "Deneme",
    "Action": "İşlem",
    "due %(due)s": "gönderim: %(due)s",
    "Send again": "Yeniden gönder",
    "Failed emails": "Başarısız e-postalar",
    "Latest failures": "Son başarısız gönderimler",
    "Older failures": "Daha eski başarısız gönderimler",
    "No failed email.": "Başarısız e-posta yok.",
    "Recently sent": "Son gönderilenler",
    "Nothing sent yet.": "Henüz bir şey gönderilmedi.",
    "Due": "Gönderim zamanı",
    "Status": "Durum",
    "Sent %(at)s": "Gönderildi: %(at)s",
    "No aftercare email yet.": "Henüz bakım e-postası yok.",
    "The patient has not consented to aftercare emails.": "Hasta bakım e-postalarına onay vermedi.",
    "Side-effect report": "Yan etki bildirimi",
    "Side-effect reports": "Yan etki bildirimleri",
    "Side-effect report:": "Yan etki bildirimi:",
    "Warning sign reported.": "Uyarı belirtisi bildirildi.",
    "no phone on file": "kayıtlı telefon yok",
    "Call the patient today: %(phone)s.": "Hastayı bugün arayın: %(phone)s.",
    "Reported": "Bildirim zamanı",
    "Session": "Seans",
    "supervised by %(physician)s": "sorumlu hekim: %(physician)s",
    "Severity": "Şiddet",
    "Warning signs": "Uyarı belirtileri",
    "None": "Yok",
    "Side effects": "Yan etkiler",
    "None ticked": "İşaretlenen yok",
    "In the patient's words": "Hastanın kendi ifadesiyle",
    "Photo": "Fotoğraf",
    "Open the photo": "Fotoğrafı aç",
    "%(at)s by %(by)s": "%(at)s, %(by)s",
    "Close the report": "Bildirimi kapat",
    "Close with this note": "Bu notla kapat",
    "Side-effect reports: open": "Yan etki bildirimleri: açık",
    "Side-effect reports: closed": "Yan etki bildirimleri: kapatılmış",
    "Show closed reports": "Kapatılmış bildirimleri göster",
    "Show open reports": "Açık bildirimleri göster",
    "What": "Ne",
    "Warning sign": "Uyarı belirtisi",
    "No open report.": "Açık bildirim yok.",
    "No closed report.": "Kapatılmış bildirim yok.",
    "Back to the session": "Seansa dön",
    "Print": "Yazdır",
    "In the patient's language: %(language_name)s.": "Hastanın dilinde: %(language_name)s.",
    "%(username)s can sign in again.": "%(username)s yeniden giriş yapabilir.",
    "That account was not locked (any more).": "Bu hesap kilitli değildi (ya da artık değil).",
    "You were signed out after %(minutes)d minutes without activity.":
        "%(minutes)d dakika işlem yapılmadığı için oturumunuz kapatıldı.",
    "You were signed out after %(hours)d hours signed in. Please sign in again.":
        "%(hours)d saat açık kaldığı için oturumunuz kapatıldı. Lütfen yeniden giriş yapın.",
    "Created": "Oluşturuldu",
    "Changed": "Değiştirildi",
    "Deleted": "Silindi",
    "language": "dil",
    "Language of the staff pages": "Personel sayfalarının dili",
    "Your language is saved: %(language)s.": "Dil tercihiniz kaydedildi: %(language)s.",
    "The language of the staff pages, for you only, on any computer you sign in from. Patients always get their "
    "emails and pages in their own language.":
        "Personel sayfalarının dili; yalnızca sizin için ve giriş yaptığınız her bilgisayarda geçerlidir. "
        "Hastalar e-postalarını ve sayfalarını her zaman kendi dillerinde alır.",
    "Save": "Kaydet",
    "%(name)s's details": "%(name)s: kişisel bilgiler",
    "%(kind)s of %(name)s": "%(name)s: %(kind)s",
    "Staff member": "Personel",
    "Anyone": "Herkes",
    "From": "Başlangıç",
    "To": "Bitiş",
    "Reception": "Resepsiyon",
    "Nurse": "Hemşire",
    "Physician": "Hekim",
    "Clinic manager": "Klinik yöneticisi",
    "QR code to scan": "Taranacak QR kod",
    "6-digit code": "6 haneli kod",
    "Enter the 6 digits your app shows.": "Uygulamanızın gösterdiği 6 haneyi girin.",
    "Codes cannot be checked right now. Try again in a minute.":
        "Kodlar şu anda doğrulanamıyor. Bir dakika sonra yeniden deneyin.",
    "Too many wrong codes in a row: wait %(seconds)d seconds, then enter the code your app shows.":
        "Art arda çok fazla yanlış kod girildi: %(seconds)d saniye bekleyin, ardından uygulamanızın gösterdiği "
        "kodu girin.",
    "That code is not right. Check that the time on your phone is correct and enter the code shown now "
    "(%(tries)d more tries before sign-in is locked).":
        "Kod yanlış. Telefonunuzdaki saatin doğru olduğunu kontrol edin ve şu an gösterilen kodu girin (giriş "
        "kilitlenmeden önce %(tries)d deneme hakkınız kaldı).",
    "Two-factor sign-in is already on for your account.": "Hesabınızda iki adımlı giriş zaten açık.",
    "That code is not right. Scan the QR code again (or check the key) and enter the code shown now.":
        "Kod yanlış. QR kodu yeniden tarayın (ya da anahtarı kontrol edin) ve şu an gösterilen kodu girin.",
    "Two-factor sign-in is on. Each sign-in will now ask for a code.":
        "İki adımlı giriş açıldı. Bundan sonra her girişte kod istenecek.",
    "Your role needs two-factor sign-in: it cannot be turned off.":
        "Rolünüz iki adımlı giriş gerektiriyor: kapatılamaz.",
    "Two-factor sign-in is off. You sign in with your password only.":
        "İki adımlı giriş kapatıldı. Yalnızca parolanızla giriş yapıyorsunuz.",
    "%(name)s's authenticator was removed: they set up a new one at their next sign-in.":
        "%(name)s için doğrulama uygulaması kaldırıldı: bir sonraki girişte yenisini kuracak.",
    "%(name)s had no authenticator.": "%(name)s için kurulu bir doğrulama uygulaması yoktu.",
    "Not allowed": "İzin yok",
    "This page is not part of your role": "Bu sayfa rolünüzün kapsamında değil",
    "Your account does not have access to this page. If you need it for your work, ask the clinic manager.":
        "Hesabınızın bu sayfaya erişimi yok. İşiniz için gerekiyorsa klinik yöneticisine başvurun.",
    "Back to the dashboard": "Ana sayfaya dön",
    "Not found": "Bulunamadı",
    "Page not found": "Sayfa bulunamadı",
    "The page or record you asked for does not exist.": "İstediğiniz sayfa ya da kayıt mevcut değil.",
    "Something went wrong": "Bir sorun oluştu",
    "The error was recorded. Please try again, and call the clinic manager if it keeps happening.":
        "Hata kaydedildi. Lütfen yeniden deneyin; sorun sürerse klinik yöneticisini arayın.",
    "After %(failure_limit)s failed sign-ins (wrong password or wrong two-factor code) an account is locked for "
    "%(minutes)s minutes on the computer they came from, then opens by itself. Unlock it sooner if you know it "
    "was your colleague.":
        "%(failure_limit)s başarısız girişten (yanlış parola ya da yanlış iki adımlı giriş kodu) sonra hesap, "
        "denemelerin yapıldığı bilgisayarda %(minutes)s dakika kilitlenir, ardından kendiliğinden açılır. "
        "Denemeleri yapanın meslektaşınız olduğunu biliyorsanız kilidi daha önce açın.",
    "Username": "Kullanıcı adı",
    "Failed attempts": "Başarısız deneme",
    "Last attempt": "Son deneme",
    "Opens by itself at": "Kendiliğinden açılma saati",
    "Unlock": "Kilidi aç",
    "No account is locked.": "Kilitli hesap yok.",
    "Sign-in locked": "Giriş kilitlendi",
    "There were %(failure_limit)s failed sign-in attempts for this account (wrong password or wrong code), so "
    "signing in is locked for %(minutes)s minutes.":
        "Bu hesap için %(failure_limit)s başarısız giriş denemesi oldu (yanlış parola ya da yanlış kod); bu "
        "yüzden giriş %(minutes)s dakika süreyle kilitlendi.",
    "Try again after <strong data-testid=\"locked-until\">%(until)s</strong>.":
        "<strong data-testid=\"locked-until\">%(until)s</strong> sonrasında yeniden deneyin.",
    "Try again in %(minutes)s minutes.": "%(minutes)s dakika sonra yeniden deneyin.",
    "Need to sign in sooner? The clinic manager can unlock your account.":
        "Daha önce girmeniz mi gerekiyor? Klinik yöneticisi hesabınızın kilidini açabilir.",
    "Back to sign-in": "Giriş sayfasına dön",
    "Sign in": "Giriş yap",
    "Sign in with your staff account.": "Personel hesabınızla giriş yapın.",
    "Password changed": "Parola değiştirildi",
    "Your password was changed.": "Parolanız değiştirildi.",
    "Change your password": "Parolanızı değiştirin",
    "Set up two-factor sign-in": "İki adımlı girişi kurun",
    "Your role needs a second step at sign-in: a 6-digit code from an authenticator app on your phone. Set it "
    "up once now; from then on, each sign-in asks for your password and the code.":
        "Rolünüz girişte ikinci bir adım gerektiriyor: telefonunuzdaki doğrulama uygulamasından 6 haneli bir "
        "kod. Şimdi bir kez kurun; bundan sonra her girişte parolanız ve kod istenecek.",
    "After this, each sign-in asks for your password and a 6-digit code from your phone.":
        "Bundan sonra her girişte parolanız ve telefonunuzdan 6 haneli bir kod istenecek.",
    "Install an authenticator app on your phone if you have none (for example Google Authenticator, Microsoft "
    "Authenticator or FreeOTP).":
        "Telefonunuzda yoksa bir doğrulama uygulaması kurun (örneğin Google Authenticator, Microsoft "
        "Authenticator veya FreeOTP).",
    "In the app, add an account and scan this QR code.": "Uygulamada bir hesap ekleyin ve bu QR kodu tarayın.",
    "Cannot scan? Type the key instead": "Tarayamıyor musunuz? Bunun yerine anahtarı yazın",
    "Account: <strong>%(issuer)s</strong> (%(username)s), time-based.":
        "Hesap: <strong>%(issuer)s</strong> (%(username)s), zamana dayalı.",
    "Key:": "Anahtar:",
    "Enter the 6-digit code the app now shows.": "Uygulamanın şu an gösterdiği 6 haneli kodu girin.",
    "Turn on two-factor sign-in": "İki adımlı girişi aç",
    "Each sign-in asks for your password and a 6-digit code from the authenticator app on your phone (set up "
    "%(since)s":
        "Her girişte parolanız ve telefonunuzdaki doğrulama uygulamasından 6 haneli bir kod istenir (kurulum: "
        "%(since)s",
    "last used %(used)s": "son kullanım: %(used)s",
    "Your role needs two-factor sign-in, so it stays on. Lost or new phone? Ask the clinic manager to reset it; "
    "you then set it up again at your next sign-in.":
        "Rolünüz iki adımlı giriş gerektirdiği için açık kalır. Telefonunuzu mu kaybettiniz ya da "
        "değiştirdiniz? Klinik yöneticisinden sıfırlamasını isteyin; bir sonraki girişinizde yeniden "
        "kurarsınız.",
    "Turn off two-factor sign-in": "İki adımlı girişi kapat",
    "You sign in with your password only. With two-factor sign-in, a stolen password is not enough to open your "
    "account: each sign-in also asks for a 6-digit code from an app on your phone.":
        "Yalnızca parolanızla giriş yapıyorsunuz. İki adımlı girişte çalınan bir parola hesabınızı açmaya "
        "yetmez: her girişte telefonunuzdaki bir uygulamadan 6 haneli bir kod da istenir.",
    "Physicians, the clinic manager and administration-site users must use an authenticator app; others may "
    "choose to. If someone loses or changes their phone, remove their authenticator: they set up a new one at "
    "their next sign-in.":
        "Hekimler, klinik yöneticisi ve yönetim sitesi kullanıcıları bir doğrulama uygulaması kullanmak "
        "zorundadır; diğerleri isterse kullanabilir. Telefonunu kaybeden ya da değiştiren birinin doğrulama "
        "uygulamasını kaldırın: bir sonraki girişinde yenisini kurar.",
    "Role": "Rol",
    "Two-factor": "İki adımlı giriş",
    "Authenticator": "Doğrulama uygulaması",
    "Required": "Zorunlu",
    "Optional": "İsteğe bağlı",
    "Set up %(since)s": "Kurulum: %(since)s",
    "Being set up": "Kuruluyor",
    "Remove authenticator": "Doğrulama uygulamasını kaldır",
    "of %(username)s": "(%(username)s)",
    "Enter the 6-digit code": "6 haneli kodu girin",
    "Signed in as <strong>%(name)s</strong>. Open the authenticator app on your phone and type the code it "
    "shows for %(clinic)s.":
        "<strong>%(name)s</strong> olarak giriş yapıldı. Telefonunuzdaki doğrulama uygulamasını açın ve "
        "%(clinic)s için gösterdiği kodu yazın.",
    "Continue": "Devam",
    "No phone with you, or a new one? The clinic manager can reset your two-factor sign-in; you then set it up "
    "again here.":
        "Telefonunuz yanınızda değil mi ya da yeni mi? Klinik yöneticisi iki adımlı girişinizi sıfırlayabilir; "
        "ardından burada yeniden kurarsınız.",
    # Staff pages: Navigation, dashboard, access log, history, patients and screenings.
    "Skip to content": "İçeriğe geç",
    "Dashboard": "Ana sayfa",
    "Good day, %(name)s": "İyi günler, %(name)s",
    "administrator": "yönetici",
    "Signed in as %(roles)s": "Giriş yapılan rol: %(roles)s",
    "Patients in the registry": "Kayıtlı hasta",
    "Registered this week": "Bu hafta kaydedilen",
    "Sessions today": "Bugünkü seanslar",
    "Patch tests ready to read": "Okunmaya hazır yama testleri",
    "Screenings awaiting your review": "Onayınızı bekleyen taramalar",
    "Open side-effect reports": "Açık yan etki bildirimleri",
    "Aftercare emails failed": "Gönderilemeyen bakım e-postaları",
    "Front desk": "Resepsiyon",
    "Register a patient": "Hasta kaydet",
    "Find a patient": "Hasta bul",
    "Not saved:": "Kaydedilmedi:",
    "Not saved: please correct the fields marked below.": "Kaydedilmedi: lütfen aşağıda işaretlenen alanları düzeltin.",
    "History": "Geçmiş",
    "Main": "Ana menü",
    "Toggle navigation": "Menüyü aç/kapat",
    "Patients": "Hastalar",
    "Review queue": "Onay bekleyenler",
    "Today": "Bugün",
    "Patch tests": "Yama testleri",
    "Catalogue": "Katalog",
    "Areas and products": "Bölgeler ve ürünler",
    "Batch recall": "Seri geri çağırma",
    "Aftercare": "Bakım",
    "Emails sent and failed": "Gönderilen ve başarısız e-postalar",
    "Administration": "Yönetim",
    "Change password": "Parolayı değiştir",
    "Two-factor sign-in": "İki adımlı giriş",
    "Language": "Dil",
    "Locked accounts": "Kilitli hesaplar",
    "Two-factor sign-in of staff": "Personelin iki adımlı girişi",
    "Access log": "Erişim kaydı",
    "Sign out": "Çıkış yap",
    "Pages": "Sayfalar",
    "Previous": "Önceki",
    "Page %(number)s of %(pages)s": "Sayfa %(number)s / %(pages)s",
    "Next": "Sonraki",
    "Export record": "Kaydı dışa aktar",
    "Cancel": "Vazgeç",
    "Who opened which patient's record, one line per person, patient and day. Lines older than "
    "%(retention_days)s days are removed every night.":
        "Hangi hastanın kaydını kimin açtığı; kişi, hasta ve gün başına bir satır. %(retention_days)s günden "
        "eski satırlar her gece silinir.",
    "Choose a patient": "Hasta seçin",
    "Name, date of birth, phone or email": "Ad, doğum tarihi, telefon veya e-posta",
    "Find": "Bul",
    "born %(born)s": "doğum: %(born)s",
    "No patient found.": "Hasta bulunamadı.",
    "Filter": "Filtre",
    "Patient:": "Hasta:",
    "all patients": "tüm hastalar",
    "Show": "Göster",
    "Please correct the filter:": "Lütfen filtreyi düzeltin:",
    "Day": "Gün",
    "Times opened": "Açılma sayısı",
    "First": "İlk",
    "Last": "Son",
    "No opening recorded for this filter.": "Bu filtre için kayıtlı açılma yok.",
    "No opening recorded.": "Kayıtlı açılma yok.",
    "History: %(heading)s": "Geçmiş: %(heading)s",
    "This record no longer exists; its history is kept.": "Bu kayıt artık yok; geçmişi saklanıyor.",
    "Back to the %(kind)s": "Kayda dön (%(kind)s)",
    "When": "Ne zaman",
    "Who": "Kim",
    "Changes": "Değişiklikler",
    "changed to": "yeni değer",
    "No change recorded yet.": "Henüz kayıtlı değişiklik yok.",
    "Enter a phone number of 7 to 15 digits, e.g. +90 532 111 22 33.":
        "7 ile 15 haneli bir telefon numarası girin, örn. +90 532 111 22 33.",
    "I checked: this is a different person. Register anyway.": "Kontrol ettim: bu başka bir kişi. Yine de kaydet.",
    "The date of birth cannot be in the future.": "Doğum tarihi ileri bir tarih olamaz.",
    "That makes the patient %(years)s years old: please check the year.":
        "Bu durumda hasta %(years)s yaşında oluyor: lütfen yılı kontrol edin.",
    "An email address is needed to send aftercare emails.":
        "Bakım e-postaları gönderebilmek için e-posta adresi gerekli.",
    "Give a phone number or an email address to reach the patient.":
        "Hastaya ulaşmak için bir telefon numarası veya e-posta adresi girin.",
    "This may be a patient who is already registered (see above). Open them, or tick this box.":
        "Bu hasta zaten kayıtlı olabilir (yukarıya bakın). Kaydını açın ya da bu kutuyu işaretleyin.",
    "Yes": "Evet",
    "No": "Hayır",
    "Please answer this question.": "Lütfen bu soruyu yanıtlayın.",
    "This date is in the future.": "Bu tarih ileride.",
    "Decision": "Karar",
    "Reason": "Gerekçe",
    "Required for every decision; the patient's record keeps it.": "Her karar için zorunlu; hasta kaydında saklanır.",
    "Deferred until": "Erteleme tarihi",
    "For a deferral: the earliest date for a new screening.":
        "Erteleme için: yeni taramanın yapılabileceği en erken tarih.",
    "Instructions for the patient": "Hastaya talimatlar",
    "What the patient must do, e.g. pause ibuprofen 3 days before, with the GP's advice.":
        "Hastanın yapması gerekenler, örn. aile hekiminin önerisiyle ibuprofene 3 gün önce ara vermesi.",
    "A “not eligible” finding cannot be approved.": "“Uygun değil” bulgusu olan bir tarama onaylanamaz.",
    "A deferral needs a date.": "Erteleme için bir tarih gerekli.",
    "Choose a date after today.": "Bugünden sonraki bir tarih seçin.",
    "Female": "Kadın",
    "Male": "Erkek",
    "Intersex": "İnterseks",
    "Prefers not to say": "Belirtmek istemiyor",
    "given name": "ad",
    "family name": "soyad",
    "date of birth": "doğum tarihi",
    "sex": "cinsiyet",
    "phone": "telefon",
    "email": "e-posta",
    "preferred language": "tercih edilen dil",
    "consents to aftercare emails": "bakım e-postalarına onay veriyor",
    "Aftercare instructions and reminders are emailed only with the patient's consent.":
        "Bakım talimatları ve hatırlatmalar yalnızca hastanın onayıyla e-postayla gönderilir.",
    "emergency contact": "acil durumda ulaşılacak kişi",
    "emergency contact phone": "acil durumda ulaşılacak kişinin telefonu",
    "notes": "notlar",
    "Approve": "Onayla",
    "Defer": "Ertele",
    "Decline": "Reddet",
    "Not screened yet": "Henüz taranmadı",
    "Take the intake questionnaire.": "Anamnez formunu doldurun.",
    "Approved until %(day)s": "%(day)s tarihine kadar onaylı",
    "Approval expired on %(day)s": "Onayın süresi %(day)s tarihinde doldu",
    "A new screening is needed.": "Yeni bir tarama gerekli.",
    "Deferred until %(day)s": "%(day)s tarihine kadar ertelendi",
    "Declined by a physician": "Hekim tarafından reddedildi",
    "Awaiting physician review": "Hekim onayı bekleniyor",
    "Not asked": "Sorulmadı",
    "Only a physician can decide on an eligibility screening.":
        "Uygunluk taraması hakkında yalnızca hekim karar verebilir.",
    "A reason is required for every decision.": "Her karar için bir gerekçe gerekli.",
    "Choose approve, defer or decline.": "Onayla, ertele veya reddet seçeneklerinden birini seçin.",
    "The patient is under the minimum age: this screening cannot be decided on.":
        "Hasta alt yaş sınırının altında: bu tarama hakkında karar verilemez.",
    "A screening with a “not eligible” finding cannot be approved: defer or decline it.":
        "“Uygun değil” bulgusu olan bir tarama onaylanamaz: erteleyin ya da reddedin.",
    "A deferral needs a date after today.": "Erteleme için bugünden sonraki bir tarih gerekli.",
    "This screening was already decided; nothing was changed.":
        "Bu tarama hakkında zaten karar verilmiş; hiçbir şey değiştirilmedi.",
    "Approved": "Onaylandı",
    "Deferred": "Ertelendi",
    "Declined": "Reddedildi",
    "%(name)s is registered.": "%(name)s kaydedildi.",
    "%(name)s's details are saved.": "%(name)s: bilgiler kaydedildi.",
    "Intake saved: %(outcome)s.": "Anamnez kaydedildi: %(outcome)s.",
    "Decision recorded for %(name)s.": "%(name)s için karar kaydedildi.",
    "Reason:": "Gerekçe:",
    "Intake questionnaire": "Anamnez formu",
    "Intake": "Anamnez",
    "Intake questionnaire: %(name)s": "Anamnez formu: %(name)s",
    "Printable blank form": "Yazdırılabilir boş form",
    "Born %(born)s. Ask every question; follow-up questions appear when the answer is “Yes”. Questionnaire "
    "version %(version)s.":
        "Doğum: %(born)s. Her soruyu sorun; yanıt “Evet” olduğunda ek sorular görünür. Form sürümü %(version)s.",
    "Some answers are missing or wrong: they are marked below. Nothing was saved yet.":
        "Bazı yanıtlar eksik ya da hatalı: aşağıda işaretlendi. Henüz hiçbir şey kaydedilmedi.",
    "Save intake": "Anamnezi kaydet",
    "Intake questionnaire (print)": "Anamnez formu (yazdırma)",
    "Back to the patient": "Hastaya dön",
    "%(clinic)s: intake questionnaire for mesotherapy": "%(clinic)s: mezoterapi anamnez formu",
    "Patient: <strong>%(name)s</strong> · born %(born)s · date %(day)s · version %(version)s":
        "Hasta: <strong>%(name)s</strong> · doğum %(born)s · tarih %(day)s · sürüm %(version)s",
    "If yes:": "Evet ise:",
    "I confirm that these answers are true and complete, and that I will tell the clinic of any change in my "
    "health or medicines before each session.":
        "Bu yanıtların doğru ve eksiksiz olduğunu, sağlığımda veya kullandığım ilaçlarda olacak her değişikliği "
        "her seanstan önce kliniğe bildireceğimi onaylarım.",
    "Patient's signature:": "Hastanın imzası:",
    "Taken by:": "Formu dolduran:",
    "Born %(born)s · age %(age)s": "Doğum: %(born)s · yaş %(age)s",
    "Edit details": "Bilgileri düzenle",
    "Print intake form": "Anamnez formunu yazdır",
    "Take intake questionnaire": "Anamnez formunu doldur",
    "Eligibility": "Uygunluk",
    "Open the latest screening": "Son taramayı aç",
    "Next steps": "Sonraki adımlar",
    "Apply a patch test, record consent, plan a course and book sessions.":
        "Yama testi uygulayın, onamı kaydedin, kür planlayın ve seans randevusu verin.",
    "A physician reviews the screening in the review queue.": "Taramayı bir hekim onay bekleyenler listesinde inceler.",
    "Take a new intake questionnaire after the deferral date.":
        "Erteleme tarihinden sonra yeni bir anamnez formu doldurun.",
    "No treatment can be planned.": "Tedavi planlanamaz.",
    "Apply patch test": "Yama testi uygula",
    "Record consent": "Onamı kaydet",
    "Plan a course": "Kür planla",
    "Book a session": "Seans randevusu ver",
    "Details": "Bilgiler",
    "Sex": "Cinsiyet",
    "Phone": "Telefon",
    "Preferred language": "Tercih edilen dil",
    "Consented,No consent": "Onay verdi,Onay yok",
    "Emergency contact": "Acil durumda ulaşılacak kişi",
    "Notes": "Notlar",
    "Screening history": "Tarama geçmişi",
    "Taken": "Tarih",
    "Rules' outcome": "Kuralların sonucu",
    "Physician's decision": "Hekim kararı",
    "by %(by)s": "dolduran: %(by)s",
    "%(decision)s by %(by)s, %(on)s": "%(decision)s: %(by)s, %(on)s",
    "Cannot be approved": "Onaylanamaz",
    "Awaiting review": "İnceleme bekliyor",
    "No screening yet.": "Henüz tarama yok.",
    "Edit patient": "Hastayı düzenle",
    "Edit": "Düzenle",
    "Register": "Kaydet",
    "Edit %(name)s": "Düzenle: %(name)s",
    "Possible duplicate.": "Olası mükerrer kayıt.",
    "Already registered with the same name and date of birth, email or phone:":
        "Aynı ad ve doğum tarihi, e-posta veya telefonla zaten kayıtlı:",
    "Save changes": "Değişiklikleri kaydet",
    "Register patient": "Hastayı kaydet",
    "Search by name, phone or email": "Ad, telefon veya e-postayla arayın",
    "Search": "Ara",
    "Clear": "Temizle",
    "Name": "Ad soyad",
    "Date of birth": "Doğum tarihi",
    "No patient matches “%(query)s”.": "“%(query)s” ile eşleşen hasta yok.",
    "No patients registered yet.": "Henüz kayıtlı hasta yok.",
    "More than 1,000 patients match; the first 50 found are shown. Add a word, a phone number or a date of birth.":
        "1.000'den fazla hasta eşleşiyor; bulunan ilk 50 hasta gösteriliyor. Bir kelime, telefon numarası veya "
        "doğum tarihi ekleyin.",
    "%(matches)s patients match; the first %(shown)s by name are shown. Add a word to narrow the search.":
        "%(matches)s hasta eşleşiyor; ada göre ilk %(shown)s hasta gösteriliyor. Aramayı daraltmak için bir kelime "
        "ekleyin.",
    "Pages of the registry": "Hasta kayıtlarının sayfaları",
    "about %(count)s": "yaklaşık %(count)s",
    "Screenings awaiting review": "İnceleme bekleyen taramalar",
    "Oldest first. Every screening needs a physician's decision before treatment, even when no rule fired.":
        "En eskisi önce. Hiçbir kural tetiklenmemiş olsa bile her tarama tedaviden önce hekim kararı "
        "gerektirir.",
    "Waiting since": "Bekleme başlangıcı",
    "Findings": "Bulgular",
    "Review": "İncele",
    "age %(age)s": "yaş %(age)s",
    "Nothing is waiting for review.": "İnceleme bekleyen bir şey yok.",
    "Eligibility screening": "Uygunluk taraması",
    "Screening of %(day)s": "%(day)s tarihli tarama",
    "Eligibility screening: %(name)s": "Uygunluk taraması: %(name)s",
    "Age %(age)s at screening · taken %(taken)s by %(by)s · questionnaire %(version)s":
        "Tarama sırasında yaş %(age)s · %(taken)s, dolduran: %(by)s · form %(version)s",
    "Rules' outcome: %(outcome)s": "Kuralların sonucu: %(outcome)s",
    "Needs review": "İnceleme gerekli",
    "(cannot be overridden)": "(geçersiz kılınamaz)",
    "No rule fired. Still to be approved by a physician.": "Hiçbir kural tetiklenmedi. Yine de hekim onayı gerekli.",
    "<strong>%(decision)s</strong> by %(by)s on %(on)s": "<strong>%(decision)s</strong>: %(by)s, %(on)s",
    "Reason: %(reason)s": "Gerekçe: %(reason)s",
    "Approval valid until %(until)s.": "Onay %(until)s tarihine kadar geçerli.",
    "Deferred until %(until)s.": "%(until)s tarihine kadar ertelendi.",
    "Instructions: %(instructions)s": "Talimatlar: %(instructions)s",
    "The patient is under the minimum age on the screening date. No one can approve this screening.":
        "Hasta tarama tarihinde alt yaş sınırının altında. Bu taramayı kimse onaylayamaz.",
    "Record decision": "Kararı kaydet",
    "Awaiting a physician's review.": "Hekim incelemesi bekleniyor.",
    "Answers as given": "Verilen yanıtlar",
    # Staff pages: Eligibility rules, the intake questionnaire and the treatment pages.
    "Eligible": "Uygun",
    "Needs physician review": "Hekim incelemesi gerekli",
    "Not eligible": "Uygun değil",
    "pregnant": "gebe",
    "breastfeeding": "emziriyor",
    "allergy to product components": "ürün bileşenlerine alerji",
    "allergy to local anaesthetic": "lokal anesteziğe alerji",
    "earlier reaction to mesotherapy": "daha önce mezoterapiye reaksiyon",
    "active infection": "aktif enfeksiyon",
    "open lesion": "açık lezyon",
    "cold sore": "uçuk",
    "eczema or psoriasis flare": "egzama veya sedef alevlenmesi",
    "sunburn": "güneş yanığı",
    "autoimmune disease": "otoimmün hastalık",
    "insulin-dependent diabetes": "insüline bağımlı diyabet",
    "active cancer or cancer treatment": "aktif kanser veya kanser tedavisi",
    "immunosuppression": "bağışıklık baskılanması",
    "serious heart disease": "ciddi kalp hastalığı",
    "arrhythmia": "aritmi",
    "history of stroke or clots": "inme veya pıhtı öyküsü",
    "Aged %(age)s on %(day)s, under the minimum age of %(min_age)s: treatment is not allowed and cannot be "
    "overridden.":
        "%(day)s tarihinde %(age)s yaşında, alt yaş sınırı olan %(min_age)s yaşın altında: tedavi yapılamaz ve "
        "bu karar geçersiz kılınamaz.",
    "prescribed": "reçeteli",
    "never stop without the prescriber's advice; a physician must decide.":
        "reçeteleyen hekime danışmadan asla bırakılmamalı; hekim karar vermeli.",
    "a physician must decide whether it can be paused safely.":
        "güvenle ara verilip verilemeyeceğine hekim karar vermeli.",
    "Takes a blood thinner%(details)s: %(advice)s": "Kan sulandırıcı kullanıyor%(details)s: %(advice)s",
    "Takes an anti-inflammatory drug%(name)s: pre-treatment instructions ask to pause it if safe.":
        "Antiinflamatuvar ilaç kullanıyor%(name)s: tedavi öncesi talimatlara göre güvenliyse ara verilmeli.",
    "Has a bleeding or clotting disorder: a physician must decide.":
        "Kanama veya pıhtılaşma bozukluğu var: hekim karar vermeli.",
    "Currently %(state)s: not eligible while it lasts.": "Şu anda %(state)s: bu durum sürdükçe uygun değil.",
    "Reports %(what)s%(details)s: a patch test is mandatory and a physician must decide.":
        "Bildirilen: %(what)s%(details)s. Yama testi zorunlu ve hekim karar vermeli.",
    "At the treatment area: %(what)s; not eligible until healed, defer the session.":
        "Uygulama bölgesinde: %(what)s; iyileşene kadar uygun değil, seansı erteleyin.",
    "Reports %(what)s: a physician must decide.": "Bildirilen: %(what)s. Hekim karar vermeli.",
    "Tends to form keloid or hypertrophic scars: a physician must decide.":
        "Keloid veya hipertrofik skar oluşturma eğilimi var: hekim karar vermeli.",
    "Last isotretinoin dose on %(day)s, %(when)s: a physician must decide.":
        "Son izotretinoin dozu %(day)s tarihinde, %(when)s: hekim karar vermeli.",
    "Had a laser, peel or facial surgery on %(day)s, %(when)s: a physician must decide.":
        "%(day)s tarihinde lazer, peeling veya yüz ameliyatı yapılmış, %(when)s: hekim karar vermeli.",
    "after the screening date %(day)s": "tarama tarihi olan %(day)s sonrasında",
    "within %(span)s before %(day)s": "%(day)s öncesindeki %(span)s içinde",
    "Medical history and medicines": "Tıbbi öykü ve ilaçlar",
    "Medical history: illnesses, operations, hospital stays": "Tıbbi öykü: hastalıklar, ameliyatlar, hastane yatışları",
    "Write “none” if there is nothing to note.": "Belirtilecek bir şey yoksa “yok” yazın.",
    "All current medicines, supplements and herbal remedies": "Kullanılan tüm ilaçlar, takviyeler ve bitkisel ürünler",
    "Write “none” if the patient takes nothing.": "Hasta hiçbir şey kullanmıyorsa “yok” yazın.",
    "Does the patient take a blood thinner?": "Hasta kan sulandırıcı kullanıyor mu?",
    "For example aspirin, warfarin, apixaban, rivaroxaban, dabigatran, heparin, clopidogrel, ticagrelor, "
    "prasugrel.":
        "Örneğin aspirin, varfarin, apiksaban, rivaroksaban, dabigatran, heparin, klopidogrel, tikagrelor, "
        "prasugrel.",
    "Which blood thinner, and what dose?": "Hangi kan sulandırıcı, hangi dozda?",
    "Was it prescribed by a doctor?": "Bir hekim tarafından mı reçete edildi?",
    "Does the patient take anti-inflammatory painkillers (NSAIDs)?":
        "Hasta antiinflamatuvar ağrı kesici (NSAİİ) kullanıyor mu?",
    "For example ibuprofen, naproxen, diclofenac, ketoprofen, meloxicam, celecoxib.":
        "Örneğin ibuprofen, naproksen, diklofenak, ketoprofen, meloksikam, selekoksib.",
    "Which one, and how often?": "Hangisi ve ne sıklıkla?",
    "A bleeding or clotting disorder (e.g. haemophilia, von Willebrand)?":
        "Kanama veya pıhtılaşma bozukluğu (örn. hemofili, von Willebrand)?",
    "Has the patient taken isotretinoin (e.g. Roaccutane) for acne?":
        "Hasta akne için izotretinoin (örn. Roaccutane) kullandı mı?",
    "Date of the last dose": "Son dozun tarihi",
    "Allergies": "Alerjiler",
    "Known allergies (medicines, foods, latex, other)": "Bilinen alerjiler (ilaçlar, besinler, lateks, diğer)",
    "Write “none” if there are none.": "Alerji yoksa “yok” yazın.",
    "Allergy to any component of the planned products?": "Planlanan ürünlerin herhangi bir bileşenine alerji?",
    "Vitamins, amino acids, minerals or other ingredients.":
        "Vitaminler, amino asitler, mineraller veya diğer içerikler.",
    "Allergy to local anaesthetics (e.g. lidocaine cream)?": "Lokal anesteziklere alerji (örn. lidokainli krem)?",
    "A reaction to mesotherapy or injections before?": "Daha önce mezoterapiye veya enjeksiyonlara reaksiyon?",
    "What happened?": "Ne oldu?",
    "Pregnancy": "Gebelik",
    "Is the patient pregnant, or could she be?": "Hasta gebe mi ya da gebe olma ihtimali var mı?",
    "Is the patient breastfeeding?": "Hasta emziriyor mu?",
    "Skin at the treatment area": "Uygulama bölgesindeki cilt",
    "An active infection at the area?": "Bölgede aktif enfeksiyon?",
    "An open wound or lesion at the area?": "Bölgede açık yara veya lezyon?",
    "A cold sore (herpes) at or near the area?": "Bölgede veya yakınında uçuk (herpes)?",
    "An eczema or psoriasis flare at the area?": "Bölgede egzama veya sedef alevlenmesi?",
    "Sunburn at the area?": "Bölgede güneş yanığı?",
    "Other conditions": "Diğer durumlar",
    "An autoimmune disease (e.g. lupus, rheumatoid arthritis)?": "Otoimmün hastalık (örn. lupus, romatoid artrit)?",
    "Diabetes treated with insulin?": "İnsülinle tedavi edilen diyabet?",
    "Active cancer, or cancer treatment now?": "Aktif kanser ya da şu anda kanser tedavisi?",
    "A weakened immune system or immunosuppressive medicines?":
        "Zayıflamış bağışıklık sistemi veya bağışıklık baskılayıcı ilaçlar?",
    "A tendency to keloid, raised or dark scars?": "Keloid, kabarık veya koyu iz bırakma eğilimi?",
    "Serious heart disease?": "Ciddi kalp hastalığı?",
    "An irregular heartbeat (arrhythmia)?": "Düzensiz kalp atışı (aritmi)?",
    "A stroke, or blood clots (thrombosis, embolism), ever?": "Geçmişte inme veya kan pıhtısı (tromboz, emboli)?",
    "Laser treatment, a chemical peel or facial surgery in the last 3 months?":
        "Son 3 ayda lazer tedavisi, kimyasal peeling veya yüz ameliyatı?",
    "Date of the most recent one": "En sonuncusunun tarihi",
    "Treatment catalogue": "Tedavi kataloğu",
    "Edit in administration": "Yönetim sitesinde düzenle",
    "Indications:": "Endikasyonlar:",
    "Typical course:": "Tipik kür:",
    "%(sessions)s sessions, every %(days)s days.": "%(sessions)s seans, %(days)s günde bir.",
    "Products and batches": "Ürünler ve seriler",
    "Product": "Ürün",
    "Components": "Bileşenler",
    "Patch test": "Yama testi",
    "Batches": "Seriler",
    "Required,Not required": "Gerekli,Gerekli değil",
    "Lot %(lot)s, expires %(day)s": "Lot %(lot)s, son kullanma %(day)s",
    "Expired": "Süresi dolmuş",
    "EXPIRED": "SÜRESİ DOLMUŞ",
    "No batch in stock": "Stokta seri yok",
    "Informed consent": "Aydınlatılmış onam",
    "Consent": "Onam",
    "Informed consent: %(name)s": "Aydınlatılmış onam: %(name)s",
    "version %(version)s": "sürüm %(version)s",
    "Patient: <strong>%(name)s</strong>, born %(born)s": "Hasta: <strong>%(name)s</strong>, doğum %(born)s",
    "Date:": "Tarih:",
    "Print the consent": "Onamı yazdır",
    "Typical courses: skin 4-6 sessions every 2 weeks; hair up to 12, weekly at first; cellulite 3-4, 3-4 weeks "
    "apart; pain 1-9.":
        "Tipik kürler: cilt 2 haftada bir 4-6 seans; saç 12 seansa kadar, başta haftada bir; selülit 3-4 hafta "
        "arayla 3-4 seans; ağrı 1-9 seans.",
    "Day view": "Günlük görünüm",
    "Sessions on %(day)s": "%(day)s seansları",
    "Another day": "Başka bir gün",
    "Time": "Saat",
    "Area": "Bölge",
    "Practitioner": "Uygulayıcı",
    "Status and readiness": "Durum ve hazırlık",
    "Ready": "Hazır",
    "Not ready": "Hazır değil",
    "No sessions booked for this day.": "Bu gün için seans randevusu yok.",
    "Sessions %(first)s to %(last)s of %(count)s, in time order.":
        "%(count)s seanstan %(first)s-%(last)s arası, saat sırasıyla.",
    "Pages of the day": "Günün sayfaları",
    "Earlier": "Daha erken",
    "Later": "Daha geç",
    "Courses": "Kürler",
    "%(area)s, every %(days)s days": "%(area)s, %(days)s günde bir",
    "%(done)s of %(planned)s done": "%(planned)s seansın %(done)s tanesi yapıldı",
    "Course progress": "Kür ilerlemesi",
    "%(done)s of %(planned)s": "%(done)s / %(planned)s",
    "%(booked)s booked": "%(booked)s randevu verildi",
    "Suggested next:": "Önerilen sonraki:",
    "then": "ardından",
    "Book the next session": "Sonraki seansın randevusunu ver",
    "No course planned.": "Planlanmış kür yok.",
    "Reaction: %(result)s": "Reaksiyon: %(result)s",
    "allowed by physician": "hekim izin verdi",
    "Negative": "Negatif",
    "Not read yet": "Henüz okunmadı",
    "No patch test yet.": "Henüz yama testi yok.",
    "Consents": "Onamlar",
    "course %(indication)s": "kür: %(indication)s",
    "one session": "tek seans",
    "withdrawn": "geri çekildi",
    "No consent recorded.": "Kayıtlı onam yok.",
    "Sessions": "Seanslar",
    "lot %(lot)s": "lot %(lot)s",
    "No session yet.": "Henüz seans yok.",
    "Ready:": "Hazır:",
    "approved screening, negative patch tests and consent are in place.":
        "onaylı tarama, negatif yama testleri ve onam mevcut.",
    "Not ready yet. Missing:": "Henüz hazır değil. Eksikler:",
    "Apply a patch test": "Yama testi uygula",
    "Apply a small amount of each product to the skin. The test can be read from 24 hours after application, "
    "and no later than 72 hours.":
        "Her üründen az bir miktarı cilde uygulayın. Test, uygulamadan 24 saat sonra okunabilir ve en geç 72 "
        "saat içinde okunmalıdır.",
    "Patch test: %(name)s": "Yama testi: %(name)s",
    "Products": "Ürünler",
    "Applied": "Uygulama",
    "Site": "Uygulama yeri",
    "Reading window": "Okuma aralığı",
    "%(opens)s to %(closes)s": "%(opens)s – %(closes)s",
    "Result": "Sonuç",
    "read %(at)s by %(by)s": "okuma: %(at)s, %(by)s",
    "Record the reading": "Okumayı kaydedin",
    "Record reading": "Okumayı kaydet",
    "This reaction blocks these products for this patient until a physician decides.":
        "Bu reaksiyon, hekim karar verene kadar bu hasta için bu ürünlerin kullanımını engeller.",
    "Allow the products despite the reaction": "Reaksiyona rağmen ürünlere izin ver",
    "Patch tests to read": "Okunacak yama testleri",
    "Each test can be read from 24 hours after it was applied, until its reading window closes.":
        "Her test, uygulamadan 24 saat sonra okuma aralığı kapanana kadar okunabilir.",
    "Readable": "Okunabilir",
    "Readable now": "Şimdi okunabilir",
    "until %(until)s": "%(until)s tarihine kadar",
    "From %(day)s": "%(day)s itibarıyla",
    "Read": "Oku",
    "No patch test is waiting to be read.": "Okunmayı bekleyen yama testi yok.",
    "Every patient and session that received a lot.": "Bir lottan uygulanan tüm hastalar ve seanslar.",
    "Performed": "Yapıldı",
    "Contact": "İletişim",
    "Product and lot": "Ürün ve lot",
    "%(product)s, lot %(lot)s": "%(product)s, lot %(lot)s",
    "No session used a lot with that number.": "Bu numaralı lot hiçbir seansta kullanılmadı.",
    "Book a session: %(name)s": "Seans randevusu: %(name)s",
    "Book session": "Randevu ver",
    "Check readiness first": "Önce hazırlığı kontrol et",
    "Session: %(name)s": "Seans: %(name)s",
    "%(minutes)s min": "%(minutes)s dk",
    "Course": "Kür",
    "%(sessions)s sessions, every %(days)s days": "%(sessions)s seans, %(days)s günde bir",
    "Technique": "Teknik",
    "Anaesthetic cream": "Anestezik krem",
    "Yes,No": "Evet,Hayır",
    "Supervising physician": "Sorumlu hekim",
    "lot <strong>%(lot)s</strong>": "lot <strong>%(lot)s</strong>",
    "Health unchanged": "Sağlık durumu değişmedi",
    "Confirmed": "Teyit edildi",
    "Reaction after previous": "Önceki seans sonrası reaksiyon",
    "Immediate reactions": "Erken reaksiyonlar",
    "Move the session": "Seansı taşı",
    "Cancel session": "Seansı iptal et",
    "Mark no-show": "Gelmedi olarak işaretle",
    "Print aftercare sheet": "Bakım talimatlarını yazdır",
    "Perform and sign off": "Uygula ve imzala",
    "Sign off as performed": "Yapıldı olarak imzala",
    # Staff pages: Treatment forms, models, patch-test rules, readiness and services.
    "Products applied": "Uygulanan ürünler",
    "Site on the skin": "Ciltteki uygulama yeri",
    "Inner forearm": "Ön kol iç yüzü",
    "Applied at": "Uygulama zamanı",
    "Clinic time. Normally now.": "Klinik saati. Genellikle şimdi.",
    "Required for a reaction: size, look, symptoms.": "Reaksiyon varsa zorunlu: boyut, görünüm, belirtiler.",
    "Why the products may be used despite the reaction.": "Ürünlerin reaksiyona rağmen neden kullanılabileceği.",
    "Consent covers": "Onamın kapsamı",
    "One session today only": "Yalnızca bugünkü tek seans",
    "The patient has read this text, had their questions answered and consents.":
        "Hasta bu metni okudu, sorularına yanıt aldı ve onay veriyor.",
    "The whole course: %(indication)s": "Kürün tamamı: %(indication)s",
    "Indication": "Endikasyon",
    "Planned sessions": "Planlanan seans sayısı",
    "Interval days": "Seans aralığı (gün)",
    "Leave empty for the area's typical course.": "Bölgenin tipik kürü için boş bırakın.",
    "Leave empty for the area's typical interval.": "Bölgenin tipik aralığı için boş bırakın.",
    "No course": "Kür yok",
    "Local anaesthetic cream": "Lokal anestezik krem",
    "Date and time": "Tarih ve saat",
    "Duration (minutes)": "Süre (dakika)",
    "Performed at": "Uygulama zamanı",
    "I asked the patient: health and medicines have not changed since the screening.":
        "Hastaya sordum: taramadan bu yana sağlık durumu ve ilaçları değişmedi.",
    "Any reaction after the previous session?": "Önceki seanstan sonra reaksiyon oldu mu?",
    "Batch of %(product)s": "%(product)s serisi",
    "Choose the lot used": "Kullanılan lotu seçin",
    "New date and time": "Yeni tarih ve saat",
    "Lot number": "Lot numarası",
    "Choose a date between 2000 and 2200.": "2000 ile 2200 arasında bir tarih seçin.",
    "Skin": "Cilt",
    "Hair": "Saç",
    "Cellulite": "Selülit",
    "Pain": "Ağrı",
    "Vascular": "Vasküler",
    "Vitamins": "Vitaminler",
    "Amino acids": "Amino asitler",
    "Minerals": "Mineraller",
    "Other nutrients": "Diğer besin öğeleri",
    "Mixed formulation": "Karma formül",
    "Active": "Devam ediyor",
    "Completed": "Tamamlandı",
    "Stopped": "Durduruldu",
    "Booked": "Randevulu",
    "No-show": "Gelmedi",
    "Injection gun": "Enjeksiyon tabancası",
    "Fine needles": "İnce iğneler",
    "local anaesthetic cream": "lokal anestezik krem",
    "No reaction": "Reaksiyon yok",
    "Rash or wheal": "Döküntü veya kabarık",
    "Other reaction": "Diğer reaksiyon",
    "Too early: this patch test can be read from %(opens)s (%(hours)s hours after it was applied).":
        "Çok erken: bu yama testi %(opens)s itibarıyla okunabilir (uygulamadan %(hours)s saat sonra).",
    "Too late: the reading window closed on %(closes)s; apply a new patch test.":
        "Çok geç: okuma aralığı %(closes)s tarihinde kapandı; yeni bir yama testi uygulayın.",
    "product %(id)s": "ürün %(id)s",
    "%(result)s on the patch test for %(product)s applied %(applied)s: a physician must record a decision "
    "before %(product)s can be used.":
        "%(applied)s tarihinde uygulanan %(product)s yama testinde %(result)s: %(product)s kullanılmadan önce "
        "hekim bir karar kaydetmeli.",
    "Negative patch test for %(product)s applied %(applied)s, valid until %(until)s.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi negatif, %(until)s tarihine kadar geçerli.",
    "No patch test for %(product)s.": "%(product)s için yama testi yok.",
    "The patch test for %(product)s applied %(applied)s is too recent; it can be used from %(opens)s.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi çok yeni; %(opens)s itibarıyla geçerli "
        "olur.",
    "The patch test for %(product)s applied %(applied)s showed a reaction; a negative patch test for "
    "%(product)s is still needed.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testinde reaksiyon görüldü; %(product)s için "
        "hâlâ negatif bir yama testi gerekli.",
    "The patch test for %(product)s applied %(applied)s has not been read yet; read it by %(closes)s.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi henüz okunmadı; en geç %(closes)s tarihine "
        "kadar okuyun.",
    "The patch test for %(product)s applied %(applied)s was not read in its window (%(opens)s to %(closes)s); "
    "apply a new patch test.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi okuma aralığında (%(opens)s – %(closes)s) "
        "okunmadı; yeni bir yama testi uygulayın.",
    "The patch test for %(product)s applied %(applied)s was read on %(read)s, outside its window (%(opens)s to "
    "%(closes)s); apply a new patch test.":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi %(read)s tarihinde, okuma aralığı dışında "
        "(%(opens)s – %(closes)s) okundu; yeni bir yama testi uygulayın.",
    "The patch test for %(product)s applied %(applied)s was not read yet at the session (read on %(read)s).":
        "%(product)s için %(applied)s tarihinde uygulanan yama testi seans sırasında henüz okunmamıştı (okuma: "
        "%(read)s).",
    "The negative patch test for %(product)s applied %(applied)s expired on %(until)s; apply a new one.":
        "%(product)s için %(applied)s tarihinde uygulanan negatif yama testinin geçerliliği %(until)s tarihinde "
        "doldu; yenisini uygulayın.",
    "The patient is %(age)s on %(day)s: no one under %(min_age)s is treated.":
        "Hasta %(day)s tarihinde %(age)s yaşında: %(min_age)s yaşından küçüklere tedavi uygulanmaz.",
    "No informed consent recorded for this course or session.":
        "Bu kür veya seans için kayıtlı aydınlatılmış onam yok.",
    "Confirm with the patient that health and medicines have not changed since the screening (if they have, "
    "take a new screening).":
        "Taramadan bu yana sağlık durumunun ve ilaçların değişmediğini hastayla teyit edin (değiştiyse yeni bir "
        "tarama yapın).",
    "No eligibility screening approved by a physician for that day.": "O gün için hekim onaylı uygunluk taraması yok.",
    "The latest screening (%(day)s) is waiting for a physician's decision.":
        "Son tarama (%(day)s) hekim kararını bekliyor.",
    "The latest screening (%(day)s) was declined by a physician.": "Son tarama (%(day)s) hekim tarafından reddedildi.",
    "The latest screening (%(day)s) was deferred by a physician.": "Son tarama (%(day)s) hekim tarafından ertelendi.",
    "The physician's approval expired on %(day)s: a new screening is needed.":
        "Hekim onayının süresi %(day)s tarihinde doldu: yeni bir tarama gerekli.",
    "Only nurses and physicians apply patch tests.": "Yama testini yalnızca hemşireler ve hekimler uygular.",
    "Choose the products that were applied.": "Uygulanan ürünleri seçin.",
    "The application time cannot be in the future.": "Uygulama zamanı ileri bir zaman olamaz.",
    "A patch test is recorded when it is applied, not a day or more later.":
        "Yama testi uygulandığı anda kaydedilir, bir gün ya da daha sonra değil.",
    "Say where on the skin the products were applied.": "Ürünlerin ciltte nereye uygulandığını belirtin.",
    "Only nurses and physicians read patch tests.": "Yama testini yalnızca hemşireler ve hekimler okur.",
    "A reading cannot be dated in the future.": "Okuma ileri bir tarihe kaydedilemez.",
    "Choose the result of the reading.": "Okumanın sonucunu seçin.",
    "Describe the reaction (size, look, symptoms).": "Reaksiyonu tarif edin (boyut, görünüm, belirtiler).",
    "This patch test was already read; nothing was changed.": "Bu yama testi zaten okunmuş; hiçbir şey değiştirilmedi.",
    "Only a physician can decide on a patch-test reaction.":
        "Yama testi reaksiyonu hakkında yalnızca hekim karar verebilir.",
    "This patch test showed no reaction: there is nothing to decide.":
        "Bu yama testinde reaksiyon görülmedi: karar verilecek bir şey yok.",
    "A reason is required.": "Gerekçe gerekli.",
    "A decision was already recorded for this reaction.": "Bu reaksiyon için zaten bir karar kaydedilmiş.",
    "Your role cannot record a consent.": "Rolünüz onam kaydedemez.",
    "A consent cannot be dated in the future.": "Onam ileri bir tarihe kaydedilemez.",
    "That course belongs to another patient.": "Bu kür başka bir hastaya ait.",
    "Your role cannot plan a course.": "Rolünüz kür planlayamaz.",
    "Your role cannot book sessions.": "Rolünüz seans randevusu veremez.",
    "That time has passed. Book a time from now on.": "Bu saat geçti. Şu andan sonraki bir saate randevu verin.",
    "Choose at least one product.": "En az bir ürün seçin.",
    "A session lasts between 5 and %(max)s minutes.": "Bir seans 5 ile %(max)s dakika arasında sürer.",
    "That course is for another patient or indication.": "Bu kür başka bir hasta veya endikasyon için.",
    "The supervising physician must be a physician.": "Sorumlu hekim bir hekim olmalıdır.",
    "The practitioner has another session at %(time)s that overlaps this time.":
        "Uygulayıcının saat %(time)s için bu saatle çakışan başka bir seansı var.",
    "Only a physician can perform and sign off a session.": "Seansı yalnızca hekim uygulayıp imzalayabilir.",
    "This session is %(status)s: it cannot be performed.": "Bu seansın durumu: %(status)s. Seans uygulanamaz.",
    "The performed time cannot be in the future.": "Uygulama zamanı ileri bir zaman olamaz.",
    "The performed time is before the session was booked.":
        "Uygulama zamanı, seans randevusunun verildiği zamandan önce.",
    "Record the batch of %(product)s that was used.": "Kullanılan %(product)s serisini kaydedin.",
    "Lot %(lot)s is a batch of another product.": "Lot %(lot)s başka bir ürünün serisi.",
    "Lot %(lot)s expired on %(day)s: it cannot be used.":
        "Lot %(lot)s son kullanma tarihi %(day)s tarihinde doldu: kullanılamaz.",
    "Your role cannot cancel sessions.": "Rolünüz seans iptal edemez.",
    "Only a booked session can be cancelled or marked as a no-show.":
        "Yalnızca randevulu bir seans iptal edilebilir ya da gelmedi olarak işaretlenebilir.",
    "Your role cannot move sessions.": "Rolünüz seans taşıyamaz.",
    "Only a booked session can be moved.": "Yalnızca randevulu bir seans taşınabilir.",
    "That time has passed. Choose a time from now on.": "Bu saat geçti. Şu andan sonraki bir saat seçin.",
    "The session was moved.": "Seans taşındı.",
    "Record patch test": "Yama testini kaydet",
    "Patch test recorded. It can be read from %(opens)s.": "Yama testi kaydedildi. %(opens)s itibarıyla okunabilir.",
    "Reading recorded.": "Okuma kaydedildi.",
    "Decision on the reaction recorded.": "Reaksiyon hakkındaki karar kaydedildi.",
    "Consent recorded.": "Onam kaydedildi.",
    "Plan course": "Kürü planla",
    "Session booked. The patient is ready for it.": "Seans randevusu verildi. Hasta seansa hazır.",
    "Session booked, but the patient is not ready yet: see what is missing.":
        "Seans randevusu verildi, ancak hasta henüz hazır değil: eksikleri inceleyin.",
    "Session performed and signed off.": "Seans uygulandı ve imzalandı.",
    "Marked as a no-show.": "Gelmedi olarak işaretlendi.",
    "Session cancelled.": "Seans iptal edildi.",
    "Session moved; its reminder moved with it.": "Seans taşındı; hatırlatması da birlikte taşındı.",
    # The patient page's notes below a list that shows only the latest rows.
    "The record export lists them all.": "Kaydın dışa aktarımı hepsini listeler.",
    "The record export (physicians and the clinic manager) lists them all.": (
        "Kaydın dışa aktarımı (hekimler ve klinik yöneticisi) hepsini listeler."
    ),
    # The patient's record export (an access request).
    "%(title)s (version %(version)s)": "%(title)s (sürüm %(version)s)",
    "Patient record": "Hasta kaydı",
    "Record export": "Kaydın dışa aktarımı",
    "Download as JSON": "JSON olarak indir",
    "None.": "Yok.",
    "%(clinic)s: the record of %(given)s %(family)s": "%(clinic)s: %(given)s %(family)s adlı hastanın kaydı",
    "Prepared %(at)s by %(by)s · everything the clinic holds about the patient, for an access request.": (
        "%(at)s tarihinde %(by)s tarafından hazırlandı · kliniğin hasta hakkında tuttuğu tüm bilgiler, "
        "bilgi edinme başvurusu için."
    ),
    "Registered": "Kayıt",
    "Eligibility screenings (%(count)s)": "Uygunluk taramaları (%(count)s)",
    "Screening of %(at)s": "%(at)s tarihli tarama",
    "taken by %(by)s, questionnaire %(version)s, age %(age)s": (
        "alan: %(by)s, anket sürümü %(version)s, yaş %(age)s"
    ),
    "Rules' outcome:": "Kuralların sonucu:",
    "cannot be approved": "onaylanamaz",
    "Physician's decision:": "Hekim kararı:",
    "by %(by)s, %(at)s": "%(by)s, %(at)s",
    "deferred until %(day)s": "%(day)s tarihine kadar ertelendi",
    "valid until %(day)s": "%(day)s tarihine kadar geçerli",
    "Instructions:": "Talimatlar:",
    "none": "yok",
    "Question": "Soru",
    "Answer": "Yanıt",
    "Patch tests (%(count)s)": "Yama testleri (%(count)s)",
    "Not read": "Okunmadı",
    "Consents (%(count)s)": "Onamlar (%(count)s)",
    "%(text)s: given %(at)s, recorded by %(by)s": "%(text)s: %(at)s tarihinde verildi, kaydeden %(by)s",
    "for course %(course)s": "%(course)s numaralı kür için",
    "withdrawn %(at)s": "%(at)s tarihinde geri çekildi",
    "Courses (%(count)s)": "Kürler (%(count)s)",
    "Course %(id)s: %(area)s, %(indication)s: %(sessions)s sessions every %(days)s days, %(status)s "
    "(planned %(at)s by %(by)s)": (
        "Kür %(id)s: %(area)s, %(indication)s: %(days)s günde bir, %(sessions)s seans, %(status)s "
        "(%(at)s tarihinde %(by)s tarafından planlandı)"
    ),
    "Sessions (%(count)s)": "Seanslar (%(count)s)",
    "Treatment": "Tedavi",
    "anaesthetic cream": "anestezik krem",
    "%(practitioner)s, supervised by %(physician)s": "%(practitioner)s, sorumlu hekim %(physician)s",
    "lot %(lot)s (exp. %(expiry)s)": "lot %(lot)s (son kullanma %(expiry)s)",
    "After the previous session:": "Önceki seanstan sonra:",
    "Immediate reactions:": "Erken reaksiyonlar:",
    "Aftercare emails (%(count)s)": "Bakım e-postaları (%(count)s)",
    "Side-effect reports (%(count)s)": "Yan etki bildirimleri (%(count)s)",
    "warning signs:": "uyarı belirtileri:",
    "photo %(photo)s": "fotoğraf %(photo)s",
    "by %(by)s: %(note)s": "%(by)s: %(note)s",
    # The history page: records and their fields (meso_clinic/record_labels.py), records' names (models' __str__).
    "patient details": "hasta bilgileri",
    "eligibility screening": "uygunluk taraması",
    "patch test": "yama testi",
    "consent": "onam",
    "course": "kür",
    "session": "seans",
    "product used in a session": "seansta kullanılan ürün",
    "aftercare email": "bakım e-postası",
    "side-effect report": "yan etki bildirimi",
    "Registered by": "Kaydeden",
    "Taken by": "Alan",
    "Decided by": "Karar veren",
    "Applied by": "Uygulayan",
    "Read by": "Okuyan",
    "Reaction cleared by": "Reaksiyona izin veren",
    "Recorded by": "Kaydeden",
    "Booked by": "Randevuyu veren",
    "Performed by": "Uygulayan",
    "Closed by": "Kapatan",
    "Decided": "Karar zamanı",
    "Reaction cleared": "Reaksiyona izin verildi",
    "Consent given": "Onam verildi",
    "Withdrawn": "Geri çekildi",
    "Appointment": "Randevu",
    "Next attempt": "Sonraki deneme",
    "Approval valid until": "Onay geçerlilik sonu",
    "Given name": "Ad",
    "Family name": "Soyad",
    "Emergency contact phone": "Acil durum telefonu",
    "Questionnaire version": "Anket sürümü",
    "Answers": "Yanıtlar",
    "Age (years)": "Yaş",
    "Instructions": "Talimatlar",
    "Result notes": "Sonuç notları",
    "Physician's decision on the reaction": "Reaksiyon için hekim kararı",
    "Consent text": "Onam metni",
    "Treatment area": "Tedavi alanı",
    "Days between sessions": "Seanslar arası gün",
    "Screening": "Tarama",
    "Health unchanged, confirmed": "Sağlık durumu değişmedi, onaylandı",
    "Reaction after the previous session": "Önceki seanstan sonra reaksiyon",
    "Batch": "Seri",
    "Message ID": "Mesaj kimliği",
    "Last error": "Son hata",
    "Description": "Açıklama",
    "Escalated": "Hekime iletildi",
    "Closing note": "Kapanış notu",
    "Email %(id)s: %(kind)s, %(status)s": "E-posta %(id)s: %(kind)s, %(status)s",
    "Side-effect report %(id)s": "Yan etki bildirimi %(id)s",
    "Screening %(id)s (%(outcome)s)": "Tarama %(id)s (%(outcome)s)",
    "%(product)s lot %(lot)s (exp. %(expiry)s)": "%(product)s lot %(lot)s (son kullanma %(expiry)s)",
    "Patch test %(id)s": "Yama testi %(id)s",
    "Consent %(id)s (v%(version)s)": "Onam %(id)s (sürüm %(version)s)",
    "Session %(id)s (%(status)s)": "Seans %(id)s (%(status)s)",
    "system": "sistem",
    "%(name)s (if allergic)": "%(name)s (alerjisi varsa)",
    "A reaction": "Reaksiyon oldu",
    # The administration site: the catalogue's records and fields (the clinic manager's).
    "treatment area": "tedavi alanı",
    "treatment areas": "tedavi alanları",
    "instructions in English": "İngilizce talimatlar",
    "The aftercare sheet in English, one instruction per line.": "İngilizce bakım talimatları, her satıra bir talimat.",
    "instructions in Turkish": "Türkçe talimatlar",
    "The aftercare sheet in Turkish, one instruction per line.": "Türkçe bakım talimatları, her satıra bir talimat.",
    "aftercare plan": "bakım planı",
    "aftercare plans": "bakım planları",
    "Aftercare: %(area)s": "Bakım: %(area)s",
    "plan": "plan",
    "days": "gün",
    "Calendar days, at the same time.": "Takvim günü, aynı saatte.",
    "hours": "saat",
    "active": "etkin",
    "timeline step": "zaman çizelgesi adımı",
    "timeline steps": "zaman çizelgesi adımları",
    "subject": "konu",
    "No patient data here: subjects show on lock screens.": (
        "Buraya hasta bilgisi yazmayın: konu satırı kilit ekranında görünür."
    ),
    "text": "metin",
    "Paragraphs separated by a blank line. The aftercare sheet is added below.": (
        "Paragrafları boş bir satırla ayırın. Bakım talimatları altına eklenir."
    ),
    "email text": "e-posta metni",
    "email texts": "e-posta metinleri",
    "Treatments": "Tedaviler",
    "category": "kategori",
    "name": "ad",
    "description for staff": "personel için açıklama",
    "description for patients": "hastalar için açıklama",
    "typical sessions": "tipik seans sayısı",
    "Sessions in a typical course.": "Tipik bir kürdeki seans sayısı.",
    "typical days between sessions": "seanslar arası tipik gün",
    "Days between sessions in a typical course.": "Tipik bir kürde seanslar arasındaki gün sayısı.",
    "course notes": "kür notları",
    "E.g. weekly at first, then every 2-4 weeks.": "Örn. önce haftada bir, sonra 2-4 haftada bir.",
    "indication": "endikasyon",
    "indications": "endikasyonlar",
    "kind": "tür",
    "components": "bileşenler",
    "One component per line, as on the label.": "Etikette olduğu gibi, her satıra bir bileşen.",
    "patch test required": "yama testi gerekli",
    "Off only for a product applied on the skin (the anaesthetic cream): it is then patch-tested only for "
    "patients with a known allergy.": (
        "Yalnızca cilde sürülen bir ürün (anestezik krem) için kapatın: o ürün yalnızca bilinen alerjisi olan "
        "hastalarda yama testinden geçer."
    ),
    "product": "ürün",
    "products": "ürünler",
    "lot number": "lot numarası",
    "expiry date": "son kullanma tarihi",
    "received on": "teslim alındı",
    "batch": "seri",
    "batches": "seriler",
    "version": "sürüm",
    "title": "başlık",
    "published": "yayımlandı",
    "consent text": "onam metni",
    "consent texts": "onam metinleri",
    "patient": "hasta",
    "We already have many reports from you today. Please call the clinic on %(phone)s.": (
        "Bugün sizden zaten çok sayıda bildirim aldık. Lütfen kliniği %(phone)s numarasından arayın."
    ),
    "This is not the consent text in force: show the patient the current text (reload the page) and record the "
    "consent again.": (
        "Bu, yürürlükteki onam metni değil: hastaya güncel metni gösterin (sayfayı yenileyin) ve onamı yeniden "
        "kaydedin."
    ),
    "patients": "hastalar",
    "MesoClinic administration": "MesoClinic yönetimi",
    "Signs of infection: the area is hot, more painful or oozing": (
        "Enfeksiyon belirtileri: bölge sıcak, daha ağrılı veya akıntılı"
    ),
    "%(area)s has no aftercare plan: after this session the patient gets no aftercare sheet and no aftercare "
    "emails. Ask the clinic manager to add the plan (Aftercare plans, on the administration site).": (
        "%(area)s için bakım planı yok: bu seanstan sonra hastaya bakım talimatları ve bakım e-postaları "
        "gönderilmez. Klinik yöneticisinden planı eklemesini isteyin (yönetim sitesinde Bakım planları)."
    ),
    "Not asked (the patient's first session)": "Sorulmadı (hastanın ilk seansı)",
    "A reaction: describe it below": "Reaksiyon oldu: aşağıda tarif edin",
    "The reaction after the previous session": "Önceki seanstan sonraki reaksiyon",
    "Any reaction after the previous session (%(day)s)? Ask the patient.": (
        "Önceki seanstan (%(day)s) sonra reaksiyon oldu mu? Hastaya sorun."
    ),
    "Ask the patient whether any reaction followed the previous session (%(day)s) and record it.": (
        "Önceki seanstan (%(day)s) sonra reaksiyon olup olmadığını hastaya sorun ve kaydedin."
    ),
    "Describe the reaction that followed the previous session.": "Önceki seanstan sonraki reaksiyonu tarif edin.",
    "Products marked “if allergic” need a patch test only for a patient with a known allergy.": (
        "“Alerjisi varsa” işaretli ürünler yalnızca bilinen alerjisi olan hastada yama testi gerektirir."
    ),
    "patient (emailed link)": "hasta (e-postadaki bağlantı)",
    "system: reminder worker": "sistem: hatırlatma gönderici",
    "%(product)s in session %(session)s": "%(product)s, seans %(session)s",
}

# Plural forms: the singular msgid -> (one, other). Turkish uses the same form after a number.
TR_PLURAL = {
    "%(count)s scheduled email follows the new timeline.": (
        "%(count)s planlanmış e-posta yeni zaman çizelgesine uyuyor.",
        "%(count)s planlanmış e-posta yeni zaman çizelgesine uyuyor.",
    ),
    "%(area)s course (%(count)s session)": ("%(area)s kürü (%(count)s seans)", "%(area)s kürü (%(count)s seans)"),
    "Only the latest %(counter)s is shown.": (
        "Yalnızca en son %(counter)s kayıt gösteriliyor.",
        "Yalnızca en son %(counter)s kayıt gösteriliyor.",
    ),
    "%(count)s month": ("%(count)s ay", "%(count)s ay"),
    "%(count)s week": ("%(count)s hafta", "%(count)s hafta"),
    "%(counter)s with a warning sign": (
        "%(counter)s tanesinde uyarı belirtisi var",
        "%(counter)s tanesinde uyarı belirtisi var",
    ),
    "Recorded with %(counter)s value": ("%(counter)s değerle kaydedildi", "%(counter)s değerle kaydedildi"),
    "%(counter)s finding": ("%(counter)s bulgu", "%(counter)s bulgu"),
    "<strong>%(counter)s</strong> use found.": (
        "<strong>%(counter)s</strong> kullanım bulundu.",
        "<strong>%(counter)s</strong> kullanım bulundu.",
    ),
    "%(indication)s (%(count)s session)": ("%(indication)s (%(count)s seans)", "%(indication)s (%(count)s seans)"),
    "Course planned: %(count)s session.": ("Kür planlandı: %(count)s seans.", "Kür planlandı: %(count)s seans."),
}

# Words that need a context to be told apart (msgctxt, msgid).
TR_CONTEXT = {
    ("abbrev. month", "Jan"): "Oca",
    ("abbrev. month", "Feb"): "Şub",
    ("abbrev. month", "Mar"): "Mar",
    ("abbrev. month", "Apr"): "Nis",
    ("abbrev. month", "May"): "May",
    ("abbrev. month", "Jun"): "Haz",
    ("abbrev. month", "Jul"): "Tem",
    ("abbrev. month", "Aug"): "Ağu",
    ("abbrev. month", "Sep"): "Eyl",
    ("abbrev. month", "Oct"): "Eki",
    ("abbrev. month", "Nov"): "Kas",
    ("abbrev. month", "Dec"): "Ara",
    ("two-factor sign-in", "On"): "Açık",
    ("two-factor sign-in", "Off"): "Kapalı",
}

po_path = Path(__file__).resolve().parent.parent / "locale" / "tr" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(po_path))
po.metadata["Language"] = "tr"
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
filled = 0
for entry in po:
    if entry.msgctxt:
        if (entry.msgctxt, entry.msgid) not in TR_CONTEXT:
            continue
        entry.msgstr = TR_CONTEXT[(entry.msgctxt, entry.msgid)]
    elif entry.msgid_plural:
        if entry.msgid not in TR_PLURAL:
            continue
        entry.msgstr_plural = dict(enumerate(TR_PLURAL[entry.msgid]))
    elif entry.msgid in TR:
        entry.msgstr = TR[entry.msgid]
    else:
        continue
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    filled += 1
po.save()
missing = [m for m in TR if not po.find(m)] + [m for m in TR_PLURAL if not po.find(m)]
missing += [f"{c}|{m}" for c, m in TR_CONTEXT if not po.find(m, msgctxt=c)]
left = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
print(f"filled {filled} entries; translations with no msgid: {len(missing)}; msgids left untranslated: {len(left)}")
for m in missing:
    print("  not in catalogue:", m[:70])
for m in left:
    print("  untranslated:", m[:70])
