"""API of meetings: types and schedules, planning and editing meetings, cancelling, agenda items,
invitees, "my meetings" and top management's attendance of quality meetings.

Nothing is deleted here except, before a meeting is held, agenda items and invitees. A rule
refusing the request (editing a held meeting, say) answers 409; bad input 400 naming the field;
a role without the permission 403.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a server error
from rest_framework.response import Response

from qms.api import requires
from reviews.api.serializers.meetings import (
    MeetingAgendaItemMoveSerializer,
    MeetingAgendaItemSerializer,
    MeetingAgendaItemWriteSerializer,
    MeetingAttendeeSerializer,
    MeetingCancelSerializer,
    MeetingDetailSerializer,
    MeetingInviteSerializer,
    MeetingPlannedSerializer,
    MeetingSerializer,
    MeetingTypeSerializer,
    MeetingTypeWriteSerializer,
    MeetingWriteSerializer,
    TopManagementAttendanceSerializer,
)
from reviews.filters.meetings import MeetingFilterSet, MeetingTypeFilterSet
from reviews.models.meetings import AgendaItem, Attendee
from reviews.selectors import meetings as selectors
from reviews.services import meetings as services

VIEW = "reviews.view_meeting"
ADD = "reviews.add_meeting"
CHANGE = "reviews.change_meeting"
TYPE_VIEW = "reviews.view_meetingtype"
TYPE_CHANGE = "reviews.change_meetingtype"
ATTENDANCE = "reviews.view_managementreview"


ITEM_PK = OpenApiParameter("item_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The agenda item's id.")
ATTENDEE_PK = OpenApiParameter("attendee_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The invitee's id.")


class MeetingTypeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Kinds of meeting with their defaults and the schedule that keeps their next meetings planned."""

    serializer_class = MeetingTypeSerializer
    filterset_class = MeetingTypeFilterSet
    ordering_fields = ["name", "category", "frequency"]

    def get_queryset(self):
        return selectors.meeting_type_list().prefetch_related("default_invitees")

    def _respond(self, meeting_type, code=status.HTTP_200_OK):
        return Response(MeetingTypeSerializer(self.get_queryset().get(pk=meeting_type.pk)).data, status=code)

    @extend_schema(request=MeetingTypeWriteSerializer, responses={201: MeetingTypeSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeetingTypeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting_type = services.meeting_type_create(actor=request.user, **serializer.validated_data)
        return self._respond(meeting_type, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingTypeWriteSerializer, responses=MeetingTypeSerializer)
    def update(self, request, *args, **kwargs):
        meeting_type = self.get_object()
        serializer = MeetingTypeWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.meeting_type_update(actor=request.user, meeting_type=meeting_type, **serializer.validated_data)
        return self._respond(meeting_type)

    @extend_schema(request=MeetingTypeWriteSerializer, responses=MeetingTypeSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=MeetingTypeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(TYPE_VIEW, TYPE_CHANGE)])
    def deactivate(self, request, pk=None):
        """Retire the type: no new meetings of it, and its schedule plans none."""
        return self._respond(services.meeting_type_deactivate(actor=request.user, meeting_type=self.get_object()))

    @extend_schema(request=None, responses=MeetingTypeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(TYPE_VIEW, TYPE_CHANGE)])
    def activate(self, request, pk=None):
        """Use a retired type again."""
        return self._respond(services.meeting_type_activate(actor=request.user, meeting_type=self.get_object()))

    @extend_schema(request=None, responses=MeetingPlannedSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(TYPE_VIEW, TYPE_CHANGE, ADD)])
    def plan(self, request, pk=None):
        """Plan the schedule's missing next occurrences now; 409 for a type without a schedule or chair."""
        created = services.meeting_type_plan(actor=request.user, meeting_type=self.get_object())
        return Response(MeetingPlannedSerializer({"planned": [m.reference for m in created]}).data)


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings, those to come first; one meeting with its agenda and invitees."""

    filterset_class = MeetingFilterSet
    ordering_fields = ["planned_start", "reference"]

    def get_queryset(self):
        if self.action in ("list", "mine"):
            return selectors.meeting_list()
        return selectors.meeting_list_detailed()

    def get_serializer_class(self):
        return MeetingSerializer if self.action in ("list", "mine") else MeetingDetailSerializer

    def _respond(self, meeting, code=status.HTTP_200_OK):
        return Response(MeetingDetailSerializer(selectors.meeting_detail(meeting.pk)).data, status=code)

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeetingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("place", None)
        data.setdefault("link", None)
        data["invitees"] = list(data.get("invitees", ()))
        meeting = services.meeting_create(actor=request.user, **data)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingWriteSerializer, responses=MeetingDetailSerializer)
    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = MeetingWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.meeting_update(actor=request.user, meeting=meeting, **serializer.validated_data)
        return self._respond(meeting)

    @extend_schema(request=MeetingWriteSerializer, responses=MeetingDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=MeetingCancelSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[requires(VIEW, CHANGE)])
    def cancel(self, request, pk=None):
        """Cancel a planned meeting with the reason its invitees are told."""
        serializer = MeetingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(actor=request.user, meeting=self.get_object(), **serializer.validated_data)
        return self._respond(meeting)

    @extend_schema(request=MeetingAgendaItemWriteSerializer, responses={201: MeetingAgendaItemSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="agenda-items",
        url_name="agenda-items",
        permission_classes=[requires(VIEW, CHANGE)],
    )
    def agenda_items(self, request, pk=None):
        """Add an item at the end of the agenda (before the meeting is signed)."""
        serializer = MeetingAgendaItemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_add(actor=request.user, meeting=self.get_object(), **serializer.validated_data)
        return Response(MeetingAgendaItemSerializer(selectors.agenda_items(item.meeting).get(pk=item.pk)).data, 201)

    def _item(self, item_pk) -> AgendaItem:
        return get_object_or_404(AgendaItem, pk=item_pk, meeting=self.get_object())

    @extend_schema(
        methods=["PATCH"],
        parameters=[ITEM_PK],
        request=MeetingAgendaItemWriteSerializer,
        responses=MeetingAgendaItemSerializer,
        description="Change an agenda item; the lists given replace the linked records.",
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[ITEM_PK],
        request=None,
        responses={204: OpenApiResponse(description="Removed; the items after it move up.")},
        description="Take an item off the agenda; only before the meeting is held.",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"agenda-items/(?P<item_pk>\d+)",
        url_name="agenda-item",
        permission_classes=[requires(VIEW, CHANGE)],
    )
    def agenda_item(self, request, pk=None, item_pk=None):
        item = self._item(item_pk)
        if request.method == "DELETE":
            services.agenda_item_remove(actor=request.user, item=item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = MeetingAgendaItemWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.agenda_item_update(actor=request.user, item=item, **serializer.validated_data)
        return Response(MeetingAgendaItemSerializer(selectors.agenda_items(item.meeting).get(pk=item.pk)).data)

    @extend_schema(
        parameters=[ITEM_PK], request=MeetingAgendaItemMoveSerializer, responses=MeetingAgendaItemSerializer(many=True)
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"agenda-items/(?P<item_pk>\d+)/move",
        url_name="agenda-item-move",
        permission_classes=[requires(VIEW, CHANGE)],
    )
    def agenda_item_move(self, request, pk=None, item_pk=None):
        """Move an item one place up or down; answers the whole agenda in its new order."""
        item = self._item(item_pk)
        serializer = MeetingAgendaItemMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.agenda_item_move(actor=request.user, item=item, **serializer.validated_data)
        return Response(MeetingAgendaItemSerializer(selectors.agenda_items(item.meeting), many=True).data)

    @extend_schema(request=MeetingInviteSerializer, responses={201: MeetingAttendeeSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="attendees",
        url_name="attendees",
        permission_classes=[requires(VIEW, CHANGE)],
    )
    def attendees(self, request, pk=None):
        """Invite someone to a planned meeting."""
        serializer = MeetingInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendee = services.attendee_add(actor=request.user, meeting=self.get_object(), **serializer.validated_data)
        return Response(MeetingAttendeeSerializer(selectors.attendees(attendee.meeting).get(pk=attendee.pk)).data, 201)

    @extend_schema(
        parameters=[ATTENDEE_PK],
        request=None,
        responses={204: OpenApiResponse(description="Taken off the list.")},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attendees/(?P<attendee_pk>\d+)",
        url_name="attendee",
        permission_classes=[requires(VIEW, CHANGE)],
    )
    def attendee(self, request, pk=None, attendee_pk=None):
        """Take someone off a planned meeting's list; not its chair or minute-taker."""
        attendee = get_object_or_404(Attendee, pk=attendee_pk, meeting=self.get_object())
        services.attendee_remove(actor=request.user, attendee=attendee)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=MeetingSerializer(many=True))
    @action(detail=False, methods=["get"], permission_classes=[requires(VIEW)])
    def mine(self, request):
        """Meetings the caller chairs, takes the minutes of or is invited to; same filters as the list."""
        person = getattr(request.user, "person", None)
        queryset = self.filter_queryset(selectors.meeting_list_for(person))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(responses=TopManagementAttendanceSerializer, filters=False)
    @action(
        detail=False,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        permission_classes=[requires(ATTENDANCE)],
    )
    def attendance(self, request):
        """Quality meetings each top manager attended, of those held, over the last 6 and 12 months."""
        return Response(TopManagementAttendanceSerializer(selectors.top_management_attendance()).data)
