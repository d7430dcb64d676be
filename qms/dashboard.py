"""The home dashboard's panels, contributed by the apps.

`qms` owns the dashboard but must not import the apps above it, so each app
registers its panels from its `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """One block of the home dashboard."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict]
    order: int = 100
    # The panel is shown to users who hold this permission ("" shows it to everyone).
    permission: str = ""


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict]]:
    """The panels the signed-in user may see, in order, each with its context."""
    visible = [
        p
        for p in sorted(_panels.values(), key=lambda p: p.order)
        if not p.permission or request.user.has_perm(p.permission)
    ]
    return [(panel, panel.context(request)) for panel in visible]
