"""Stored metric values (derived data, computed by the engine in ``metrics.engine``) and the
runs of the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from portal.models import BackgroundJob
from practices.models import CCG, Cluster, ClusterMembership, Practice
from returns.models import Frequency, Return, period_label

from . import definitions


class Level(models.TextChoices):
    PRACTICE = "practice", "Practice"
    CLUSTER = "cluster", "Cluster"
    CCG = "ccg", "CCG"
    STP = "stp", "STP"


class Outlier(models.TextChoices):
    NO = "", "Not an outlier"
    HIGH = "high", "High outlier"
    LOW = "low", "Low outlier"


class Exclusion(models.TextChoices):
    """Why a practice's value is left out of the percentiles (it is still shown and summed)."""

    INCLUDED = "", "Included"
    CLOSED = "closed", "Closed"
    DORMANT = "dormant", "Dormant"
    SMALL_LIST = "small_list", f"Fewer than {definitions.SMALL_LIST_SIZE:,} patients"
    NO_VALUE = "no_value", "No value"
    NOT_BENCHMARKED = "not_benchmarked", "Not a benchmarked measure"


def _organisation_fk(model: str) -> models.ForeignKey:
    # Derived rows, rewritten wholesale by COPY: a database foreign key would check every one
    # of millions of rows on each recompute. Organisations are never deleted (returns protect them).
    # The primary key (organisation, period, level, metric, frequency) serves every read, so no
    # index of its own either (see MetricValueQuerySet._within for reads by CCG).
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=True, blank=True,
        related_name="+",
    )  # fmt: skip


class MetricValueQuerySet(models.QuerySet):
    """Chainable reads for the dashboards, the board report and the API: see ``metrics/__init__.py``."""

    def metric(self, code: str | Iterable[str]) -> MetricValueQuerySet:
        if isinstance(code, str):
            return self.filter(metric=code)
        return self.filter(metric__in=list(code))

    def period(self, period: dt.date) -> MetricValueQuerySet:
        return self.filter(period=period)

    def between(self, first: dt.date, last: dt.date) -> MetricValueQuerySet:
        """Periods starting from ``first`` to ``last``, both included."""
        return self.filter(period__gte=first, period__lte=last)

    def frequency(self, frequency: str) -> MetricValueQuerySet:
        return self.filter(frequency=frequency)

    def quarterly(self) -> MetricValueQuerySet:
        return self.filter(frequency=Frequency.QUARTERLY)

    def monthly(self) -> MetricValueQuerySet:
        return self.filter(frequency=Frequency.MONTHLY)

    def level(self, level: str) -> MetricValueQuerySet:
        return self.filter(level=level)

    def practices(self) -> MetricValueQuerySet:
        return self.filter(level=Level.PRACTICE)

    def clusters(self) -> MetricValueQuerySet:
        return self.filter(level=Level.CLUSTER)

    def ccgs(self) -> MetricValueQuerySet:
        return self.filter(level=Level.CCG)

    def stps(self) -> MetricValueQuerySet:
        return self.filter(level=Level.STP)

    # --- one organisation's own values -----------------------------------------------
    def for_practice(self, practice) -> MetricValueQuerySet:
        return self.filter(level=Level.PRACTICE, org_id=_pk(practice))

    def for_practices(self, practices: Iterable) -> MetricValueQuerySet:
        """The values of several practices (ids or instances), found by the primary key."""
        return self.filter(level=Level.PRACTICE, org_id__in=[_pk(practice) for practice in practices])

    def for_cluster(self, cluster) -> MetricValueQuerySet:
        return self.filter(level=Level.CLUSTER, org_id=_pk(cluster))

    def for_ccg(self, ccg) -> MetricValueQuerySet:
        return self.filter(level=Level.CCG, org_id=_pk(ccg))

    def for_stp(self, stp) -> MetricValueQuerySet:
        return self.filter(level=Level.STP, org_id=_pk(stp))

    def of(self, organisation) -> MetricValueQuerySet:
        """The values of a Practice, Cluster, CCG or STP instance."""
        level = LEVEL_OF_MODEL[type(organisation).__name__]
        return self.filter(level=level, org_id=organisation.pk)

    # --- the organisations within one ------------------------------------------------
    def in_ccg(
        self, ccg, *, levels: Iterable[str] = (Level.PRACTICE, Level.CLUSTER), own: bool = False
    ) -> MetricValueQuerySet:
        """Values of the practices and clusters of the CCG (a practice by the CCG that collected its
        return for the period); chain ``.practices()`` or ``.clusters()``, or pass ``levels``.
        ``own=True`` adds the CCG's own values."""
        return self._within([_pk(ccg)], levels=levels, own_level=Level.CCG if own else None, own_ids=[_pk(ccg)])

    def in_stp(self, stp, *, own: bool = False) -> MetricValueQuerySet:
        """Values of the practices, clusters and CCGs of the STP; ``own=True`` adds the STP's own."""
        ccg_ids = list(CCG.objects.filter(stp_id=_pk(stp)).values_list("pk", flat=True))
        rows = self._within(ccg_ids, levels=(Level.PRACTICE, Level.CLUSTER, Level.CCG))
        return rows | self.for_stp(stp) if own else rows

    def _within(self, ccg_ids: list[int], *, levels: Iterable[str], own_level=None, own_ids=()) -> MetricValueQuerySet:
        """Rows of the given levels whose CCG is one of ``ccg_ids``.

        The table has no index on the CCG: a full recompute would build one over every one of
        its millions of rows. The CCGs' practices (now, or whose returns they collected) and
        clusters are listed first, a small query each, and the primary key on (organisation,
        period, ...) finds their values.
        """
        levels = set(levels)
        wanted = Q(pk__in=[])
        if Level.PRACTICE in levels:
            members = Practice.objects.filter(ccg_id__in=ccg_ids).order_by().values_list("pk", flat=True)
            collected = (
                Return.objects.filter(collection__ccg_id__in=ccg_ids).order_by().values_list("practice_id", flat=True)
            )
            wanted |= Q(level=Level.PRACTICE, org_id__in=list(members.union(collected)))
        if Level.CLUSTER in levels:
            clusters = Cluster.objects.filter(ccg_id__in=ccg_ids).order_by().values_list("pk", flat=True)
            wanted |= Q(level=Level.CLUSTER, org_id__in=list(clusters))
        if Level.CCG in levels:
            wanted |= Q(level=Level.CCG, org_id__in=ccg_ids)
        rows = self.filter(wanted, ccg_id__in=ccg_ids)
        if own_level is not None:
            rows = rows | self.filter(level=own_level, org_id__in=list(own_ids))
        return rows

    def in_cluster(self, cluster, on: dt.date) -> MetricValueQuerySet:
        """Practice values of the practices that were members of the cluster on ``on`` (for one
        period's members, the period's last day: those are the practices its value sums)."""
        members = ClusterMembership.objects.filter(cluster_id=_pk(cluster)).current(on).values("practice_id")
        return self.filter(level=Level.PRACTICE, org_id__in=members)

    # --- benchmarking ------------------------------------------------------------------
    def benchmarked(self) -> MetricValueQuerySet:
        """Practice values that count in the percentiles (not closed, dormant, tiny or empty)."""
        return self.filter(level=Level.PRACTICE, benchmark_exclusion=Exclusion.INCLUDED)

    def outliers(self) -> MetricValueQuerySet:
        return self.exclude(outlier=Outlier.NO)

    def with_organisation(self) -> MetricValueQuerySet:
        """Fetch the practice, cluster, CCG and STP of each row in the same query."""
        return self.select_related("practice", "cluster", "ccg", "stp")

    def latest_per_organisation(self) -> MetricValueQuerySet:
        """Each organisation's value of each metric for its latest period in this selection (a
        quarter before a month that starts the same day). Chain it after the filters that choose
        the periods: a filter chained after it is applied before the latest is picked."""
        latest_first = Window(
            RowNumber(),
            partition_by=[F("level"), F("org_id"), F("metric")],
            order_by=[F("period").desc(), F("frequency").desc()],
        )
        return self.annotate(newness=latest_first).filter(newness=1)

    def latest_period(self) -> dt.date | None:
        """The latest period with a value in this selection (run after ``.metric()``)."""
        return self.aggregate(latest=models.Max("period"))["latest"]

    def periods(self) -> list[dt.date]:
        """The periods with values in this selection, latest first."""
        return list(self.order_by("-period").values_list("period", flat=True).distinct())


LEVEL_OF_MODEL = {"Practice": Level.PRACTICE, "Cluster": Level.CLUSTER, "CCG": Level.CCG, "STP": Level.STP}


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


class MetricValue(models.Model):
    """One metric's value for one organisation (a practice, cluster, CCG or STP) in one period.

    ``numerator`` and ``denominator`` are the sums over the organisation's practices that had
    an accepted return for the period; ``value`` is worked out from them (see
    ``metrics.definitions``), never averaged from practices' values. ``revisions`` are the
    accepted return revisions it was computed from: a practice's value comes from one, kept in
    ``source_revision``; a cluster's, CCG's or STP's from many, kept in ``source_revisions``
    (a list of millions of one-number JSON lists would cost a full recompute a third of its
    writing time). ``practices_counted`` is how many practices' returns count. A practice
    belongs to the CCG that collected its return and to the clusters it was a member of on
    the last day of the period.

    Benchmarking (practice and cluster rows): ``percentile_in_ccg`` among the same level in
    the CCG, ``percentile_national`` among the same level in the portal (0 lowest, 100
    highest), ``decile`` from that, ``outlier`` by Tukey's fences of the practices in the
    portal, ``benchmark_exclusion`` why a practice is left out of those.

    Derived data: the engine deletes and rewrites these rows; they are not under
    simple-history (the accepted revisions they come from are kept and never change).
    """

    # The key leads with the organisation and the period: every read names organisations, and a
    # full recompute sorts 15 M rows by it, where comparing two dates is far cheaper than two texts.
    pk = models.CompositePrimaryKey("org_id", "period", "level", "metric", "frequency")
    metric = models.CharField(max_length=40, choices=definitions.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    org_id = models.BigIntegerField("organisation id", help_text="The id of the practice, cluster, CCG or STP.")
    frequency = models.CharField(max_length=9, choices=Frequency.choices)
    period = models.DateField(help_text="The first day of the month or quarter.")
    practice = _organisation_fk("practices.Practice")
    cluster = _organisation_fk("practices.Cluster")
    ccg = _organisation_fk("practices.CCG")
    stp = _organisation_fk("practices.STP")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    practices_counted = models.PositiveIntegerField(default=0)
    source_revision = models.BigIntegerField(
        null=True, blank=True, help_text="A practice's value: the accepted revision it comes from."
    )
    source_revisions = models.JSONField(
        null=True, blank=True, help_text="A cluster's, CCG's or STP's value: the accepted revisions summed."
    )
    computed_at = models.DateTimeField(default=timezone.now)
    percentile_in_ccg = models.FloatField("percentile in the CCG", null=True, blank=True)
    percentile_national = models.FloatField("percentile in the portal", null=True, blank=True)
    decile = models.PositiveSmallIntegerField(null=True, blank=True)
    outlier = models.CharField(max_length=4, choices=Outlier.choices, default=Outlier.NO, blank=True)
    benchmark_exclusion = models.CharField(max_length=15, choices=Exclusion.choices, default="", blank=True)

    objects = MetricValueQuerySet.as_manager()

    class Meta:
        ordering = ["metric", "level", "org_id", "period"]
        constraints = [
            models.CheckConstraint(
                name="metric_value_level_matches_organisation",
                condition=Q(level="practice", practice_id=models.F("org_id"))
                | Q(level="cluster", cluster_id=models.F("org_id"))
                | Q(level="ccg", ccg_id=models.F("org_id"))
                | Q(level="stp", stp_id=models.F("org_id")),
            ),
            models.CheckConstraint(
                name="metric_value_decile_1_to_10", condition=Q(decile__isnull=True) | Q(decile__gte=1, decile__lte=10)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.name}, {self.get_level_display()} {self.org_id}, {self.period_label}: {self.display}"

    @property
    def definition(self) -> definitions.Metric:
        return definitions.metric(self.metric)

    @property
    def revisions(self) -> list[int]:
        """The ids of the accepted return revisions this value was computed from."""
        if self.source_revision is not None:
            return [self.source_revision]
        return list(self.source_revisions or [])

    @property
    def display(self) -> str:
        """'2.31 FTE per 1,000 patients', '14.0%', '+3.50 FTE'."""
        return self.definition.format(self.value)

    @property
    def period_label(self) -> str:
        return period_label(self.frequency, self.period)

    @property
    def organisation(self):
        return {"practice": self.practice, "cluster": self.cluster, "ccg": self.ccg, "stp": self.stp}[self.level]

    @property
    def target_met(self) -> bool | None:
        target = self.definition.target
        if target is None or self.value is None:
            return None
        return self.value >= target


class MetricDecilesQuerySet(models.QuerySet):
    def metric(self, code: str) -> MetricDecilesQuerySet:
        return self.filter(metric=code)

    def period(self, period: dt.date) -> MetricDecilesQuerySet:
        return self.filter(period=period)


class MetricDeciles(models.Model):
    """The 10th to 90th percentiles of one metric among the practices in the portal for one
    period (those not left out of benchmarking): the decile lines of a chart. Derived data."""

    metric = models.CharField(max_length=40, choices=definitions.choices)
    frequency = models.CharField(max_length=9, choices=Frequency.choices)
    period = models.DateField()
    deciles = models.JSONField(help_text="The 10th, 20th, ... 90th percentiles, nine values.")
    lower_fence = models.FloatField(null=True, blank=True, help_text="Below this a practice is a low outlier.")
    upper_fence = models.FloatField(null=True, blank=True, help_text="Above this a practice is a high outlier.")
    practices_counted = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    objects = MetricDecilesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "metric deciles"
        ordering = ["metric", "period"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "frequency", "period"], name="metric_deciles_unique"),
        ]

    def __str__(self) -> str:
        return f"Deciles of {self.metric}, {period_label(self.frequency, self.period)}"

    @property
    def median(self) -> float:
        return self.deciles[4]


class RecomputeRun(BackgroundJob):
    """One run of the metrics engine: what started it, how far it has got, and what it reported.

    ``problems`` lists the practices (and periods) whose returns could not be used, with why;
    the rest are computed all the same.
    """

    class Trigger(models.TextChoices):
        BROWSER = "browser", "Started from the browser"
        NIGHTLY = "nightly", "Nightly recompute"
        ACCEPTANCE = "acceptance", "A return was accepted"
        COMMAND = "command", "Command line"

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    scope = models.JSONField(
        default=dict, blank=True, help_text="Empty for everything; else {'workforce': [periods], 'access': [...]}."
    )
    values_written = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        pass

    def __str__(self) -> str:
        return f"Metrics recompute {self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("metrics:run_detail", args=[self.pk])


class PendingRecompute(models.Model):
    """A period of one area touched by an accepted return and not yet recomputed. The debounced
    job takes all of them at once; the unique key means a burst of acceptances is one row."""

    area = models.CharField(max_length=10)
    frequency = models.CharField(max_length=9, choices=Frequency.choices)
    period = models.DateField()
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "frequency", "period"], name="pending_recompute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {period_label(self.frequency, self.period)}"
