import pytest
from django.urls import reverse

from leadership.models import Department, Person
from leadership.roles import Role
from leadership.services import people as services
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory, PersonFactory, grow_organisation

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "home",
    "leadership:department-list",
    "leadership:person-list",
    "leadership:roles",
]


# Log in and out ------------------------------------------------------------------------------


def test_login_page_is_shown_to_anonymous_visitors(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.parametrize("url_name", [*READ_PAGES, "leadership:department-create", "leadership:person-create"])
def test_anonymous_visitors_are_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_good_login_lands_on_the_dashboard(client, employee):
    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == employee


def test_bad_login_says_what_is_wrong_without_an_error_page(client, employee):
    response = client.post(reverse("login"), {"username": "employee", "password": "wrong"})

    assert response.status_code == 200
    assert "The username or password is not correct" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_logout_ends_the_session(client_as, employee):
    client = client_as(employee)

    client.post(reverse("logout"))

    assert client.get(reverse("home")).status_code == 302


def test_password_change_rejects_a_weak_password_with_a_message(client_as, employee):
    client = client_as(employee)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


# Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
@pytest.mark.parametrize("url_name", READ_PAGES)
def test_every_role_reads_the_organisation_pages(request, client_as, persona, url_name):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", READ_PAGES[1:])
def test_an_account_without_a_role_sees_nothing(client_as, outsider, url_name):
    assert client_as(outsider).get(reverse(url_name)).status_code == 403


def test_dashboard_shows_real_figures(client_as, ceo):
    PersonFactory.create_batch(3, roles=[Role.EMPLOYEE])

    response = client_as(ceo).get(reverse("home"))

    figures = next(context for panel, context in response.context["panels"] if panel.key == "organisation")
    assert figures["people"] == Person.objects.filter(user__is_active=True).count() == 4
    assert figures["role_counts"]["Employee"] == 3
    assert figures["role_counts"]["Top management"] == 1


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_management_representative_adds_departments(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("leadership:department-create")).status_code == 403
    response = client.post(reverse("leadership:department-create"), {"name": "Sneaky", "code": "SNK"})
    assert response.status_code == 403
    assert not Department.objects.filter(code="SNK").exists()


@pytest.mark.parametrize("persona", ["ceo", "dept_manager", "qa", "auditor", "employee"])
def test_only_the_management_representative_edits_people(request, client_as, persona):
    target = PersonFactory()
    client = client_as(request.getfixturevalue(persona))

    response = client.post(reverse("leadership:person-update", args=[target.pk]), {"first_name": "Changed"})

    assert response.status_code == 403
    target.user.refresh_from_db()
    assert target.user.first_name != "Changed"


def test_history_is_shown_to_the_auditor_but_not_to_employees(client_as, auditor, employee, mgmt_rep):
    department = DepartmentFactory()
    first, second = (
        PersonFactory(user__first_name="Ann", user__last_name="First"),
        PersonFactory(user__first_name="Ben", user__last_name="Second"),
    )
    services.department_update(actor=mgmt_rep, department=department, head=first)
    services.department_update(actor=mgmt_rep, department=department, head=second)

    response = client_as(auditor).get(department.get_absolute_url())

    latest = response.context["history"][0]
    assert latest["record"].history_user == mgmt_rep
    assert latest["changes"] == [("head", "Ann First", "Ben Second")]
    assert "Ann First" in response.content.decode()
    assert "history" not in client_as(employee).get(department.get_absolute_url()).context


# Forms -----------------------------------------------------------------------------------------


def test_management_representative_creates_a_department(client_as, mgmt_rep):
    head = PersonFactory()

    response = client_as(mgmt_rep).post(
        reverse("leadership:department-create"), {"name": "Maintenance", "code": "MAINT", "head": head.pk}
    )

    department = Department.objects.get(code="MAINT")
    assert response.status_code == 302
    assert response["Location"] == department.get_absolute_url()
    assert department.head == head
    assert department.history.get().history_user == mgmt_rep


def test_department_form_names_the_field_in_error_and_saves_nothing(client_as, mgmt_rep):
    DepartmentFactory(name="Maintenance", code="MAINT")

    response = client_as(mgmt_rep).post(reverse("leadership:department-create"), {"name": "MAINTENANCE", "code": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in form.errors["name"][0]
    assert form.errors["code"] == ["This field is required."]
    assert Department.objects.filter(name__iexact="maintenance").count() == 1


def test_management_representative_adds_a_person_with_roles(client_as, mgmt_rep):
    department = DepartmentFactory()

    response = client_as(mgmt_rep).post(
        reverse("leadership:person-create"),
        {
            "username": "gadeyemi",
            "first_name": "Grace",
            "last_name": "Adeyemi",
            "email": "grace@example.com",
            "job_title": "Production Team Leader",
            "department": department.pk,
            "roles": [Role.EMPLOYEE, Role.QA_STAFF],
        },
    )

    person = Person.objects.get(user__username="gadeyemi")
    assert response.status_code == 302
    assert person.department == department
    assert set(person.user.groups.values_list("name", flat=True)) == {"Employee", "QA staff"}


def test_person_form_reports_bad_input_per_field(client_as, mgmt_rep):
    PersonFactory(user__username="taken")

    response = client_as(mgmt_rep).post(
        reverse("leadership:person-create"),
        {"username": "taken", "first_name": "A", "last_name": "B", "email": "not-an-email", "roles": ["Employee"]},
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["email"] == ["Enter a valid email address."]
    assert not Person.objects.filter(user__first_name="A", user__last_name="B").exists()


def test_person_form_reports_a_taken_username(client_as, mgmt_rep):
    PersonFactory(user__username="taken")

    response = client_as(mgmt_rep).post(
        reverse("leadership:person-create"),
        {"username": "taken", "first_name": "A", "last_name": "B", "roles": ["Employee"]},
    )

    assert "already taken" in response.context["form"].errors["username"][0]


def test_person_edit_form_changes_profile_and_roles(client_as, mgmt_rep):
    person = PersonFactory(roles=[Role.EMPLOYEE])

    response = client_as(mgmt_rep).post(
        reverse("leadership:person-update", args=[person.pk]),
        {
            "first_name": "Grace",
            "last_name": "Adeyemi",
            "job_title": "Shift Leader",
            "roles": [Role.DEPARTMENT_MANAGER],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert person.job_title == "Shift Leader"
    assert list(person.user.groups.values_list("name", flat=True)) == ["Department manager"]


# Lists ----------------------------------------------------------------------------------------------


def test_people_list_filters_by_role_and_search(client_as, mgmt_rep):
    PersonFactory(user__first_name="Marek", roles=[Role.QA_STAFF])
    PersonFactory(user__first_name="Daniel", roles=[Role.EMPLOYEE])

    response = client_as(mgmt_rep).get(reverse("leadership:person-list"), {"role": "QA staff"})
    assert [p.user.first_name for p in response.context["object_list"]] == ["Marek"]

    response = client_as(mgmt_rep).get(reverse("leadership:person-list"), {"q": "dani"})
    assert [p.user.first_name for p in response.context["object_list"]] == ["Daniel"]


def test_list_filter_over_htmx_returns_only_the_table(client_as, mgmt_rep):
    response = client_as(mgmt_rep).get(reverse("leadership:person-list"), {"q": "x"}, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "leadership/partials/_person_table.html"
    assert b'<nav class="navbar' not in response.content


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # session, user, user's own and group permissions (2), user's groups for the role
        # badge, count for pagination, the page of rows, the departments of the filter's
        # drop-down, and (people list only) the prefetched roles of the page's people.
        ("leadership:department-list", 8),
        ("leadership:person-list", 9),
    ],
)
def test_list_pages_run_the_same_number_of_queries_for_10_or_100_rows(
    client_as, mgmt_rep, django_assert_num_queries, url_name, queries
):
    client = client_as(mgmt_rep)
    grow_organisation(3)
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))

    grow_organisation(30)
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))


def test_account_history_names_the_roles_that_changed(client_as, auditor, mgmt_rep):
    person = PersonFactory(roles=[Role.EMPLOYEE])
    services.person_update(actor=mgmt_rep, person=person, roles=[Role.QA_STAFF, Role.EMPLOYEE])

    response = client_as(auditor).get(person.get_absolute_url())

    changes = response.context["account_history"][0]["changes"]
    assert ("groups", "Employee", "Employee, QA staff") in changes
