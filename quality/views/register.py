"""The vulnerable practice register of a CCG, its scoring rules, one practice's score
history, and the support offered."""

from __future__ import annotations

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal import chart_summary, display, outbox
from portal.history import history_of
from portal.mixins import FormPageMixin, ObjectOnceMixin
from practices.models import DeprivationScore
from practices.visibility import ccgs_for

from ..forms import ScoringRulesForm, SupportOfferForm
from ..models import Concern, ContractEvent, ScoringRule, SupportOffer
from ..scoring import RULES
from ..services import rule_settings_for, scoring_rules_update
from ..tasks import compute_vulnerability_scores
from ..visibility import scores_for, support_offers_for
from .common import QualityCCGMixin, QualityPracticeMixin, profile_url

HISTORY_RUNS = 24


def queue_recompute(ccg_id: int) -> None:
    outbox.enqueue(compute_vulnerability_scores, kwargs={"ccg_ids": [ccg_id]}, unique=True)


class QualityIndexView(LoginRequiredMixin, TemplateView):
    """/quality/: straight to the register of the user's one CCG, else a list of CCGs."""

    template_name = "quality/index.html"

    def get(self, request, *args, **kwargs):
        ccgs = list(ccgs_for(request.user)[:2])
        if len(ccgs) == 1:
            return redirect("quality:register", ccg_pk=ccgs[0].pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ccgs=ccgs_for(self.request.user), **kwargs)


class RegisterView(QualityCCGMixin, TemplateView):
    template_name = "quality/register.html"
    permission_required = "quality.view_register"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ccg, user = self.ccg, self.request.user
        scores = list(
            scores_for(user)
            .in_ccg(ccg.pk)
            .latest_per_practice()
            .select_related("practice")
            .order_by("-score", "practice__name")
        )
        concern_counts = {
            row["practice_id"]: row["n"]
            for row in Concern.objects.open().filter(practice__ccg=ccg).values("practice_id").annotate(n=Count("pk"))
        }
        event_counts = {
            row["practice_id"]: row["n"]
            for row in ContractEvent.objects.undecided().filter(practice__ccg=ccg).values("practice_id")
            .annotate(n=Count("pk"))
        }  # fmt: skip
        offers = {
            row["practice_id"]: row["n"]
            for row in support_offers_for(user).filter(practice__ccg=ccg).exclude(
                status=SupportOffer.Status.DECLINED
            ).values("practice_id").annotate(n=Count("pk"))
        }  # fmt: skip
        deprivation = {}
        for score in DeprivationScore.objects.filter(practice__in=[s.practice_id for s in scores]).order_by("index"):
            deprivation[score.practice_id] = score  # the latest index last
        rows = [
            {
                "score": s,
                "deprivation": deprivation.get(s.practice_id),
                "open_concerns": concern_counts.get(s.practice_id, 0),
                "undecided_events": event_counts.get(s.practice_id, 0),
                "support": offers.get(s.practice_id, 0),
                "profile_url": profile_url(s.practice),
            }
            for s in scores
        ]
        run_dates = [s.run_date for s in scores]
        context.update(
            ccg=ccg,
            rows=rows,
            scored=[r for r in rows if r["score"].score > 0],
            unscored=sum(1 for r in rows if r["score"].score == 0),
            run_date=max(run_dates) if run_dates else None,
            can_recompute=user.has_perm("quality.change_scoring_rules", ccg),
            is_commissioner=user.has_perm("quality.view_concerns", ccg),
        )
        return context


class RecomputeView(QualityCCGMixin, View):
    permission_required = "quality.change_scoring_rules"

    def post(self, request, *args, **kwargs):
        queue_recompute(self.ccg.pk)
        messages.success(request, f"The scores of {self.ccg.name} are being worked out again for today.")
        return HttpResponseRedirect(reverse("quality:register", args=[self.ccg.pk]))


class ScoringRulesView(QualityCCGMixin, FormView):
    """Every rule with its definition, threshold and points; commissioners change them."""

    template_name = "quality/scoring_rules.html"
    form_class = ScoringRulesForm
    permission_required = "quality.view_register"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "settings": rule_settings_for(self.ccg)}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("quality.change_scoring_rules", self.ccg):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        changed = scoring_rules_update(ccg=self.ccg, settings=form.settings(), user=self.request.user)
        if changed:
            queue_recompute(self.ccg.pk)
            messages.success(self.request, f"Saved {changed} rule{'s' if changed != 1 else ''}; today's scores are "
                             "being worked out again with them.")  # fmt: skip
        else:
            messages.info(self.request, "Nothing was changed.")
        return HttpResponseRedirect(reverse("quality:scoring_rules", args=[self.ccg.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = ScoringRule.objects.filter(ccg=self.ccg)
        history = []
        for rule in own:
            for entry in history_of(rule, limit=10):
                history.append((RULES[rule.key].title if rule.key in RULES else rule.key, entry))
        history.sort(key=lambda item: item[1].when, reverse=True)
        context.update(
            ccg=self.ccg,
            can_change=self.request.user.has_perm("quality.change_scoring_rules", self.ccg),
            own_keys={rule.key for rule in own},
            history=history[:30],
        )
        return context

    def get_breadcrumbs(self):
        return super().get_breadcrumbs()[:1] + [
            (f"Vulnerable practice register, {self.ccg.name}", reverse("quality:register", args=[self.ccg.pk])),
            ("Scoring rules", None),
        ]


def score_summary(oldest_first) -> str:
    """The vulnerability score's trend in words, for beside its chart (a higher score is a more vulnerable practice)."""
    return "Score: " + chart_summary.series(
        [display.uk_date(score.run_date) for score in oldest_first],
        [score.score for score in oldest_first],
        preposition="on",
    )


class PracticeVulnerabilityView(QualityPracticeMixin, TemplateView):
    template_name = "quality/practice_vulnerability.html"
    permission_required = "quality.view_register"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, user = self.practice, self.request.user
        scores = list(scores_for(user).filter(practice=practice).order_by("-run_date")[:HISTORY_RUNS])
        oldest_first = list(reversed(scores))
        figure = go.Figure(
            go.Scatter(
                x=[s.run_date.isoformat() for s in oldest_first], y=[s.score for s in oldest_first],
                mode="lines+markers", name="Score",
            ),
            layout={"title": f"Vulnerability score of {practice.name}",
                    "yaxis": {"title": "Score", "rangemode": "tozero"}, "margin": {"t": 50, "l": 50, "r": 20, "b": 40}},
        )  # fmt: skip
        context.update(
            latest=scores[0] if scores else None,
            scores=scores,
            fig_json=figure.to_json() if len(scores) > 1 else None,
            chart_summary=score_summary(oldest_first) if len(scores) > 1 else "",
            offers=list(support_offers_for(user).filter(practice=practice)),
            can_offer=user.has_perm("quality.add_support_offer", practice),
        )
        return context


class SupportOfferCreateView(QualityPracticeMixin, FormPageMixin, CreateView):
    model = SupportOffer
    form_class = SupportOfferForm
    permission_required = "quality.add_support_offer"

    def get_heading(self):
        return f"Record a support offer to {self.practice.name}"

    def get_initial(self):
        return {"offered_date": timezone.localdate()}

    def form_valid(self, form):
        form.instance.practice = self.practice
        form.instance.recorded_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, f"Recorded the {self.object.get_kind_display().lower()} offered to "
                         f"{self.practice.name}.")  # fmt: skip
        return response

    def get_success_url(self):
        return reverse("quality:practice_vulnerability", args=[self.practice.pk])


class SupportOfferUpdateView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, FormPageMixin, UpdateView):
    model = SupportOffer
    form_class = SupportOfferForm
    permission_required = "quality.change_support_offer"

    def get_queryset(self):
        return support_offers_for(self.request.user).select_related("practice")

    def get_heading(self):
        return f"Support offered to {self.object.practice.name}"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Saved the support offer.")
        return response

    def get_success_url(self):
        return reverse("quality:practice_vulnerability", args=[self.object.practice_id])
