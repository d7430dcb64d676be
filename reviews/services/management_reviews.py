"""services of management_reviews."""
