"""tasks of quality objectives: measurements."""
