"""The standard photo views of each treatment area (issue 16): the same framing at every session, so that a
before/after comparison shows the treatment and not the angle. Editable in the administration site."""

from django.db import migrations

STANDARD_VIEWS = {
    "hair": [("scalp-top", "Scalp, top"), ("front-hairline", "Front hairline"), ("left", "Left side"),
             ("right", "Right side"), ("crown", "Crown, from behind")],
    "skin": [("face-front", "Face, front"), ("face-left", "Face, left"), ("face-right", "Face, right")],
    "cellulite": [("thighs-back", "Thighs, back"), ("thighs-left", "Thighs, left"), ("thighs-right", "Thighs, right"),
                  ("abdomen-front", "Abdomen, front")],
    "pain": [("area-front", "Treated area, front"), ("area-side", "Treated area, side")],
    "vascular": [("legs-front", "Legs, front"), ("legs-back", "Legs, back"), ("close-up", "Close-up")],
}


def add_views(apps, schema_editor):
    AreaView = apps.get_model("treatments", "AreaView")
    for category, views in STANDARD_VIEWS.items():
        for order, (code, label) in enumerate(views, start=1):
            AreaView.objects.update_or_create(category=category, code=code, defaults={"label": label, "order": order})


load = add_views  # tests/fixtures/content.py loads the content again after a transactional test


def remove_views(apps, schema_editor):
    AreaView = apps.get_model("treatments", "AreaView")
    for category, views in STANDARD_VIEWS.items():
        AreaView.objects.filter(category=category, code__in=[code for code, _ in views]).delete()


class Migration(migrations.Migration):
    dependencies = [("treatments", "0009_area_views_photos")]

    operations = [migrations.RunPython(add_views, remove_views)]
