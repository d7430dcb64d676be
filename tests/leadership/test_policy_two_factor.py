"""Submitting and approving the quality policy with two-factor authentication on: the code is asked for and checked."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from leadership.models.policy import PolicyVersion
from leadership.services import policy as services
from tests.conftest import PASSWORD
from tests.leadership.factories_policy import PolicyVersionFactory, draft_fields
from tests.two_factor import enrol, login_verified, next_code, wrong_code

pytestmark = pytest.mark.django_db

Status = PolicyVersion.Status
CODE_MISSING = "Enter the 6-digit code from your authenticator app."
CODE_REFUSED = "The code is not correct. Nothing was signed."


def submitted(mgmt_rep) -> PolicyVersion:
    version = services.policy_version_create(actor=mgmt_rep, **draft_fields())
    return services.policy_version_submit(actor=mgmt_rep, version=version, password=PASSWORD)


def later():
    """Past django-otp's wait after a wrong code."""
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=2), tick=False)


def test_top_management_approves_on_the_page_with_the_code(client, ceo, mgmt_rep):
    version = submitted(mgmt_rep)
    device, _ = enrol(ceo)
    login_verified(client, ceo)
    url = reverse("leadership:policy-version-approve", args=[version.pk])
    assert 'name="otp_code"' in client.get(version.get_absolute_url()).content.decode()

    missing = client.post(url, {"password": PASSWORD})
    assert missing.context["approve_form"].errors["otp_code"] == [CODE_MISSING]
    wrong = client.post(url, {"password": PASSWORD, "otp_code": wrong_code(device)})
    assert wrong.context["approve_form"].errors["otp_code"] == [CODE_REFUSED]
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED
    assert version.approval_signature is None
    with later():
        response = client.post(url, {"password": PASSWORD, "otp_code": next_code(device)})

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert version.approval_signature.signer == ceo


def test_the_approve_form_has_no_code_field_without_two_factor(client_as, ceo, mgmt_rep):
    version = submitted(mgmt_rep)
    assert 'name="otp_code"' not in client_as(ceo).get(version.get_absolute_url()).content.decode()


def test_the_author_submits_through_the_api_with_the_code(api_as, mgmt_rep):
    version = PolicyVersionFactory()
    device, _ = enrol(mgmt_rep)
    api = api_as(mgmt_rep)
    url = reverse("policyversion-submit", args=[version.pk])

    assert api.post(url, {"password": PASSWORD}).json() == {"otp_code": [CODE_MISSING]}
    assert api.post(url, {"password": PASSWORD, "otp_code": wrong_code(device)}).json() == {"otp_code": [CODE_REFUSED]}
    with later():
        response = api.post(url, {"password": PASSWORD, "otp_code": next_code(device)})

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["author_signature"]["meaning"] == "authored"


def test_top_management_approves_through_the_api_with_a_recovery_code(api_as, ceo, mgmt_rep):
    version = submitted(mgmt_rep)
    _, codes = enrol(ceo)

    response = api_as(ceo).post(
        reverse("policyversion-approve", args=[version.pk]), {"password": PASSWORD, "otp_code": codes[0]}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    again = PolicyVersionFactory(submitted=True)
    reused = api_as(ceo).post(
        reverse("policyversion-approve", args=[again.pk]), {"password": PASSWORD, "otp_code": codes[0]}
    )
    assert reused.json() == {"otp_code": [CODE_REFUSED]}
