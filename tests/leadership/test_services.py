import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from leadership.models import Department, Person
from leadership.roles import Role
from leadership.services import people as services
from tests.leadership.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_department_create_records_the_actor_in_history(mgmt_rep):
    department = services.department_create(actor=mgmt_rep, name="Quality Assurance", code="QA")

    entry = department.history.get()
    assert entry.history_type == "+"
    assert entry.history_user == mgmt_rep


def test_department_names_are_unique_whatever_the_case(mgmt_rep):
    services.department_create(actor=mgmt_rep, name="Production", code="PROD")

    with pytest.raises(ValidationError) as exc:
        services.department_create(actor=mgmt_rep, name="production", code="PROD2")

    assert "already exists" in exc.value.message_dict["name"][0]
    assert Department.objects.filter(name__iexact="production").count() == 1


def test_department_code_must_be_unique(mgmt_rep):
    services.department_create(actor=mgmt_rep, name="Production", code="PROD")

    with pytest.raises(ValidationError) as exc:
        services.department_create(actor=mgmt_rep, name="Assembly", code="PROD")

    assert "code" in exc.value.message_dict


def test_department_cannot_sit_under_its_own_sub_department(mgmt_rep):
    top = DepartmentFactory(name="Operations")
    child = DepartmentFactory(name="Machining", parent=top)
    grandchild = DepartmentFactory(name="Cell 1", parent=child)

    with pytest.raises(ValidationError) as exc:
        services.department_update(actor=mgmt_rep, department=top, parent=grandchild)

    assert "sub-departments" in exc.value.message_dict["parent"][0]
    top.refresh_from_db()
    assert top.parent is None


def test_department_with_active_sub_departments_cannot_be_deactivated(mgmt_rep):
    top = DepartmentFactory(name="Operations")
    DepartmentFactory(name="Machining", parent=top)

    with pytest.raises(ValidationError) as exc:
        services.department_update(actor=mgmt_rep, department=top, is_active=False)

    assert "is_active" in exc.value.message_dict
    top.refresh_from_db()
    assert top.is_active


def test_person_create_makes_account_profile_and_roles_together(mgmt_rep):
    department = DepartmentFactory(name="Quality Assurance")

    person = services.person_create(
        actor=mgmt_rep,
        username="lchen",
        first_name="Lucy",
        last_name="Chen",
        email="lucy@example.com",
        job_title="Quality Engineer",
        department=department,
        roles=[Role.QA_STAFF, Role.EMPLOYEE],
        password="a-long-enough-passphrase",
    )

    assert person.user.check_password("a-long-enough-passphrase")
    assert set(person.user.groups.values_list("name", flat=True)) == {"QA staff", "Employee"}
    assert person.history.get().history_user == mgmt_rep


def test_person_create_refuses_a_taken_username_whatever_the_case(mgmt_rep):
    PersonFactory(user__username="lchen")

    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=mgmt_rep, username="LChen", first_name="L", last_name="C")

    assert "already taken" in exc.value.message_dict["username"][0]


def test_person_create_refuses_a_weak_password_and_saves_nothing(mgmt_rep):
    before = Person.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=mgmt_rep, username="weak", first_name="W", last_name="P", password="12345")

    assert "password" in exc.value.message_dict
    assert Person.objects.count() == before


def test_person_create_refuses_an_unknown_role_and_saves_nothing(mgmt_rep):
    before = Person.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=mgmt_rep, username="x1", first_name="X", last_name="Y", roles=["Chief of Fun"])

    assert "Unknown role: Chief of Fun" in exc.value.message_dict["roles"][0]
    assert Person.objects.count() == before


def test_person_cannot_report_to_someone_who_reports_to_them(mgmt_rep):
    boss = PersonFactory()
    report = PersonFactory(manager=boss)

    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=mgmt_rep, person=boss, manager=report)

    assert "manager" in exc.value.message_dict


def test_nobody_can_deactivate_their_own_account(mgmt_rep):
    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=mgmt_rep, person=mgmt_rep.person, is_active=False)

    assert "is_active" in exc.value.message_dict


def test_role_changes_are_kept_in_the_account_history(mgmt_rep):
    person = PersonFactory(roles=[Role.EMPLOYEE])

    services.person_update(actor=mgmt_rep, person=person, roles=[Role.QA_STAFF])

    latest = person.user.history.order_by("-history_date").first()
    assert latest.history_user == mgmt_rep
    assert [g.group.name for g in latest.groups.all()] == ["QA staff"]


def test_person_without_password_is_invited_once_by_email(mgmt_rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person = services.person_create(
            actor=mgmt_rep, username="newhire", first_name="New", last_name="Hire", email="new@example.com"
        )

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "Your username is: newhire" in mail.outbox[0].body
    # Run again (a retried task, a second worker): nothing is sent twice.
    assert services.person_send_invitation(person_id=person.pk) is False
    assert len(mail.outbox) == 1


def test_person_with_password_is_not_sent_an_invitation(mgmt_rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.person_create(
            actor=mgmt_rep,
            username="p2",
            first_name="P",
            last_name="Two",
            email="p2@example.com",
            password="a-long-enough-passphrase",
        )

    assert callbacks == []
    assert mail.outbox == []


def test_roles_sync_gives_the_auditor_view_permissions_and_evidence_packs_only():
    services.roles_sync()

    codenames = set(Group.objects.get(name="Auditor").permissions.values_list("codename", flat=True))
    assert "view_department" in codenames
    assert "view_historicalperson" in codenames
    # Asking for and downloading an evidence pack is the auditor's only write; it changes no QMS record.
    assert {c for c in codenames if not c.startswith("view_")} == {"add_evidencepack", "download_evidencepack"}


def test_roles_sync_is_idempotent():
    services.roles_sync()
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}

    services.roles_sync()

    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert after == before
    assert set(before) == set(Role.values)


def test_invitation_that_fails_to_send_can_be_sent_again(monkeypatch):
    person = PersonFactory(user__email="retry@example.com")

    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", unreachable)
    with pytest.raises(ConnectionRefusedError):
        services.person_send_invitation(person_id=person.pk)
    person.refresh_from_db()
    assert person.invited_at is None

    monkeypatch.undo()
    assert services.person_send_invitation(person_id=person.pk) is True
    assert [m.to for m in mail.outbox] == [["retry@example.com"]]
