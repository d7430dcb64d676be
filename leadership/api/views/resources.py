"""API of resource requests and the quality budget (5.1.1.e, 7.1)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from leadership.api.serializers.resources import (
    BudgetSummarySerializer,
    DecisionInputSerializer,
    QualityBudgetSerializer,
    QualityBudgetUpdateSerializer,
    ResourceRequestSerializer,
    ResourceRequestWriteSerializer,
    ResourceSpendSerializer,
    SpendInputSerializer,
)
from leadership.filters.resources import QualityBudgetFilterSet, ResourceRequestFilterSet
from leadership.selectors import resources as selectors
from leadership.services import resources as services
from qms.api import ModelPermissions


def has_perms(*perms: str, any_of: tuple[str, ...] = ()):
    """A permission class requiring every one of `perms` and, if given, one of `any_of`."""

    class HasPerms(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated and user.has_perms(perms)):
                return False
            return not any_of or any(user.has_perm(p) for p in any_of)

    return HasPerms


VIEW = "leadership.view_resourcerequest"


@extend_schema(responses=ResourceRequestSerializer)
class ResourceRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for resources the quality management system needs, decided by top management.

    Editable by the requester (or the management representative) while submitted; decided
    requests never change. Records are never deleted.
    """

    serializer_class = ResourceRequestSerializer
    filterset_class = ResourceRequestFilterSet
    ordering_fields = ["created_at", "needed_by", "amount", "reference"]
    search_fields = ["reference", "title"]

    def get_queryset(self):
        return selectors.resource_request_list()

    def get_permissions(self):
        by_action = {
            # The service decides whether this user may edit this request (requester or change permission).
            "update": has_perms(VIEW, any_of=("leadership.add_resourcerequest", "leadership.change_resourcerequest")),
            "partial_update": has_perms(
                VIEW, any_of=("leadership.add_resourcerequest", "leadership.change_resourcerequest")
            ),
            "approve": has_perms(VIEW, "leadership.decide_resourcerequest"),
            "reject": has_perms(VIEW, "leadership.decide_resourcerequest"),
            "withdraw": has_perms(VIEW, "leadership.add_resourcerequest"),
            "spend": has_perms(VIEW, "leadership.change_resourcerequest"),
        }
        if self.action in by_action:
            return [by_action[self.action]()]
        return [ModelPermissions()]

    def _respond(self, resource_request, code=status.HTTP_200_OK):
        return Response(
            ResourceRequestSerializer(selectors.resource_request_get(resource_request.pk)).data, status=code
        )

    @extend_schema(request=ResourceRequestWriteSerializer, responses={201: ResourceRequestSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ResourceRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resource_request = services.resource_request_create(actor=request.user, **serializer.validated_data)
        return self._respond(resource_request, status.HTTP_201_CREATED)

    @extend_schema(request=ResourceRequestWriteSerializer, responses=ResourceRequestSerializer)
    def update(self, request, *args, **kwargs):
        resource_request = self.get_object()
        # Refused before the input is read, whatever is sent (the service decides again).
        if not selectors.resource_request_may_edit(request.user, resource_request):
            raise PermissionDenied("Only the requester or the management representative can edit this request.")
        serializer = ResourceRequestWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.resource_request_update(actor=request.user, request=resource_request, **serializer.validated_data)
        return self._respond(resource_request)

    @extend_schema(request=ResourceRequestWriteSerializer, responses=ResourceRequestSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=DecisionInputSerializer, responses=ResourceRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve with an e-signature (password re-entry); the reason is optional."""
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resource_request = services.resource_request_approve(
            actor=request.user, request=self.get_object(), **serializer.validated_data
        )
        return self._respond(resource_request)

    @extend_schema(request=DecisionInputSerializer, responses=ResourceRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a reason and an e-signature (password re-entry)."""
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resource_request = services.resource_request_reject(
            actor=request.user, request=self.get_object(), **serializer.validated_data
        )
        return self._respond(resource_request)

    @extend_schema(request=None, responses=ResourceRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The requester withdraws a request still waiting for a decision."""
        resource_request = services.resource_request_withdraw(actor=request.user, request=self.get_object())
        return self._respond(resource_request)

    @extend_schema(request=SpendInputSerializer, responses={201: ResourceSpendSerializer})
    @action(detail=True, methods=["post"])
    def spend(self, request, pk=None):
        """Record an amount actually spent on an approved request."""
        serializer = SpendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        spend = services.resource_spend_record(
            actor=request.user, request=self.get_object(), **serializer.validated_data
        )
        return Response(ResourceSpendSerializer(spend).data, status=status.HTTP_201_CREATED)


class QualityBudgetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The amount planned for quality per category and year. Budget lines are changed, never deleted."""

    serializer_class = QualityBudgetSerializer
    filterset_class = QualityBudgetFilterSet
    ordering_fields = ["year", "category"]

    def get_queryset(self):
        return selectors.quality_budget_list()

    @extend_schema(request=QualityBudgetSerializer, responses={201: QualityBudgetSerializer})
    def create(self, request, *args, **kwargs):
        serializer = QualityBudgetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = services.quality_budget_create(actor=request.user, **serializer.validated_data)
        return Response(QualityBudgetSerializer(budget).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QualityBudgetUpdateSerializer, responses=QualityBudgetSerializer)
    def update(self, request, *args, **kwargs):
        budget = self.get_object()
        serializer = QualityBudgetUpdateSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        budget = services.quality_budget_update(actor=request.user, budget=budget, **serializer.validated_data)
        return Response(QualityBudgetSerializer(budget).data)

    @extend_schema(request=QualityBudgetUpdateSerializer, responses=QualityBudgetSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="The budget year; this year when absent.")],
        responses=BudgetSummarySerializer,
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        """Planned, approved, awaiting decision, spent and remaining per category for a year."""
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() else (timezone.localdate().year if raw == "" else 0)
        if not 2000 <= year <= 2100:
            return Response(
                {"year": ["Give a year from 2000 to 2100, e.g. ?year=2026."]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(BudgetSummarySerializer(selectors.quality_budget_summary(year)).data)
