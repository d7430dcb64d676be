"""Security settings: login throttling, idle sessions, passwords, production cookies and the CSP."""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from qms.throttle import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username, times, **extra):
    for _ in range(times):
        response = _login(client, username, "not-the-password", **extra)
    return response


# Login throttling ---------------------------------------------------------------------------------


def test_below_the_limit_a_wrong_password_is_only_wrong(client, employee):
    response = _fail(client, "employee", settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert "The username or password is not correct" in response.content.decode()
    assert "Too many failed logins" not in response.content.decode()


def test_the_fifth_failure_locks_the_username_and_says_when_to_try_again(client, employee):
    assert settings.AXES_FAILURE_LIMIT == 5
    with time_machine.travel(START, tick=False):
        response = _fail(client, "employee", 5)

    assert response.status_code == 429
    page = response.content.decode()
    # 09:00 UTC is 09:00 in London in March; the cool-off is 15 minutes.
    assert "Too many failed logins (5) for this username from your address." in page
    assert "Try again at 09:15 (in 15 minutes)." in page
    assert not _signed_in(client)


def test_a_locked_out_username_is_refused_even_with_the_right_password(client, employee):
    with time_machine.travel(START, tick=False):
        _fail(client, "employee", 5)
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        response = _login(client, "employee", PASSWORD)

    assert response.status_code == 429
    assert "Try again at 09:15 (in 5 minutes)." in response.content.decode()
    assert not _signed_in(client)


def test_after_the_cool_off_the_right_password_works_again(client, employee):
    with time_machine.travel(START, tick=False):
        _fail(client, "employee", 5)
    with time_machine.travel(START + datetime.timedelta(minutes=16), tick=False):
        response = _login(client, "employee", PASSWORD)
        signed_in = _signed_in(client)

    assert response.status_code == 302
    assert signed_in


def test_the_lockout_holds_only_for_that_username_from_that_address(client, employee, qa):
    _fail(client, "employee", 5)

    assert _login(client, "qa", PASSWORD).status_code == 302  # another username, same address
    client.post(reverse("logout"))
    assert _login(client, "employee", PASSWORD, REMOTE_ADDR="192.0.2.44").status_code == 302  # same username, elsewhere


def test_a_successful_login_starts_the_count_again(client, employee):
    _fail(client, "employee", 4)
    assert _login(client, "employee", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    response = _fail(client, "employee", 4)

    assert "Too many failed logins" not in response.content.decode()
    assert _login(client, "employee", PASSWORD).status_code == 302


def test_limit_and_cool_off_follow_the_settings(client, employee, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=40)
    with time_machine.travel(START, tick=False):
        response = _fail(client, "employee", 2)

    assert response.status_code == 429
    assert "Too many failed logins (2) for this username from your address. Try again at 09:40" in (
        response.content.decode()
    )


def test_token_authenticated_api_requests_are_not_affected_by_a_lockout(client, api_as, employee):
    _fail(client, "employee", 5)

    response = api_as(employee).get("/api/me/")

    assert response.status_code == 200


def test_the_token_endpoint_refuses_a_locked_out_username(client, api_client, employee):
    _fail(client, "employee", 5)

    response = api_client.post(reverse("api-token"), {"username": "employee", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed logins (5) for this username from your address.")


def test_the_test_clients_login_and_force_login_keep_working(client, employee):
    assert client.login(username="employee", password=PASSWORD)
    client.logout()
    client.force_login(employee)
    assert client.get(reverse("home")).status_code == 200


# Client address behind the reverse proxy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no proxy: the header is the client's own claim
        (1, "198.51.100.7", "198.51.100.7"),  # the proxy appended the client's address
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # what the client sent itself is ignored
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies
        (1, "", "10.0.0.2"),  # no header: the connection's address
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_is_what_the_trusted_proxies_saw(settings, proxies, forwarded, expected):
    settings.CLAUSE5_TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)

    assert client_ip(request) == expected


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, employee, settings):
    settings.CLAUSE5_TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        # Each attempt claims a new address; the proxy appends the real one.
        _login(
            client, "employee", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.{attempt}, 198.51.100.7"
        )

    locked = _login(client, "employee", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    elsewhere = _login(client, "employee", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


# Idle sessions ----------------------------------------------------------------------------------


def _login_at(client, moment):
    with time_machine.travel(moment, tick=False):
        assert _login(client, "employee", PASSWORD).status_code == 302


def _get_at(client, moment, path="/", **extra):
    with time_machine.travel(moment, tick=False):
        return client.get(path, **extra)


def test_a_session_idle_for_thirty_minutes_ends_and_the_login_page_says_why(client, employee):
    assert settings.CLAUSE5_SESSION_IDLE_MINUTES == 30
    _login_at(client, START)

    response = _get_at(client, START + datetime.timedelta(minutes=31), reverse("notifications"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('notifications')}"
    assert not _signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Your session ended after 30 minutes without activity." in page


def test_active_use_keeps_the_session_alive(client, employee):
    _login_at(client, START)

    for minutes in (20, 40, 60, 80):
        assert _get_at(client, START + datetime.timedelta(minutes=minutes)).status_code == 200


def test_a_session_ends_at_its_absolute_age_however_active(client, employee):
    _login_at(client, START)
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    moment = START
    while moment + datetime.timedelta(minutes=20) < START + age:
        moment += datetime.timedelta(minutes=20)
        assert _get_at(client, moment).status_code == 200

    response = _get_at(client, START + age + datetime.timedelta(minutes=1))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_session_is_written_at_most_once_a_minute(client, employee):
    _login_at(client, START)
    key = client.session.session_key

    def stored():
        return Session.objects.get(session_key=key).session_data

    before = stored()
    _get_at(client, START + datetime.timedelta(seconds=30))
    assert stored() == before
    _get_at(client, START + datetime.timedelta(seconds=61))
    assert stored() != before


def test_the_idle_limit_follows_the_setting(client, employee, settings):
    settings.CLAUSE5_SESSION_IDLE_MINUTES = 5
    _login_at(client, START)

    response = _get_at(client, START + datetime.timedelta(minutes=6))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your session ended after 5 minutes without activity." in page


def test_an_idle_htmx_request_sends_the_whole_tab_to_the_login(client, employee):
    _login_at(client, START)

    response = _get_at(
        client,
        START + datetime.timedelta(minutes=31),
        reverse("notifications-badge"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/objectives/?mine=1",
    )

    assert response.status_code == 401
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/objectives/%3Fmine%3D1"
    assert "without activity" in response.content.decode()


def test_an_idle_session_on_the_api_answers_401(client, employee):
    _login_at(client, START)

    response = _get_at(client, START + datetime.timedelta(minutes=31), "/api/me/")

    assert response.status_code == 401
    assert "without activity" in response.json()["detail"]


def test_token_requests_are_not_idle_sessions(api_as, employee):
    api = api_as(employee)
    assert _get_at(api, START, "/api/me/").status_code == 200
    assert _get_at(api, START + datetime.timedelta(hours=3), "/api/me/").status_code == 200


# Passwords --------------------------------------------------------------------------------------


def test_the_user_menu_links_to_the_password_change(client_as, employee):
    assert reverse("password_change") in client_as(employee).get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", "This password is too common."),
        ("4930284756102", "This password is entirely numeric."),
        ("employee-1", "The password is too similar to the username."),
    ],
)
def test_the_password_change_refuses_weak_passwords_with_a_message(client_as, employee, password, message):
    client = client_as(employee)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


def test_a_strong_new_password_is_accepted(client_as, employee):
    client = client_as(employee)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "tidal-quartz-lantern-81",
            "new_password2": "tidal-quartz-lantern-81",
        },
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("tidal-quartz-lantern-81")


# Environment variables and production settings -----------------------------------------------------


def _settings_of(module: str, names: list[str], **env) -> dict:
    """The named settings of `module` as a fresh process reads them from the environment."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": module, **env}
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {names!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 (the interpreter running the tests, fixed arguments)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_login_and_session_limits_come_from_the_environment():
    values = _settings_of(
        "qms.settings.test",
        ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "CLAUSE5_SESSION_IDLE_MINUTES"],
        CLAUSE5_LOGIN_FAILURE_LIMIT="3",
        CLAUSE5_LOGIN_COOLOFF_MINUTES="45",
        CLAUSE5_SESSION_IDLE_MINUTES="10",
    )

    assert values == {"AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_TIME": "0:45:00", "CLAUSE5_SESSION_IDLE_MINUTES": "10"}


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
    "DJANGO_ALLOWED_HOSTS": "clause5.example.com",
}
COOKIE_SETTINGS = [
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    "CLAUSE5_TRUSTED_PROXY_COUNT",
]


def test_production_cookies_are_host_only_and_secure():
    values = _settings_of("qms.settings.production", COOKIE_SETTINGS, **PRODUCTION_ENV)

    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_PATH": "/",
        "CSRF_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": "None",
        "CSRF_COOKIE_DOMAIN": "None",
        "CLAUSE5_TRUSTED_PROXY_COUNT": "1",
    }


def test_a_login_with_the_production_cookies_sets_them_as_browsers_require(client, employee, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True

    client.get(reverse("login"), secure=True)
    response = _login(client, "employee", PASSWORD, secure=True)

    assert response.status_code == 302
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
    assert client.get(reverse("home"), secure=True).status_code == 200


def test_production_passes_check_deploy_without_warnings():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "qms.settings.production", **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# Content Security Policy --------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_every_page_carries_a_policy_without_unsafe_inline(client_as, employee):
    response = client_as(employee).get(reverse("home"))

    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_the_login_page_carries_the_policy(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def _browser_templates():
    # PDFs are drawn by WeasyPrint on the server, never by a browser under the policy.
    return [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts]


@pytest.mark.parametrize(
    ("pattern", "what"),
    [(INLINE_SCRIPT, "inline <script>"), (EVENT_ATTRIBUTE, "on*= attribute"), (STYLE_ATTRIBUTE, "style= attribute")],
)
def test_no_template_needs_what_the_policy_refuses(pattern, what):
    offenders = [str(p.relative_to(TEMPLATES)) for p in _browser_templates() if pattern.search(p.read_text())]

    assert offenders == [], f"{what} in {offenders}: move it to static/js or static/css"


def test_the_api_docs_load_their_script_from_a_url(client_as, employee):
    client = client_as(employee)

    page = client.get(reverse("api-docs"))
    script = client.get(reverse("api-docs") + "?script=")

    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(page.content.decode())
    assert "<style" not in page.content.decode()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_an_inline_chart_gets_the_pages_nonce_and_nothing_else(rf):
    template = Template("{% load qms_csp %}{% inline_svg svg %}")
    request = rf.get("/")
    request.csp_nonce = "abc123"
    chart = mark_safe('<svg><style type="text/css">.line{stroke:red}</style></svg>')

    assert template.render(Context({"svg": chart, "request": request})) == (
        '<svg><style nonce="abc123" type="text/css">.line{stroke:red}</style></svg>'
    )
    assert template.render(Context({"svg": chart})) == str(chart)  # no request: as it was
    assert template.render(Context({"svg": "<style>", "request": request})) == "&lt;style&gt;"  # not safe: escaped
