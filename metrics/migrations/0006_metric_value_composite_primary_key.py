"""The primary key of a metric value becomes (organisation, period, level, metric, frequency):
the ``id`` column and the separate unique key on the same columns go.

A full recompute builds the key of 15 M rows afresh; one key instead of two, leading with an
integer and a date rather than texts, takes less than half the time to sort. Django cannot
alter a table to a composite primary key, so the table is made again and its rows copied
across (both ways: the migration is reversible and keeps the values).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import metrics.definitions

TABLE = "metrics_metricvalue"
KEEP = "metrics_metricvalue_keep"
COLUMNS = ", ".join(['metric', 'level', 'org_id', 'frequency', 'period', 'practice_id', 'cluster_id', 'ccg_id', 'stp_id', 'value', 'numerator', 'denominator', 'practices_counted', 'source_revision', 'source_revisions', 'computed_at', 'percentile_in_ccg', 'percentile_national', 'decile', 'outlier', 'benchmark_exclusion'])

KEEP_ROWS = f"CREATE TABLE {KEEP} AS SELECT {COLUMNS} FROM {TABLE}"
PUT_BACK = [f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {KEEP}", f"DROP TABLE {KEEP}"]


class Migration(migrations.Migration):

    dependencies = [
        ("metrics", "0005_metric_choices_callable"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="metricvalue", name="metric_value_unique"),
                migrations.RemoveField(model_name="metricvalue", name="id"),
                migrations.AddField(
                    model_name="metricvalue",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "org_id", "period", "level", "metric", "frequency",
                        blank=True, editable=False, primary_key=True, serialize=False,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(KEEP_ROWS, PUT_BACK),
                migrations.DeleteModel(name="MetricValue"),
                migrations.CreateModel(
                    name='MetricValue',
                    fields=[
                        ('pk', models.CompositePrimaryKey('org_id', 'period', 'level', 'metric', 'frequency', blank=True, editable=False, primary_key=True, serialize=False)),
                        ('metric', models.CharField(choices=metrics.definitions.choices, max_length=40)),
                        ('level', models.CharField(choices=[('practice', 'Practice'), ('cluster', 'Cluster'), ('ccg', 'CCG'), ('stp', 'STP')], max_length=8)),
                        ('org_id', models.BigIntegerField(help_text='The id of the practice, cluster, CCG or STP.', verbose_name='organisation id')),
                        ('frequency', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('annual', 'Annual (financial year)')], max_length=9)),
                        ('period', models.DateField(help_text='The first day of the month or quarter.')),
                        ('practice', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.practice')),
                        ('cluster', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.cluster')),
                        ('ccg', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.ccg')),
                        ('stp', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practices.stp')),
                        ('value', models.FloatField(blank=True, null=True)),
                        ('numerator', models.FloatField(blank=True, null=True)),
                        ('denominator', models.FloatField(blank=True, null=True)),
                        ('practices_counted', models.PositiveIntegerField(default=0)),
                        ('source_revision', models.BigIntegerField(blank=True, help_text="A practice's value: the accepted revision it comes from.", null=True)),
                        ('source_revisions', models.JSONField(blank=True, help_text="A cluster's, CCG's or STP's value: the accepted revisions summed.", null=True)),
                        ('computed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('percentile_in_ccg', models.FloatField(blank=True, null=True, verbose_name='percentile in the CCG')),
                        ('percentile_national', models.FloatField(blank=True, null=True, verbose_name='percentile in the portal')),
                        ('decile', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('outlier', models.CharField(blank=True, choices=[('', 'Not an outlier'), ('high', 'High outlier'), ('low', 'Low outlier')], default='', max_length=4)),
                        ('benchmark_exclusion', models.CharField(blank=True, choices=[('', 'Included'), ('closed', 'Closed'), ('dormant', 'Dormant'), ('small_list', 'Fewer than 1,000 patients'), ('no_value', 'No value'), ('not_benchmarked', 'Not a benchmarked measure')], default='', max_length=15)),
                    ],
                    options={
                        'ordering': ['metric', 'level', 'org_id', 'period'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('level', 'practice'), ('practice_id', models.F('org_id'))), models.Q(('cluster_id', models.F('org_id')), ('level', 'cluster')), models.Q(('ccg_id', models.F('org_id')), ('level', 'ccg')), models.Q(('level', 'stp'), ('stp_id', models.F('org_id'))), _connector='OR'), name='metric_value_level_matches_organisation'), models.CheckConstraint(condition=models.Q(('decile__isnull', True), models.Q(('decile__gte', 1), ('decile__lte', 10)), _connector='OR'), name='metric_value_decile_1_to_10')],
                        'indexes': [],
                    },
                ),
                migrations.RunSQL(PUT_BACK, KEEP_ROWS),
            ],
        ),
    ]
