"""forms of management_reviews."""
