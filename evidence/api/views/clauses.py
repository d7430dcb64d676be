"""API of the clause catalogue: the requirement items and their evidence; evidence tags: list, tag, remove.

Tags are never deleted: `remove` takes one out of force with a reason. Tagging a record that is not
evidence, or that already evidences the item, answers 409; a role without the permission 403;
bad input 400 naming the field.
"""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a server error
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from evidence.api.serializers.clauses import (
    ClauseSerializer,
    EvidencePageSerializer,
    EvidenceQuerySerializer,
    EvidenceTagCreateSerializer,
    EvidenceTagRemoveSerializer,
    EvidenceTagSerializer,
)
from evidence.filters.clauses import ClauseFilterSet, EvidenceTagFilterSet
from evidence.mapping import kinds_visible_to
from evidence.models.clauses import EvidenceTag
from evidence.selectors import clauses as selectors
from evidence.services import clauses as services
from qms.api import requires

VIEW = "evidence.view_clause"
UNTAG = "evidence.change_evidencetag"


class ClauseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The ISO 9001 requirement items Clause5 keeps evidence for, with their evidence."""

    serializer_class = ClauseSerializer
    filterset_class = ClauseFilterSet
    # Requirement ids contain dots.
    lookup_value_regex = r"[0-9a-z.]+"
    ordering_fields = ["order", "id"]

    def get_queryset(self):
        return selectors.clause_list()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            start, end = selectors.last_twelve_months()
            context["evidence_counts"] = selectors.evidence_counts(
                period_start=start, period_end=end, kinds=kinds_visible_to(self.request.user)
            )
        return context

    @extend_schema(
        parameters=[EvidenceQuerySerializer],
        responses=EvidencePageSerializer,
        description="Every record that evidences the item, newest first: mapped automatically or tagged by hand. "
        "Without dates, the last twelve months.",
    )
    @action(detail=True, methods=["get"], permission_classes=[requires(VIEW)])
    def evidence(self, request, pk=None):
        clause = self.get_object()
        query = EvidenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        # Left out: the last twelve months, as on the page and in the catalogue's counts.
        default_start, default_end = selectors.last_twelve_months()
        start = filters.get("period_start") if "period_start" in request.query_params else default_start
        end = filters.get("period_end") if "period_end" in request.query_params else default_end
        number, size = filters["page"], filters["page_size"]
        page = selectors.evidence_for_clause(
            clause.pk,
            period_start=start,
            period_end=end,
            department=filters.get("department"),
            kinds=kinds_visible_to(request.user),
            offset=(number - 1) * size,
            limit=size,
        )
        url = request.build_absolute_uri()
        has_next = number * size < page.total
        previous = None
        if number > 1:
            previous = replace_query_param(url, "page", number - 1) if number > 2 else remove_query_param(url, "page")
        data = {
            "count": page.total,
            "next": replace_query_param(url, "page", number + 1) if has_next else None,
            "previous": previous,
            "period_start": start,
            "period_end": end,
            "results": page.rows,
        }
        return Response(EvidencePageSerializer(data).data)


class EvidenceTagViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Hand-made links of records to requirement items; removed tags stay, with who removed them and why."""

    serializer_class = EvidenceTagSerializer
    filterset_class = EvidenceTagFilterSet
    ordering_fields = ["tagged_at", "removed_at"]

    def get_queryset(self):
        # Tags on records the caller's role may not see are not shown either.
        visible = Q(pk__in=[])
        for kind in kinds_visible_to(self.request.user):
            app_label, model = kind.key.split(".")
            visible |= Q(content_type__app_label=app_label, content_type__model=model)
        return (
            EvidenceTag.objects.filter(visible)
            .select_related("content_type", "tagged_by")
            .order_by("-tagged_at", "-pk")
        )

    @extend_schema(request=EvidenceTagCreateSerializer, responses={201: EvidenceTagSerializer})
    def create(self, request, *args, **kwargs):
        serializer = EvidenceTagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = services.evidence_record_get(kind_key=data["kind"], object_id=data["object_id"])
        tag = services.evidence_tag_create(actor=request.user, clause=data["clause"], record=record, note=data["note"])
        return Response(EvidenceTagSerializer(self.get_queryset().get(pk=tag.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvidenceTagRemoveSerializer, responses=EvidenceTagSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, UNTAG)])
    def remove(self, request, pk=None):
        """Take the tag out of force, with the reason; it stays in the trail."""
        tag = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = EvidenceTagRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.evidence_tag_remove(actor=request.user, tag=tag, reason=serializer.validated_data["reason"])
        return Response(EvidenceTagSerializer(self.get_queryset().get(pk=tag.pk)).data)
