"""The risk register of a plan: the list with the 5x5 matrix, one risk with its score over time,
and the add and edit forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_tables2 as tables
import plotly.graph_objects as go
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import slugify
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal import chart_summary, charts, display, exports
from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.tables import NUMERIC, TABLE_CLASS

from ..forms_register import IMPACT, LIKELIHOOD, RiskFilter, RiskForm
from ..models import RISK_GRADE_SCORES, Plan, Risk, RiskGrade, Scored, risk_grade
from ..visibility import risks_for
from .common import PlanScopedMixin, PlanWriteMixin, plan_breadcrumbs
from .plans import plan_as_at

RISKS_PER_PAGE = 50
GRADE_LABELS = dict(RiskGrade.choices)
# The words carry the grade; the colour only helps.
GRADE_COLOURS = {
    "low": "green",
    "moderate": "yellow",
    "high": "orange",
    "extreme": "red",
}


def grade_badge(grade: str) -> str:
    return render_to_string("commissioning/_risk_grade.html", {"grade": grade, "label": GRADE_LABELS[grade],
                                                               "css": GRADE_COLOURS[grade]})  # fmt: skip


def risk_breadcrumbs(plan: Plan) -> list[tuple[str, str | None]]:
    return plan_breadcrumbs(plan) + [("Risk register", reverse("commissioning:risk_list", args=[plan.pk]))]


NUMBER = NUMERIC


class RiskTable(tables.Table):
    reference = tables.Column("Ref", linkify=("commissioning:risk_detail", [tables.A("pk")]))
    description = tables.Column("Risk", orderable=False)
    owner = tables.Column("Owner")
    # The rows are ``Risk.objects.as_at(on)``: sort by the values as at that date, not today's columns.
    likelihood = tables.Column("Likelihood", order_by=("likelihood_on", "reference"), attrs=NUMBER)
    impact = tables.Column("Impact", order_by=("impact_on", "reference"), attrs=NUMBER)
    score = tables.Column("Score", accessor="score_value", attrs=NUMERIC)
    grade = tables.Column("Grade", accessor="score_value", order_by=("score_value", "reference"))
    mitigations = tables.Column("Mitigations", orderable=False, default="None recorded")
    actions = tables.Column("Actions it threatens", accessor="pk", orderable=False)
    status = tables.Column("Status", order_by=("status_on", "reference"))

    class Meta:
        model = Risk
        fields = [
            "reference", "description", "owner", "likelihood", "impact", "score", "grade", "mitigations", "actions",
            "status",
        ]  # fmt: skip
        template_name = "portal/_table.html"
        order_by = ("-score", "reference")
        empty_text = "No risks match these filters."
        attrs = {"class": f"{TABLE_CLASS} risk-table"}

    def __init__(self, *args, caption: str = "Risks", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_grade(self, value):
        return grade_badge(risk_grade(value))

    def render_actions(self, record):
        actions = list(record.actions.all())
        if not actions:
            return "None named"
        return format_html_join(", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a.local_code) for a in actions))

    def render_status(self, record):
        return record.get_status_display()


class Graded(Scored):
    """Score and grade with the grade's label and tag colour, for a cell of the matrix."""

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]

    @property
    def css(self) -> str:
        return GRADE_COLOURS[self.grade]


@dataclass
class MatrixCell(Graded):
    likelihood: int
    impact: int
    count: int


def risk_matrix(risks) -> list[tuple[str, list[MatrixCell]]]:
    """Open risks counted in each cell of the NHS 5x5 matrix, likelihood 5 at the top; one query.
    ``risks`` is ``Risk.objects.as_at(on)``: the cells are the scores and statuses as at that date."""
    counts = {
        (row["likelihood_on"], row["impact_on"]): row["n"]
        for row in risks.filter(status_on=Risk.Status.OPEN)
        .order_by()
        .values("likelihood_on", "impact_on")
        .annotate(n=Count("pk"))
    }
    return [
        (label, [MatrixCell(likelihood, impact, counts.get((likelihood, impact), 0)) for impact, _ in IMPACT])
        for likelihood, label in reversed(LIKELIHOOD)
    ]


class RiskListView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, TemplateView):
    template_name = "commissioning/risk_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        as_at = plan_as_at(
            self.request, plan, label="Show the register as at",
            help_text="Likelihood, impact, score and status as recorded in the register by the end of this day.",
        )  # fmt: skip
        register = risks_for(self.request.user).filter(plan=plan).as_at(as_at.on)
        risk_filter = RiskFilter(
            self.request.GET or None,
            queryset=register.prefetch_related("actions"),
            on="" if as_at.is_default else as_at.on.isoformat(),
        )
        caption = f"Risks in the register of {plan} as at {display.long_date(as_at.on)}, highest score first"
        table = RiskTable(risk_filter.qs, caption=caption)
        RequestConfig(self.request, paginate={"per_page": RISKS_PER_PAGE}).configure(table)
        version = plan.current_version
        context.update(
            plan=plan,
            as_at=as_at,
            filter=risk_filter,
            table=table,
            matrix=risk_matrix(register),
            impacts=IMPACT,
            grades=[(GRADE_LABELS[g], GRADE_COLOURS[g], low, high) for g, (low, high) in RISK_GRADE_SCORES.items()],
            locked_version=version if version and version.status == version.Status.SUBMITTED else None,
            can_add=self.request.user.has_perm("commissioning.add_risk", plan),
        )
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Risk register", None)]


REGISTER_HEADERS = [
    exports.text("Ref"), exports.text("Risk"), exports.text("Owner"), exports.integer("Likelihood (1-5)"),
    exports.integer("Impact (1-5)"), exports.integer("Score (1-25)"), exports.text("Grade"),
    exports.text("Status"), exports.text("Mitigations"), exports.text("Actions it threatens"), exports.date("As at"),
]  # fmt: skip


def risk_register_export(*, risks, on: dt.date, file_format: str) -> bytes:
    """The register as at ``on`` (``risks`` is ``Risk.objects.as_at(on)``), highest score first, as CSV or
    XLSX. Two queries."""
    rows = (
        [
            risk.reference,
            risk.description,
            risk.owner,
            risk.likelihood,
            risk.impact,
            risk.score,
            GRADE_LABELS[risk.grade],
            risk.get_status_display(),
            risk.mitigations,
            ", ".join(a.local_code for a in risk.actions.all()),
            on,
        ]  # fmt: skip
        for risk in risks.prefetch_related("actions").order_by("-score_value", "reference")
    )
    return exports.write_table(headers=REGISTER_HEADERS, rows=rows, file_format=file_format, title="Risk register")


class RiskExportView(LoginRequiredMixin, PlanScopedMixin, View):
    """The register as at ``?on=`` (the page's date) as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        file_format = self.kwargs["file_format"]
        if file_format not in exports.FORMATS:
            raise Http404
        on = plan_as_at(request, self.plan).on
        content = risk_register_export(
            risks=risks_for(request.user).filter(plan=self.plan).as_at(on), on=on, file_format=file_format
        )
        name = slugify(f"{self.plan.ccg.ods_code} {self.plan.title} {self.plan.period_label}")
        return exports.download(content, file_format=file_format, filename=f"{name}-risks-{on}.{file_format}")


@dataclass
class ScorePoint(Graded):
    """One change of a risk's score, read from its history."""

    when: dt.datetime
    who: str
    likelihood: int
    impact: int


def risk_score_history(risk: Risk) -> list[ScorePoint]:
    """Each time the likelihood or impact changed (and the first score), oldest first, in one query."""
    points: list[ScorePoint] = []
    records = risk.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.history_type == "-":
            continue
        if points and (points[-1].likelihood, points[-1].impact) == (record.likelihood, record.impact):
            continue
        who = str(record.history_user) if record.history_user else "The system (an import or a job)"
        points.append(ScorePoint(record.history_date, who, record.likelihood, record.impact))
    return points


def score_history_figure(points: list[ScorePoint]) -> go.Figure:
    """A step line of the score: it stays where it was until the next change, and up to today."""
    x = [timezone.localtime(p.when).isoformat() for p in points]
    y = [p.score for p in points]
    if points:
        x.append(timezone.localtime().isoformat())
        y.append(points[-1].score)
    fig = go.Figure(
        go.Scatter(
            x=x, y=y, mode="lines+markers", line_shape="hv", name="Score",
            hovertemplate="%{x|%d %b %Y}: score %{y}<extra></extra>",
        )
    )  # fmt: skip
    colours = {"low": charts.GREEN, "moderate": charts.WARM_YELLOW, "high": charts.RED, "extreme": charts.TEXT}
    for grade, (low, high) in RISK_GRADE_SCORES.items():
        fig.add_hrect(y0=low - 0.5, y1=high + 0.5, fillcolor=colours[grade], opacity=0.08, line_width=0)
        fig.add_annotation(
            xref="paper", x=1, xanchor="left", y=(low + high) / 2, text=GRADE_LABELS[grade], showarrow=False
        )
    fig.update_layout(
        **charts.BASE_LAYOUT,
        height=280,
        margin={"l": 50, "r": 90, "t": 20, "b": 40},
        yaxis={"title": {"text": "Score (likelihood x impact)"}, "range": [0, 25.5], "dtick": 5},
        xaxis={"title": {"text": "Date"}, "type": "date", "tickformat": "%d %b %Y"},
        showlegend=False,
    )
    return fig


def score_history_summary(points: list[ScorePoint]) -> str:
    """The score's trend in words, for beside the chart (lower is better: a falling score is good news)."""
    return "Score: " + chart_summary.series(
        [display.uk_date(timezone.localtime(p.when).date()) for p in points],
        [p.score for p in points],
        preposition="on",
    )


class RiskDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/risk_detail.html"
    context_object_name = "risk"

    def get_queryset(self):
        return risks_for(self.request.user).select_related("plan__ccg").prefetch_related("actions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = self.object
        points = risk_score_history(risk)
        context.update(
            grade_label=GRADE_LABELS[risk.grade],
            grade_css=GRADE_COLOURS[risk.grade],
            score_history=list(reversed(points)),
            chart=score_history_figure(points).to_json() if points else None,
            chart_summary=score_history_summary(points) if points else "",
            history=history_of(risk, limit=20),
            can_edit=self.request.user.has_perm("commissioning.change_risk", risk),
        )
        return context

    def get_breadcrumbs(self):
        return risk_breadcrumbs(self.object.plan) + [(f"Risk {self.object.reference}", None)]


class RiskCreateView(
    LoginRequiredMixin, PlanScopedMixin, PermissionRequiredMixin, PlanWriteMixin, SuccessMessageMixin, FormPageMixin,
    CreateView,
):  # fmt: skip
    form_class = RiskForm
    permission_required = "commissioning.add_risk"
    success_message = "Added risk %(reference)s to the register."
    intro = "Score the risk on the NHS 5x5 matrix: its score is likelihood times impact."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Risk(plan=self.plan), "submit_text": "Add risk"}

    def get_success_url(self):
        return reverse("commissioning:risk_detail", args=[self.object.pk])

    def get_cancel_url(self):
        return reverse("commissioning:risk_list", args=[self.plan.pk])

    def get_heading(self):
        return "Add a risk to the register"

    def get_breadcrumbs(self):
        return risk_breadcrumbs(self.plan) + [("Add a risk", None)]


class RiskUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, PlanWriteMixin,
    SuccessMessageMixin, FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = RiskForm
    permission_required = "commissioning.change_risk"
    success_message = "Saved the changes to risk %(reference)s."

    def get_queryset(self):
        return risks_for(self.request.user).select_related("plan__ccg")

    def get_success_url(self):
        return reverse("commissioning:risk_detail", args=[self.object.pk])

    def get_heading(self):
        return f"Edit risk {self.object.reference}"

    def get_breadcrumbs(self):
        risk = self.object
        return risk_breadcrumbs(risk.plan) + [(f"Risk {risk.reference}", self.get_success_url()), ("Edit", None)]
