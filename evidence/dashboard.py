"""The evidence app's contribution to the shell: its menu and its dashboard panel."""

from evidence.selectors.readiness import readiness_panel
from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu

MENUS = (
    Menu(
        label="Evidence",
        order=40,
        items=(
            MenuItem("Audit readiness", "evidence:readiness", "evidence.view_clause", "clipboard2-check"),
            MenuItem("Evidence packs", "evidence:pack-list", "evidence.view_evidencepack", "file-earmark-zip"),
            MenuItem("ISO clause catalogue", "evidence:clause-list", "evidence.view_clause", "journal-check"),
            MenuItem("Verify a document", "evidence:verify", "reviews.view_meeting", "shield-check"),
            MenuItem(
                "Weekly operation reports",
                "evidence:weekly-report-list",
                "evidence.view_weeklyreport",
                "envelope-paper",
            ),
            MenuItem("Auditor access", "evidence:auditor-access-list", "evidence.view_auditoraccess", "person-badge"),
            MenuItem("Download log", "evidence:download-log", "evidence.view_downloadlog", "journal-arrow-down"),
        ),
    ),
)

PANELS = (
    # The first thing the management representative (and everyone who prepares for an audit)
    # sees: the readiness score and the worst gaps, each with the page where it is fixed. The
    # clause catalogue's coverage counts are on its own page.
    Panel(
        "evidence-readiness",
        "evidence/readiness/partials/_dashboard.html",
        readiness_panel,
        order=1,
        permission="evidence.view_clause",
    ),
)


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
    for panel in PANELS:
        register_panel(panel)
