"""Organisation settings documented in .env.example really come from the environment."""

import os
import subprocess
import sys

from django.conf import settings


def test_clause5_variables_reach_the_settings():
    """Setting CLAUSE5_ACTION_ESCALATION_DAYS (and friends) changes what the code reads."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qms.settings.test",
        "CLAUSE5_ACTION_ESCALATION_DAYS": "21",
        "CLAUSE5_MEASUREMENT_GRACE_DAYS": "2",
        "CLAUSE5_CURRENCY": "EUR",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CLAUSE5_ACTION_ESCALATION_DAYS, s.CLAUSE5_MEASUREMENT_GRACE_DAYS, s.CLAUSE5_CURRENCY)"
    )
    result = subprocess.run(  # noqa: S603 (the interpreter running the tests, fixed arguments)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split() == ["21", "2", "EUR"]


def test_defaults_when_unset():
    assert settings.CLAUSE5_ACTION_DUE_SOON_DAYS == 7
    assert settings.CLAUSE5_FEEDBACK_ANSWER_DAYS == 10
