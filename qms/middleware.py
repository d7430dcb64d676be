"""Session lifetime: a login ends after `CLAUSE5_SESSION_IDLE_MINUTES` without a request, and in any
case `SESSION_COOKIE_AGE` seconds after it began.

The time of the last activity is kept in the session, rewritten at most once a minute: writing the
session on every request would cost a query per page. The absolute end is fixed at login
(`session_fix_expiry`), so these writes do not push it further out.
"""

import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

# Session key of the last activity, in seconds since the epoch.
LAST_ACTIVITY_KEY = "qms_last_activity"
# The last activity is rewritten when it is older than this; idle time is exact to within it.
REFRESH_SECONDS = 60


def session_fix_expiry(sender, request, user, **kwargs) -> None:
    """At login (`user_logged_in`), fix when the session ends and count the login as activity."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[LAST_ACTIVITY_KEY] = int(time.time())


def idle_message() -> str:
    minutes = settings.CLAUSE5_SESSION_IDLE_MINUTES
    return (
        f"Your session ended after {minutes} minute{'s' if minutes != 1 else ''} without activity. "
        "Log in again to continue."
    )


class SessionIdleMiddleware:
    """Signs out a session idle for longer than `CLAUSE5_SESSION_IDLE_MINUTES`; the login page says why.

    Must come after AuthenticationMiddleware and MessageMiddleware. Requests authenticated by an
    API token carry no session and are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.CLAUSE5_SESSION_IDLE_MINUTES * 60:
                return self._sign_out(request)
            if last is None or now - last >= REFRESH_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _sign_out(self, request):
        logout(request)
        message = idle_message()
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        # Stored after logout (which empties the session), so the login page shows it.
        messages.warning(request, message)
        if request.headers.get("HX-Request") == "true":
            # A partial swap would put the login page inside the current one: send the whole tab there,
            # back to the page afterwards. 401, so that nothing counts the request as done (the live
            # minutes page keeps an unsaved draft).
            page = request.headers.get("HX-Current-URL", "")
            if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
                page = "/"
            parts = urlsplit(page)
            login = redirect_to_login((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))["Location"]
            return HttpResponse(message, status=401, content_type="text/plain", headers={"HX-Redirect": login})
        return redirect_to_login(request.get_full_path())
