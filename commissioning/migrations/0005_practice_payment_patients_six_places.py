"""Payments: registered and weighted patients to six decimal places, as part-year averages are published."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commissioning', '0004_funding_streams'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalpracticepayment',
            name='registered_patients',
            field=models.DecimalField(decimal_places=6, help_text='The last known figure in the year; part-year practices average it.', max_digits=14),
        ),
        migrations.AlterField(
            model_name='historicalpracticepayment',
            name='weighted_patients',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=14, null=True),
        ),
        migrations.AlterField(
            model_name='practicepayment',
            name='registered_patients',
            field=models.DecimalField(decimal_places=6, help_text='The last known figure in the year; part-year practices average it.', max_digits=14),
        ),
        migrations.AlterField(
            model_name='practicepayment',
            name='weighted_patients',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=14, null=True),
        ),
    ]
