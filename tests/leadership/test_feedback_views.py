"""The employee quality feedback box, through the pages and the admin."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from leadership.models.commitment import CommitmentEntry
from leadership.models.feedback import EmployeeFeedback
from tests.leadership.factories_feedback import EmployeeFeedbackFactory, grow_feedback

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
REGISTER_READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def whistleblower(employee):
    """An employee with a name that must never appear next to anonymous feedback."""
    employee.first_name, employee.last_name = "Wanda", "Whistleblower"
    employee.save()
    return employee


def submit_page(client, **overrides):
    data = {"kind": "problem", "title": "Unclear deburring instruction", "description": "Edge break size?", **overrides}
    return client.post(reverse("leadership:employee-feedback-submit"), data)


# Submitting -------------------------------------------------------------------------------------


def test_the_form_explains_what_anonymous_means(client_as, employee):
    content = client_as(employee).get(reverse("leadership:employee-feedback-submit")).content.decode()

    assert "What “anonymous” means here" in content
    assert "not stored" in content
    assert "follow-up code" in content


def test_named_feedback_lands_in_my_feedback(client_as, employee):
    client = client_as(employee)

    response = submit_page(client)

    assert response["Location"] == reverse("leadership:employee-feedback-mine")
    mine = client.get(reverse("leadership:employee-feedback-mine"))
    assert [f.title for f in mine.context["items"]] == ["Unclear deburring instruction"]


def test_anonymous_feedback_shows_the_code_once_and_records_nobody(client_as, whistleblower):
    client = client_as(whistleblower)

    # Through the page, so that simple-history's request middleware is in play.
    response = submit_page(client, anonymous="on")

    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    feedback = EmployeeFeedback.objects.get()
    assert feedback.reporter is None
    assert feedback.history.get().history_user is None
    assert code not in str(client.session.items())
    assert list(client.get(reverse("leadership:employee-feedback-mine")).context["items"]) == []


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client_as, employee):
    response = submit_page(client_as(employee), title="", kind="")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "kind"}
    assert not EmployeeFeedback.objects.exists()


def test_an_account_without_a_role_cannot_submit(client_as, outsider):
    response = submit_page(client_as(outsider))

    assert response.status_code == 403
    assert not EmployeeFeedback.objects.exists()


# Following up -----------------------------------------------------------------------------------


def test_the_follow_up_code_shows_status_and_answer(client_as, employee):
    feedback = EmployeeFeedbackFactory(
        anonymous_item=True,
        code="ABCD-EFGH-JKLM-NPQR-STUV",
        status="answered",
        answer="Rev C issued.",
        answered_at=MONDAY,
    )

    response = client_as(employee).post(
        reverse("leadership:employee-feedback-follow-up"), {"code": "abcd efgh jklm npqr stuv"}
    )

    assert response.context["feedback"] == feedback
    assert "Rev C issued." in response.content.decode()


def test_a_wrong_code_shows_an_error_and_nothing_else(client_as, employee):
    EmployeeFeedbackFactory(anonymous_item=True, code="ABCD-EFGH-JKLM-NPQR-STUV", answer="Secret answer")

    response = client_as(employee).post(
        reverse("leadership:employee-feedback-follow-up"), {"code": "ABCD-EFGH-JKLM-NPQR-STUW"}
    )

    assert response.context["feedback"] is None
    assert "No feedback matches this code" in response.context["form"].errors["code"][0]
    assert "Secret answer" not in response.content.decode()


def test_follow_up_needs_a_login(client):
    response = client.get(reverse("leadership:employee-feedback-follow-up"))

    assert response.status_code == 302


# Register ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", REGISTER_READERS)
def test_the_register_is_readable_by_managers_qa_and_auditors(request, client_as, persona):
    EmployeeFeedbackFactory()

    response = client_as(request.getfixturevalue(persona)).get(reverse("leadership:employee-feedback-list"))

    assert response.status_code == 200
    assert len(response.context["object_list"]) == 1


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_employees_do_not_see_the_register(request, client_as, persona):
    assert (
        client_as(request.getfixturevalue(persona)).get(reverse("leadership:employee-feedback-list")).status_code == 403
    )


def test_anonymous_items_show_no_reporter_on_any_page(client_as, whistleblower, auditor, ceo, mgmt_rep):
    submit_page(client_as(whistleblower), anonymous="on")
    feedback = EmployeeFeedback.objects.get()

    for reader in (auditor, ceo, mgmt_rep):
        client = client_as(reader)
        for url in (reverse("leadership:employee-feedback-list"), feedback.get_absolute_url()):
            content = client.get(url).content.decode()
            assert "Whistleblower" not in content
            assert "Anonymous" in content
    history = client_as(auditor).get(feedback.get_absolute_url()).context["history"]
    assert [str(row["record"].history_user) for row in history] == ["Anonymous reporter"]
    assert feedback.history.get().history_user is None


def test_the_register_flags_and_filters_overdue_items(client_as, qa):
    with time_machine.travel(MONDAY):
        late = EmployeeFeedbackFactory(title="Late one")
    with time_machine.travel(MONDAY + datetime.timedelta(days=12)):
        EmployeeFeedbackFactory(title="Fresh one")
        client = client_as(qa)
        everything = client.get(reverse("leadership:employee-feedback-list"))
        overdue_only = client.get(reverse("leadership:employee-feedback-list"), {"overdue": "true"})
        not_overdue = client.get(reverse("leadership:employee-feedback-list"), {"overdue": "false"})

    assert {f.title: f.overdue for f in everything.context["object_list"]} == {"Late one": True, "Fresh one": False}
    assert "overdue" in everything.content.decode()
    assert list(overdue_only.context["object_list"]) == [late]
    assert [f.title for f in not_overdue.context["object_list"]] == ["Fresh one"]


def test_the_register_filters_by_status_kind_and_department(client_as, qa):
    match = EmployeeFeedbackFactory(kind="idea", status="acknowledged")
    EmployeeFeedbackFactory(kind="idea")
    EmployeeFeedbackFactory(kind="problem", status="acknowledged", department=match.department)

    response = client_as(qa).get(
        reverse("leadership:employee-feedback-list"),
        {"kind": "idea", "status": "acknowledged", "department": match.department_id},
    )

    assert list(response.context["object_list"]) == [match]


def test_a_reporter_reads_their_own_item_but_not_others(client_as, employee):
    own = EmployeeFeedbackFactory(reporter=employee.person)
    other = EmployeeFeedbackFactory()
    client = client_as(employee)

    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 403
    assert "history" not in client.get(own.get_absolute_url()).context


# Handling ---------------------------------------------------------------------------------------


def test_a_manager_acknowledges_answers_and_closes_from_the_page(client_as, dept_manager):
    feedback = EmployeeFeedbackFactory()
    client = client_as(dept_manager)

    client.post(reverse("leadership:employee-feedback-acknowledge", args=[feedback.pk]))
    client.post(reverse("leadership:employee-feedback-answer", args=[feedback.pk]), {"answer": "WI revised."})
    response = client.post(reverse("leadership:employee-feedback-close", args=[feedback.pk]))

    assert response["Location"] == feedback.get_absolute_url()
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answer) == ("closed", "WI revised.")


def test_the_ceos_answer_from_the_page_is_a_commitment_entry(client_as, ceo):
    feedback = EmployeeFeedbackFactory()

    client_as(ceo).post(reverse("leadership:employee-feedback-answer", args=[feedback.pk]), {"answer": "Yes, do it."})

    assert CommitmentEntry.objects.get().source_record == feedback


def test_an_empty_answer_is_shown_on_the_form(client_as, dept_manager):
    feedback = EmployeeFeedbackFactory()

    response = client_as(dept_manager).post(
        reverse("leadership:employee-feedback-answer", args=[feedback.pk]), {"answer": ""}
    )

    assert response.status_code == 200
    assert "answer" in response.context["answer_form"].errors
    feedback.refresh_from_db()
    assert feedback.status == "new"


def test_a_wrong_state_shows_a_message_and_changes_nothing(client_as, dept_manager):
    feedback = EmployeeFeedbackFactory()

    response = client_as(dept_manager).post(reverse("leadership:employee-feedback-close", args=[feedback.pk]))

    assert response.status_code == 302
    assert "only answered feedback can be closed" in messages_of(response)[0]
    feedback.refresh_from_db()
    assert feedback.status == "new"


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee"])
@pytest.mark.parametrize("action", ["acknowledge", "answer", "close"])
def test_only_those_who_answer_feedback_may_act(request, client_as, persona, action):
    feedback = EmployeeFeedbackFactory()

    response = client_as(request.getfixturevalue(persona)).post(
        reverse(f"leadership:employee-feedback-{action}", args=[feedback.pk]), {"answer": "Hi"}
    )

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == "new"


# Admin ------------------------------------------------------------------------------------------


def test_the_admin_does_not_reveal_an_anonymous_reporter(client, client_as, whistleblower):
    submit_page(client_as(whistleblower), anonymous="on")
    feedback = EmployeeFeedback.objects.get()
    admin_user = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin_user)

    pages = [
        reverse("admin:leadership_employeefeedback_changelist"),
        reverse("admin:leadership_employeefeedback_change", args=[feedback.pk]),
        reverse("admin:leadership_employeefeedback_history", args=[feedback.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Whistleblower" not in content
        assert "Wanda" not in content
        assert feedback.followup_code_hash not in content


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [6, 60])
def test_register_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    client = client_as(qa)
    grow_feedback(rows)
    # session, user, permissions (user + group), count for pagination, groups for the role
    # badge, the department filter's drop-down, the page of feedback (department, reporter,
    # answered_by and acknowledged_by joined; overdue annotated).
    with django_assert_num_queries(8):
        assert client.get(reverse("leadership:employee-feedback-list")).status_code == 200


@pytest.mark.parametrize("rows", [6, 60])
def test_my_feedback_query_count_does_not_grow(client_as, employee, rows, django_assert_num_queries):
    client = client_as(employee)
    for _ in range(rows):
        EmployeeFeedbackFactory(reporter=employee.person)
    # session, user, the person, count for pagination, permissions (user + group) for the
    # menu, groups for the role badge, the page of feedback.
    with django_assert_num_queries(8):
        assert client.get(reverse("leadership:employee-feedback-mine")).status_code == 200


def test_the_suggested_dashboard_panel_renders_real_figures():
    from django.template.loader import render_to_string

    from leadership.selectors.feedback import employee_feedback_figures

    with time_machine.travel(MONDAY):
        EmployeeFeedbackFactory()
    with time_machine.travel(MONDAY + datetime.timedelta(days=11)):
        figures = employee_feedback_figures()
        html = render_to_string("leadership/feedback/partials/_dashboard.html", {"data": figures})

    assert (figures["overdue"], figures["open"]) == (1, 1)
    assert "overdue (no answer in 10 days)" in html
