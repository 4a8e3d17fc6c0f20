"""Commissioners' pages: the CCG's collections, opening one, and the completeness and
timeliness of one collection, with its chase buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.periods import FinancialYear
from practices.visibility import ccgs_for, roles_of

from ..forms import FIRST_YEAR, CollectionForm
from ..models import Collection, Return, Timeliness, period_end
from ..registry import UnknownReturnType, return_type, return_types
from ..services import ReturnError, collection_chase, collection_open, practices_open_in, return_chase
from ..visibility import collections_for
from .common import ReturnScopedMixin


class CollectionListView(LoginRequiredMixin, BreadcrumbsMixin, ListView):
    """Every collection of the user's CCGs with how many returns are in."""

    template_name = "returns/collection_list.html"
    context_object_name = "collections"

    def get_queryset(self):
        outstanding = Q(returns__status__in=Return.OUTSTANDING)
        return (
            collections_for(self.request.user)
            .select_related("ccg")
            .annotate(
                total=Count("returns"),
                outstanding=Count("returns", filter=outstanding),
                awaiting=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED)),
                accepted=Count("returns", filter=Q(returns__status=Return.Status.ACCEPTED)),
            )
            .order_by("-period_start", "ccg__name", "return_type")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_of(self.request.user)
        ccgs = ccgs_for(self.request.user)
        if not roles.is_admin:
            ccgs = ccgs.filter(pk__in=roles.commissioner_ccg_ids)
        context.update(ccgs=list(ccgs), types=return_types(), today=timezone.localdate())
        return context

    def get_breadcrumbs(self):
        return [("Returns", None)]


class CollectionCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormPageMixin, FormView):
    form_class = CollectionForm
    permission_required = "returns.add_collection"

    @cached_property
    def ccg(self):
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    @cached_property
    def return_type(self):
        try:
            return return_type(self.kwargs["type_key"])
        except UnknownReturnType:
            raise Http404 from None

    def get_permission_object(self):
        return self.ccg

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        practices = practices_open_in(
            ccg=self.ccg, period_start=FinancialYear(FIRST_YEAR).start, period_last_day=timezone.localdate()
        )
        kwargs.update(return_type=self.return_type, practices=practices.order_by("name"))
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        chosen = list(data["practices"])
        start = data["period_start"]
        open_then = set(
            practices_open_in(
                ccg=self.ccg, period_start=start, period_last_day=period_end(self.return_type.frequency, start)
            ).values_list("pk", flat=True)
        )
        closed = [p for p in chosen if p.pk not in open_then]
        if closed:
            form.add_error("practices", f"{closed[0].name} was not open in that period.")
            return self.form_invalid(form)
        try:
            collection = collection_open(
                ccg=self.ccg,
                return_type=self.return_type.key,
                period_start=start,
                due_date=data["due_date"],
                user=self.request.user,
                practices=chosen,
                reminder_days_before=data["reminder_days_before"],
                overdue_reminder_every_days=data["overdue_reminder_every_days"],
                instructions=data["instructions"],
            )
        except ReturnError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Opened {collection.title}: {len(chosen)} practices asked, due {collection.due_date:%d %b %Y}.",
        )
        return HttpResponseRedirect(collection.get_absolute_url())

    def get_heading(self):
        return f"Open a {self.return_type.name} collection for {self.ccg.name}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("intro", self.return_type.description)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return reverse("returns:collection_list")

    def get_breadcrumbs(self):
        return [("Returns", reverse("returns:collection_list")), (f"Open a {self.return_type.name} collection", None)]


class CollectionDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    """Completeness and timeliness of one collection: by cluster, then practice by practice
    (``?status=submitted``: only the practices whose return has that status)."""

    template_name = "returns/collection_detail.html"
    context_object_name = "collection"

    def get_queryset(self):
        return collections_for(self.request.user).select_related("ccg")

    def get_context_data(self, **kwargs):
        from ..services import collection_progress

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        returns, rows, total = collection_progress(collection=self.object, today=today)
        can_chase = self.request.user.has_perm("returns.view_collection", self.object)
        status = self.request.GET.get("status", "")
        shown = dict(Return.Status.choices).get(status, "")
        context.update(
            today=today,
            returns=[r for r in returns if r.status == status] if shown else returns,
            shown=shown,
            progress_rows=rows,
            progress_total=total,
            timeliness=Timeliness,
            statuses=Return.Status,
            can_chase=can_chase,
            outstanding_count=sum(1 for r in returns if r.is_outstanding) if not shown else 0,
        )
        return context

    def get_breadcrumbs(self):
        return [("Returns", reverse("returns:collection_list")), (self.object.title, None)]


class ReturnChaseView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, View):
    """POST: email the practice's managers now."""

    permission_required = "returns.chase_return"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            reminder = return_chase(ret=self.ret, user=request.user)
            messages.success(
                request,
                f"Chased {self.ret.practice.name}: an email went to {reminder.recipient_count} "
                f"practice manager{'s' if reminder.recipient_count != 1 else ''}.",
            )
        except ReturnError as exc:
            messages.error(request, str(exc))
        target = request.POST.get("next")
        if target != "return":
            return HttpResponseRedirect(self.ret.collection.get_absolute_url())
        return HttpResponseRedirect(self.ret.get_absolute_url())


class CollectionChaseView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: chase every outstanding return of the collection."""

    permission_required = "returns.view_collection"
    http_method_names = ["post"]

    @cached_property
    def collection(self) -> Collection:
        return get_object_or_404(collections_for(self.request.user).select_related("ccg"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.collection

    def post(self, request, *args, **kwargs):
        sent, skipped = collection_chase(collection=self.collection, user=request.user)
        messages.success(request, f"Chased {sent} practice{'s' if sent != 1 else ''} with outstanding returns.")
        for reason in skipped:
            messages.warning(request, reason)
        return HttpResponseRedirect(self.collection.get_absolute_url())
