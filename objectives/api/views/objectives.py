"""API of quality objectives: objectives with their lifecycle, action plan steps, target revisions."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from objectives.api.serializers.objectives import (
    ActionPlanStepSerializer,
    ActionPlanStepWriteSerializer,
    CancelInputSerializer,
    CloseInputSerializer,
    ObjectiveDetailSerializer,
    ObjectiveSerializer,
    ObjectiveWriteSerializer,
    RevisionDecisionInputSerializer,
    StepDoneInputSerializer,
    TargetRevisionSerializer,
    TargetRevisionWriteSerializer,
)
from objectives.filters.objectives import ActionPlanStepFilterSet, ObjectiveFilterSet, TargetRevisionFilterSet
from objectives.models import ActionPlanStep
from objectives.selectors import objectives as selectors
from objectives.services import objectives as services
from qms.api import ModelPermissions
from qms.etags import IF_MATCH, EditConflictSerializer, VersionedViewSetMixin


def has_perms(*perms: str):
    """A permission class requiring every one of `perms`; the services add the department rule."""

    class HasPerms(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    return HasPerms


VIEW = "objectives.view_objective"


@extend_schema(responses=ObjectiveSerializer)
class ObjectiveViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quality objectives (6.2) with their metric, cascade, health and lifecycle.

    Department managers create and edit only objectives of a department they head or that they
    own (403 otherwise). Once active, the target, upper limit, tolerance and due date change only
    through a target revision (409). Objectives are closed or cancelled, never deleted.

    A detail answer carries the objective's ETag; an update sent with `If-Match` on a version
    that is no longer current is refused with 412 and what changed.
    """

    filterset_class = ObjectiveFilterSet
    ordering_fields = ["reference", "due_date", "health", "status", "title"]
    search_fields = ["reference", "title", "metric_name"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.objective_list().prefetch_related(
                "kpi_of_positions", "customer_requirements", "plan_steps__responsible__user", "revisions"
            )
        return selectors.objective_api_list()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return ObjectiveWriteSerializer
        if self.action == "retrieve":
            return ObjectiveDetailSerializer
        return ObjectiveSerializer

    def get_permissions(self):
        lifecycle = {"activate", "close", "cancel"}
        if self.action in lifecycle:
            return [has_perms(VIEW, "objectives.activate_objective")()]
        return [ModelPermissions()]

    def _in_scope(self):
        """The objective, refused with 403 before the input is read when outside the caller's department rule."""
        objective = self.get_object()
        if not selectors.objective_scope_ok(self.request.user, objective):
            raise PermissionDenied(
                "Department managers manage the objectives of the department they head, and those they own."
            )
        return objective

    def _respond(self, objective, code=status.HTTP_200_OK):
        fresh = selectors.objective_list().prefetch_related(
            "kpi_of_positions", "customer_requirements", "plan_steps__responsible__user", "revisions"
        )
        return Response(ObjectiveDetailSerializer(fresh.get(pk=objective.pk)).data, status=code)

    @extend_schema(request=ObjectiveWriteSerializer, responses={201: ObjectiveDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ObjectiveWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_create(actor=request.user, **serializer.validated_data)
        return self._respond(objective, status.HTTP_201_CREATED)

    @extend_schema(
        request=ObjectiveWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ObjectiveDetailSerializer, 412: EditConflictSerializer},
    )
    def update(self, request, *args, **kwargs):
        expected_version = self.if_match_version()
        objective = self._in_scope()
        serializer = ObjectiveWriteSerializer(objective, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        objective = services.objective_update(
            actor=request.user, objective=objective, expected_version=expected_version, **serializer.validated_data
        )
        return self._respond(objective)

    @extend_schema(
        request=ObjectiveWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ObjectiveDetailSerializer, 412: EditConflictSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ObjectiveDetailSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Activate a draft. 400 lists what is missing by field (the plan under "plan")."""
        objective = services.objective_activate(actor=request.user, objective=self.get_object())
        return self._respond(objective)

    @extend_schema(request=CloseInputSerializer, responses=ObjectiveDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an active objective as achieved or missed, with a closing note."""
        objective = self._in_scope()
        serializer = CloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_close(actor=request.user, objective=objective, **serializer.validated_data)
        return self._respond(objective)

    @extend_schema(request=CancelInputSerializer, responses=ObjectiveDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a draft or active objective, with the reason."""
        objective = self._in_scope()
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_cancel(actor=request.user, objective=objective, **serializer.validated_data)
        return self._respond(objective)


@extend_schema(responses=ActionPlanStepSerializer)
class ActionPlanStepViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Steps of objectives' action plans (6.2.2.a-d): what, resources, who, when. Never deleted."""

    filterset_class = ActionPlanStepFilterSet
    ordering_fields = ["due_date", "order"]

    def get_queryset(self):
        return ActionPlanStep.objects.select_related("responsible__user").order_by("objective_id", "order", "pk")

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return ActionPlanStepWriteSerializer
        return ActionPlanStepSerializer

    def get_permissions(self):
        if self.action == "done":
            return [has_perms("objectives.view_actionplanstep", "objectives.change_actionplanstep")()]
        return [ModelPermissions()]

    def _respond(self, step, code=status.HTTP_200_OK):
        return Response(ActionPlanStepSerializer(self.get_queryset().get(pk=step.pk)).data, status=code)

    @extend_schema(request=ActionPlanStepWriteSerializer, responses={201: ActionPlanStepSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ActionPlanStepWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = services.action_plan_step_create(actor=request.user, **serializer.validated_data)
        return self._respond(step, status.HTTP_201_CREATED)

    @extend_schema(request=ActionPlanStepWriteSerializer, responses=ActionPlanStepSerializer)
    def update(self, request, *args, **kwargs):
        step = self.get_object()
        serializer = ActionPlanStepWriteSerializer(step, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        step = services.action_plan_step_update(actor=request.user, step=step, **serializer.validated_data)
        return self._respond(step)

    @extend_schema(request=StepDoneInputSerializer, responses=ActionPlanStepSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the step done (today unless another past date is given)."""
        serializer = StepDoneInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = services.action_plan_step_mark_done(
            actor=request.user, step=self.get_object(), done_at=serializer.validated_data.get("done_at")
        )
        return self._respond(step)


@extend_schema(responses=TargetRevisionSerializer)
class TargetRevisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Revisions of active objectives' targets (6.2.1.g), approved or rejected by top management with an
    e-signature. Approving applies the new values to the objective; the old ones stay on the revision."""

    serializer_class = TargetRevisionSerializer
    filterset_class = TargetRevisionFilterSet
    ordering_fields = ["effective_from", "created_at"]

    def get_queryset(self):
        return selectors.target_revision_list()

    def get_permissions(self):
        if self.action in {"approve", "reject"}:
            return [has_perms("objectives.view_targetrevision", "objectives.approve_targetrevision")()]
        return [ModelPermissions()]

    def _respond(self, revision, code=status.HTTP_200_OK):
        return Response(TargetRevisionSerializer(selectors.target_revision_get(revision.pk)).data, status=code)

    @extend_schema(request=TargetRevisionWriteSerializer, responses={201: TargetRevisionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TargetRevisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = services.target_revision_propose(actor=request.user, **serializer.validated_data)
        return self._respond(revision, status.HTTP_201_CREATED)

    @extend_schema(request=RevisionDecisionInputSerializer, responses=TargetRevisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve with an e-signature (password re-entry): the objective takes the new values."""
        serializer = RevisionDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = services.target_revision_approve(
            actor=request.user, revision=self.get_object(), **serializer.validated_data
        )
        return self._respond(revision)

    @extend_schema(request=RevisionDecisionInputSerializer, responses=TargetRevisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a decision note and an e-signature (password re-entry)."""
        serializer = RevisionDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revision = services.target_revision_reject(
            actor=request.user, revision=self.get_object(), **serializer.validated_data
        )
        return self._respond(revision)
