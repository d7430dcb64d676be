"""Serializers of evidence packs: the pack as the API shows it, and a request for one."""

from django.urls import reverse
from rest_framework import serializers

from evidence.models import EvidencePack
from leadership.models import Department


class EvidencePackSerializer(serializers.ModelSerializer):
    requested_by = serializers.SerializerMethodField()
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidencePack
        fields = [
            "id",
            "reference",
            "period_start",
            "period_end",
            "clause_ids",
            "departments",
            "requested_by",
            "status",
            "progress",
            "progress_note",
            "error",
            "started_at",
            "finished_at",
            "size",
            "sha256",
            "page_count",
            "download_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_requested_by(self, pack) -> str:
        user = pack.requested_by
        return user.get_full_name() or user.get_username()

    def get_download_url(self, pack) -> str | None:
        """The API address of the PDF once the pack is ready."""
        if pack.status != EvidencePack.Status.READY:
            return None
        return reverse("evidence-pack-download", args=[pack.pk])


class EvidencePackRequestSerializer(serializers.Serializer):
    """A request for a pack: the period, and optionally requirement items and departments (ids)."""

    period_start = serializers.DateField()
    period_end = serializers.DateField()
    clause_ids = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)
    departments = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Department.objects.all(), required=False, default=list
    )
