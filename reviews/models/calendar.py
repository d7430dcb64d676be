"""Personal calendar feeds: a secret, revocable URL with a person's meetings and action due dates."""

import secrets

from django.conf import settings
from django.db import models

from qms.models import TimeStampedModel


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(TimeStampedModel):
    """A user's iCalendar subscription URL; revoking it stops every calendar that subscribed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="calendarfeed_one_active_per_user"
            ),
        ]

    def __str__(self):
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.user} ({state})"
