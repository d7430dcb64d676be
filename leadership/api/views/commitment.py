"""API of the leadership commitment log (5.1.1)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from leadership.api.serializers.commitment import (
    CommitmentCoverageSerializer,
    CommitmentEntryInputSerializer,
    CommitmentEntrySerializer,
)
from leadership.filters.commitment import CommitmentEntryFilterSet
from leadership.selectors import commitment as selectors
from leadership.services import commitment as services


class CommitmentEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Actions of top management that evidence leadership and commitment (5.1.1). Entries are kept, never edited."""

    serializer_class = CommitmentEntrySerializer
    filterset_class = CommitmentEntryFilterSet
    ordering_fields = ["date"]

    def get_queryset(self):
        return selectors.commitment_list()

    @extend_schema(request=CommitmentEntryInputSerializer, responses={201: CommitmentEntrySerializer})
    def create(self, request, *args, **kwargs):
        serializer = CommitmentEntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.commitment_record(actor=request.user, **serializer.validated_data)
        return Response(CommitmentEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("person", OpenApiTypes.INT, description="A top manager's person id; all when absent."),
            OpenApiParameter("months", OpenApiTypes.INT, description="Length of the period, 1 to 60 (default 12)."),
        ],
        responses=CommitmentCoverageSerializer,
    )
    @action(detail=False, methods=["get"])
    def coverage(self, request):
        """Entries per 5.1.1 item over the last months, and the items with none."""
        try:
            months = int(request.query_params.get("months", 12))
        except ValueError:
            months = 0
        if not 1 <= months <= 60:
            return Response({"months": ["A whole number of months from 1 to 60."]}, status=status.HTTP_400_BAD_REQUEST)
        person = None
        if wanted := request.query_params.get("person"):
            person = selectors.top_managers().filter(pk=wanted).first() if wanted.isdigit() else None
            if person is None:
                return Response(
                    {"person": ["No member of top management has this id."]}, status=status.HTTP_400_BAD_REQUEST
                )
        return Response(CommitmentCoverageSerializer(selectors.commitment_coverage(person=person, months=months)).data)
