"""The GET filter form above the action list; a plain form, no script needed."""

from __future__ import annotations

import datetime as dt

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Hidden, Layout, Row, Submit
from django.db.models import Q

from portal.todo import RECENT_DAYS
from practices.models import Cluster

from .models import Action, Chapter


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    chapter = django_filters.ModelChoiceFilter(queryset=Chapter.objects.all(), empty_label="Any chapter")
    status = django_filters.ChoiceFilter(
        field_name="status_on", label="Status", choices=Action.Status.choices, empty_label="Any status"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=Action.RAG.choices, empty_label="Any RAG", method="filter_rag"
    )
    lead = django_filters.CharFilter(label="Lead", lookup_expr="icontains")
    cluster = django_filters.ModelChoiceFilter(
        label="Cluster", queryset=Cluster.objects.none(), field_name="clusters", empty_label="Any cluster"
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue",
        choices=[
            ("yes", "Overdue only"), ("new", f"Newly overdue (in the last {RECENT_DAYS} days)"), ("no", "Not overdue"),
        ],
        empty_label="Overdue or not", method="filter_overdue",
    )  # fmt: skip
    open = django_filters.ChoiceFilter(
        label="Open", choices=[("yes", "Open only (not achieved)")], empty_label="Open or achieved",
        method="filter_open",
    )  # fmt: skip

    class Meta:
        model = Action
        fields = ["q", "chapter", "status", "rag", "lead", "cluster", "overdue", "open"]

    def __init__(self, *args, clusters=None, on: str = "", **kwargs):
        """``on``: the as-at date (``?on=``) the filter form carries when it is not the default."""
        super().__init__(*args, **kwargs)
        self.filters["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_class = "portal-filter"
        helper.attrs = {"role": "search", "aria-label": "Filter actions"}
        helper.layout = Layout(
            Row(*[Column(name) for name in ["q", "chapter", "status", "rag"]]),
            Row(*[Column(name) for name in ["lead", "cluster", "overdue", "open"]]),
            *([Hidden("on", on)] if on else []),
            Submit("", "Filter actions"),
        )
        self.form.helper = helper

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(local_code__icontains=value) | Q(description__icontains=value)
        )

    # The list is ``Action.objects.as_at(on)``: status, RAG and overdue filter the values as at that date.
    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag_on=value)

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(overdue=True)
        if value == "new":
            on = queryset.as_at_on
            return queryset.overdue_since(on - dt.timedelta(days=RECENT_DAYS), on)
        if value == "no":
            return queryset.filter(overdue=False)
        return queryset

    def filter_open(self, queryset, name, value):
        return queryset.open(queryset.as_at_on) if value == "yes" else queryset
