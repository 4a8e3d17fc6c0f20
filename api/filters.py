"""Filtering by organisation and period (``?ccg=12&period_from=2018-04-01``)."""

from __future__ import annotations

import django_filters

from commissioning.models import Action
from metrics.models import Level, MetricValue
from practices.models import CCG, Cluster, Practice
from returns.models import Frequency


class MetricValueFilter(django_filters.FilterSet):
    metric = django_filters.CharFilter(method="filter_metric", help_text="Metric codes, comma-separated.")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    org_id = django_filters.NumberFilter()
    practice = django_filters.NumberFilter(field_name="practice_id")
    practice_code = django_filters.CharFilter(method="filter_practice_code", help_text="A practice's ODS code.")
    cluster = django_filters.NumberFilter(field_name="cluster_id")
    ccg = django_filters.NumberFilter(method="filter_ccg", help_text="The CCG: its own values and those within it.")
    stp = django_filters.NumberFilter(method="filter_stp", help_text="The STP: its own values and those within it.")
    period = django_filters.DateFilter()
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte")
    outlier = django_filters.CharFilter()

    class Meta:
        model = MetricValue
        fields = []

    def filter_metric(self, queryset, name, value):
        return queryset.metric([code.strip() for code in value.split(",") if code.strip()])

    def filter_ccg(self, queryset, name, value):
        return queryset.in_ccg(int(value), own=True)

    def filter_stp(self, queryset, name, value):
        return queryset.in_stp(int(value), own=True)

    def filter_practice_code(self, queryset, name, value):
        return queryset.filter(level=Level.PRACTICE, practice__ods_code=value.strip().upper())


class PracticeFilter(django_filters.FilterSet):
    ccg = django_filters.NumberFilter(field_name="ccg_id")
    ccg_code = django_filters.CharFilter(field_name="ccg__ods_code")
    stp = django_filters.NumberFilter(field_name="ccg__stp_id")
    status = django_filters.ChoiceFilter(choices=Practice.Status.choices)
    ods_code = django_filters.CharFilter()

    class Meta:
        model = Practice
        fields = []


class ActionFilter(django_filters.FilterSet):
    """Status, due date and overdue filter on the values as at ``?on=`` (``ActionQuerySet.as_at``)."""

    ccg = django_filters.NumberFilter(field_name="plan__ccg_id")
    plan = django_filters.NumberFilter(field_name="plan_id")
    status = django_filters.ChoiceFilter(
        field_name="status_on", choices=Action.Status.choices, help_text="The status in force on the as-at date."
    )
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(help_text="Overdue on the as-at date.")

    class Meta:
        model = Action
        fields = []


class CCGFilter(django_filters.FilterSet):
    stp = django_filters.NumberFilter(field_name="stp_id")

    class Meta:
        model = CCG
        fields = []


class ClusterFilter(django_filters.FilterSet):
    ccg = django_filters.NumberFilter(field_name="ccg_id")

    class Meta:
        model = Cluster
        fields = []
