"""Demo data of actions."""


def seed(staff) -> dict[str, int]:
    return {}
