"""services of readiness."""
