"""Extra checks on signing in, registered by the apps that need them.

`qms` is the lowest layer and cannot import the apps that decide who may sign in (the evidence
app limits external auditors to a period, for example). An app registers a check from its
`AppConfig.ready()`; the login form runs every registered check after the password matched.
"""

from collections.abc import Callable

LoginCheck = Callable[[object], None]

_checks: list[LoginCheck] = []


def register_login_check(fn: LoginCheck) -> LoginCheck:
    """Add `fn(user)` to the checks; it raises django's ValidationError with the message to show.

    Registering the same function twice keeps one copy, so a `ready()` that runs again is harmless.
    Returns `fn`, so it can be used as a decorator.
    """
    if fn not in _checks:
        _checks.append(fn)
    return fn


def login_checks() -> tuple[LoginCheck, ...]:
    return tuple(_checks)


def run_login_checks(user) -> None:
    """Run every registered check on `user`; the first that refuses raises its ValidationError."""
    for check in _checks:
        check(user)
