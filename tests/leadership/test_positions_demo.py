"""The demo positions at Northbridge Precision Components, with their planted gaps."""

import pytest
from django.core.management import call_command

from leadership.demo.people import people_by_username, seed_organisation
from leadership.demo.positions import seed
from leadership.models.commitment import CommitmentEntry
from leadership.models.positions import ManagementRepresentativeAppointment, Position, PositionHolder
from leadership.selectors import positions as selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # The organisation and this area only: quick, and independent of the other areas' demo data.
    seed_organisation()
    return seed(people_by_username())


def test_demo_positions_are_held_by_the_demo_people(demo):
    holders = {
        (h.position.title, h.person.user.username)
        for h in PositionHolder.objects.select_related("position", "person__user")
    }

    assert holders == {
        ("Managing Director", "margaret"),
        ("Operations Director", "david"),
        ("Quality Manager", "priya"),
        ("Production Manager", "tom"),
        ("Sales & Customer Service Manager", "james"),
        ("Engineering Manager", "elena"),
        ("Supply Chain Manager", "aisha"),
        ("Quality Inspector", "marek"),
        ("Quality Inspector", "lucy"),
    }
    assert Position.objects.get(title="Quality Manager").requirement_ids == ["5.2.2.b", "5.3.a", "5.3.c", "9.3.2.c.6"]
    assert "May stop a batch that fails inspection" in Position.objects.get(title="Quality Inspector").authorities


def test_demo_leaves_5_3_e_unassigned_and_tom_behind_on_revision_2(demo):
    matrix = selectors.responsibility_matrix()

    assert matrix["unassigned_items"] == ["5.3.e"]
    assert matrix["positions_without_holder"] == []
    assert [
        (h.position.title, h.person.user.username, h.position.revision) for h in matrix["pending_acknowledgements"]
    ] == [("Production Manager", "tom", 2)]
    assert [g["message"] for g in matrix["gaps"]] == [
        "5.3.e is assigned to no position (keeping the QMS intact when changes are planned and made).",
        "Production Manager: Tom Hargreaves has not acknowledged revision 2.",
    ]


def test_demo_appointment_of_priya_is_signed_by_margaret(demo):
    appointment = ManagementRepresentativeAppointment.objects.select_related("person__user", "signature").get()

    assert appointment.person.user.username == "priya"
    assert appointment.status == "signed"
    assert appointment.signature.signer.username == "margaret"
    assert (str(appointment.budget_limit), appointment.budget_currency) == ("25000.00", "GBP")
    assert CommitmentEntry.objects.filter(source="appointment-signed", person__user__username="margaret").count() == 1


def test_demo_seed_creates_through_the_services_and_is_idempotent(demo):
    assert demo == {
        "positions": 8,
        "position_holders": 9,
        "position_acknowledgements": 9,
        "management_representative_appointments": 1,
    }
    assert seed(people_by_username()) == {
        "positions": 0,
        "position_holders": 0,
        "position_acknowledgements": 0,
        "management_representative_appointments": 0,
    }
    assert Position.objects.count() == 8


def test_the_whole_demo_keeps_the_planted_gaps():
    call_command("seed_demo", "--quiet-logins")

    matrix = selectors.responsibility_matrix()
    assert matrix["unassigned_items"] == ["5.3.e"]
    assert [h.person.user.username for h in matrix["pending_acknowledgements"]] == ["tom"]
