import pytest
from django.urls import reverse

from leadership.models import Department, Person
from leadership.roles import Role
from tests.leadership.factories import DepartmentFactory, PersonFactory, grow_organisation

pytestmark = pytest.mark.django_db

LISTS = ["department-list", "person-list", "api-me"]


@pytest.mark.parametrize("url_name", LISTS)
def test_anonymous_requests_get_no_data(api_client, url_name):
    response = api_client.get(reverse(url_name))

    assert response.status_code in (401, 403)
    assert set(response.json()) == {"detail"}


def test_a_bad_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api_client.get(reverse("department-list")).status_code == 401


def test_token_is_issued_for_a_good_password_only(api_client, auditor):
    from tests.conftest import PASSWORD

    good = api_client.post(reverse("api-token"), {"username": "auditor", "password": PASSWORD})
    bad = api_client.post(reverse("api-token"), {"username": "auditor", "password": "nope"})

    assert good.status_code == 200
    assert len(good.json()["token"]) == 40
    assert bad.status_code == 400
    assert "Unable to log in" in bad.json()["non_field_errors"][0]


@pytest.mark.parametrize("url_name", LISTS)
def test_auditor_token_reads_everything(api_as, auditor, url_name):
    DepartmentFactory.create_batch(2)

    assert api_as(auditor).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    ("method", "url_name", "needs_pk"),
    [
        ("post", "department-list", False),
        ("patch", "department-detail", True),
        ("put", "department-detail", True),
        ("post", "person-list", False),
        ("patch", "person-detail", True),
    ],
)
def test_auditor_token_cannot_write(api_as, auditor, method, url_name, needs_pk):
    target = PersonFactory()
    pk = target.department.pk if url_name.startswith("department") else target.pk
    url = reverse(url_name, args=[pk]) if needs_pk else reverse(url_name)

    response = getattr(api_as(auditor), method)(url, {"name": "Changed", "code": "CHG"}, format="json")

    assert response.status_code == 403
    target.department.refresh_from_db()
    assert target.department.name != "Changed"


def test_deleting_is_not_offered(api_as, mgmt_rep):
    department = DepartmentFactory()

    response = api_as(mgmt_rep).delete(reverse("department-detail", args=[department.pk]))

    assert response.status_code == 405
    assert Department.objects.filter(pk=department.pk).exists()


def test_account_without_role_cannot_list_people(api_as, outsider):
    assert api_as(outsider).get(reverse("person-list")).status_code == 403


def test_me_tells_the_user_their_roles_and_permissions(api_as, qa):
    body = api_as(qa).get(reverse("api-me")).json()

    assert body["username"] == "qa"
    assert body["roles"] == ["QA staff"]
    assert "leadership.view_person" in body["permissions"]
    assert "leadership.add_person" not in body["permissions"]


def test_management_representative_creates_a_department(api_as, mgmt_rep):
    parent = DepartmentFactory(name="Operations")

    response = api_as(mgmt_rep).post(
        reverse("department-list"), {"name": "Machining", "code": "MACH", "parent": parent.pk}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent"] == parent.pk
    assert body["people_count"] == 0
    assert Department.objects.get(code="MACH").history.get().history_user == mgmt_rep


def test_bad_department_input_names_each_field(api_as, mgmt_rep):
    DepartmentFactory(name="Machining", code="MACH")

    response = api_as(mgmt_rep).post(
        reverse("department-list"), {"name": "machining", "code": "has spaces", "parent": 99999}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"code", "parent"}
    assert "letters, numbers" in errors["code"][0]
    assert "does not exist" in errors["parent"][0]


def test_duplicate_department_name_is_a_field_error(api_as, mgmt_rep):
    DepartmentFactory(name="Machining", code="MACH")

    response = api_as(mgmt_rep).post(reverse("department-list"), {"name": "MACHINING", "code": "M2"}, format="json")

    assert response.status_code == 400
    assert "already exists" in response.json()["name"][0]


def test_department_cycle_is_refused_with_a_field_error(api_as, mgmt_rep):
    top = DepartmentFactory()
    child = DepartmentFactory(parent=top)

    response = api_as(mgmt_rep).patch(reverse("department-detail", args=[top.pk]), {"parent": child.pk}, format="json")

    assert response.status_code == 400
    assert "sub-departments" in response.json()["parent"][0]


def test_management_representative_creates_a_person(api_as, mgmt_rep):
    department = DepartmentFactory()

    response = api_as(mgmt_rep).post(
        reverse("person-list"),
        {
            "username": "hfischer",
            "first_name": "Hannah",
            "last_name": "Fischer",
            "email": "hannah@example.com",
            "job_title": "Buyer",
            "department": department.pk,
            "roles": ["Employee"],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["roles"] == ["Employee"]
    assert response.json()["full_name"] == "Hannah Fischer"
    assert Person.objects.get(user__username="hfischer").department == department


def test_bad_person_input_names_each_field_and_saves_nothing(api_as, mgmt_rep):
    before = Person.objects.count()

    response = api_as(mgmt_rep).post(
        reverse("person-list"),
        {"username": "", "first_name": "H" * 200, "last_name": "F", "email": "nope", "roles": ["Wizard"]},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"username", "first_name", "email", "roles"}
    assert errors["roles"] == {"0": ['"Wizard" is not a valid choice.']}
    assert "no more than 150 characters" in errors["first_name"][0]
    assert Person.objects.count() == before


def test_weak_password_is_a_field_error(api_as, mgmt_rep):
    response = api_as(mgmt_rep).post(
        reverse("person-list"), {"username": "w", "first_name": "W", "last_name": "P", "password": "abc"}, format="json"
    )

    assert response.status_code == 400
    assert any("too short" in m for m in response.json()["password"])


def test_person_update_changes_roles(api_as, mgmt_rep):
    person = PersonFactory(roles=[Role.EMPLOYEE])

    response = api_as(mgmt_rep).patch(
        reverse("person-detail", args=[person.pk]), {"roles": ["QA staff"], "job_title": "Inspector"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["QA staff"]
    assert response.json()["job_title"] == "Inspector"


def test_people_are_filtered_by_department_and_role(api_as, auditor):
    qa_dept = DepartmentFactory(name="QA")
    PersonFactory(department=qa_dept, roles=[Role.QA_STAFF])
    PersonFactory(department=qa_dept, roles=[Role.EMPLOYEE])
    PersonFactory(roles=[Role.QA_STAFF])

    body = api_as(auditor).get(reverse("person-list"), {"department": qa_dept.pk, "role": "QA staff"}).json()

    assert body["count"] == 1


def test_invalid_filter_value_is_a_400_not_a_500(api_as, auditor):
    response = api_as(auditor).get(reverse("person-list"), {"department": "abc"})

    assert response.status_code == 400
    assert "department" in response.json()


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # token, user's own and group permissions (2), count, page of rows.
        ("department-list", 5),
        # the same, plus the prefetched roles of the page's people.
        ("person-list", 6),
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_for_10_or_100_rows(
    api_as, auditor, django_assert_num_queries, url_name, queries
):
    client = api_as(auditor)
    for n in (3, 30):
        grow_organisation(n)
        with django_assert_num_queries(queries):
            assert client.get(reverse(url_name)).status_code == 200
