from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_alter_referenceimport_dataset"),
    ]

    operations = [
        migrations.RenameField(model_name="referenceimport", old_name="user", new_name="requested_by"),
    ]
