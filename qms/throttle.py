"""Login throttling with django-axes: who is the client, and what a locked-out login is told.

After `AXES_FAILURE_LIMIT` failed logins for one username from one address, axes refuses that pair
for `AXES_COOLOFF_TIME`, even with the right password, and a successful login starts the count
again. The login form (`qms.forms.LoginForm`) turns the refusal into a form error that says when
to try again; `lockout_response` keeps that page as the answer, with status 429.
"""

import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.formats import time_format


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' backend, for logins that come with a request.

    Only a request tells who the client is; a login without one (the test client's `login()`, a
    shell) has no address to throttle by, and axes' own backend would refuse it with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # The API's token endpoint passes DRF's request, which wraps Django's; axes' middleware
            # looks for the lockout on Django's, so that it can answer 429 with the message.
            wrapped = getattr(request, "_request", None)
            if wrapped is not None:
                wrapped.axes_locked_out = True
                wrapped.axes_credentials = {"username": username}
            raise


def client_ip(request) -> str:
    """The client's address as the trusted reverse proxies saw it (`AXES_CLIENT_IP_CALLABLE`).

    Each of the `CLAUSE5_TRUSTED_PROXY_COUNT` proxies appends the address it received the request
    from to X-Forwarded-For, so the client is that many entries from the right. Entries further
    left were sent by the client itself: trusting them would let it pick a new address per attempt.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.CLAUSE5_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def login_retry_at(request, username: str | None):
    """When `username` may try again from this request's address, or None if it is not locked out."""
    cool_off = get_cool_off(request)
    if not username or cool_off is None:
        return None
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return last + cool_off if last else None


def lockout_message(request, username: str | None) -> str:
    """What the login page says to a locked-out username: why, and when to try again."""
    limit = settings.AXES_FAILURE_LIMIT
    retry_at = login_retry_at(request, username)
    if retry_at is None:
        return f"Too many failed logins ({limit}) for this username from your address. Try again later."
    minutes = max(1, math.ceil((retry_at - timezone.now()).total_seconds() / 60))
    at = time_format(timezone.localtime(retry_at), "H:i")
    return (
        f"Too many failed logins ({limit}) for this username from your address. "
        f"Try again at {at} (in {minutes} minute{'s' if minutes != 1 else ''})."
    )


def lockout_response(request, original_response, credentials):
    """axes' answer to a locked-out login (`AXES_LOCKOUT_CALLABLE`).

    The login page has already put the lockout on its form, so it stays the answer, as 429. Any
    other password login (the API's token endpoint) gets the same message on its own terms.
    """
    if original_response is not None and request.resolver_match and request.resolver_match.url_name == "login":
        original_response.status_code = 429
        return original_response
    username = (credentials or {}).get("username")
    message = lockout_message(request, username)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
