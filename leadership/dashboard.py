"""The leadership app's contribution to the shell: its menus and its dashboard panels."""

from leadership.selectors import commitment as commitment_selectors
from leadership.selectors import customers as customer_selectors
from leadership.selectors import feedback as feedback_selectors
from leadership.selectors import people as selectors
from leadership.selectors import policy as policy_selectors
from leadership.selectors import positions as positions_selectors
from leadership.selectors import resources as resource_selectors
from qms.dashboard import Panel, register_panel
from qms.navigation import Menu, MenuItem, register_menu

MENUS = (
    Menu(
        label="My work",
        order=5,
        items=(
            MenuItem("Our quality policy", "leadership:policy-current", "", "book"),
            MenuItem("My positions", "leadership:my-positions", "leadership.view_position", "person-check"),
            MenuItem(
                "Report a problem or idea",
                "leadership:employee-feedback-submit",
                "leadership.add_employeefeedback",
                "lightbulb",
            ),
            MenuItem("My feedback", "leadership:employee-feedback-mine", "leadership.add_employeefeedback", "inbox"),
            MenuItem(
                "Follow up anonymous feedback",
                "leadership:employee-feedback-follow-up",
                "leadership.add_employeefeedback",
                "incognito",
            ),
        ),
    ),
    Menu(
        label="Organisation",
        order=10,
        items=(
            MenuItem("Departments", "leadership:department-list", "leadership.view_department", "diagram-3"),
            MenuItem("People", "leadership:person-list", "leadership.view_person", "people"),
            MenuItem("Roles", "leadership:roles", "leadership.view_person", "person-badge"),
            MenuItem("Positions", "leadership:position-list", "leadership.view_position", "person-workspace"),
            MenuItem(
                "Responsibility matrix", "leadership:responsibility-matrix", "leadership.view_position", "grid-3x3"
            ),
            MenuItem(
                "Management representative",
                "leadership:appointment-list",
                "leadership.view_managementrepresentativeappointment",
                "award",
            ),
        ),
    ),
    Menu(
        label="Leadership",
        order=20,
        items=(
            MenuItem(
                "Policy versions",
                "leadership:policy-version-list",
                "leadership.view_policyversion",
                "file-earmark-text",
            ),
            MenuItem(
                "Policy acknowledgements",
                "leadership:policy-coverage",
                "leadership.view_policyversion",
                "check2-square",
            ),
            MenuItem(
                "Shared policy links", "leadership:policy-share-list", "leadership.view_policysharelink", "link-45deg"
            ),
            MenuItem(
                "Commitment log", "leadership:commitment-list", "leadership.view_commitmententry", "journal-check"
            ),
            MenuItem(
                "Resource requests", "leadership:resource-request-list", "leadership.view_resourcerequest", "cash-coin"
            ),
            MenuItem(
                "Quality budget", "leadership:quality-budget-current", "leadership.view_qualitybudget", "piggy-bank"
            ),
            MenuItem(
                "Employee feedback register",
                "leadership:employee-feedback-list",
                "leadership.view_employeefeedback",
                "chat-left-dots",
            ),
        ),
    ),
    Menu(
        label="Customers",
        order=30,
        items=(
            MenuItem(
                "Customer feedback",
                "leadership:customer-feedback-list",
                "leadership.view_customerfeedback",
                "chat-square-text",
            ),
            MenuItem(
                "Customer requirements",
                "leadership:customer-requirement-list",
                "leadership.view_customerrequirement",
                "list-check",
            ),
            MenuItem("Customer figures", "leadership:customer-figures", "leadership.view_customerfeedback", "graph-up"),
            MenuItem("Order volumes", "leadership:order-volume-list", "leadership.view_ordervolume", "box-seam"),
            MenuItem(
                "Response targets", "leadership:response-target-list", "leadership.view_customerfeedback", "stopwatch"
            ),
        ),
    ),
)

PANELS = (
    # Everyone: the policy to read and acknowledge, and their own position descriptions.
    Panel(
        "policy",
        "leadership/policy/partials/_dashboard.html",
        lambda request: policy_selectors.policy_dashboard(request.user),
        order=5,
    ),
    Panel(
        "organisation",
        "leadership/partials/_dashboard_organisation.html",
        lambda request: selectors.organisation_figures(),
        order=10,
        permission="leadership.view_person",
    ),
    Panel(
        "roles",
        "leadership/positions/partials/_dashboard_roles.html",
        lambda request: positions_selectors.roles_dashboard_figures(user=request.user),
        order=20,
        permission="leadership.view_position",
    ),
    Panel(
        "commitment",
        "leadership/commitment/partials/_dashboard.html",
        lambda request: commitment_selectors.commitment_coverage(),
        order=30,
        permission="leadership.view_commitmententry",
    ),
    Panel(
        "customers",
        "leadership/customers/partials/_dashboard_customers.html",
        lambda request: customer_selectors.customer_dashboard_figures(),
        order=40,
        permission="leadership.view_customerfeedback",
    ),
    Panel(
        "resources",
        "leadership/resources/partials/_dashboard.html",
        lambda request: resource_selectors.resource_figures(),
        order=50,
        permission="leadership.view_qualitybudget",
    ),
    Panel(
        "employee-feedback",
        "leadership/feedback/partials/_dashboard.html",
        lambda request: feedback_selectors.employee_feedback_figures(),
        order=60,
        permission="leadership.view_employeefeedback",
    ),
)


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
    for panel in PANELS:
        register_panel(panel)
