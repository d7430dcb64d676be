"""Serializers of auditor access (read-only)."""

from rest_framework import serializers

from evidence.models import AuditorAccess
from evidence.selectors.access import Status


class AuditorAccessSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        source="access_status", choices=Status.CHOICES[:3], read_only=True, help_text="On today's date."
    )
    granted_by_name = serializers.SerializerMethodField()
    last_login = serializers.DateTimeField(source="user.last_login", read_only=True, allow_null=True)

    class Meta:
        model = AuditorAccess
        fields = [
            "id",
            "user",
            "username",
            "name",
            "organisation",
            "valid_from",
            "valid_until",
            "status",
            "note",
            "granted_by",
            "granted_by_name",
            "last_login",
        ]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.get_username()

    def get_granted_by_name(self, obj) -> str:
        return obj.granted_by.get_full_name() or obj.granted_by.get_username()
