"""The read API: each endpoint lists only what the user's pages would show them (the same
access helpers), to a signed-in user or one sending ``Authorization: Token <key>``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from commissioning.access import actions_for
from metrics import definitions
from metrics.access import metric_values_for
from portal.mixins import BreadcrumbsMixin
from practices.access import ccgs_for, clusters_for, practices_for, stps_for

from . import filters, serializers
from .renderers import CSVRenderer

PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ApiMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    schema = AutoSchema()


class PracticeViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """GP practices the user may see, with their CCG."""

    serializer_class = serializers.PracticeSerializer
    filterset_class = filters.PracticeFilter

    def get_queryset(self):
        return practices_for(self.request.user).select_related("ccg").order_by("ods_code")


class STPViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.STPSerializer

    def get_queryset(self):
        return stps_for(self.request.user).order_by("ons_code")


class CCGViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CCGSerializer
    filterset_class = filters.CCGFilter

    def get_queryset(self):
        return ccgs_for(self.request.user).order_by("ods_code")


class ClusterViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ClusterSerializer
    filterset_class = filters.ClusterFilter

    def get_queryset(self):
        return clusters_for(self.request.user).order_by("ccg_id", "name")


class MetricValueViewSet(ApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stored metric values (see /api/metrics/ for what each metric means). A list only: a value
    is named by its organisation, metric and period, which the filters take."""

    serializer_class = serializers.MetricValueSerializer
    filterset_class = filters.MetricValueFilter

    def get_queryset(self):
        return metric_values_for(self.request.user).order_by("metric", "level", "org_id", "frequency", "period")


class MetricDefinitionViewSet(ApiMixin, viewsets.ViewSet):
    """What each metric means: numerator, denominator, source, caveats, unit, target."""

    serializer_class = serializers.MetricDefinitionSerializer
    filter_backends = []
    pagination_class = None

    def list(self, request):
        return Response(self.serializer_class(definitions.METRICS, many=True).data)


class ActionViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Actions of the GP Forward View plans the user may see."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return actions_for(self.request.user).select_related("plan", "chapter").order_by("plan_id", "local_code")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of this API (YAML; ``?format=json`` for JSON), for signed-in users."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    schema = None  # not an endpoint of its own schema


class TokenView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """A user's own API token: shown, created or replaced (the old one stops working)."""

    template_name = "api/token.html"

    def get_context_data(self, **kwargs):
        token = Token.objects.filter(user=self.request.user).first()
        return super().get_context_data(token=token, **kwargs)

    def post(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
        messages.success(request, "Your new API token is below. The old one no longer works.")
        return HttpResponseRedirect(reverse("api:token"))

    def get_breadcrumbs(self):
        return [("API token", None)]
