"""Comparison groups for one practice's metrics: the practices of its CCG, all practices in the
portal, and the practices in the same national deprivation decile (OpenPrescribing's "similar
practices", by IMD instead of prescribing).

The engine stores each practice's percentile in its CCG and in the portal; a group chosen when
the page is read (a deprivation decile) is ranked here from the stored values, by the same rule
(``metrics.engine.percentile_among``). Every group counts only the practices the engine
benchmarks (not closed, dormant, tiny or without a value), and shows no median or percentile
below ``SMALLEST_GROUP`` practices: a median of two is another practice's figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from metrics.definitions import metric as metric_definition
from metrics.engine import percentile_among
from metrics.models import Exclusion, MetricValue
from metrics.visibility import metric_values_for
from practices.models import DeprivationScore, Practice

SMALLEST_GROUP = 5


class Group:
    CCG = "ccg"
    ALL = "all"
    DEPRIVATION = "deprivation"


@dataclass(frozen=True)
class ComparisonGroup:
    """Practices one practice is compared with; ``practices`` is None for every practice in the portal."""

    key: str
    label: str
    practices: QuerySet[Practice] | None


@dataclass(frozen=True)
class Position:
    """Where one practice's value of one metric and period stands in a group."""

    group: ComparisonGroup
    metric: str
    period_label: str
    value: float | None
    #: Benchmarked practices of the group with a value, this one included.
    practices_compared: int
    median: float | None
    percentile: float | None
    #: Why there is no percentile ('' when there is one).
    note: str = ""


def comparison_groups(practice: Practice, deprivation: DeprivationScore | None) -> list[ComparisonGroup]:
    """The CCG's practices, all practices, and (when the practice has a score) its deprivation decile's."""
    groups = [
        ComparisonGroup(
            Group.CCG, f"Practices of {practice.ccg.name}", Practice.objects.filter(ccg_id=practice.ccg_id)
        ),
        ComparisonGroup(Group.ALL, "All practices in the portal", None),
    ]
    if deprivation is not None:
        groups.append(
            ComparisonGroup(
                Group.DEPRIVATION,
                f"Practices in the same deprivation decile ({deprivation.index} decile {deprivation.decile} of 10)",
                Practice.objects.in_deprivation_decile(deprivation.index, deprivation.decile),
            )
        )
    return groups


def group_values(group: ComparisonGroup, wanted: list[MetricValue]) -> dict[tuple, list[float]]:
    """The benchmarked values of the group's practices for the metric, frequency and period of each
    of ``wanted``, keyed by those three. One query."""
    if not wanted:
        return {}
    rows = MetricValue.objects.benchmarked().filter(
        reduce(or_, (Q(metric=v.metric, frequency=v.frequency, period=v.period) for v in wanted))
    )
    if group.practices is not None:
        rows = rows.filter(org_id__in=group.practices.values("pk"))
    found: dict[tuple, list[float]] = {}
    for metric, frequency, period, value in rows.values_list("metric", "frequency", "period", "value"):
        if value is not None:
            found.setdefault((metric, frequency, period), []).append(value)
    return found


def positions(practice: Practice, own: list[MetricValue], groups: list[ComparisonGroup]) -> list[Position]:
    """For each of the practice's own values and each group, its position: one query per group."""
    shown = []
    for group in groups:
        values = group_values(group, own)
        for value in own:
            peers = values.get((value.metric, value.frequency, value.period), [])
            base = {"group": group, "metric": value.metric, "period_label": value.period_label, "value": value.value}
            if value.benchmark_exclusion != Exclusion.INCLUDED:
                reason = Exclusion(value.benchmark_exclusion).label
                shown.append(Position(**base, practices_compared=len(peers), median=None, percentile=None,
                                      note=f"Not benchmarked: {reason.lower()}"))  # fmt: skip
                continue
            if len(peers) < SMALLEST_GROUP:
                shown.append(Position(**base, practices_compared=len(peers), median=None, percentile=None,
                                      note=f"Fewer than {SMALLEST_GROUP} practices to compare with"))  # fmt: skip
                continue
            shown.append(
                Position(
                    **base, practices_compared=len(peers), median=statistics.median(peers),
                    percentile=percentile_among(value.value, peers),
                )
            )  # fmt: skip
    return shown


def own_values(practice: Practice, user, codes: list[str], on: dt.date):
    """The practice's latest value of each benchmarked metric of ``codes`` begun by ``on``. One query."""
    benchmarked = [code for code in codes if metric_definition(code).benchmarked]
    return list(
        metric_values_for(user)
        .for_practice(practice)
        .metric(benchmarked)
        .filter(period__lte=on)
        .latest_per_organisation()
        .order_by("metric")
    )
