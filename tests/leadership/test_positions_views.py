"""Pages of positions, holders, acknowledgements, the responsibility matrix and the management representative."""

import datetime
import decimal

import pytest
import time_machine
from django.urls import reverse

from leadership.models.commitment import CommitmentEntry
from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from leadership.services import positions as services
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_positions import (
    ManagementRepresentativeAppointmentFactory,
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
    grow_positions,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PERSONAS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"]
NOT_MGMT_REP = ["ceo", "dept_manager", "qa", "auditor", "employee"]


def _position_form(department, **changes):
    return {
        "title": "Production Manager",
        "department": department.pk,
        "responsibilities": "Runs the machining cells\nKeeps the work instructions current",
        "authorities": "May stop a machine that drifts out of tolerance",
        "requirement_ids": ["5.3.b"],
        **changes,
    }


# Reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["leadership:position-list", "leadership:responsibility-matrix"])
def test_every_role_reads_positions_and_the_matrix(request, client_as, persona, url_name):
    PositionHolderFactory()

    assert client_as(request.getfixturevalue(persona)).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["leadership:position-list", "leadership:responsibility-matrix", "leadership:appointment-list"]
)
def test_an_account_without_a_role_sees_no_position_page(client_as, outsider, url_name):
    assert client_as(outsider).get(reverse(url_name)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    for url in [reverse("leadership:position-list"), reverse("leadership:my-positions")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_position_list_filters_by_department_holder_and_requirement(client_as, employee):
    held = PositionHolderFactory(position__title="Quality Manager", position__requirement_ids=["5.3.a", "5.3.c"])
    unheld = PositionFactory(title="Change Manager", requirement_ids=["5.3.e"])
    PositionFactory(title="Planner", requirement_ids=["9.3.2.c.1"])
    client = client_as(employee)

    def titles(**params):
        response = client.get(reverse("leadership:position-list"), params)
        return sorted(p.title for p in response.context["object_list"])

    assert titles(department=held.position.department.pk) == ["Quality Manager"]
    assert titles(has_holder="true") == ["Quality Manager"]
    assert titles(has_holder="false") == ["Change Manager", "Planner"]
    assert titles(requirement="5.3.e") == [unheld.title]
    assert titles(requirement="5.3.c") == ["Quality Manager"]
    assert titles(requirement="9.3.2.c.1") == ["Planner"]
    assert titles(q="planner") == ["Planner"]


def test_position_detail_shows_the_description_iso_text_and_holders_acknowledgement(client_as, employee):
    position = PositionFactory(
        title="Quality Inspector",
        authorities="May stop a batch that fails inspection",
        requirement_ids=["5.3.b"],
    )
    acknowledged = PositionHolderFactory(position=position, person__user__first_name="Marek")
    PositionHolderFactory(position=position, person__user__first_name="Lucy")
    PositionAcknowledgementFactory(position=position, person=acknowledged.person)

    response = client_as(employee).get(position.get_absolute_url())

    html = response.content.decode()
    assert "May stop a batch that fails inspection" in html
    assert "making sure processes deliver their intended outputs" in html
    assert "Acknowledged revision 1" in html
    assert "Not acknowledged revision 1" in html
    assert "Marek" in html
    assert "Lucy" in html


def test_position_history_is_shown_to_the_auditor_but_not_to_employees(client_as, auditor, employee, mgmt_rep):
    position = PositionFactory()
    services.position_update(actor=mgmt_rep, position=position, authorities="May authorise overtime")

    response = client_as(auditor).get(position.get_absolute_url())

    assert response.context["history"][0]["record"].history_user == mgmt_rep
    assert "history" not in client_as(employee).get(position.get_absolute_url()).context


# Creating and editing -----------------------------------------------------------------------------


def test_management_representative_creates_a_position(client_as, mgmt_rep):
    department = DepartmentFactory()

    response = client_as(mgmt_rep).post(reverse("leadership:position-create"), _position_form(department))

    position = Position.objects.get()
    assert response.status_code == 302
    assert response["Location"] == position.get_absolute_url()
    assert (position.requirement_ids, position.revision) == (["5.3.b"], 1)
    assert position.history.get().history_user == mgmt_rep


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_create_or_edit_positions(request, client_as, persona):
    position = PositionFactory(title="Original")
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("leadership:position-create")).status_code == 403
    assert client.post(reverse("leadership:position-create"), _position_form(position.department)).status_code == 403
    response = client.post(
        reverse("leadership:position-update", args=[position.pk]), _position_form(position.department)
    )

    assert response.status_code == 403
    position.refresh_from_db()
    assert position.title == "Original"
    assert Position.objects.count() == 1


def test_position_form_names_the_field_in_error_and_saves_nothing(client_as, mgmt_rep):
    department = DepartmentFactory()
    PositionFactory(title="Production Manager", department=department)

    response = client_as(mgmt_rep).post(
        reverse("leadership:position-create"),
        _position_form(department, title="production manager", responsibilities="", requirement_ids=["5.3.z"]),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already has a position" in errors["title"][0]
    assert errors["responsibilities"] == ["This field is required."]
    assert "5.3.z is not one of the available choices" in errors["requirement_ids"][0]
    assert Position.objects.count() == 1


def test_editing_the_description_makes_a_new_revision_and_says_so(client_as, mgmt_rep):
    position = PositionFactory(requirement_ids=["5.3.b"])
    client = client_as(mgmt_rep)

    response = client.post(
        reverse("leadership:position-update", args=[position.pk]),
        _position_form(position.department, title=position.title, authorities="May authorise overtime"),
        follow=True,
    )

    position.refresh_from_db()
    assert position.revision == 2
    assert "it is now revision 2" in response.content.decode()


def test_editing_only_the_title_keeps_the_revision(client_as, mgmt_rep):
    position = PositionFactory(requirement_ids=["5.3.b"])
    form = _position_form(
        position.department,
        title="Renamed",
        responsibilities=position.responsibilities,
        authorities=position.authorities,
        is_active="on",
    )

    client_as(mgmt_rep).post(reverse("leadership:position-update", args=[position.pk]), form)

    position.refresh_from_db()
    assert (position.title, position.revision) == ("Renamed", 1)


# Holders -----------------------------------------------------------------------------------------------


def test_management_representative_assigns_and_ends_a_holding(client_as, mgmt_rep):
    position = PositionFactory()
    person = PersonFactory()
    client = client_as(mgmt_rep)

    assert client.get(reverse("leadership:position-holder-assign", args=[position.pk])).status_code == 200
    response = client.post(
        reverse("leadership:position-holder-assign", args=[position.pk]),
        {"person": person.pk, "start_date": "2024-02-01"},
    )
    holder = PositionHolder.objects.get()
    assert response.status_code == 302
    assert (holder.person, holder.start_date, holder.end_date) == (person, D(2024, 2, 1), None)

    response = client.post(reverse("leadership:position-holder-end", args=[holder.pk]), {"end_date": "2099-03-31"})
    holder.refresh_from_db()
    assert response.status_code == 302
    assert holder.end_date == D(2099, 3, 31)


def test_overlapping_holding_is_refused_on_the_person_field(client_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1))

    response = client_as(mgmt_rep).post(
        reverse("leadership:position-holder-assign", args=[holder.position.pk]),
        {"person": holder.person.pk, "start_date": "2024-06-01"},
    )

    assert response.status_code == 200
    assert "already holds this position from 01 Jan 2024" in response.context["form"].errors["person"][0]
    assert PositionHolder.objects.count() == 1


def test_ending_before_the_start_is_refused_on_the_end_date_field(client_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1))

    response = client_as(mgmt_rep).post(
        reverse("leadership:position-holder-end", args=[holder.pk]), {"end_date": "2023-12-31"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["The holding cannot end before it starts."]


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_ending_an_ended_holding_shows_a_message(client_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1), end_date=D(2025, 1, 31))

    response = client_as(mgmt_rep).post(
        reverse("leadership:position-holder-end", args=[holder.pk]), {"end_date": "2025-06-30"}, follow=True
    )

    assert "already ended on 31 Jan 2025" in response.content.decode()
    holder.refresh_from_db()
    assert holder.end_date == D(2025, 1, 31)


def test_assigning_to_an_inactive_position_shows_a_message(client_as, mgmt_rep):
    position = PositionFactory(is_active=False)

    response = client_as(mgmt_rep).post(
        reverse("leadership:position-holder-assign", args=[position.pk]),
        {"person": PersonFactory().pk, "start_date": "2024-02-01"},
        follow=True,
    )

    assert "is inactive" in response.content.decode()
    assert not PositionHolder.objects.exists()


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_assign_or_end_holdings(request, client_as, persona):
    holder = PositionHolderFactory()
    client = client_as(request.getfixturevalue(persona))

    assign = client.post(
        reverse("leadership:position-holder-assign", args=[holder.position.pk]),
        {"person": PersonFactory().pk, "start_date": "2024-02-01"},
    )
    end = client.post(reverse("leadership:position-holder-end", args=[holder.pk]), {"end_date": "2099-01-01"})

    assert (assign.status_code, end.status_code) == (403, 403)
    holder.refresh_from_db()
    assert holder.end_date is None
    assert PositionHolder.objects.count() == 1


# My positions and acknowledging --------------------------------------------------------------------


def test_my_positions_lists_what_the_person_holds_with_the_acknowledge_button(client_as, employee):
    mine = PositionHolderFactory(person=employee.person, position__authorities="May stop a batch")
    PositionHolderFactory(position__title="Somebody else's")

    response = client_as(employee).get(reverse("leadership:my-positions"))

    html = response.content.decode()
    assert [h.pk for h in response.context["holdings"]] == [mine.pk]
    assert "May stop a batch" in html
    assert "I have read and understood revision 1" in html
    assert "Somebody else" not in html


def test_my_positions_for_somebody_holding_nothing_says_so(client_as, outsider):
    response = client_as(outsider).get(reverse("leadership:my-positions"))

    assert response.status_code == 200
    assert "You hold no position" in response.content.decode()


def test_holder_acknowledges_from_my_positions(client_as, employee):
    holder = PositionHolderFactory(person=employee.person)
    client = client_as(employee)

    response = client.post(
        reverse("leadership:position-acknowledge", args=[holder.position.pk]), {"revision": 1}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("leadership:my-positions")
    assert "You acknowledged revision 1" in response.content.decode()
    assert PositionAcknowledgement.objects.get().person == employee.person


def test_acknowledging_a_position_one_does_not_hold_is_forbidden(client_as, employee):
    position = PositionFactory()

    response = client_as(employee).post(reverse("leadership:position-acknowledge", args=[position.pk]), {"revision": 1})

    assert response.status_code == 403
    assert not PositionAcknowledgement.objects.exists()


def test_acknowledging_an_outdated_revision_shows_why_and_saves_nothing(client_as, employee, mgmt_rep):
    holder = PositionHolderFactory(person=employee.person)
    services.position_update(actor=mgmt_rep, position=holder.position, authorities="New authority")

    response = client_as(employee).post(
        reverse("leadership:position-acknowledge", args=[holder.position.pk]), {"revision": 1}, follow=True
    )

    assert "now at revision 2, not 1" in response.content.decode()
    assert not PositionAcknowledgement.objects.exists()


def test_acknowledging_twice_shows_a_message(client_as, employee):
    holder = PositionHolderFactory(person=employee.person)
    PositionAcknowledgementFactory(position=holder.position, person=employee.person)

    response = client_as(employee).post(
        reverse("leadership:position-acknowledge", args=[holder.position.pk]), {"revision": 1}, follow=True
    )

    assert "already acknowledged revision 1" in response.content.decode()
    assert PositionAcknowledgement.objects.count() == 1


def test_acknowledge_only_accepts_post(client_as, employee):
    holder = PositionHolderFactory(person=employee.person)

    assert (
        client_as(employee).get(reverse("leadership:position-acknowledge", args=[holder.position.pk])).status_code
        == 405
    )


def test_acknowledge_redirects_only_to_this_site(client_as, employee):
    holder = PositionHolderFactory(person=employee.person)

    response = client_as(employee).post(
        reverse("leadership:position-acknowledge", args=[holder.position.pk]),
        {"revision": 1, "next": "//evil.example.com/"},
    )

    assert response["Location"] == reverse("leadership:my-positions")


def test_holder_sees_the_acknowledge_button_on_the_position_page(client_as, employee):
    holder = PositionHolderFactory(person=employee.person)

    html = client_as(employee).get(holder.position.get_absolute_url()).content.decode()

    assert "You hold this position" in html
    assert "I have read and understood revision 1" in html


# The responsibility matrix ------------------------------------------------------------------------


def test_matrix_page_explains_the_gaps_in_words(client_as, qa, mgmt_rep):
    tom = PersonFactory(user__first_name="Tom", user__last_name="Hargreaves")
    holder = PositionHolderFactory(
        position__title="Production Manager", position__requirement_ids=["5.3.b"], person=tom
    )
    PositionAcknowledgementFactory(position=holder.position, person=tom)
    services.position_update(actor=mgmt_rep, position=holder.position, authorities="New")
    services.position_update(actor=mgmt_rep, position=holder.position, authorities="Newer")
    PositionFactory(title="Sales Manager", requirement_ids=["5.3.d"])

    html = client_as(qa).get(reverse("leadership:responsibility-matrix")).content.decode()

    assert "5.3.e is assigned to no position" in html
    assert "Production Manager: Tom Hargreaves has not acknowledged revision 3." in html
    assert "Sales Manager has no holder." in html


def test_matrix_shows_the_management_representative_to_those_who_may_see_appointments(
    client_as, ceo, employee, mgmt_rep
):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    assert (
        "Management representative in force"
        in client_as(ceo).get(reverse("leadership:responsibility-matrix")).content.decode()
    )
    # Every member of staff may know who the representative is (roles.py gives them the view permission).
    assert (
        "Management representative in force"
        in client_as(employee).get(reverse("leadership:responsibility-matrix")).content.decode()
    )


# Query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # session, user, user's own and group permissions (2), user's groups for the role badge,
        # count for pagination, the page of positions (department, superior and has_holder in the
        # same query), their current holders with person and acknowledgement state (one prefetch),
        # the departments of the filter's drop-down.
        ("leadership:position-list", 9),
        # session, user, permissions (2), groups for the role badge, the active positions, their
        # current holders with acknowledgement state, and the appointment in force (the user may
        # see appointments).
        ("leadership:responsibility-matrix", 8),
    ],
)
def test_position_pages_run_the_same_number_of_queries_for_5_or_50_positions(
    client_as, mgmt_rep, django_assert_num_queries, url_name, queries
):
    client = client_as(mgmt_rep)
    grow_positions(5)
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200

    grow_positions(45)
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200


def test_appointment_list_runs_the_same_number_of_queries_for_5_or_50_rows(
    client_as, mgmt_rep, django_assert_num_queries
):
    client = client_as(mgmt_rep)
    for n in (5, 45):
        ManagementRepresentativeAppointmentFactory.create_batch(n)
        # session, user, permissions (2), groups for the role badge, count for pagination, the
        # page of appointments (person, signature and successor joined), the people of the
        # filter's drop-down.
        with django_assert_num_queries(8):
            assert client.get(reverse("leadership:appointment-list")).status_code == 200


def test_position_list_htmx_request_gets_only_the_table(client_as, employee):
    PositionFactory()

    response = client_as(employee).get(reverse("leadership:position-list"), HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "leadership/positions/partials/_position_table.html"


# The management representative ---------------------------------------------------------------------


def _appointment_form(person, **changes):
    return {
        "person": person.pk,
        "powers": "Reports directly to the CEO\nCan require other departments to cooperate",
        "budget_limit": "25000.00",
        "budget_currency": "GBP",
        "start_date": "2024-01-08",
        **changes,
    }


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "auditor"])
def test_appointments_are_read_by_top_management_the_representative_and_auditors(request, client_as, persona):
    appointment = ManagementRepresentativeAppointmentFactory()
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("leadership:appointment-list")).status_code == 200
    assert client.get(appointment.get_absolute_url()).status_code == 200


def test_management_representative_drafts_an_appointment(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(reverse("leadership:appointment-create"), _appointment_form(mgmt_rep.person))

    appointment = ManagementRepresentativeAppointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appointment.get_absolute_url()
    assert (appointment.status, appointment.budget_limit) == ("draft", decimal.Decimal("25000.00"))


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_draft_an_appointment(request, client_as, persona):
    user = request.getfixturevalue(persona)

    response = client_as(user).post(reverse("leadership:appointment-create"), _appointment_form(user.person))

    assert response.status_code == 403
    assert not ManagementRepresentativeAppointment.objects.exists()


def test_appointment_form_names_the_field_in_error(client_as, mgmt_rep):
    response = client_as(mgmt_rep).post(
        reverse("leadership:appointment-create"),
        _appointment_form(mgmt_rep.person, budget_limit="-5", budget_currency="pounds", end_date="2023-01-01"),
    )

    errors = response.context["form"].errors
    assert set(errors) >= {"budget_limit", "budget_currency", "end_date"}
    assert not ManagementRepresentativeAppointment.objects.exists()


def test_ceo_sees_the_sign_form_and_signs_the_appointment(client_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    client = client_as(ceo)

    page = client.get(appointment.get_absolute_url())
    assert "sign_form" in page.context
    response = client.post(reverse("leadership:appointment-sign", args=[appointment.pk]), {"password": PASSWORD})

    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.status == "signed"
    html = client.get(appointment.get_absolute_url()).content.decode()
    assert "Approved</strong> by" in html
    assert "SHA-256" in html
    assert "Changed after it was signed" not in html
    assert CommitmentEntry.objects.filter(person=ceo.person).count() == 1


def test_wrong_password_re_renders_the_page_with_the_error(client_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)

    response = client_as(ceo).post(reverse("leadership:appointment-sign", args=[appointment.pk]), {"password": "nope"})

    assert response.status_code == 200
    assert response.context["sign_form"].errors["password"] == ["The password is not correct. Nothing was signed."]
    appointment.refresh_from_db()
    assert appointment.status == "draft"


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_may_sign_on_the_page(request, client_as, persona, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory()
    client = client_as(request.getfixturevalue(persona))

    response = client.post(reverse("leadership:appointment-sign", args=[appointment.pk]), {"password": PASSWORD})

    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "draft"


def test_signing_a_signed_appointment_again_shows_a_message(client_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    response = client_as(ceo).post(
        reverse("leadership:appointment-sign", args=[appointment.pk]), {"password": PASSWORD}, follow=True
    )

    assert "already signed" in response.content.decode()


def test_a_signed_appointment_cannot_be_edited_on_the_page(client_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)
    client = client_as(mgmt_rep)
    url = reverse("leadership:appointment-update", args=[appointment.pk])

    get = client.get(url, follow=True)
    post = client.post(url, _appointment_form(mgmt_rep.person, budget_limit="999999"), follow=True)

    assert "cannot be changed" in get.content.decode()
    assert "cannot be changed" in post.content.decode()
    appointment.refresh_from_db()
    assert appointment.budget_limit == decimal.Decimal("25000.00")


def test_a_draft_can_be_edited_on_the_page(client_as, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)

    response = client_as(mgmt_rep).post(
        reverse("leadership:appointment-update", args=[appointment.pk]),
        _appointment_form(mgmt_rep.person, budget_limit="30000"),
    )

    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.budget_limit == decimal.Decimal("30000")


def test_the_superseded_appointment_links_to_its_successor(client_as, ceo, mgmt_rep):
    first = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person, start_date=D(2023, 1, 1))
    services.management_representative_appointment_sign(actor=ceo, appointment=first, password=PASSWORD)
    second = ManagementRepresentativeAppointmentFactory(start_date=D(2024, 5, 1))
    services.management_representative_appointment_sign(actor=ceo, appointment=second, password=PASSWORD)

    html = client_as(ceo).get(first.get_absolute_url()).content.decode()

    assert "Superseded by" in html
    assert "30 Apr 2024" in html


def test_history_shows_each_revision_and_the_signing(client_as, auditor, ceo, mgmt_rep):
    position = PositionFactory()
    services.position_update(actor=mgmt_rep, position=position, authorities="May authorise overtime")
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)
    client = client_as(auditor)

    position_changes = client.get(position.get_absolute_url()).context["history"][0]["changes"]
    appointment_changes = client.get(appointment.get_absolute_url()).context["history"][0]["changes"]

    assert ("revision", 1, 2) in position_changes
    assert ("status", "draft", "signed") in appointment_changes


# The admin ------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_signed_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD))
    return client


@pytest.mark.parametrize(
    "model", ["position", "positionholder", "positionacknowledgement", "managementrepresentativeappointment"]
)
def test_admin_lists_load(admin_client_signed_in, model):
    PositionAcknowledgementFactory()
    ManagementRepresentativeAppointmentFactory()

    assert admin_client_signed_in.get(reverse(f"admin:leadership_{model}_changelist")).status_code == 200


def test_admin_cannot_change_a_signed_appointment(admin_client_signed_in, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)
    url = reverse("admin:leadership_managementrepresentativeappointment_change", args=[appointment.pk])

    response = admin_client_signed_in.post(url, {"powers": "Anything", "budget_limit": "9999999"})

    appointment.refresh_from_db()
    assert response.status_code == 403
    assert appointment.budget_limit == decimal.Decimal("25000.00")


def test_suggested_dashboard_panel_renders_the_real_figures(rf, employee):
    from django.template.loader import render_to_string

    from leadership.selectors.positions import roles_dashboard_figures

    PositionHolderFactory(person=employee.person, position__title="Quality Inspector")
    request = rf.get("/")
    request.user = employee

    html = render_to_string(
        "leadership/positions/partials/_dashboard_roles.html",
        {"data": roles_dashboard_figures(user=employee)},
        request=request,
    )

    assert "5.3.a, 5.3.b, 5.3.c, 5.3.d, 5.3.e" in html
    assert "Quality Inspector (revision 1)" in html
    assert "no signed appointment" in html
