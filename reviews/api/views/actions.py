"""API of the action register: list, read, raise, change; start, complete, verify, reopen; mine.

Actions are never deleted. A transition in the wrong status answers 409 naming the current
status; a caller the rules refuse (not the owner, verifying one's own action) 403; bad input 400.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qms.api import requires
from reviews.api.serializers.actions import (
    ActionCompleteSerializer,
    ActionCreateSerializer,
    ActionReopenSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    ActionVerifySerializer,
)
from reviews.filters.actions import ActionFilterSet
from reviews.selectors import actions as selectors
from reviews.services import actions as services

VIEW = "reviews.view_action"
VERIFY = "reviews.verify_action"


class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The single action register (10.2, 9.3.3): follow-up from every source, to verified effectiveness.

    Owners start and complete their own actions whatever their role; anyone else needs
    `reviews.change_action`. Verifying needs `reviews.verify_action` and is never done by the owner.
    """

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    ordering_fields = ["due_date", "reference", "priority", "status", "created_at"]

    def get_queryset(self):
        return selectors.action_list().select_related("verified_by__user")

    def _respond(self, action, code=status.HTTP_200_OK):
        fresh = selectors.action_list().select_related("verified_by__user").get(pk=action.pk)
        return Response(ActionSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("record")
        created = services.action_create(
            actor=request.user, source=data.pop("source"), source_record=data.pop("source_record"), **data
        )
        return self._respond(created, status.HTTP_201_CREATED)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = ActionUpdateSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.action_update(actor=request.user, action=instance, **serializer.validated_data)
        return self._respond(instance)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ActionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW)])
    def start(self, request, pk=None):
        """Open or reopened -> in progress. The owner, or someone who keeps the register."""
        return self._respond(services.action_start(actor=request.user, action=self.get_object()))

    @extend_schema(request=ActionCompleteSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW)])
    def complete(self, request, pk=None):
        """-> done, awaiting verification, with what was done. The owner, or someone who keeps the register."""
        target = self.get_object()
        if not selectors.action_may_work_on(request.user, target):
            raise PermissionDenied("Only the action's owner or someone who keeps the action register can complete it.")
        serializer = ActionCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = services.action_complete(actor=request.user, action=target, **serializer.validated_data)
        return self._respond(done)

    @extend_schema(request=ActionVerifySerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, VERIFY)])
    def verify(self, request, pk=None):
        """Done -> verified (effective) or reopened (not effective). Never by the action's owner."""
        serializer = ActionVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        verified = services.action_verify(actor=request.user, action=self.get_object(), **serializer.validated_data)
        return self._respond(verified)

    @extend_schema(request=ActionReopenSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, VERIFY)])
    def reopen(self, request, pk=None):
        """Done -> reopened: verification found it not effective (verify with effective false)."""
        serializer = ActionReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened = services.action_verify(
            actor=request.user, action=self.get_object(), effective=False, **serializer.validated_data
        )
        return self._respond(reopened)

    @extend_schema(responses=ActionSerializer(many=True))
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated])
    def mine(self, request):
        """The caller's own actions: open, done awaiting verification, and verified in the last 30 days."""
        return self._paginated(selectors.action_mine(request.user).select_related("verified_by__user"))

    @extend_schema(responses=ActionSerializer(many=True))
    @action(
        detail=False, methods=["get"], url_path="awaiting-verification", permission_classes=[requires(VIEW, VERIFY)]
    )
    def awaiting_verification(self, request):
        """Done actions the caller may verify (not their own), longest waiting first."""
        return self._paginated(selectors.action_awaiting_verification(request.user).select_related("verified_by__user"))

    def _paginated(self, queryset):
        queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(queryset)
        serializer = ActionSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)
