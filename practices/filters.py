"""The GET filter form above practice tables: it works as a plain form, without script."""

from __future__ import annotations

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django.db.models import Q

from .models import Cluster, Practice


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or ODS code", method="filter_name_or_code")
    cluster = django_filters.ModelChoiceFilter(
        label="Cluster", queryset=Cluster.objects.none(), method="filter_cluster", empty_label="Any cluster"
    )
    contract_type = django_filters.ChoiceFilter(
        label="Contract type", choices=[c for c in Practice.ContractType.choices if c[0]], empty_label="Any contract"
    )
    status = django_filters.ChoiceFilter(label="Status", choices=Practice.Status.choices, empty_label="Any status")

    class Meta:
        model = Practice
        fields = ["q", "cluster", "contract_type", "status"]

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()
        if clusters is None:
            del self.filters["cluster"]
        self.form.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_class = "portal-filter"
        helper.attrs = {"role": "search", "aria-label": "Filter practices"}
        helper.layout = Layout(
            Row(*[Column(name) for name in self.form.fields]),
            HTML('<button type="submit" class="nhsuk-button" data-module="nhsuk-button">Filter practices</button>'),
        )
        return helper

    def filter_name_or_code(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(ods_code__iexact=value))

    def filter_cluster(self, queryset, name, value):
        return queryset.in_cluster(value) if value else queryset
