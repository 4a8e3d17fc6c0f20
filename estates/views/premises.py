"""The premises register: every open site with its premises details, one site's page, and
the forms to record a new site, its details and the practices sharing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import CreateView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from practices.models import Practice, Site
from practices.visibility import ccgs_for, clusters_for, practices_for, roles_of

from ..filters import PremisesFilter
from ..forms import NewSiteForm, PremisesForm, SiteOccupancyForm
from ..models import Premises, SiteOccupancy
from ..services import site_record
from ..tables import PremisesTable
from ..visibility import occupancies_for, premises_for, register_sites_for
from .common import estates_breadcrumbs, export_links, export_table

SITES_PER_PAGE = 50


def current_occupancies(on):
    current = SiteOccupancy.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )
    return Prefetch("occupancies", queryset=current.select_related("practice"), to_attr="current_occupancies")


def practices_adding_sites(user):
    """Open practices the user may record sites for: a commissioner's CCGs', a manager's own."""
    roles = roles_of(user)
    practices = Practice.objects.filter(Q(ccg_id__in=roles.commissioner_ccg_ids) | Q(pk__in=roles.practice_ids))
    if roles.is_admin:
        practices = Practice.objects.all()
    return practices.exclude(status=Practice.Status.CLOSED).order_by("name")


class SiteRecordPickView(LoginRequiredMixin, View):
    """The 'Record a site' chooser of the register posts the practice here (GET, no script)."""

    def get(self, request, *args, **kwargs):
        practice = get_object_or_404(practices_adding_sites(request.user), pk=request.GET.get("practice") or 0)
        return HttpResponseRedirect(reverse("estates:site_record", args=[practice.pk]))


def register_breadcrumbs(*more):
    return estates_breadcrumbs(("Premises register", reverse("estates:premises_list")), *more)


class PremisesListView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/premises_list.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return export_table(request, context["table"], "premises-register") or self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        sites = (
            register_sites_for(user)
            .filter(Q(close_date__isnull=True) | Q(close_date__gt=today))
            .select_related("practice", "premises")
            .prefetch_related(current_occupancies(today))
        )
        ccgs = ccgs_for(user)
        site_filter = PremisesFilter(self.request.GET or None, queryset=sites, ccgs=ccgs, clusters=clusters_for(user))
        table = PremisesTable(site_filter.qs, caption="Open sites and their premises details")
        RequestConfig(self.request, paginate={"per_page": SITES_PER_PAGE}).configure(table)
        totals = Premises.objects.filter(site__in=site_filter.qs.values("pk")).void_totals()
        context.update(
            filter=site_filter,
            table=table,
            void=totals,
            exports=export_links(self.request),
            practices_to_add=self.practices_to_add(),
        )
        return context

    def practices_to_add(self):
        return practices_adding_sites(self.request.user)

    def get_breadcrumbs(self):
        return estates_breadcrumbs(("Premises register", None))


class SiteScopedMixin:
    """Views under /estates/sites/<site_pk>/: the site, through what the user may see."""

    @cached_property
    def site(self) -> Site:
        sites = register_sites_for(self.request.user).select_related("practice__ccg")
        return get_object_or_404(sites, pk=self.kwargs["site_pk"])

    def get_permission_object(self):
        return self.site


class PremisesDetailView(LoginRequiredMixin, SiteScopedMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/premises_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.site
        premises = Premises.objects.filter(site=site).first()
        user = self.request.user
        context.update(
            site=site,
            premises=premises,
            occupancies=site.occupancies.select_related("practice").order_by("practice__name"),
            host_share=self.host_share(site),
            capacity=getattr(site.practice, "estates_capacity", None),
            history=history_of(premises, limit=20) if premises else [],
            can_edit=user.has_perm("estates.change_premises", site),
            can_edit_site=user.has_perm("practices.change_site", site),
        )
        return context

    def host_share(self, site):
        today = timezone.localdate()
        others = sum(o.share_percent for o in site.occupancies.all() if o.is_current_on(today))
        return 100 - others

    def get_breadcrumbs(self):
        return register_breadcrumbs((self.site.name, None))


class SiteRecordView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Record a new site (main or branch) and its premises details on one page."""

    template_name = "estates/site_record.html"
    permission_required = "practices.add_site"

    @cached_property
    def practice(self):
        return get_object_or_404(practices_for(self.request.user).select_related("ccg"), pk=self.kwargs["practice_pk"])

    def get_permission_object(self):
        return self.practice

    def forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        site_form = NewSiteForm(data, instance=Site(practice=self.practice), prefix="site")
        premises_form = PremisesForm(data, prefix="premises", submit_text="Record site")
        return site_form, premises_form

    def get(self, request, *args, **kwargs):
        site_form, premises_form = self.forms()
        return self.render_to_response(self.get_context_data(site_form=site_form, premises_form=premises_form))

    def post(self, request, *args, **kwargs):
        site_form, premises_form = self.forms()
        if site_form.is_valid() and premises_form.is_valid():
            premises = site_record(site=site_form.save(commit=False), premises=premises_form.save(commit=False))
            messages.success(request, f"Recorded the site {premises.site.name}.")
            return HttpResponseRedirect(reverse("estates:premises_detail", args=[premises.site_id]))
        return self.render_to_response(self.get_context_data(site_form=site_form, premises_form=premises_form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("practice", self.practice)
        kwargs["forms"] = [kwargs.get("site_form"), kwargs.get("premises_form")]
        kwargs.setdefault("heading", f"Record a site of {self.practice.name}")
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return register_breadcrumbs(("Record a site", None))


class PremisesCreateView(
    LoginRequiredMixin, SiteScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    """Premises details for a site that has none yet (sites added on the practice pages)."""

    form_class = PremisesForm
    permission_required = "estates.change_premises"
    success_message = "Saved the premises details."

    def dispatch(self, request, *args, **kwargs):
        # The site is looked up through what the user may see first (a 404 otherwise), so the
        # redirect never tells anyone else whether a site, or its premises, exists.
        if request.user.is_authenticated and Premises.objects.filter(site=self.site).exists():
            return HttpResponseRedirect(reverse("estates:premises_update", args=[self.site.pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Premises(site=self.site)}

    def get_heading(self):
        return f"Premises details of {self.site.name}"

    def get_success_url(self):
        return reverse("estates:premises_detail", args=[self.site.pk])

    def get_breadcrumbs(self):
        return register_breadcrumbs((self.site.name, self.get_success_url()), ("Premises details", None))


class PremisesUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = PremisesForm
    permission_required = "estates.change_premises"
    success_message = "Saved the premises details."

    def get_object(self, queryset=None):
        if queryset is None and not hasattr(self, "_object"):
            premises = premises_for(self.request.user)
            self._object = get_object_or_404(premises.select_related("site__practice"), site_id=self.kwargs["site_pk"])
        return self._object if queryset is None else super().get_object(queryset)

    def get_permission_object(self):
        return self.get_object().site

    def get_heading(self):
        return f"Premises details of {self.object.site.name}"

    def get_success_url(self):
        return reverse("estates:premises_detail", args=[self.object.site_id])

    def get_breadcrumbs(self):
        site = self.object.site
        return register_breadcrumbs((site.name, self.get_success_url()), ("Edit premises details", None))


class OccupancyCreateView(
    LoginRequiredMixin, SiteScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    form_class = SiteOccupancyForm
    permission_required = "estates.change_premises"
    success_message = "Recorded the practice sharing the site."
    intro = "Another practice working from this site, and the share of its area and clinical rooms it uses."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": SiteOccupancy(site=self.site), "submit_text": "Add practice"}

    def get_heading(self):
        return f"Add a practice sharing {self.site.name}"

    def get_success_url(self):
        return reverse("estates:premises_detail", args=[self.site.pk])

    def get_breadcrumbs(self):
        return register_breadcrumbs((self.site.name, self.get_success_url()), ("Add a sharing practice", None))


class OccupancyUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = SiteOccupancyForm
    permission_required = "estates.change_premises"
    success_message = "Saved the share."

    def get_queryset(self):
        return occupancies_for(self.request.user).select_related("site__practice", "practice")

    def get_permission_object(self):
        # The host site's people decide who shares it, not the sharing practice.
        return self.get_object().site

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_text": "Save share"}

    def get_heading(self):
        return f"{self.object.practice.name} at {self.object.site.name}"

    def get_success_url(self):
        return reverse("estates:premises_detail", args=[self.object.site_id])

    def get_breadcrumbs(self):
        site = self.object.site
        return register_breadcrumbs((site.name, self.get_success_url()), ("Edit a share", None))
