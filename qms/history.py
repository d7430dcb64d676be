"""The change history is append-only, down to the database.

Every domain model keeps its past versions in a simple_history table. Nothing in Clause5 changes
or deletes a past version, and on PostgreSQL a trigger on each of those tables makes sure nothing
else does either: an UPDATE, DELETE or TRUNCATE of a history table fails with an error naming the
table. The triggers are installed after every `migrate` (a `post_migrate` handler), on every table
of a simple_history model the app registry knows, so a history table added later is covered
without a migration of its own. SQLite, the embedded default, has no such guard.

Only these operations set the session setting `clause5.allow_history_rewrite` that lets such
a statement through:

- `migrate`, between `pre_migrate` and `post_migrate`: a schema change can rewrite rows (Django
  fills a column that becomes NOT NULL with an UPDATE);
- `flush` (`qms/management/commands/flush.py`), which empties every table, and which the test
  suite runs between transactional tests;
- the demo seeders' back-dating helpers (`@history_rewrite_allowed()`), since the made-up
  organisation of `seed_demo` dates its records, and their history, over past years;
- a test that sets up a state only a migration produces (an empty catalogue trail).

This protects the trail from the application, an administrator's SQL mistake or a stray
maintenance command; a database owner can still drop the triggers, which is why backups
(`manage.py backup`) and `manage.py verify_integrity` exist as well.
"""

from contextlib import contextmanager, suppress

from django.apps import apps
from django.db import DatabaseError, connections
from simple_history.models import HistoricalChanges

ALLOW_SETTING = "clause5.allow_history_rewrite"
FUNCTION = "clause5_refuse_history_rewrite"
ROW_TRIGGER = "clause5_history_append_only"
TRUNCATE_TRIGGER = "clause5_history_no_truncate"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{ALLOW_SETTING}', true) = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The change history is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Past versions are never changed or deleted; record a new change instead.';
END;
$$
"""


def is_history_model(model) -> bool:
    """Whether `model` is one of simple_history's tables of past versions (including many-to-many ones)."""
    return issubclass(model, HistoricalChanges)


def history_tables() -> list[str]:
    """The database tables of every simple_history model (past versions and their many-to-many rows)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if is_history_model(model) and model._meta.managed
        }
    )


def _installed(cursor, trigger: str) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace",
        [trigger],
    )
    return {row[0] for row in cursor.fetchall()}


def history_triggers_install(*, using: str = "default") -> list[str]:
    """Install the append-only triggers on every history table that lacks them; returns those tables.

    Idempotent and cheap when nothing is missing (one query per trigger kind), since the test
    suite's `flush` runs it after every transactional test. Does nothing on other databases.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    existing_tables = set(connection.introspection.table_names())
    tables = [t for t in history_tables() if t in existing_tables]
    quote = connection.ops.quote_name
    changed = []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        with_row, with_truncate = _installed(cursor, ROW_TRIGGER), _installed(cursor, TRUNCATE_TRIGGER)
        for table in tables:
            if table not in with_row:
                cursor.execute(f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER {ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
                )
            if table not in with_truncate:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
                )
            if table not in with_row or table not in with_truncate:
                changed.append(table)
    return changed


def _current(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [ALLOW_SETTING])
        return cursor.fetchone()[0] or "off"


def _set(connection, value: str) -> None:
    with connection.cursor() as cursor:
        # Session-wide (not SET LOCAL): migrate and flush span several transactions. Inside a
        # transaction that is rolled back, PostgreSQL reverts it with the rest.
        cursor.execute("SELECT set_config(%s, %s, false)", [ALLOW_SETTING, value])


def _set_allowed(using: str, allowed: bool) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        _set(connection, "on" if allowed else "off")


@contextmanager
def history_rewrite_allowed(*, using: str = "default"):
    """Let this session change history tables inside the block; also a decorator. Nests."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    previous = _current(connection)
    _set(connection, "on")
    try:
        yield
    finally:
        # If the block failed inside a transaction, that transaction is aborted and will be rolled
        # back, taking the setting back with it.
        with suppress(DatabaseError):
            _set(connection, previous)


def allow_during_migrate(sender, using="default", **kwargs) -> None:
    """`pre_migrate`: migrations may rewrite history tables (a column filled in, a table renamed)."""
    _set_allowed(using, True)


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """`post_migrate`: guard every history table, including any the migrations just created."""
    _set_allowed(using, False)
    history_triggers_install(using=using)
