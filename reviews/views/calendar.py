"""Pages of the calendar area: "My calendar", the subscription feed, one meeting's .ics download.

The feed URL carries a secret token instead of a login, because calendar apps cannot sign in.
Every way a token can fail (unknown, revoked, account switched off or without a person) takes
the same single query and gets the same plain 404, so a probe learns nothing from the answer.
"""

import datetime
import ipaddress
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration

from qms.exceptions import ApplicationError
from reviews.models.actions import Action
from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import Attendee, Meeting
from reviews.selectors import calendar as selectors
from reviews.services import calendar as services

CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should fetch the feed again (Outlook reads X-PUBLISHED-TTL,
# RFC 7986 clients REFRESH-INTERVAL; Google decides for itself).
REFRESH = datetime.timedelta(hours=1)
PARTSTAT = {
    Attendee.Status.INVITED: "NEEDS-ACTION",
    Attendee.Status.PRESENT: "ACCEPTED",
    Attendee.Status.APOLOGIES: "DECLINED",
    Attendee.Status.ABSENT: "DECLINED",
}


# iCalendar -----------------------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.BASE_URL).hostname or "clause5.invalid"


def uid_for(kind: str, pk: int) -> str:
    """The UID of a record's event, stable for the record's life: `meeting-14@clause5.example.com`."""
    return f"{kind}-{pk}@{_host()}"


def _absolute(path: str) -> str:
    return settings.BASE_URL + path


def _address(person, **params) -> vCalAddress | None:
    """A person as a calendar address (mailto with their name), or None without an e-mail address."""
    email = person.user.email
    if not email:
        return None
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = person.full_name
    for name, value in params.items():
        address.params[name.upper().replace("_", "-")] = value
    return address


def _new_calendar(*, name: str, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.ORGANISATION_NAME}//Clause5 meetings and actions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _meeting_description(meeting: Meeting, url: str, *, attendees: list[Attendee] | None = None) -> str:
    lines = [f"{meeting.reference} · {meeting.type.name}", f"Chair: {meeting.chair}"]
    if meeting.status == Meeting.Status.CANCELLED:
        reason = meeting.cancel_reason.strip()
        lines.insert(0, f"CANCELLED{': ' + reason if reason else ''}")
    if meeting.link:
        lines.append(f"Video call: {meeting.link}")
    if attendees:
        lines.append("Invited: " + ", ".join(a.person.full_name for a in attendees))
    items = list(meeting.agenda_items.all())
    if items:
        lines += ["", "Agenda:", *(f"{item.order}. {item.title}" for item in items)]
    lines += ["", f"Meeting page: {url}"]
    return "\n".join(lines)


def meeting_event(
    meeting: Meeting, *, stamp: datetime.datetime, attendees: list[Attendee] | None = None, alarm: bool = False
) -> Event:
    """One meeting as a VEVENT, in UTC. `attendees` adds ATTENDEE lines, `alarm` a reminder the day before.

    The meeting's type, chair (with account) and agenda items must be loaded.
    """
    url = _absolute(meeting.get_absolute_url())
    event = Event()
    event.add("uid", uid_for("meeting", meeting.pk))
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("created", meeting.created_at.astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    start = meeting.planned_start.astimezone(datetime.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", meeting.title)
    if meeting.place or meeting.link:
        event.add("location", meeting.place or meeting.link)
    event.add("description", _meeting_description(meeting, url, attendees=attendees))
    event.add("url", url)
    event.add("categories", [meeting.type.name])
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = _address(meeting.chair)
    if organizer is not None:
        event.add("organizer", organizer)
    for attendee in attendees or ():
        role = "CHAIR" if attendee.person_id == meeting.chair_id else "REQ-PARTICIPANT"
        address = _address(
            attendee.person, cutype="INDIVIDUAL", role=role, partstat=PARTSTAT[attendee.status], rsvp="FALSE"
        )
        if address is not None:
            event.add("attendee", address)
    if alarm and not cancelled:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", f"Tomorrow: {meeting.title}")
        reminder.add("trigger", datetime.timedelta(days=-1))
        event.add_component(reminder)
    return event


def action_event(action: Action) -> Event:
    """An open action's due date as an all-day event that does not block the day as busy."""
    url = _absolute(action.get_absolute_url())
    event = Event()
    event.add("uid", uid_for("action", action.pk))
    event.add("dtstamp", action.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", action.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", action.due_date)
    event.add("dtend", action.due_date + datetime.timedelta(days=1))
    event.add("summary", f"Action {action.reference}: {action.title} due")
    event.add(
        "description",
        f"{action.get_priority_display()} priority, {action.get_status_display().lower()}.\n"
        f"From: {action.get_source_display()}.\n\nAction page: {url}",
    )
    event.add("url", url)
    event.add("categories", ["Action"])
    event.add("transp", "TRANSPARENT")
    return event


def feed_name(person) -> str:
    """What subscribed calendars call the feed: "Northbridge Precision Components Ltd: Priya Shah"."""
    return f"{settings.ORGANISATION_NAME}: {person.full_name}"


def feed_calendar(feed: CalendarFeed, *, now: datetime.datetime | None = None) -> Calendar:
    """The person's feed: their meetings (last 90 days on, cancelled ones marked) and open actions."""
    now = now or timezone.now()
    person = feed.user.person
    calendar = _new_calendar(name=feed_name(person))
    calendar.add("x-wr-caldesc", "Meetings and open action due dates from Clause5.")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for meeting in selectors.calendar_meetings_for(person, now=now):
        # Without METHOD, DTSTAMP is when the calendar store last revised the event.
        calendar.add_component(meeting_event(meeting, stamp=meeting.updated_at))
    for action in selectors.calendar_actions_for(person):
        calendar.add_component(action_event(action))
    return calendar


def meeting_calendar(meeting: Meeting, *, now: datetime.datetime | None = None) -> Calendar:
    """One meeting to import (METHOD:PUBLISH) with its attendees and a reminder the day before."""
    calendar = _new_calendar(name=f"{meeting.reference}: {meeting.title}", method="PUBLISH")
    attendees = list(meeting.attendees.all())
    calendar.add_component(meeting_event(meeting, stamp=now or timezone.now(), attendees=attendees, alarm=True))
    return calendar


def _calendar_response(calendar: Calendar, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The subscription feed -----------------------------------------------------------------------------


def _feed_not_found() -> HttpResponse:
    return HttpResponseNotFound("No such calendar feed.\n", content_type="text/plain; charset=utf-8")


@method_decorator(never_cache, name="dispatch")
class CalendarFeedView(View):
    """The person's meetings and action due dates as iCalendar, for calendar apps: no login, the token decides."""

    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        feed = selectors.calendar_feed_for_token(token)
        if feed is None:
            return _feed_not_found()
        now = timezone.now()
        response = _calendar_response(feed_calendar(feed, now=now))
        services.calendar_feed_mark_used(feed=feed, now=now)
        # The URL is a secret: keep it out of search engines and referrers.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


# One meeting's .ics ----------------------------------------------------------------------------------


class MeetingIcsView(PermissionRequiredMixin, View):
    """Download a meeting as an .ics file to add to any calendar."""

    permission_required = "reviews.view_meeting"
    http_method_names = ["get", "head"]

    def get(self, request, pk: int):
        try:
            meeting = selectors.meeting_ics_get(pk)
        except Meeting.DoesNotExist as exc:
            raise Http404("No such meeting.") from exc
        return _calendar_response(meeting_calendar(meeting), filename=f"{meeting.reference}.ics")


# My calendar -----------------------------------------------------------------------------------------


class SignedInRequiredMixin(PermissionRequiredMixin):
    """Any signed-in user: a personal calendar needs no role. Anonymous visitors are sent to log in."""

    def has_permission(self):
        return self.request.user.is_authenticated


def _reachable_from_internet(url: str) -> bool:
    """False for localhost and private addresses: Google and Outlook on the web could not fetch the feed."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


def _feed_context(feed: CalendarFeed | None, person) -> dict:
    url = selectors.calendar_feed_url(feed)
    context = {"feed": feed, "feed_url": url, "person": person}
    if url:
        webcal = selectors.calendar_feed_url(feed, scheme="webcal")
        name = feed_name(person)
        context.update(
            webcal_url=webcal,
            google_url="https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
            outlook_url=(
                "https://outlook.office.com/calendar/0/addfromweb?url="
                + quote(url, safe="")
                + "&name="
                + quote(name, safe="")
            ),
            reachable=_reachable_from_internet(url),
        )
    return context


# The page shows a secret URL: browsers must not keep a copy.
@method_decorator(never_cache, name="dispatch")
class CalendarView(SignedInRequiredMixin, TemplateView):
    """My calendar: the personal subscription URL, how to add it, what it will show next."""

    template_name = "reviews/calendar/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for_user(self.request.user)
        context["person"] = person
        if person is not None:
            context.update(_feed_context(selectors.calendar_feed_active_for(self.request.user), person))
            context["upcoming"] = selectors.calendar_upcoming(person)
        return context


@method_decorator(never_cache, name="dispatch")
class _FeedActionView(SignedInRequiredMixin, View):
    """A POST on the feed: one service, then the page again (or only the feed card, for htmx)."""

    http_method_names = ["post"]
    success_message = ""

    def perform(self, user) -> CalendarFeed | None:
        raise NotImplementedError

    def post(self, request):
        person = selectors.person_for_user(request.user)
        if person is None:
            raise PermissionDenied(services.NO_PERSON_MESSAGE)
        try:
            self.perform(request.user)
        except ApplicationError as exc:
            level, text = messages.ERROR, exc.message
        else:
            level, text = messages.SUCCESS, self.success_message
        if getattr(request, "htmx", False):
            context = _feed_context(selectors.calendar_feed_active_for(request.user), person)
            context["notice"] = {"level": "success" if level == messages.SUCCESS else "danger", "text": text}
            return render(request, "reviews/calendar/partials/_feed.html", context)
        messages.add_message(request, level, text)
        return redirect("reviews:calendar")


class CalendarFeedCreateView(_FeedActionView):
    success_message = "Your calendar feed is on. Add its URL to your calendar app."

    def perform(self, user):
        return services.calendar_feed_create(actor=user)


class CalendarFeedResetView(_FeedActionView):
    success_message = "Your calendar feed has a new URL. The old one no longer works: subscribe again with this one."

    def perform(self, user):
        return services.calendar_feed_reset(actor=user)


class CalendarFeedRevokeView(_FeedActionView):
    success_message = "Your calendar feed is off. Calendars subscribed to it stop updating."

    def perform(self, user):
        return services.calendar_feed_revoke(actor=user)


def calendar_panel_context(request) -> dict:
    """The home dashboard's "My calendar" card: the next meetings and actions, and whether a feed is on."""
    person = selectors.person_for_user(request.user)
    if person is None:
        return {"person": None}
    return {
        "person": person,
        "feed_on": selectors.calendar_feed_active_for(request.user) is not None,
        **selectors.calendar_upcoming(person, limit=3),
    }
