import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.roles import Role
from leadership.selectors.commitment import commitment_coverage
from leadership.services import commitment as services
from tests.leadership.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def _entry(person, days_ago, items, description="Chaired the quality meeting"):
    return services.commitment_record(
        actor=None,
        person=person,
        date=TODAY - datetime.timedelta(days=days_ago),
        description=description,
        requirement_ids=items,
    )


# Services -------------------------------------------------------------------------------------


def test_only_top_management_actions_are_logged(ceo, mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.commitment_record(
            actor=mgmt_rep,
            person=mgmt_rep.person,
            date=timezone.localdate(),
            description="x",
            requirement_ids=["5.1.1.a"],
        )

    assert "not in top management" in exc.value.message_dict["person"][0]
    assert not CommitmentEntry.objects.exists()


def test_items_must_be_5_1_1_items(ceo, mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.commitment_record(
            actor=mgmt_rep,
            person=ceo.person,
            date=timezone.localdate(),
            description="x",
            requirement_ids=["5.2.1.a", "9.9.9"],
        )

    assert exc.value.message_dict["requirement_ids"] == ["Not a 5.1.1 item: 5.2.1.a, 9.9.9."]


def test_future_actions_are_refused(ceo, mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.commitment_record(
            actor=mgmt_rep,
            person=ceo.person,
            date=timezone.localdate() + datetime.timedelta(days=1),
            description="x",
            requirement_ids=["5.1.1.a"],
        )

    assert "future" in exc.value.message_dict["date"][0]


def test_automatic_entry_is_made_once_per_source_record(ceo):
    source = DepartmentFactory()
    kwargs = {
        "person": ceo.person,
        "source": CommitmentEntry.Source.POLICY_APPROVED,
        "source_record": source,
        "date": timezone.localdate(),
        "description": "Approved",
        "requirement_ids": ["5.1.1.b"],
    }

    first = services.commitment_record_from(**kwargs)
    second = services.commitment_record_from(**kwargs)

    assert first == second
    assert CommitmentEntry.objects.count() == 1
    assert first.source_record == source


def test_automatic_entry_ignores_people_outside_top_management(mgmt_rep):
    entry = services.commitment_record_from(
        person=mgmt_rep.person,
        source=CommitmentEntry.Source.RESOURCE_DECIDED,
        source_record=DepartmentFactory(),
        date=timezone.localdate(),
        description="Decided",
        requirement_ids=["5.1.1.e"],
    )

    assert entry is None
    assert not CommitmentEntry.objects.exists()


def test_coverage_counts_entries_per_item_over_twelve_months_and_names_the_gaps(ceo):
    other = PersonFactory(roles=[Role.TOP_MANAGEMENT])
    _entry(ceo.person, 10, ["5.1.1.a", "5.1.1.f"])
    _entry(ceo.person, 200, ["5.1.1.f"])
    _entry(other, 30, ["5.1.1.e"])
    _entry(ceo.person, 400, ["5.1.1.j"])  # older than 12 months: not counted

    overall = commitment_coverage(today=TODAY)
    mine = commitment_coverage(person=ceo.person, today=TODAY)

    counts = {row["requirement"].id: row["count"] for row in overall["rows"]}
    assert counts["5.1.1.a"] == 1
    assert counts["5.1.1.f"] == 2
    assert counts["5.1.1.e"] == 1
    assert counts["5.1.1.j"] == 0
    assert overall["entries"] == 3
    assert [r.id for r in overall["missing"]] == [
        "5.1.1.b",
        "5.1.1.c",
        "5.1.1.d",
        "5.1.1.g",
        "5.1.1.h",
        "5.1.1.i",
        "5.1.1.j",
    ]
    assert mine["entries"] == 2
    assert "5.1.1.e" in [r.id for r in mine["missing"]]


# Pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_managers_qa_and_auditors_read_the_log(request, client_as, persona, ceo):
    client = client_as(request.getfixturevalue(persona))
    entry = _entry(ceo.person, 5, ["5.1.1.a"])

    assert client.get(reverse("leadership:commitment-list")).status_code == 200
    assert client.get(reverse("leadership:commitment-person", args=[ceo.person.pk])).status_code == 200
    assert client.get(entry.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_employees_do_not_see_the_log(request, client_as, persona):
    assert client_as(request.getfixturevalue(persona)).get(reverse("leadership:commitment-list")).status_code == 403


def test_management_representative_logs_an_action(client_as, mgmt_rep, ceo):
    response = client_as(mgmt_rep).post(
        reverse("leadership:commitment-create"),
        {
            "person": ceo.person.pk,
            "date": "2026-11-01",
            "description": "Town hall on the policy",
            "requirement_ids": ["5.1.1.f"],
        },
    )

    entry = CommitmentEntry.objects.get()
    assert response.status_code == 302
    assert entry.recorded_by == mgmt_rep
    assert entry.history.get().history_user == mgmt_rep


def test_log_form_reports_bad_input_per_field(client_as, mgmt_rep, ceo):
    response = client_as(mgmt_rep).post(
        reverse("leadership:commitment-create"),
        {"person": mgmt_rep.person.pk, "date": "not a date", "description": "", "requirement_ids": []},
    )

    errors = response.context["form"].errors
    assert set(errors) == {"person", "date", "description", "requirement_ids"}
    assert not CommitmentEntry.objects.exists()


@pytest.mark.parametrize("persona", ["qa", "dept_manager", "auditor", "employee"])
def test_only_top_management_and_the_representative_log_actions(request, client_as, persona, ceo):
    response = client_as(request.getfixturevalue(persona)).post(
        reverse("leadership:commitment-create"),
        {"person": ceo.person.pk, "date": "2026-11-01", "description": "x", "requirement_ids": ["5.1.1.f"]},
    )

    assert response.status_code == 403
    assert not CommitmentEntry.objects.exists()


def test_list_page_filters_by_item(client_as, auditor, ceo):
    _entry(ceo.person, 5, ["5.1.1.a"], description="Approved the CMM")
    _entry(ceo.person, 6, ["5.1.1.f"], description="Town hall")

    response = client_as(auditor).get(reverse("leadership:commitment-list"), {"requirement": "5.1.1.f"})

    assert [e.description for e in response.context["object_list"]] == ["Town hall"]


# API ------------------------------------------------------------------------------------------------


def test_api_creates_and_lists_entries(api_as, mgmt_rep, ceo):
    client = api_as(mgmt_rep)

    created = client.post(
        reverse("commitmententry-list"),
        {"person": ceo.person.pk, "date": "2026-11-01", "description": "Town hall", "requirement_ids": ["5.1.1.f"]},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert client.get(reverse("commitmententry-list")).json()["count"] == 1


def test_api_bad_input_names_the_fields(api_as, mgmt_rep, ceo):
    response = api_as(mgmt_rep).post(
        reverse("commitmententry-list"),
        {"person": ceo.person.pk, "date": "2026-02-30", "description": "x", "requirement_ids": ["9.3.1"]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"date", "requirement_ids"}


def test_api_auditor_reads_but_cannot_write(api_as, auditor, ceo):
    client = api_as(auditor)

    assert client.get(reverse("commitmententry-list")).status_code == 200
    response = client.post(
        reverse("commitmententry-list"),
        {"person": ceo.person.pk, "date": "2026-11-01", "description": "x", "requirement_ids": ["5.1.1.f"]},
        format="json",
    )
    assert response.status_code == 403


def test_api_coverage(api_as, auditor, ceo):
    _entry(ceo.person, 3, ["5.1.1.a"])

    body = api_as(auditor).get(reverse("commitmententry-coverage"), {"person": ceo.person.pk}).json()

    assert body["entries"] == 1
    assert "5.1.1.a" not in body["missing"]
    assert api_as(auditor).get(reverse("commitmententry-coverage"), {"months": "x"}).status_code == 400


def test_list_page_and_endpoint_run_a_constant_number_of_queries(
    client_as, api_as, auditor, ceo, django_assert_num_queries
):
    page, api = client_as(auditor), None
    for n in (3, 30):
        for i in range(n):
            _entry(ceo.person, i % 300, ["5.1.1.a", "5.1.1.f"], description=f"Action {n}-{i}")
        # session, user, 2 permission queries, role badge groups, count, page rows, coverage
        # counts, top managers, and the person filter's drop-down.
        with django_assert_num_queries(10):
            page.get(reverse("leadership:commitment-list"))
    api = api_as(auditor)
    for n in (3, 30):
        for i in range(n):
            _entry(ceo.person, i % 300, ["5.1.1.b"], description=f"More {n}-{i}")
        # token, 2 permission queries, count, page rows.
        with django_assert_num_queries(5):
            api.get(reverse("commitmententry-list"))
