"""API of minutes: attendance, minutes per agenda item, decisions and their actions, start, sign, amend.

The rules are the services', the same as on the recording page: nothing is recorded before the
meeting starts or after its minutes are signed (409), only the chair signs (403), bad input is a
400 naming the field.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qms.api import ModelPermissions, requires
from qms.etags import IF_MATCH, EditConflictSerializer, VersionedViewSetMixin
from qms.serializers import SignInputSerializer
from reviews.api.serializers.minutes import (
    AgendaItemMinutesSerializer,
    AmendInputSerializer,
    AmendmentSerializer,
    AttendanceEntrySerializer,
    AttendanceGuestSerializer,
    AttendanceMarkSerializer,
    DecisionActionCreateSerializer,
    DecisionActionSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    DecisionUpdateSerializer,
    MeetingMinutesSerializer,
)
from reviews.filters.minutes import AttendeeFilterSet, DecisionFilterSet
from reviews.models.meetings import AgendaItem, Attendee, Meeting
from reviews.selectors import minutes as selectors
from reviews.services import minutes as services

VIEW = "reviews.view_meeting"
RECORD = "reviews.record_meeting"
SIGN = "reviews.sign_meeting"


class _RecordingPermissions:
    """Reads need the model's view permission; writes need to read meetings and to take minutes."""

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [ModelPermissions()]
        return [requires(VIEW, RECORD)()]


class AttendanceViewSet(
    _RecordingPermissions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Who was invited to which meeting and whether they came; marked live by the minute-taker."""

    serializer_class = AttendanceEntrySerializer
    filterset_class = AttendeeFilterSet
    queryset = Attendee.objects.none()

    def get_queryset(self):
        return Attendee.objects.select_related("person__user").order_by("meeting_id", "pk")

    def _respond(self, attendee, code=status.HTTP_200_OK):
        return Response(AttendanceEntrySerializer(self.get_queryset().get(pk=attendee.pk)).data, status=code)

    @extend_schema(request=AttendanceGuestSerializer, responses={201: AttendanceEntrySerializer})
    def create(self, request, *args, **kwargs):
        """Add a guest or stand-in who was not invited."""
        serializer = AttendanceGuestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendee = services.attendee_add(actor=request.user, **serializer.validated_data)
        return self._respond(attendee, status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceMarkSerializer, responses=AttendanceEntrySerializer)
    def update(self, request, *args, **kwargs):
        """Mark a person present, absent or as having sent apologies."""
        attendee = self.get_object()
        serializer = AttendanceMarkSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        status_value = data.get("status", attendee.status)
        attendee = services.attendee_mark(
            actor=request.user, attendee=attendee, status=status_value, note=data.get("note")
        )
        return self._respond(attendee)

    @extend_schema(request=AttendanceMarkSerializer, responses=AttendanceEntrySerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


class AgendaItemMinutesViewSet(VersionedViewSetMixin, viewsets.GenericViewSet):
    """The minutes of one agenda item, saved as they are typed.

    Answers carry the item's ETag. Two recorders on the same item: a PUT with `If-Match` on a
    version someone else has saved over is refused with 412, naming the minutes now saved.
    """

    serializer_class = AgendaItemMinutesSerializer
    queryset = AgendaItem.objects.select_related("meeting")

    @extend_schema(
        request=AgendaItemMinutesSerializer,
        parameters=[IF_MATCH],
        responses={200: AgendaItemMinutesSerializer, 412: EditConflictSerializer},
    )
    @action(detail=True, methods=["put"], permission_classes=[requires(VIEW, RECORD)])
    def minutes(self, request, pk=None):
        """Replace the item's minutes; the same text again changes nothing."""
        expected_version = self.if_match_version()
        serializer = AgendaItemMinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_minutes_save(
            actor=request.user,
            item=self.get_object(),
            minutes=serializer.validated_data["minutes"],
            expected_version=expected_version,
        )
        return Response(AgendaItemMinutesSerializer(item).data)

    @extend_schema(responses=AgendaItemMinutesSerializer)
    @minutes.mapping.get
    def read_minutes(self, request, pk=None):
        """The item's minutes as saved now, with the ETag to send back in `If-Match`."""
        return Response(AgendaItemMinutesSerializer(self.get_object()).data)


class DecisionViewSet(
    _RecordingPermissions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions of meetings (D1, D2, ...), with their owner, 9.3.3 category and actions."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet

    def get_queryset(self):
        return selectors.decision_list()

    def _respond(self, decision, code=status.HTTP_200_OK):
        return Response(DecisionSerializer(selectors.decision_list().get(pk=decision.pk)).data, status=code)

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.decision_add(actor=request.user, **serializer.validated_data)
        return self._respond(decision, status.HTTP_201_CREATED)

    @extend_schema(request=DecisionUpdateSerializer, responses=DecisionSerializer)
    def update(self, request, *args, **kwargs):
        decision = self.get_object()
        serializer = DecisionUpdateSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.decision_update(actor=request.user, decision=decision, **serializer.validated_data)
        return self._respond(decision)

    @extend_schema(request=DecisionUpdateSerializer, responses=DecisionSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=DecisionActionCreateSerializer, responses={201: DecisionActionSerializer})
    @action(detail=True, methods=["post"], url_path="actions", permission_classes=[requires(VIEW, RECORD)])
    def raise_action(self, request, pk=None):
        """Raise an action on the decision while the meeting is recorded."""
        serializer = DecisionActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.decision_action_add(actor=request.user, decision=self.get_object(), **serializer.validated_data)
        created = selectors.action_queryset().get(pk=new.pk)
        return Response(DecisionActionSerializer(created).data, status=status.HTTP_201_CREATED)


class MeetingMinutesViewSet(viewsets.GenericViewSet):
    """A meeting's minutes and their lifecycle: start, sign, amend."""

    serializer_class = MeetingMinutesSerializer
    queryset = Meeting.objects.all()

    def _meeting(self):
        meeting = self.get_object()
        return selectors.meeting_get(meeting.pk)

    @extend_schema(responses=MeetingMinutesSerializer)
    @action(detail=True, methods=["get"], url_path="minutes", permission_classes=[requires(VIEW)])
    def read_minutes(self, request, pk=None):
        """The minutes: attendance, agenda items, decisions with actions, signature and amendments."""
        return Response(MeetingMinutesSerializer(self._meeting()).data)

    @extend_schema(request=None, responses=MeetingMinutesSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, RECORD)])
    def start(self, request, pk=None):
        """Start the meeting now: its minutes open (a management review's inputs are frozen)."""
        services.meeting_start(actor=request.user, meeting=self.get_object())
        return Response(MeetingMinutesSerializer(self._meeting()).data)

    @extend_schema(
        request=SignInputSerializer,
        responses={
            200: MeetingMinutesSerializer,
            403: OpenApiResponse(description="Only the chair signs."),
            409: OpenApiResponse(description="Not held, already signed, incomplete (`missing` lists what)."),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, SIGN)])
    def sign(self, request, pk=None):
        """The chair approves the minutes as a true record, re-entering their password."""
        meeting = self.get_object()
        # Refused before the input is read: only the chair signs, whatever is sent.
        if meeting.chair.user_id != request.user.pk:
            raise PermissionDenied(f"Only the chair, {meeting.chair.full_name}, can sign these minutes.")
        serializer = SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_sign(actor=request.user, meeting=meeting, **serializer.validated_data)
        return Response(MeetingMinutesSerializer(self._meeting()).data)

    @extend_schema(request=AmendInputSerializer, responses={201: AmendmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW)])
    def amend(self, request, pk=None):
        """Correct signed minutes (the chair, or someone who signs minutes), with a reason and a signature."""
        meeting = self.get_object()
        if not services.may_amend(request.user, meeting):
            raise PermissionDenied("Only the chair or someone who signs minutes can amend them.")
        serializer = AmendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amendment = services.minutes_amend(actor=request.user, meeting=meeting, **serializer.validated_data)
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)
