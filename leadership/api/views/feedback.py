"""Views of the employee quality feedback box (5.1.1.h)."""
