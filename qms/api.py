"""What every app's API shares: pagination, role-based permissions, error mapping."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from qms.exceptions import ApplicationError


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


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

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    return drf_exception_handler(exc, context)
