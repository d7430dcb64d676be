"""Internal audits through their pages: list, findings register, detail, plan and edit, complete, cancel,
findings and their actions inline with htmx."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories_audits import (
    CompletedAuditFactory,
    FindingActionFactory,
    ScopedAuditFactory,
    finding_in,
    grow_audits,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
WRITERS = ["mgmt_rep", "qa"]
NOT_WRITERS = ["ceo", "dept_manager", "auditor", "employee", "outsider"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def plan_data(**overrides) -> dict:
    department = overrides.pop("department", None) or DepartmentFactory()
    return {
        "title": "Leadership and objectives",
        "departments": [department.pk],
        "processes": "Management review follow-up",
        "criteria": "ISO 9001:2015 clauses 5, 6.2 and 9.3",
        "planned_date": "2026-04-15",
        "lead_auditor": PersonFactory().pk,
        **overrides,
    }


# Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_management_department_managers_qa_and_auditors_see_audits_and_findings(request, client_as, persona):
    audit = CompletedAuditFactory()
    finding_in(audit)
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:audit-list")).status_code == 200
    assert client.get(reverse("reviews:finding-list")).status_code == 200
    response = client.get(audit.get_absolute_url())
    assert response.status_code == 200
    assert audit.title in response.content.decode()


@pytest.mark.parametrize("persona", ["employee", "outsider"])
def test_other_staff_do_not_see_them(request, client_as, persona):
    audit = CompletedAuditFactory()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:audit-list")).status_code == 403
    assert client.get(reverse("reviews:finding-list")).status_code == 403
    assert client.get(audit.get_absolute_url()).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    audit = ScopedAuditFactory()
    for url in (reverse("reviews:audit-list"), reverse("reviews:finding-list"), audit.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_an_unknown_audit_is_404(client_as, qa):
    assert client_as(qa).get(reverse("reviews:audit-detail", args=[999])).status_code == 404


def test_readers_who_cannot_write_see_no_buttons_or_forms(client_as, auditor):
    audit = ScopedAuditFactory()
    finding_in(audit)
    client = client_as(auditor)

    listing = client.get(reverse("reviews:audit-list")).content.decode()
    page = client.get(audit.get_absolute_url()).content.decode()

    assert reverse("reviews:audit-create") not in listing
    for url_name in ("audit-update", "audit-complete", "audit-cancel", "finding-create"):
        assert reverse(f"reviews:{url_name}", args=[audit.pk]) not in page
    assert "Record a finding" not in page


def test_writers_see_the_lifecycle_buttons_and_the_inline_finding_form(client_as, qa):
    audit = ScopedAuditFactory()
    finding = finding_in(audit)

    page = client_as(qa).get(audit.get_absolute_url()).content.decode()

    for url_name in ("audit-update", "audit-complete", "audit-cancel", "finding-create"):
        assert reverse(f"reviews:{url_name}", args=[audit.pk]) in page
    assert reverse("reviews:finding-add-action", args=[finding.pk]) in page
    # Findings close once the audit is completed.
    assert reverse("reviews:finding-close", args=[finding.pk]) not in page


# The lists ---------------------------------------------------------------------------------------


def test_the_audit_list_filters_by_status_year_department_and_open_findings(client_as, qa):
    production = DepartmentFactory(name="Production")
    done = CompletedAuditFactory(title="Done", departments=[production], planned_date=datetime.date(2025, 11, 3))
    finding_in(done)
    clean = CompletedAuditFactory(title="Clean", planned_date=datetime.date(2026, 1, 20))
    finding_in(clean, kind=AuditFinding.Kind.OBSERVATION, closed_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    planned = ScopedAuditFactory(title="Planned", planned_date=datetime.date(2026, 5, 4))
    client = client_as(qa)

    def titles(**params):
        return {a.title for a in client.get(reverse("reviews:audit-list"), params).context["object_list"]}

    assert titles() == {"Done", "Clean", "Planned"}
    assert titles(status="planned") == {planned.title}
    assert titles(year=2025) == {"Done"}
    assert titles(year=2026) == {"Clean", "Planned"}
    assert titles(department=production.pk) == {"Done"}
    assert titles(has_open_findings="true") == {"Done"}
    assert titles(has_open_findings="false") == {"Clean", "Planned"}
    assert titles(q=done.reference) == {"Done"}


def test_the_findings_register_filters_by_kind_department_and_state(client_as, auditor):
    production, sales = DepartmentFactory(name="Production"), DepartmentFactory(name="Sales")
    audit = CompletedAuditFactory(departments=[production, sales])
    major = finding_in(audit, number=1, kind="major", department=production, description="No review held")
    minor = finding_in(audit, number=2, kind="minor", department=sales, description="Old targets")
    ofi = finding_in(
        audit,
        number=3,
        kind="opportunity",
        department=sales,
        closed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    client = client_as(auditor)

    def labels(**params):
        return {f.label for f in client.get(reverse("reviews:finding-list"), params).context["object_list"]}

    assert labels(kind="major") == {major.label}
    assert labels(kind="nonconformity") == {major.label, minor.label}
    assert labels(department=sales.pk) == {minor.label, ofi.label}
    assert labels(state="open") == {major.label, minor.label}
    assert labels(state="closed") == {ofi.label}
    assert labels(audit=audit.pk, q="targets") == {minor.label}


def test_the_register_shows_each_finding_s_actions_with_their_state(client_as, qa):
    finding = finding_in(CompletedAuditFactory())
    verified = FindingActionFactory(audit_finding=finding, verified=True)
    late = FindingActionFactory(audit_finding=finding, due_date=TODAY - datetime.timedelta(days=2))

    html = client_as(qa).get(reverse("reviews:finding-list")).content.decode()

    assert verified.reference in html
    assert "Verified effective" in html
    assert late.reference in html
    assert "overdue" in html


@pytest.mark.parametrize("url_name", ["audit-list", "finding-list"])
def test_an_htmx_request_gets_only_the_table(client_as, qa, url_name):
    finding_in(CompletedAuditFactory())
    response = client_as(qa).get(reverse(f"reviews:{url_name}"), **HTMX)
    assert next(t.name for t in response.templates).startswith("reviews/audits/partials/_")
    assert "<h1>" not in response.content.decode()


@pytest.mark.parametrize("rows", [3, 60])
def test_audit_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_audits(rows)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of audits (lead
    # auditor and their department joined, findings counted), their departments, the department
    # drop-down of the filter, groups for the role badge.
    with django_assert_num_queries(9):
        assert client.get(reverse("reviews:audit-list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_finding_list_query_count_does_not_grow(client_as, qa, rows, django_assert_num_queries):
    grow_audits(rows)
    client = client_as(qa)
    # session, user, permissions (user + group), count for pagination, the page of findings (audit
    # and department joined), their actions (owner joined), the department drop-down of the
    # filter, groups for the role badge.
    with django_assert_num_queries(9):
        assert client.get(reverse("reviews:finding-list")).status_code == 200


@pytest.mark.parametrize("findings", [2, 25])
def test_audit_page_query_count_does_not_grow_with_findings(client_as, auditor, findings, django_assert_num_queries):
    audit = CompletedAuditFactory()
    for number in range(1, findings + 1):
        FindingActionFactory(audit_finding=finding_in(audit, number=number))
    client = client_as(auditor)
    client.get(audit.get_absolute_url())  # warm the content-type cache used by the attachments
    # session, user, permissions (user + group), the audit (counts annotated), its departments, its
    # findings, their actions; the audit's history, its departments at each of its versions (2: this
    # grows with the audit's own changes, not with findings) and the department names in it; groups
    # for the role badge, the attachments.
    with django_assert_num_queries(14):
        assert client.get(audit.get_absolute_url()).status_code == 200


# Planning and editing ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", WRITERS)
def test_the_representative_and_qa_plan_an_audit(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:audit-create")).status_code == 200

    response = client.post(reverse("reviews:audit-create"), plan_data())

    audit = InternalAudit.objects.get()
    assert response["Location"] == audit.get_absolute_url()
    assert audit.reference == "IA-2026-001"


@pytest.mark.parametrize("persona", NOT_WRITERS)
def test_nobody_else_plans_or_edits(request, client_as, persona):
    audit = ScopedAuditFactory()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:audit-create")).status_code == 403
    assert client.post(reverse("reviews:audit-create"), plan_data()).status_code == 403
    assert client.get(reverse("reviews:audit-update", args=[audit.pk])).status_code == 403
    assert client.post(reverse("reviews:audit-update", args=[audit.pk]), plan_data()).status_code == 403
    assert InternalAudit.objects.count() == 1


def test_the_services_rules_show_on_the_form_fields(client_as, qa):
    production = DepartmentFactory(name="Production")
    insider = PersonFactory(department=production)

    response = client_as(qa).post(
        reverse("reviews:audit-create"),
        plan_data(department=production, lead_auditor=insider.pk, criteria=""),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "9.2.2.c" in form.errors["lead_auditor"][0]
    assert "9.2.2.b" in form.errors["criteria"][0]
    assert not InternalAudit.objects.exists()


def test_an_empty_scope_is_shown_on_departments(client_as, qa):
    response = client_as(qa).post(reverse("reviews:audit-create"), plan_data(departments=[], processes=""))
    assert "choose at least one department" in response.context["form"].errors["departments"][0]


def test_a_planned_audit_is_edited(client_as, mgmt_rep):
    audit = ScopedAuditFactory()
    data = plan_data(department=audit.departments.get(), title="Renamed")

    response = client_as(mgmt_rep).post(reverse("reviews:audit-update", args=[audit.pk]), data)

    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.title == "Renamed"


def test_a_completed_audit_cannot_be_opened_for_editing(client_as, mgmt_rep):
    audit = CompletedAuditFactory()

    response = client_as(mgmt_rep).get(reverse("reviews:audit-update", args=[audit.pk]))

    assert response["Location"] == audit.get_absolute_url()
    assert messages_of(response) == [f"{audit.reference} is completed: it can no longer be edited."]


# Completing and cancelling -----------------------------------------------------------------------


def test_completing_on_its_form_page(client_as, qa):
    audit = ScopedAuditFactory()
    client = client_as(qa)
    assert client.get(reverse("reviews:audit-complete", args=[audit.pk])).status_code == 200

    response = client.post(
        reverse("reviews:audit-complete", args=[audit.pk]), {"audit_date": "2026-03-09", "summary": "Effective."}
    )

    assert response["Location"] == audit.get_absolute_url()
    audit.refresh_from_db()
    assert (audit.status, audit.audit_date) == ("completed", datetime.date(2026, 3, 9))


def test_a_future_audit_date_is_shown_on_the_form(client_as, qa):
    audit = ScopedAuditFactory()

    response = client_as(qa).post(
        reverse("reviews:audit-complete", args=[audit.pk]), {"audit_date": "2026-03-11", "summary": "Early."}
    )

    assert "in the future" in response.context["form"].errors["audit_date"][0]


def test_a_completed_audit_does_not_offer_completion_again(client_as, qa):
    audit = CompletedAuditFactory()
    response = client_as(qa).get(reverse("reviews:audit-complete", args=[audit.pk]))
    assert response["Location"] == audit.get_absolute_url()


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "auditor", "employee"])
def test_others_cannot_complete_or_cancel(request, client_as, persona):
    audit = ScopedAuditFactory()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("reviews:audit-complete", args=[audit.pk])).status_code == 403
    assert (
        client.post(reverse("reviews:audit-complete", args=[audit.pk]), {"audit_date": "2026-03-09", "summary": "X"})
    ).status_code == 403
    assert client.post(reverse("reviews:audit-cancel", args=[audit.pk]), {"reason": "X"}).status_code == 403
    audit.refresh_from_db()
    assert audit.status == InternalAudit.Status.PLANNED


def test_cancelling_is_post_only_with_a_reason(client_as, mgmt_rep):
    audit = ScopedAuditFactory()
    client = client_as(mgmt_rep)
    url = reverse("reviews:audit-cancel", args=[audit.pk])
    assert client.get(url).status_code == 405

    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200
    assert missing.context["cancel_open"] is True
    assert missing.context["cancel_form"].errors["reason"]

    response = client.post(url, {"reason": "Moved to Q3."})
    assert response["Location"] == audit.get_absolute_url()
    audit.refresh_from_db()
    assert audit.summary == "Cancelled: Moved to Q3."


def test_an_audit_with_findings_is_not_cancelled(client_as, mgmt_rep):
    audit = ScopedAuditFactory()
    finding_in(audit)

    response = client_as(mgmt_rep).post(reverse("reviews:audit-cancel", args=[audit.pk]), {"reason": "No time."})

    assert "complete it with a summary instead" in messages_of(response)[0]
    audit.refresh_from_db()
    assert audit.status == InternalAudit.Status.PLANNED


# Findings inline ---------------------------------------------------------------------------------


def finding_data(department=None, **overrides) -> dict:
    return {
        "kind": "minor",
        "department": department.pk if department else "",
        "clause": "6.2.1",
        "description": "Night shift boards show last year's targets.",
        "evidence": "Boards at cells 3 and 4.",
        **overrides,
    }


def test_a_finding_added_with_htmx_comes_back_in_the_findings_card(client_as, qa):
    audit = ScopedAuditFactory()

    response = client_as(qa).post(
        reverse("reviews:finding-create", args=[audit.pk]), finding_data(audit.departments.get()), **HTMX
    )

    finding = AuditFinding.objects.get()
    html = response.content.decode()
    assert response.templates[0].name == "reviews/audits/partials/_findings.html"
    assert f"{finding.label} recorded (minor nonconformity)." in html
    assert 'id="findings"' in html
    assert "<h1>" not in html


def test_a_finding_added_without_htmx_redirects_to_it(client_as, qa):
    audit = ScopedAuditFactory()

    response = client_as(qa).post(
        reverse("reviews:finding-create", args=[audit.pk]), finding_data(audit.departments.get())
    )

    finding = AuditFinding.objects.get()
    assert response["Location"] == f"{audit.get_absolute_url()}#finding-{finding.pk}"


def test_a_bad_clause_is_shown_on_the_inline_form(client_as, qa):
    audit = ScopedAuditFactory(departments=[])

    response = client_as(qa).post(
        reverse("reviews:finding-create", args=[audit.pk]), finding_data(clause="9,3"), **HTMX
    )

    assert "write it like 9.3.2 or 5.1.1" in response.context["add_form"].errors["clause"][0]
    assert not AuditFinding.objects.exists()


def test_the_finding_form_offers_only_departments_in_scope(client_as, qa):
    in_scope = DepartmentFactory(name="Production")
    DepartmentFactory(name="Sales")
    audit = ScopedAuditFactory(departments=[in_scope])

    response = client_as(qa).get(reverse("reviews:finding-create", args=[audit.pk]))

    assert list(response.context["form"].fields["department"].queryset) == [in_scope]


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "auditor", "employee"])
def test_others_cannot_record_findings(request, client_as, persona):
    audit = ScopedAuditFactory()
    client = client_as(request.getfixturevalue(persona))
    url = reverse("reviews:finding-create", args=[audit.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, finding_data(audit.departments.get())).status_code == 403
    assert not AuditFinding.objects.exists()


def test_a_finding_is_corrected_on_its_form_page(client_as, qa):
    finding = finding_in(CompletedAuditFactory())
    client = client_as(qa)
    url = reverse("reviews:finding-update", args=[finding.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, finding_data(finding.department, kind="major", description="Worse than thought."))

    assert response["Location"] == finding.get_absolute_url()
    finding.refresh_from_db()
    assert (finding.kind, finding.description) == ("major", "Worse than thought.")


@pytest.mark.parametrize("persona", ["dept_manager", "auditor"])
def test_others_cannot_correct_findings(request, client_as, persona):
    finding = finding_in(CompletedAuditFactory())
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("reviews:finding-update", args=[finding.pk])).status_code == 403


def test_closing_with_htmx_names_the_actions_still_open(client_as, qa):
    finding = finding_in(CompletedAuditFactory())
    action = FindingActionFactory(audit_finding=finding, status=Action.Status.IN_PROGRESS)

    response = client_as(qa).post(reverse("reviews:finding-close", args=[finding.pk]), **HTMX)

    assert f"{action.reference} (in progress)" in response.context["findings_problem"]
    finding.refresh_from_db()
    assert finding.closed_at is None


def test_closing_a_finding_whose_actions_are_verified(client_as, mgmt_rep):
    finding = finding_in(CompletedAuditFactory())
    FindingActionFactory(audit_finding=finding, verified=True)
    client = client_as(mgmt_rep)
    url = reverse("reviews:finding-close", args=[finding.pk])
    assert client.get(url).status_code == 405

    response = client.post(url)

    assert response["Location"] == f"{finding.audit.get_absolute_url()}#finding-{finding.pk}"
    assert messages_of(response) == [f"{finding.label} closed."]
    finding.refresh_from_db()
    assert finding.closed_at is not None
    # Who closed it is shown from the finding's history.
    page = client.get(finding.audit.get_absolute_url()).content.decode()
    assert f"{finding.closed_at:%-d %b %Y} by {mgmt_rep.get_full_name()}" in page


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "auditor", "employee"])
def test_others_cannot_close_findings(request, client_as, persona):
    finding = finding_in(CompletedAuditFactory(), kind="observation")
    response = client_as(request.getfixturevalue(persona)).post(reverse("reviews:finding-close", args=[finding.pk]))
    assert response.status_code == 403


def test_the_action_form_opens_under_its_finding_and_opens_an_action(client_as, qa):
    head = PersonFactory()
    department = DepartmentFactory(head=head)
    finding = finding_in(CompletedAuditFactory(departments=[department]))
    client = client_as(qa)
    url = reverse("reviews:finding-add-action", args=[finding.pk])

    opened = client.get(url, **HTMX)
    assert opened.context["action_for"] == finding.pk
    assert opened.context["action_form"]["owner"].initial == head.pk
    assert f'id="finding-{finding.pk}-action"' in opened.content.decode()

    response = client.post(
        url, {"title": "New boards", "owner": head.pk, "due_date": "2026-04-10", "priority": ""}, **HTMX
    )

    action = Action.objects.get()
    assert (action.audit_finding, action.priority) == (finding, "medium")
    assert f"{action.reference} opened for {finding.label}" in response.context["findings_notice"]


def test_the_action_form_page_works_without_htmx(client_as, mgmt_rep):
    finding = finding_in(CompletedAuditFactory())
    client = client_as(mgmt_rep)
    url = reverse("reviews:finding-add-action", args=[finding.pk])
    assert client.get(url).status_code == 200

    missing = client.post(url, {"title": "", "owner": "", "due_date": ""})
    assert set(missing.context["form"].errors) == {"title", "owner", "due_date"}

    response = client.post(url, {"title": "Brief shifts", "owner": PersonFactory().pk, "due_date": "2026-04-10"})
    assert response["Location"] == f"{finding.audit.get_absolute_url()}#finding-{finding.pk}"
    assert Action.objects.get().source == Action.Source.AUDIT_FINDING


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "auditor", "employee"])
def test_others_cannot_add_actions_to_findings(request, client_as, persona):
    finding = finding_in(CompletedAuditFactory())
    client = client_as(request.getfixturevalue(persona))
    url = reverse("reviews:finding-add-action", args=[finding.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "owner": PersonFactory().pk, "due_date": "2026-04-10"}).status_code == 403
    assert not Action.objects.exists()


def test_signed_out_visitors_cannot_write_either(client):
    finding = finding_in(ScopedAuditFactory())
    audit_pk, finding_pk = finding.audit_id, finding.pk
    posts = [
        reverse("reviews:audit-create"),
        reverse("reviews:audit-update", args=[audit_pk]),
        reverse("reviews:audit-complete", args=[audit_pk]),
        reverse("reviews:audit-cancel", args=[audit_pk]),
        reverse("reviews:finding-create", args=[audit_pk]),
        reverse("reviews:finding-update", args=[finding_pk]),
        reverse("reviews:finding-close", args=[finding_pk]),
        reverse("reviews:finding-add-action", args=[finding_pk]),
    ]
    for url in posts:
        response = client.post(url, {})
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
    assert InternalAudit.objects.get().status == InternalAudit.Status.PLANNED
