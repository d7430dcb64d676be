"""The leadership app's contribution to the shell: its menu and its dashboard panel."""

from leadership.selectors import people as selectors
from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu


def _organisation_panel(request) -> dict:
    return selectors.organisation_figures()


def register() -> None:
    register_menu(
        Menu(
            label="Organisation",
            order=10,
            items=(
                MenuItem("Departments", "leadership:department-list", "leadership.view_department", "diagram-3"),
                MenuItem("People", "leadership:person-list", "leadership.view_person", "people"),
                MenuItem("Roles", "leadership:roles", "leadership.view_person", "person-badge"),
            ),
        )
    )
    register_panel(
        Panel(
            key="organisation",
            template="leadership/partials/_dashboard_organisation.html",
            context=_organisation_panel,
            order=10,
            permission="leadership.view_person",
        )
    )
