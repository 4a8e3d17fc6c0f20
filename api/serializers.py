"""What the API gives for each kind of row: plain fields, ids for links, codes beside names.

A row whose figures change over time says the date it is as at (``as_at``, from ``?on=``)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.models import Action
from metrics.models import MetricValue
from practices.models import CCG, STP, Cluster, Practice


class STPSerializer(serializers.ModelSerializer):
    class Meta:
        model = STP
        fields = ["id", "ons_code", "name"]


@extend_schema_field(OpenApiTypes.DATE)
class AsAtField(serializers.Field):
    """The date the row is as at: the view's ``?on=`` (today unless given)."""

    def __init__(self):
        super().__init__(source="*", read_only=True, help_text="The date this row's figures are as at (?on=).")

    def to_representation(self, value) -> str:
        return self.context["on"].isoformat()


class PopulationFields(serializers.Serializer):
    """The registered population on the as-at date (``practices.populations``), looked up in the
    ``populations`` the view counted for the whole page at once."""

    registered_population = serializers.SerializerMethodField(
        help_text="Patients registered at the member practices open on the date, each at its latest list size."
    )
    population_practices = serializers.SerializerMethodField(help_text="Member practices open on the date.")
    population_list_size_date = serializers.SerializerMethodField(
        help_text="The latest list size extract date counted (null if none)."
    )

    def _population(self, organisation):
        return self.context["populations"][organisation.pk]

    def get_registered_population(self, organisation) -> int:
        return self._population(organisation).patients

    def get_population_practices(self, organisation) -> int:
        return self._population(organisation).practices

    def get_population_list_size_date(self, organisation) -> dt.date | None:
        return self._population(organisation).latest_extract


class CCGSerializer(PopulationFields, serializers.ModelSerializer):
    as_at = AsAtField()
    commissioning_status = serializers.SerializerMethodField(
        help_text="Primary care commissioning status in effect on the date ('' if none is recorded)."
    )

    class Meta:
        model = CCG
        fields = [
            "id", "ods_code", "ons_code", "name", "stp", "as_at", "commissioning_status", "registered_population",
            "population_practices", "population_list_size_date",
        ]  # fmt: skip

    def get_commissioning_status(self, ccg: CCG) -> str:
        change = ccg.status_on(self.context["on"])
        return change.status if change else ""


class ClusterSerializer(PopulationFields, serializers.ModelSerializer):
    as_at = AsAtField()

    class Meta:
        model = Cluster
        fields = [
            "id", "name", "kind", "code", "ccg", "stated_population", "as_at", "registered_population",
            "population_practices", "population_list_size_date",
        ]  # fmt: skip


class PracticeSerializer(serializers.ModelSerializer):
    ccg_code = serializers.CharField(source="ccg.ods_code", read_only=True)

    class Meta:
        model = Practice
        fields = ["id", "ods_code", "name", "ccg", "ccg_code", "status", "open_date", "close_date", "town", "postcode"]


class MetricValueSerializer(serializers.ModelSerializer):
    metric_name = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    period_label = serializers.CharField(read_only=True)
    source_revisions = serializers.ListField(child=serializers.IntegerField(), source="revisions", read_only=True)

    class Meta:
        model = MetricValue
        fields = [
            "metric", "metric_name", "unit", "level", "org_id", "practice", "cluster", "ccg", "stp", "frequency",
            "period", "period_label", "value", "numerator", "denominator", "practices_counted", "percentile_in_ccg",
            "percentile_national", "decile", "outlier", "benchmark_exclusion", "source_revisions", "computed_at",
        ]  # fmt: skip

    def get_metric_name(self, row: MetricValue) -> str:
        return row.definition.name

    def get_unit(self, row: MetricValue) -> str:
        return row.definition.unit


class MetricDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    source = serializers.CharField()
    caveats = serializers.CharField()
    higher_is_better = serializers.BooleanField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_text = serializers.CharField()
    benchmarked = serializers.BooleanField()


class ActionSerializer(serializers.ModelSerializer):
    """An action as it stood on the as-at date (``ActionQuerySet.as_at``): its status, RAG, due
    date and overdue then."""

    ccg = serializers.IntegerField(source="plan.ccg_id", read_only=True)
    chapter = serializers.CharField(source="chapter.code", read_only=True)
    as_at = AsAtField()
    overdue = serializers.BooleanField(
        read_only=True, help_text="Past the due date in force on the date and not achieved by then."
    )

    class Meta:
        model = Action
        fields = [
            "id", "plan", "ccg", "local_code", "title", "chapter", "lead", "start_date", "as_at", "due_date",
            "status", "rag", "overdue",
        ]  # fmt: skip
