import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_as_openapi_3(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert text.startswith("openapi: 3")
    for path in ("/api/departments/", "/api/people/", "/api/me/"):
        assert f"  {path}:" in text


def test_schema_and_docs_need_a_login(client, api_as, employee):
    assert client.get(reverse("api-schema")).status_code in (401, 403)

    assert api_as(employee).get(reverse("api-schema")).status_code == 200
    client.force_login(employee)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    # Swagger UI comes from the project's own static files, not a CDN.
    assert b"cdn.jsdelivr" not in response.content
