"""The outcome scales mesotherapy studies use (issue 16), chosen by indication; edited afterwards in the admin.

Values are whole numbers: Roman grades are stored as their number (Norwood-Hamilton I-VII as 1-7, Ludwig I-III as
1-3, Nürnberger-Müller 0-III as 0-3) and shown by their labels.
"""

from django.db import migrations

HAIR = ["Baldness", "Alopecia / hair loss"]
SKIN = ["Wrinkles", "Cracks", "Sunspots", "Skin spots", "Skin ageing", "Acne scars"]
CELLULITE = ["Cellulite", "Regional fattening (localized fat)"]
PAIN = [
    "Menstrual pain", "Migraine", "Fibromyalgia", "Cervicobrachial syndrome", "Neuralgia", "Gout",
    "Sports injuries", "Muscle-tendon injuries", "Bursitis", "Myositis", "Painful joint effusions",
]
VASCULAR = ["Varicose veins / circulatory disorders"]

# code, name, name_tr, description, min, max, labels, higher_is_better, answered_by_patient, indications
SCALES = [
    ("pain-nrs", "Pain (0-10)", "Ağrı (0-10)",
     "Numeric rating scale, asked before each session and at follow-up: 0 no pain, 10 the worst pain imaginable.",
     0, 10, {"0": "0 No pain", "5": "5 Moderate pain", "10": "10 Worst pain imaginable"}, False, False, PAIN),
    ("norwood-hamilton", "Norwood-Hamilton (men)", "Norwood-Hamilton (erkek)",
     "Male pattern hair loss, stage I (no recession) to VII (only a band of hair at the sides and back).",
     1, 7, {str(n): f"Stage {roman}" for n, roman in enumerate(["I", "II", "III", "IV", "V", "VI", "VII"], 1)},
     False, False, HAIR),
    ("ludwig", "Ludwig (women)", "Ludwig (kadın)",
     "Female pattern hair loss: I thinning at the crown, II marked thinning, III near-total loss at the crown.",
     1, 3, {"1": "Grade I", "2": "Grade II", "3": "Grade III"}, False, False, HAIR),
    ("hair-pga", "Physician's global assessment", "Hekimin genel değerlendirmesi",
     "The physician's view of the change since the course began, on the 7-point scale (-3 to +3).",
     -3, 3, {"-3": "-3 Much worse", "-2": "-2 Worse", "-1": "-1 Slightly worse", "0": "0 No change",
             "1": "+1 Slightly improved", "2": "+2 Improved", "3": "+3 Much improved"}, True, False, HAIR),
    ("gais", "Global Aesthetic Improvement Scale (GAIS)", "Global Estetik İyileşme Ölçeği (GAIS)",
     "Compared with before the course: 1 exceptional improvement (optimal result), 2 very improved (marked "
     "improvement, not quite optimal), 3 improved (obvious improvement, a further treatment advised), 4 no change, "
     "5 worse. A lower number is better.",
     1, 5, {"1": "1 Exceptional improvement", "2": "2 Very improved", "3": "3 Improved", "4": "4 No change",
            "5": "5 Worse"}, False, False, SKIN + CELLULITE),
    ("cellulite-nm", "Cellulite grade (Nürnberger-Müller)", "Selülit derecesi (Nürnberger-Müller)",
     "0 no dimpling standing or lying; I smooth standing and lying, dimples when pinched; II dimples standing, "
     "smooth lying; III dimples standing and lying.",
     0, 3, {"0": "Grade 0", "1": "Grade I", "2": "Grade II", "3": "Grade III"}, False, False, ["Cellulite"]),
    ("satisfaction", "Patient's satisfaction (1-5)", "Hasta memnuniyeti (1-5)",
     "Her own answer, from the emailed link or asked at the clinic: 1 very dissatisfied to 5 very satisfied.",
     1, 5, {"1": "1 Very dissatisfied", "2": "2 Dissatisfied", "3": "3 Neither", "4": "4 Satisfied",
            "5": "5 Very satisfied"}, True, True, HAIR + SKIN + CELLULITE + PAIN + VASCULAR),
]


def load(apps, schema_editor):
    OutcomeScale = apps.get_model("treatments", "OutcomeScale")
    Indication = apps.get_model("treatments", "Indication")
    for order, (code, name, name_tr, description, low, high, labels, higher, by_patient, names) in enumerate(SCALES):
        scale = OutcomeScale.objects.create(
            code=code, name=name, name_tr=name_tr, description=description, min_value=low, max_value=high,
            labels=labels, higher_is_better=higher, answered_by_patient=by_patient, order=order,
        )
        scale.indications.set(Indication.objects.filter(name__in=names))


def unseed(apps, schema_editor):
    apps.get_model("treatments", "OutcomeScale").objects.filter(code__in=[s[0] for s in SCALES]).delete()


class Migration(migrations.Migration):
    dependencies = [("treatments", "0013_outcome_scales_scores")]
    operations = [migrations.RunPython(load, unseed)]
