from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0009_commissioning_status_into_history"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ccg',
            name='ccg_status_date_with_status',
        ),
        migrations.RemoveField(
            model_name='ccg',
            name='commissioning_status',
        ),
        migrations.RemoveField(
            model_name='ccg',
            name='commissioning_status_from',
        ),
        migrations.RemoveField(
            model_name='historicalccg',
            name='commissioning_status',
        ),
        migrations.RemoveField(
            model_name='historicalccg',
            name='commissioning_status_from',
        ),
    ]
