"""Serializers of issued documents: the verification's question and answer, the download log."""

from rest_framework import serializers

from evidence.models import DownloadLog, IssuedDocument


class VerifyRequestSerializer(serializers.Serializer):
    """Upload a PDF (multipart) or give its SHA-256; exactly one."""

    file = serializers.FileField(required=False, help_text="The PDF to check; read to compute its SHA-256, not kept.")
    sha256 = serializers.CharField(
        required=False, allow_blank=True, max_length=400, trim_whitespace=False, help_text="64 hexadecimal characters."
    )


class IssuedDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    record_type = serializers.SerializerMethodField()
    issued_to = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = ["kind", "kind_label", "title", "sha256", "size", "record_type", "object_id", "issued_to", "issued_at"]
        read_only_fields = fields

    def get_record_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_issued_to(self, obj) -> str | None:
        user = obj.issued_to
        return (user.get_full_name() or user.get_username()) if user else None


class VerificationSerializer(serializers.Serializer):
    found = serializers.BooleanField(help_text="True: the file is exactly what Clause5 issued.")
    sha256 = serializers.CharField()
    message = serializers.CharField()
    issues = IssuedDocumentSerializer(many=True, help_text="Every issue of this file, first first.")
    later = IssuedDocumentSerializer(allow_null=True, help_text="A later issue of the same record, if any.")


class DownloadLogSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    user_name = serializers.SerializerMethodField()
    record_type = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = DownloadLog
        fields = [
            "id",
            "downloaded_at",
            "user",
            "user_name",
            "kind",
            "kind_label",
            "record_type",
            "object_id",
            "record",
            "file_name",
            "sha256",
            "ip_address",
        ]
        read_only_fields = fields

    def get_user_name(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.get_username()

    def get_record_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_record(self, obj) -> str | None:
        """The record as text (None when it no longer exists)."""
        return str(obj.record) if obj.record is not None else None
