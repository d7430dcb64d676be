"""The employee quality feedback box, through the REST API."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from leadership.models.commitment import CommitmentEntry
from leadership.models.feedback import EmployeeFeedback
from tests.leadership.factories_feedback import EmployeeFeedbackFactory, grow_feedback

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
PAYLOAD = {"kind": "idea", "title": "Colour-coded gauges", "description": "Tag gauges by calibration month."}


def action(pk, name):
    return reverse(f"employeefeedback-{name}", args=[pk])


# Submitting -------------------------------------------------------------------------------------


@time_machine.travel(MONDAY)
def test_an_employee_submits_named_feedback_without_a_code(api_as, employee):
    response = api_as(employee).post(reverse("employeefeedback-list"), PAYLOAD, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == "EF-2026-001"
    assert body["reporter"] == employee.person.pk
    assert body["follow_up_code"] is None


def test_anonymous_feedback_returns_the_code_once_and_no_reporter(api_as, employee):
    client = api_as(employee)

    response = client.post(reverse("employeefeedback-list"), {**PAYLOAD, "anonymous": True}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert (body["reporter"], body["reporter_name"]) == (None, "")
    assert len(body["follow_up_code"]) == 24
    assert response["Cache-Control"] == "no-store"
    feedback = EmployeeFeedback.objects.get()
    assert feedback.reporter is None
    assert feedback.history.get().history_user is None
    found = client.post(reverse("employeefeedback-follow-up"), {"code": body["follow_up_code"]}, format="json")
    assert found.json()["reference"] == body["reference"]
    assert "reporter" not in found.json()


def test_anonymous_feedback_never_shows_its_reporter_in_the_api(api_as, employee, auditor):
    employee.first_name, employee.last_name = "Wanda", "Whistleblower"
    employee.save()
    api_as(employee).post(reverse("employeefeedback-list"), {**PAYLOAD, "anonymous": True}, format="json")
    feedback = EmployeeFeedback.objects.get()
    client = api_as(auditor)

    for url in (reverse("employeefeedback-list"), reverse("employeefeedback-detail", args=[feedback.pk])):
        text = client.get(url).content.decode()
        assert "Whistleblower" not in text
        assert f'"reporter":{employee.person.pk}' not in text.replace(" ", "")


def test_a_wrong_code_is_a_400_on_code(api_as, employee):
    EmployeeFeedbackFactory(anonymous_item=True, code="ABCD-EFGH-JKLM-NPQR-STUV")

    response = api_as(employee).post(
        reverse("employeefeedback-follow-up"), {"code": "ABCD-EFGH-JKLM-NPQR-STUW"}, format="json"
    )

    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize(("overrides", "field"), [({"kind": "rant"}, "kind"), ({"title": ""}, "title")])
def test_bad_input_is_a_400_naming_the_field(api_as, employee, overrides, field):
    response = api_as(employee).post(reverse("employeefeedback-list"), {**PAYLOAD, **overrides}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not EmployeeFeedback.objects.exists()


def test_an_account_without_a_role_cannot_submit(api_as, outsider):
    assert api_as(outsider).post(reverse("employeefeedback-list"), PAYLOAD, format="json").status_code == 403


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_the_register_is_listed_for_those_with_view_permission(request, api_as, persona):
    EmployeeFeedbackFactory()

    response = api_as(request.getfixturevalue(persona)).get(reverse("employeefeedback-list"))

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_employees_cannot_list_the_register_but_see_their_own(api_as, employee):
    own = EmployeeFeedbackFactory(reporter=employee.person)
    EmployeeFeedbackFactory()
    EmployeeFeedbackFactory(anonymous_item=True)
    client = api_as(employee)

    assert client.get(reverse("employeefeedback-list")).status_code == 403
    assert client.get(reverse("employeefeedback-detail", args=[own.pk])).status_code == 403
    mine = client.get(reverse("employeefeedback-mine"))
    assert [f["id"] for f in mine.json()["results"]] == [own.pk]


def test_the_list_filters_overdue_items(api_as, qa):
    with time_machine.travel(MONDAY):
        late = EmployeeFeedbackFactory()
    with time_machine.travel(MONDAY + datetime.timedelta(days=11)):
        EmployeeFeedbackFactory()
        response = api_as(qa).get(reverse("employeefeedback-list"), {"overdue": "true"})

    assert [(f["id"], f["overdue"]) for f in response.json()["results"]] == [(late.pk, True)]


# Handling ---------------------------------------------------------------------------------------


def test_a_manager_handles_feedback_through_the_actions(api_as, dept_manager):
    feedback = EmployeeFeedbackFactory()
    client = api_as(dept_manager)

    assert client.post(action(feedback.pk, "acknowledge")).json()["status"] == "acknowledged"
    answered = client.post(action(feedback.pk, "answer"), {"answer": "WI revised."}, format="json")
    assert (answered.json()["status"], answered.json()["answer"]) == ("answered", "WI revised.")
    assert client.post(action(feedback.pk, "close")).json()["status"] == "closed"


def test_wrong_states_are_409(api_as, dept_manager):
    feedback = EmployeeFeedbackFactory(status="answered", answer="Done", answered_at=MONDAY)
    client = api_as(dept_manager)

    assert client.post(action(feedback.pk, "acknowledge")).status_code == 409
    assert client.post(action(feedback.pk, "answer"), {"answer": "Again"}, format="json").status_code == 409
    new = EmployeeFeedbackFactory()
    assert client.post(action(new.pk, "close")).status_code == 409


def test_an_empty_answer_is_a_400_on_answer(api_as, dept_manager):
    feedback = EmployeeFeedbackFactory()

    response = api_as(dept_manager).post(action(feedback.pk, "answer"), {"answer": " "}, format="json")

    assert response.status_code == 400
    assert "answer" in response.json()
    feedback.refresh_from_db()
    assert feedback.status == "new"


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee"])
@pytest.mark.parametrize("name", ["acknowledge", "answer", "close"])
def test_only_those_who_answer_feedback_may_act(request, api_as, persona, name):
    feedback = EmployeeFeedbackFactory()

    response = api_as(request.getfixturevalue(persona)).post(action(feedback.pk, name), {"answer": "x"}, format="json")

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == "new"


def test_the_ceos_answer_is_logged_once(api_as, ceo):
    feedback = EmployeeFeedbackFactory()
    client = api_as(ceo)

    client.post(action(feedback.pk, "answer"), {"answer": "Approved."}, format="json")
    client.post(action(feedback.pk, "answer"), {"answer": "Approved again."}, format="json")

    assert CommitmentEntry.objects.filter(source="feedback-responded").count() == 1


def test_feedback_is_never_deleted_or_edited_through_the_api(api_as, mgmt_rep):
    feedback = EmployeeFeedbackFactory()
    client = api_as(mgmt_rep)

    assert client.delete(reverse("employeefeedback-detail", args=[feedback.pk])).status_code == 405
    assert client.patch(reverse("employeefeedback-detail", args=[feedback.pk]), {"title": "x"}).status_code == 405


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [6, 60])
def test_list_endpoint_query_count_does_not_grow(api_as, auditor, rows, django_assert_num_queries):
    client = api_as(auditor)
    grow_feedback(rows)
    # token and user, permissions (user + group), count for pagination, the page of feedback
    # (department, reporter, answered_by, acknowledged_by joined; overdue annotated).
    with django_assert_num_queries(5):
        assert client.get(reverse("employeefeedback-list")).status_code == 200


@pytest.mark.parametrize("rows", [6, 60])
def test_mine_endpoint_query_count_does_not_grow(api_as, employee, rows, django_assert_num_queries):
    client = api_as(employee)
    for _ in range(rows):
        EmployeeFeedbackFactory(reporter=employee.person)
    # token and user, the person, count for pagination, the page of feedback.
    with django_assert_num_queries(4):
        assert client.get(reverse("employeefeedback-mine")).status_code == 200
