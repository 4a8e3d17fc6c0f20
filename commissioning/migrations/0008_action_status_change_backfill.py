"""Fill each existing action's status history from its change history (simple_history)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from commissioning.services import action_status_backfill

    action_status_backfill(
        action_model=apps.get_model("commissioning", "Action"),
        historical_model=apps.get_model("commissioning", "HistoricalAction"),
        change_model=apps.get_model("commissioning", "ActionStatusChange"),
    )


def clear(apps, schema_editor):
    apps.get_model("commissioning", "ActionStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0007_action_status_change")]

    operations = [migrations.RunPython(backfill, clear)]
