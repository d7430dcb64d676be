"""Two-factor authentication in a real browser: set up from the QR page's key, then the code step at login."""

import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.two_factor import next_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_top_management_sets_up_two_factor_and_logs_in_with_a_code(browser, live_server, settings, ceo):
    settings.CLAUSE5_TWO_FACTOR_REQUIRED = True
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    csp_reports = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_reports.append(m.text))

    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", ceo.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Top management is held at the set-up page until two-factor authentication is on.
    page.wait_for_url(live_server.url + reverse("two-factor"))
    assert "Your role requires two-factor authentication" in page.content()
    assert page.locator("#two-factor-qr svg").count() == 1
    # The key as an authenticator app would take it from the page.
    secret = page.inner_text("#two-factor-secret").replace(" ", "")
    totp = TOTP(b32decode(secret))
    page.fill("input[name=code]", f"{totp.token():06d}")
    page.get_by_role("button", name="Turn two-factor authentication on").click()
    page.wait_for_url(live_server.url + reverse("two-factor-recovery-codes"))
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them").click()
    assert "Turn two-factor authentication off" in page.content()

    # Log out and in again: the password, then the code.
    page.goto(live_server.url + reverse("home"))
    page.locator("nav .dropdown-toggle").last.click()
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", ceo.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('two-factor-verify')}**")
    device = TOTPDevice.objects.get(user=ceo)
    page.fill("input[name=code]", wrong_code(device))
    page.get_by_role("button", name="Continue").click()
    assert "The code is not correct." in page.content()
    time.sleep(1.2)  # django-otp's wait after one wrong code
    page.fill("input[name=code]", next_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + reverse("home"))
    assert csp_reports == []
    context.close()
