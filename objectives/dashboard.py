"""The objectives app's contribution to the shell: its menu and its dashboard panels."""

from objectives.selectors.objectives import objective_dashboard
from objectives.selectors.risks import risk_figures
from objectives.views.measurements import values_due_panel_context
from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu

MENUS = (
    Menu(
        label="Objectives",
        order=25,
        items=(
            MenuItem("Objectives dashboard", "objectives:objective-list", "objectives.view_objective", "bullseye"),
            MenuItem("By department", "objectives:objective-departments", "objectives.view_objective", "diagram-3"),
            MenuItem("My objectives", "objectives:my-objectives", "objectives.view_objective", "person-check"),
            MenuItem(
                "Enter this period's values",
                "objectives:measurement-entry",
                "objectives.add_measurement",
                "pencil-square",
            ),
            MenuItem("Measurements", "objectives:measurement-list", "objectives.view_measurement", "graph-up"),
            MenuItem("Import measurements", "objectives:measurement-import", "objectives.add_measurement", "upload"),
            MenuItem(
                "Target revisions", "objectives:target-revision-list", "objectives.view_targetrevision", "arrow-repeat"
            ),
            MenuItem("Risks and opportunities", "objectives:risk-list", "objectives.view_risk", "exclamation-triangle"),
            MenuItem("Risk heat map", "objectives:risk-heat-map", "objectives.view_risk", "grid-3x3-gap"),
        ),
    ),
)

PANELS = (
    Panel(
        "objectives",
        "objectives/objectives/partials/_dashboard.html",
        objective_dashboard,
        order=25,
        permission="objectives.view_objective",
    ),
    Panel(
        "objectives-values-due",
        "objectives/measurements/partials/_dashboard_values_due.html",
        values_due_panel_context,
        order=26,
        permission="objectives.add_measurement",
    ),
    Panel(
        "risks",
        "objectives/risks/partials/_dashboard.html",
        lambda request: risk_figures(),
        order=45,
        permission="objectives.view_risk",
    ),
)


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
    for panel in PANELS:
        register_panel(panel)
