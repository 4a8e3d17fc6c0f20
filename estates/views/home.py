"""The estates start page: what the user may open, by CCG and by practice."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from portal.mixins import BreadcrumbsMixin
from practices.models import Practice
from practices.visibility import roles_of

from .capacity import ccgs_with_roles
from .common import estates_breadcrumbs


class EstatesHomeView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_of(self.request.user)
        context.update(
            ccgs=ccgs_with_roles(self.request.user),
            my_practices=Practice.objects.filter(pk__in=roles.practice_ids).order_by("name"),
        )
        return context

    def get_breadcrumbs(self):
        return estates_breadcrumbs()[:-1] + [("Estates", None)]
