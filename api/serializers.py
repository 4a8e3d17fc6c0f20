"""What the API gives for each kind of row: plain fields, ids for links, codes beside names."""

from __future__ import annotations

from rest_framework import serializers

from commissioning.models import Action
from metrics.models import MetricValue
from practices.models import CCG, STP, Cluster, Practice


class STPSerializer(serializers.ModelSerializer):
    class Meta:
        model = STP
        fields = ["id", "ons_code", "name"]


class CCGSerializer(serializers.ModelSerializer):
    class Meta:
        model = CCG
        fields = ["id", "ods_code", "ons_code", "name", "stp", "commissioning_status"]


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "name", "kind", "code", "ccg", "stated_population"]


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
    ccg = serializers.IntegerField(source="plan.ccg_id", read_only=True)
    chapter = serializers.CharField(source="chapter.code", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id", "plan", "ccg", "local_code", "title", "chapter", "lead", "start_date", "due_date", "status", "rag",
        ]  # fmt: skip
