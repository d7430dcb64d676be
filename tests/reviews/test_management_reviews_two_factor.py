"""Signing a management review with two-factor authentication on: one code signs the review and its minutes."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import Meeting
from tests.conftest import PASSWORD
from tests.reviews.factories_management_reviews import make_ready, prepare
from tests.two_factor import enrol, login_verified, next_code, wrong_code

pytestmark = pytest.mark.django_db

CODE_MISSING = "Enter the 6-digit code from your authenticator app."
CODE_REFUSED = "The code is not correct. Nothing was signed."
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def later():
    """Past django-otp's wait after a wrong code."""
    return time_machine.travel(NOW + datetime.timedelta(seconds=2), tick=False)


def test_the_chair_signs_the_review_and_its_minutes_with_one_code(client, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    device, _ = enrol(ceo)
    login_verified(client, ceo)
    url = reverse("reviews:management-review-sign", args=[review.pk])
    assert 'name="otp_code"' in client.get(review.get_absolute_url()).content.decode()

    missing = client.post(url, {"password": PASSWORD})
    assert missing.context["sign_form"].errors["otp_code"] == [CODE_MISSING]
    wrong = client.post(url, {"password": PASSWORD, "otp_code": wrong_code(device)})
    assert wrong.context["sign_form"].errors["otp_code"] == [CODE_REFUSED]
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.HELD
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    with later():
        response = client.post(url, {"password": PASSWORD, "otp_code": next_code(device)})

    assert response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.SIGNED
    meeting = Meeting.objects.get(pk=review.meeting_id)
    assert meeting.status == Meeting.Status.SIGNED
    assert meeting.signature.signer == ceo


def test_the_chair_signs_through_the_api_with_the_code(api_as, ceo, mgmt_rep):
    review = make_ready(ceo, prepare(ceo), mgmt_rep.person)
    device, _ = enrol(ceo)
    api = api_as(ceo)
    url = f"/api/management-reviews/{review.pk}/sign/"

    assert api.post(url, {"password": PASSWORD}, format="json").json() == {"otp_code": [CODE_MISSING]}
    wrong = api.post(url, {"password": PASSWORD, "otp_code": wrong_code(device)}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {"otp_code": [CODE_REFUSED]}
    with later():
        response = api.post(url, {"password": PASSWORD, "otp_code": next_code(device)}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "signed"
