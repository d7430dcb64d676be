"""The clause pages: the catalogue, each item's evidence with its filters, tagging and untagging, both ways."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceTag
from tests.evidence.test_clauses_factories import (  # noqa: F401
    EvidenceTagFactory,
    catalogue,
    commitment_entry,
    signed_meeting,
)
from tests.leadership.factories import DepartmentFactory, PersonFactory, UserFactory
from tests.leadership.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

READERS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor"]
NOT_READERS = ["employee", "outsider"]
TAGGERS = ["ceo", "mgmt_rep", "qa"]
NOT_TAGGERS = ["dept_manager", "auditor", "employee", "outsider"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(clause_id="5.3.e"):
    return reverse("evidence:clause-detail", args=[clause_id])


def tag_data(record, note="Decided a change to the final inspection: a QMS change.", kind="reviews.meeting"):
    return {"kind": kind, "object_id": str(record.pk), "note": note}


# The catalogue ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_roles_that_read_evidence_open_the_catalogue(client_as, persona, request):
    response = client_as(request.getfixturevalue(persona)).get(reverse("evidence:clause-list"))

    assert response.status_code == 200
    assert "5.1.1 Leadership and commitment: top management shows it by" in response.text
    assert reverse("evidence:clause-detail", args=["9.3.2.c.4"]) in response.text


@pytest.mark.parametrize("persona", NOT_READERS)
def test_other_roles_cannot_open_the_catalogue_or_an_item(client_as, persona, request):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("evidence:clause-list")).status_code == 403
    assert client.get(detail()).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in (reverse("evidence:clause-list"), detail()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_catalogue_counts_evidence_of_the_last_twelve_months_per_item(client_as, qa):
    commitment_entry(["5.1.1.a"])
    commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=400))

    response = client_as(qa).get(reverse("evidence:clause-list"))

    groups = response.context["groups"]
    counts = {c.pk: c.evidence_count for g in groups for c in g.items}
    assert counts["5.1.1.a"] == 1
    assert counts["5.1.1.b"] == 0
    assert response.context["missing"] == 52
    assert "52 of 53 items without evidence" in response.text


def test_the_catalogue_filters_by_department_with_htmx(client_as, qa):
    production = DepartmentFactory(name="Production")
    commitment_entry(["5.1.1.a"], person=PersonFactory(department=production))
    commitment_entry(["5.1.1.b"])

    response = client_as(qa).get(reverse("evidence:clause-list"), {"department": production.pk}, **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    counts = {c.pk: c.evidence_count for g in response.context["groups"] for c in g.items}
    assert (counts["5.1.1.a"], counts["5.1.1.b"]) == (1, 0)
    assert "for Production" in response.text


# One item ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_an_item_page_shows_its_requirement_expected_evidence_and_records(client_as, persona, request):
    meeting = signed_meeting(title="Quality meeting of the machine shop")

    response = client_as(request.getfixturevalue(persona)).get(detail("5.1.1.c"))

    assert response.status_code == 200
    assert "Building QMS requirements into the business processes" in response.text
    assert "Process/requirement links; quality items on the agenda of operational meetings" in response.text
    assert [(r.kind, r.object_id) for r in response.context["rows"]] == [("reviews.meeting", meeting.pk)]
    assert "Quality meeting of the machine shop" in response.text
    assert "Meetings" in response.text  # evidenced automatically by signed meetings


def test_an_unknown_item_is_not_found(client_as, qa):
    assert client_as(qa).get(detail("5.9.z")).status_code == 404


def test_the_item_page_shows_the_last_twelve_months_unless_asked_otherwise(client_as, qa):
    recent = commitment_entry(["5.1.1.a"])
    old = commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=400))
    client = client_as(qa)

    default = client.get(detail("5.1.1.a"))
    wider = client.get(detail("5.1.1.a"), {"period_start": "2000-01-01", "period_end": ""})

    assert [r.object_id for r in default.context["rows"]] == [recent.pk]
    assert [r.object_id for r in wider.context["rows"]] == [recent.pk, old.pk]


def test_the_item_page_filters_by_department_and_answers_htmx_with_the_table(client_as, qa):
    production = DepartmentFactory(name="Production")
    mine = commitment_entry(["5.1.1.a"], person=PersonFactory(department=production))
    commitment_entry(["5.1.1.a"])

    response = client_as(qa).get(detail("5.1.1.a"), {"department": production.pk, "period_start": ""}, **HTMX)

    assert "<html" not in response.text
    assert [r.object_id for r in response.context["rows"]] == [mine.pk]


def test_a_link_with_only_a_department_keeps_the_last_twelve_months(client_as, qa):
    """The catalogue links to items with its department filter; the item then counts the same records."""
    production = DepartmentFactory(name="Production")
    person = PersonFactory(department=production)
    recent = commitment_entry(["5.1.1.a"], person=person)
    commitment_entry(["5.1.1.a"], person=person, date=timezone.localdate() - datetime.timedelta(days=400))

    response = client_as(qa).get(detail("5.1.1.a"), {"department": production.pk})

    assert [r.object_id for r in response.context["rows"]] == [recent.pk]


def test_a_period_that_ends_before_it_starts_is_explained(client_as, qa):
    response = client_as(qa).get(detail(), {"period_start": "2026-06-01", "period_end": "2026-01-01"})

    assert response.status_code == 200
    assert "The period ends (01 Jan 2026) before it starts (01 Jun 2026)." in response.text
    assert response.context["rows"] == []


def test_an_item_page_pages_its_evidence_by_fifty(client_as, qa):
    for n in range(55):
        commitment_entry(["5.1.1.a"], date=timezone.localdate() - datetime.timedelta(days=n % 300))

    client = client_as(qa)
    first = client.get(detail("5.1.1.a"))
    second = client.get(detail("5.1.1.a"), {"page": 2})
    beyond = client.get(detail("5.1.1.a"), {"page": 9})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert "51\N{EN DASH}55 of 55" in second.text
    assert beyond.context["page_obj"].number == 2


def test_records_a_role_cannot_open_are_not_shown_and_the_page_says_so(client_as, dept_manager, auditor):
    """Department managers do not read policy acknowledgements; auditors read everything."""
    PolicyAcknowledgementFactory(version=PolicyVersionFactory(published=True))

    hidden = client_as(dept_manager).get(detail("5.2.2.b"))
    shown = client_as(auditor).get(detail("5.2.2.b"))

    assert hidden.context["rows"] == []
    assert "Not shown to your role: policy acknowledgements" in hidden.text
    assert len(shown.context["rows"]) == 1
    assert "Not shown to your role" not in shown.text


@pytest.mark.parametrize("persona", TAGGERS)
def test_roles_that_tag_see_the_tagging_form(client_as, persona, request):
    response = client_as(request.getfixturevalue(persona)).get(detail())

    assert reverse("evidence:clause-tag", args=["5.3.e"]) in response.text


@pytest.mark.parametrize("persona", ["dept_manager", "auditor"])
def test_roles_that_do_not_tag_see_no_tagging_form(client_as, persona, request):
    response = client_as(request.getfixturevalue(persona)).get(detail())

    assert reverse("evidence:clause-tag", args=["5.3.e"]) not in response.text


# Tagging ----------------------------------------------------------------------------------------------


def test_the_record_search_offers_the_records_that_could_be_tagged(client_as, qa):
    meeting = signed_meeting(title="Production meeting")

    response = client_as(qa).get(
        reverse("evidence:clause-record-search", args=["5.3.e"]), {"kind": "reviews.meeting", "q": "production"}
    )

    assert response.status_code == 200
    assert f'<option value="{meeting.pk}">' in response.text
    assert "Production meeting" in response.text


@pytest.mark.parametrize("persona", NOT_TAGGERS)
def test_the_record_search_is_for_taggers_only(client_as, persona, request):
    url = reverse("evidence:clause-record-search", args=["5.3.e"])

    assert client_as(request.getfixturevalue(persona)).get(url, {"kind": "reviews.meeting"}).status_code == 403


@pytest.mark.parametrize("persona", TAGGERS)
def test_taggers_tag_a_record_and_see_it_on_the_item_page(client_as, persona, request):
    user = request.getfixturevalue(persona)
    meeting = signed_meeting(title="Production meeting")
    client = client_as(user)

    response = client.post(reverse("evidence:clause-tag", args=["5.3.e"]), tag_data(meeting))

    assert response.status_code == 302
    assert response.url == detail()
    tag = EvidenceTag.objects.get()
    assert (tag.object_id, tag.tagged_by) == (str(meeting.pk), user)
    page = client.get(detail())
    assert "Production meeting" in page.text
    assert "tagged" in page.text


@pytest.mark.parametrize("persona", NOT_TAGGERS)
def test_other_roles_cannot_tag(client_as, persona, request):
    response = client_as(request.getfixturevalue(persona)).post(
        reverse("evidence:clause-tag", args=["5.3.e"]), tag_data(signed_meeting())
    )

    assert response.status_code == 403
    assert not EvidenceTag.objects.exists()


def test_anonymous_visitors_cannot_search_tag_or_untag(client):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    search = client.get(reverse("evidence:clause-record-search", args=["5.3.e"]), {"kind": "reviews.meeting"})
    tagging = client.post(reverse("evidence:clause-tag", args=["5.3.e"]), tag_data(signed_meeting()))
    untagging = client.post(reverse("evidence:evidence-tag-remove", args=[tag.pk]), {"reason": "No."})

    for response in (search, tagging, untagging):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert EvidenceTag.objects.get().is_active


def test_tagging_is_post_only(client_as, qa):
    assert client_as(qa).get(reverse("evidence:clause-tag", args=["5.3.e"])).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": ""}, "This field is required."),
        ({"object_id": ""}, "Choose the record: search for it, then pick it from the list."),
        ({"object_id": "999999"}, "There is no meeting with id 999999."),
        ({"kind": "leadership.department"}, "Select a valid choice."),
    ],
)
def test_a_tag_with_bad_input_is_refused_on_the_form(client_as, qa, data, message):
    meeting = signed_meeting()

    response = client_as(qa).post(reverse("evidence:clause-tag", args=["5.3.e"]), {**tag_data(meeting), **data})

    assert response.status_code == 200
    assert message in response.text
    assert not EvidenceTag.objects.exists()


def test_a_record_that_is_not_evidence_is_refused_with_the_reason(client_as, qa):
    draft = PolicyVersionFactory()

    response = client_as(qa).post(
        reverse("evidence:clause-tag", args=["5.1.1.i"]), tag_data(draft, kind="leadership.policyversion")
    )

    assert response.status_code == 200
    assert "does not count as evidence (yet)" in response.text
    assert not EvidenceTag.objects.exists()


# Removing a tag -------------------------------------------------------------------------------------


def remove_url(tag):
    return reverse("evidence:evidence-tag-remove", args=[tag.pk])


@pytest.mark.parametrize("persona", TAGGERS)
def test_taggers_remove_a_tag_with_a_reason_and_it_stays_in_the_trail(client_as, persona, request):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client = client_as(request.getfixturevalue(persona))

    response = client.post(remove_url(tag), {"reason": "The change was not made after all."})

    assert response.status_code == 302
    tag.refresh_from_db()
    assert not tag.is_active
    page = client.get(detail())
    assert page.context["rows"] == []
    assert "The change was not made after all." in page.text  # the removed tags card


@pytest.mark.parametrize("persona", NOT_TAGGERS)
def test_other_roles_cannot_remove_tags(client_as, persona, request):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    response = client_as(request.getfixturevalue(persona)).post(remove_url(tag), {"reason": "No."})

    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.is_active


def test_a_removal_without_a_reason_is_refused(client_as, qa):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")

    response = client_as(qa).post(remove_url(tag), {"reason": ""}, follow=True)

    assert "say why the record no longer evidences the requirement" in response.text
    tag.refresh_from_db()
    assert tag.is_active


def test_removing_is_post_only_and_unknown_tags_are_not_found(client_as, qa):
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client = client_as(qa)

    assert client.get(remove_url(tag)).status_code == 405
    assert client.post(reverse("evidence:evidence-tag-remove", args=[99999]), {"reason": "x"}).status_code == 404


# The shell -----------------------------------------------------------------------------------------------


def test_the_dashboard_opens_with_audit_readiness_for_readers_only(client_as, qa, employee):
    shown = client_as(qa).get(reverse("home"))
    assert "Audit readiness" in shown.text
    assert reverse("evidence:readiness") in shown.text
    # It is the first panel: nothing else comes before it.
    assert shown.text.index("Audit readiness") < shown.text.index("Quality policy")

    hidden = client_as(employee).get(reverse("home"))
    assert "Audit readiness" not in hidden.text


def test_a_record_page_can_show_the_items_it_evidences(qa):
    meeting = signed_meeting()
    EvidenceTagFactory(record=meeting, clause_id="5.3.e")
    request = RequestFactory().get("/")
    request.user = qa

    html = Template("{% load evidence_tags %}{% evidences_for record %}").render(
        Context({"request": request, "record": meeting})
    )

    assert "Evidences" in html
    assert reverse("evidence:clause-detail", args=["5.1.1.c"]) in html
    assert reverse("evidence:clause-detail", args=["5.3.e"]) in html


def test_the_admin_shows_the_catalogue_and_tags_read_only(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    tag = EvidenceTagFactory(record=signed_meeting(), clause_id="5.3.e")
    client.force_login(admin)

    assert client.get(reverse("admin:evidence_clause_changelist")).status_code == 200
    assert client.get(reverse("admin:evidence_clause_change", args=["5.3.e"])).status_code == 200
    assert client.get(reverse("admin:evidence_evidencetag_changelist")).status_code == 200
    assert client.get(reverse("admin:evidence_evidencetag_history", args=[tag.pk])).status_code == 200
    assert client.get(reverse("admin:evidence_clause_add")).status_code == 403
    assert client.get(reverse("admin:evidence_evidencetag_add")).status_code == 403
    assert client.post(reverse("admin:evidence_evidencetag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 403
    assert EvidenceTag.objects.filter(pk=tag.pk).exists()
