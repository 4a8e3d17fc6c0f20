"""ReferenceImport: the NHS Payments to General Practice dataset (choices only; no change to the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0002_reference_import'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referenceimport',
            name='dataset',
            field=models.CharField(choices=[('epraccur', 'ODS GP practices (epraccur)'), ('qof-organisations', 'QOF organisation reference'), ('list-sizes', 'Patients registered at a GP practice'), ('practice-map', 'Practice to PCN, sub-ICB location and ICB map'), ('payments', 'NHS Payments to General Practice')], max_length=20),
        ),
    ]
