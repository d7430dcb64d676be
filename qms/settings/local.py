"""Settings for `make run` on a developer's or evaluator's machine: debug on, embedded defaults."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from qms.settings.base import *  # noqa: F403
