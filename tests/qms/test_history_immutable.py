"""The change history cannot be changed or deleted: not in the admin, not through the API, not in the database."""

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.plumbing import get_view_model
from simple_history.admin import SimpleHistoryAdmin

from leadership.models import Department
from leadership.services.people import department_create, department_update
from qms.checks import history_admin_read_only
from qms.history import (
    ALLOW_SETTING,
    ROW_TRIGGER,
    TRUNCATE_TRIGGER,
    history_tables,
    history_triggers_install,
    is_history_model,
)
from tests.conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed_department(mgmt_rep):
    department = department_create(actor=mgmt_rep, name="Production", code="PROD")
    return department_update(actor=mgmt_rep, department=department, name="Production and Assembly")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(user)
    return client


# Admin -----------------------------------------------------------------------------------------


def test_admin_shows_a_past_version_without_a_revert_button(superuser_client, renamed_department):
    first = renamed_department.history.earliest("history_date")
    url = reverse("admin:leadership_department_simple_history", args=[renamed_department.pk, first.history_id])

    response = superuser_client.get(url)

    assert response.status_code == 200
    assert b"Production" in response.content
    assert b"Revert" not in response.content


def test_admin_refuses_to_revert_a_record_to_a_past_version(superuser_client, renamed_department):
    first = renamed_department.history.earliest("history_date")
    url = reverse("admin:leadership_department_simple_history", args=[renamed_department.pk, first.history_id])
    versions_before = list(renamed_department.history.values_list("history_id", "name"))

    response = superuser_client.post(url, {"name": "Production", "code": "PROD", "is_active": "on"})

    assert response.status_code == 403
    renamed_department.refresh_from_db()
    assert renamed_department.name == "Production and Assembly"
    assert list(renamed_department.history.values_list("history_id", "name")) == versions_before


def test_admin_history_page_lists_the_versions_read_only(superuser_client, renamed_department):
    response = superuser_client.get(reverse("admin:leadership_department_history", args=[renamed_department.pk]))

    assert response.status_code == 200
    assert b"View history" in response.content


def test_no_table_of_past_versions_has_an_admin_of_its_own():
    assert [m._meta.label for m in admin.site._registry if is_history_model(m)] == []
    assert history_admin_read_only() == []


def test_system_check_flags_an_admin_that_could_revert_or_edit_history():
    historical = Department.history.model
    original = admin.site._registry[Department]
    admin.site.unregister(Department)
    admin.site.register(Department, SimpleHistoryAdmin)
    admin.site.register(historical, admin.ModelAdmin)
    try:
        ids = sorted(error.id for error in history_admin_read_only())
    finally:
        admin.site.unregister(historical)
        admin.site.unregister(Department)
        admin.site._registry[Department] = original

    assert ids == ["qms.E001", "qms.E002"]


# API -------------------------------------------------------------------------------------------


def _serializer_model(view):
    try:
        serializer = view.get_serializer_class()
    except (AssertionError, AttributeError):
        return None
    return getattr(getattr(serializer, "Meta", None), "model", None)


def test_no_api_endpoint_reads_or_writes_a_table_of_past_versions():
    generator = SchemaGenerator()
    endpoints = EndpointEnumerator().get_api_endpoints()
    assert len(endpoints) > 50

    offending = []
    for path, _regex, method, callback in endpoints:
        view = generator.create_view(callback, method)
        models = {get_view_model(view, emit_warnings=False), _serializer_model(view)} - {None}
        if any(is_history_model(model) for model in models) or "histor" in path:
            offending.append(f"{method} {path}")

    assert offending == []


# Database (PostgreSQL) -------------------------------------------------------------------------


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required (CLAUSE5_REQUIRE_SERVICES=1)")
        pytest.skip("the history triggers exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # As in production: nothing has lifted the guard in this transaction.
        cursor.execute("SELECT set_config(%s, 'off', true)", [ALLOW_SETTING])


def _settle():
    """Run the deferred foreign-key checks now: PostgreSQL refuses TRUNCATE and DDL while any are queued."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _refused(sql: str, params=()) -> str:
    _settle()
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(caught.value)


def test_database_refuses_update_of_a_past_version(postgresql, renamed_department):
    table = Department.history.model._meta.db_table
    first = renamed_department.history.earliest("history_date")

    sql = f"UPDATE {table} SET name = 'Forged' WHERE history_id = %s"  # noqa: S608 (a model's table name)
    message = _refused(sql, [first.history_id])

    assert f"append-only: UPDATE on {table}" in message
    assert renamed_department.history.get(history_id=first.history_id).name == "Production"


def test_database_refuses_delete_and_truncate_of_past_versions(postgresql, renamed_department):
    table = Department.history.model._meta.db_table

    assert f"append-only: DELETE on {table}" in _refused(f"DELETE FROM {table}")  # noqa: S608
    assert f"append-only: TRUNCATE on {table}" in _refused(f"TRUNCATE {table}")
    assert renamed_department.history.count() == 2


def test_database_still_records_new_versions(postgresql, renamed_department, mgmt_rep):
    department_update(actor=mgmt_rep, department=renamed_department, name="Assembly")

    assert list(renamed_department.history.order_by("history_date").values_list("name", flat=True)) == [
        "Production",
        "Production and Assembly",
        "Assembly",
    ]


def test_every_history_table_is_guarded_and_reinstalling_changes_nothing(postgresql):
    tables = history_tables()
    assert "leadership_historicaldepartment" in tables
    assert "evidence_historicalevidencepack_departments" in tables  # many-to-many history too

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname IN (%s, %s)",
            [ROW_TRIGGER, TRUNCATE_TRIGGER],
        )
        installed = set(cursor.fetchall())

    assert {(t, ROW_TRIGGER) for t in tables} | {(t, TRUNCATE_TRIGGER) for t in tables} <= installed
    assert history_triggers_install() == []


def test_a_missing_trigger_is_put_back_at_the_next_migrate(postgresql, renamed_department):
    table = Department.history.model._meta.db_table
    _settle()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {ROW_TRIGGER} ON {table}")

    assert history_triggers_install() == [table]
    assert f"append-only: DELETE on {table}" in _refused(f"DELETE FROM {table}")  # noqa: S608
