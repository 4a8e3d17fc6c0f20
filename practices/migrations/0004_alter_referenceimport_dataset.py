"""ReferenceImport: the QOF disease prevalence dataset (choices only; no change to the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_reference_import_payments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referenceimport",
            name="dataset",
            field=models.CharField(
                choices=[
                    ("epraccur", "ODS GP practices (epraccur)"),
                    ("qof-organisations", "QOF organisation reference"),
                    ("list-sizes", "Patients registered at a GP practice"),
                    ("practice-map", "Practice to PCN, sub-ICB location and ICB map"),
                    ("payments", "NHS Payments to General Practice"),
                    ("qof-prevalence", "QOF disease prevalence"),
                ],
                max_length=20,
            ),
        ),
    ]
