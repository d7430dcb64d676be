"""API of positions, holders, acknowledgements, the responsibility matrix and the management representative."""

import datetime

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
NOT_MGMT_REP = ["ceo", "dept_manager", "qa", "auditor", "employee"]


def _position_data(department, /, **changes):
    return {
        "title": "Production Manager",
        "department": department.pk,
        "responsibilities": "Runs the machining cells\nKeeps the work instructions current",
        "authorities": "May stop a machine that drifts out of tolerance",
        "requirement_ids": ["5.3.b"],
        **changes,
    }


def _appointment_data(person, /, **changes):
    return {
        "person": person.pk,
        "powers": "Reports directly to the CEO\nCan require other departments to cooperate",
        "budget_limit": "25000.00",
        "budget_currency": "GBP",
        "start_date": "2024-01-08",
        **changes,
    }


# Reading ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
@pytest.mark.parametrize("url_name", ["position-list", "position-holder-list", "api-responsibility-matrix"])
def test_every_role_reads_positions_holders_and_the_matrix(request, api_as, persona, url_name):
    PositionHolderFactory()

    assert api_as(request.getfixturevalue(persona)).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "position-list",
        "position-holder-list",
        "api-responsibility-matrix",
        "management-representative-appointment-list",
    ],
)
def test_an_account_without_a_role_reads_nothing(api_as, outsider, url_name):
    assert api_as(outsider).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["position-list", "api-responsibility-matrix"])
def test_anonymous_requests_get_no_data(api_client, url_name):
    assert api_client.get(reverse(url_name)).status_code in (401, 403)


def test_position_shows_its_iso_items_with_text_and_current_holders(api_as, employee):
    holder = PositionHolderFactory(position__requirement_ids=["5.3.a", "5.3.c"])
    PositionHolderFactory(position=holder.position, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31))
    PositionAcknowledgementFactory(position=holder.position, person=holder.person)

    data = api_as(employee).get(reverse("position-detail", args=[holder.position.pk])).json()

    assert data["requirements"][0] == {"id": "5.3.a", "text": "making sure the QMS conforms to ISO 9001"}
    assert data["revision"] == 1
    assert data["has_holder"] is True
    assert [h["person"] for h in data["holders"]] == [holder.person.pk]
    assert data["holders"][0]["acknowledged_current"] is True


def test_position_list_filters_by_requirement_and_holder(api_as, auditor):
    PositionHolderFactory(position__title="Quality Manager", position__requirement_ids=["5.3.a"])
    PositionFactory(title="Change Manager", requirement_ids=["5.3.e"])
    client = api_as(auditor)

    def titles(**params):
        return [p["title"] for p in client.get(reverse("position-list"), params).json()["results"]]

    assert titles(requirement="5.3.e") == ["Change Manager"]
    assert titles(has_holder="false") == ["Change Manager"]
    assert titles(has_holder="true") == ["Quality Manager"]


def test_mine_lists_the_positions_the_signed_in_user_holds(api_as, employee):
    mine = PositionHolderFactory(person=employee.person).position
    PositionFactory()

    response = api_as(employee).get(reverse("position-list"), {"mine": "true"})

    assert [p["id"] for p in response.json()["results"]] == [mine.pk]


def test_bad_filter_value_is_a_400_naming_the_filter(api_as, auditor):
    response = api_as(auditor).get(reverse("position-list"), {"requirement": "5.3.z"})

    assert response.status_code == 400
    assert "requirement" in response.json()


# Creating and updating positions -----------------------------------------------------------------------


def test_management_representative_creates_a_position(api_as, mgmt_rep):
    department = DepartmentFactory()

    response = api_as(mgmt_rep).post(reverse("position-list"), _position_data(department), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["revision"], body["requirement_ids"], body["has_holder"]) == (1, ["5.3.b"], False)
    assert Position.objects.get().history.get().history_user == mgmt_rep


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_create_or_update_positions(request, api_as, persona):
    position = PositionFactory(title="Original")
    client = api_as(request.getfixturevalue(persona))

    created = client.post(reverse("position-list"), _position_data(position.department), format="json")
    updated = client.patch(reverse("position-detail", args=[position.pk]), {"title": "Changed"}, format="json")

    assert (created.status_code, updated.status_code) == (403, 403)
    position.refresh_from_db()
    assert position.title == "Original"
    assert Position.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"requirement_ids": ["5.3.a", "5.3.z"]},
            "requirement_ids",
            "Not an ISO requirement id of the catalogue: 5.3.z.",
        ),
        ({"responsibilities": "   "}, "responsibilities", "This field may not be blank."),
        ({"department": None}, "department", "This field may not be null."),
        ({"requirement_ids": "5.3.a"}, "requirement_ids", 'Expected a list of items but got type "str".'),
    ],
)
def test_bad_position_input_is_a_400_naming_the_field(api_as, mgmt_rep, changes, field, message):
    response = api_as(mgmt_rep).post(
        reverse("position-list"), _position_data(DepartmentFactory(), **changes), format="json"
    )

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Position.objects.exists()


def test_duplicate_title_is_a_400_on_the_title(api_as, mgmt_rep):
    position = PositionFactory(title="Production Manager")

    response = api_as(mgmt_rep).post(reverse("position-list"), _position_data(position.department), format="json")

    assert response.status_code == 400
    assert "already has a position" in response.json()["title"][0]


def test_updating_the_description_bumps_the_revision_but_renaming_does_not(api_as, mgmt_rep):
    position = PositionFactory(requirement_ids=["5.3.b"])
    client = api_as(mgmt_rep)
    url = reverse("position-detail", args=[position.pk])

    renamed = client.patch(url, {"title": "Head of Production"}, format="json").json()
    changed = client.patch(url, {"requirement_ids": ["5.3.b", "5.3.e"]}, format="json").json()

    assert (renamed["title"], renamed["revision"]) == ("Head of Production", 1)
    assert (changed["requirement_ids"], changed["revision"]) == (["5.3.b", "5.3.e"], 2)


def test_revision_cannot_be_set_through_the_api(api_as, mgmt_rep):
    position = PositionFactory()

    response = api_as(mgmt_rep).patch(reverse("position-detail", args=[position.pk]), {"revision": 9}, format="json")

    assert response.status_code == 200
    assert response.json()["revision"] == 1


def test_deleting_a_position_is_not_offered(api_as, mgmt_rep):
    position = PositionFactory()

    assert api_as(mgmt_rep).delete(reverse("position-detail", args=[position.pk])).status_code == 405
    assert Position.objects.filter(pk=position.pk).exists()


# Acknowledging -----------------------------------------------------------------------------------------


def test_holder_acknowledges_their_position(api_as, employee):
    holder = PositionHolderFactory(person=employee.person)

    response = api_as(employee).post(
        reverse("position-acknowledge", args=[holder.position.pk]), {"revision": 1}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["revision"] == 1
    assert len(response.json()["content_sha256"]) == 64
    assert PositionAcknowledgement.objects.get().person == employee.person


def test_acknowledging_a_position_one_does_not_hold_is_403(api_as, mgmt_rep):
    position = PositionFactory()

    response = api_as(mgmt_rep).post(
        reverse("position-acknowledge", args=[position.pk]), {"revision": 1}, format="json"
    )

    assert response.status_code == 403
    assert not PositionAcknowledgement.objects.exists()


def test_acknowledging_twice_is_409(api_as, employee):
    holder = PositionHolderFactory(person=employee.person)
    PositionAcknowledgementFactory(position=holder.position, person=employee.person)

    response = api_as(employee).post(
        reverse("position-acknowledge", args=[holder.position.pk]), {"revision": 1}, format="json"
    )

    assert response.status_code == 409
    assert "already acknowledged revision 1" in response.json()["detail"]


def test_acknowledging_an_outdated_revision_is_409_with_the_current_one(api_as, employee, mgmt_rep):
    holder = PositionHolderFactory(person=employee.person)
    services.position_update(actor=mgmt_rep, position=holder.position, authorities="Something new")

    response = api_as(employee).post(
        reverse("position-acknowledge", args=[holder.position.pk]), {"revision": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current_revision"] == 2
    assert not PositionAcknowledgement.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "This field is required."), ({"revision": 0}, "Ensure this value is greater than or equal to 1.")],
)
def test_acknowledging_without_a_valid_revision_is_400(api_as, employee, body, message):
    holder = PositionHolderFactory(person=employee.person)

    response = api_as(employee).post(reverse("position-acknowledge", args=[holder.position.pk]), body, format="json")

    assert response.status_code == 400
    assert response.json()["revision"] == [message]


# Holders -----------------------------------------------------------------------------------------------


def test_management_representative_assigns_a_holder(api_as, mgmt_rep):
    position, person = PositionFactory(), PersonFactory()

    response = api_as(mgmt_rep).post(
        reverse("position-holder-list"),
        {"position": position.pk, "person": person.pk, "start_date": "2024-02-01"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["person"], body["is_current"], body["acknowledged_current"]) == (person.pk, True, False)


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_assign_or_end_holdings(request, api_as, persona):
    holder = PositionHolderFactory()
    client = api_as(request.getfixturevalue(persona))

    assign = client.post(
        reverse("position-holder-list"),
        {"position": holder.position.pk, "person": PersonFactory().pk, "start_date": "2024-02-01"},
        format="json",
    )
    end = client.post(reverse("position-holder-end", args=[holder.pk]), {"end_date": "2099-01-01"}, format="json")

    assert (assign.status_code, end.status_code) == (403, 403)
    holder.refresh_from_db()
    assert holder.end_date is None


def test_overlapping_holding_is_400_on_the_person(api_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1))

    response = api_as(mgmt_rep).post(
        reverse("position-holder-list"),
        {"position": holder.position.pk, "person": holder.person.pk, "start_date": "2024-06-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "already holds this position" in response.json()["person"][0]
    assert PositionHolder.objects.count() == 1


def test_holding_is_ended_through_the_end_action(api_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1))

    response = api_as(mgmt_rep).post(reverse("position-holder-end", args=[holder.pk]), {"end_date": "2099-12-31"})

    assert response.status_code == 200
    assert response.json()["end_date"] == "2099-12-31"


def test_ending_before_the_start_is_400_on_the_end_date(api_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1))

    response = api_as(mgmt_rep).post(reverse("position-holder-end", args=[holder.pk]), {"end_date": "2023-01-01"})

    assert response.status_code == 400
    assert response.json()["end_date"] == ["The holding cannot end before it starts."]


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_ending_an_ended_holding_is_409(api_as, mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 1, 1), end_date=D(2025, 1, 31))

    response = api_as(mgmt_rep).post(reverse("position-holder-end", args=[holder.pk]), {"end_date": "2025-06-30"})

    assert response.status_code == 409


def test_assigning_to_an_inactive_position_is_409(api_as, mgmt_rep):
    position = PositionFactory(is_active=False)

    response = api_as(mgmt_rep).post(
        reverse("position-holder-list"),
        {"position": position.pk, "person": PersonFactory().pk, "start_date": "2024-02-01"},
        format="json",
    )

    assert response.status_code == 409


def test_holders_filter_by_acknowledgement(api_as, auditor):
    acknowledged = PositionHolderFactory()
    PositionAcknowledgementFactory(position=acknowledged.position, person=acknowledged.person)
    pending = PositionHolderFactory()

    response = api_as(auditor).get(reverse("position-holder-list"), {"acknowledged": "false"})

    assert [h["id"] for h in response.json()["results"]] == [pending.pk]


# The responsibility matrix ----------------------------------------------------------------------------


def test_matrix_endpoint_lists_the_gaps(api_as, employee, mgmt_rep):
    tom = PersonFactory(user__first_name="Tom", user__last_name="Hargreaves")
    holder = PositionHolderFactory(
        position__title="Production Manager", position__requirement_ids=["5.3.b"], person=tom
    )
    PositionAcknowledgementFactory(position=holder.position, person=tom)
    services.position_update(actor=mgmt_rep, position=holder.position, authorities="New")
    unheld = PositionFactory(title="Sales Manager", requirement_ids=["5.3.a", "5.3.c", "5.3.d", "9.3.1"])

    data = api_as(employee).get(reverse("api-responsibility-matrix")).json()

    assert [c["id"] for c in data["columns"]] == ["5.3.a", "5.3.b", "5.3.c", "5.3.d", "5.3.e", "9.3.1"]
    assert data["unassigned_items"] == ["5.3.e"]
    assert data["positions_without_holder"] == [unheld.pk]
    assert data["pending_acknowledgements"] == [{"position": holder.position.pk, "person": tom.pk, "revision": 2}]
    assert "Production Manager: Tom Hargreaves has not acknowledged revision 2." in [g["message"] for g in data["gaps"]]
    assert any(g["message"].startswith("5.3.e is assigned to no position") for g in data["gaps"])


def test_matrix_endpoint_is_read_only(api_as, mgmt_rep):
    assert api_as(mgmt_rep).post(reverse("api-responsibility-matrix"), {}).status_code == 405


# The management representative -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "auditor"])
def test_appointments_are_read_by_top_management_the_representative_and_auditors(request, api_as, persona):
    appointment = ManagementRepresentativeAppointmentFactory()
    client = api_as(request.getfixturevalue(persona))

    assert client.get(reverse("management-representative-appointment-list")).status_code == 200
    body = client.get(reverse("management-representative-appointment-detail", args=[appointment.pk])).json()
    assert (body["status"], body["signature"], body["signature_intact"]) == ("draft", None, None)


@pytest.mark.parametrize("persona", ["dept_manager", "qa", "employee"])
def test_every_member_of_staff_may_read_who_the_representative_is(request, api_as, persona):
    url = reverse("management-representative-appointment-list")

    assert api_as(request.getfixturevalue(persona)).get(url).status_code == 200


def test_an_account_without_a_role_cannot_read_appointments(api_as, outsider):
    assert api_as(outsider).get(reverse("management-representative-appointment-list")).status_code == 403


def test_management_representative_drafts_and_corrects_an_appointment(api_as, mgmt_rep):
    client = api_as(mgmt_rep)

    created = client.post(
        reverse("management-representative-appointment-list"), _appointment_data(mgmt_rep.person), format="json"
    )
    url = reverse("management-representative-appointment-detail", args=[created.json()["id"]])
    updated = client.patch(url, {"budget_limit": "30000.00"}, format="json")

    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert updated.status_code == 200
    assert updated.json()["budget_limit"] == "30000.00"


@pytest.mark.parametrize("persona", NOT_MGMT_REP)
def test_other_roles_cannot_draft_or_correct_an_appointment(request, api_as, persona):
    appointment = ManagementRepresentativeAppointmentFactory()
    user = request.getfixturevalue(persona)
    client = api_as(user)

    created = client.post(
        reverse("management-representative-appointment-list"), _appointment_data(user.person), format="json"
    )
    updated = client.patch(
        reverse("management-representative-appointment-detail", args=[appointment.pk]),
        {"budget_limit": "1.00"},
        format="json",
    )

    assert (created.status_code, updated.status_code) == (403, 403)
    assert ManagementRepresentativeAppointment.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_limit": "-1"}, "budget_limit"),
        ({"budget_currency": "pounds"}, "budget_currency"),
        ({"budget_currency": "gb1"}, "budget_currency"),
        ({"end_date": "2023-01-01"}, "end_date"),
        ({"person": 999999}, "person"),
    ],
)
def test_bad_appointment_input_is_a_400_naming_the_field(api_as, mgmt_rep, changes, field):
    response = api_as(mgmt_rep).post(
        reverse("management-representative-appointment-list"),
        _appointment_data(mgmt_rep.person, **changes),
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not ManagementRepresentativeAppointment.objects.exists()


def test_ceo_signs_the_appointment_with_the_password(api_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)

    response = api_as(ceo).post(
        reverse("management-representative-appointment-sign", args=[appointment.pk]), {"password": PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "signed"
    assert (body["signature"]["signer"], body["signature"]["meaning"]) == (ceo.pk, "approved")
    assert body["signature_intact"] is True
    assert CommitmentEntry.objects.filter(source="appointment-signed").count() == 1


def test_signing_with_a_wrong_password_is_400_on_the_password(api_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)

    response = api_as(ceo).post(
        reverse("management-representative-appointment-sign", args=[appointment.pk]), {"password": "guess"}
    )

    assert response.status_code == 400
    assert response.json()["password"] == ["The password is not correct. Nothing was signed."]
    appointment.refresh_from_db()
    assert appointment.status == "draft"


def test_signing_without_a_password_is_400(api_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)

    response = api_as(ceo).post(reverse("management-representative-appointment-sign", args=[appointment.pk]), {})

    assert response.status_code == 400
    assert response.json()["password"] == ["This field is required."]


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_signs_through_the_api(request, api_as, persona):
    appointment = ManagementRepresentativeAppointmentFactory()

    response = api_as(request.getfixturevalue(persona)).post(
        reverse("management-representative-appointment-sign", args=[appointment.pk]), {"password": PASSWORD}
    )

    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "draft"


def test_a_signed_appointment_is_immutable_409(api_as, ceo, mgmt_rep):
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    edit = api_as(mgmt_rep).patch(
        reverse("management-representative-appointment-detail", args=[appointment.pk]),
        {"budget_limit": "999999.00"},
        format="json",
    )
    resign = api_as(ceo).post(
        reverse("management-representative-appointment-sign", args=[appointment.pk]), {"password": PASSWORD}
    )

    assert edit.status_code == 409
    assert "cannot be changed" in edit.json()["detail"]
    assert resign.status_code == 409
    appointment.refresh_from_db()
    assert str(appointment.budget_limit) == "25000.00"


def test_signing_a_successor_ends_the_previous_appointment(api_as, ceo, mgmt_rep):
    first = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person, start_date=D(2024, 1, 8))
    services.management_representative_appointment_sign(actor=ceo, appointment=first, password=PASSWORD)
    second = ManagementRepresentativeAppointmentFactory(start_date=D(2025, 4, 1))

    api_as(ceo).post(reverse("management-representative-appointment-sign", args=[second.pk]), {"password": PASSWORD})

    body = api_as(ceo).get(reverse("management-representative-appointment-detail", args=[first.pk])).json()
    assert (body["status"], body["end_date"], body["superseded_by"]) == ("ended", "2025-03-31", second.pk)
    assert body["signature_intact"] is True


def test_appointments_filter_by_status(api_as, ceo, mgmt_rep):
    signed = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=signed, password=PASSWORD)
    ManagementRepresentativeAppointmentFactory()

    response = api_as(ceo).get(reverse("management-representative-appointment-list"), {"status": "signed"})

    assert [a["id"] for a in response.json()["results"]] == [signed.pk]


# Query counts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # token, user's own and group permissions (2), count, the page of positions (department and
        # has_holder in the same query), their current holders with acknowledgement state (one prefetch).
        ("position-list", 6),
        # token, permissions (2), count, the page of holdings (person, position, department and
        # acknowledgement state in the same query).
        ("position-holder-list", 5),
        # token, permissions (2), count, the page of appointments (person, signature, successor joined).
        ("management-representative-appointment-list", 5),
        # token, permissions (2), the active positions, their current holders.
        ("api-responsibility-matrix", 5),
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_for_5_or_50_positions(
    api_as, auditor, django_assert_num_queries, url_name, queries
):
    client = api_as(auditor)
    for n in (5, 45):
        grow_positions(n)
        with django_assert_num_queries(queries):
            assert client.get(reverse(url_name)).status_code == 200
