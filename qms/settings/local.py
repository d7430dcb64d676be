"""Settings for `make run` on a developer's or evaluator's machine: debug on, embedded defaults."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from qms.settings.base import *  # noqa: F403
from qms.settings.base import env

# The demo logins (README) sign in with a password only, unless the environment says otherwise.
CLAUSE5_TWO_FACTOR_REQUIRED = env.bool("CLAUSE5_TWO_FACTOR_REQUIRED", default=False)
