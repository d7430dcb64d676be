"""The quality policy API: 403 for the wrong role, 409 for the wrong state, 400 naming the field."""

import pytest
from django.urls import reverse

from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.roles import Role
from leadership.services import policy as services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_policy import (
    PolicyAcknowledgementFactory,
    PolicyShareLinkFactory,
    PolicyVersionFactory,
    approved_version,
    draft_fields,
    published_version,
)

pytestmark = pytest.mark.django_db

Status = PolicyVersion.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted(mgmt_rep) -> PolicyVersion:
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    return services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)


# Reading --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["policyversion-list", "policyacknowledgement-list", "policysharelink-list"])
def test_anonymous_requests_get_no_data(api_client, name):
    response = api_client.get(reverse(name))

    assert response.status_code in (401, 403)


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"])
def test_readers_list_and_retrieve_versions(request, api_as, persona):
    version = PolicyVersionFactory(published=True)
    client = api_as(request.getfixturevalue(persona))

    body = client.get(reverse("policyversion-list")).json()
    detail = client.get(reverse("policyversion-detail", args=[version.pk])).json()

    assert body["count"] == 1
    assert detail["number"] == version.number
    assert detail["approval_signature"]["meaning"] == "approved"
    assert detail["confirms_requirements_commitment"] is True


def test_employee_cannot_list_versions(api_as, employee):
    assert api_as(employee).get(reverse("policyversion-list")).status_code == 403


def test_versions_filter_by_status(api_as, auditor):
    PolicyVersionFactory(superseded=True)
    published = PolicyVersionFactory(published=True)

    body = api_as(auditor).get(reverse("policyversion-list"), {"status": "published"}).json()

    assert [row["id"] for row in body["results"]] == [published.pk]


# Drafts ----------------------------------------------------------------------------------------------


def test_management_representative_creates_a_draft(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(reverse("policyversion-list"), draft_fields(), format="json")

    assert response.status_code == 201
    assert response.json()["number"] == 1
    assert response.json()["status"] == "draft"
    assert PolicyVersion.objects.get().author == mgmt_rep


def test_a_draft_without_text_is_a_400_naming_the_field(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(reverse("policyversion-list"), draft_fields(text=""), format="json")

    assert response.status_code == 400
    assert "text" in response.json()
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("persona", ["ceo", "qa", "auditor"])
def test_others_cannot_create_a_draft(request, api_as, persona):
    response = api_as(request.getfixturevalue(persona)).post(reverse("policyversion-list"), draft_fields())

    assert response.status_code == 403
    assert not PolicyVersion.objects.exists()


def test_a_draft_is_updated(api_as, mgmt_rep):
    version = PolicyVersionFactory()

    response = api_as(mgmt_rep).patch(reverse("policyversion-detail", args=[version.pk]), {"title": "Our policy"})

    assert response.status_code == 200
    assert response.json()["title"] == "Our policy"


@pytest.mark.parametrize("state", ["submitted", "approved", "published", "superseded"])
def test_updating_anything_but_a_draft_is_a_409(api_as, mgmt_rep, state):
    version = PolicyVersionFactory(**{state: True})

    response = api_as(mgmt_rep).patch(reverse("policyversion-detail", args=[version.pk]), {"text": "Changed"})

    assert response.status_code == 409
    assert "cannot be changed" in response.json()["detail"] or "can no longer be changed" in response.json()["detail"]
    version.refresh_from_db()
    assert version.text != "Changed"


def test_auditor_cannot_update(api_as, auditor):
    version = PolicyVersionFactory()

    assert api_as(auditor).patch(reverse("policyversion-detail", args=[version.pk]), {"title": "x"}).status_code == 403


def test_versions_are_never_deleted(api_as, mgmt_rep):
    version = PolicyVersionFactory()

    assert api_as(mgmt_rep).delete(reverse("policyversion-detail", args=[version.pk])).status_code == 405


# Lifecycle actions ------------------------------------------------------------------------------------


def test_submit_names_the_missing_confirmations(api_as, mgmt_rep):
    version = PolicyVersionFactory(confirms_purpose_and_strategy=False, confirms_requirements_commitment=False)

    response = api_as(mgmt_rep).post(reverse("policyversion-submit", args=[version.pk]), {"password": PASSWORD})

    assert response.status_code == 400
    assert set(response.json()) == {"confirms_purpose_and_strategy", "confirms_requirements_commitment"}
    assert "5.2.1.a" in response.json()["confirms_purpose_and_strategy"][0]


def test_submit_signs_as_author(api_as, mgmt_rep):
    version = PolicyVersionFactory()
    client = api_as(mgmt_rep)

    assert client.post(reverse("policyversion-submit", args=[version.pk]), {}).json() == {
        "password": ["This field is required."]
    }
    assert "password" in client.post(reverse("policyversion-submit", args=[version.pk]), {"password": "x"}).json()
    response = client.post(reverse("policyversion-submit", args=[version.pk]), {"password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["author_signature"]["meaning"] == "authored"
    assert client.post(reverse("policyversion-submit", args=[version.pk]), {"password": PASSWORD}).status_code == 409


def test_employee_cannot_submit(api_as, employee):
    version = PolicyVersionFactory()

    assert (
        api_as(employee).post(reverse("policyversion-submit", args=[version.pk]), {"password": PASSWORD}).status_code
        == 403
    )


def test_top_management_approves_with_password(api_as, ceo, mgmt_rep):
    version = submitted(mgmt_rep)
    client = api_as(ceo)

    wrong = client.post(reverse("policyversion-approve", args=[version.pk]), {"password": "nope"})
    right = client.post(reverse("policyversion-approve", args=[version.pk]), {"password": PASSWORD})
    again = client.post(reverse("policyversion-approve", args=[version.pk]), {"password": PASSWORD})

    assert wrong.status_code == 400
    assert wrong.json()["password"] == ["The password is not correct. Nothing was signed."]
    assert right.status_code == 200
    assert right.json()["approval_signature"]["signer_name"] == ceo.get_full_name()
    assert again.status_code == 409


def test_management_representative_cannot_approve(api_as, mgmt_rep):
    version = submitted(mgmt_rep)

    response = api_as(mgmt_rep).post(reverse("policyversion-approve", args=[version.pk]), {"password": PASSWORD})

    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_reject_needs_a_reason_and_top_management(api_as, ceo, mgmt_rep):
    version = submitted(mgmt_rep)

    assert api_as(mgmt_rep).post(reverse("policyversion-reject", args=[version.pk]), {"reason": "x"}).status_code == 403
    client = api_as(ceo)
    assert "reason" in client.post(reverse("policyversion-reject", args=[version.pk]), {"reason": ""}).json()
    response = client.post(reverse("policyversion-reject", args=[version.pk]), {"reason": "Name the strategy."})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("draft", "Name the strategy.")
    assert client.post(reverse("policyversion-reject", args=[version.pk]), {"reason": "again"}).status_code == 409


def test_publish_supersedes_and_preview_says_what_it_resets(api_as, ceo, mgmt_rep, employee):
    current = published_version(author=mgmt_rep, approver=ceo)
    services.policy_acknowledgement_record(actor=employee, version=current)
    nxt = approved_version(author=mgmt_rep, approver=ceo)
    client = api_as(mgmt_rep)

    preview = client.get(reverse("policyversion-publish-preview", args=[nxt.pk])).json()
    response = client.post(reverse("policyversion-publish", args=[nxt.pk]))

    assert preview == {"current_version": 1, "acknowledgements_reset": 1, "share_links_stopped": 0}
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    current.refresh_from_db()
    assert current.status == Status.SUPERSEDED
    assert client.post(reverse("policyversion-publish", args=[nxt.pk])).status_code == 409


def test_qa_cannot_publish(api_as, qa):
    version = PolicyVersionFactory(approved=True)

    assert api_as(qa).post(reverse("policyversion-publish", args=[version.pk])).status_code == 403


def test_new_version_copies_into_a_draft(api_as, ceo, mgmt_rep, auditor):
    source = published_version(author=mgmt_rep, approver=ceo)

    assert api_as(auditor).post(reverse("policyversion-new-version", args=[source.pk])).status_code == 403
    client = api_as(mgmt_rep)
    response = client.post(reverse("policyversion-new-version", args=[source.pk]))
    again = client.post(reverse("policyversion-new-version", args=[source.pk]))

    assert response.status_code == 201
    assert (response.json()["number"], response.json()["based_on"]) == (2, source.pk)
    assert response.json()["confirms_purpose_and_strategy"] is False
    assert again.status_code == 409
    assert again.json()["version"] == response.json()["id"]


# Acknowledgements and coverage -----------------------------------------------------------------------------


def test_employee_acknowledges_the_published_version_once(api_as, ceo, mgmt_rep, employee):
    version = published_version(author=mgmt_rep, approver=ceo)
    client = api_as(employee)

    first = client.post(reverse("policyacknowledgement-acknowledge"), {"version": version.pk})
    second = client.post(reverse("policyacknowledgement-acknowledge"), {})

    assert first.status_code == 201
    assert (first.json()["person"], first.json()["version_number"]) == (employee.person.pk, 1)
    assert second.status_code == 409
    assert "recorded once" in second.json()["detail"]
    assert PolicyAcknowledgement.objects.count() == 1


def test_acknowledging_an_outdated_version_is_a_409(api_as, ceo, mgmt_rep, employee):
    first = published_version(author=mgmt_rep, approver=ceo)
    second = published_version(author=mgmt_rep, approver=ceo)

    response = api_as(employee).post(reverse("policyacknowledgement-acknowledge"), {"version": first.pk})

    assert response.status_code == 409
    assert response.json()["published_version"] == second.pk


def test_acknowledging_with_a_bad_version_id_is_a_400(api_as, employee):
    response = api_as(employee).post(reverse("policyacknowledgement-acknowledge"), {"version": 999})

    assert response.status_code == 400
    assert "version" in response.json()


def test_employee_lists_only_their_own_acknowledgements(api_as, auditor, employee):
    mine = PolicyAcknowledgementFactory(person=employee.person)
    PolicyAcknowledgementFactory(version=mine.version)

    own = api_as(employee).get(reverse("policyacknowledgement-list")).json()
    everyone = api_as(auditor).get(reverse("policyacknowledgement-list")).json()

    assert [row["id"] for row in own["results"]] == [mine.pk]
    assert everyone["count"] == 2


def test_coverage_endpoint_gives_hand_checked_figures(api_as, qa, employee):
    """In scope: qa, employee and two more staff; acknowledged: qa and one other: 2 of 4, 50%."""
    version = PolicyVersionFactory(published=True)
    others = PersonFactory.create_batch(2, roles=[Role.EMPLOYEE])
    PolicyAcknowledgementFactory(version=version, person=qa.person)
    PolicyAcknowledgementFactory(version=version, person=others[0])

    by_list = api_as(qa).get(reverse("policyacknowledgement-coverage")).json()
    by_version = api_as(qa).get(reverse("policyversion-coverage", args=[version.pk])).json()

    assert by_list == by_version
    assert (by_list["acknowledged"], by_list["total"], by_list["percent"]) == (2, 4, 50)
    assert {p["id"] for p in by_list["not_acknowledged"]} == {employee.person.pk, others[1].pk}
    assert sum(d["total"] for d in by_list["departments"]) == 4


def test_coverage_needs_the_view_permission_and_a_published_version(api_as, qa, employee):
    assert api_as(employee).get(reverse("policyacknowledgement-coverage")).status_code == 403
    assert api_as(qa).get(reverse("policyacknowledgement-coverage")).status_code == 404
    assert api_as(qa).get(reverse("policyacknowledgement-coverage"), {"version": "x"}).status_code == 400


def test_pdf_is_served_to_staff_for_the_published_version_only(api_as, ceo, mgmt_rep, employee):
    old = published_version(author=mgmt_rep, approver=ceo)
    services.policy_version_render_pdf(version_id=old.pk)
    current = published_version(author=mgmt_rep, approver=ceo)

    client = api_as(employee)
    assert client.get(reverse("policyversion-pdf", args=[current.pk])).status_code == 404
    services.policy_version_render_pdf(version_id=current.pk)
    response = client.get(reverse("policyversion-pdf", args=[current.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("policyversion-pdf", args=[old.pk])).status_code == 403


# Share links -------------------------------------------------------------------------------------------


def test_share_link_is_created_and_revoked(api_as, ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)
    client = api_as(mgmt_rep)

    created = client.post(reverse("policysharelink-list"), {"label": "Company website"})
    link = PolicyShareLink.objects.get()
    revoked = client.post(reverse("policysharelink-revoke", args=[link.pk]))
    again = client.post(reverse("policysharelink-revoke", args=[link.pk]))

    assert created.status_code == 201
    assert created.json()["url"].endswith(reverse("leadership:policy-public", args=[link.token]))
    assert (revoked.status_code, revoked.json()["is_active"]) == (200, False)
    assert again.status_code == 409


def test_share_link_needs_a_label_and_the_share_permission(api_as, ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)

    assert api_as(ceo).post(reverse("policysharelink-list"), {"label": "Web"}).status_code == 403
    response = api_as(mgmt_rep).post(reverse("policysharelink-list"), {"label": ""})
    assert response.status_code == 400
    assert "label" in response.json()
    assert not PolicyShareLink.objects.exists()


def test_auditor_lists_links_without_their_address(api_as, auditor):
    PolicyShareLinkFactory()

    body = api_as(auditor).get(reverse("policysharelink-list")).json()

    assert body["results"][0]["url"] is None


# Query counts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # token, user's own and group permissions (2), count, page of versions with author,
        # signatures and annotated acknowledgement counts.
        ("policyversion-list", 5),
        # token, permissions (2), count, page of acknowledgements with person, user,
        # department and version.
        ("policyacknowledgement-list", 5),
        # token, permissions (2), count, page of links with version and users.
        ("policysharelink-list", 5),
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_for_3_or_30_rows(
    api_as, auditor, django_assert_num_queries, name, queries
):
    client = api_as(auditor)
    published = PolicyVersionFactory(published=True)
    for rows in (3, 30):
        PolicyVersionFactory.create_batch(rows, superseded=True)
        PolicyAcknowledgementFactory.create_batch(rows, version=published)
        PolicyShareLinkFactory.create_batch(rows, version=published)
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_a_draft_created_without_a_title_gets_the_usual_one(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(reverse("policyversion-list"), {"text": "We make good parts."})

    assert response.status_code == 201
    assert response.json()["title"] == "Quality policy"
