"""Two managers on the same feedback at once: the second is refused with what changed, and keeps what they typed."""

import datetime

import pytest
from django.urls import reverse

from leadership.models.customers import CustomerFeedback
from leadership.models.feedback import EmployeeFeedback
from leadership.services import customers as customer_services
from leadership.services import feedback as feedback_services
from qms.concurrency import EditConflict
from tests.leadership.factories_customers import assessed, responded
from tests.leadership.factories_feedback import EmployeeFeedbackFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


# Customer feedback: management's response and closing ------------------------------------------


def test_a_response_on_a_version_someone_answered_meanwhile_is_refused(qa, ceo, mgmt_rep):
    feedback = assessed(qa)
    opened = feedback.version
    customer_services.customer_feedback_respond(
        actor=ceo, feedback=feedback, response="Second deburring station.", expected_version=opened
    )

    with pytest.raises(EditConflict) as caught:
        customer_services.customer_feedback_respond(
            actor=mgmt_rep, feedback=feedback, response="Return the lot.", expected_version=opened
        )

    changes = {c["field"]: c for c in caught.value.changes}
    assert changes["response"]["now"] == "Second deburring station."
    assert changes["status"] == {
        "field": "status",
        "label": "Status",
        "was": "Assessed",
        "now": "Management response given",
    }
    assert CustomerFeedback.objects.get(pk=feedback.pk).response == "Second deburring station."


def test_the_detail_page_forms_carry_the_version_shown(client_as, qa, ceo):
    feedback = assessed(qa)
    page = client_as(ceo).get(feedback.get_absolute_url())
    assert page.context["respond_form"]["version"].value() == feedback.version


def test_the_second_response_comes_back_with_its_text_beside_the_first(client, qa, ceo, mgmt_rep):
    feedback = assessed(qa)
    url = reverse("leadership:customer-feedback-respond", args=[feedback.pk])
    opened = str(feedback.version)
    client.force_login(ceo)
    client.post(url, {"response": "Second deburring station.", "responded_on": TODAY, "version": opened})

    client.force_login(mgmt_rep)
    response = client.post(url, {"response": "Return the whole lot.", "responded_on": TODAY, "version": opened})

    assert response.status_code == 409
    form = response.context["respond_form"]
    assert form["response"].value() == "Return the whole lot."
    assert "changed by" in " ".join(form.non_field_errors())
    rows = {row["field"]: row for row in response.context["edit_conflict"]}
    assert rows["response"]["now"] == "Second deburring station."
    assert rows["response"]["yours"] == "Return the whole lot."
    text = response.content.decode()
    assert "Second deburring station." in text
    assert "Return the whole lot." in text
    saved = CustomerFeedback.objects.get(pk=feedback.pk)
    assert saved.response == "Second deburring station."
    assert saved.responded_by == ceo


def test_closing_on_a_stale_version_is_refused_and_keeps_the_check_typed(client, ceo, mgmt_rep):
    feedback = responded(ceo)
    url = reverse("leadership:customer-feedback-close", args=[feedback.pk])
    opened = feedback.version
    # Someone corrects the product while the closing is being written.
    customer_services.customer_feedback_update(actor=ceo, feedback=feedback, product="valve body, rev B")

    client.force_login(mgmt_rep)
    response = client.post(url, {"effectiveness_check": "Ten lots clean.", "closed_on": TODAY, "version": opened})

    assert response.status_code == 409
    assert response.context["close_form"]["effectiveness_check"].value() == "Ten lots clean."
    assert [row["field"] for row in response.context["edit_conflict"]] == ["product"]
    assert CustomerFeedback.objects.get(pk=feedback.pk).status == CustomerFeedback.Status.RESPONDED


def test_the_edit_form_refuses_a_stale_version_and_keeps_the_input(client, qa, ceo):
    feedback = assessed(qa)
    url = reverse("leadership:customer-feedback-update", args=[feedback.pk])
    client.force_login(qa)
    data = {**client.get(url).context["form"].initial, "customer": "Aerotec Systems"}
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in data.items()}
    customer_services.customer_feedback_update(actor=ceo, feedback=feedback, description="Burrs on 20 bodies.")

    response = client.post(url, {**data, "product": "valve body, rev C"})

    assert response.status_code == 409
    assert response.context["form"]["product"].value() == "valve body, rev C"
    assert [row["field"] for row in response.context["edit_conflict"]] == ["description"]
    assert CustomerFeedback.objects.get(pk=feedback.pk).product == "hydraulic valve body"


def test_the_api_answers_412_to_a_response_on_a_stale_etag(api_as, qa, ceo, mgmt_rep):
    feedback = assessed(qa)
    detail = api_as(mgmt_rep).get(reverse("customer-feedback-detail", args=[feedback.pk]))
    etag = detail["ETag"]
    assert etag == f'W/"{feedback.version}"'
    respond = reverse("customer-feedback-respond", args=[feedback.pk])
    first = api_as(ceo).post(respond, {"response": "Second deburring station."}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'W/"{feedback.version + 1}"'

    response = api_as(mgmt_rep).post(respond, {"response": "Return the lot."}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert "response" in [c["field"] for c in response.json()["changes"]]
    assert CustomerFeedback.objects.get(pk=feedback.pk).response == "Second deburring station."


def test_the_api_answers_412_to_a_patch_on_a_stale_etag_and_accepts_one_without(api_as, qa, ceo):
    feedback = assessed(qa)
    url = reverse("customer-feedback-detail", args=[feedback.pk])
    etag = api_as(qa).get(url)["ETag"]
    api_as(ceo).patch(url, {"product": "valve body, rev B"})

    assert api_as(qa).patch(url, {"description": "Burrs."}, HTTP_IF_MATCH=etag).status_code == 412
    assert api_as(qa).patch(url, {"description": "Burrs."}).status_code == 200
    assert CustomerFeedback.objects.get(pk=feedback.pk).description == "Burrs."


# Employee feedback: the answer --------------------------------------------------------------------


def test_an_answer_on_a_version_someone_answered_meanwhile_is_refused(dept_manager, mgmt_rep):
    feedback = EmployeeFeedbackFactory()
    opened = feedback.version
    feedback_services.employee_feedback_answer(
        actor=mgmt_rep, feedback=feedback, answer="Work instruction revised.", expected_version=opened
    )

    with pytest.raises(EditConflict) as caught:
        feedback_services.employee_feedback_answer(
            actor=dept_manager, feedback=feedback, answer="We will look at it.", expected_version=opened
        )

    assert {c["field"] for c in caught.value.changes} >= {"answer", "status", "answered_by"}
    assert EmployeeFeedback.objects.get(pk=feedback.pk).answer == "Work instruction revised."


def test_the_second_answer_comes_back_with_its_text_beside_the_first(client, dept_manager, mgmt_rep):
    feedback = EmployeeFeedbackFactory()
    url = reverse("leadership:employee-feedback-answer", args=[feedback.pk])
    client.force_login(dept_manager)
    assert client.get(feedback.get_absolute_url()).context["answer_form"]["version"].value() == feedback.version
    client.force_login(mgmt_rep)
    client.post(url, {"answer": "Work instruction revised.", "version": feedback.version})

    client.force_login(dept_manager)
    response = client.post(url, {"answer": "We will look at it.", "version": feedback.version})

    assert response.status_code == 409
    assert response.context["answer_form"]["answer"].value() == "We will look at it."
    text = response.content.decode()
    assert "We will look at it." in text
    assert "Work instruction revised." in text
    assert EmployeeFeedback.objects.get(pk=feedback.pk).answer == "Work instruction revised."


def test_the_api_answers_412_to_an_answer_on_a_stale_etag(api_as, dept_manager, mgmt_rep):
    feedback = EmployeeFeedbackFactory()
    etag = api_as(dept_manager).get(reverse("employeefeedback-detail", args=[feedback.pk]))["ETag"]
    answer = reverse("employeefeedback-answer", args=[feedback.pk])
    assert api_as(mgmt_rep).post(answer, {"answer": "Revised."}, HTTP_IF_MATCH=etag).status_code == 200

    response = api_as(dept_manager).post(answer, {"answer": "Looking at it."}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert {c["field"] for c in response.json()["changes"]} >= {"answer", "status"}
    # The anonymity of reporters holds in a conflict too: the reporter is never named.
    assert "reporter" not in {c["field"] for c in response.json()["changes"]}
