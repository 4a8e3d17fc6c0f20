"""Data: the GP Forward View's chapters, national commitments and High Impact Actions."""

from django.db import migrations


def load(apps, schema_editor):
    from commissioning.national_frame import load_national_frame

    load_national_frame(
        apps.get_model("commissioning", "Chapter"),
        apps.get_model("commissioning", "NationalCommitment"),
        apps.get_model("commissioning", "HighImpactAction"),
    )


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
