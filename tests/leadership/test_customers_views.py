"""Pages of customer focus (5.1.2): who sees what, the lifecycle forms, overdue flags, query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from leadership.models.customers import CustomerFeedback, OrderVolume, ResponseTarget
from leadership.services import customers as services
from tests.leadership.factories import DepartmentFactory
from tests.leadership.factories_customers import (
    CustomerFeedbackFactory,
    CustomerRequirementFactory,
    OrderVolumeFactory,
    assessed,
    register,
    responded,
)

pytestmark = pytest.mark.django_db

Status = CustomerFeedback.Status

READ_PAGES = [
    "leadership:customer-feedback-list",
    "leadership:customer-requirement-list",
    "leadership:response-target-list",
    "leadership:order-volume-list",
    "leadership:customer-figures",
]
WRITE_PAGES = [
    "leadership:customer-feedback-create",
    "leadership:customer-feedback-import",
    "leadership:customer-feedback-import-template",
    "leadership:customer-requirement-create",
    "leadership:order-volume-create",
]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
@pytest.mark.parametrize("url_name", READ_PAGES)
def test_management_staff_and_auditors_read_the_customer_pages(request, client_as, persona, url_name):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
@pytest.mark.parametrize("url_name", READ_PAGES)
def test_employees_and_people_without_a_role_do_not_see_customer_pages(request, client_as, persona, url_name):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa"])
@pytest.mark.parametrize("url_name", WRITE_PAGES)
def test_registers_are_kept_by_management_and_qa_staff(request, client_as, persona, url_name):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("persona", ["auditor", "employee"])
@pytest.mark.parametrize("url_name", WRITE_PAGES)
def test_auditors_and_employees_cannot_open_the_write_pages(request, client_as, persona, url_name):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("leadership:customer-feedback-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_detail_shows_the_history_to_auditors_only(client_as, qa, auditor):
    feedback = register(qa)
    url = feedback.get_absolute_url()

    assert "Change history" in client_as(auditor).get(url).content.decode()
    assert "Change history" not in client_as(qa).get(url).content.decode()


# Registering and correcting ---------------------------------------------------------------------


def _form(department, **overrides):
    data = {
        "type": "complaint",
        "customer": "Halden Automotive",
        "channel": "phone",
        "received_date": datetime.date.today().isoformat(),
        "product": "gear shaft",
        "severity": "medium",
        "satisfaction_score": "",
        "description": "Certificate of conformity missing.",
        "department": department.pk,
        "owner": "",
    }
    data.update(overrides)
    return data


def test_qa_registers_a_complaint_from_the_form(client_as, qa):
    department = DepartmentFactory()

    response = client_as(qa).post(reverse("leadership:customer-feedback-create"), _form(department))

    feedback = CustomerFeedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == feedback.get_absolute_url()
    assert feedback.customer.name == "Halden Automotive"
    assert feedback.reference.startswith("CF-")


def test_form_names_the_field_when_a_rule_refuses_and_saves_nothing(client_as, qa):
    response = client_as(qa).post(
        reverse("leadership:customer-feedback-create"), _form(DepartmentFactory(), severity="")
    )

    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    assert not CustomerFeedback.objects.exists()


def test_survey_score_out_of_range_is_shown_on_its_field(client_as, qa):
    response = client_as(qa).post(
        reverse("leadership:customer-feedback-create"),
        _form(DepartmentFactory(), type="survey-response", severity="", satisfaction_score="11"),
    )

    assert "satisfaction_score" in response.context["form"].errors
    assert not CustomerFeedback.objects.exists()


def test_auditor_cannot_post_new_feedback(client_as, auditor):
    response = client_as(auditor).post(reverse("leadership:customer-feedback-create"), _form(DepartmentFactory()))

    assert response.status_code == 403
    assert not CustomerFeedback.objects.exists()


def test_edit_form_corrects_open_feedback(client_as, qa):
    feedback = register(qa, department=DepartmentFactory())

    response = client_as(qa).post(
        reverse("leadership:customer-feedback-update", args=[feedback.pk]),
        _form(feedback.department, customer=feedback.customer.name, description="Corrected text."),
    )

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.description == "Corrected text."


def test_closed_feedback_cannot_be_edited_from_the_page(client_as, qa):
    feedback = assessed(qa, type="compliment", severity="")
    services.customer_feedback_close(actor=qa, feedback=feedback)

    response = client_as(qa).get(reverse("leadership:customer-feedback-update", args=[feedback.pk]), follow=True)

    assert response.redirect_chain[-1][0] == feedback.get_absolute_url()
    assert any("closed" in m for m in _messages(response))


# The lifecycle on the pages ---------------------------------------------------------------------


def test_lifecycle_on_the_pages(client_as, qa, dept_manager):
    feedback = register(qa)
    qa_client = client_as(qa)

    response = qa_client.post(
        reverse("leadership:customer-feedback-assess", args=[feedback.pk]),
        {"assessment_note": "Justified.", "root_cause": "", "assessed_on": datetime.date.today().isoformat()},
        follow=True,
    )
    assert f"{feedback.reference} assessed." in _messages(response)

    manager_client = client_as(dept_manager)
    response = manager_client.post(
        reverse("leadership:customer-feedback-respond", args=[feedback.pk]),
        {"response": "Second deburring station.", "responded_on": datetime.date.today().isoformat()},
        follow=True,
    )
    assert f"Management's response to {feedback.reference} recorded." in _messages(response)

    response = manager_client.post(
        reverse("leadership:customer-feedback-close", args=[feedback.pk]),
        {"effectiveness_check": "Ten lots clean.", "closed_on": datetime.date.today().isoformat()},
        follow=True,
    )
    assert f"{feedback.reference} closed." in _messages(response)
    feedback.refresh_from_db()
    assert feedback.status == Status.CLOSED


def test_detail_offers_only_the_next_step_the_user_may_take(client_as, qa, dept_manager):
    feedback = assessed(qa)
    url = feedback.get_absolute_url()

    manager_page = client_as(dept_manager).get(url)
    qa_page = client_as(qa).get(url)

    assert "respond_form" in manager_page.context
    assert "respond_form" not in qa_page.context
    assert "Waiting for management's response" in qa_page.content.decode()
    assert "assess_form" not in qa_page.context


def test_qa_staff_cannot_record_managements_response(client_as, qa):
    feedback = assessed(qa)

    response = client_as(qa).post(
        reverse("leadership:customer-feedback-respond", args=[feedback.pk]), {"response": "We decided."}
    )

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == Status.ASSESSED


@pytest.mark.parametrize("url_name", ["assess", "close"])
def test_auditor_cannot_take_lifecycle_steps(client_as, qa, auditor, url_name):
    feedback = register(qa)

    response = client_as(auditor).post(
        reverse(f"leadership:customer-feedback-{url_name}", args=[feedback.pk]),
        {"assessment_note": "x", "effectiveness_check": "y"},
    )

    assert response.status_code == 403
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.NEW


def test_lifecycle_step_in_the_wrong_state_shows_an_error_message(client_as, dept_manager):
    feedback = register(dept_manager)

    response = client_as(dept_manager).post(
        reverse("leadership:customer-feedback-respond", args=[feedback.pk]),
        {"response": "Too early.", "responded_on": datetime.date.today().isoformat()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == feedback.get_absolute_url()
    assert f"Assess {feedback.reference} before recording management's response." in _messages(response)


def test_closing_a_complaint_without_response_is_refused_with_a_message(client_as, qa):
    feedback = assessed(qa)

    response = client_as(qa).post(
        reverse("leadership:customer-feedback-close", args=[feedback.pk]),
        {"effectiveness_check": "x", "closed_on": datetime.date.today().isoformat()},
        follow=True,
    )

    assert any("needs management's response" in m for m in _messages(response))
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.ASSESSED


def test_bad_lifecycle_input_is_shown_on_the_form(client_as, dept_manager):
    feedback = responded(dept_manager)

    response = client_as(dept_manager).post(
        reverse("leadership:customer-feedback-close", args=[feedback.pk]),
        {"effectiveness_check": "", "closed_on": datetime.date.today().isoformat()},
    )

    assert response.status_code == 200
    assert "effectiveness_check" in response.context["close_form"].errors
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.RESPONDED


def test_lifecycle_steps_answer_only_post(client_as, qa):
    feedback = register(qa)

    assert client_as(qa).get(reverse("leadership:customer-feedback-assess", args=[feedback.pk])).status_code == 405


# The list: filters, counts, overdue flags -------------------------------------------------------


def test_list_flags_feedback_overdue_for_response(client_as, qa):
    with time_machine.travel(datetime.date(2026, 3, 1), tick=False):
        overdue = register(qa, severity="high", received_date=datetime.date(2026, 3, 1))
        on_time = register(qa, severity="low", received_date=datetime.date(2026, 3, 1))

    with time_machine.travel(datetime.date(2026, 3, 10), tick=False):
        response = client_as(qa).get(reverse("leadership:customer-feedback-list"), {"overdue": "response"})
        page = client_as(qa).get(overdue.get_absolute_url()).content.decode()

    shown = list(response.context["object_list"])
    assert shown == [overdue]
    assert on_time not in shown
    assert "response overdue" in response.content.decode()
    assert "4 days overdue" in page


def test_list_counts_feedback_per_status_under_the_other_filters(client_as, qa):
    register(qa)
    assessed(qa)
    assessed(qa, type="compliment", severity="")

    response = client_as(qa).get(reverse("leadership:customer-feedback-list"), {"type": "complaint", "status": "new"})

    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts == {"new": 1, "assessed": 1, "responded": 0, "closed": 0}
    assert len(response.context["object_list"]) == 1


def test_list_filters_by_received_date_range(client_as, qa):
    inside = CustomerFeedbackFactory(received_date=datetime.date(2026, 2, 10))
    CustomerFeedbackFactory(received_date=datetime.date(2026, 1, 10))

    response = client_as(qa).get(
        reverse("leadership:customer-feedback-list"), {"received_from": "2026-02-01", "received_to": "2026-02-28"}
    )

    assert list(response.context["object_list"]) == [inside]


def test_htmx_request_gets_only_the_table(client_as, qa):
    register(qa)

    response = client_as(qa).get(reverse("leadership:customer-feedback-list"), HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert "CF-" in response.content.decode()


# Query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 60])
def test_feedback_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    CustomerFeedbackFactory.create_batch(rows)
    CustomerFeedbackFactory.create_batch(rows, survey=True)
    client = client_as(qa)
    # session, user, the user's permissions and group permissions (2), pagination count, the page
    # of rows with customer, department and owner joined, counts per status, the roles of the
    # user menu, the department and customer drop-downs of the filter.
    with django_assert_num_queries(10):
        assert client.get(reverse("leadership:customer-feedback-list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 60])
def test_requirement_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    CustomerRequirementFactory.create_batch(rows)
    client = client_as(qa)
    # session, user, permissions (2), count, page of rows with customer and department joined,
    # roles of the user menu, customer and department drop-downs.
    with django_assert_num_queries(9):
        assert client.get(reverse("leadership:customer-requirement-list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 60])
def test_order_volume_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    for i in range(rows):
        OrderVolumeFactory(month=datetime.date(2000 + i // 12, i % 12 + 1, 1))
    client = client_as(qa)
    # session, user, permissions (2), count, page of rows, roles of the user menu.
    with django_assert_num_queries(7):
        assert client.get(reverse("leadership:order-volume-list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_figures_page_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    CustomerFeedbackFactory.create_batch(rows)
    CustomerFeedbackFactory.create_batch(rows, survey=True)
    OrderVolumeFactory(month=datetime.date.today().replace(day=1))
    client = client_as(qa)
    # session, user, permissions (2), the feedback aggregate by month, the order volumes, the
    # response targets for the explanation, roles of the user menu.
    with django_assert_num_queries(8):
        assert client.get(reverse("leadership:customer-figures")).status_code == 200


# Response targets and order volumes ------------------------------------------------------------


def test_management_representative_sets_a_response_target(client_as, mgmt_rep):
    client = client_as(mgmt_rep)
    url = reverse("leadership:response-target-update", args=["high"])
    assert client.get(url).context["form"].initial == {"days_to_response": 5, "days_to_close": 30}

    response = client.post(url, {"days_to_response": 3, "days_to_close": 21})

    assert response.status_code == 302
    target = ResponseTarget.objects.get(severity="high")
    assert (target.days_to_response, target.days_to_close) == (3, 21)


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor"])
def test_only_the_management_representative_changes_response_targets(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    response = client.post(
        reverse("leadership:response-target-update", args=["high"]), {"days_to_response": 1, "days_to_close": 2}
    )

    assert response.status_code == 403
    assert not ResponseTarget.objects.exists()


def test_response_target_form_names_the_field_in_error(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(
        reverse("leadership:response-target-update", args=["low"]), {"days_to_response": 20, "days_to_close": 5}
    )

    assert "days_to_close" in response.context["form"].errors
    assert not ResponseTarget.objects.exists()


def test_response_targets_page_shows_defaults_until_configured(client_as, qa):
    response = client_as(qa).get(reverse("leadership:response-target-list"))

    rows = {row["severity"]: row for row in response.context["targets"]}
    assert (rows["critical"]["days_to_response"], rows["critical"]["days_to_close"]) == (2, 14)
    assert all(row["is_default"] for row in rows.values())
    assert not response.context["can_edit"]


def test_unknown_severity_is_404(client_as, mgmt_rep):
    assert client_as(mgmt_rep).get(reverse("leadership:response-target-update", args=["urgent"])).status_code == 404


def test_qa_enters_the_order_volume_of_a_month(client_as, qa):
    response = client_as(qa).post(reverse("leadership:order-volume-create"), {"month": "2026-01", "orders": "431"})

    assert response.status_code == 302
    assert OrderVolume.objects.get().month == datetime.date(2026, 1, 1)


def test_a_second_order_volume_for_a_month_is_refused_on_the_month_field(client_as, qa):
    OrderVolumeFactory(month=datetime.date(2026, 1, 1))

    response = client_as(qa).post(reverse("leadership:order-volume-create"), {"month": "2026-01", "orders": "12"})

    assert "month" in response.context["form"].errors
    assert OrderVolume.objects.get().orders == 400


def test_auditor_cannot_enter_order_volumes(client_as, auditor):
    response = client_as(auditor).post(reverse("leadership:order-volume-create"), {"month": "2026-01", "orders": "1"})

    assert response.status_code == 403


def test_customer_requirement_created_from_the_form(client_as, qa):
    department = DepartmentFactory()

    response = client_as(qa).post(
        reverse("leadership:customer-requirement-create"),
        {
            "requirement": "Certificate of conformity with every delivery",
            "customer": "Halden Automotive",
            "category": "documentation",
            "department": department.pk,
            "process": "Dispatch release",
            "verification": "Dispatch checklist",
            "source": "contract",
            "source_reference": "HAL-SA-17",
            "review_date": "2026-09-01",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    page = client_as(qa).get(response["Location"])
    assert "Halden Automotive" in page.content.decode()
