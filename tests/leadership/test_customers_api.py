"""API of customer focus (5.1.2): roles, lifecycle actions (403/409/400), registers, figures, query counts."""

import datetime

import pytest
from django.urls import reverse

from leadership.models.commitment import CommitmentEntry
from leadership.models.customers import CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from tests.leadership.factories import DepartmentFactory
from tests.leadership.factories_customers import (
    CustomerFeedbackFactory,
    CustomerRequirementFactory,
    OrderVolumeFactory,
    assessed,
    register,
    responded,
    urlpatterns_with_customers_api,
)

# Until the shared router includes this area, the tests add it themselves.
urlpatterns = urlpatterns_with_customers_api()
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

Status = CustomerFeedback.Status
LIST_ENDPOINTS = ["customer-feedback-list", "customer-requirement-list", "response-target-list", "order-volume-list"]


def _payload(department, **overrides):
    data = {
        "type": "complaint",
        "customer": "Meridian Medical Devices",
        "channel": "email",
        "received_date": datetime.date.today().isoformat(),
        "product": "titanium bone screw blank",
        "severity": "critical",
        "description": "Thread pitch diameter over the upper limit.",
        "department": department.pk,
    }
    data.update(overrides)
    return data


# Reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
@pytest.mark.parametrize("url_name", [*LIST_ENDPOINTS, "api-customer-figures"])
def test_management_staff_and_auditors_read_the_endpoints(request, api_as, persona, url_name):
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("persona", ["employee", "outsider"])
@pytest.mark.parametrize("url_name", [*LIST_ENDPOINTS, "api-customer-figures"])
def test_employees_and_people_without_a_role_get_403(request, api_as, persona, url_name):
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 403


def test_feedback_shows_its_overdue_flags_and_evidence_ids(api_as, qa):
    feedback = CustomerFeedbackFactory(
        received_date=datetime.date.today() - datetime.timedelta(days=20),
        response_due_on=datetime.date.today() - datetime.timedelta(days=10),
    )

    body = api_as(qa).get(reverse("customer-feedback-detail", args=[feedback.pk])).json()

    assert body["overdue_response"] is True
    assert body["overdue_close"] is False
    assert body["requirement_ids"] == ["5.1.2.c", "9.3.2.c.1"]
    assert body["customer"]["name"] == feedback.customer.name


def test_feedback_list_filters_by_overdue_and_type(api_as, qa):
    overdue = CustomerFeedbackFactory(response_due_on=datetime.date.today() - datetime.timedelta(days=1))
    CustomerFeedbackFactory()
    CustomerFeedbackFactory(survey=True)

    body = api_as(qa).get(reverse("customer-feedback-list"), {"overdue": "response", "type": "complaint"}).json()

    assert [row["id"] for row in body["results"]] == [overdue.pk]


def test_invalid_filter_value_is_a_400_naming_the_filter(api_as, qa):
    response = api_as(qa).get(reverse("customer-feedback-list"), {"severity": "apocalyptic"})

    assert response.status_code == 400
    assert "severity" in response.json()


# Registering and correcting ---------------------------------------------------------------------


def test_qa_registers_feedback_through_the_api(api_as, qa):
    response = api_as(qa).post(reverse("customer-feedback-list"), _payload(DepartmentFactory()))

    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("CF-")
    assert body["status"] == "new"
    assert body["response_due_on"] == (datetime.date.today() + datetime.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"severity": ""}, "severity"),
        ({"type": "survey-response", "severity": "", "satisfaction_score": 11}, "satisfaction_score"),
        ({"type": "compliment", "severity": "", "satisfaction_score": 7}, "satisfaction_score"),
        ({"received_date": "2026-13-01"}, "received_date"),
        ({"customer": ""}, "customer"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(api_as, qa, overrides, field):
    response = api_as(qa).post(reverse("customer-feedback-list"), _payload(DepartmentFactory(), **overrides))

    assert response.status_code == 400
    assert field in response.json()
    assert not CustomerFeedback.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "employee"])
def test_roles_without_add_permission_cannot_register_feedback(request, api_as, persona):
    client = api_as(request.getfixturevalue(persona))

    assert client.post(reverse("customer-feedback-list"), _payload(DepartmentFactory())).status_code == 403
    assert not CustomerFeedback.objects.exists()


def test_open_feedback_is_corrected_with_patch(api_as, qa):
    feedback = register(qa)

    response = api_as(qa).patch(reverse("customer-feedback-detail", args=[feedback.pk]), {"description": "Corrected."})

    assert response.status_code == 200
    assert response.json()["description"] == "Corrected."


def test_closed_feedback_cannot_be_changed_409(api_as, qa):
    feedback = assessed(qa, type="compliment", severity="")
    api_as(qa).post(reverse("customer-feedback-close", args=[feedback.pk]), {})

    response = api_as(qa).patch(reverse("customer-feedback-detail", args=[feedback.pk]), {"description": "x"})

    assert response.status_code == 409


def test_auditor_cannot_change_feedback(api_as, qa, auditor):
    feedback = register(qa)

    response = api_as(auditor).patch(reverse("customer-feedback-detail", args=[feedback.pk]), {"description": "x"})

    assert response.status_code == 403


def test_records_are_never_deleted_through_the_api(api_as, mgmt_rep):
    feedback = register(mgmt_rep)

    response = api_as(mgmt_rep).delete(reverse("customer-feedback-detail", args=[feedback.pk]))

    assert response.status_code == 405
    assert CustomerFeedback.objects.filter(pk=feedback.pk).exists()


# Lifecycle actions -------------------------------------------------------------------------------


def test_lifecycle_through_the_api(api_as, qa, ceo):
    feedback = register(qa)
    qa_client = api_as(qa)
    response = qa_client.post(
        reverse("customer-feedback-assess", args=[feedback.pk]), {"assessment_note": "Justified.", "root_cause": "Die"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "assessed")

    response = api_as(ceo).post(reverse("customer-feedback-respond", args=[feedback.pk]), {"response": "Funded."})
    assert (response.status_code, response.json()["status"]) == (200, "responded")
    assert response.json()["responded_by"] == ceo.pk
    assert CommitmentEntry.objects.filter(source=CommitmentEntry.Source.FEEDBACK_RESPONDED).count() == 1

    response = api_as(qa).post(
        reverse("customer-feedback-close", args=[feedback.pk]), {"effectiveness_check": "Cpk 1.67 over 30 days."}
    )
    assert (response.status_code, response.json()["status"]) == (200, "closed")


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee"])
def test_respond_is_403_without_the_respond_permission(request, api_as, mgmt_rep, persona):
    feedback = assessed(mgmt_rep)

    response = api_as(request.getfixturevalue(persona)).post(
        reverse("customer-feedback-respond", args=[feedback.pk]), {"response": "x"}
    )

    assert response.status_code == 403
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == Status.ASSESSED


@pytest.mark.parametrize("action", ["assess", "close"])
def test_assess_and_close_are_403_for_auditors(api_as, qa, auditor, action):
    feedback = register(qa)

    response = api_as(auditor).post(
        reverse(f"customer-feedback-{action}", args=[feedback.pk]), {"assessment_note": "x"}
    )

    assert response.status_code == 403


def test_respond_to_new_feedback_is_409(api_as, dept_manager):
    feedback = register(dept_manager)

    response = api_as(dept_manager).post(reverse("customer-feedback-respond", args=[feedback.pk]), {"response": "x"})

    assert response.status_code == 409
    assert "Assess" in response.json()["detail"]


def test_closing_a_complaint_without_a_response_is_409(api_as, qa):
    feedback = assessed(qa)

    response = api_as(qa).post(reverse("customer-feedback-close", args=[feedback.pk]), {"effectiveness_check": "x"})

    assert response.status_code == 409


def test_assessing_twice_is_409(api_as, qa):
    feedback = assessed(qa)

    response = api_as(qa).post(reverse("customer-feedback-assess", args=[feedback.pk]), {"assessment_note": "x"})

    assert response.status_code == 409


def test_close_after_response_without_effectiveness_check_is_400_naming_the_field(api_as, dept_manager):
    feedback = responded(dept_manager)

    response = api_as(dept_manager).post(reverse("customer-feedback-close", args=[feedback.pk]), {})

    assert response.status_code == 400
    assert "effectiveness_check" in response.json()


def test_assess_without_a_note_is_400_naming_the_field(api_as, qa):
    feedback = register(qa)

    response = api_as(qa).post(reverse("customer-feedback-assess", args=[feedback.pk]), {})

    assert response.status_code == 400
    assert "assessment_note" in response.json()


def test_respond_dated_in_the_future_is_400_naming_the_field(api_as, dept_manager):
    feedback = assessed(dept_manager)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    response = api_as(dept_manager).post(
        reverse("customer-feedback-respond", args=[feedback.pk]), {"response": "x", "responded_on": tomorrow}
    )

    assert response.status_code == 400
    assert "responded_on" in response.json()


# Requirements, targets, volumes ------------------------------------------------------------------


def test_customer_requirement_created_and_updated(api_as, qa):
    department = DepartmentFactory()
    client = api_as(qa)
    response = client.post(
        reverse("customer-requirement-list"),
        {
            "requirement": "Sealed double bags, 50 per bag",
            "customer": "Meridian Medical Devices",
            "category": "packaging",
            "department": department.pk,
            "process": "Packing",
            "verification": "Checked at dispatch",
            "source": "specification",
            "review_date": "2026-12-01",
        },
    )
    assert response.status_code == 201
    assert response.json()["customer"]["name"] == "Meridian Medical Devices"

    response = client.patch(reverse("customer-requirement-detail", args=[response.json()["id"]]), {"is_active": False})
    assert (response.status_code, response.json()["is_active"]) == (200, False)


def test_customer_requirement_with_unknown_category_is_400(api_as, qa):
    response = api_as(qa).post(
        reverse("customer-requirement-list"),
        {"requirement": "x", "category": "taste", "department": DepartmentFactory().pk, "process": "p"},
    )

    assert response.status_code == 400
    assert "category" in response.json()
    assert not CustomerRequirement.objects.exists()


def test_auditor_cannot_add_requirements(api_as, auditor):
    response = api_as(auditor).post(reverse("customer-requirement-list"), {})

    assert response.status_code == 403


def test_management_representative_sets_response_targets(api_as, mgmt_rep):
    client = api_as(mgmt_rep)
    response = client.post(
        reverse("response-target-list"), {"severity": "high", "days_to_response": 4, "days_to_close": 25}
    )
    assert response.status_code == 201

    response = client.patch(reverse("response-target-detail", args=[response.json()["id"]]), {"days_to_close": 28})
    assert (response.status_code, response.json()["days_to_close"]) == (200, 28)


def test_a_second_target_for_a_severity_is_400_naming_severity(api_as, mgmt_rep):
    client = api_as(mgmt_rep)
    client.post(reverse("response-target-list"), {"severity": "low", "days_to_response": 20, "days_to_close": 60})

    response = client.post(
        reverse("response-target-list"), {"severity": "low", "days_to_response": 5, "days_to_close": 10}
    )

    assert response.status_code == 400
    assert "severity" in response.json()


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor"])
def test_only_the_management_representative_may_write_targets(request, api_as, persona):
    client = api_as(request.getfixturevalue(persona))

    response = client.post(
        reverse("response-target-list"), {"severity": "low", "days_to_response": 1, "days_to_close": 2}
    )

    assert response.status_code == 403
    assert not ResponseTarget.objects.exists()


def test_order_volume_entered_for_any_day_of_the_month(api_as, qa):
    response = api_as(qa).post(reverse("order-volume-list"), {"month": "2026-01-17", "orders": 431})

    assert response.status_code == 201
    assert response.json()["month"] == "2026-01-01"


def test_duplicate_order_volume_is_400_naming_month(api_as, qa):
    OrderVolumeFactory(month=datetime.date(2026, 1, 1))

    response = api_as(qa).post(reverse("order-volume-list"), {"month": "2026-01-05", "orders": 1})

    assert response.status_code == 400
    assert "month" in response.json()
    assert OrderVolume.objects.count() == 1


def test_negative_orders_are_400(api_as, qa):
    response = api_as(qa).post(reverse("order-volume-list"), {"month": "2026-01-01", "orders": -5})

    assert response.status_code == 400
    assert "orders" in response.json()


# Figures ------------------------------------------------------------------------------------------


def test_figures_endpoint_returns_twelve_months_and_overall(api_as, auditor):
    body = api_as(auditor).get(reverse("api-customer-figures")).json()

    assert len(body["rows"]) == 12
    assert set(body["overall"]) >= {"average_score", "complaints_per_1000_orders", "compliance"}


def test_figures_endpoint_refuses_a_bad_number_of_months(api_as, auditor):
    response = api_as(auditor).get(reverse("api-customer-figures"), {"months": "ever"})

    assert response.status_code == 400
    assert "months" in response.json()


def test_figures_are_read_only(api_as, mgmt_rep):
    assert api_as(mgmt_rep).post(reverse("api-customer-figures"), {}).status_code == 405


# Query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # token, user's own and group permissions (2), count, page of rows with customer,
        # department, owner and the lifecycle users joined.
        ("customer-feedback-list", 5),
        # the same, with customer and department joined.
        ("customer-requirement-list", 5),
        # token, permissions (2), the rows (no pagination: one row per severity at most).
        ("response-target-list", 4),
        # token, permissions (2), count, page of rows.
        ("order-volume-list", 5),
        # token, permissions (2), the feedback aggregate by month, the order volumes.
        ("api-customer-figures", 5),
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_for_few_or_many_rows(
    api_as, auditor, django_assert_num_queries, url_name, queries
):
    client = api_as(auditor)
    month = 0
    for n in (3, 30):
        CustomerFeedbackFactory.create_batch(n)
        CustomerFeedbackFactory.create_batch(n, survey=True)
        CustomerRequirementFactory.create_batch(n)
        for _ in range(n):
            month += 1
            OrderVolumeFactory(month=datetime.date(1990 + month // 12, month % 12 + 1, 1))
        with django_assert_num_queries(queries):
            assert client.get(reverse(url_name)).status_code == 200
