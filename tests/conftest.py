"""Shared fixtures: one persona per role, API clients, and the rule that CI's services must be real."""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from leadership.roles import Role
from tests.leadership.factories import PersonFactory

PASSWORD = "correct-horse-battery-staple"

# CI sets this: tests that need PostgreSQL and Redis must then fail, never skip.
REQUIRE_SERVICES = os.environ.get("CLAUSE5_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    if REQUIRE_SERVICES:
        missing = [v for v in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(v)]
        if missing:
            raise pytest.UsageError(f"CLAUSE5_REQUIRE_SERVICES=1 but {', '.join(missing)} not set")


@pytest.fixture
def redis_url():
    """The real Redis of CI; skipped on a bare machine, a failure when services are required."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail("REDIS_URL is required (CLAUSE5_REQUIRE_SERVICES=1)")
        pytest.skip("REDIS_URL not set: this test needs a real Redis")
    return url


def _celery_as_in_production(request, broker_url: str):
    """Celery not eager, on `broker_url`, with a closed circuit breaker; all restored afterwards."""
    from qms import outbox
    from qms.celery import app

    changes = {"task_always_eager": False, "broker_url": broker_url, "result_backend": None}
    saved = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    outbox.breaker.reset()
    request.addfinalizer(outbox.breaker.reset)
    request.addfinalizer(lambda: app.conf.update(saved))


@pytest.fixture
def broker_down(request):
    """Tasks go to a broker that refuses connections (nothing listens on port 1), as when Redis is down."""
    _celery_as_in_production(request, "redis://127.0.0.1:1/0")


@pytest.fixture
def broker_up(request, redis_url):
    """Tasks go to the real Redis (not run eagerly); skipped without it, as redis_url is."""
    _celery_as_in_production(request, redis_url)
    return redis_url


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files written by a test (PDFs, uploads) go to its own folder, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _persona(role: Role | None, username: str, **kwargs):
    person = PersonFactory(user__username=username, roles=[role.value] if role else [], **kwargs)
    person.user.set_password(PASSWORD)
    person.user.save()
    return person.user


@pytest.fixture
def ceo(db):
    return _persona(Role.TOP_MANAGEMENT, "ceo", job_title="Managing Director")


@pytest.fixture
def mgmt_rep(db):
    return _persona(Role.MANAGEMENT_REPRESENTATIVE, "mgmt_rep", job_title="Quality Manager")


@pytest.fixture
def dept_manager(db):
    return _persona(Role.DEPARTMENT_MANAGER, "dept_manager", job_title="Production Manager")


@pytest.fixture
def qa(db):
    return _persona(Role.QA_STAFF, "qa", job_title="Quality Engineer")


@pytest.fixture
def auditor(db):
    return _persona(Role.AUDITOR, "auditor", job_title="Lead Auditor")


@pytest.fixture
def employee(db):
    return _persona(Role.EMPLOYEE, "employee", job_title="CNC Machinist")


@pytest.fixture
def outsider(db):
    """A signed-in account that holds no role at all."""
    return _persona(None, "outsider")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """An API client authenticated with the given user's token, as an integration would be."""
    from rest_framework.authtoken.models import Token

    def login(user):
        token, _ = Token.objects.get_or_create(user=user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api_client

    return login


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# Browser tests ------------------------------------------------------------------------------
# Debian's Chromium driven by Playwright against Django's live server. `make test` installs
# Chromium (scripts/system-deps.sh test); without it these tests fail with a message, not skip.

CHROMIUM = os.environ.get("CLAUSE5_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `bash scripts/system-deps.sh test` as root.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server):
    """A browser page signed in as `user` (password tests.conftest.PASSWORD) on the live server."""

    contexts = []

    def login(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield login
    for context in contexts:
        context.close()
