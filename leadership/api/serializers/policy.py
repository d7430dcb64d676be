"""Serializers of the quality policy API. They check shape; the services apply the rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from leadership.models.policy import CONFIRMATION_FIELDS, PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from qms.serializers import SignatureSerializer


class PolicyVersionSerializer(serializers.ModelSerializer):
    """A policy version as read: content, confirmations, lifecycle, signatures and the PDF."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    author_name = serializers.SerializerMethodField()
    author_signature = SignatureSerializer(read_only=True, allow_null=True)
    approval_signature = SignatureSerializer(read_only=True, allow_null=True)
    acknowledgement_count = serializers.IntegerField(
        read_only=True, help_text="Acknowledgements by people currently in scope (active staff)."
    )
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "number",
            "title",
            "text",
            "strategy_context",
            "change_summary",
            *CONFIRMATION_FIELDS,
            "status",
            "status_display",
            "based_on",
            "author",
            "author_name",
            "submitted_at",
            "author_signature",
            "approval_signature",
            "rejected_at",
            "rejected_by",
            "rejection_reason",
            "published_at",
            "published_by",
            "superseded_at",
            "superseded_by",
            "acknowledgement_count",
            "pdf_url",
            "pdf_sha256",
            "pdf_rendered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_author_name(self, version) -> str:
        return version.author.get_full_name() or version.author.get_username()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, version) -> str | None:
        if not version.pdf:
            return None
        return reverse("policyversion-pdf", args=[version.pk], request=self.context.get("request"))


class PolicyVersionWriteSerializer(serializers.ModelSerializer):
    """Input for a draft: text, strategy and the author's 5.2.1 confirmations."""

    class Meta:
        model = PolicyVersion
        fields = ["title", "text", "strategy_context", "change_summary", *CONFIRMATION_FIELDS]


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="What must change before the version can be approved.")


class PublishPreviewSerializer(serializers.Serializer):
    current_version = serializers.IntegerField(allow_null=True, help_text="Number of the version now in force.")
    acknowledgements_reset = serializers.IntegerField(
        help_text="People who acknowledged the version in force and will be asked again."
    )
    share_links_stopped = serializers.IntegerField(help_text="Active public links to the version in force.")


class PolicyAcknowledgementSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    department = serializers.PrimaryKeyRelatedField(source="person.department", read_only=True, allow_null=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = PolicyAcknowledgement
        fields = ["id", "person", "person_name", "department", "version", "version_number", "acknowledged_at"]
        read_only_fields = fields


class AcknowledgeInputSerializer(serializers.Serializer):
    version = serializers.PrimaryKeyRelatedField(
        queryset=PolicyVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text="The version the person read; refused if it is no longer the published one. "
        "Leave out to acknowledge the published version.",
    )


class DepartmentCoverageSerializer(serializers.Serializer):
    department = serializers.IntegerField(allow_null=True)
    department_name = serializers.CharField(allow_null=True)
    acknowledged = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class PendingPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    department = serializers.IntegerField(source="department_id", allow_null=True)
    last_acknowledged_version = serializers.IntegerField(source="last_acknowledged_number", allow_null=True)


class CoverageSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.pk")
    version_number = serializers.IntegerField(source="version.number")
    acknowledged = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    departments = serializers.SerializerMethodField()
    not_acknowledged = PendingPersonSerializer(source="pending", many=True)

    @extend_schema_field(DepartmentCoverageSerializer(many=True))
    def get_departments(self, coverage) -> list[dict]:
        return [
            {
                "department": row["department"].pk if row["department"] else None,
                "department_name": row["department"].name if row["department"] else None,
                "acknowledged": row["acknowledged"],
                "total": row["total"],
                "percent": row["percent"],
            }
            for row in coverage.departments
        ]


class PolicyShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The public address; shown only to those who may share.")
    is_active = serializers.BooleanField(read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = PolicyShareLink
        fields = [
            "id",
            "label",
            "version",
            "version_number",
            "is_active",
            "url",
            "created_by",
            "created_at",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, link) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.has_perm("leadership.share_policyversion"):
            return None
        return request.build_absolute_uri(link.get_absolute_url())


class ShareLinkInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=120, help_text="Where the link is used, e.g. “Company website”.")
