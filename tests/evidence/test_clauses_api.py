"""The clause catalogue API: items, their evidence, and evidence tags (list, tag, remove), both ways."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceTag
from tests.evidence.test_clauses_factories import (  # noqa: F401
    EvidenceTagFactory,
    catalogue,
    commitment_entry,
    signed_meeting,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("catalogue"),
]

READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
TAGGERS = ["ceo", "mgmt_rep", "qa"]
NOT_TAGGERS = ["dept_manager", "auditor", "employee", "outsider"]


def evidence_url(clause_id="5.1.1.a"):
    return reverse("clause-evidence", args=[clause_id])


def tag_input(record, **overrides):
    return {
        "clause": "5.3.e",
        "kind": "reviews.meeting",
        "object_id": str(record.pk),
        "note": "The operational meeting decided to move final inspection: a QMS change.",
        **overrides,
    }


# Items ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_the_items_with_their_evidence_of_the_last_twelve_months(api_as, persona, request):
    commitment_entry(["5.1.1.a"])

    response = api_as(request.getfixturevalue(persona)).get(reverse("clause-list"), {"page_size": 100})

    assert response.status_code == 200
    assert response.data["count"] == 53
    first = response.data["results"][0]
    assert first == {
        "id": "5.1.1.a",
        "group": "5.1.1",
        "group_title": "Leadership and commitment: top management shows it by",
        "text": "being accountable for how effective the QMS is",
        "expected_evidence": "management review conclusions signed by top management; decisions on unmet objectives",
        "order": 1,
        "evidence_count": 1,
    }


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_other_roles_cannot_read_the_catalogue(api_as, persona, request):
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("clause-list")).status_code == 403
    assert client.get(reverse("clause-detail", args=["5.1.1.a"])).status_code == 403
    assert client.get(evidence_url()).status_code == 403


def test_anonymous_callers_get_401(api_client):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    assert api_client.get(reverse("clause-list")).status_code == 401
    assert api_client.get(evidence_url()).status_code == 401
    assert api_client.get(reverse("evidence-tag-list")).status_code == 401
    assert api_client.post(reverse("evidence-tag-list"), tag_input(signed_meeting()), format="json").status_code == 401
    assert api_client.post(reverse("evidence-tag-remove", args=[tag.pk]), {"reason": "x"}).status_code == 401
    assert EvidenceTag.objects.get().is_active


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_other_roles_cannot_read_tags(api_as, persona, request):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("evidence-tag-list")).status_code == 403
    assert client.get(reverse("evidence-tag-detail", args=[tag.pk])).status_code == 403


def test_items_filter_by_clause_and_search(api_as, auditor):
    client = api_as(auditor)

    by_group = client.get(reverse("clause-list"), {"group": "5.3"})
    by_text = client.get(reverse("clause-list"), {"q": "external providers"})

    assert [c["id"] for c in by_group.data["results"]] == ["5.3.a", "5.3.b", "5.3.c", "5.3.d", "5.3.e"]
    assert [c["id"] for c in by_text.data["results"]] == ["9.3.2.c.7"]


def test_an_item_is_read_by_its_dotted_id(api_as, auditor):
    response = api_as(auditor).get(reverse("clause-detail", args=["9.3.2.c.4"]))

    assert response.status_code == 200
    assert response.data["text"] == "input: nonconformities and corrective actions"
    assert api_as(auditor).get(reverse("clause-detail", args=["9.9.9"])).status_code == 404


def test_an_item_s_evidence_is_listed_newest_first_with_its_filters(api_as, auditor):
    production = DepartmentFactory(name="Production")
    old = commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=400))
    mine = commitment_entry(["5.1.1.a"], person=PersonFactory(department=production))
    other = commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=1))
    client = api_as(auditor)

    default = client.get(evidence_url())
    everything = client.get(evidence_url(), {"period_start": "2000-01-01"})
    production_only = client.get(evidence_url(), {"department": production.pk})

    assert default.status_code == 200
    assert [r["object_id"] for r in default.data["results"]] == [mine.pk, other.pk]
    assert default.data["count"] == 2
    assert default.data["period_end"] == timezone.localdate().isoformat()
    row = default.data["results"][0]
    assert row["kind"] == "leadership.commitmententry"
    assert row["department"] == production.pk
    assert row["department_name"] == "Production"
    assert row["mapped"] is True
    assert row["tag"] is None
    assert [r["object_id"] for r in everything.data["results"]] == [mine.pk, other.pk, old.pk]
    assert [r["object_id"] for r in production_only.data["results"]] == [mine.pk]


def test_an_item_s_evidence_is_paged(api_as, auditor):
    for n in range(5):
        commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=n))
    client = api_as(auditor)

    first = client.get(evidence_url(), {"page_size": 2})
    last = client.get(evidence_url(), {"page_size": 2, "page": 3})

    assert first.data["count"] == 5
    assert len(first.data["results"]) == 2
    assert "page=2" in first.data["next"]
    assert first.data["previous"] is None
    assert len(last.data["results"]) == 1
    assert last.data["next"] is None
    assert "page=2" in last.data["previous"]


def test_empty_dates_mean_no_limit_and_missing_ones_the_last_twelve_months(api_as, auditor):
    old = commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=400))
    recent = commitment_entry(["5.1.1.a"])
    client = api_as(auditor)

    open_ended = client.get(evidence_url(), {"period_start": "", "period_end": ""})
    up_to_last_year = client.get(evidence_url(), {"period_start": ""})

    assert [r["object_id"] for r in open_ended.data["results"]] == [recent.pk, old.pk]
    assert open_ended.data["period_start"] is None
    assert [r["object_id"] for r in up_to_last_year.data["results"]] == [recent.pk, old.pk]
    assert up_to_last_year.data["period_end"] == timezone.localdate().isoformat()


def test_a_period_ending_before_it_starts_is_refused_naming_the_field(api_as, auditor):
    response = api_as(auditor).get(evidence_url(), {"period_start": "2026-06-01", "period_end": "2026-01-01"})

    assert response.status_code == 400
    assert "period_end" in response.data


def test_the_catalogue_count_equals_the_evidence_count_of_the_item(api_as, auditor):
    commitment_entry(["5.1.1.a", "5.1.1.e"])
    EvidenceTagFactory(record=signed_meeting(), clause_id="5.1.1.a")
    client = api_as(auditor)

    results = client.get(reverse("clause-list"), {"page_size": 100}).data["results"]
    listed = {c["id"]: c["evidence_count"] for c in results}
    single = client.get(reverse("clause-detail", args=["5.1.1.a"])).data["evidence_count"]

    assert listed["5.1.1.a"] == single == client.get(evidence_url()).data["count"] == 2


def test_evidence_a_role_cannot_open_is_neither_listed_nor_counted(api_as, dept_manager, auditor):
    """Department managers do not read policy acknowledgements; auditors read everything."""
    PolicyAcknowledgementFactory()

    hidden = api_as(dept_manager).get(evidence_url("5.2.2.b"))
    shown = api_as(auditor).get(evidence_url("5.2.2.b"))
    items = api_as(dept_manager).get(reverse("clause-list"), {"page_size": 100}).data["results"]
    hidden_count = next(c for c in items if c["id"] == "5.2.2.b")

    assert (hidden.data["count"], shown.data["count"]) == (0, 1)
    assert hidden_count["evidence_count"] == 0


# Evidence tags ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", TAGGERS)
def test_taggers_tag_a_record_through_the_api(api_as, persona, request):
    user = request.getfixturevalue(persona)
    meeting = signed_meeting()

    response = api_as(user).post(reverse("evidence-tag-list"), tag_input(meeting), format="json")

    assert response.status_code == 201
    assert response.data["clause"] == "5.3.e"
    assert response.data["kind"] == "reviews.meeting"
    assert response.data["object_id"] == str(meeting.pk)
    assert response.data["tagged_by"] == user.pk
    assert response.data["removed_at"] is None
    (row,) = api_as(user).get(evidence_url("5.3.e")).data["results"]
    assert (row["object_id"], row["mapped"], row["tag"]) == (meeting.pk, False, response.data["id"])


@pytest.mark.parametrize("persona", NOT_TAGGERS)
def test_other_roles_cannot_tag_through_the_api(api_as, persona, request):
    response = api_as(request.getfixturevalue(persona)).post(
        reverse("evidence-tag-list"), tag_input(signed_meeting()), format="json"
    )

    assert response.status_code == 403
    assert not EvidenceTag.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"note": ""}, "note"),
        ({"clause": "9.9.9"}, "clause"),
        ({"kind": "leadership.department"}, "kind"),
        ({"object_id": "999999"}, "object_id"),
    ],
)
def test_bad_tag_input_answers_400_naming_the_field(api_as, qa, overrides, field):
    response = api_as(qa).post(reverse("evidence-tag-list"), tag_input(signed_meeting(), **overrides), format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not EvidenceTag.objects.exists()


def test_tagging_what_is_not_evidence_or_already_linked_answers_409(api_as, qa):
    client = api_as(qa)
    draft = PolicyVersionFactory()
    meeting = signed_meeting()

    not_evidence = client.post(
        reverse("evidence-tag-list"),
        tag_input(draft, kind="leadership.policyversion", clause="5.1.1.i"),
        format="json",
    )
    linked = client.post(reverse("evidence-tag-list"), tag_input(meeting, clause="5.1.1.c"), format="json")
    client.post(reverse("evidence-tag-list"), tag_input(meeting), format="json")
    twice = client.post(reverse("evidence-tag-list"), tag_input(meeting), format="json")

    assert not_evidence.status_code == linked.status_code == twice.status_code == 409
    assert "does not count as evidence" in not_evidence.data["detail"]
    assert "already evidences 5.1.1.c by itself" in linked.data["detail"]
    assert "already tagged to 5.3.e" in twice.data["detail"]
    assert EvidenceTag.objects.count() == 1


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_tags_and_filter_them(api_as, persona, request):
    meeting = signed_meeting()
    active = EvidenceTagFactory(record=meeting, clause_id="5.3.e")
    removed = EvidenceTagFactory(
        record=meeting,
        clause_id="5.1.1.i",
        removed_at=timezone.now(),
        removed_by=active.tagged_by,
        removal_reason="Wrong item.",
    )
    client = api_as(request.getfixturevalue(persona))

    every = client.get(reverse("evidence-tag-list"))
    in_force = client.get(reverse("evidence-tag-list"), {"active": "true"})
    of_item = client.get(reverse("evidence-tag-list"), {"clause": "5.1.1.i"})
    of_record = client.get(reverse("evidence-tag-list"), {"kind": "reviews.meeting", "object_id": str(meeting.pk)})

    assert every.status_code == 200
    assert {t["id"] for t in every.data["results"]} == {active.pk, removed.pk}
    assert [t["id"] for t in in_force.data["results"]] == [active.pk]
    assert [t["id"] for t in of_item.data["results"]] == [removed.pk]
    assert of_item.data["results"][0]["removal_reason"] == "Wrong item."
    assert {t["id"] for t in of_record.data["results"]} == {active.pk, removed.pk}


def test_tags_on_records_a_role_cannot_open_are_not_listed(api_as, dept_manager):
    EvidenceTagFactory(record=PolicyAcknowledgementFactory(), clause_id="5.1.1.i")

    assert api_as(dept_manager).get(reverse("evidence-tag-list")).data["count"] == 0


@pytest.mark.parametrize("persona", TAGGERS)
def test_taggers_remove_a_tag_with_a_reason(api_as, persona, request):
    user = request.getfixturevalue(persona)
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    response = api_as(user).post(
        reverse("evidence-tag-remove", args=[tag.pk]), {"reason": "The change was withdrawn."}, format="json"
    )

    assert response.status_code == 200
    assert response.data["removed_by"] == user.pk
    assert response.data["removal_reason"] == "The change was withdrawn."
    assert EvidenceTag.objects.filter(pk=tag.pk).exists()
    again = api_as(user).post(reverse("evidence-tag-remove", args=[tag.pk]), {"reason": "Again."}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize("persona", NOT_TAGGERS)
def test_other_roles_cannot_remove_tags_through_the_api(api_as, persona, request):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    response = api_as(request.getfixturevalue(persona)).post(
        reverse("evidence-tag-remove", args=[tag.pk]), {"reason": "No."}, format="json"
    )

    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.is_active


def test_a_removal_without_a_reason_answers_400(api_as, qa):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    response = api_as(qa).post(reverse("evidence-tag-remove", args=[tag.pk]), {"reason": ""}, format="json")

    assert response.status_code == 400
    assert "reason" in response.data


def test_tags_are_never_deleted_or_edited_through_the_api(api_as, mgmt_rep):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client = api_as(mgmt_rep)
    url = reverse("evidence-tag-detail", args=[tag.pk])

    assert client.delete(url).status_code == 405
    assert client.patch(url, {"note": "changed"}, format="json").status_code == 405
    assert EvidenceTag.objects.get(pk=tag.pk).note == tag.note


def test_the_schema_documents_the_evidence_api(tmp_path):
    target = tmp_path / "schema.yml"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(target),
    )

    text = target.read_text()
    for path in ("/api/clauses/", "/api/clauses/{id}/evidence/", "/api/evidence-tags/{id}/remove/"):
        assert f"  {path}:" in text
