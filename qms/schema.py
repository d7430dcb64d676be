"""The OpenAPI schema (drf-spectacular): the errors every endpoint shares, and blank values it may return.

Kept apart from `qms.api`, which DRF imports while its own views are still loading: drf-spectacular
imports them.
"""

import contextlib

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi

# The error answers every operation can give, documented in the schema -------------------------------

ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "Why the request was refused. A refusal by a domain rule may add keys that say more.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "type": "object",
        "description": (
            "Each field that is wrong, with its messages (a nested object for a nested field); "
            "`non_field_errors` for what is wrong with the request as a whole."
        ),
        "additionalProperties": {},
    },
}

ERROR_RESPONSES = {
    "400": ("ValidationErrors", "The input is not valid: each field is named with what is wrong with it."),
    "401": ("ErrorDetail", "No valid credentials: send `Authorization: Token <key>` or sign in."),
    "403": ("ErrorDetail", "The user's role does not allow this."),
    "404": ("ErrorDetail", "No such record, or none the user may see (or a page number past the last page)."),
    "409": ("ErrorDetail", "A rule refused the request in the record's current state; nothing was saved."),
    "415": ("ErrorDetail", "The body is not in a form the operation reads (JSON, a form or multipart)."),
}

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _error_statuses(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, from what it takes and who may call it."""
    parameters = operation.get("parameters", [])
    statuses = []
    if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
        statuses.append("400")  # serializer or filter validation
    if "requestBody" in operation:
        statuses.append("415")  # a content type no parser reads, or a body its parser cannot
    security = operation.get("security")
    if security and {} not in security:
        statuses += ["401", "403"]  # every authenticated endpoint checks the role's permissions
    if any(p.get("in") == "path" for p in parameters) or any(p.get("name") == "page" for p in parameters):
        statuses.append("404")  # the record, or the page of a list
    if method in UNSAFE_METHODS:
        statuses.append("409")  # `ApplicationError` and concurrent saves (`exception_handler`)
    return statuses


def postprocess_error_responses(result, generator, request, public):
    """drf-spectacular hook: document the errors that `exception_handler` and DRF answer everywhere.

    Each view documents its successful answers (and any error it answers in its own way); the
    errors every endpoint shares are added here, unless the view documents that status itself.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _error_statuses(method, operation):
                responses.setdefault(status, {"description": ERROR_RESPONSES[status][1]})
            for status, response in responses.items():
                # A view that documents an error with a description only answers it like all the others.
                if status in ERROR_RESPONSES and "content" not in response:
                    ref = {"$ref": f"#/components/schemas/{ERROR_RESPONSES[status][0]}"}
                    response["content"] = {"application/json": {"schema": ref}}
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, knowing that a read-only field of a blank model field may be "".

    DRF drops `allow_blank` from the fields a ModelSerializer makes read-only, so the schema would
    promise a choice or a URL where the record holds "" (an objective without a unit, a meeting
    without a video link).
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        with _blank_allowed(field):
            return super()._map_serializer_field(field, direction, bypass_extensions)

    def _insert_field_validators(self, field, schema):
        # Where a format (uri, email) meets `allow_blank`, "" is added as an alternative.
        with _blank_allowed(field):
            return super()._insert_field_validators(field, schema)


@contextlib.contextmanager
def _blank_allowed(field):
    """Let the field allow "" while its schema is made, when it reads a blank model field."""
    if not (field.read_only and getattr(field, "allow_blank", None) is False and _reads_blank_model_field(field)):
        yield
        return
    field.allow_blank = True
    try:
        yield
    finally:
        field.allow_blank = False


def _reads_blank_model_field(field) -> bool:
    """Whether a ModelSerializer field reads a model field (through relations too) declared `blank=True`."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    model_field = None
    for attr in field.source_attrs:
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        model = model_field.related_model
    return bool(getattr(model_field, "blank", False))
