"""The evidence app's contribution to the shell: its menu and its dashboard panel."""

from evidence.mapping import kinds_visible_to
from evidence.selectors.clauses import clause_coverage
from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu

MENUS = (
    Menu(
        label="Evidence",
        order=40,
        items=(MenuItem("ISO clause catalogue", "evidence:clause-list", "evidence.view_clause", "journal-check"),),
    ),
)

PANELS = (
    Panel(
        "evidence-coverage",
        "evidence/clauses/partials/_dashboard.html",
        lambda request: clause_coverage(kinds=kinds_visible_to(request.user)),
        # After the commitment log (30): both answer "can we show it to an auditor?".
        order=35,
        permission="evidence.view_clause",
    ),
)


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
    for panel in PANELS:
        register_panel(panel)
