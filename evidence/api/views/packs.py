"""API of evidence packs: list, retrieve, create (= ask for a pack), and download the PDF once ready.

A pack is built in the background: poll the pack (`status`, `progress`) until it is `ready`, then
GET `download`. Asking for a second pack while one is in the making answers 409; bad input 400
naming the field; a role without the permission 403.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evidence.api.serializers.packs import EvidencePackRequestSerializer, EvidencePackSerializer
from evidence.filters.packs import EvidencePackFilterSet
from evidence.selectors import packs as selectors
from evidence.services import packs as services
from evidence.views.packs import pack_file_response
from qms.api import ModelPermissions, requires

DOWNLOAD = "evidence.download_evidencepack"


class EvidencePackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Evidence packs: everyone's for those who may download packs, otherwise the caller's own."""

    serializer_class = EvidencePackSerializer
    filterset_class = EvidencePackFilterSet
    ordering_fields = ["created_at", "reference", "period_start"]
    search_fields = ["reference"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action == "download":
            return selectors.evidence_pack_list()
        return selectors.evidence_pack_list_for(self.request.user)

    def get_permissions(self):
        if self.action == "download":
            return [requires(DOWNLOAD)()]
        return [ModelPermissions()]

    def get_serializer_class(self):
        if self.action == "create":
            return EvidencePackRequestSerializer
        return EvidencePackSerializer

    @extend_schema(
        request=EvidencePackRequestSerializer,
        responses={201: EvidencePackSerializer},
        description="Ask for a pack of a period (at most three years, ending today at the latest), optionally "
        "for some requirement items and departments. The pack is queued and built in the background.",
    )
    def create(self, request, *args, **kwargs):
        serializer = EvidencePackRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pack = services.evidence_pack_request(
            actor=request.user,
            period_start=data["period_start"],
            period_end=data["period_end"],
            clause_ids=data.get("clause_ids") or [],
            departments=data.get("departments") or [],
        )
        pack = selectors.evidence_pack_get(pack.pk)
        return Response(EvidencePackSerializer(pack, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        responses={
            (status.HTTP_200_OK, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            404: OpenApiResponse(description="No such pack, or it is not ready yet."),
        },
        description="The pack's PDF (PDF/A-3, its data attached as JSON), as an attachment named after the "
        "pack. Every download is logged.",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return pack_file_response(request, self.get_object())
