"""API of management reviews (9.3): list, read (inputs, outputs, readiness), prepare; compile, freeze, conclude,
record an output, sign; a section's entries and note.

Reviews are never deleted through the API. A rule refusing the request (a frozen review
recompiled, a signature with something missing) answers 409 with the reason; a role without
the permission 403; bad input 400 naming the field.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from qms.api import requires
from qms.serializers import SignInputSerializer
from reviews.api.serializers.management_reviews import (
    ConclusionsSerializer,
    ManagementReviewDetailSerializer,
    ManagementReviewPrepareSerializer,
    ManagementReviewSerializer,
    OutputInputSerializer,
    OutputSerializer,
    ReviewInputSerializer,
    ReviewInputUpdateSerializer,
)
from reviews.filters.management_reviews import ManagementReviewFilterSet
from reviews.models.management_reviews import ReviewInput
from reviews.selectors import management_reviews as selectors
from reviews.services import management_reviews as services

VIEW = "reviews.view_managementreview"
CHANGE = "reviews.change_managementreview"
SIGN = "reviews.sign_managementreview"


class ManagementReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Management reviews: the compiled and frozen 9.3.2 inputs, conclusions, 9.3.3 outputs and signature."""

    filterset_class = ManagementReviewFilterSet
    ordering_fields = ["period_end", "status"]

    def get_queryset(self):
        queryset = selectors.management_review_list()
        if self.action != "list":
            queryset = queryset.select_related("signature").prefetch_related(
                Prefetch("inputs", queryset=ReviewInput.objects.order_by("item"))
            )
        return queryset

    def get_serializer_class(self):
        return ManagementReviewSerializer if self.action == "list" else ManagementReviewDetailSerializer

    def _respond(self, review, code=status.HTTP_200_OK):
        return Response(ManagementReviewDetailSerializer(self.get_queryset().get(pk=review.pk)).data, status=code)

    @extend_schema(request=ManagementReviewPrepareSerializer, responses={201: ManagementReviewDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Prepare a review: plan its meeting with the standard agenda, create and compile its twelve inputs."""
        serializer = ManagementReviewPrepareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.management_review_prepare(actor=request.user, **serializer.validated_data)
        return self._respond(review, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ManagementReviewDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def compile(self, request, pk=None):
        """Gather every input again from the rest of Clause5; 409 once the inputs are frozen."""
        review = services.management_review_compile(actor=request.user, review=self.get_object())
        return self._respond(review)

    @extend_schema(request=None, responses=ManagementReviewDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def freeze(self, request, pk=None):
        """Compile one last time and freeze the inputs (the review is held). Repeating it changes nothing."""
        review = services.management_review_freeze(actor=request.user, review=self.get_object())
        return self._respond(review)

    @extend_schema(request=ConclusionsSerializer, responses=ManagementReviewDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def conclude(self, request, pk=None):
        """Write the conclusions on the QMS; those not sent stay as they are. 409 once signed."""
        serializer = ConclusionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.management_review_conclude(
            actor=request.user, review=self.get_object(), **serializer.validated_data
        )
        return self._respond(review)

    @extend_schema(request=OutputInputSerializer, responses={201: OutputSerializer})
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def outputs(self, request, pk=None):
        """Record a 9.3.3 output (a decision of the review's meeting) with its category and owner."""
        serializer = OutputInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.management_review_output_add(
            actor=request.user, review=self.get_object(), **serializer.validated_data
        )
        output = next(
            o for o in selectors.management_review_outputs(decision.meeting.management_review) if o.pk == decision.pk
        )
        return Response(OutputSerializer(output).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SignInputSerializer, responses=ManagementReviewDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, SIGN)])
    def sign(self, request, pk=None):
        """The chair approves the held review and its minutes; 409 listing everything missing if not ready."""
        serializer = SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.management_review_sign(
            actor=request.user, review=self.get_object(), **serializer.validated_data
        )
        return self._respond(review)


class ReviewInputPermission(BasePermission):
    """Reading a section needs view_reviewinput; changing its entries or note, changing the review."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return user.has_perm("reviews.view_reviewinput")
        return user.has_perms((VIEW, CHANGE))


class ReviewInputViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """One 9.3.2 input section of a review: read it, or change its entries and note until the review is signed."""

    serializer_class = ReviewInputSerializer
    permission_classes = [IsAuthenticated, ReviewInputPermission]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return ReviewInput.objects.select_related("review")

    @extend_schema(request=ReviewInputUpdateSerializer, responses=ReviewInputSerializer)
    def partial_update(self, request, *args, **kwargs):
        review_input = self.get_object()
        serializer = ReviewInputUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "entries" in data:
            review_input = services.review_input_set_entries(
                actor=request.user, review_input=review_input, entries=data["entries"]
            )
        if "note" in data:
            review_input = services.review_input_annotate(
                actor=request.user, review_input=review_input, note=data["note"]
            )
        return Response(ReviewInputSerializer(ReviewInput.objects.get(pk=review_input.pk)).data)
