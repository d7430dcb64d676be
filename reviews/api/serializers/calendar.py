"""API shapes of the calendar area: the caller's own feed."""

from rest_framework import serializers

from reviews.models.calendar import CalendarFeed
from reviews.selectors.calendar import calendar_feed_url


class CalendarFeedSerializer(serializers.ModelSerializer):
    """The caller's working feed; `url` is the secret subscription URL to give a calendar app."""

    url = serializers.SerializerMethodField(help_text="The subscription URL (iCalendar). Keep it secret.")
    webcal_url = serializers.SerializerMethodField(help_text="The same URL with the webcal: scheme.")

    class Meta:
        model = CalendarFeed
        fields = ["id", "url", "webcal_url", "created_at", "last_used_at"]
        read_only_fields = fields

    def get_url(self, feed: CalendarFeed) -> str:
        return calendar_feed_url(feed)

    def get_webcal_url(self, feed: CalendarFeed) -> str:
        return calendar_feed_url(feed, scheme="webcal")
