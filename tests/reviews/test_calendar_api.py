"""The calendar feed API (`/api/calendar-feed/`): the caller's own feed — read, create, reset, turn off."""

import pytest
from django.conf import settings
from django.urls import reverse

from reviews.models.calendar import CalendarFeed
from tests.leadership.factories import UserFactory
from tests.reviews.factories_calendar import CalendarFeedFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee", "outsider"]
FEED = reverse("calendar-feed-detail")
RESET = reverse("calendar-feed-reset")
REVOKE = reverse("calendar-feed-revoke")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_person_manages_their_own_feed(request, api_as, persona):
    user = request.getfixturevalue(persona)
    api = api_as(user)

    assert api.get(FEED).status_code == 404

    created = api.post(FEED)
    assert created.status_code == 201
    feed = CalendarFeed.objects.get(user=user)
    assert created.json()["url"] == f"{settings.BASE_URL}/reviews/calendar/{feed.token}.ics"
    assert created.json()["webcal_url"].startswith("webcal://")
    assert api.get(FEED).json()["id"] == feed.pk

    reset = api.post(RESET)
    assert reset.status_code == 200
    assert feed.token not in reset.json()["url"]

    assert api.post(REVOKE).status_code == 204
    assert api.get(FEED).status_code == 404
    assert not CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_the_api_shows_only_the_callers_feed(api_as, employee, qa):
    theirs = CalendarFeedFactory(user=qa)

    response = api_as(employee).get(FEED)

    assert response.status_code == 404
    assert theirs.token not in response.content.decode()


def test_a_second_feed_is_a_conflict(api_as, employee):
    api = api_as(employee)
    api.post(FEED)

    response = api.post(FEED)

    assert response.status_code == 409
    assert response.json()["detail"] == "You already have a calendar feed. Reset its URL if you need a new one."


@pytest.mark.parametrize("url", [RESET, REVOKE])
def test_reset_or_revoke_without_a_feed_is_404(api_as, employee, url):
    response = api_as(employee).post(url)

    assert response.status_code == 404
    assert response.json()["detail"] == "You have no calendar feed turned on."


def test_an_account_without_a_person_is_refused(api_as):
    api = api_as(UserFactory())

    for response in (api.get(FEED), api.post(FEED), api.post(RESET), api.post(REVOKE)):
        assert response.status_code == 403
        assert "not linked to a person" in response.json()["detail"]
    assert not CalendarFeed.objects.exists()


def test_anonymous_callers_get_401(api_client):
    for response in (api_client.get(FEED), api_client.post(FEED), api_client.post(RESET), api_client.post(REVOKE)):
        assert response.status_code == 401


def test_other_methods_are_not_allowed(api_as, employee):
    api = api_as(employee)
    api.post(FEED)

    assert api.delete(FEED).status_code == 405
    assert api.put(FEED, {}).status_code == 405
    assert api.get(RESET).status_code == 405


def test_the_feed_queries_are_few(api_as, employee, django_assert_num_queries):
    CalendarFeedFactory(user=employee)
    api = api_as(employee)
    # token (user joined), the person check, the feed.
    with django_assert_num_queries(3):
        assert api.get(FEED).status_code == 200
