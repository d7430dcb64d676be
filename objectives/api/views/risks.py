"""API of the risk and opportunity register: list, read, register, change, mark reviewed; the heat map.

Entries are never deleted through the API. Marking a closed entry reviewed answers 409, a role
without the permission 403, bad input 400 naming the field.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from objectives.api.serializers.risks import (
    RiskHeatMapSerializer,
    RiskReviewSerializer,
    RiskSerializer,
    RiskWriteSerializer,
)
from objectives.filters.risks import RiskFilterSet
from objectives.selectors import risks as selectors
from objectives.services import risks as services
from qms.api import requires

VIEW = "objectives.view_risk"
CHANGE = "objectives.change_risk"


class RiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Risks and opportunities (6.1) with score, treatment, owner, review dates and links."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["score", "reference", "next_review_date", "likelihood", "impact"]

    def get_queryset(self):
        return selectors.risk_list(with_links=True)

    def _respond(self, risk, code=status.HTTP_200_OK):
        return Response(RiskSerializer(selectors.risk_list(with_links=True).get(pk=risk.pk)).data, status=code)

    @extend_schema(request=RiskWriteSerializer, responses={201: RiskSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RiskWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        risk = services.risk_create(actor=request.user, **serializer.validated_data)
        return self._respond(risk, status.HTTP_201_CREATED)

    @extend_schema(request=RiskWriteSerializer, responses=RiskSerializer)
    def update(self, request, *args, **kwargs):
        risk = self.get_object()
        serializer = RiskWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.risk_update(actor=request.user, risk=risk, **serializer.validated_data)
        return self._respond(risk)

    @extend_schema(request=RiskWriteSerializer, responses=RiskSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=RiskReviewSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def review(self, request, pk=None):
        """Mark the entry reviewed by the caller today, with the date of the next review (5.1.1.d)."""
        serializer = RiskReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        risk = services.risk_mark_reviewed(actor=request.user, risk=self.get_object(), **serializer.validated_data)
        return self._respond(risk)


class RiskHeatMapView(APIView):
    """Entries that are not closed, counted per likelihood x impact cell, risks and opportunities apart."""

    permission_classes = [IsAuthenticated, requires(VIEW)]

    @extend_schema(responses=RiskHeatMapSerializer)
    def get(self, request):
        maps = selectors.risk_heat_map()
        data = {
            kind: {
                "type": kind,
                "total": item["total"],
                "cells": [cell for row in item["rows"] for cell in row["cells"]],
            }
            for kind, item in maps.items()
        }
        return Response(RiskHeatMapSerializer(data).data)
