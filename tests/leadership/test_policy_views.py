"""The quality policy pages, through URLs: who may do what, lifecycle steps, staff acknowledgement, sharing."""

import pytest
from django.urls import reverse

from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.roles import Role
from leadership.selectors.people import history_for
from leadership.services import policy as services
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
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
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, *args):
    return reverse(f"leadership:{name}", args=args)


def form_data(**overrides):
    data = draft_fields(**overrides)
    # Unticked checkboxes are simply not sent by a browser.
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def content(response) -> str:
    return " ".join(response.content.decode().split())


# Who sees what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_version_pages(request, client_as, persona):
    version = PolicyVersionFactory(published=True)
    client = client_as(request.getfixturevalue(persona))

    for target in (
        url("policy-version-list"),
        url("policy-version-detail", version.pk),
        url("policy-coverage"),
        url("policy-version-compare"),
    ):
        assert client.get(target).status_code == 200, target


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_staff_without_the_view_permission_get_403_on_version_pages(request, client_as, persona):
    version = PolicyVersionFactory(published=True)
    client = client_as(request.getfixturevalue(persona))

    for target in (url("policy-version-list"), url("policy-version-detail", version.pk), url("policy-coverage")):
        assert client.get(target).status_code == 403, target


@pytest.mark.parametrize("name", ["policy-current", "policy-version-list", "policy-coverage", "policy-share-list"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_history_is_shown_to_the_auditor_and_not_to_qa(client_as, auditor, qa):
    version = PolicyVersionFactory()

    assert "Change history" in content(client_as(auditor).get(url("policy-version-detail", version.pk)))
    assert "Change history" not in content(client_as(qa).get(url("policy-version-detail", version.pk)))


# Drafting -----------------------------------------------------------------------------------------------


def test_management_representative_writes_a_draft(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(url("policy-version-create"), form_data(title="Our quality policy"))

    version = PolicyVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == version.get_absolute_url()
    assert (version.number, version.title, version.author) == (1, "Our quality policy", mgmt_rep)


def test_a_draft_without_text_is_refused_with_the_field_named(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(url("policy-version-create"), form_data(text=""))

    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("persona", ["ceo", "qa", "auditor", "employee"])
def test_others_cannot_draft(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(url("policy-version-create")).status_code == 403
    assert client.post(url("policy-version-create"), form_data()).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_a_draft_can_be_edited(client_as, mgmt_rep):
    version = PolicyVersionFactory(author=mgmt_rep)

    response = client_as(mgmt_rep).post(url("policy-version-update", version.pk), form_data(text="Better text."))

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.text == "Better text."


def test_editing_in_a_browser_does_not_change_the_text_by_its_line_ends(client_as, mgmt_rep):
    version = PolicyVersionFactory(author=mgmt_rep, text="First paragraph.\n\nSecond paragraph.")

    client_as(mgmt_rep).post(
        url("policy-version-update", version.pk), form_data(text="First paragraph.\r\n\r\nSecond paragraph.\r\n")
    )

    version.refresh_from_db()
    assert version.text == "First paragraph.\n\nSecond paragraph."
    assert history_for(version)[0]["changes"] == []


def test_starting_a_second_draft_points_to_the_one_in_progress(client_as, mgmt_rep):
    draft = PolicyVersionFactory(author=mgmt_rep)

    response = client_as(mgmt_rep).get(url("policy-version-create"), follow=True)

    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert f"Version {draft.number} is already in progress" in content(response)


def test_history_shows_each_lifecycle_step_to_the_auditor(client_as, auditor, ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)

    history = client_as(auditor).get(url("policy-version-detail", version.pk)).context["history"]

    changes = [{name: (old, new) for name, old, new in row["changes"]} for row in history]
    assert changes[0]["status"] == ("submitted", "approved")
    assert changes[0]["approval signature"][1].startswith(f"Approved by {ceo.get_full_name()} on ")
    assert changes[1]["status"] == ("draft", "submitted")
    assert [row["record"].history_user for row in history] == [ceo, mgmt_rep, mgmt_rep]


@pytest.mark.parametrize("state", ["approved", "published", "superseded"])
def test_approved_version_cannot_be_edited(client_as, mgmt_rep, state):
    version = PolicyVersionFactory(**{state: True})
    client = client_as(mgmt_rep)

    page = client.get(url("policy-version-update", version.pk), follow=True)
    post = client.post(url("policy-version-update", version.pk), form_data(text="Changed"), follow=True)

    for response in (page, post):
        assert response.redirect_chain[-1][0] == version.get_absolute_url()
        assert "Make a new version from it instead" in content(response)
    version.refresh_from_db()
    assert version.text != "Changed"


def test_new_version_from_a_published_one_opens_the_new_draft(client_as, ceo, mgmt_rep):
    source = published_version(author=mgmt_rep, approver=ceo)

    response = client_as(mgmt_rep).post(url("policy-version-new-from", source.pk))

    draft = PolicyVersion.objects.get(number=2)
    assert response["Location"] == url("policy-version-update", draft.pk)
    assert (draft.text, draft.based_on, draft.status) == (source.text, source, Status.DRAFT)


def test_new_version_while_one_is_in_progress_says_so(client_as, ceo, mgmt_rep):
    source = published_version(author=mgmt_rep, approver=ceo)
    services.policy_version_new_from(actor=mgmt_rep, source=source)

    response = client_as(mgmt_rep).post(url("policy-version-new-from", source.pk), follow=True)

    assert "Version 2 is already in progress" in content(response)
    assert PolicyVersion.objects.count() == 2


def test_auditor_cannot_make_a_new_version(client_as, auditor):
    source = PolicyVersionFactory(published=True)

    assert client_as(auditor).post(url("policy-version-new-from", source.pk)).status_code == 403


# Submit, approve, reject ---------------------------------------------------------------------------------


def test_submission_names_the_missing_5_2_1_elements(client_as, mgmt_rep):
    version = PolicyVersionFactory(author=mgmt_rep, confirms_objectives_framework=False)

    response = client_as(mgmt_rep).post(url("policy-version-submit", version.pk), {"password": PASSWORD})

    assert response.status_code == 200
    assert "provides a framework for setting quality objectives (5.2.1.b) before submitting" in content(response)
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_management_representative_submits_with_their_password(client_as, mgmt_rep):
    version = PolicyVersionFactory(author=mgmt_rep)
    client = client_as(mgmt_rep)

    wrong = client.post(url("policy-version-submit", version.pk), {"password": "nope"})
    assert "The password is not correct" in content(wrong)
    version.refresh_from_db()
    assert version.status == Status.DRAFT

    right = client.post(url("policy-version-submit", version.pk), {"password": PASSWORD})
    assert right.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert version.author_signature.signer == mgmt_rep


def test_employee_cannot_submit(client_as, employee):
    version = PolicyVersionFactory()

    assert client_as(employee).post(url("policy-version-submit", version.pk), {"password": PASSWORD}).status_code == 403


def test_top_management_approves_with_an_e_signature(client_as, ceo, mgmt_rep):
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)
    client = client_as(ceo)

    page = content(client.get(url("policy-version-detail", version.pk)))
    assert "Sign and approve" in page
    response = client.post(url("policy-version-approve", version.pk), {"password": PASSWORD}, follow=True)

    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert "is approved and signed" in content(response)
    assert "Approved</strong> by" in content(response)


def test_approval_with_a_wrong_password_shows_the_error(client_as, ceo):
    version = PolicyVersionFactory(submitted=True)

    response = client_as(ceo).post(url("policy-version-approve", version.pk), {"password": "guess"})

    assert response.status_code == 200
    assert "The password is not correct. Nothing was signed." in content(response)
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_management_representative_cannot_approve(client_as, mgmt_rep):
    version = PolicyVersionFactory(submitted=True)
    client = client_as(mgmt_rep)

    assert "Sign and approve" not in content(client.get(url("policy-version-detail", version.pk)))
    assert client.post(url("policy-version-approve", version.pk), {"password": PASSWORD}).status_code == 403


def test_approving_a_draft_says_why_not(client_as, ceo):
    version = PolicyVersionFactory()

    response = client_as(ceo).post(url("policy-version-approve", version.pk), {"password": PASSWORD}, follow=True)

    assert "only a version submitted for approval can be approved" in content(response)


def test_top_management_rejects_with_a_reason(client_as, ceo):
    version = PolicyVersionFactory(submitted=True)
    client = client_as(ceo)

    empty = client.post(url("policy-version-reject", version.pk), {"reason": ""})
    assert "reason" in empty.context["reject_form"].errors
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED

    response = client.post(url("policy-version-reject", version.pk), {"reason": "Add the medical market."}, follow=True)
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert "Rejected back to draft" in content(response)
    assert "Add the medical market." in content(response)


def test_qa_cannot_reject(client_as, qa):
    version = PolicyVersionFactory(submitted=True)

    assert client_as(qa).post(url("policy-version-reject", version.pk), {"reason": "x"}).status_code == 403


def test_detail_shows_whether_the_signed_content_still_matches(client_as, auditor, ceo, mgmt_rep):
    version = approved_version(author=mgmt_rep, approver=ceo)
    client = client_as(auditor)

    assert "still match what was signed" in content(client.get(url("policy-version-detail", version.pk)))
    PolicyVersion.objects.filter(pk=version.pk).update(text="Tampered")
    assert "Changed after it was signed" in content(client.get(url("policy-version-detail", version.pk)))


# Publish -------------------------------------------------------------------------------------------------


def test_publish_first_shows_how_many_acknowledgements_it_resets(client_as, ceo, mgmt_rep):
    current = published_version(author=mgmt_rep, approver=ceo)
    for person in PersonFactory.create_batch(14, roles=[Role.EMPLOYEE]):
        PolicyAcknowledgementFactory(version=current, person=person)
    services.policy_share_link_create(actor=mgmt_rep, label="Website")
    nxt = approved_version(author=mgmt_rep, approver=ceo)
    client = client_as(mgmt_rep)

    page = content(client.get(url("policy-version-publish", nxt.pk)))

    assert "14 people acknowledged version 1; after publishing version 2 they will be asked again." in page
    assert "1 public share link to version 1 will stop working" in page
    nxt.refresh_from_db()
    assert nxt.status == Status.APPROVED

    response = client.post(url("policy-version-publish", nxt.pk), follow=True)
    nxt.refresh_from_db()
    current.refresh_from_db()
    assert (nxt.status, current.status) == (Status.PUBLISHED, Status.SUPERSEDED)
    assert "is published and in force" in content(response)


def test_publishing_a_version_that_is_not_approved_says_why(client_as, mgmt_rep):
    version = PolicyVersionFactory(submitted=True)
    client = client_as(mgmt_rep)

    assert "only an approved version can be published" in content(
        client.get(url("policy-version-publish", version.pk), follow=True)
    )
    assert "only an approved version can be published" in content(
        client.post(url("policy-version-publish", version.pk), follow=True)
    )
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["qa", "auditor", "dept_manager"])
def test_others_cannot_publish(request, client_as, persona):
    version = PolicyVersionFactory(approved=True)
    client = client_as(request.getfixturevalue(persona))

    assert client.get(url("policy-version-publish", version.pk)).status_code == 403
    assert client.post(url("policy-version-publish", version.pk)).status_code == 403


# Compare -------------------------------------------------------------------------------------------------


def test_compare_highlights_insertions_and_deletions(client_as, qa):
    old = PolicyVersionFactory(superseded=True, text="We meet customer requirements.")
    new = PolicyVersionFactory(published=True, text="We meet all applicable requirements.")

    page = content(client_as(qa).get(url("policy-version-compare"), {"a": new.pk, "b": old.pk}))

    assert '<del class="diff-del">customer</del><ins class="diff-ins">all applicable</ins>' in page
    assert f"Version {old.number}</a>" in page


# Staff: read and acknowledge ---------------------------------------------------------------------------


def test_every_member_of_staff_reads_the_policy_and_acknowledges_it_once(client_as, ceo, mgmt_rep, employee):
    version = published_version(author=mgmt_rep, approver=ceo, text="We make parts right first time.")
    client = client_as(employee)

    page = content(client.get(url("policy-current")))
    assert "We make parts right first time." in page
    assert "I have read and understood it" in page

    first = client.post(url("policy-acknowledge"), {"version": version.pk}, follow=True)
    second = client.post(url("policy-acknowledge"), {"version": version.pk}, follow=True)

    assert "Your acknowledgement is recorded" in content(first)
    assert "it is recorded once" in content(second)
    assert "You acknowledged this version" in content(second)
    assert PolicyAcknowledgement.objects.filter(person=employee.person, version=version).count() == 1


def test_acknowledging_a_version_replaced_meanwhile_is_refused(client_as, ceo, mgmt_rep, employee):
    first = published_version(author=mgmt_rep, approver=ceo)
    published_version(author=mgmt_rep, approver=ceo)

    response = client_as(employee).post(url("policy-acknowledge"), {"version": first.pk}, follow=True)

    assert "Read version 2 and acknowledge that one" in content(response)
    assert not PolicyAcknowledgement.objects.exists()


def test_policy_page_before_any_publication(client_as, employee):
    assert "No quality policy is published yet" in content(client_as(employee).get(url("policy-current")))


def test_acknowledge_is_post_only(client_as, employee):
    assert client_as(employee).get(url("policy-acknowledge")).status_code == 405


# Coverage ------------------------------------------------------------------------------------------------


def test_coverage_page_shows_figures_per_department_and_who_is_missing(client_as, ceo, mgmt_rep, qa):
    """In scope: the three personas plus two machinists. Acknowledged: ceo, qa, one machinist: 3 of 5, 60%."""
    version = published_version(author=mgmt_rep, approver=ceo)
    machining = DepartmentFactory(name="Machining")
    machinists = PersonFactory.create_batch(2, department=machining, roles=[Role.EMPLOYEE])
    machinists[1].user.first_name, machinists[1].user.last_name = "Daniel", "Price"
    machinists[1].user.save()
    for user in (ceo, qa, machinists[0].user):
        services.policy_acknowledgement_record(actor=user, version=version)

    response = client_as(qa).get(url("policy-coverage"))

    coverage = response.context["coverage"]
    assert coverage.as_text() == "3 of 5, 60%"
    page = content(response)
    assert "3 of 5, 60%" in page
    assert "Not acknowledged yet (2)" in page
    assert "Daniel Price" in page
    row = next(r for r in coverage.departments if r["department"] == machining)
    assert (row["acknowledged"], row["total"], row["percent"]) == (1, 2, 50)


def test_coverage_of_an_older_version_can_be_shown(client_as, ceo, mgmt_rep, qa):
    first = published_version(author=mgmt_rep, approver=ceo)
    services.policy_acknowledgement_record(actor=qa, version=first)
    published_version(author=mgmt_rep, approver=ceo)

    response = client_as(qa).get(url("policy-coverage"), {"version": first.pk})

    assert response.context["version"] == first
    assert response.context["coverage"].acknowledged == 1


# The PDF ----------------------------------------------------------------------------------------------


def test_staff_download_the_published_pdf_but_not_older_ones(client_as, ceo, mgmt_rep, employee, auditor):
    old = published_version(author=mgmt_rep, approver=ceo)
    services.policy_version_render_pdf(version_id=old.pk)
    current = published_version(author=mgmt_rep, approver=ceo)
    services.policy_version_render_pdf(version_id=current.pk)

    response = client_as(employee).get(url("policy-version-pdf", current.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_as(employee).get(url("policy-version-pdf", old.pk)).status_code == 403
    assert client_as(auditor).get(url("policy-version-pdf", old.pk)).status_code == 200


def test_pdf_not_rendered_yet_is_a_404(client_as, auditor):
    version = PolicyVersionFactory(published=True)

    assert client_as(auditor).get(url("policy-version-pdf", version.pk)).status_code == 404


def test_media_files_have_no_public_url(client, settings):
    assert client.get("/media/policy/quality-policy-v1.pdf").status_code == 404


# Sharing ------------------------------------------------------------------------------------------------


def test_share_link_is_created_copied_and_revoked(client, client_as, ceo, mgmt_rep):
    version = published_version(author=mgmt_rep, approver=ceo, text="Public policy text.")
    services.policy_version_render_pdf(version_id=version.pk)
    manager = client_as(mgmt_rep)

    manager.post(url("policy-share-list"), {"label": "Company website"})
    link = PolicyShareLink.objects.get()
    public_url = url("policy-public", link.token)
    assert public_url in content(manager.get(url("policy-share-list")))
    manager.logout()

    public = client.get(public_url)
    assert public.status_code == 200
    assert "Public policy text." in content(public)
    assert client.get(url("policy-public-pdf", link.token)).status_code == 200

    client_as(mgmt_rep).post(url("policy-share-revoke", link.pk))
    client.logout()
    revoked = client.get(public_url)
    assert revoked.status_code == 404
    assert "This link is no longer valid" in content(revoked)
    assert client.get(url("policy-public-pdf", link.token)).status_code == 404


def test_share_link_to_a_superseded_version_is_a_404(client, ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)
    link = services.policy_share_link_create(actor=mgmt_rep, label="Website")
    published_version(author=mgmt_rep, approver=ceo)

    response = client.get(url("policy-public", link.token))

    assert response.status_code == 404
    assert "no longer valid" in content(response)


def test_unknown_token_is_a_404(client):
    assert client.get(url("policy-public", "not-a-token")).status_code == 404


def test_a_share_link_needs_a_label(client_as, ceo, mgmt_rep):
    published_version(author=mgmt_rep, approver=ceo)

    response = client_as(mgmt_rep).post(url("policy-share-list"), {"label": ""})

    assert "label" in response.context["form"].errors
    assert not PolicyShareLink.objects.exists()


def test_auditor_sees_share_links_but_not_their_address_and_cannot_share(client_as, auditor):
    link = PolicyShareLinkFactory()
    client = client_as(auditor)

    page = content(client.get(url("policy-share-list")))
    assert "Company website" in page
    assert link.token not in page
    assert client.post(url("policy-share-list"), {"label": "Mine"}).status_code == 403
    assert client.post(url("policy-share-revoke", link.pk)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_employee_cannot_see_share_links(client_as, employee):
    assert client_as(employee).get(url("policy-share-list")).status_code == 403


# Query counts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_version_list_runs_the_same_number_of_queries_for_3_or_30_versions(
    client_as, qa, rows, django_assert_num_queries
):
    PolicyVersionFactory.create_batch(rows - 2, superseded=True)
    PolicyVersionFactory(published=True)
    PolicyVersionFactory()
    PolicyAcknowledgementFactory.create_batch(3, version=PolicyVersion.objects.get(status=Status.PUBLISHED))
    client = client_as(qa)
    # session, user, user's own and group permissions (2), the user's groups for the role badge,
    # count for pagination, the page of versions (with author, signatures and acknowledgement
    # counts), people in scope and acknowledgements of the published version (2), the compare
    # drop-downs' versions.
    with django_assert_num_queries(10):
        response = client.get(url("policy-version-list"))
    assert len(response.context["object_list"]) == rows


def test_version_list_filter_over_htmx_returns_only_the_table(client_as, qa):
    PolicyVersionFactory(published=True)

    response = client_as(qa).get(url("policy-version-list"), {"status": "published"}, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "leadership/policy/partials/_version_table.html"


@pytest.mark.parametrize("people", [4, 40])
def test_coverage_page_runs_the_same_number_of_queries_for_4_or_40_people(
    client_as, qa, people, django_assert_num_queries
):
    version = PolicyVersionFactory(published=True)
    for i, person in enumerate(PersonFactory.create_batch(people, roles=[Role.EMPLOYEE])):
        if i % 2:
            PolicyAcknowledgementFactory(version=version, person=person)
    client = client_as(qa)
    # session, user, permissions (2), the published and superseded versions for the picker,
    # the version shown (with its signatures and acknowledgement count), every person in scope
    # with their acknowledgement (one query), the user's groups for the role badge.
    with django_assert_num_queries(8):
        response = client.get(url("policy-coverage"))
    assert response.context["coverage"].total == people + 1


def test_a_missing_pdf_can_be_prepared_again(client_as, mgmt_rep, qa, django_capture_on_commit_callbacks):
    version = PolicyVersionFactory(published=True)

    assert client_as(qa).post(url("policy-version-pdf-prepare", version.pk)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(mgmt_rep).post(url("policy-version-pdf-prepare", version.pk), follow=True)

    assert "is being prepared" in content(response)
    version.refresh_from_db()
    assert version.pdf
    again = client_as(mgmt_rep).post(url("policy-version-pdf-prepare", version.pk), follow=True)
    assert "already there" in content(again)
