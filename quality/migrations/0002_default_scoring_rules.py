"""The default rules of the vulnerable practice register (data only)."""

from django.db import migrations


def load(apps, schema_editor):
    from quality.defaults import load_default_scoring_rules

    load_default_scoring_rules(apps.get_model("quality", "ScoringRule"))


def unload(apps, schema_editor):
    apps.get_model("quality", "ScoringRule").objects.filter(ccg__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
