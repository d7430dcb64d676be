"""Quality objectives (ISO 9001 6.1, 6.2, 9.1), one module per area."""

# Importing each module registers its models with Django.
from objectives.models import risks  # noqa: F401
from objectives.models.measurements import Measurement
from objectives.models.objectives import ActionPlanStep, Objective, TargetRevision

__all__ = ["ActionPlanStep", "Measurement", "Objective", "TargetRevision"]
