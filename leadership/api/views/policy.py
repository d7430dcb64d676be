"""API of the quality policy: versions and their lifecycle, acknowledgements, coverage, share links."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a server error
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from leadership.api.serializers.policy import (
    AcknowledgeInputSerializer,
    CoverageSerializer,
    PolicyAcknowledgementSerializer,
    PolicyShareLinkSerializer,
    PolicyVersionSerializer,
    PolicyVersionWriteSerializer,
    PublishPreviewSerializer,
    RejectInputSerializer,
    ShareLinkInputSerializer,
)
from leadership.filters.policy import PolicyAcknowledgementFilterSet, PolicyShareLinkFilterSet, PolicyVersionFilterSet
from leadership.models import Person
from leadership.models.policy import PolicyVersion
from leadership.selectors import policy as selectors
from leadership.services import policy as services
from leadership.views.policy import pdf_response
from qms.serializers import SignInputSerializer


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the PDF itself is streamed as a file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class HasPermission(BasePermission):
    """Signed in and holding one Django permission: for actions that ModelPermissions cannot map."""

    def __init__(self, permission: str):
        self.permission = permission

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(self.permission))


class ActionPermissionsMixin:
    """Each custom action names its own permission in `action_permissions` (None: signed in is enough)."""

    action_permissions: dict[str, str | None] = {}

    def get_permissions(self):
        if self.action in self.action_permissions:
            permission = self.action_permissions[self.action]
            return [IsAuthenticated()] if permission is None else [HasPermission(permission)]
        return super().get_permissions()


# Versions -------------------------------------------------------------------------------------


@extend_schema(responses=PolicyVersionSerializer)
class PolicyVersionViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quality policy versions. Only drafts can be changed; versions are never deleted.

    Lifecycle: draft → `submit` (author's e-signature) → `approve` (top management's e-signature)
    or `reject` (back to draft) → `publish` (supersedes the version in force).
    """

    filterset_class = PolicyVersionFilterSet
    ordering_fields = ["number", "published_at"]
    search_fields = ["title", "text"]
    action_permissions = {
        "submit": "leadership.change_policyversion",
        "approve": "leadership.approve_policyversion",
        "reject": "leadership.approve_policyversion",
        "publish": "leadership.publish_policyversion",
        "publish_preview": "leadership.publish_policyversion",
        "new_version": "leadership.add_policyversion",
        "coverage": "leadership.view_policyversion",
        "pdf": None,
    }

    def get_queryset(self):
        return selectors.policy_version_list()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return PolicyVersionWriteSerializer
        return PolicyVersionSerializer

    def _respond(self, version, code=status.HTTP_200_OK):
        return Response(
            PolicyVersionSerializer(
                selectors.policy_version_get(version.pk), context=self.get_serializer_context()
            ).data,
            status=code,
        )

    @extend_schema(request=PolicyVersionWriteSerializer, responses={201: PolicyVersionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PolicyVersionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.policy_version_create(actor=request.user, **serializer.validated_data)
        return self._respond(version, status.HTTP_201_CREATED)

    @extend_schema(request=PolicyVersionWriteSerializer, responses=PolicyVersionSerializer)
    def update(self, request, *args, **kwargs):
        version = self.get_object()
        serializer = PolicyVersionWriteSerializer(version, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        version = services.policy_version_update(actor=request.user, version=version, **serializer.validated_data)
        return self._respond(version)

    @extend_schema(request=SignInputSerializer, responses=PolicyVersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft for approval, signed by the submitter as author (password required)."""
        serializer = SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.policy_version_submit(
            actor=request.user, version=self.get_object(), **serializer.validated_data
        )
        return self._respond(version)

    @extend_schema(request=SignInputSerializer, responses=PolicyVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted version with an e-signature (top management; password required)."""
        serializer = SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.policy_version_approve(
            actor=request.user, version=self.get_object(), **serializer.validated_data
        )
        return self._respond(version)

    @extend_schema(request=RejectInputSerializer, responses=PolicyVersionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send a submitted version back to draft with a reason (top management)."""
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.policy_version_reject(
            actor=request.user, version=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return self._respond(version)

    @extend_schema(request=None, responses=PublishPreviewSerializer)
    @action(detail=True, methods=["get"], url_path="publish-preview")
    def publish_preview(self, request, pk=None):
        """What publishing this version would reset: acknowledgements of the version in force, its share links."""
        preview = services.policy_version_publish_preview(version=self.get_object())
        current = preview["current"]
        return Response(
            PublishPreviewSerializer(
                {
                    "current_version": current.number if current else None,
                    "acknowledgements_reset": preview["acknowledgements_reset"],
                    "share_links_stopped": preview["share_links_stopped"],
                }
            ).data
        )

    @extend_schema(request=None, responses=PolicyVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an approved version; the one in force becomes superseded and everyone acknowledges again."""
        version = services.policy_version_publish(actor=request.user, version=self.get_object())
        return self._respond(version)

    @extend_schema(request=None, responses={201: PolicyVersionSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Copy this version into a new draft (the 5.2.1 confirmations start unticked)."""
        version = services.policy_version_new_from(actor=request.user, source=self.get_object())
        return self._respond(version, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CoverageSerializer)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Acknowledgement coverage of this version: overall, per department, and who has not acknowledged."""
        return Response(CoverageSerializer(selectors.policy_coverage(self.get_object())).data)

    @extend_schema(
        request=None,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The controlled PDF copy."),
            404: OpenApiResponse(description="No PDF yet."),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request, pk=None):
        """The controlled PDF copy; the published version's to every member of staff."""
        version = get_object_or_404(PolicyVersion, pk=pk)
        may_read = request.user.has_perm("leadership.view_policyversion") or (
            version.status == PolicyVersion.Status.PUBLISHED and Person.objects.filter(user=request.user).exists()
        )
        if not may_read:
            raise PermissionDenied("You may not download this version of the policy.")
        if not version.pdf:
            raise NotFound("The PDF of this version is not ready yet.")
        return pdf_response(version, as_attachment=True)


# Acknowledgements ------------------------------------------------------------------------------


class PolicyAcknowledgementViewSet(
    ActionPermissionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Acknowledgements of the quality policy. Everyone sees their own; those who may read them, all."""

    serializer_class = PolicyAcknowledgementSerializer
    filterset_class = PolicyAcknowledgementFilterSet
    ordering_fields = ["acknowledged_at"]
    action_permissions = {
        "list": None,
        "retrieve": None,
        "acknowledge": None,
        "coverage": "leadership.view_policyversion",
    }

    def get_queryset(self):
        queryset = selectors.acknowledgement_list()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        if not self.request.user.has_perm("leadership.view_policyacknowledgement"):
            queryset = queryset.filter(person__user=self.request.user)
        return queryset

    @extend_schema(request=AcknowledgeInputSerializer, responses={201: PolicyAcknowledgementSerializer})
    @action(detail=False, methods=["post"])
    def acknowledge(self, request):
        """Record that the signed-in person has read and understood the published policy (once per version)."""
        serializer = AcknowledgeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acknowledgement = services.policy_acknowledgement_record(
            actor=request.user, version=serializer.validated_data.get("version")
        )
        return Response(
            PolicyAcknowledgementSerializer(selectors.acknowledgement_list().get(pk=acknowledgement.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={
            200: CoverageSerializer,
            404: OpenApiResponse(description="No version has that id, or none is published yet."),
        },
        parameters=[
            OpenApiParameter("version", int, description="A version's id; the published version when left out.")
        ],
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def coverage(self, request):
        """Acknowledgement coverage of the published version (or `?version=`): overall and per department."""
        wanted = request.query_params.get("version")
        if wanted:
            if not wanted.isdigit():
                raise ValidationError({"version": ["Give a version id (a whole number)."]})
            version = selectors.policy_version_list().filter(pk=wanted).first()
            if version is None:
                raise NotFound("No such policy version.")
        else:
            version = selectors.policy_version_published()
            if version is None:
                raise NotFound("No quality policy is published yet.")
        return Response(CoverageSerializer(selectors.policy_coverage(version)).data)


# Share links -------------------------------------------------------------------------------------


class PolicyShareLinkViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Public links to the published policy for interested parties (5.2.2.c). Revoked, never deleted."""

    serializer_class = PolicyShareLinkSerializer
    filterset_class = PolicyShareLinkFilterSet
    action_permissions = {
        "create": "leadership.share_policyversion",
        "revoke": "leadership.share_policyversion",
    }

    def get_queryset(self):
        return selectors.share_link_list()

    @extend_schema(request=ShareLinkInputSerializer, responses={201: PolicyShareLinkSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ShareLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.policy_share_link_create(actor=request.user, label=serializer.validated_data["label"])
        return Response(
            PolicyShareLinkSerializer(selectors.share_link_list().get(pk=link.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=PolicyShareLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Stop the link from working; whoever follows it gets “no longer valid”."""
        link = services.policy_share_link_revoke(actor=request.user, link=self.get_object())
        return Response(
            PolicyShareLinkSerializer(selectors.share_link_list().get(pk=link.pk), context={"request": request}).data
        )
