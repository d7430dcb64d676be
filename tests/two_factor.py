"""Two-factor helpers for the tests of every app: turning it on, the codes an app shows, a verified session."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qms.two_factor import devices


def next_code(device: TOTPDevice) -> str:
    """A code the authenticator app shows, that the device has not accepted yet.

    A code works once. django-otp accepts the codes of one 30-second step either side of now (and
    follows the phone's clock drift), so the next code is the earliest step after the last one used:
    the current one, or the one the app shows 30 seconds later.
    """
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step
    step = max(device.last_t + 1, now + device.drift - device.tolerance)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the device does not accept now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    valid = set()
    for steps in range(-3, 4):
        totp.time = time.time() + steps * device.step
        valid.add(totp.token())
    return next(f"{n:06d}" for n in range(1_000_000) if n not in valid)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor authentication on for `user` as the set-up page does; returns the device and recovery codes."""
    pending = devices.two_factor_start(user=user)
    device, codes = devices.two_factor_confirm(user=user, code=next_code(pending))
    device.refresh_from_db()
    return device, codes


def login_verified(client, user):
    """Signed in with the password and the code, as after the two login steps."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = devices.app_device(user).persistent_id
    session.save()
    return client
