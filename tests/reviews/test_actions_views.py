"""The action register through its pages: register, export, My actions, detail, create, edit, transitions."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models.actions import Action
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.leadership.factories_feedback import EmployeeFeedbackFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_actions import action_from, done_action, grow_actions

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
STAFF = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"]
WRITERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]
VERIFIERS = ["ceo", "mgmt_rep", "dept_manager", "qa"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(**overrides) -> dict:
    owner = overrides.pop("owner", None) or PersonFactory()
    return {
        "title": "Add a deburr step after cross-drilling",
        "description": "Brush deburr all ports; check 5 parts per lot with the borescope.",
        "owner": owner.pk,
        "department": "",
        "due_date": "2026-04-10",
        "priority": "high",
        **overrides,
    }


# Who sees the register -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_every_member_of_staff_reads_the_register(request, client_as, persona):
    """Decisions and their follow-up are communicated to everyone (5.1.1.c): all roles read the register."""
    action = ActionFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:action-list")).status_code == 200
    assert client.get(action.get_absolute_url()).status_code == 200
    assert client.get(reverse("reviews:action-export")).status_code == 200


def test_an_account_without_a_role_sees_nothing(client_as, outsider):
    action = ActionFactory()
    client = client_as(outsider)
    assert client.get(reverse("reviews:action-list")).status_code == 403
    assert client.get(action.get_absolute_url()).status_code == 403
    assert client.get(reverse("reviews:action-export")).status_code == 403


@pytest.mark.parametrize(
    "name", ["reviews:action-list", "reviews:my-actions", "reviews:action-export", "reviews:action-create"]
)
def test_signed_out_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The register --------------------------------------------------------------------------------------


def test_register_flags_overdue_actions_with_their_days(client_as, qa):
    ActionFactory(title="Late one", due_date=TODAY - datetime.timedelta(days=12))
    ActionFactory(
        title="Closed late one",
        due_date=TODAY - datetime.timedelta(days=12),
        status="done",
        completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    body = client_as(qa).get(reverse("reviews:action-list")).content.decode()
    assert "12 days overdue" in body
    assert body.count("days overdue") == 1, "a done action is no longer overdue"


def test_register_links_each_action_to_its_source_record(client_as, qa):
    risk_action = action_from(Action.Source.RISK)
    feedback_action = action_from(Action.Source.CUSTOMER_FEEDBACK)
    body = client_as(qa).get(reverse("reviews:action-list")).content.decode()
    assert reverse("objectives:risk-detail", args=[risk_action.risk_id]) in body
    assert reverse("leadership:customer-feedback-detail", args=[feedback_action.customer_feedback_id]) in body


def test_source_links_are_shown_only_to_those_who_may_open_the_source(client_as, employee):
    """Employees read the register but not the customer feedback file: the reference shows, unlinked."""
    action = action_from(Action.Source.CUSTOMER_FEEDBACK)
    body = client_as(employee).get(reverse("reviews:action-list")).content.decode()
    assert action.customer_feedback.reference in body
    assert reverse("leadership:customer-feedback-detail", args=[action.customer_feedback_id]) not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "active"}, {"open", "late", "reopened"}),
        ({"status": "done"}, {"done"}),
        ({"overdue": "true"}, {"late"}),
        ({"priority": "critical"}, {"reopened"}),
        ({"source": "risk"}, {"late"}),
        ({"q": "CMM"}, {"open"}),
        ({"due_from": "2026-03-20", "due_to": "2026-03-31"}, {"open"}),
    ],
)
def test_register_filters(client_as, qa, query, expected):
    ActionFactory(title="Recalibrate the CMM", due_date=datetime.date(2026, 3, 25))
    action_from(Action.Source.RISK, title="late", due_date=datetime.date(2026, 3, 1))
    ActionFactory(title="reopened", status="reopened", priority="critical", due_date=datetime.date(2026, 4, 20))
    done_action(title="done", due_date=datetime.date(2026, 3, 5))
    response = client_as(qa).get(reverse("reviews:action-list"), query)
    titles = {a.title for a in response.context["object_list"]}
    assert {"Recalibrate the CMM" if t == "open" else t for t in expected} == titles


def test_register_filters_by_owner_and_department(client_as, qa):
    mine = ActionFactory()
    ActionFactory()
    client = client_as(qa)
    by_owner = client.get(reverse("reviews:action-list"), {"owner": mine.owner_id}).context["object_list"]
    by_department = client.get(reverse("reviews:action-list"), {"department": mine.department_id}).context[
        "object_list"
    ]
    assert list(by_owner) == [mine]
    assert list(by_department) == [mine]


def test_htmx_requests_get_only_the_table(client_as, qa):
    ActionFactory()
    response = client_as(qa).get(reverse("reviews:action-list"), HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "reviews/actions/partials/_table.html"
    assert b"<html" not in response.content


@pytest.mark.parametrize("rows", [3, 60])
def test_register_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_actions(rows)
    action_from(Action.Source.CUSTOMER_FEEDBACK)
    action_from(Action.Source.EMPLOYEE_FEEDBACK)
    action_from(Action.Source.OBJECTIVE)
    action_from(Action.Source.RISK)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of actions (owner,
    # user, department and every source record joined), the owner and department drop-downs,
    # groups for the role badge.
    with django_assert_num_queries(9):
        assert client.get(reverse("reviews:action-list")).status_code == 200


# CSV export ----------------------------------------------------------------------------------------


def test_export_is_the_filtered_register_as_csv(client_as, qa):
    late = action_from(Action.Source.RISK, title="=HYPERLINK(evil)", due_date=TODAY - datetime.timedelta(days=3))
    ActionFactory(title="On time")
    response = client_as(qa).get(reverse("reviews:action-export"), {"overdue": "true"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Reference", "Title", "Source"]
    assert len(rows) == 2
    assert rows[1][0] == late.reference
    assert rows[1][1] == "'=HYPERLINK(evil)", "formulas are neutralised for spreadsheets"
    assert rows[1][3] == late.risk.reference
    assert rows[1][9] == "3"


def test_export_rejects_invalid_filters(client_as, qa):
    assert client_as(qa).get(reverse("reviews:action-export"), {"due_from": "yesterday"}).status_code == 400


@pytest.mark.parametrize("rows", [3, 60])
def test_export_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_actions(rows)
    client = client_as(qa)
    # session, user, permissions (user + group), the actions with everything joined.
    with django_assert_num_queries(5):
        assert client.get(reverse("reviews:action-export")).status_code == 200


# My actions ----------------------------------------------------------------------------------------


def test_my_actions_lists_my_open_done_and_recently_verified_actions(client_as, employee):
    me = employee.person
    open_one = ActionFactory(owner=me, title="Mine open")
    done_one = done_action(owner=me, title="Mine done")
    recent = ActionFactory(
        owner=me,
        title="Mine verified",
        status="verified",
        completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        verified_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        verified_by=PersonFactory(),
    )
    ActionFactory(
        owner=me,
        title="Mine long ago",
        status="verified",
        completed_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC),
        verified_at=datetime.datetime(2025, 12, 2, tzinfo=datetime.UTC),
        verified_by=PersonFactory(),
    )
    ActionFactory(title="Someone else's")
    response = client_as(employee).get(reverse("reviews:my-actions"))
    assert response.status_code == 200
    assert response.context["open_actions"] == [open_one]
    assert response.context["awaiting_actions"] == [done_one]
    assert response.context["closed_actions"] == [recent]
    assert "to_verify" not in response.context, "employees do not verify"


def test_my_actions_is_open_to_a_signed_in_account_without_a_role(client_as, outsider):
    response = client_as(outsider).get(reverse("reviews:my-actions"))
    assert response.status_code == 200
    assert response.context["open_actions"] == []


def test_verifiers_see_done_actions_of_their_department_awaiting_them(client_as, dept_manager):
    me = dept_manager.person
    team = PersonFactory(department=me.department)
    theirs = done_action(owner=team, department=me.department)
    done_action(owner=me, department=me.department)  # my own: someone else verifies it
    done_action()  # another department
    response = client_as(dept_manager).get(reverse("reviews:my-actions"))
    assert response.context["to_verify"] == [theirs]


def test_management_sees_every_done_action_it_does_not_own(client_as, mgmt_rep):
    others = [done_action(), done_action()]
    done_action(owner=mgmt_rep.person)
    response = client_as(mgmt_rep).get(reverse("reviews:my-actions"))
    assert set(response.context["to_verify"]) == set(others)


@pytest.mark.parametrize("rows", [3, 60])
def test_my_actions_query_count_does_not_grow(client_as, mgmt_rep, rows, django_assert_num_queries):
    me = mgmt_rep.person
    for action in grow_actions(rows):
        if action.pk % 2:
            Action.objects.filter(pk=action.pk).update(owner=me)
    client = client_as(mgmt_rep)
    # session, user, person, my actions (everything joined), permissions (user + group), the
    # verifier's groups (register-wide?), actions awaiting my verification, groups for the role badge.
    with django_assert_num_queries(9):
        assert client.get(reverse("reviews:my-actions")).status_code == 200


# Detail --------------------------------------------------------------------------------------------


def test_detail_shows_the_source_history_and_attachments(client_as, auditor):
    """The auditor reads where the action came from, every change to it, and its evidence."""
    action = action_from(Action.Source.OBJECTIVE)
    response = client_as(auditor).get(action.get_absolute_url())
    body = response.content.decode()
    assert reverse("objectives:objective-detail", args=[action.objective_id]) in body
    assert "Change history" in body
    assert response.context["history"]
    assert "evidence/partials/_attachments.html" in [t.name for t in response.templates]


def test_history_is_left_out_for_roles_without_the_history_permission(client_as, employee):
    response = client_as(employee).get(ActionFactory().get_absolute_url())
    assert "history" not in response.context


def test_owner_sees_start_and_complete_but_not_verify(client_as, employee):
    action = ActionFactory(owner=employee.person)
    body = client_as(employee).get(action.get_absolute_url()).content.decode()
    assert reverse("reviews:action-start", args=[action.pk]) in body
    assert reverse("reviews:action-complete", args=[action.pk]) in body
    assert reverse("reviews:action-verify", args=[action.pk]) not in body
    assert reverse("reviews:action-update", args=[action.pk]) not in body


def test_auditor_sees_no_buttons(client_as, auditor):
    action = done_action()
    body = client_as(auditor).get(action.get_absolute_url()).content.decode()
    for name in ("action-start", "action-complete", "action-verify", "action-update"):
        assert reverse(f"reviews:{name}", args=[action.pk]) not in body


def test_owner_who_verifies_is_told_someone_else_must(client_as, qa):
    action = done_action(owner=qa.person)
    body = client_as(qa).get(action.get_absolute_url()).content.decode()
    assert reverse("reviews:action-verify", args=[action.pk]) not in body
    assert "someone else verifies it" in body


def test_verifier_sees_the_verify_form_on_done_actions(client_as, dept_manager):
    action = done_action()
    body = client_as(dept_manager).get(action.get_absolute_url()).content.decode()
    assert reverse("reviews:action-verify", args=[action.pk]) in body


def test_unknown_action_is_404(client_as, qa):
    assert client_as(qa).get(reverse("reviews:action-detail", args=[999])).status_code == 404


# Create and edit -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "factory"),
    [
        ("customer-feedback", CustomerFeedbackFactory),
        ("employee-feedback", EmployeeFeedbackFactory),
        ("objective", ObjectiveFactory),
        ("risk", RiskFactory),
    ],
)
def test_an_action_is_raised_from_its_source_record(client_as, qa, source, factory):
    record = factory()
    url = reverse("reviews:action-create") + f"?source={source}&record={record.pk}"
    client = client_as(qa)
    page = client.get(url)
    assert page.status_code == 200
    assert record.reference in page.content.decode(), "the form shows what the action is for"

    response = client.post(url, form_data(source=source, record=record.pk))

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    assert action.source == source
    assert action.source_record == record
    assert action.created_by == qa


def test_create_prefills_owner_and_department_from_the_source(client_as, qa):
    risk = RiskFactory()
    response = client_as(qa).get(reverse("reviews:action-create"), {"source": "risk", "record": risk.pk})
    assert response.context["form"].initial["owner"] == risk.owner_id


def test_create_without_a_source_explains_where_to_raise_actions(client_as, qa):
    response = client_as(qa).get(reverse("reviews:action-create"))
    assert response.status_code == 200
    assert "Add action" in response.content.decode()
    assert '<form method="post" novalidate>' not in response.content.decode()


def test_create_with_a_missing_record_saves_nothing(client_as, qa):
    response = client_as(qa).post(
        reverse("reviews:action-create") + "?source=risk&record=999", form_data(source="risk", record=999)
    )
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_create_refuses_a_past_due_date_on_the_field(client_as, qa):
    risk = RiskFactory()
    response = client_as(qa).post(
        reverse("reviews:action-create"), form_data(source="risk", record=risk.pk, due_date="2026-03-01")
    )
    assert "in the past" in str(response.context["form"].errors["due_date"])
    assert not Action.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_create_is_forbidden_without_the_add_permission(request, client_as, persona):
    risk = RiskFactory()
    client = client_as(request.getfixturevalue(persona))
    url = reverse("reviews:action-create") + f"?source=risk&record={risk.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(source="risk", record=risk.pk)).status_code == 403
    assert not Action.objects.exists()


@pytest.mark.parametrize("persona", WRITERS)
def test_those_who_keep_the_register_edit_an_open_action(request, client_as, persona):
    action = ActionFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:action-update", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("reviews:action-update", args=[action.pk]), form_data(owner=action.owner, title="Renamed")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Renamed"


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_editing_is_forbidden_without_the_change_permission(request, client_as, persona):
    action = ActionFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:action-update", args=[action.pk])).status_code == 403
    assert client.post(reverse("reviews:action-update", args=[action.pk]), form_data()).status_code == 403


def test_a_done_action_cannot_be_edited(client_as, qa):
    action = done_action()
    client = client_as(qa)
    response = client.get(reverse("reviews:action-update", args=[action.pk]))
    assert response.status_code == 302
    response = client.post(reverse("reviews:action-update", args=[action.pk]), form_data(owner=action.owner))
    assert "is done, awaiting verification" in response.content.decode()


# Transitions ---------------------------------------------------------------------------------------


def test_owner_starts_and_completes_from_the_pages(client_as, employee):
    action = ActionFactory(owner=employee.person)
    client = client_as(employee)
    response = client.post(reverse("reviews:action-start", args=[action.pk]), {"next": reverse("reviews:my-actions")})
    assert response["Location"] == reverse("reviews:my-actions")
    response = client.post(reverse("reviews:action-complete", args=[action.pk]), {"completion_note": "Done it."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert "awaits verification" in messages_of(response)[-1]


def test_next_never_leads_off_the_site(client_as, employee):
    action = ActionFactory(owner=employee.person)
    response = client_as(employee).post(
        reverse("reviews:action-start", args=[action.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == action.get_absolute_url()


def test_completing_without_a_note_shows_the_error_on_the_form(client_as, employee):
    action = ActionFactory(owner=employee.person)
    response = client_as(employee).post(reverse("reviews:action-complete", args=[action.pk]), {"completion_note": ""})
    assert response.status_code == 400
    assert response.context["complete_form"].errors["completion_note"]


def test_a_wrong_transition_says_the_current_status(client_as, qa):
    action = done_action()
    response = client_as(qa).post(reverse("reviews:action-start", args=[action.pk]), follow=True)
    assert any("is done, awaiting verification" in m for m in messages_of(response))


def test_transitions_are_post_only(client_as, qa):
    action = ActionFactory()
    assert client_as(qa).get(reverse("reviews:action-start", args=[action.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_others_cannot_move_someone_elses_action(request, client_as, persona):
    action = ActionFactory()
    client = client_as(request.getfixturevalue(persona))
    assert client.post(reverse("reviews:action-start", args=[action.pk])).status_code == 403
    assert (
        client.post(reverse("reviews:action-complete", args=[action.pk]), {"completion_note": "x"}).status_code == 403
    )
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_outsider_cannot_use_transitions(client_as, outsider):
    action = ActionFactory()
    assert client_as(outsider).post(reverse("reviews:action-start", args=[action.pk])).status_code == 403


@pytest.mark.parametrize("persona", VERIFIERS)
def test_verifiers_verify_effective(request, client_as, persona):
    action = done_action()
    response = client_as(request.getfixturevalue(persona)).post(
        reverse("reviews:action-verify", args=[action.pk]), {"effective": "yes", "note": "No recurrence in 8 weeks."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.VERIFIED


def test_not_effective_reopens_with_a_new_due_date(client_as, qa):
    action = done_action()
    response = client_as(qa).post(
        reverse("reviews:action-verify", args=[action.pk]),
        {"effective": "no", "note": "Burrs again in lot 4471.", "new_due_date": "2026-04-01"},
    )
    action.refresh_from_db()
    assert (action.status, action.due_date, action.reopened_count) == ("reopened", datetime.date(2026, 4, 1), 1)
    assert "not effective" in messages_of(response)[-1]


def test_owner_cannot_verify_through_the_page(client_as, qa):
    action = done_action(owner=qa.person)
    response = client_as(qa).post(
        reverse("reviews:action-verify", args=[action.pk]), {"effective": "yes", "note": "Mine, fine."}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["auditor", "employee", "outsider"])
def test_verify_is_forbidden_without_the_permission(request, client_as, persona):
    action = done_action()
    response = client_as(request.getfixturevalue(persona)).post(
        reverse("reviews:action-verify", args=[action.pk]), {"effective": "yes", "note": "Fine."}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_verify_without_evidence_shows_the_error(client_as, qa):
    action = done_action()
    response = client_as(qa).post(reverse("reviews:action-verify", args=[action.pk]), {"effective": "yes"})
    assert response.status_code == 400
    assert response.context["verify_form"].errors["note"]


# Dashboard panel -----------------------------------------------------------------------------------


def test_home_dashboard_shows_my_action_figures(client_as, mgmt_rep):
    me = mgmt_rep.person
    ActionFactory(owner=me)
    ActionFactory(owner=me, due_date=TODAY - datetime.timedelta(days=2))
    ActionFactory(due_date=TODAY - datetime.timedelta(days=40))
    done_action()

    html = client_as(mgmt_rep).get(reverse("home")).content.decode()

    assert '<div class="figure">2</div><div class="label">open</div>' in html
    assert '<div class="figure">1</div><div class="label">overdue</div>' in html
    assert '<div class="figure">1</div><div class="label">awaiting my verification</div>' in html
    assert "overdue by more than 30 days" in html
    assert "due_to=2026-02-07" in html


def test_home_dashboard_of_an_employee_leaves_out_verification_and_register_figures(client_as, employee):
    ActionFactory(owner=employee.person)

    html = client_as(employee).get(reverse("home")).content.decode()

    assert '<div class="figure">1</div><div class="label">open</div>' in html
    assert "awaiting my verification" not in html
    assert "more than 30 days" not in html


# The "Actions" card on source records' pages -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "route", "field"),
    [
        ("customer-feedback", "leadership:customer-feedback-detail", "customer_feedback"),
        ("employee-feedback", "leadership:employee-feedback-detail", "employee_feedback"),
        ("objective", "objectives:objective-detail", "objective"),
        ("risk", "objectives:risk-detail", "risk"),
    ],
)
def test_source_pages_list_their_actions_and_offer_to_add_one(client_as, mgmt_rep, source, route, field):
    action = action_from(source, due_date=TODAY - datetime.timedelta(days=4))
    record_id = getattr(action, f"{field}_id")
    body = client_as(mgmt_rep).get(reverse(route, args=[record_id])).content.decode()
    assert reverse("reviews:action-detail", args=[action.pk]) in body
    assert "4 days overdue" in body
    assert f"{reverse('reviews:action-create')}?source={source}&amp;record={record_id}" in body


def test_the_add_action_button_needs_the_add_permission(client_as, auditor):
    risk = RiskFactory()
    body = client_as(auditor).get(reverse("objectives:risk-detail", args=[risk.pk])).content.decode()
    assert "No action raised from this record yet." in body
    assert reverse("reviews:action-create") not in body


def test_the_actions_card_costs_one_query_however_many_actions(client_as, mgmt_rep):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(rows: int) -> int:
        risk = RiskFactory()
        for _ in range(rows):
            action_from(Action.Source.RISK, risk=risk)
        client = client_as(mgmt_rep)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("objectives:risk-detail", args=[risk.pk])).status_code == 200
        return len(queries)

    assert page_queries(1) == page_queries(15)
