"""The API's token endpoint: the password, and the two-factor code of users who have it on.

A token is a login of its own: without the code, two-factor authentication would stop at the
browser.
"""

from rest_framework import serializers
from rest_framework.authtoken import serializers as authtoken_serializers
from rest_framework.authtoken.views import ObtainAuthToken

from qms.two_factor import devices


# Named as DRF's, so that the schema's component names do not change.
class AuthTokenSerializer(authtoken_serializers.AuthTokenSerializer):
    otp_code = serializers.CharField(
        label="Two-factor code",
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Required when the user has two-factor authentication on: the 6-digit code their authenticator "
        "app shows now, or one of their recovery codes.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if devices.has_two_factor(user):
            # Raises Django's ValidationError on otp_code, which DRF answers with 400.
            devices.code_verify(user=user, code=attrs.get("otp_code"), field="otp_code")
        return attrs


class TokenView(ObtainAuthToken):
    """POST username and password (and `otp_code` when two-factor authentication is on): the user's API token."""

    serializer_class = AuthTokenSerializer


token_view = TokenView.as_view()
