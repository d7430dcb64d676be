"""The admin of calendar feeds: lists who has one without ever showing a whole token, turns feeds off."""

import pytest
from django.urls import reverse

from reviews.models.calendar import CalendarFeed
from tests.leadership.factories import UserFactory
from tests.reviews.factories_calendar import NOW, CalendarFeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_list_shows_only_the_start_of_each_token(admin_client):
    feeds = CalendarFeedFactory.create_batch(3)

    page = admin_client.get(reverse("admin:reviews_calendarfeed_changelist")).content.decode()

    for feed in feeds:
        assert f"{feed.token[:6]}…" in page
        assert feed.token not in page
        assert feed.token[:12] not in page


def test_the_record_page_does_not_show_the_token_either(admin_client):
    feed = CalendarFeedFactory()

    page = admin_client.get(reverse("admin:reviews_calendarfeed_change", args=[feed.pk])).content.decode()

    assert f"{feed.token[:6]}…" in page
    assert feed.token not in page


def test_searching_by_token_finds_nothing(admin_client):
    feed = CalendarFeedFactory()

    page = admin_client.get(reverse("admin:reviews_calendarfeed_changelist"), {"q": feed.token}).content.decode()

    assert "0 calendar feeds" in page


def test_feeds_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:reviews_calendarfeed_add")).status_code == 403


def test_the_revoke_action_turns_the_selected_feeds_off(admin_client):
    working, other = CalendarFeedFactory.create_batch(2)
    already = CalendarFeedFactory(revoked_at=NOW)

    response = admin_client.post(
        reverse("admin:reviews_calendarfeed_changelist"),
        {"action": "revoke", "_selected_action": [working.pk, already.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 feed turned off." in response.content.decode()
    working.refresh_from_db()
    other.refresh_from_db()
    assert working.revoked_at is not None
    assert other.revoked_at is None
    assert CalendarFeed.objects.get(pk=already.pk).revoked_at == NOW
