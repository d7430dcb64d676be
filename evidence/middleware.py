"""Ends the session of an auditor whose access period is over (or has not begun).

The login form refuses such an account; this middleware covers the session that was opened
while the period was running. It must come after AuthenticationMiddleware and MessageMiddleware:
the message it leaves is shown on the login page.

Only sessions marked at login as belonging to a limited account (`SESSION_KEY`) cost a query;
every other request reads nothing but the session it has loaded anyway.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url

from evidence.selectors import access as selectors
from evidence.services.access import SESSION_KEY


class AuditorAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal:
            return self._sign_out(request, refusal)
        return self.get_response(request)

    def _refusal(self, request) -> str:
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return ""
        limited = session.get(SESSION_KEY)
        if limited is False:
            return ""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        access = selectors.user_access(user)
        if limited is None:
            # A session opened before the marker existed: mark it once.
            session[SESSION_KEY] = access is not None
        return selectors.access_refusal(access)

    def _sign_out(self, request, message: str):
        logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        # Stored after logout (which empties the session), so the login page shows it.
        messages.error(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            # A partial swap would put the login page inside the current one: send the whole tab there.
            return HttpResponse(status=204, headers={"HX-Redirect": login_url})
        return redirect(login_url)
