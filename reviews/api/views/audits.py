"""API of internal audits and findings: plan, change, complete, cancel; record, correct, close, add actions.

Nothing is deleted through the API. A rule refusing the request (an audit already completed, a
finding with actions not yet verified) answers 409, a role without the permission 403, bad input
400 naming the field.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qms.api import requires
from reviews.api.serializers.audits import (
    AuditFindingCreateSerializer,
    AuditFindingSerializer,
    AuditFindingUpdateSerializer,
    FindingActionCreateSerializer,
    FindingActionSummarySerializer,
    InternalAuditCancelSerializer,
    InternalAuditCompleteSerializer,
    InternalAuditSerializer,
    InternalAuditWriteSerializer,
)
from reviews.filters.audits import AuditFindingFilterSet, InternalAuditFilterSet
from reviews.selectors import audits as selectors
from reviews.services import audits as services

VIEW_AUDIT = "reviews.view_internalaudit"
CHANGE_AUDIT = "reviews.change_internalaudit"
VIEW_FINDING = "reviews.view_auditfinding"
CHANGE_FINDING = "reviews.change_auditfinding"
ADD_ACTION = "reviews.add_action"


class InternalAuditViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Internal audits (9.2) with their scope, lead auditor, conclusion and findings.

    Editable while planned; `complete` records the audit date and summary, `cancel` the reason.
    """

    serializer_class = InternalAuditSerializer
    filterset_class = InternalAuditFilterSet
    ordering_fields = ["planned_date", "audit_date", "reference"]

    def get_queryset(self):
        return selectors.internal_audit_list().prefetch_related(selectors.findings_prefetch())

    def _respond(self, audit, code=status.HTTP_200_OK):
        return Response(InternalAuditSerializer(self.get_queryset().get(pk=audit.pk)).data, status=code)

    @extend_schema(request=InternalAuditWriteSerializer, responses={201: InternalAuditSerializer})
    def create(self, request, *args, **kwargs):
        serializer = InternalAuditWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        audit = services.internal_audit_plan(actor=request.user, **serializer.validated_data)
        return self._respond(audit, status.HTTP_201_CREATED)

    @extend_schema(request=InternalAuditWriteSerializer, responses=InternalAuditSerializer)
    def update(self, request, *args, **kwargs):
        audit = self.get_object()
        serializer = InternalAuditWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.internal_audit_update(actor=request.user, audit=audit, **serializer.validated_data)
        return self._respond(audit)

    @extend_schema(request=InternalAuditWriteSerializer, responses=InternalAuditSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=InternalAuditCompleteSerializer, responses=InternalAuditSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW_AUDIT, CHANGE_AUDIT)])
    def complete(self, request, pk=None):
        """Record that the audit was carried out, with its conclusion; the audited departments' heads are told."""
        serializer = InternalAuditCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        audit = services.internal_audit_complete(
            actor=request.user, audit=self.get_object(), **serializer.validated_data
        )
        return self._respond(audit)

    @extend_schema(request=InternalAuditCancelSerializer, responses=InternalAuditSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW_AUDIT, CHANGE_AUDIT)])
    def cancel(self, request, pk=None):
        """Cancel a planned audit that has no findings, with the reason."""
        serializer = InternalAuditCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        audit = services.internal_audit_cancel(actor=request.user, audit=self.get_object(), **serializer.validated_data)
        return self._respond(audit)


class AuditFindingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Findings of internal audits with the actions that follow them up; the findings register."""

    serializer_class = AuditFindingSerializer
    filterset_class = AuditFindingFilterSet
    ordering_fields = ["created_at", "closed_at", "kind"]

    def get_queryset(self):
        return selectors.audit_finding_list()

    def _respond(self, finding, code=status.HTTP_200_OK):
        return Response(AuditFindingSerializer(self.get_queryset().get(pk=finding.pk)).data, status=code)

    @extend_schema(request=AuditFindingCreateSerializer, responses={201: AuditFindingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AuditFindingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.audit_finding_add(actor=request.user, **serializer.validated_data)
        return self._respond(finding, status.HTTP_201_CREATED)

    @extend_schema(request=AuditFindingUpdateSerializer, responses=AuditFindingSerializer)
    def update(self, request, *args, **kwargs):
        finding = self.get_object()
        serializer = AuditFindingUpdateSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.audit_finding_update(actor=request.user, finding=finding, **serializer.validated_data)
        return self._respond(finding)

    @extend_schema(request=AuditFindingUpdateSerializer, responses=AuditFindingSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=AuditFindingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW_FINDING, CHANGE_FINDING)])
    def close(self, request, pk=None):
        """Close the finding: 409 with `open_actions` while any action from it is not verified effective."""
        finding = services.audit_finding_close(actor=request.user, finding=self.get_object())
        return self._respond(finding)

    @extend_schema(request=FindingActionCreateSerializer, responses={201: FindingActionSummarySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="add-action",
        url_name="add-action",
        permission_classes=[requires(VIEW_FINDING, CHANGE_FINDING, ADD_ACTION)],
    )
    def add_action(self, request, pk=None):
        """Open an action in the register that follows up this finding."""
        serializer = FindingActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.audit_finding_add_action(
            actor=request.user, finding=self.get_object(), **serializer.validated_data
        )
        action_row = selectors.finding_action_list().get(pk=created.pk)
        return Response(FindingActionSummarySerializer(action_row).data, status=status.HTTP_201_CREATED)
