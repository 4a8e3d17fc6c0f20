"""Each CCG's single commissioning status and date become the first row of its dated history."""

from django.db import migrations

SOURCE = "Recorded in the portal before statuses were dated"


def forwards(apps, schema_editor):
    CCG = apps.get_model("practices", "CCG")
    Change = apps.get_model("practices", "CommissioningStatusChange")
    for ccg in CCG.objects.exclude(commissioning_status=""):
        if ccg.commissioning_status_from is None:
            continue  # a status with no date cannot be placed in a dated history
        Change.objects.get_or_create(
            ccg=ccg,
            effective_from=ccg.commissioning_status_from,
            defaults={"status": ccg.commissioning_status, "source": SOURCE},
        )


def backwards(apps, schema_editor):
    CCG = apps.get_model("practices", "CCG")
    Change = apps.get_model("practices", "CommissioningStatusChange")
    for ccg in CCG.objects.all():
        latest = Change.objects.filter(ccg=ccg).order_by("-effective_from").first()
        if latest is not None:
            ccg.commissioning_status = latest.status
            ccg.commissioning_status_from = latest.effective_from
            ccg.save(update_fields=["commissioning_status", "commissioning_status_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0008_organisation_facts_over_time"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
