"""The consent text v1 in Turkish (issue 15), the same content as the English v1 of 0002_catalogue_data,
published at the same moment: a Turkish patient reads and signs it in her language."""

import datetime as dt

from django.db import migrations

TURKISH = (
    "1",
    "Mezoterapi için bilgilendirilmiş onam",
    "Mezoterapinin ne olduğu bana anlatıldı: temizlikten ve istersem lokal anestezik krem uygulandıktan sonra, "
    "vitamin, amino asit, mineral ve diğer besin öğelerinin bir enjeksiyon tabancası ya da ince iğnelerle cilde "
    "veya saçlı deriye küçük enjeksiyonlarla verilmesi.\n\n"
    "Olası yan etkiler bana anlatıldı: kızarıklık, şişlik, morarma, ciltte hassasiyet, kaşıntı ya da yanma, "
    "döküntü, çok hassas ciltte erüpsiyon, koyu renkli izler, bulantı, kusma, ishal, alerjik reaksiyonlar ve "
    "seyrek olarak, tedaviden 1 ile 12 hafta sonra başlayabilen enfeksiyon.\n\n"
    "Sağlık anketini doğru olarak yanıtladım. Her seanstan önce sağlığımdaki ya da ilaçlarımdaki her değişikliği "
    "kliniğe bildireceğim. Uygulamadan önce ve sonra aspirin ya da başka kan sulandırıcı ilaçlar (reçeteyle "
    "verilmişse ancak reçeteyi yazan hekimin önerisiyle) veya iltihap giderici (antienflamatuvar) ilaçlar "
    "almayacağım.\n\n"
    "Tedavi sonrası bakım talimatlarını aldım ve bir yan etkiyi nasıl bildireceğimi biliyorum. Bu onamı "
    "istediğim zaman geri çekebilirim.",
)


def load(apps, schema_editor):
    ConsentText = apps.get_model("treatments", "ConsentText")
    version, title, body = TURKISH
    english = ConsentText.objects.filter(version=version, language="en").first()
    published = english.published_at if english else dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ConsentText.objects.get_or_create(
        version=version, language="tr", defaults={"title": title, "body": body, "published_at": published}
    )


def unload(apps, schema_editor):
    apps.get_model("treatments", "ConsentText").objects.filter(version=TURKISH[0], language="tr").delete()


class Migration(migrations.Migration):
    dependencies = [("treatments", "0007_consent_language_signature_photo_consent")]

    operations = [migrations.RunPython(load, unload)]
