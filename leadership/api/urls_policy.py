"""API routes of the quality policy, registered on the leadership router."""

from leadership.api.views.policy import PolicyAcknowledgementViewSet, PolicyShareLinkViewSet, PolicyVersionViewSet


def register(router) -> None:
    router.register("policy-versions", PolicyVersionViewSet, basename="policyversion")
    router.register("policy-acknowledgements", PolicyAcknowledgementViewSet, basename="policyacknowledgement")
    router.register("policy-share-links", PolicyShareLinkViewSet, basename="policysharelink")


# No API views outside the router.
urlpatterns: list = []
