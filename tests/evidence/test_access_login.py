"""Signing in with an access period: refused outside it with a clear message, sessions and tokens cut too."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import authentication
from rest_framework.views import APIView

from evidence.api.authentication import TokenAuthentication
from tests.conftest import PASSWORD
from tests.evidence.factories_access import AuditorAccessFactory, auditor_account, representative

pytestmark = pytest.mark.django_db

MIDDLEWARE = "evidence.middleware.AuditorAccessMiddleware"
LAST_DAY = datetime.datetime(2026, 11, 30, 21, 0, tzinfo=datetime.UTC)
# Three hours later: within the 8 hours a session lasts.
DAY_AFTER = datetime.datetime(2026, 12, 1, 0, 30, tzinfo=datetime.UTC)
ENDED = "Your auditor access ended on 30 Nov 2026. Ask Priya Raman (management representative) to extend it."


@pytest.fixture
def claire(db):
    """An external auditor whose access runs 1-30 Nov 2026; Priya Raman is the representative."""
    representative()
    user = auditor_account()
    AuditorAccessFactory(user=user, valid_from=datetime.date(2026, 11, 1), valid_until=datetime.date(2026, 11, 30))
    return user


@pytest.fixture
def with_middleware(settings):
    """The middleware where the integration puts it: after authentication and messages."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.contrib.messages.middleware.MessageMiddleware") + 1, MIDDLEWARE)
    settings.MIDDLEWARE = middleware


@pytest.fixture
def token_auth(monkeypatch):
    """The API authentication the integration configures (REST_FRAMEWORK, bound when DRF loads)."""
    monkeypatch.setattr(APIView, "authentication_classes", [TokenAuthentication, authentication.SessionAuthentication])


def log_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_login_after_the_last_day_fails_naming_the_representative(client, claire):
    with time_machine.travel(DAY_AFTER):
        response = log_in(client, claire.username)

    assert response.status_code == 200
    assert ENDED in response.text
    assert "_auth_user_id" not in client.session


def test_the_appointed_representative_is_named_rather_than_every_holder_of_the_role(client, claire):
    from tests.leadership.factories_policy import SignatureFactory
    from tests.leadership.factories_positions import ManagementRepresentativeAppointmentFactory

    sam = representative(first_name="Sam", last_name="Okoye", username="s.okoye")
    ManagementRepresentativeAppointmentFactory(person=sam.person, status="signed", signature=SignatureFactory())

    with time_machine.travel(DAY_AFTER):
        response = log_in(client, claire.username)

    assert "Ask Sam Okoye (management representative) to extend it." in response.text


def test_several_representatives_are_all_named_when_none_is_appointed(client, claire):
    representative(first_name="Sam", last_name="Okoye", username="s.okoye")

    with time_machine.travel(DAY_AFTER):
        response = log_in(client, claire.username)

    assert "Ask Sam Okoye or Priya Raman (management representatives) to extend it." in response.text


def test_login_before_the_first_day_fails_with_the_start_date(client, claire):
    with time_machine.travel(datetime.datetime(2026, 10, 31, 12, 0, tzinfo=datetime.UTC)):
        response = log_in(client, claire.username)

    assert response.status_code == 200
    assert "Your auditor access starts on 1 Nov 2026. Ask Priya Raman (management representative)" in response.text


def test_login_on_the_last_day_succeeds(client, claire):
    with time_machine.travel(LAST_DAY):
        response = log_in(client, claire.username)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(claire.pk)


def test_the_last_day_counts_in_the_organisation_time_zone(client, claire, settings):
    """23:30 on 30 Nov in London is still the last day, even where UTC has moved on."""
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)):
        assert log_in(client, claire.username).status_code == 302


def test_accounts_without_a_period_are_not_affected(client, auditor):
    with time_machine.travel(DAY_AFTER):
        assert log_in(client, auditor.username).status_code == 302


def test_a_wrong_password_says_so_and_not_that_access_ended(client, claire):
    """Nothing about the account is revealed before the password matched."""
    with time_machine.travel(DAY_AFTER):
        response = client.post(reverse("login"), {"username": claire.username, "password": "wrong"})

    assert "The username or password is not correct" in response.text
    assert "auditor access" not in response.text


def test_a_session_opened_in_the_period_ends_after_it_with_the_message(client, claire, with_middleware):
    with time_machine.travel(LAST_DAY):
        log_in(client, claire.username)
        assert client.get(reverse("home")).status_code == 200

    with time_machine.travel(DAY_AFTER):
        response = client.get(reverse("evidence:clause-list"))
        assert response.status_code == 302
        assert response.url == reverse("login")
        login_page = client.get(response.url)

    assert ENDED in login_page.text
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_after_the_period_sends_the_whole_tab_to_the_login(client, claire, with_middleware):
    with time_machine.travel(LAST_DAY):
        log_in(client, claire.username)

    with time_machine.travel(DAY_AFTER):
        response = client.get(reverse("notifications-badge"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login")


def test_an_api_call_in_the_session_after_the_period_gets_401_with_the_message(client, claire, with_middleware):
    with time_machine.travel(LAST_DAY):
        log_in(client, claire.username)

    with time_machine.travel(DAY_AFTER):
        response = client.get("/api/weekly-reports/")

    assert response.status_code == 401
    assert response.json() == {"detail": ENDED}


def _queries_of_a_page(user, url) -> int:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_sessions_of_unlimited_accounts_cost_no_query(mgmt_rep, settings):
    """The middleware reads only the marker the login left in the session: pages cost what they did."""
    url = reverse("evidence:clause-list")
    without = _queries_of_a_page(mgmt_rep, url)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]

    assert _queries_of_a_page(mgmt_rep, url) == without


def test_sessions_of_limited_accounts_cost_one_query(claire, settings):
    url = reverse("evidence:clause-list")
    with time_machine.travel(LAST_DAY):
        without = _queries_of_a_page(claire, url)
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]

        assert _queries_of_a_page(claire, url) == without + 1


def test_a_token_is_refused_after_the_period_with_the_message(api_as, claire, token_auth):
    client = api_as(claire)

    with time_machine.travel(LAST_DAY):
        assert client.get("/api/weekly-reports/").status_code == 200
    with time_machine.travel(DAY_AFTER):
        response = client.get("/api/weekly-reports/")

    assert response.status_code == 401
    assert response.json() == {"detail": ENDED}


def test_a_token_is_refused_before_the_period(api_as, claire, token_auth):
    with time_machine.travel(datetime.datetime(2026, 10, 20, 12, 0, tzinfo=datetime.UTC)):
        response = api_as(claire).get("/api/weekly-reports/")

    assert response.status_code == 401
    assert "starts on 1 Nov 2026" in response.json()["detail"]


def test_tokens_of_other_accounts_work_as_before(api_as, ceo, token_auth, django_assert_num_queries):
    """The access period is loaded with the token, in the one query DRF makes anyway."""
    client = api_as(ceo)
    # token with its user and access period, permissions (2), count (no page when empty).
    with django_assert_num_queries(4):
        assert client.get("/api/weekly-reports/").status_code == 200


def test_an_unknown_token_is_refused(api_client, token_auth):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert api_client.get("/api/weekly-reports/").status_code == 401
