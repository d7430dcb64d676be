"""Serializers of the weekly operation report (read-only)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence.models import WeeklyReport


class WeeklyReportSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField(help_text="Items per section: complaints, overdue_actions, ...")
    data = serializers.JSONField(read_only=True, help_text="What the report says, frozen when it was written.")
    pdf_ready = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(help_text="The PDF through the API (logged as a download).")
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = WeeklyReport
        fields = [
            "week",
            "period_start",
            "period_end",
            "generated_at",
            "emailed_at",
            "sha256",
            "pdf_ready",
            "pdf_url",
            "page_url",
            "counts",
            "data",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, obj) -> dict:
        return (obj.data or {}).get("counts", {})

    def get_pdf_ready(self, obj) -> bool:
        return bool(obj.file)

    @extend_schema_field(serializers.URLField(allow_null=True))  # null while the PDF is being prepared
    def get_pdf_url(self, obj):
        if not obj.file:
            return None
        return self._absolute(reverse("weekly-report-pdf", kwargs={"week": obj.week}))

    def get_page_url(self, obj) -> str:
        return self._absolute(obj.get_absolute_url())

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
