"""Two-factor devices and codes: turning it on and off, checking a code, who must use it.

`qms` is the lowest layer and does not know the roles: the apps that do register a rule saying
who must use two-factor authentication (`register_required_rule`, from `AppConfig.ready()`).
When `CLAUSE5_TWO_FACTOR_REQUIRED` is on, those users are sent to the set-up page until they
turn it on. Anyone else may turn it on too.
"""

import functools
import math
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qms.exceptions import ApplicationError

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10

CODE_MISSING = "Enter the 6-digit code from your authenticator app."
CODE_WRONG = "The code is not correct."
PASSWORD_WRONG = "The password is not correct."  # noqa: S105 (a message, not a password)

# What the session still has to do before the user may use Clause5.
VERIFY = "verify"
ENROL = "enrol"
# Per session: {"device": has two-factor on, "required": in a role that must use it}. Worked
# out at login so that an ordinary request costs no query; changed when the user turns it on or off.
SESSION_KEY = "qms_two_factor"


# Who must use it ------------------------------------------------------------------------------

RequiredRule = Callable[[object], bool]

_rules: list[RequiredRule] = []


def register_required_rule(fn: RequiredRule) -> RequiredRule:
    """Add `fn(user) -> bool`: True when the user's roles require two-factor authentication.

    Registering the same function twice keeps one copy. Returns `fn`, so it can be a decorator.
    """
    if fn not in _rules:
        _rules.append(fn)
    return fn


def must_use_two_factor(user) -> bool:
    """Whether the user's roles call for two-factor authentication (whatever the setting says)."""
    return bool(user is not None and user.is_authenticated and any(rule(user) for rule in _rules))


# Reading ---------------------------------------------------------------------------------------


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app: the confirmed one, or the one being set up."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_two_factor(user) -> bool:
    """Whether the user has turned two-factor authentication on (a confirmed authenticator app)."""
    if user is None or not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Checking a code -------------------------------------------------------------------------------


class CodeRefused(ValidationError):
    """A wrong code. The device counted it; `keep_failure()` writes the count again after a rollback.

    Signing checks the code inside the signing service's transaction, which a wrong code rolls
    back, and the failed attempt with it. `qms.signatures.signing_service` calls `keep_failure()`
    once the transaction is over, so that wrong codes still slow down whoever is guessing.
    """

    def __init__(self, message, *, device: Device):
        super().__init__(message)
        self.failure = (type(device), device.pk, device.throttling_failure_count, device.throttling_failure_timestamp)

    def keep_failure(self) -> None:
        model, pk, count, at = self.failure
        # Idempotent: applying it twice (nested signing services) counts the attempt once.
        model.objects.filter(pk=pk, throttling_failure_count__lt=count).update(
            throttling_failure_count=count, throttling_failure_timestamp=at
        )


def normalise_code(code) -> str:
    # Authenticator apps show "123 456"; recovery codes may be typed in capitals or with a dash.
    return "".join(str(code or "").split()).replace("-", "").lower()


def _is_app_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


def _wait_message(info: dict, suffix: str) -> str:
    seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    return f"Too many wrong codes: wait {seconds} second{'s' if seconds != 1 else ''}, then try again.{suffix}"


def _check(device: Device, code: str, *, field: str, suffix: str) -> None:
    """Check `code` on `device` (already locked), counting a wrong one; raises on `field`."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({field: _wait_message(info or {}, suffix)})
    # django-otp counts a wrong code on the device (and throttles the next attempt) and resets
    # the count when the code is right.
    if not device.verify_token(code):
        raise CodeRefused({field: f"{CODE_WRONG}{suffix}"}, device=device)


def code_verify(*, user, code, field: str = "code", suffix: str = "") -> Device:
    """Check a code from the user's authenticator app, or one of their recovery codes (used up).

    Returns the device that accepted it. Raises ValidationError on `field` when the code is
    missing or wrong, or while wrong codes make the user wait; `suffix` ends those messages
    (" Nothing was signed.").
    """
    code = normalise_code(code)
    if not code:
        raise ValidationError({field: CODE_MISSING})
    model = TOTPDevice if _is_app_code(code) else StaticDevice
    try:
        with transaction.atomic():
            device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
            if device is None:
                raise ValidationError({field: f"{CODE_WRONG}{suffix}"})
            _check(device, code, field=field, suffix=suffix)
    except CodeRefused as exc:
        # The exception rolled the count back with the block above: write it again. Inside a
        # signing service's transaction, `signing_service` writes it once more after the rollback.
        exc.keep_failure()
        raise
    return device


def signing_service(service):
    """Decorate a service that signs (calls `qms.signatures.signature_sign`), outside its `@transaction.atomic`.

    A wrong two-factor code rolls the signing back; this writes the failed attempt again once the
    transaction is over, so that django-otp's throttling still counts it.
    """

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except CodeRefused as exc:
            exc.keep_failure()
            raise

    return wrapper


# Turning it on and off -------------------------------------------------------------------------


@transaction.atomic
def two_factor_start(*, user) -> TOTPDevice:
    """The authenticator device being set up: the same one (and secret) until it is confirmed."""
    if has_two_factor(user):
        raise ApplicationError("Two-factor authentication is already on.")
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_confirm(*, user, code) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor authentication on with the first code the app shows; returns the recovery codes.

    The recovery codes are shown once; only the user keeps them.
    """
    code = normalise_code(code)
    if not code:
        raise ValidationError({"code": CODE_MISSING})
    if has_two_factor(user):
        raise ApplicationError("Two-factor authentication is already on.")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise ApplicationError("Open the set-up page again: the QR code you scanned is no longer valid.")
        try:
            _check(device, code, field="code", suffix=" Check that the app shows the account you just scanned.")
        except CodeRefused as exc:
            refused = exc
        else:
            refused = None
    if refused is not None:
        raise refused
    with transaction.atomic():
        device.confirmed = True
        device.name = APP_DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])
        # Devices left over from earlier attempts would never be used.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
    return device, codes


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).exclude(name=RECOVERY_DEVICE_NAME).delete()
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_generate(*, user, code) -> list[str]:
    """New recovery codes, replacing the old ones, after a code from the app; shown once."""
    if not has_two_factor(user):
        raise ApplicationError("Turn two-factor authentication on first.")
    code = normalise_code(code)
    if code and not _is_app_code(code):
        raise ValidationError({"code": "Enter the code from your authenticator app, not a recovery code."})
    code_verify(user=user, code=code)
    with transaction.atomic():
        return _recovery_codes_replace(user)


def two_factor_disable(*, user, password: str, code) -> None:
    """Turn two-factor authentication off: the password and a current code (or a recovery code)."""
    if not has_two_factor(user):
        raise ApplicationError("Two-factor authentication is already off.")
    errors = {}
    if not password or not user.check_password(password):
        errors["password"] = PASSWORD_WRONG
    if not normalise_code(code):
        errors["code"] = CODE_MISSING
    if errors:
        raise ValidationError(errors)
    code_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# The session --------------------------------------------------------------------------------


def session_remember(request, user) -> dict:
    """Work out, once per login, whether this session must give a code or set two-factor up."""
    state = {"device": has_two_factor(user), "required": must_use_two_factor(user)}
    request.session[SESSION_KEY] = state
    return state


def session_refusal(request) -> str:
    """`VERIFY` while the session has not given its code, `ENROL` while a user who must use
    two-factor authentication has not turned it on, else ""."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    state = request.session.get(SESSION_KEY) or session_remember(request, user)
    is_verified = getattr(user, "is_verified", None)
    if state["device"] and not (is_verified and is_verified()):
        return VERIFY
    if state["required"] and not state["device"] and settings.CLAUSE5_TWO_FACTOR_REQUIRED:
        return ENROL
    return ""


def remember_at_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver (connected in `QmsConfig.ready()`)."""
    if request is not None and hasattr(request, "session"):
        session_remember(request, user)
