"""API routes of quality objectives, their action plan steps and target revisions."""

from objectives.api.views.objectives import ActionPlanStepViewSet, ObjectiveViewSet, TargetRevisionViewSet


def register(router) -> None:
    """Register this area's viewsets on the objectives API router."""
    router.register("objectives", ObjectiveViewSet, basename="objective")
    router.register("action-plan-steps", ActionPlanStepViewSet, basename="actionplanstep")
    router.register("target-revisions", TargetRevisionViewSet, basename="targetrevision")


urlpatterns: list = []
