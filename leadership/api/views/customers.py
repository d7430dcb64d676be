"""Views of customer focus (5.1.2): customer feedback, requirements and figures."""
