"""The reviews app's contribution to the shell: its menus and its dashboard panels."""

from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu
from reviews.selectors.audits import audit_figures
from reviews.selectors.management_reviews import management_review_panel
from reviews.views.actions import dashboard_panel as actions_panel
from reviews.views.meetings import attendance_panel

MENUS = (
    # Added to the "My work" menu of the leadership app: a person's own meetings, actions, diary.
    Menu(
        label="My work",
        order=5,
        items=(
            MenuItem("My actions", "reviews:my-actions", "", "check2-square"),
            MenuItem("My meetings", "reviews:my-meetings", "reviews.view_meeting", "calendar-check"),
            MenuItem("My calendar feed", "reviews:calendar", "", "calendar-event"),
        ),
    ),
    Menu(
        label="Meetings",
        order=30,
        items=(
            MenuItem("Meetings", "reviews:meeting-list", "reviews.view_meeting", "calendar3"),
            MenuItem("Plan a meeting", "reviews:meeting-create", "reviews.add_meeting", "calendar-plus"),
            MenuItem(
                "Management reviews",
                "reviews:management-review-list",
                "reviews.view_managementreview",
                "clipboard-data",
            ),
            MenuItem("Top management attendance", "reviews:attendance", "reviews.view_managementreview", "people"),
            MenuItem(
                "Meeting types and schedules", "reviews:meeting-type-list", "reviews.view_meetingtype", "arrow-repeat"
            ),
        ),
    ),
    Menu(
        label="Actions",
        order=35,
        items=(
            MenuItem("Action register", "reviews:action-list", "reviews.view_action", "list-check"),
            MenuItem("Internal audits", "reviews:audit-list", "reviews.view_internalaudit", "clipboard-check"),
            MenuItem("Audit findings", "reviews:finding-list", "reviews.view_auditfinding", "search"),
        ),
    ),
)

PANELS = (
    # Everyone: their own actions, overdue ones, and those waiting for their verification.
    Panel("reviews-my-actions", "reviews/actions/partials/_dashboard.html", actions_panel, order=8),
    Panel(
        "management-review",
        "reviews/management_reviews/partials/_dashboard.html",
        management_review_panel,
        order=33,
        permission="reviews.view_managementreview",
    ),
    Panel(
        "top-management-attendance",
        "reviews/meetings/partials/_dashboard_attendance.html",
        attendance_panel,
        order=35,
        permission="reviews.view_managementreview",
    ),
    Panel(
        "internal-audits",
        "reviews/audits/partials/_dashboard.html",
        lambda request: audit_figures(),
        order=55,
        permission="reviews.view_auditfinding",
    ),
)


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
    for panel in PANELS:
        register_panel(panel)
