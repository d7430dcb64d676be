"""The permission matrix: every URL pattern, every method it accepts, every role, against a declared table.

The URL patterns are walked from the URL configuration (the API router's routes and their
format-suffix variants included), so a new page or endpoint fails `test_every_url_has_a_row`
until the table in tests/permission_table.py says who may use it. The expectations come from
that table, written from the roles' documented rights, never from the views' own checks.

Each (URL name, method, suffix) is one test, run for every role; a request runs in a savepoint
that is rolled back, so an allowed write leaves the world as it was for the next role, and a
refused write is checked to have changed no row at all.
"""

import functools
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.permission_table import PUBLIC, ROWS, SKIPPED
from tests.permission_world import PERSONAS, build_world

# Every test needs the database, so pytest-django sets it up even for a run of the checks alone.
pytestmark = pytest.mark.django_db

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PAGE_METHODS = ("GET", "POST")
ANONYMOUS, EXPIRED = "anonymous", "X"
ROLES = (ANONYMOUS, *PERSONAS, EXPIRED)
ROLE_NAMES = {ANONYMOUS: "anonymous", EXPIRED: "expired external auditor", **{k: v.value for k, v in PERSONAS.items()}}
# An allowed request may still be refused by the record's state or its (empty) input.
ALLOWED_STATUSES = {200, 201, 202, 204, 400, 409}
REDIRECTS = {301, 302, 303}


# Walking the URL configuration --------------------------------------------------------------


def _fbv_methods(callback) -> set[str] | None:
    """The methods a function view's require_http_methods/require_POST/require_GET allows, if any."""
    fn = callback
    while fn is not None:
        for cell in fn.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple) and value and all(v in HTTP_METHODS for v in value):
                return set(value)
        fn = getattr(fn, "__wrapped__", None)
    return None


def _accepted_methods(callback, is_api: bool) -> set[str] | None:
    """The methods a pattern's view answers (None: a function view that does not say)."""
    actions = getattr(callback, "actions", None)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions:
        # DRF adds "head" to a viewset's actions at its first request (HEAD answers as GET does),
        # so whether it is there depends on which tests ran before: it is left out.
        return {m.upper() for m in actions if m in cls.http_method_names and m != "head"}
    if cls is not None:
        offered = HTTP_METHODS if is_api else PAGE_METHODS
        return {m for m in offered if hasattr(cls, m.lower()) and m.lower() in cls.http_method_names}
    return _fbv_methods(callback)


def _walk(resolver, prefix="", namespace=None, params=()):
    for pattern in resolver.url_patterns:
        groups = (*params, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns, groups)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern.callback, groups


@functools.cache
def _patterns() -> list[tuple[str, str, object, tuple]]:
    """(route, name, view, parameters) of every pattern outside the admin and static files."""
    return [p for p in _walk(get_resolver()) if not p[0].startswith(("admin/", "static/", "media/"))]


def _cases() -> list[tuple[str, str, bool]]:
    """(URL name, method, with format suffix) for every declared method of every row."""
    suffixed = {name for route, name, _, params in _patterns() if "format" in params}
    cases = []
    for name, row in ROWS.items():
        for method in row.methods:
            cases.append((name, method, False))
            if name in suffixed:
                cases.append((name, method, True))
    return cases


# Completeness -------------------------------------------------------------------------------


def test_every_url_has_a_row_and_every_row_a_url():
    names = {name for _, name, _, _ in _patterns()}
    unnamed = sorted(route for route, name, _, _ in _patterns() if not name)
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    missing = sorted(names - set(ROWS) - set(SKIPPED))
    assert not missing, f"URL names with no row in tests/permission_table.py: {missing}"
    gone = sorted(set(ROWS) - names)
    assert not gone, f"Rows naming URLs that no longer exist: {gone}"
    stale_skips = sorted(set(SKIPPED) - names - {"admin"})
    assert not stale_skips, f"Skipped URL names that no longer exist: {stale_skips}"


def test_every_row_declares_exactly_the_methods_its_view_answers():
    problems = []
    for route, name, callback, _ in _patterns():
        row = ROWS.get(name)
        if row is None:
            continue
        declared = set(row.methods)
        accepted = _accepted_methods(callback, row.api)
        if accepted is None:
            # A function view that takes any method: GET, and POST if the row says so.
            if "GET" not in declared or not declared <= set(PAGE_METHODS):
                problems.append(f"{name} ({route}): declares {sorted(declared)}, a plain function view")
        elif declared != accepted:
            problems.append(f"{name} ({route}): declares {sorted(declared)}, the view answers {sorted(accepted)}")
    assert not problems, "\n".join(problems)


def test_every_row_names_records_of_the_world_and_roles_that_exist(matrix):
    world, _ = matrix
    for name, row in ROWS.items():
        assert row.obj is None or row.obj in world.records, f"{name}: no world record {row.obj!r}"
        for method, roles in row.methods.items():
            assert roles == PUBLIC or set(roles) <= set(PERSONAS), f"{name} {method}: unknown roles {roles!r}"


# The world and the clients ------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and a signed-in client per role, built once per module inside a transaction rolled back after it."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            clients = {}
            for letter, user in world.users.items():
                page = Client(raise_request_exception=False)
                page.force_login(user)
                api = APIClient(raise_request_exception=False)
                api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
                clients[letter] = (page, page.cookies[settings.SESSION_COOKIE_NAME].value, api)
            clients[ANONYMOUS] = (Client(raise_request_exception=False), None, APIClient(raise_request_exception=False))
            yield world, clients
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


@pytest.fixture
def _media_root(matrix):
    """The world's files stay where it wrote them (replaces the suite's per-test media folder)."""


# The matrix ---------------------------------------------------------------------------------


def _url(name: str, world, suffixed: bool) -> str:
    row = ROWS[name]
    params = next(p for _, n, _, p in _patterns() if n == name and (("format" in p) == suffixed))
    kwargs = {}
    for param in params:
        if param == "format":
            kwargs[param] = "json"
        elif param in row.params:
            kwargs[param] = world.values[row.params[param]]
        elif param == "pk":
            kwargs[param] = world[row.obj].pk
        elif param == "objective_pk":
            kwargs[param] = world["objective"].pk
        else:
            kwargs[param] = world.values[param]
    return reverse(name, kwargs=kwargs)


def _row_counts() -> dict[str, int]:
    """Rows in every table but the sessions (signing an account out deletes its session): one query."""
    tables = [t for t in connection.introspection.table_names() if t != "django_session"]
    # Table names come from the database's own catalogue, not from input.
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _to_login(response) -> bool:
    return response.status_code in REDIRECTS and response["Location"].startswith(reverse("login"))


def _verdict(response, *, api: bool, expected: str) -> str:
    """'allowed', 'denied', 'hidden', 'signed-out' or 'error' for a response."""
    status = response.status_code
    if expected == "public":
        # Anyone may: whatever the page answers (signing out sends to the login page too) but a refusal.
        return "public" if status not in (401, 403, 404, 405) and status < 500 else "error"
    if (api and status == 401) or (not api and _to_login(response)):
        return "signed-out"
    if status == 403:
        return "denied"
    if status == 404:
        return "hidden"
    if status in ALLOWED_STATUSES or status in REDIRECTS:
        return "allowed"
    return "error"


def _expected(row, method: str, role: str) -> str:
    roles = row.methods[method]
    if role == EXPIRED:
        return "signed-out"
    if roles == PUBLIC:
        return "public"
    if role == ANONYMOUS:
        return "signed-out"
    if role in row.hidden:
        return "hidden"
    return "allowed" if role in roles else "denied"


def _request(clients, role: str, row, method: str, url: str, world):
    page, session, api_client = clients[role]
    data = row.data(world) if row.data and method != "GET" else {}
    if row.api:
        body = data if method != "GET" else None
        return getattr(api_client, method.lower())(url, body, format="multipart" if row.multipart else "json")
    # A fresh cookie jar each time: a refused request may sign the account out or leave messages.
    page.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session} if session else {})
    return getattr(page, method.lower())(url, data) if method != "GET" else page.get(url)


@pytest.mark.parametrize(
    ("name", "method", "suffixed"), _cases(), ids=[f"{n}-{m}{'-json' if s else ''}" for n, m, s in _cases()]
)
def test_matrix(matrix, name, method, suffixed):
    world, clients = matrix
    row = ROWS[name]
    url = _url(name, world, suffixed)
    problems = []
    for role in ROLES:
        expected = _expected(row, method, role)
        with transaction.atomic():
            before = _row_counts() if method != "GET" and expected not in ("allowed", "public") else None
            response = _request(clients, role, row, method, url, world)
            after = _row_counts() if before is not None else None
            transaction.set_rollback(True)
        got = _verdict(response, api=row.api, expected=expected)
        if got != expected:
            detail = f"{response.status_code}"
            if response.status_code in REDIRECTS:
                detail += f" to {response['Location']}"
            exc = getattr(response, "exc_info", None)
            if exc:
                detail += f" ({exc[0].__name__}: {exc[1]})"
            problems.append(f"{ROLE_NAMES[role]}: expected {expected}, got {got} [{detail}]")
        elif before is not None and before != after:
            changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
            problems.append(f"{ROLE_NAMES[role]}: refused, yet rows changed {changed}")
    assert not problems, f"{method} {url}\n" + "\n".join(problems)


# Rules on particular records --------------------------------------------------------------------
# The matrix asks whether a role may use a URL at all; these ask whether it may on this record.


def _as(matrix, letter: str, *, api: bool = False):
    _, clients = matrix
    page, session, api_client = clients[letter]
    if api:
        return api_client
    page.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session})
    return page


def test_an_employee_reads_their_own_feedback_but_not_someone_elses_or_an_anonymous_item(matrix):
    world, _ = matrix
    page, api = _as(matrix, "E"), _as(matrix, "E", api=True)

    def detail(key):
        return reverse("leadership:employee-feedback-detail", args=[world[key].pk])

    own = page.get(detail("employee_feedback"))
    assert own.status_code == 200
    assert world["employee_feedback"].title in own.text
    assert page.get(detail("other_feedback")).status_code == 403
    assert page.get(detail("anonymous_feedback")).status_code == 403
    for key in ("other_feedback", "anonymous_feedback"):
        assert api.get(f"/api/employee-feedback/{world[key].pk}/").status_code == 403
    mine = api.get("/api/employee-feedback/mine/").json()
    listed = {item["reference"] for item in mine.get("results", mine)}
    assert listed == {world["employee_feedback"].reference}


def test_a_department_manager_changes_no_objective_of_another_department(matrix):
    """Every write on an objective, its plan and its target, page and API: 403, and nothing saved."""
    world, _ = matrix
    other = world["other_objective"]
    page, api = _as(matrix, "D"), _as(matrix, "D", api=True)
    writes = [
        (page.get, reverse("objectives:objective-update", args=[other.pk]), None),
        (page.post, reverse("objectives:objective-update", args=[other.pk]), {"title": "Taken over"}),
        (page.post, reverse("objectives:objective-activate", args=[other.pk]), {}),
        (page.post, reverse("objectives:objective-close", args=[other.pk]), {}),
        (page.post, reverse("objectives:objective-cancel", args=[other.pk]), {}),
        (page.post, reverse("objectives:plan-step-create", args=[other.pk]), {"what": "Extra inspection"}),
        (page.get, reverse("objectives:target-revision-create", args=[other.pk]), None),
        (page.post, reverse("objectives:target-revision-create", args=[other.pk]), {"reason": "Lower it"}),
        (api.patch, f"/api/objectives/{other.pk}/", {"title": "Taken over"}),
        (api.put, f"/api/objectives/{other.pk}/", {"title": "Taken over"}),
        (api.post, f"/api/objectives/{other.pk}/activate/", {}),
        (api.post, f"/api/objectives/{other.pk}/close/", {}),
        (api.post, f"/api/objectives/{other.pk}/cancel/", {}),
        # Plan steps and target revisions created through the API name their objective in the body:
        # complete bodies are refused by tests/objectives/test_objectives_api.py.
    ]
    before = _row_counts()
    refused = []
    for send, url, data in writes:
        response = (
            send(url) if data is None else send(url, data, **({"format": "json"} if send.__self__ is api else {}))
        )
        refused.append((send.__name__.upper(), url, response.status_code))
    not_refused = [r for r in refused if r[2] != 403]
    assert not not_refused, not_refused
    assert _row_counts() == before
    other.refresh_from_db()
    assert other.title != "Taken over"

    # The same requests on their own department's objective get past the permission check.
    own = world["objective"]
    assert page.get(reverse("objectives:objective-update", args=[own.pk])).status_code == 200
    assert api.patch(f"/api/objectives/{own.pk}/", {}, format="json").status_code == 200
