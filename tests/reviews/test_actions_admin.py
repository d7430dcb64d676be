"""The admin shows the action register and its history but changes nothing: the services own the lifecycle."""

import pytest
from django.urls import reverse

from tests.leadership.factories import UserFactory
from tests.reviews.factories_actions import done_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_actions_and_their_history(admin_client):
    action = done_action()
    assert action.reference in admin_client.get(reverse("admin:reviews_action_changelist")).content.decode()
    assert admin_client.get(reverse("admin:reviews_action_history", args=[action.pk])).status_code == 200


def test_admin_is_read_only(admin_client):
    action = done_action()
    page = admin_client.get(reverse("admin:reviews_action_change", args=[action.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        admin_client.post(reverse("admin:reviews_action_change", args=[action.pk]), {"title": "x"}).status_code == 403
    )
    assert admin_client.get(reverse("admin:reviews_action_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:reviews_action_delete", args=[action.pk]), {"post": "yes"}).status_code == 403
    )
    action.refresh_from_db()
    assert action.title != "x"
