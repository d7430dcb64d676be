"""Signing and amending minutes with two-factor authentication on: the code is asked for and checked."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reviews.models.meetings import Meeting, MinutesAmendment
from reviews.services import minutes as services
from tests.conftest import PASSWORD
from tests.reviews.factories_minutes import complete, held_meeting
from tests.two_factor import enrol, login_verified, next_code, wrong_code

pytestmark = pytest.mark.django_db

CODE_MISSING = "Enter the 6-digit code from your authenticator app."
CODE_REFUSED = "The code is not correct. Nothing was signed."


def sign_url(meeting) -> str:
    return reverse("reviews:meeting-sign", args=[meeting.pk])


def test_the_sign_page_asks_for_the_code_only_of_a_chair_who_uses_two_factor(client, client_as, ceo, dept_manager):
    with_code = complete(held_meeting(chair=ceo))
    without = complete(held_meeting(chair=dept_manager))
    enrol(ceo)
    assert 'name="otp_code"' in login_verified(client, ceo).get(sign_url(with_code)).content.decode()
    assert 'name="otp_code"' not in client_as(dept_manager).get(sign_url(without)).content.decode()


def test_minutes_are_signed_only_with_the_right_code(client, ceo):
    meeting = complete(held_meeting(chair=ceo))
    device, _ = enrol(ceo)
    login_verified(client, ceo)

    missing = client.post(sign_url(meeting), {"password": PASSWORD})
    assert missing.status_code == 400
    assert missing.context["sign_form"].errors["otp_code"] == [CODE_MISSING]
    wrong = client.post(sign_url(meeting), {"password": PASSWORD, "otp_code": wrong_code(device)})
    assert wrong.status_code == 400
    assert wrong.context["sign_form"].errors["otp_code"] == [CODE_REFUSED]
    assert CODE_REFUSED in wrong.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    # The signing was rolled back, the wrong code still counts against the device.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2), tick=False):
        signed = client.post(sign_url(meeting), {"password": PASSWORD, "otp_code": next_code(device)})

    assert signed.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED
    assert meeting.signature.signer == ceo


def test_a_wrong_password_does_not_use_up_a_code(client, ceo):
    meeting = complete(held_meeting(chair=ceo))
    device, _ = enrol(ceo)
    login_verified(client, ceo)
    code = next_code(device)
    response = client.post(sign_url(meeting), {"password": "nope", "otp_code": code})
    assert response.context["sign_form"].errors["password"] == ["The password is not correct. Nothing was signed."]
    assert client.post(sign_url(meeting), {"password": PASSWORD, "otp_code": code}).status_code == 302


def test_an_amendment_is_signed_with_the_code(client, ceo):
    meeting = complete(held_meeting(chair=ceo))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    device, _ = enrol(ceo)
    login_verified(client, ceo)
    url = reverse("reviews:meeting-amend", args=[meeting.pk])
    data = {"target": "notes", "amended_text": "Scrap was 2.1%.", "reason": "Wrong figure", "password": PASSWORD}
    assert 'name="otp_code"' in client.get(url).content.decode()

    refused = client.post(url, {**data, "otp_code": wrong_code(device)})
    assert refused.status_code == 400
    assert refused.context["form"].errors["otp_code"] == [CODE_REFUSED]
    assert not MinutesAmendment.objects.exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2), tick=False):
        response = client.post(url, {**data, "otp_code": next_code(device)})

    assert response.status_code == 302
    assert MinutesAmendment.objects.get().signature.signer == ceo


def test_the_api_signs_minutes_with_the_code(api_as, ceo):
    meeting = complete(held_meeting(chair=ceo))
    device, _ = enrol(ceo)
    api = api_as(ceo)
    url = f"/api/meetings/{meeting.pk}/sign/"

    missing = api.post(url, {"password": PASSWORD})
    assert missing.status_code == 400
    assert missing.json() == {"otp_code": [CODE_MISSING]}
    wrong = api.post(url, {"password": PASSWORD, "otp_code": wrong_code(device)})
    assert wrong.json() == {"otp_code": [CODE_REFUSED]}
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2), tick=False):
        signed = api.post(url, {"password": PASSWORD, "otp_code": next_code(device)})

    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
