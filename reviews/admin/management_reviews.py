"""admin of management_reviews."""
