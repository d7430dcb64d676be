"""ETag and If-Match for versioned records in the API (see `qms.concurrency`).

A detail answer of a versioned record carries `ETag: W/"<version>"`. A client that sends it
back in `If-Match` on PUT, PATCH, DELETE or a lifecycle POST has its write refused with 412
Precondition Failed if someone saved the record since, with a body naming what changed. Without
`If-Match` the write goes through. The ETag is weak because it names the record's version, not
the bytes of the answer (computed figures such as an objective's health change without a new
version); `If-Match` therefore compares versions, which is what protects an edit from being lost.
"""

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

ETAG_RE = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag of the record as you read it (e.g. W/"3", from a GET of the record). If the record has '
        "been saved since, nothing is saved and the answer is 412 with what changed. Without it, the write "
        "goes through whatever changed meanwhile."
    ),
)


def etag_for(version: int) -> str:
    return f'W/"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version an `If-Match` header names; None when absent or `*` (any version)."""
    if header is None or header.strip() in ("", "*"):
        return None
    match = ETAG_RE.match(header)
    if match is None:
        raise ValidationError(
            {"If-Match": [f'Send one ETag of this record as a GET returned it, such as W/"3"; got {header!r}.']}
        )
    return int(match.group(1))


class EditConflictChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    was = serializers.CharField(help_text="The value in the version you sent in If-Match.")
    now = serializers.CharField(help_text="The value saved since.")


class EditConflictSerializer(serializers.Serializer):
    """The body of a 412 (or 409) answer to a write made on a version that is no longer current."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text='Send W/"<current_version>" to save over these changes.')
    your_version = serializers.IntegerField()
    changed_by = serializers.ListField(child=serializers.CharField())
    changed_at = serializers.DateTimeField(allow_null=True)
    changes = EditConflictChangeSerializer(many=True)


class VersionedViewSetMixin:
    """A viewset of a versioned record: ETag on detail answers, `if_match_version()` for its writes.

    The answer's ETag comes from the `version` its serializer returns, so a write answers with
    the ETag of the version it created.
    """

    def if_match_version(self) -> int | None:
        return parse_if_match(self.request.headers.get("If-Match"))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "detail", False)
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag_for(data["version"])
        return response
