from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0004_board_report_meeting_date_from_period")]

    operations = [
        migrations.AlterField(
            model_name="boardreport",
            name="meeting",
            field=models.CharField(
                help_text="The committee whose meeting the report is for, e.g. 'Primary Care Commissioning Committee'.",
                max_length=200,
                verbose_name="committee",
            ),
        ),
        migrations.AlterField(
            model_name="boardreport",
            name="meeting_date",
            field=models.DateField(
                help_text="Statuses, overdue actions and missing returns are counted as at this day.",
                verbose_name="date of the meeting",
            ),
        ),
    ]
