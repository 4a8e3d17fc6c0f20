"""The read API: each endpoint lists only what the user's pages would show them (the same
access helpers), to a signed-in user or one sending ``Authorization: Token <key>``.

Endpoints whose figures change over time (plan actions, CCGs, clusters) take
``?on=YYYY-MM-DD``, as the pages do, and each row says the date in ``as_at``; a bad or future
date is a 400 naming ``on``, not a quiet fallback to today."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from commissioning.visibility import actions_for
from metrics import definitions
from metrics.visibility import metric_values_for
from portal import asat
from portal.mixins import BreadcrumbsMixin
from practices.populations import populations_on
from practices.visibility import ccgs_for, clusters_for, practices_for, stps_for

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


ON_PARAMETER = OpenApiParameter(
    asat.PARAMETER,
    OpenApiTypes.DATE,
    description=(
        "The date to read the figures as at (YYYY-MM-DD, today or earlier; default today). Each row gives it "
        "back in `as_at`. A date that is not one, or has not come yet, is a 400 naming `on`."
    ),
)
BAD_DATE = OpenApiResponse(description='`on` is not a date, or a date that has not come yet: `{"on": [message]}`.')


def as_at_schema(viewset):
    """Document ``?on=`` and its 400 on the list and the detail of ``viewset``."""
    documented = {
        action: extend_schema(parameters=[ON_PARAMETER], responses={200: viewset.serializer_class(many=many),
                                                                    400: BAD_DATE})
        for action, many in (("list", True), ("retrieve", False))
    }  # fmt: skip
    return extend_schema_view(**documented)(viewset)


class AsAtMixin:
    """Reads ``?on=`` once per request into ``self.on`` (strictly: ``portal.asat.as_at_date``)
    and hands it to the serializer, which gives it back in each row."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # sign-in is checked first: a stranger gets 401, not 400
        raw = request.query_params.get(asat.PARAMETER)
        try:
            self.on = timezone.localdate() if raw is None else asat.as_at_date(raw)
        except asat.AsAtError as exc:
            raise ValidationError({asat.PARAMETER: [str(exc)]}) from exc

    def get_serializer_context(self):
        return super().get_serializer_context() | {"on": getattr(self, "on", None) or timezone.localdate()}


class PopulationMixin(AsAtMixin):
    """Counts the registered population on ``self.on`` of every organisation being serialised,
    in one query for the whole page (``practices.populations.populations_on``)."""

    def get_serializer(self, *args, **kwargs):
        if args and "context" not in kwargs:
            organisations = args[0] if kwargs.get("many") else [args[0]]
            context = self.get_serializer_context()
            kwargs["context"] = context | {"populations": populations_on(organisations, context["on"])}
        return super().get_serializer(*args, **kwargs)


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


@as_at_schema
class CCGViewSet(PopulationMixin, ApiMixin, viewsets.ReadOnlyModelViewSet):
    """CCGs the user may see, with their commissioning status and registered population on ``?on=``."""

    serializer_class = serializers.CCGSerializer
    filterset_class = filters.CCGFilter

    def get_queryset(self):
        return ccgs_for(self.request.user).prefetch_related("status_changes").order_by("ods_code")


@as_at_schema
class ClusterViewSet(PopulationMixin, ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Clusters the user may see, with their registered population on ``?on=``."""

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


@as_at_schema
class ActionViewSet(AsAtMixin, ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Actions of the GP Forward View plans the user may see, as they stood on ``?on=``: status,
    RAG, due date and overdue then. An action not yet in its plan on that date is left out."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        on = getattr(self, "on", None) or timezone.localdate()
        actions = actions_for(self.request.user).as_at(on)
        return actions.select_related("plan", "chapter").order_by("plan_id", "local_code")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of this API (YAML; ``?format=json`` for JSON), for signed-in users."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    schema = None  # not an endpoint of its own schema


class TokenView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """A user's own API token: created or replaced (the old one stops working). Only a hash is
    stored (django-rest-knox), so the token is shown once, on the page that creates it."""

    template_name = "api/token.html"

    def get_context_data(self, **kwargs):
        token = AuthToken.objects.filter(user=self.request.user).order_by("-created").first()
        return super().get_context_data(token=token, **kwargs)

    def post(self, request, *args, **kwargs):
        AuthToken.objects.filter(user=request.user).delete()
        _, new_token = AuthToken.objects.create(user=request.user)
        messages.success(request, "Your new API token is below. The old one no longer works.")
        return self.render_to_response(self.get_context_data(new_token=new_token))

    def get_breadcrumbs(self):
        return [("API token", None)]
