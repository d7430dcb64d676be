"""API of issued documents: verification of a PDF or SHA-256, and the read-only download log.

Verification is open to every signed-in user with a role and stores nothing; a bad hash or a
file that is not a PDF answers 400 naming the field.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from evidence.api.serializers.documents import DownloadLogSerializer, VerificationSerializer, VerifyRequestSerializer
from evidence.filters.documents import DownloadLogFilterSet
from evidence.selectors import documents as selectors
from evidence.services import documents as services


class HasRole(permissions.BasePermission):
    """Signed in and holding at least one role."""

    message = "Verification is open to everyone with a role in Clause5."

    def has_permission(self, request, view):
        return selectors.user_has_role(request.user)


class VerifyView(APIView):
    """Whether a PDF (multipart `file`) or a SHA-256 (`sha256`) is a document Clause5 issued, unaltered."""

    permission_classes = [permissions.IsAuthenticated, HasRole]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=VerifyRequestSerializer, responses=VerificationSerializer)
    def post(self, request):
        serializer = VerifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.document_verify(
            sha256=serializer.validated_data.get("sha256", ""), file=serializer.validated_data.get("file")
        )
        return Response(
            VerificationSerializer(
                {
                    "found": result.found,
                    "sha256": result.sha256,
                    "message": result.message,
                    "issues": result.issues,
                    "later": result.later,
                }
            ).data
        )


class DownloadLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every download of evidence (packs, attachments, issued documents): who, what, when. Read-only."""

    serializer_class = DownloadLogSerializer
    filterset_class = DownloadLogFilterSet

    def get_queryset(self):
        return selectors.download_log_list()
