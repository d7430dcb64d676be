"""API of customer focus (5.1.2): customer feedback and its lifecycle, requirements, targets, volumes, figures.

Records are never deleted through the API. Lifecycle steps are POST actions, one service each;
a step in the wrong state answers 409, a role without the permission 403.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from leadership.api.serializers.customers import (
    CustomerFeedbackAssessSerializer,
    CustomerFeedbackCloseSerializer,
    CustomerFeedbackImportResultSerializer,
    CustomerFeedbackImportSerializer,
    CustomerFeedbackRespondSerializer,
    CustomerFeedbackSerializer,
    CustomerFeedbackWriteSerializer,
    CustomerFiguresSerializer,
    CustomerRequirementSerializer,
    CustomerRequirementWriteSerializer,
    OrderVolumeSerializer,
    ResponseTargetSerializer,
)
from leadership.filters.customers import (
    CustomerFeedbackFilterSet,
    CustomerRequirementFilterSet,
    OrderVolumeFilterSet,
)
from leadership.selectors import customers as selectors
from leadership.services import customers as services
from qms.api import ModelPermissions, requires
from qms.etags import IF_MATCH, EditConflictSerializer, VersionedViewSetMixin

VIEW_FEEDBACK = "leadership.view_customerfeedback"


class CustomerFeedbackViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customer feedback: complaints, survey responses, compliments, returns, requirement changes.

    A detail answer carries the feedback's ETag. An update, assessment, response or closing sent
    with `If-Match` on a version that is no longer current is refused with 412 and what changed.
    """

    serializer_class = CustomerFeedbackSerializer
    filterset_class = CustomerFeedbackFilterSet
    ordering_fields = ["received_date", "reference", "status", "severity"]

    def get_queryset(self):
        return selectors.customer_feedback_list()

    def _respond(self, feedback, code=status.HTTP_200_OK):
        return Response(CustomerFeedbackSerializer(selectors.customer_feedback_get(feedback.pk)).data, status=code)

    @extend_schema(request=CustomerFeedbackWriteSerializer, responses={201: CustomerFeedbackSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CustomerFeedbackWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.customer_feedback_create(actor=request.user, **serializer.validated_data)
        return self._respond(feedback, status.HTTP_201_CREATED)

    @extend_schema(
        request=CustomerFeedbackWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerFeedbackSerializer, 412: EditConflictSerializer},
    )
    def update(self, request, *args, **kwargs):
        expected_version = self.if_match_version()
        feedback = self.get_object()
        serializer = CustomerFeedbackWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.customer_feedback_update(
            actor=request.user, feedback=feedback, expected_version=expected_version, **serializer.validated_data
        )
        return self._respond(feedback)

    @extend_schema(
        request=CustomerFeedbackWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerFeedbackSerializer, 412: EditConflictSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        request=CustomerFeedbackAssessSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerFeedbackSerializer, 412: EditConflictSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[requires("leadership.change_customerfeedback")])
    def assess(self, request, pk=None):
        """Record the assessment of new feedback."""
        serializer = CustomerFeedbackAssessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.customer_feedback_assess(
            actor=request.user,
            feedback=self.get_object(),
            expected_version=self.if_match_version(),
            **serializer.validated_data,
        )
        return self._respond(feedback)

    @extend_schema(
        request=CustomerFeedbackRespondSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerFeedbackSerializer, 412: EditConflictSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[requires(services.RESPOND_PERMISSION)])
    def respond(self, request, pk=None):
        """Record management's response to assessed feedback."""
        serializer = CustomerFeedbackRespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.customer_feedback_respond(
            actor=request.user,
            feedback=self.get_object(),
            expected_version=self.if_match_version(),
            **serializer.validated_data,
        )
        return self._respond(feedback)

    @extend_schema(
        request=CustomerFeedbackCloseSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerFeedbackSerializer, 412: EditConflictSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[requires("leadership.change_customerfeedback")])
    def close(self, request, pk=None):
        """Close feedback with its effectiveness check."""
        serializer = CustomerFeedbackCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.customer_feedback_close(
            actor=request.user,
            feedback=self.get_object(),
            expected_version=self.if_match_version(),
            **serializer.validated_data,
        )
        return self._respond(feedback)

    @extend_schema(
        request={"multipart/form-data": CustomerFeedbackImportSerializer},
        responses={201: CustomerFeedbackImportResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[requires("leadership.add_customerfeedback")],
    )
    def import_csv(self, request):
        """Import survey results and complaints from a CSV file: all rows or none (400 lists every problem)."""
        serializer = CustomerFeedbackImportSerializer(data=request.data)
        if not serializer.is_valid():
            raise DRFValidationError(serializer.errors)
        result = services.customer_feedback_import(actor=request.user, file=serializer.validated_data["file"])
        data = {
            "created": result.created,
            "by_type": result.by_type,
            "new_customers": result.new_customers,
            "references": result.references,
            "message": result.message,
        }
        return Response(CustomerFeedbackImportResultSerializer(data).data, status=status.HTTP_201_CREATED)


class CustomerRequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customer and legal requirements and the process that meets each (5.1.2.a). Deactivated, never deleted."""

    serializer_class = CustomerRequirementSerializer
    filterset_class = CustomerRequirementFilterSet
    ordering_fields = ["review_date", "category"]

    def get_queryset(self):
        return selectors.customer_requirement_list()

    def _respond(self, item, code=status.HTTP_200_OK):
        return Response(CustomerRequirementSerializer(selectors.customer_requirement_get(item.pk)).data, status=code)

    @extend_schema(request=CustomerRequirementWriteSerializer, responses={201: CustomerRequirementSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CustomerRequirementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.customer_requirement_create(actor=request.user, **serializer.validated_data)
        return self._respond(item, status.HTTP_201_CREATED)

    @extend_schema(request=CustomerRequirementWriteSerializer, responses=CustomerRequirementSerializer)
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = CustomerRequirementWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.customer_requirement_update(actor=request.user, item=item, **serializer.validated_data)
        return self._respond(item)

    @extend_schema(request=CustomerRequirementWriteSerializer, responses=CustomerRequirementSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


class ResponseTargetPermissions(ModelPermissions):
    """Writes need the response target permissions; reading them needs only access to the feedback."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and (user.has_perm(VIEW_FEEDBACK) or user.has_perm("leadership.view_responsetarget"))
            )
        return super().has_permission(request, view)


class ResponseTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Response-time targets per severity. Severities without a row use the defaults
    (critical 2/14, high 5/30, medium 10/45, low 20/60 days to response/close)."""

    serializer_class = ResponseTargetSerializer
    permission_classes = [ResponseTargetPermissions]
    pagination_class = None

    def get_queryset(self):
        return selectors.response_target_list()

    def perform_create(self, serializer):
        serializer.instance = services.response_target_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        severity = data.pop("severity", None)
        if severity is not None and severity != serializer.instance.severity:
            raise DRFValidationError({"severity": ["The severity of a target cannot change; edit that severity's."]})
        serializer.instance = services.response_target_update(
            actor=self.request.user, target=serializer.instance, **data
        )


class OrderVolumeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customer orders per month, the base of the complaints per 1,000 orders."""

    serializer_class = OrderVolumeSerializer
    filterset_class = OrderVolumeFilterSet
    ordering_fields = ["month"]

    def get_queryset(self):
        return selectors.order_volume_list()

    def perform_create(self, serializer):
        serializer.instance = services.order_volume_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.order_volume_update(
            actor=self.request.user, volume=serializer.instance, **serializer.validated_data
        )


class CustomerFiguresView(APIView):
    """Customer figures per month for the management review: satisfaction, complaints, complaint rate,
    response-time compliance. Aggregated in the database."""

    permission_classes = [IsAuthenticated, requires(VIEW_FEEDBACK)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "months", OpenApiTypes.INT, description="How many months back, this month included (1-60, default 12)."
            )
        ],
        responses=CustomerFiguresSerializer,
    )
    def get(self, request):
        raw = request.query_params.get("months", "12")
        try:
            months = int(raw)
        except ValueError:
            raise DRFValidationError({"months": [f"{raw!r} is not a whole number of months."]}) from None
        if not 1 <= months <= 60:
            raise DRFValidationError({"months": ["Give between 1 and 60 months."]})
        return Response(CustomerFiguresSerializer(selectors.customer_figures(months=months)).data)
