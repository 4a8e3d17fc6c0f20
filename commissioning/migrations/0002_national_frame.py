"""Data: the GP Forward View's chapters, national commitments and High Impact Actions."""

from django.db import migrations


def load(apps, schema_editor):
    from commissioning.national_frame import CHAPTERS, COMMITMENTS, HIGH_IMPACT_ACTIONS

    Chapter = apps.get_model("commissioning", "Chapter")
    NationalCommitment = apps.get_model("commissioning", "NationalCommitment")
    HighImpactAction = apps.get_model("commissioning", "HighImpactAction")
    chapters = {}
    for order, (code, name) in enumerate(CHAPTERS, start=1):
        chapters[code], _ = Chapter.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (chapter, code, title, figure, unit) in enumerate(COMMITMENTS, start=1):
        NationalCommitment.objects.get_or_create(
            code=code,
            defaults={"chapter": chapters[chapter], "title": title, "national_figure": figure, "unit": unit, "order": order},
        )
    for number, name, description in HIGH_IMPACT_ACTIONS:
        HighImpactAction.objects.get_or_create(number=number, defaults={"name": name, "description": description})


def unload(apps, schema_editor):
    from commissioning.national_frame import CHAPTERS, COMMITMENTS, HIGH_IMPACT_ACTIONS

    apps.get_model("commissioning", "HighImpactAction").objects.filter(
        number__in=[n for n, *_ in HIGH_IMPACT_ACTIONS]
    ).delete()
    apps.get_model("commissioning", "NationalCommitment").objects.filter(code__in=[c[1] for c in COMMITMENTS]).delete()
    apps.get_model("commissioning", "Chapter").objects.filter(code__in=[c for c, _ in CHAPTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
