"""API of measurements (values of quality objectives) and of the objectives' health figures."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from objectives.api.serializers.measurements import (
    MeasurementCorrectSerializer,
    MeasurementCreateSerializer,
    MeasurementImportResultSerializer,
    MeasurementImportSerializer,
    MeasurementSerializer,
    ObjectiveHealthRowSerializer,
    ObjectiveHealthSerializer,
)
from objectives.filters.measurements import MeasurementFilterSet, ObjectiveDashboardFilterSet
from objectives.selectors import measurements as selectors
from objectives.services import measurements as services


def _requires(permission: str) -> type[BasePermission]:
    class HasPermission(BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    HasPermission.__name__ = f"Requires_{permission.replace('.', '_')}"
    return HasPermission


@extend_schema(responses=MeasurementSerializer)
class MeasurementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Values of quality objectives, one per objective and period (6.2.1.e, 9.1).

    A second value for a period answers 409 (correct the first instead); an objective that is not
    active answers 409; a correction needs `correction_reason`. Values are never deleted.
    """

    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    ordering_fields = ["period_start", "created_at", "value"]

    def get_queryset(self):
        return selectors.measurement_list()

    def _respond(self, measurement, code=status.HTTP_200_OK):
        return Response(MeasurementSerializer(selectors.measurement_get(measurement.pk)).data, status=code)

    @extend_schema(request=MeasurementCreateSerializer, responses={201: MeasurementSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeasurementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        measurement = services.measurement_record(
            actor=request.user,
            objective=data["objective"],
            period=data["period"],
            value=data["value"],
            comment=data.get("comment", ""),
        )
        return self._respond(measurement, status.HTTP_201_CREATED)

    @extend_schema(request=MeasurementCorrectSerializer, responses=MeasurementSerializer)
    def update(self, request, *args, **kwargs):
        measurement = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = MeasurementCorrectSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.measurement_correct(
            actor=request.user,
            measurement=measurement,
            value=data.get("value", measurement.value),
            comment=data.get("comment"),
            correction_reason=data.get("correction_reason", ""),
        )
        return self._respond(measurement)

    @extend_schema(request=MeasurementCorrectSerializer, responses=MeasurementSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": MeasurementImportSerializer},
        responses={201: MeasurementImportResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[_requires("objectives.add_measurement")],
    )
    def import_csv(self, request):
        """Import values from a CSV file (objective, period, value, comment): all rows or none; a 400 lists every
        problem as "Row n, column: ..."."""
        serializer = MeasurementImportSerializer(data=request.data)
        if not serializer.is_valid():
            raise DRFValidationError(serializer.errors)
        result = services.measurement_import(actor=request.user, file=serializer.validated_data["file"])
        data = {"created": result.created, "objectives": result.objectives, "message": result.message}
        return Response(MeasurementImportResultSerializer(data).data, status=status.HTTP_201_CREATED)


class ObjectiveHealthView(GenericAPIView):
    """The objectives dashboard as data: counts per health state and the objectives with their latest value,
    target, forecast and last 12 values. Filters as on the page; active objectives unless `status` says otherwise."""

    permission_classes = [IsAuthenticated, _requires("objectives.view_objective")]
    filterset_class = ObjectiveDashboardFilterSet
    serializer_class = ObjectiveHealthSerializer
    # Sorting is the filter set's `sort`; DRF's own ordering and search do not apply here.
    ordering_fields: list = []

    def get_queryset(self):
        return selectors.objective_dashboard_list()

    @extend_schema(responses=ObjectiveHealthSerializer)
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.dashboard_rows(page if page is not None else queryset, sparklines=False)
        params = request.query_params.copy()
        params.pop("health", None)
        without_health = self.filterset_class(params, queryset=self.get_queryset(), request=request)
        counts = selectors.health_counts(without_health.qs)
        paginator = self.paginator
        data = {
            "counts": counts,
            "count": paginator.page.paginator.count if page is not None else len(rows),
            "next": paginator.get_next_link() if page is not None else None,
            "previous": paginator.get_previous_link() if page is not None else None,
            "results": ObjectiveHealthRowSerializer(rows, many=True).data,
        }
        return Response(data)
