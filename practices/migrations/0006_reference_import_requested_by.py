from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_worker_job_heartbeat"),
    ]

    operations = [
        migrations.RenameField(model_name="referenceimport", old_name="user", new_name="requested_by"),
    ]
