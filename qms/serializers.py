"""Serializers every app's API shares."""

from rest_framework import serializers

from qms.models import Signature


class SignInputSerializer(serializers.Serializer):
    """Input of every signing endpoint: the signer types their password again (and their two-factor code)."""

    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    otp_code = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Required when the signer uses two-factor authentication: the 6-digit code their authenticator "
        "app shows now, or one of their recovery codes.",
    )


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["id", "signer", "signer_name", "signer_title", "meaning", "statement", "signed_at", "content_sha256"]
        read_only_fields = fields
