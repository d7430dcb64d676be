"""The clause catalogue: loaded by a data migration, equal to qms/iso.py, changed only by new migrations."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from evidence.migrations._catalogue import sync_catalogue
from evidence.models import Clause
from qms.history import history_rewrite_allowed
from qms.iso import CLAUSES, REQUIREMENTS
from tests.evidence.test_clauses_factories import CATALOGUE_MIGRATION, EvidenceTagFactory, load_catalogue

pytestmark = pytest.mark.django_db

migration = importlib.import_module(CATALOGUE_MIGRATION)


def table() -> list[tuple]:
    return list(Clause.objects.order_by("order").values_list("id", "group", "group_title", "text", "expected_evidence"))


def expected() -> list[tuple]:
    return [(r.id, r.clause, CLAUSES[r.clause], r.text, r.evidence) for r in REQUIREMENTS]


def test_the_table_equals_the_requirement_catalogue_of_qms_iso():
    """Fails when qms/iso.py changed without a data migration that applies the change."""
    load_catalogue()

    assert table() == expected()
    assert list(Clause.objects.order_by("order").values_list("order", flat=True)) == list(
        range(1, len(REQUIREMENTS) + 1)
    )


def test_the_migration_embeds_its_own_snapshot_of_the_catalogue():
    """Replaying the migration later gives the rows of its day, whatever qms/iso.py says then."""
    assert migration.GROUPS == CLAUSES
    assert tuple((r.id, r.clause, r.text, r.evidence) for r in REQUIREMENTS) == migration.REQUIREMENTS


def test_every_item_s_trail_starts_with_its_loading_by_the_migration():
    load_catalogue()

    first_entries = [clause.history.earliest() for clause in Clause.objects.all()]

    assert len(first_entries) == len(REQUIREMENTS)
    assert {entry.history_type for entry in first_entries} == {"+"}
    assert all("migration 0003" in entry.history_change_reason for entry in first_entries)


def test_the_data_migration_function_loads_the_rows_into_an_empty_table():
    Clause.objects.all().delete()
    # As before the migration ran: no trail yet (the database refuses this outside qms.history's guard).
    with history_rewrite_allowed():
        Clause.history.all().delete()

    result = migration.load_catalogue(apps, None)

    assert result == {"created": len(REQUIREMENTS), "changed": 0, "removed": 0}
    assert table() == expected()
    first = Clause.objects.get(pk="5.1.1.a")
    assert first.history.count() == 1
    assert first.history.get().history_type == "+"
    assert "migration 0003" in first.history.get().history_change_reason


def test_loading_twice_changes_nothing_and_writes_no_history():
    load_catalogue()
    entries = Clause.history.count()

    assert load_catalogue() == {"created": 0, "changed": 0, "removed": 0}
    assert Clause.history.count() == entries


def test_a_later_snapshot_changes_texts_inserts_items_and_keeps_the_trail():
    load_catalogue()
    groups = dict(migration.GROUPS)
    items = list(migration.REQUIREMENTS)
    items[0] = ("5.1.1.a", "5.1.1", "taking accountability for the QMS's effectiveness", items[0][3])
    items.insert(1, ("5.1.1.k", "5.1.1", "a new item", "new evidence"))
    removed = items.pop()  # the last item, 9.3.3.c

    result = sync_catalogue(apps, groups, tuple(items), "test snapshot")

    # 5.1.1.a changed its text; the 51 items after the new one moved down one place.
    assert result == {"created": 1, "changed": len(REQUIREMENTS) - 1, "removed": 1}
    assert list(Clause.objects.order_by("order").values_list("id", flat=True)) == [i[0] for i in items]
    changed = Clause.objects.get(pk="5.1.1.a")
    assert changed.text == "taking accountability for the QMS's effectiveness"
    assert changed.history.first().history_type == "~"
    assert not Clause.objects.filter(pk=removed[0]).exists()
    assert Clause.history.filter(id=removed[0], history_type="-").exists()


def test_an_item_that_evidence_is_tagged_to_cannot_be_removed_by_a_snapshot():
    """Evidence is never dropped silently: the migration fails until the tags are moved."""
    load_catalogue()
    EvidenceTagFactory(clause_id="9.3.3.c")

    with pytest.raises(ProtectedError), transaction.atomic():
        sync_catalogue(apps, migration.GROUPS, migration.REQUIREMENTS[:-1], "drops 9.3.3.c")

    assert Clause.objects.filter(pk="9.3.3.c").exists()


@pytest.mark.parametrize("bad_id", ["5.1.1.A", "5.1.1.a.", "clause 5", "9.3.2.c.x"])
def test_the_table_refuses_malformed_ids(bad_id):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(id=bad_id, group="5.1.1", group_title="x", text="x", expected_evidence="x", order=900)


def test_an_item_must_sit_in_its_clause():
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(id="5.3.f", group="5.2", group_title="x", text="x", expected_evidence="x", order=901)
