# Importing each module registers its ModelAdmins.
from leadership.admin import commitment, customers, feedback, people, policy, positions, resources  # noqa: F401
