"""What every app's API shares: pagination, role-based permissions, error mapping."""

import drf_spectacular.authentication
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import authentication, exceptions, pagination, permissions, renderers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from qms.concurrency import EditConflict, RecordModifiedError
from qms.exceptions import ApplicationError

SAVED_MEANWHILE = "Someone else saved this record at the same moment; nothing was saved. Reload it and try again."


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


API_TWO_FACTOR_REFUSALS = {
    "verify": "This session has not given its two-factor code yet: finish signing in (the code from your "
    "authenticator app) in the browser, or use a token.",
    "enrol": "Your role requires two-factor authentication: turn it on from the user menu (Two-factor "
    "authentication) before using the API with this session.",
}


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, refusing (403) a session held at the two-factor step.

    A session that signed in with the password but has not given its code, or whose user must
    turn two-factor authentication on first, gets the same answer from the API as from the pages.
    Token requests never come here.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            # Imported here: DRF loads authentication classes while its settings initialise.
            from qms.two_factor.devices import session_refusal

            refusal = session_refusal(request._request)
            if refusal:
                raise exceptions.PermissionDenied(API_TWO_FACTOR_REFUSALS[refusal])
        return result


class SessionScheme(drf_spectacular.authentication.SessionScheme):
    """The OpenAPI description of `SessionAuthentication`: a session cookie, as DRF's."""

    target_class = "qms.api.SessionAuthentication"


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reads included: listing a model needs its `view` permission.

    Roles are groups of these permissions, so the API allows exactly what the pages allow.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        # A method the endpoint does not offer is answered 405 by the view, not 403 here.
        if request.user and request.user.is_authenticated and not hasattr(view, request.method.lower()):
            return True
        return super().has_permission(request, view)


def requires(*perms: str) -> type[permissions.BasePermission]:
    """A permission class for a custom action: the user must hold every one of `perms`.

    `ModelPermissions` maps a POST to `add_<model>`; an action such as "sign" or "verify" names
    the permissions it needs instead.
    """

    class Requires(permissions.BasePermission):
        message = "You do not have permission to do this."

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    Requires.__name__ = f"Requires_{'_'.join(p.split('.')[-1] for p in perms)}"
    return Requires


def exception_handler(exc, context):
    """Turn the services' errors into API answers: 400 with field errors, 409 for a rule refused."""
    # Imported here: DRF loads this module while rest_framework.views is still initialising.
    from rest_framework.views import exception_handler as drf_exception_handler

    request = context.get("request")
    if getattr(getattr(request, "accepted_renderer", None), "render_style", "text") == "binary":
        # A client that asked for a file (`?format=pdf`) gets its error as JSON, labelled as such.
        request.accepted_renderer, request.accepted_media_type = renderers.JSONRenderer(), "application/json"
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, EditConflict):
        # The client asked for the write only on the version it named: its precondition failed.
        code = 412 if request is not None and request.headers.get("If-Match") else exc.status_code
        return Response({"detail": exc.message, **exc.extra}, status=code)
    if isinstance(exc, RecordModifiedError):
        return Response({"detail": SAVED_MEANWHILE}, status=409)
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    return drf_exception_handler(exc, context)
