"""Two-factor authentication: turning it on and off, the code step at login, recovery codes, enforcement."""

import datetime
from base64 import b32encode

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qms.two_factor import devices
from tests.conftest import PASSWORD
from tests.two_factor import enrol, login_verified, next_code, wrong_code

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SETUP = reverse("two-factor")
CONFIRM = reverse("two-factor-confirm")
CODES = reverse("two-factor-recovery-codes")
DISABLE = reverse("two-factor-disable")
VERIFY = reverse("two-factor-verify")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def log_in(client, user):
    """The first login step, as the login page does it."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def later(seconds: int):
    """Time moves on (past django-otp's wait after a wrong code)."""
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


# Turning it on ----------------------------------------------------------------------------------


def test_set_up_shows_a_qr_code_and_the_secret_and_the_first_code_turns_it_on(client_as, qa):
    client = client_as(qa)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=qa, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert "<svg" in html
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "Turn two-factor authentication on" in html
    # Reloading the page keeps the secret already scanned.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=qa).count() == 1

    response = client.post(CONFIRM, {"code": next_code(device)})

    assert response.status_code == 302
    assert response["Location"] == CODES
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(CODES)
    codes = set(StaticToken.objects.filter(device__user=qa).values_list("token", flat=True))
    assert len(codes) == devices.RECOVERY_CODE_COUNT
    assert all(code in shown.content.decode() for code in codes)
    # Shown once.
    again = client.get(CODES)
    assert again.status_code == 302
    assert "shown only once" in " ".join(messages_of(again))
    status = client.get(SETUP).content.decode()
    assert "Turn two-factor authentication off" in status
    assert '<dd class="col-sm-7" id="codes-left">10</dd>' in status
    # This session gave its code: it goes on without a second step.
    assert client.get(HOME).status_code == 200


def test_a_wrong_first_code_is_refused_and_counted(client_as, qa):
    client = client_as(qa)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=qa)

    response = client.post(CONFIRM, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert "The code is not correct." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    assert not StaticDevice.objects.filter(user=qa).exists()


def test_an_empty_first_code_names_the_field(client_as, qa):
    client = client_as(qa)
    client.get(SETUP)
    response = client.post(CONFIRM, {"code": ""})
    assert response.status_code == 400
    assert response.context["confirm_form"].errors["code"] == [devices.CODE_MISSING]


def test_the_user_menu_links_to_the_set_up_page(client_as, employee):
    assert f'href="{SETUP}"' in client_as(employee).get(HOME).content.decode()


def test_set_up_pages_need_a_login(client):
    for url in (SETUP, CODES, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Logging in -------------------------------------------------------------------------------------


def test_login_asks_for_the_code_after_the_password(client, ceo):
    device, _ = enrol(ceo)
    log_in(client, ceo)

    held = client.get(reverse("reviews:meeting-list"))
    assert held.status_code == 302
    assert held["Location"] == f"{VERIFY}?next=%2Freviews%2Fmeetings%2F"
    page = client.get(held["Location"])
    assert page.status_code == 200
    assert "one more step" in page.content.decode()
    # The API answers a session without its code with 403, not with data.
    api = client.get(reverse("person-list"))
    assert api.status_code == 403
    assert "two-factor code" in api.json()["detail"]

    response = client.post(VERIFY, {"code": next_code(device), "next": "/reviews/meetings/"})

    assert response.status_code == 302
    assert response["Location"] == "/reviews/meetings/"
    assert client.get(reverse("reviews:meeting-list")).status_code == 200
    assert client.get(reverse("person-list")).status_code == 200


def test_a_wrong_code_at_login_is_refused_counted_and_throttled(client, ceo):
    device, _ = enrol(ceo)
    log_in(client, ceo)

    wrong = client.post(VERIFY, {"code": wrong_code(device)})

    assert wrong.status_code == 400
    assert "The code is not correct." in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Straight away, even the right code has to wait: guessing is slowed down.
    hurried = client.post(VERIFY, {"code": next_code(device)})
    assert hurried.status_code == 400
    assert "Too many wrong codes: wait 1 second, then try again." in hurried.content.decode()
    assert client.get(HOME).status_code == 302
    with later(2):
        assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
        assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_missing_code_at_login_names_the_field(client, ceo):
    enrol(ceo)
    log_in(client, ceo)
    response = client.post(VERIFY, {"code": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [devices.CODE_MISSING]


def test_login_without_two_factor_has_no_second_step(client, employee):
    response = log_in(client, employee)
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(VERIFY).status_code == 302


def test_a_recovery_code_signs_in_once(client, ceo):
    _, codes = enrol(ceo)
    log_in(client, ceo)

    response = client.post(VERIFY, {"code": codes[0].upper()})

    assert response.status_code == 302
    assert "recovery code; 9 left" in " ".join(messages_of(response))
    assert client.get(HOME).status_code == 200
    client.post(reverse("logout"))
    log_in(client, ceo)
    reused = client.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 400
    assert "The code is not correct." in reused.content.decode()


def test_the_code_step_sends_nowhere_but_the_same_site(client, ceo):
    device, _ = enrol(ceo)
    log_in(client, ceo)
    response = client.post(VERIFY, {"code": next_code(device), "next": "https://evil.example.com/"})
    assert response["Location"] == HOME


def test_logout_is_open_during_the_code_step(client, ceo):
    enrol(ceo)
    log_in(client, ceo)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("login"))


# Enforcement ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager"])
def test_who_may_sign_is_sent_to_set_up_when_required(request, settings, client_as, persona):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True
    client = client_as(request.getfixturevalue(persona))

    response = client.get(reverse("reviews:meeting-list"))

    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert "Your role requires two-factor authentication" in " ".join(messages_of(response))
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Your role requires two-factor authentication" in page.content.decode()
    # Static files are not held (the test server serves none: 404, not a redirect).
    assert client.get("/static/css/clause5.css").status_code == 404
    htmx = client.get(reverse("notifications-badge"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == SETUP
    # The set-up page's own badge is not sent back to the set-up page (which would reload it for ever).
    own = client.get(
        reverse("notifications-badge"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{SETUP}"
    )
    assert own.status_code == 204
    assert "HX-Redirect" not in own


@pytest.mark.parametrize("persona", ["qa", "auditor", "employee", "outsider"])
def test_roles_that_do_not_sign_are_not_held_when_required(request, settings, client_as, persona):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True
    assert client_as(request.getfixturevalue(persona)).get(HOME).status_code == 200


def test_nobody_is_held_when_not_required(settings, client_as, ceo):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = False
    assert client_as(ceo).get(HOME).status_code == 200


def test_enrolling_lets_top_management_in(settings, client_as, ceo):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True
    client = client_as(ceo)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=ceo)
    assert client.post(CONFIRM, {"code": next_code(device)})["Location"] == CODES
    assert client.get(CODES).status_code == 200
    assert client.get(HOME).status_code == 200


def test_api_with_a_session_that_must_enrol_is_403_but_a_token_is_not_held(settings, client_as, api_as, ceo):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True

    response = client_as(ceo).get(reverse("person-list"))

    assert response.status_code == 403
    assert "Your role requires two-factor authentication" in response.json()["detail"]
    assert api_as(ceo).get(reverse("person-list")).status_code == 200


# Recovery codes and turning it off ---------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, qa):
    device, old = enrol(qa)
    login_verified(client, qa)

    response = client.post(CODES, {"code": next_code(device)})

    assert response["Location"] == CODES
    new = set(StaticToken.objects.filter(device__user=qa).values_list("token", flat=True))
    assert len(new) == devices.RECOVERY_CODE_COUNT
    assert not new & set(old)
    page = client.get(CODES).content.decode()
    assert all(code in page for code in new)


def test_new_recovery_codes_need_a_right_code(client, qa):
    device, old = enrol(qa)
    login_verified(client, qa)
    response = client.post(CODES, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert response.context["codes_form"].errors["code"] == ["The code is not correct."]
    assert set(StaticToken.objects.filter(device__user=qa).values_list("token", flat=True)) == set(old)


def test_turning_off_needs_the_password_and_a_code(client, qa):
    device, _ = enrol(qa)
    login_verified(client, qa)

    wrong_password = client.post(DISABLE, {"password": "nope", "code": next_code(device)})
    assert wrong_password.status_code == 400
    assert wrong_password.context["disable_form"].errors["password"] == ["The password is not correct."]
    no_code = client.post(DISABLE, {"password": PASSWORD, "code": ""})
    assert no_code.context["disable_form"].errors["code"] == [devices.CODE_MISSING]
    assert TOTPDevice.objects.filter(user=qa, confirmed=True).exists()

    response = client.post(DISABLE, {"password": PASSWORD, "code": next_code(device)})

    assert response["Location"] == SETUP
    assert "Two-factor authentication is off." in " ".join(messages_of(response))
    assert not TOTPDevice.objects.filter(user=qa).exists()
    assert not StaticDevice.objects.filter(user=qa).exists()
    assert client.get(HOME).status_code == 200


def test_top_management_turning_it_off_must_set_it_up_again(settings, client, ceo):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True
    _, codes = enrol(ceo)
    login_verified(client, ceo)
    assert client.get(HOME).status_code == 200

    # A lost phone: a recovery code turns it off, and a new phone is set up.
    client.post(DISABLE, {"password": PASSWORD, "code": codes[0]})

    assert client.get(HOME)["Location"] == SETUP


# API tokens ------------------------------------------------------------------------------------


def test_an_api_token_needs_the_code_when_two_factor_is_on(api_client, ceo):
    device, _ = enrol(ceo)
    url = reverse("api-token")

    missing = api_client.post(url, {"username": "ceo", "password": PASSWORD})
    assert missing.status_code == 400
    assert missing.json() == {"otp_code": [devices.CODE_MISSING]}
    wrong = api_client.post(url, {"username": "ceo", "password": PASSWORD, "otp_code": wrong_code(device)})
    assert wrong.json() == {"otp_code": ["The code is not correct."]}
    with later(2):
        response = api_client.post(url, {"username": "ceo", "password": PASSWORD, "otp_code": next_code(device)})

    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_an_api_token_needs_only_the_password_without_two_factor(api_client, employee):
    response = api_client.post(reverse("api-token"), {"username": "employee", "password": PASSWORD})
    assert response.status_code == 200
    assert "token" in response.json()
