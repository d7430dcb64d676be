"""API of the calendar area: the caller's own feed URL — read it, create it, reset it, turn it off.

A feed is personal: anyone signed in whose account is a person of the organisation may have one,
whatever their role, so these endpoints check that instead of model permissions. Without a
working feed, reading answers 404; creating a second one answers 409.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from leadership.models import Person
from reviews.api.serializers.calendar import CalendarFeedSerializer
from reviews.models.calendar import CalendarFeed
from reviews.selectors import calendar as selectors
from reviews.services import calendar as services


class IsPerson(permissions.BasePermission):
    """The caller's account belongs to a person of the organisation (a calendar has someone's meetings)."""

    message = services.NO_PERSON_MESSAGE

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and Person.objects.filter(user=user).exists())


class CalendarFeedViewSet(viewsets.GenericViewSet):
    """The caller's personal iCalendar feed: their meetings and open action due dates for calendar apps."""

    serializer_class = CalendarFeedSerializer
    permission_classes = [permissions.IsAuthenticated, IsPerson]
    pagination_class = None
    filter_backends = []

    # Routes carry no id; the feed is always the caller's own (see `selectors.calendar_feed_active_for`).
    queryset = CalendarFeed.objects.none()

    @extend_schema(responses={200: CalendarFeedSerializer, 404: OpenApiResponse(description="No working feed.")})
    def retrieve(self, request, *args, **kwargs):
        """The caller's working feed."""
        feed = selectors.calendar_feed_active_for(request.user)
        if feed is None:
            raise NotFound(services.NO_FEED_MESSAGE)
        return Response(self.get_serializer(feed).data)

    @extend_schema(
        request=None,
        responses={201: CalendarFeedSerializer, 409: OpenApiResponse(description="A working feed exists already.")},
    )
    def create(self, request, *args, **kwargs):
        """Turn the caller's feed on: a new secret URL."""
        feed = services.calendar_feed_create(actor=request.user)
        return Response(self.get_serializer(feed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="calendar_feed_reset",
        request=None,
        responses={200: CalendarFeedSerializer, 404: OpenApiResponse(description="No working feed to reset.")},
    )
    def reset(self, request, *args, **kwargs):
        """Revoke the caller's URL and issue a new one; calendars using the old URL stop updating."""
        feed = services.calendar_feed_reset(actor=request.user)
        return Response(self.get_serializer(feed).data)

    @extend_schema(
        operation_id="calendar_feed_revoke",
        request=None,
        responses={204: None, 404: OpenApiResponse(description="No working feed to turn off.")},
    )
    def revoke(self, request, *args, **kwargs):
        """Turn the caller's feed off: its URL answers 404 from now on."""
        services.calendar_feed_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
