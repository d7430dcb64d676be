"""The demo organisation, seeded app by app.

Each app registers its seeder from `AppConfig.ready()`; `manage.py seed_demo` runs them in
order (lower apps first, since higher apps' demo records point at theirs).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Seeder:
    """One app's demo data: `seed()` returns counts of what it created; it must be idempotent."""

    app: str
    order: int
    seed: Callable[[], dict]
    # (username, who, roles) rows for the printed table of demo logins.
    logins: Callable[[], list[tuple[str, str, str]]] = list


_seeders: dict[str, Seeder] = {}


def register_seeder(seeder: Seeder) -> None:
    _seeders[seeder.app] = seeder


def seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda s: s.order)
