"""The seeded catalogue's patient-facing texts in Turkish (issue 15): the areas' names and descriptions for patients,
the indications' and the products' names, as the aftercare plans' instructions already are (aftercare 0002).

Rows are found by what migration 0002 created (an area by its category and English name, an indication by its area
and name, a product by its name); one the clinic has renamed since is left for the manager to fill in.
"""

from django.db import migrations

AREAS = {
    # category: (English name, Turkish name, Turkish description for patients)
    "skin": (
        "Skin rejuvenation",
        "Cilt yenileme",
        "Cildin sağlığını, dokusunu ve tonunu iyileştirmek için cilde küçük enjeksiyonlarla besleyici maddeler "
        "verilir. Hafif kızarıklık ve şişlik genellikle birkaç gün içinde geçer.",
    ),
    "hair": (
        "Hair and scalp",
        "Saç ve saçlı deri",
        "Saç köklerini beslemek için saçlı deriye küçük enjeksiyonlar yapılır. Sonuçlar seanslar boyunca giderek "
        "belirginleşir.",
    ),
    "cellulite": (
        "Cellulite and localized fat",
        "Selülit ve bölgesel yağlanma",
        "Selülit ya da bölgesel yağlanma olan bölgeye enjeksiyonlar yapılır. Sonrasında bol giysiler giyin: dar "
        "giysiler kan dolaşımını etkiler.",
    ),
    "pain": (
        "Pain",
        "Ağrı",
        "Akut ya da kronik ağrıyı hafifletmek için ağrıyan bölgeye küçük enjeksiyonlar yapılır.",
    ),
    "vascular": (
        "Vascular",
        "Damar ve dolaşım",
        "Tedavi edilen bölgede kan dolaşımını desteklemek için küçük enjeksiyonlar yapılır.",
    ),
}

INDICATIONS = {
    "Wrinkles": "Kırışıklıklar",
    "Cracks": "Çatlaklar",
    "Sunspots": "Güneş lekeleri",
    "Skin spots": "Cilt lekeleri",
    "Skin ageing": "Cilt yaşlanması",
    "Acne scars": "Akne izleri",
    "Baldness": "Kellik",
    "Alopecia / hair loss": "Alopesi / saç dökülmesi",
    "Cellulite": "Selülit",
    "Regional fattening (localized fat)": "Bölgesel yağlanma",
    "Menstrual pain": "Adet ağrısı",
    "Migraine": "Migren",
    "Fibromyalgia": "Fibromiyalji",
    "Cervicobrachial syndrome": "Servikobrakiyal sendrom (boyun-kol ağrısı)",
    "Neuralgia": "Nevralji (sinir ağrısı)",
    "Gout": "Gut",
    "Sports injuries": "Spor yaralanmaları",
    "Muscle-tendon injuries": "Kas ve tendon yaralanmaları",
    "Bursitis": "Bursit",
    "Myositis": "Miyozit (kas iltihabı)",
    "Painful joint effusions": "Eklemde ağrılı sıvı birikmesi",
    "Varicose veins / circulatory disorders": "Varisler / dolaşım bozuklukları",
}

PRODUCTS = {
    "Revitalising vitamin complex": "Canlandırıcı vitamin kompleksi",
    "Amino acid complex": "Amino asit kompleksi",
    "Mineral complex": "Mineral kompleksi",
    "Hair growth formulation": "Saç büyümesini destekleyen karışım",
    "Lipolytic formulation": "Yağ çözücü (lipolitik) karışım",
    "Hyaluronic acid (non-crosslinked)": "Hyalüronik asit (çapraz bağsız)",
    "Lidocaine/prilocaine cream 5%": "Lidokain/prilokain krem %5",
}


def load(apps, schema_editor):
    TreatmentArea = apps.get_model("treatments", "TreatmentArea")
    Indication = apps.get_model("treatments", "Indication")
    Product = apps.get_model("treatments", "Product")
    for category, (english, turkish, description) in AREAS.items():
        TreatmentArea.objects.filter(category=category, name=english, name_tr="").update(
            name_tr=turkish, patient_description_tr=description
        )
    for english, turkish in INDICATIONS.items():
        Indication.objects.filter(name=english, name_tr="").update(name_tr=turkish)
    for english, turkish in PRODUCTS.items():
        Product.objects.filter(name=english, name_tr="").update(name_tr=turkish)


def unload(apps, schema_editor):
    for model in ("TreatmentArea", "Indication", "Product"):
        apps.get_model("treatments", model).objects.update(name_tr="")
    apps.get_model("treatments", "TreatmentArea").objects.update(patient_description_tr="")


class Migration(migrations.Migration):
    dependencies = [("treatments", "0011_catalogue_in_turkish")]
    operations = [migrations.RunPython(load, unload)]
