"""Serializers every app's API shares."""

from rest_framework import serializers

from qms.models import Signature


class SignInputSerializer(serializers.Serializer):
    """Input of every signing endpoint: the signer types their password again."""

    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["id", "signer", "signer_name", "signer_title", "meaning", "statement", "signed_at", "content_sha256"]
        read_only_fields = fields
