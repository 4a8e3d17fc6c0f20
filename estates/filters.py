"""GET filter forms above the premises register and the scheme list; plain forms, no script."""

from __future__ import annotations

import datetime as dt

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django.db.models import Q
from django.utils import timezone

from practices.models import CCG, Cluster, ClusterMembership, Site

from .models import ETTF_STREAM_CODE, Premises, Scheme


def _filter_helper(label: str, rows: list[list[str]], button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.form_class = "portal-filter"
    helper.attrs = {"role": "search", "aria-label": label}
    helper.layout = Layout(
        *[Row(*[Column(name) for name in row]) for row in rows],
        Submit("", button),
    )
    return helper


class PremisesFilter(django_filters.FilterSet):
    """Filters the sites of the register (a ``Site`` queryset, premises details or not)."""

    q = django_filters.CharFilter(label="Practice or site", method="filter_search")
    ccg = django_filters.ModelChoiceFilter(
        label="CCG", field_name="practice__ccg", queryset=CCG.objects.none(), empty_label="Any CCG"
    )
    cluster = django_filters.ModelChoiceFilter(
        label="Cluster", queryset=Cluster.objects.none(), empty_label="Any cluster", method="filter_cluster"
    )
    kind = django_filters.ChoiceFilter(label="Main or branch", choices=Site.Kind.choices, empty_label="Either")
    ownership = django_filters.ChoiceFilter(
        field_name="premises__ownership", choices=Premises.Ownership.choices, empty_label="Any owner"
    )
    condition = django_filters.ChoiceFilter(
        label="Condition", field_name="premises__condition", choices=Premises.Condition.choices, empty_label="Any grade"
    )
    lease = django_filters.ChoiceFilter(
        label="Lease end",
        choices=[("12", "Ends within 12 months"), ("36", "Ends within 3 years"), ("ended", "Already ended")],
        empty_label="Any lease",
        method="filter_lease",
    )
    void = django_filters.ChoiceFilter(
        label="Void space", choices=[("yes", "Has void space")], empty_label="Any", method="filter_void"
    )
    recorded = django_filters.ChoiceFilter(
        label="Premises details",
        choices=[("yes", "Recorded"), ("no", "Not recorded yet")],
        empty_label="Recorded or not",
        method="filter_recorded",
    )

    class Meta:
        model = Site
        fields = ["q", "ccg", "cluster", "kind", "ownership", "condition", "lease", "void", "recorded"]

    def __init__(self, *args, ccgs=None, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["ccg"].queryset = ccgs if ccgs is not None else CCG.objects.none()
        self.filters["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()
        rows = [["q", "ccg", "cluster", "kind", "ownership"], ["condition", "lease", "void", "recorded"]]
        if ccgs is None or len(ccgs) <= 1:
            rows[0].remove("ccg")
        if clusters is None or not clusters.exists():
            rows[0].remove("cluster")
        self.form.helper = _filter_helper("Filter the premises register", rows, "Filter sites")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(practice__name__icontains=value)
            | Q(practice__ods_code__iexact=value)
            | Q(postcode__icontains=value)
        )

    def filter_cluster(self, queryset, name, value):
        members = ClusterMembership.objects.current(timezone.localdate()).filter(cluster=value)
        return queryset.filter(practice__in=members.values("practice"))

    def filter_lease(self, queryset, name, value):
        today = timezone.localdate()
        if value == "ended":
            return queryset.filter(premises__lease_end_date__lt=today)
        months = int(value)
        return queryset.filter(
            premises__lease_end_date__gte=today,
            premises__lease_end_date__lte=today + dt.timedelta(days=months * 365 // 12),
        )

    def filter_void(self, queryset, name, value):
        return queryset.filter(premises__void_area_m2__gt=0) if value == "yes" else queryset

    def filter_recorded(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(premises__isnull=False)
        if value == "no":
            return queryset.filter(premises__isnull=True)
        return queryset


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    ccg = django_filters.ModelChoiceFilter(label="CCG", queryset=CCG.objects.none(), empty_label="Any CCG")
    status = django_filters.ChoiceFilter(choices=Scheme.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Scheme.Kind.choices, empty_label="Any kind")
    is_ettf = django_filters.ChoiceFilter(
        label="ETTF", choices=[("yes", "ETTF bids only")], empty_label="ETTF or not", method="filter_ettf"
    )

    class Meta:
        model = Scheme
        fields = ["q", "ccg", "status", "kind", "is_ettf"]

    def __init__(self, *args, ccgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["ccg"].queryset = ccgs if ccgs is not None else CCG.objects.none()
        row = ["q", "ccg", "status", "kind", "is_ettf"]
        if ccgs is None or len(ccgs) <= 1:
            row.remove("ccg")
        self.form.helper = _filter_helper("Filter schemes", [row], "Filter schemes")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(practices__name__icontains=value)
        ).distinct()

    def filter_ettf(self, queryset, name, value):
        return queryset.filter(funding_stream__code=ETTF_STREAM_CODE) if value == "yes" else queryset
