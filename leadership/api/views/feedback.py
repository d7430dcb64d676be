"""API of the employee quality feedback box (5.1.1.h)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from leadership.api.serializers.feedback import (
    AnswerInputSerializer,
    EmployeeFeedbackCreatedSerializer,
    EmployeeFeedbackInputSerializer,
    EmployeeFeedbackSerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
)
from leadership.api.views.resources import has_perms
from leadership.filters.feedback import EmployeeFeedbackFilterSet
from leadership.models import Person
from leadership.selectors import feedback as selectors
from leadership.services import feedback as services
from qms.api import ModelPermissions
from qms.etags import IF_MATCH, EditConflictSerializer, VersionedViewSetMixin

VIEW = "leadership.view_employeefeedback"
ANSWER = "leadership.answer_employeefeedback"


@extend_schema(responses=EmployeeFeedbackSerializer)
class EmployeeFeedbackViewSet(
    VersionedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The employee quality feedback box. Anonymous items carry no reporter; nothing is ever deleted.

    A detail answer carries the item's ETag; an answer sent with `If-Match` on a version that is no
    longer current (someone answered meanwhile) is refused with 412 and what changed.
    """

    serializer_class = EmployeeFeedbackSerializer
    filterset_class = EmployeeFeedbackFilterSet
    ordering_fields = ["submitted_at", "reference"]
    # Never the reporter's name: a search must not single out who sent what.
    search_fields = ["reference", "title"]

    def get_queryset(self):
        return selectors.employee_feedback_list()

    def get_permissions(self):
        if self.action in {"acknowledge", "answer", "close"}:
            return [has_perms(VIEW, ANSWER)()]
        if self.action in {"mine", "follow_up"}:
            return [IsAuthenticated()]
        return [ModelPermissions()]

    def _respond(self, feedback, code=status.HTTP_200_OK):
        return Response(EmployeeFeedbackSerializer(selectors.employee_feedback_get(feedback.pk)).data, status=code)

    @extend_schema(request=EmployeeFeedbackInputSerializer, responses={201: EmployeeFeedbackCreatedSerializer})
    def create(self, request, *args, **kwargs):
        """Submit a problem or idea; anonymous submissions return their follow-up code this once."""
        serializer = EmployeeFeedbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback, code = services.employee_feedback_submit(actor=request.user, **serializer.validated_data)
        feedback = selectors.employee_feedback_get(feedback.pk)
        feedback.follow_up_code = code
        response = Response(EmployeeFeedbackCreatedSerializer(feedback).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses=EmployeeFeedbackSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._respond(services.employee_feedback_acknowledge(actor=request.user, feedback=self.get_object()))

    @extend_schema(
        request=AnswerInputSerializer,
        parameters=[IF_MATCH],
        responses={200: EmployeeFeedbackSerializer, 412: EditConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        expected_version = self.if_match_version()
        serializer = AnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.employee_feedback_answer(
            actor=request.user,
            feedback=self.get_object(),
            answer=serializer.validated_data["answer"],
            expected_version=expected_version,
        )
        return self._respond(feedback)

    @extend_schema(request=None, responses=EmployeeFeedbackSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._respond(services.employee_feedback_close(actor=request.user, feedback=self.get_object()))

    @extend_schema(responses=EmployeeFeedbackSerializer(many=True))
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """The signed-in person's named feedback, with status and answer (anonymous items are not linked)."""
        person = Person.objects.filter(user=request.user).only("pk").first()
        queryset = self.filter_queryset(selectors.employee_feedback_mine(person))
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(EmployeeFeedbackSerializer(page, many=True).data)
        return Response(EmployeeFeedbackSerializer(queryset, many=True).data)

    @extend_schema(request=FollowUpInputSerializer, responses=FollowUpSerializer)
    @action(detail=False, methods=["post"], url_path="follow-up")
    def follow_up(self, request):
        """Status and answer of anonymous feedback, by its follow-up code (sent in the body, not the URL)."""
        serializer = FollowUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = selectors.employee_feedback_by_code(serializer.validated_data["code"])
        if feedback is None:
            return Response({"code": ["No feedback matches this code."]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(FollowUpSerializer(feedback).data)
