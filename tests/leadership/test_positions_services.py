"""Rules of positions, holders, acknowledgements and the management representative, at the service level."""

import datetime
import decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from leadership.models.commitment import CommitmentEntry
from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from leadership.roles import Role
from leadership.selectors import positions as selectors
from leadership.services import positions as services
from qms.exceptions import ApplicationError
from qms.models import Signature
from qms.signatures import canonical_text, content_hash, signature_matches
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_positions import (
    ManagementRepresentativeAppointmentFactory,
    PositionAcknowledgementFactory,
    PositionFactory,
    PositionHolderFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _create(actor, **kwargs):
    data = {
        "title": "Production Manager",
        "department": kwargs.pop("department", None) or DepartmentFactory(),
        "responsibilities": "Runs the machining cells",
        "authorities": "May stop a machine that drifts out of tolerance",
        "requirement_ids": ["5.3.b"],
        **kwargs,
    }
    return services.position_create(actor=actor, **data)


# Positions --------------------------------------------------------------------------------------


def test_position_is_created_at_revision_1_with_tidy_lists_and_the_author_in_history(mgmt_rep):
    position = _create(
        mgmt_rep,
        title="  Quality Manager ",
        responsibilities="  Runs the QMS \n\n Reports to the MD  \n",
        requirement_ids=["5.3.c", "5.1.2.a", "5.3.a", "5.3.c"],
    )

    assert position.revision == 1
    assert position.title == "Quality Manager"
    assert position.responsibility_lines == ["Runs the QMS", "Reports to the MD"]
    # Deduplicated, in the catalogue's order.
    assert position.requirement_ids == ["5.1.2.a", "5.3.a", "5.3.c"]
    assert position.history.get().history_user == mgmt_rep


def test_unknown_requirement_id_is_refused_on_its_field_and_nothing_is_saved(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        _create(mgmt_rep, requirement_ids=["5.3.a", "5.3.z", "banana"])

    assert exc.value.message_dict["requirement_ids"] == ["Not an ISO requirement id of the catalogue: 5.3.z, banana."]
    assert not Position.objects.exists()


def test_a_position_needs_at_least_one_responsibility(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        _create(mgmt_rep, responsibilities=" \n  \n")

    assert "at least one responsibility" in exc.value.message_dict["responsibilities"][0]


def test_title_is_unique_per_department_whatever_the_case(mgmt_rep):
    department = DepartmentFactory(name="Production")
    _create(mgmt_rep, department=department, title="Team Leader")

    with pytest.raises(ValidationError) as exc:
        _create(mgmt_rep, department=department, title="TEAM LEADER")
    other = _create(mgmt_rep, title="Team Leader")

    assert exc.value.message_dict["title"] == ["Production already has a position called 'TEAM LEADER'."]
    assert other.pk


def test_the_database_refuses_a_duplicate_title_in_a_department_too():
    position = PositionFactory(title="Inspector")

    with pytest.raises(IntegrityError):
        Position.objects.create(
            title="inspector", department=position.department, responsibilities="x", requirement_ids=[]
        )


def test_a_position_cannot_report_to_itself_through_others(mgmt_rep):
    top = _create(mgmt_rep, title="Top")
    middle = _create(mgmt_rep, title="Middle", reports_to=top)

    with pytest.raises(ValidationError) as exc:
        services.position_update(actor=mgmt_rep, position=top, reports_to=middle)

    assert "cannot report to itself" in exc.value.message_dict["reports_to"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("responsibilities", "Runs the machining cells\nKeeps work instructions current"),
        ("authorities", "May stop a machine\nMay authorise overtime"),
        ("requirement_ids", ["5.3.b", "5.3.e"]),
        ("requirement_ids", []),
    ],
)
def test_a_changed_description_is_a_new_revision(mgmt_rep, field, value):
    position = _create(mgmt_rep)

    services.position_update(actor=mgmt_rep, position=position, **{field: value})

    position.refresh_from_db()
    assert position.revision == 2
    assert position.history.first().history_user == mgmt_rep


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Head of Production"},
        {"responsibilities": "  Runs the machining cells  \n\n"},
        {"requirement_ids": ["5.3.b", "5.3.b"]},
        {"department": None},  # replaced by another department in the test
    ],
)
def test_no_new_revision_when_the_description_does_not_change(mgmt_rep, changes):
    position = _create(mgmt_rep)
    if "department" in changes:
        changes = {"department": DepartmentFactory()}

    services.position_update(actor=mgmt_rep, position=position, **changes)

    position.refresh_from_db()
    assert position.revision == 1


def test_each_description_change_adds_one_revision(mgmt_rep):
    position = _create(mgmt_rep)

    for n in range(3):
        services.position_update(actor=mgmt_rep, position=position, authorities=f"May do thing {n}")

    position.refresh_from_db()
    assert position.revision == 4


def test_revision_comes_from_the_database_not_from_the_caller(mgmt_rep):
    position = _create(mgmt_rep)
    position.revision = 40

    services.position_update(actor=mgmt_rep, position=position, title="Renamed")

    position.refresh_from_db()
    assert position.revision == 1


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_management_representative_defines_and_changes_positions(request, persona):
    actor = request.getfixturevalue(persona)
    position = PositionFactory()

    with pytest.raises(PermissionDenied):
        _create(actor)
    with pytest.raises(PermissionDenied):
        services.position_update(actor=actor, position=position, title="Changed")

    position.refresh_from_db()
    assert position.title != "Changed"


def test_a_position_with_current_holders_cannot_be_deactivated(mgmt_rep):
    holder = PositionHolderFactory(person__user__first_name="Tom", person__user__last_name="Hargreaves")

    with pytest.raises(ValidationError) as exc:
        services.position_update(actor=mgmt_rep, position=holder.position, is_active=False)

    assert "Tom Hargreaves" in exc.value.message_dict["is_active"][0]
    holder.position.refresh_from_db()
    assert holder.position.is_active


def test_a_position_with_a_planned_holder_cannot_be_deactivated_but_an_unheld_one_can(mgmt_rep):
    planned = PositionHolderFactory(start_date=D(2099, 1, 1))
    ended = PositionHolderFactory(start_date=D(2020, 1, 1), end_date=D(2021, 1, 1))

    with pytest.raises(ValidationError):
        services.position_update(actor=mgmt_rep, position=planned.position, is_active=False)
    services.position_update(actor=mgmt_rep, position=ended.position, is_active=False)

    ended.position.refresh_from_db()
    assert ended.position.is_active is False
    assert selectors.responsibility_matrix()["rows"][0]["position"] == planned.position


# Holders --------------------------------------------------------------------------------------------


def test_a_person_can_hold_several_positions_and_a_position_several_people(mgmt_rep):
    inspector, engineer = PositionFactory(), PositionFactory()
    marek, lucy = PersonFactory(), PersonFactory()

    for position, person in [(inspector, marek), (inspector, lucy), (engineer, lucy)]:
        services.position_holder_assign(actor=mgmt_rep, position=position, person=person, start_date=D(2024, 1, 1))

    assert PositionHolder.objects.filter(position=inspector).count() == 2
    assert PositionHolder.objects.filter(person=lucy).count() == 2


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((D(2024, 1, 1), None), (D(2025, 1, 1), None)),
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2024, 12, 31), None)),
        ((D(2024, 6, 1), None), (D(2024, 1, 1), D(2024, 6, 1))),
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2024, 3, 1), D(2024, 4, 1))),
    ],
)
def test_overlapping_holding_of_the_same_position_by_the_same_person_is_refused(mgmt_rep, existing, new):
    holder = PositionHolderFactory(start_date=existing[0], end_date=existing[1])

    with pytest.raises(ValidationError) as exc:
        services.position_holder_assign(
            actor=mgmt_rep, position=holder.position, person=holder.person, start_date=new[0], end_date=new[1]
        )

    assert "already holds this position from" in exc.value.message_dict["person"][0]
    assert PositionHolder.objects.count() == 1


def test_holding_the_same_position_again_after_a_gap_is_allowed(mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2020, 1, 1), end_date=D(2021, 12, 31))

    services.position_holder_assign(
        actor=mgmt_rep, position=holder.position, person=holder.person, start_date=D(2022, 1, 1)
    )

    assert PositionHolder.objects.filter(person=holder.person).count() == 2


def test_the_database_refuses_two_open_holdings_of_the_same_position_by_one_person():
    holder = PositionHolderFactory()

    with pytest.raises(IntegrityError):
        PositionHolder.objects.create(position=holder.position, person=holder.person, start_date=D(2025, 1, 1))


def test_a_holding_cannot_end_before_it_starts(mgmt_rep):
    holder = PositionHolderFactory(start_date=D(2024, 5, 1))

    with pytest.raises(ValidationError) as exc:
        services.position_holder_end(actor=mgmt_rep, holder=holder, end_date=D(2024, 4, 30))

    assert exc.value.message_dict["end_date"] == ["The holding cannot end before it starts."]
    holder.refresh_from_db()
    assert holder.end_date is None


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_an_ended_holding_cannot_be_ended_again(mgmt_rep):
    holder = PositionHolderFactory(end_date=D(2025, 5, 31))

    with pytest.raises(ApplicationError, match="already ended on 31 May 2025"):
        services.position_holder_end(actor=mgmt_rep, holder=holder, end_date=D(2025, 6, 30))


def test_an_inactive_position_gets_no_new_holder(mgmt_rep):
    position = PositionFactory(is_active=False)

    with pytest.raises(ApplicationError, match="inactive"):
        services.position_holder_assign(
            actor=mgmt_rep, position=position, person=PersonFactory(), start_date=D(2025, 1, 1)
        )


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_management_representative_assigns_and_ends_holdings(request, persona):
    actor = request.getfixturevalue(persona)
    holder = PositionHolderFactory()

    with pytest.raises(PermissionDenied):
        services.position_holder_assign(
            actor=actor, position=holder.position, person=PersonFactory(), start_date=D(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.position_holder_end(actor=actor, holder=holder, end_date=D(2025, 1, 1))

    assert PositionHolder.objects.count() == 1


# Acknowledgements --------------------------------------------------------------------------------


def test_holder_acknowledges_the_current_revision_with_a_hash_of_what_they_read(employee):
    holder = PositionHolderFactory(person=employee.person)

    acknowledgement = services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    assert acknowledgement.revision == 1
    assert acknowledgement.person == employee.person
    assert acknowledgement.content_sha256 == content_hash(canonical_text(holder.position.description_content()))
    assert acknowledgement.history.get().history_user == employee


def test_somebody_who_does_not_hold_the_position_cannot_acknowledge_it(employee):
    position = PositionFactory()

    with pytest.raises(PermissionDenied):
        services.position_acknowledge(actor=employee, position=position, revision=1)

    assert not PositionAcknowledgement.objects.exists()


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_a_former_holder_cannot_acknowledge(employee):
    holder = PositionHolderFactory(person=employee.person, end_date=D(2025, 5, 31))

    with pytest.raises(PermissionDenied):
        services.position_acknowledge(actor=employee, position=holder.position, revision=1)


def test_an_incoming_holder_can_acknowledge_before_they_start(employee):
    holder = PositionHolderFactory(person=employee.person, start_date=D(2099, 1, 1))

    services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    assert PositionAcknowledgement.objects.filter(person=employee.person).count() == 1


def test_the_same_revision_is_acknowledged_once(employee):
    holder = PositionHolderFactory(person=employee.person)
    services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    with pytest.raises(ApplicationError, match="already acknowledged revision 1"):
        services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    assert PositionAcknowledgement.objects.count() == 1


def test_a_new_revision_asks_for_a_new_acknowledgement(mgmt_rep, employee):
    holder = PositionHolderFactory(person=employee.person)
    position = holder.position
    services.position_acknowledge(actor=employee, position=position, revision=1)

    services.position_update(actor=mgmt_rep, position=position, authorities="May stop the line\nMay call overtime")

    state = selectors.holding_list().get(pk=holder.pk)
    assert (state.acknowledged_current, state.last_acknowledged_revision) == (False, 1)
    services.position_acknowledge(actor=employee, position=position, revision=2)
    state = selectors.holding_list().get(pk=holder.pk)
    assert (state.acknowledged_current, state.last_acknowledged_revision) == (True, 2)
    assert sorted(PositionAcknowledgement.objects.values_list("revision", flat=True)) == [1, 2]


def test_acknowledging_a_revision_that_is_no_longer_current_is_refused(mgmt_rep, employee):
    holder = PositionHolderFactory(person=employee.person)
    services.position_update(actor=mgmt_rep, position=holder.position, responsibilities="Something new")

    with pytest.raises(ApplicationError, match="now at revision 2, not 1") as exc:
        services.position_acknowledge(actor=employee, position=holder.position, revision=1)

    assert exc.value.extra == {"current_revision": 2}
    assert not PositionAcknowledgement.objects.exists()


def test_the_database_refuses_a_second_acknowledgement_of_a_revision():
    acknowledgement = PositionAcknowledgementFactory()

    with pytest.raises(IntegrityError):
        PositionAcknowledgementFactory(
            position=acknowledgement.position, person=acknowledgement.person, revision=acknowledgement.revision
        )


# The responsibility matrix (hand-checked) -------------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_matrix_finds_every_gap_and_says_it_in_words(mgmt_rep):
    """Hand-built organisation:

    - Quality Manager carries 5.3.a, 5.3.c; held by Priya, who acknowledged revision 1 (current).
    - Production Manager carries 5.3.b and 9.3.2.c.3; held by Tom, who acknowledged revision 1,
      then the description changed to revision 2 (Tom has not acknowledged it).
    - Sales Manager carries 5.3.d; nobody holds it (its former holder left on 31 May).
    - Engineering Manager carries 5.1.2.a; held by Elena, who never acknowledged; Oliver starts in July.
    - Old Change Manager carries 5.3.e but is inactive, so 5.3.e is assigned to no (active) position.

    Expected: 5.3.e unassigned; 5.3.d assigned only to an unheld position; Sales Manager has no
    holder; Tom has not acknowledged revision 2; Elena has not acknowledged revision 1.
    Columns: 5.3.a-e then 5.1.2.a and 9.3.2.c.3 in catalogue order (the inactive position's ids do not count).
    """

    def person(first, last):
        return PersonFactory(user__first_name=first, user__last_name=last)

    def position(title, ids, **kwargs):
        return PositionFactory(title=title, requirement_ids=ids, department__name=f"{title} dept", **kwargs)

    qm = position("Quality Manager", ["5.3.a", "5.3.c"])
    pm = position("Production Manager", ["5.3.b", "9.3.2.c.3"])
    sm = position("Sales Manager", ["5.3.d"])
    em = position("Engineering Manager", ["5.1.2.a"])
    position("Old Change Manager", ["5.3.e", "9.3.3.b"], is_active=False)
    priya, tom, elena = person("Priya", "Raman"), person("Tom", "Hargreaves"), person("Elena", "Novak")
    for pos, who in [(qm, priya), (pm, tom), (em, elena)]:
        PositionHolderFactory(position=pos, person=who)
    PositionHolderFactory(position=sm, end_date=D(2025, 5, 31))
    PositionHolderFactory(position=em, person=person("Oliver", "Bennett"), start_date=D(2025, 7, 1))
    PositionAcknowledgementFactory(position=qm, person=priya, revision=1)
    PositionAcknowledgementFactory(position=pm, person=tom, revision=1)
    services.position_update(actor=mgmt_rep, position=pm, authorities="May stop a machine\nMay authorise overtime")

    matrix = selectors.responsibility_matrix()

    assert [c["id"] for c in matrix["columns"]] == [
        "5.3.a",
        "5.3.b",
        "5.3.c",
        "5.3.d",
        "5.3.e",
        "5.1.2.a",
        "9.3.2.c.3",
    ]
    assert [(c["id"], c["assigned"], c["held"]) for c in matrix["columns"][:5]] == [
        ("5.3.a", True, True),
        ("5.3.b", True, True),
        ("5.3.c", True, True),
        ("5.3.d", True, False),
        ("5.3.e", False, False),
    ]
    assert [row["position"].title for row in matrix["rows"]] == [
        "Engineering Manager",
        "Production Manager",
        "Quality Manager",
        "Sales Manager",
    ]
    pm_row = matrix["rows"][1]
    assert [c["assigned"] for c in pm_row["cells"]] == [False, True, False, False, False, False, True]
    assert [g["message"] for g in matrix["gaps"]] == [
        "5.3.d is assigned only to positions nobody holds: Sales Manager.",
        "5.3.e is assigned to no position (keeping the QMS intact when changes are planned and made).",
        "Engineering Manager: Elena Novak has not acknowledged revision 1.",
        "Production Manager: Tom Hargreaves has not acknowledged revision 2.",
        "Sales Manager has no holder.",
    ]
    assert matrix["unassigned_items"] == ["5.3.e"]
    assert [p.title for p in matrix["positions_without_holder"]] == ["Sales Manager"]
    assert sorted(h.person.full_name for h in matrix["pending_acknowledgements"]) == ["Elena Novak", "Tom Hargreaves"]


def test_matrix_without_gaps_says_so():
    for item in ["5.3.a", "5.3.b", "5.3.c", "5.3.d", "5.3.e"]:
        holder = PositionHolderFactory(position__requirement_ids=[item])
        PositionAcknowledgementFactory(position=holder.position, person=holder.person)

    matrix = selectors.responsibility_matrix()

    assert matrix["gaps"] == []
    assert all(c["assigned"] and c["held"] for c in matrix["columns"])


# The management representative ---------------------------------------------------------------------


def _draft(mgmt_rep, person=None, **kwargs):
    return services.management_representative_appointment_create(
        actor=mgmt_rep,
        person=person or mgmt_rep.person,
        powers="Reports directly to the CEO\n\nCan require other departments to cooperate ",
        budget_limit=decimal.Decimal("25000"),
        budget_currency=kwargs.pop("budget_currency", "gbp"),
        start_date=kwargs.pop("start_date", D(2024, 1, 8)),
        **kwargs,
    )


def test_drafting_an_appointment_tidies_powers_and_currency(mgmt_rep):
    appointment = _draft(mgmt_rep)

    assert appointment.status == ManagementRepresentativeAppointment.Status.DRAFT
    assert appointment.power_lines == ["Reports directly to the CEO", "Can require other departments to cooperate"]
    assert appointment.budget_currency == "GBP"
    assert appointment.history.get().history_user == mgmt_rep


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_limit": decimal.Decimal("-1")}, "budget_limit"),
        ({"budget_currency": "pounds"}, "budget_currency"),
        ({"end_date": D(2023, 1, 1)}, "end_date"),
    ],
)
def test_bad_appointment_input_names_the_field_and_saves_nothing(mgmt_rep, changes, field):
    data = {
        "person": mgmt_rep.person,
        "powers": "Reports to the CEO",
        "budget_limit": decimal.Decimal("1000"),
        "start_date": D(2024, 1, 8),
        **changes,
    }

    with pytest.raises(ValidationError) as exc:
        services.management_representative_appointment_create(actor=mgmt_rep, **data)

    assert field in exc.value.message_dict
    assert not ManagementRepresentativeAppointment.objects.exists()


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_management_representative_drafts_the_appointment(request, persona):
    with pytest.raises(PermissionDenied):
        _draft(request.getfixturevalue(persona), person=PersonFactory())


def test_top_management_signs_the_appointment_and_it_is_in_force(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep)

    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    appointment.refresh_from_db()
    assert appointment.status == ManagementRepresentativeAppointment.Status.SIGNED
    signature = appointment.signature
    assert (signature.signer, signature.meaning) == (ceo, "approved")
    assert signature_matches(signature, canonical_text(appointment.signed_content()))
    assert "25,000.00 GBP" in signature.statement
    assert selectors.current_management_representative_appointment() == appointment


def test_wrong_password_signs_nothing(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep)

    with pytest.raises(ValidationError) as exc:
        services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password="guess")

    assert exc.value.message_dict["password"] == ["The password is not correct. Nothing was signed."]
    appointment.refresh_from_db()
    assert appointment.status == "draft"
    assert not Signature.objects.exists()
    assert not CommitmentEntry.objects.exists()


@pytest.mark.parametrize("persona", ["mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_only_top_management_signs_the_appointment(request, mgmt_rep, persona):
    appointment = _draft(mgmt_rep, person=PersonFactory())

    with pytest.raises(PermissionDenied):
        services.management_representative_appointment_sign(
            actor=request.getfixturevalue(persona), appointment=appointment, password=PASSWORD
        )

    appointment.refresh_from_db()
    assert appointment.status == "draft"


def test_a_superuser_outside_top_management_cannot_sign(mgmt_rep, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
    appointment = _draft(mgmt_rep)

    with pytest.raises(PermissionDenied, match="member of top management"):
        services.management_representative_appointment_sign(actor=admin, appointment=appointment, password=PASSWORD)


def test_nobody_signs_their_own_appointment(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep, person=ceo.person)

    with pytest.raises(PermissionDenied, match="your own appointment"):
        services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)


def test_a_signed_appointment_is_immutable(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    with pytest.raises(ApplicationError, match="cannot be changed"):
        services.management_representative_appointment_update(
            actor=mgmt_rep, appointment=appointment, budget_limit=decimal.Decimal("1000000")
        )
    with pytest.raises(ApplicationError, match="already signed"):
        services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    appointment.refresh_from_db()
    assert appointment.budget_limit == decimal.Decimal("25000")
    assert Signature.objects.count() == 1


def test_a_draft_can_be_corrected(mgmt_rep):
    appointment = _draft(mgmt_rep)

    services.management_representative_appointment_update(
        actor=mgmt_rep, appointment=appointment, budget_limit=decimal.Decimal("30000"), budget_currency="eur"
    )

    appointment.refresh_from_db()
    assert (appointment.budget_limit, appointment.budget_currency) == (decimal.Decimal("30000"), "EUR")


def test_signing_a_new_appointment_ends_the_previous_one_the_day_before(ceo, mgmt_rep):
    first = _draft(mgmt_rep, start_date=D(2024, 1, 8))
    services.management_representative_appointment_sign(actor=ceo, appointment=first, password=PASSWORD)
    successor = PersonFactory()
    second = _draft(mgmt_rep, person=successor, start_date=D(2025, 3, 1))

    services.management_representative_appointment_sign(actor=ceo, appointment=second, password=PASSWORD)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.end_date, first.superseded_by) == ("ended", D(2025, 2, 28), second)
    assert second.status == "signed"
    # Ending it did not make its signature look tampered with.
    assert signature_matches(first.signature, canonical_text(first.signed_content()))
    assert ManagementRepresentativeAppointment.objects.filter(status="signed").count() == 1


def test_a_new_appointment_must_start_after_the_one_in_force(ceo, mgmt_rep):
    first = _draft(mgmt_rep, start_date=D(2024, 1, 8))
    services.management_representative_appointment_sign(actor=ceo, appointment=first, password=PASSWORD)
    second = _draft(mgmt_rep, person=PersonFactory(), start_date=D(2024, 1, 8))

    with pytest.raises(ValidationError) as exc:
        services.management_representative_appointment_sign(actor=ceo, appointment=second, password=PASSWORD)

    assert "must start after 08 Jan 2024" in exc.value.message_dict["start_date"][0]
    first.refresh_from_db()
    assert first.status == "signed"
    assert Signature.objects.count() == 1


def test_the_database_allows_one_signed_appointment_only(ceo, mgmt_rep):
    first = _draft(mgmt_rep)
    services.management_representative_appointment_sign(actor=ceo, appointment=first, password=PASSWORD)
    first.refresh_from_db()
    second = ManagementRepresentativeAppointmentFactory()

    with pytest.raises(IntegrityError):
        ManagementRepresentativeAppointment.objects.filter(pk=second.pk).update(
            status="signed",
            signature=Signature.objects.create(
                signer=ceo,
                signer_name="x",
                meaning="approved",
                statement="x",
                content_type=first.signature.content_type,
                object_id=str(second.pk),
                content_sha256="a" * 64,
            ),
        )


def test_signing_gives_the_appointee_the_role_and_keeps_their_other_roles(ceo, mgmt_rep, django_user_model):
    from django.contrib.auth.models import Group

    appointee = PersonFactory(roles=[Role.DEPARTMENT_MANAGER, Role.QA_STAFF])
    union = Group.objects.create(name="Works council")
    appointee.user.groups.add(union)
    appointment = _draft(mgmt_rep, person=appointee)

    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    assert set(appointee.user.groups.values_list("name", flat=True)) == {
        "Department manager",
        "QA staff",
        "Management representative",
        "Works council",
    }
    assert appointee.user.history.first().history_user == ceo


def test_signing_for_a_person_who_already_has_the_role_changes_no_role(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep)
    before = mgmt_rep.history.count()

    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    assert list(mgmt_rep.groups.values_list("name", flat=True)) == ["Management representative"]
    assert mgmt_rep.history.count() == before


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC))
def test_signing_logs_the_commitment_of_the_signer_once(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep)

    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)
    with pytest.raises(ApplicationError):
        services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    entry = CommitmentEntry.objects.get()
    assert entry.person == ceo.person
    assert entry.source == CommitmentEntry.Source.APPOINTMENT_SIGNED
    assert entry.source_record == appointment
    assert entry.date == D(2025, 6, 2)
    assert entry.requirement_ids == ["5.1.1.e", "5.1.1.j"]
    assert "25,000.00 GBP" in entry.description


def test_an_appointment_whose_end_date_passed_cannot_be_signed(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31))

    with pytest.raises(ValidationError) as exc:
        services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    assert "end date has passed" in exc.value.message_dict["end_date"][0]


def test_an_appointment_ends_when_its_end_date_passes(ceo, mgmt_rep):
    appointment = _draft(mgmt_rep, start_date=D(2024, 1, 8), end_date=D(2099, 6, 30))
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    assert services.management_representative_appointment_end_expired(day=D(2099, 6, 30)) == 0
    assert services.management_representative_appointment_end_expired(day=D(2099, 7, 1)) == 1
    assert services.management_representative_appointment_end_expired(day=D(2099, 7, 1)) == 0

    appointment.refresh_from_db()
    assert appointment.status == "ended"
    assert selectors.current_management_representative_appointment() is None


def test_dashboard_figures_count_the_gaps_and_the_users_own_pending_descriptions(employee, ceo, mgmt_rep):
    mine = PositionHolderFactory(person=employee.person, position__requirement_ids=["5.3.a", "5.3.b"])
    PositionFactory(requirement_ids=["5.3.c"])
    appointment = ManagementRepresentativeAppointmentFactory(person=mgmt_rep.person)
    services.management_representative_appointment_sign(actor=ceo, appointment=appointment, password=PASSWORD)

    figures = selectors.roles_dashboard_figures(user=employee)

    assert figures["unassigned_items"] == ["5.3.d", "5.3.e"]
    assert (figures["positions"], figures["positions_without_holder"], figures["pending_acknowledgements"]) == (2, 1, 1)
    assert figures["appointment"] == appointment
    assert [h.pk for h in figures["my_pending"]] == [mine.pk]
    assert selectors.roles_dashboard_figures(user=ceo)["my_pending"] == []
