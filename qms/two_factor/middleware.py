"""Holds a signed-in session at the two-factor step until it is done.

- A user who has two-factor authentication on has signed in with the password only: every page
  but the code page and logout sends them to the code page (then on to where they were going).
- With `CLAUSE5_TWO_FACTOR_REQUIRED`, a user whose role requires two-factor authentication and
  who has not turned it on is sent to the set-up page, with a message, from every page but the
  set-up pages and logout.

Static files are not held. The API (`/api/`) is left to DRF: token requests are not held, and
`qms.api.SessionAuthentication` answers a held session with 403. It must come after
`OTPMiddleware` (which says whether the session gave its code) and `MessageMiddleware`.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from qms.two_factor import devices

ENROL_MESSAGE = (
    "Your role requires two-factor authentication. Set it up to continue: scan the QR code with an "
    "authenticator app and enter the code it shows."
)
API_PREFIX = "/api/"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.free_prefixes = (API_PREFIX, "/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request):
        if not request.path.startswith(self.free_prefixes):
            refusal = devices.session_refusal(request)
            if refusal:
                allowed = self._allowed(refusal)
                if request.path not in allowed:
                    if request.headers.get("HX-Request") == "true" and self._htmx_page(request) in allowed:
                        # A fragment (the notification badge) of the very page the user is sent to: nothing.
                        return HttpResponse(status=204)
                    return self._send(request, refusal)
        return self.get_response(request)

    @staticmethod
    def _allowed(refusal: str) -> set[str]:
        if refusal == devices.VERIFY:
            return {reverse("logout"), reverse("two-factor-verify")}
        return {
            reverse("logout"),
            reverse("two-factor"),
            reverse("two-factor-confirm"),
            reverse("two-factor-recovery-codes"),
        }

    @staticmethod
    def _htmx_page(request) -> str:
        return urlsplit(request.headers.get("HX-Current-URL", "")).path

    @staticmethod
    def _send(request, refusal: str):
        if refusal == devices.VERIFY:
            url = reverse("two-factor-verify")
            if request.method == "GET" and not request.headers.get("HX-Request"):
                url += "?" + urlencode({"next": request.get_full_path()})
        else:
            url = reverse("two-factor")
            if not request.headers.get("HX-Request"):
                messages.warning(request, ENROL_MESSAGE)
        if request.headers.get("HX-Request") == "true":
            # A partial swap would put the page inside the current one: send the whole tab there.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
