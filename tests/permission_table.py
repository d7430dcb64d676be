"""Who may do what, per URL name and method: the permission matrix's expectations.

Written from the documented rights of each role (leadership/roles.py, the README's "Who can do
what", docs/architecture.md), not from the views: the matrix fails when a view lets a role do
what its documentation does not give it, or refuses what it does.

Letters name the roles: E employee, Q QA staff, D department manager, M management
representative, C top management, A auditor (inside their access period). "*" means everyone,
anonymous visitors included (public pages). Roles not listed are refused: 403 when signed in,
the login page (pages) or 401 (API) when anonymous. The external auditor whose access has ended
is signed out on every request and sent to the login page (401 on the API).

A row's `obj` is the world record (tests/permission_world.py) whose pk fills `<pk>`; `params`
maps other URL parameters to the world's values when the parameter's name is ambiguous.
"""

from dataclasses import dataclass, field

ALL = "EQDMCA"  # everyone with a role
STAFF = "EQDMC"  # everyone who works in the system (the auditor changes nothing)
READ_ALL = "MCA"  # the roles that read every record (view_* of every app)
REGISTERS = "QDMCA"  # readers of the registers: customer feedback, resources, policy versions, ...
REGISTER_WORK = "QDMC"  # who enters customer feedback, requirements, order volumes, resource requests
MEETING_WORK = "QDMC"  # who plans meetings, takes minutes and keeps the action register
OBJECTIVE_OWNERS = "DMC"  # who owns objectives and their plans (department managers: their department)
OBJECTIVE_WORK = "QDMC"  # who enters measurements and keeps the risk register
REVIEW_READ = "QDMCA"  # who reads management reviews and internal audits
AUDIT_WORK = "QM"  # who records internal audits and findings
EVIDENCE_READ = "QDMCA"  # who reads the ISO clause catalogue and its evidence
EVIDENCE_TAG = "QMC"  # who tags records as evidence
PACKS = "MCA"  # who asks for and downloads evidence packs
PUBLIC = "*"


@dataclass(frozen=True)
class Row:
    api: bool
    methods: dict
    obj: str | None = None
    params: dict = field(default_factory=dict)
    # Roles to whom the record does not exist (404): lists filtered to what they may see.
    hidden: str = ""
    # A body for the writes, from the world, where an empty one would not reach the permission check.
    data: object = None
    multipart: bool = False


def page(obj=None, params=None, **methods) -> Row:
    options = {k: methods.pop(k) for k in ("hidden", "data") if k in methods}
    return Row(api=False, methods=methods, obj=obj, params=params or {}, **options)


def api(obj=None, params=None, **methods) -> Row:
    options = {k: methods.pop(k) for k in ("hidden", "data", "multipart") if k in methods}
    return Row(api=True, methods=methods, obj=obj, params=params or {}, **options)


# URL patterns left out of the matrix, each with the reason.
SKIPPED = {
    # Django's admin has its own staff/superuser check; no role of Clause5 is staff.
    "admin": "Django admin: staff accounts only, tested by the admin tests",
    # The OpenAPI schema and its browser are documentation of the API, read with a session.
    "api-schema": "OpenAPI schema: documentation, covered by tests/qms/test_api_schema.py",
    "api-docs": "Swagger UI page: documentation, loads the schema",
    # Obtaining a token is the API's login: a POST of username and password, no role involved.
    "api-token": "token login: public by design, tested by the access tests",
}

ROWS: dict[str, Row] = {
    # qms ----------------------------------------------------------------------------------------
    "home": page(GET=ALL),
    "healthz": page(GET=PUBLIC),
    "notifications": page(GET=ALL),
    "notifications-badge": page(GET=ALL),
    "login": page(GET=PUBLIC, POST=PUBLIC),
    "logout": page(POST=PUBLIC),
    "password_change": page(GET=ALL, POST=ALL),
    "password_change_done": page(GET=ALL),
    # Two-factor authentication of one's own account: the code step and the set-up pages.
    "two-factor-verify": page(GET=ALL, POST=ALL),
    "two-factor": page(GET=ALL),
    "two-factor-confirm": page(POST=ALL),
    "two-factor-recovery-codes": page(GET=ALL, POST=ALL),
    "two-factor-disable": page(POST=ALL),
    "password_reset": page(GET=PUBLIC, POST=PUBLIC),
    "password_reset_done": page(GET=PUBLIC),
    "password_reset_confirm": page(GET=PUBLIC, POST=PUBLIC, params={"token": "reset_token"}),
    "password_reset_complete": page(GET=PUBLIC),
    # leadership: people --------------------------------------------------------------------------
    "leadership:department-list": page(GET=ALL),
    "leadership:department-create": page(GET="M", POST="M"),
    "leadership:department-detail": page("department", GET=ALL),
    "leadership:department-update": page("department", GET="M", POST="M"),
    "leadership:person-list": page(GET=ALL),
    "leadership:person-create": page(GET="M", POST="M"),
    "leadership:my-profile": page(GET=ALL),
    "leadership:person-detail": page("person", GET=ALL),
    "leadership:person-update": page("person", GET="M", POST="M"),
    "leadership:roles": page(GET=ALL),
    # leadership: policy
    "leadership:policy-current": page(GET=ALL),
    "leadership:policy-acknowledge": page(POST=STAFF),
    # Who has acknowledged: read with the policy versions (department managers chase their people).
    "leadership:policy-coverage": page(GET=REGISTERS),
    "leadership:policy-version-list": page(GET=REGISTERS),
    "leadership:policy-version-create": page(GET="M", POST="M"),
    "leadership:policy-version-compare": page(GET=REGISTERS),
    "leadership:policy-version-detail": page("policy_draft", GET=REGISTERS),
    "leadership:policy-version-update": page("policy_draft", GET="M", POST="M"),
    "leadership:policy-version-submit": page("policy_draft", POST="M"),
    "leadership:policy-version-approve": page("policy_draft", POST="C"),
    "leadership:policy-version-reject": page("policy_draft", POST="C"),
    "leadership:policy-version-publish": page("policy_draft", GET="MC", POST="MC"),
    "leadership:policy-version-new-from": page("policy_published", POST="M"),
    # The published policy's PDF is for everyone; making it again is for those who publish.
    "leadership:policy-version-pdf": page("policy_published", GET=ALL),
    "leadership:policy-version-pdf-prepare": page("policy_published", POST="MC"),
    "leadership:policy-share-list": page(GET="MCA", POST="M"),
    "leadership:policy-share-revoke": page("share_link", POST="M"),
    "leadership:policy-public": page(GET=PUBLIC),
    "leadership:policy-public-pdf": page(GET=PUBLIC),
    # leadership: positions
    "leadership:position-list": page(GET=ALL),
    "leadership:position-create": page(GET="M", POST="M"),
    "leadership:my-positions": page(GET=ALL),
    "leadership:responsibility-matrix": page(GET=ALL),
    "leadership:position-detail": page("position", GET=ALL),
    "leadership:position-update": page("position", GET="M", POST="M"),
    "leadership:position-holder-assign": page("position", GET="M", POST="M"),
    # Any account may post; only the position's holders are recorded (tests/leadership/test_positions_*).
    "leadership:position-acknowledge": page("position", POST=ALL),
    "leadership:position-holder-end": page("position_holder", GET="M", POST="M"),
    "leadership:appointment-list": page(GET=ALL),
    "leadership:appointment-create": page(GET="M", POST="M"),
    "leadership:appointment-detail": page("appointment", GET=ALL),
    "leadership:appointment-update": page("appointment", GET="M", POST="M"),
    "leadership:appointment-sign": page("appointment", POST="C"),
    # leadership: commitment
    "leadership:commitment-list": page(GET=REGISTERS),
    "leadership:commitment-create": page(GET="MC", POST="MC"),
    "leadership:commitment-detail": page("commitment", GET=REGISTERS),
    "leadership:commitment-person": page("top_manager", GET=REGISTERS),
    # leadership: resources
    "leadership:resource-request-list": page(GET=REGISTERS),
    "leadership:resource-request-create": page(GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:resource-request-detail": page("resource_request", GET=REGISTERS),
    "leadership:resource-request-update": page("resource_request", GET="DM", POST="DM"),
    "leadership:resource-request-approve": page("resource_request", POST="C"),
    "leadership:resource-request-reject": page("resource_request", POST="C"),
    # The requester (the world's request is the department manager's).
    "leadership:resource-request-withdraw": page("resource_request", POST="D"),
    "leadership:resource-request-spend": page("resource_request", POST="M"),
    "leadership:quality-budget-current": page(GET=REGISTERS),
    "leadership:quality-budget": page(GET=REGISTERS),
    "leadership:quality-budget-plan": page(POST="MC"),
    # leadership: customers
    "leadership:customer-feedback-list": page(GET=REGISTERS),
    "leadership:customer-feedback-create": page(GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:customer-feedback-import": page(GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:customer-feedback-import-template": page(GET=REGISTER_WORK),
    "leadership:customer-feedback-detail": page("customer_feedback", GET=REGISTERS),
    "leadership:customer-feedback-update": page("customer_feedback", GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:customer-feedback-assess": page("customer_feedback", POST=REGISTER_WORK),
    "leadership:customer-feedback-respond": page("customer_feedback", POST="DMC"),
    "leadership:customer-feedback-close": page("customer_feedback", POST=REGISTER_WORK),
    "leadership:customer-requirement-list": page(GET=REGISTERS),
    "leadership:customer-requirement-create": page(GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:customer-requirement-detail": page("customer_requirement", GET=REGISTERS),
    "leadership:customer-requirement-update": page("customer_requirement", GET=REGISTER_WORK, POST=REGISTER_WORK),
    # Everyone who handles feedback reads the targets its due dates come from.
    "leadership:response-target-list": page(GET=REGISTERS),
    "leadership:response-target-update": page(GET="M", POST="M"),
    "leadership:order-volume-list": page(GET=REGISTERS),
    "leadership:order-volume-create": page(GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:order-volume-update": page("order_volume", GET=REGISTER_WORK, POST=REGISTER_WORK),
    "leadership:customer-figures": page(GET=REGISTERS),
    # leadership: employee feedback (the world's item was reported by the employee)
    "leadership:employee-feedback-list": page(GET=REGISTERS),
    "leadership:employee-feedback-submit": page(GET=STAFF, POST=STAFF),
    # One's own items, and an anonymous item by its code: reading, open to every account.
    "leadership:employee-feedback-mine": page(GET=ALL),
    "leadership:employee-feedback-follow-up": page(GET=ALL, POST=ALL),
    "leadership:employee-feedback-detail": page("employee_feedback", GET=ALL),
    "leadership:employee-feedback-acknowledge": page("employee_feedback", POST="DMC"),
    "leadership:employee-feedback-answer": page("employee_feedback", POST="DMC"),
    "leadership:employee-feedback-close": page("employee_feedback", POST="DMC"),
    # objectives (the world's objective is in the department the department manager heads) -------
    "objectives:objective-list": page(GET=ALL),
    "objectives:objective-create": page(GET=OBJECTIVE_OWNERS, POST=OBJECTIVE_OWNERS),
    "objectives:objective-detail": page("objective", GET=ALL),
    "objectives:objective-update": page("objective", GET=OBJECTIVE_OWNERS, POST=OBJECTIVE_OWNERS),
    "objectives:objective-activate": page("objective", POST=OBJECTIVE_OWNERS),
    "objectives:objective-close": page("objective", POST=OBJECTIVE_OWNERS),
    "objectives:objective-cancel": page("objective", POST=OBJECTIVE_OWNERS),
    "objectives:plan-step-create": page("objective", POST=OBJECTIVE_OWNERS),
    "objectives:plan-step-update": page("plan_step", GET=OBJECTIVE_OWNERS, POST=OBJECTIVE_OWNERS),
    "objectives:plan-step-done": page("plan_step", POST=OBJECTIVE_OWNERS),
    "objectives:target-revision-create": page("objective", GET=OBJECTIVE_OWNERS, POST=OBJECTIVE_OWNERS),
    "objectives:target-revision-list": page(GET=ALL),
    "objectives:target-revision-approve": page("target_revision", POST="C"),
    "objectives:target-revision-reject": page("target_revision", POST="C"),
    "objectives:objective-departments": page(GET=ALL),
    "objectives:department-objectives": page("department", GET=ALL),
    "objectives:my-objectives": page(GET=ALL),
    "objectives:person-objectives": page("person", GET=ALL),
    "objectives:measurement-list": page(GET=ALL),
    "objectives:measurement-entry": page(GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:measurement-import": page(GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:measurement-import-template": page(GET=OBJECTIVE_WORK),
    "objectives:measurement-create": page(GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:measurement-detail": page("measurement", GET=ALL),
    "objectives:measurement-update": page("measurement", GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:risk-list": page(GET=REGISTERS),
    "objectives:risk-create": page(GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:risk-heat-map": page(GET=REGISTERS),
    "objectives:risk-detail": page("risk", GET=REGISTERS),
    "objectives:risk-update": page("risk", GET=OBJECTIVE_WORK, POST=OBJECTIVE_WORK),
    "objectives:risk-review": page("risk", POST=OBJECTIVE_WORK),
    # reviews: meetings (the world's planned meeting is chaired by the department manager) -------
    "reviews:meeting-type-list": page(GET=ALL),
    "reviews:meeting-type-create": page(GET="M", POST="M"),
    "reviews:meeting-type-detail": page("meeting_type", GET=ALL),
    "reviews:meeting-type-update": page("meeting_type", GET="M", POST="M"),
    "reviews:meeting-type-deactivate": page("meeting_type", POST="M"),
    "reviews:meeting-type-activate": page("meeting_type", POST="M"),
    "reviews:meeting-type-plan": page("meeting_type", POST="M"),
    "reviews:meeting-list": page(GET=ALL),
    "reviews:my-meetings": page(GET=ALL),
    "reviews:meeting-create": page(GET=MEETING_WORK, POST=MEETING_WORK),
    "reviews:meeting-update": page("meeting", GET=MEETING_WORK, POST=MEETING_WORK),
    "reviews:meeting-cancel": page("meeting", POST=MEETING_WORK),
    "reviews:meeting-agenda": page("meeting", GET=MEETING_WORK),
    "reviews:meeting-agenda-add": page("meeting", POST=MEETING_WORK),
    "reviews:meeting-invitee-add": page("meeting", POST=MEETING_WORK),
    "reviews:meeting-agenda-item-update": page("agenda_item", GET=MEETING_WORK, POST=MEETING_WORK),
    "reviews:meeting-agenda-item-remove": page("agenda_item", POST=MEETING_WORK),
    "reviews:meeting-agenda-item-move": page("agenda_item", POST=MEETING_WORK),
    "reviews:meeting-invitee-remove": page("attendee", POST=MEETING_WORK),
    # Top management's attendance is management review material (9.3.2).
    "reviews:attendance": page(GET=REVIEW_READ),
    "reviews:meeting-detail": page("meeting", GET=ALL),
    # reviews: minutes (on the held meeting, being recorded)
    "reviews:meeting-record": page("held_meeting", GET=MEETING_WORK),
    "reviews:meeting-start": page("meeting", POST=MEETING_WORK),
    "reviews:attendee-add": page("held_meeting", POST=MEETING_WORK),
    "reviews:meeting-notes": page("held_meeting", POST=MEETING_WORK),
    "reviews:agenda-item-add": page("held_meeting", POST=MEETING_WORK),
    "reviews:decision-add": page("held_meeting", POST=MEETING_WORK),
    # Those who sign minutes may open the page and post; anyone but the chair is told that only the
    # chair signs, and nothing is signed (tests/reviews/test_minutes_views.py). The API answers 403.
    "reviews:meeting-sign": page("held_meeting", GET="DMC", POST="DMC"),
    "reviews:meeting-amend": page("held_meeting", GET="DMC", POST="DMC"),
    "reviews:attendee-mark": page("held_attendee", POST=MEETING_WORK),
    "reviews:agenda-item-minutes": page("held_item", POST=MEETING_WORK),
    "reviews:decision-detail": page("decision", GET=ALL),
    "reviews:decision-update": page("decision", POST=MEETING_WORK),
    "reviews:decision-remove": page("decision", POST=MEETING_WORK),
    "reviews:decision-action-add": page("decision", POST=MEETING_WORK),
    "reviews:decision-resource-request": page("decision", POST=REGISTER_WORK),
    "reviews:decision-target-revision": page("decision", POST=OBJECTIVE_OWNERS),
    # reviews: management reviews (chaired by top management)
    "reviews:management-review-list": page(GET=REVIEW_READ),
    "reviews:management-review-create": page(GET="MC", POST="MC"),
    "reviews:management-review-detail": page("management_review", GET=REVIEW_READ),
    "reviews:management-review-compile": page("management_review", POST="MC"),
    "reviews:management-review-freeze": page("management_review", POST="MC"),
    "reviews:management-review-conclude": page("management_review", POST="MC"),
    "reviews:management-review-output-add": page("management_review", POST="MC"),
    "reviews:management-review-output-owner": page("management_review", POST="MC"),
    "reviews:management-review-sign": page("management_review", POST="C"),
    "reviews:review-input-note": page("review_input", POST="MC"),
    "reviews:review-input-entries": page("review_input", POST="MC"),
    # reviews: actions (the world's action is owned by the employee)
    "reviews:action-list": page(GET=ALL),
    "reviews:action-export": page(GET=ALL),
    "reviews:my-actions": page(GET=ALL),
    "reviews:action-create": page(GET=MEETING_WORK, POST=MEETING_WORK),
    "reviews:action-detail": page("action", GET=ALL),
    "reviews:action-update": page("action", GET=MEETING_WORK, POST=MEETING_WORK),
    "reviews:action-start": page("action", POST="E" + MEETING_WORK),
    "reviews:action-complete": page("action", POST="E" + MEETING_WORK),
    "reviews:action-verify": page("action", POST=MEETING_WORK),
    # reviews: internal audits
    "reviews:audit-list": page(GET=REVIEW_READ),
    "reviews:audit-create": page(GET=AUDIT_WORK, POST=AUDIT_WORK),
    "reviews:audit-detail": page("audit", GET=REVIEW_READ),
    "reviews:audit-update": page("audit", GET=AUDIT_WORK, POST=AUDIT_WORK),
    "reviews:audit-complete": page("audit", GET=AUDIT_WORK, POST=AUDIT_WORK),
    "reviews:audit-cancel": page("audit", POST=AUDIT_WORK),
    "reviews:finding-create": page("audit", GET=AUDIT_WORK, POST=AUDIT_WORK),
    "reviews:finding-list": page(GET=REVIEW_READ),
    "reviews:finding-update": page("finding", GET=AUDIT_WORK, POST=AUDIT_WORK),
    "reviews:finding-close": page("finding", POST=AUDIT_WORK),
    "reviews:finding-add-action": page("finding", GET=AUDIT_WORK, POST=AUDIT_WORK),
    # reviews: calendar
    "reviews:calendar": page(GET=ALL),
    "reviews:calendar-create": page(POST=ALL),
    "reviews:calendar-reset": page(POST=ALL),
    "reviews:calendar-revoke": page(POST=ALL),
    "reviews:calendar-feed": page(GET=PUBLIC, params={"token": "calendar_token"}),
    "reviews:meeting-ics": page("meeting", GET=ALL),
    # evidence ---------------------------------------------------------------------------------
    # A file on a department: who may change departments.
    "evidence:attachment-upload": page(
        POST="M", data=lambda w: {"content_type_id": w.values["department_type"], "object_id": w["department"].pk}
    ),
    "evidence:attachment-download": page("attachment", GET=ALL),
    "evidence:clause-list": page(GET=EVIDENCE_READ),
    "evidence:clause-detail": page("clause", GET=EVIDENCE_READ),
    "evidence:clause-record-search": page("clause", GET=EVIDENCE_TAG),
    "evidence:clause-tag": page("clause", POST=EVIDENCE_TAG),
    "evidence:evidence-tag-remove": page("evidence_tag", POST=EVIDENCE_TAG),
    # The gap finder scores the clause catalogue: read with it.
    "evidence:readiness": page(GET=EVIDENCE_READ),
    "evidence:pack-list": page(GET=PACKS),
    "evidence:pack-create": page(GET=PACKS, POST=PACKS),
    "evidence:pack-detail": page("pack", GET=PACKS),
    "evidence:pack-progress": page("pack", GET=PACKS),
    "evidence:pack-download": page("pack", GET=PACKS),
    "evidence:document-download": page("policy_published", GET=REGISTERS),
    "evidence:document-request": page("management_review", params={"kind": "rendered_kind"}, POST=REVIEW_READ),
    "evidence:document-status": page("management_review", params={"kind": "rendered_kind"}, GET=REVIEW_READ),
    "evidence:verify": page(GET=ALL, POST=ALL),
    "evidence:download-log": page(GET=READ_ALL),
    "evidence:download-log-csv": page(GET=READ_ALL),
    "evidence:auditor-access-list": page(GET=READ_ALL),
    "evidence:auditor-access-create": page(GET="M", POST="M"),
    "evidence:auditor-access-invite": page(GET="M", POST="M"),
    "evidence:auditor-access-update": page("auditor_access", GET="M", POST="M"),
    "evidence:weekly-report-list": page(GET=READ_ALL),
    "evidence:weekly-report-detail": page(GET=READ_ALL),
    "evidence:weekly-report-download": page(GET=READ_ALL),
    "evidence:weekly-report-pdf-status": page(GET=READ_ALL),
    "evidence:weekly-report-render": page(POST="M"),
    # API: leadership -------------------------------------------------------------------------------
    "api-me": api(GET=ALL),
    "api-responsibility-matrix": api(GET=ALL),
    "api-customer-figures": api(GET=REGISTERS),
    "department-list": api(GET=ALL, POST="M"),
    "department-detail": api("department", GET=ALL, PUT="M", PATCH="M"),
    "person-list": api(GET=ALL, POST="M"),
    "person-detail": api("person", GET=ALL, PUT="M", PATCH="M"),
    "policyversion-list": api(GET=REGISTERS, POST="M"),
    "policyversion-detail": api("policy_draft", GET=REGISTERS, PUT="M", PATCH="M"),
    "policyversion-submit": api("policy_draft", POST="M"),
    "policyversion-approve": api("policy_draft", POST="C"),
    "policyversion-reject": api("policy_draft", POST="C"),
    "policyversion-publish": api("policy_draft", POST="MC"),
    "policyversion-publish-preview": api("policy_draft", GET="MC"),
    "policyversion-new-version": api("policy_published", POST="M"),
    "policyversion-coverage": api("policy_published", GET=REGISTERS),
    "policyversion-pdf": api("policy_published", GET=ALL),
    # Each person lists their own acknowledgements; the readers of everything list all of them.
    "policyacknowledgement-list": api(GET=ALL),
    "policyacknowledgement-detail": api("policy_acknowledgement", GET="E" + READ_ALL, hidden="QD"),
    "policyacknowledgement-acknowledge": api(POST=STAFF),
    "policyacknowledgement-coverage": api(GET=REGISTERS),
    "policysharelink-list": api(GET="MCA", POST="M"),
    "policysharelink-detail": api("share_link", GET="MCA"),
    "policysharelink-revoke": api("share_link", POST="M"),
    "position-list": api(GET=ALL, POST="M"),
    "position-detail": api("position", GET=ALL, PUT="M", PATCH="M"),
    "position-acknowledge": api("position", POST=ALL),
    "position-holder-list": api(GET=ALL, POST="M"),
    "position-holder-detail": api("position_holder", GET=ALL),
    "position-holder-end": api("position_holder", POST="M"),
    "management-representative-appointment-list": api(GET=ALL, POST="M"),
    "management-representative-appointment-detail": api("appointment", GET=ALL, PUT="M", PATCH="M"),
    "management-representative-appointment-sign": api("appointment", POST="C"),
    "commitmententry-list": api(GET=REGISTERS, POST="MC"),
    "commitmententry-detail": api("commitment", GET=REGISTERS),
    "commitmententry-coverage": api(GET=REGISTERS),
    "resourcerequest-list": api(GET=REGISTERS, POST=REGISTER_WORK),
    "resourcerequest-detail": api("resource_request", GET=REGISTERS, PUT="DM", PATCH="DM"),
    "resourcerequest-approve": api("resource_request", POST="C"),
    "resourcerequest-reject": api("resource_request", POST="C"),
    "resourcerequest-withdraw": api("resource_request", POST="D"),
    "resourcerequest-spend": api("resource_request", POST="M"),
    "qualitybudget-list": api(GET=REGISTERS, POST="MC"),
    "qualitybudget-detail": api("quality_budget", GET=REGISTERS, PUT="MC", PATCH="MC"),
    "qualitybudget-summary": api(GET=REGISTERS),
    "customer-feedback-list": api(GET=REGISTERS, POST=REGISTER_WORK),
    "customer-feedback-detail": api("customer_feedback", GET=REGISTERS, PUT=REGISTER_WORK, PATCH=REGISTER_WORK),
    "customer-feedback-import": api(POST=REGISTER_WORK, multipart=True),
    "customer-feedback-assess": api("customer_feedback", POST=REGISTER_WORK),
    "customer-feedback-respond": api("customer_feedback", POST="DMC"),
    "customer-feedback-close": api("customer_feedback", POST=REGISTER_WORK),
    "customer-requirement-list": api(GET=REGISTERS, POST=REGISTER_WORK),
    "customer-requirement-detail": api("customer_requirement", GET=REGISTERS, PUT=REGISTER_WORK, PATCH=REGISTER_WORK),
    "response-target-list": api(GET=REGISTERS, POST="M"),
    "response-target-detail": api("response_target", GET=REGISTERS, PUT="M", PATCH="M"),
    "order-volume-list": api(GET=REGISTERS, POST=REGISTER_WORK),
    "order-volume-detail": api("order_volume", GET=REGISTERS, PUT=REGISTER_WORK, PATCH=REGISTER_WORK),
    "employeefeedback-list": api(GET=REGISTERS, POST=STAFF),
    # The register's detail; reporters read their own items through mine/ (the page shows them theirs).
    "employeefeedback-detail": api("employee_feedback", GET=REGISTERS),
    "employeefeedback-mine": api(GET=ALL),
    "employeefeedback-follow-up": api(POST=ALL),
    "employeefeedback-acknowledge": api("employee_feedback", POST="DMC"),
    "employeefeedback-answer": api("employee_feedback", POST="DMC"),
    "employeefeedback-close": api("employee_feedback", POST="DMC"),
    # API: objectives
    "api-objective-health": api(GET=ALL),
    "api-risk-heat-map": api(GET=REGISTERS),
    "objective-list": api(GET=ALL, POST=OBJECTIVE_OWNERS),
    "objective-detail": api("objective", GET=ALL, PUT=OBJECTIVE_OWNERS, PATCH=OBJECTIVE_OWNERS),
    "objective-activate": api("objective", POST=OBJECTIVE_OWNERS),
    "objective-close": api("objective", POST=OBJECTIVE_OWNERS),
    "objective-cancel": api("objective", POST=OBJECTIVE_OWNERS),
    "actionplanstep-list": api(GET=ALL, POST=OBJECTIVE_OWNERS),
    "actionplanstep-detail": api("plan_step", GET=ALL, PUT=OBJECTIVE_OWNERS, PATCH=OBJECTIVE_OWNERS),
    "actionplanstep-done": api("plan_step", POST=OBJECTIVE_OWNERS),
    "targetrevision-list": api(GET=ALL, POST=OBJECTIVE_OWNERS),
    "targetrevision-detail": api("target_revision", GET=ALL),
    "targetrevision-approve": api("target_revision", POST="C"),
    "targetrevision-reject": api("target_revision", POST="C"),
    "measurement-list": api(GET=ALL, POST=OBJECTIVE_WORK),
    "measurement-detail": api("measurement", GET=ALL, PUT=OBJECTIVE_WORK, PATCH=OBJECTIVE_WORK),
    "measurement-import": api(POST=OBJECTIVE_WORK, multipart=True),
    "risk-list": api(GET=REGISTERS, POST=OBJECTIVE_WORK),
    "risk-detail": api("risk", GET=REGISTERS, PUT=OBJECTIVE_WORK, PATCH=OBJECTIVE_WORK),
    "risk-review": api("risk", POST=OBJECTIVE_WORK),
    # API: reviews
    "calendar-feed-detail": api(GET=ALL, POST=ALL),
    "calendar-feed-reset": api(POST=ALL),
    "calendar-feed-revoke": api(POST=ALL),
    "meeting-type-list": api(GET=ALL, POST="M"),
    "meeting-type-detail": api("meeting_type", GET=ALL, PUT="M", PATCH="M"),
    "meeting-type-activate": api("meeting_type", POST="M"),
    "meeting-type-deactivate": api("meeting_type", POST="M"),
    "meeting-type-plan": api("meeting_type", POST="M"),
    "meeting-list": api(GET=ALL, POST=MEETING_WORK),
    "meeting-detail": api("meeting", GET=ALL, PUT=MEETING_WORK, PATCH=MEETING_WORK),
    "meeting-attendance": api(GET=REVIEW_READ),
    "meeting-mine": api(GET=ALL),
    "meeting-cancel": api("meeting", POST=MEETING_WORK),
    "meeting-agenda-items": api("meeting", POST=MEETING_WORK),
    "meeting-agenda-item": api("meeting", PATCH=MEETING_WORK, DELETE=MEETING_WORK),
    "meeting-agenda-item-move": api("meeting", POST=MEETING_WORK),
    "meeting-attendees": api("meeting", POST=MEETING_WORK),
    "meeting-attendee": api("meeting", DELETE=MEETING_WORK),
    "attendance-list": api(GET=ALL, POST=MEETING_WORK),
    "attendance-detail": api("held_attendee", GET=ALL, PUT=MEETING_WORK, PATCH=MEETING_WORK),
    # An item's minutes as saved, with the version for If-Match: the minute-takers' autosave (everyone
    # reads the meeting's minutes through meeting-minutes-read-minutes).
    "agenda-item-minutes-minutes": api("held_item", GET=MEETING_WORK, PUT=MEETING_WORK),
    "decision-list": api(GET=ALL, POST=MEETING_WORK),
    "decision-detail": api("decision", GET=ALL, PUT=MEETING_WORK, PATCH=MEETING_WORK),
    "decision-raise-action": api("decision", POST=MEETING_WORK),
    "meeting-minutes-read-minutes": api("held_meeting", GET=ALL),
    "meeting-minutes-start": api("meeting", POST=MEETING_WORK),
    "meeting-minutes-sign": api("held_meeting", POST="D"),  # the chair
    "meeting-minutes-amend": api("held_meeting", POST="DMC"),
    "management-review-list": api(GET=REVIEW_READ, POST="MC"),
    "management-review-detail": api("management_review", GET=REVIEW_READ),
    "management-review-compile": api("management_review", POST="MC"),
    "management-review-freeze": api("management_review", POST="MC"),
    "management-review-conclude": api("management_review", POST="MC"),
    "management-review-outputs": api("management_review", POST="MC"),
    "management-review-sign": api("management_review", POST="C"),
    "review-input-detail": api("review_input", GET=REVIEW_READ, PATCH="MC"),
    "action-list": api(GET=ALL, POST=MEETING_WORK),
    "action-detail": api("action", GET=ALL, PUT=MEETING_WORK, PATCH=MEETING_WORK),
    "action-mine": api(GET=ALL),
    "action-awaiting-verification": api(GET=MEETING_WORK),
    "action-start": api("action", POST="E" + MEETING_WORK),
    "action-complete": api("action", POST="E" + MEETING_WORK),
    "action-verify": api("action", POST=MEETING_WORK),
    "action-reopen": api("action", POST=MEETING_WORK),
    "internal-audit-list": api(GET=REVIEW_READ, POST=AUDIT_WORK),
    "internal-audit-detail": api("audit", GET=REVIEW_READ, PUT=AUDIT_WORK, PATCH=AUDIT_WORK),
    "internal-audit-complete": api("audit", POST=AUDIT_WORK),
    "internal-audit-cancel": api("audit", POST=AUDIT_WORK),
    "audit-finding-list": api(GET=REVIEW_READ, POST=AUDIT_WORK),
    "audit-finding-detail": api("finding", GET=REVIEW_READ, PUT=AUDIT_WORK, PATCH=AUDIT_WORK),
    "audit-finding-close": api("finding", POST=AUDIT_WORK),
    "audit-finding-add-action": api("finding", POST=AUDIT_WORK),
    # API: evidence
    "readiness": api(GET=EVIDENCE_READ),
    "api-verify": api(POST=ALL),
    "clause-list": api(GET=EVIDENCE_READ),
    "clause-detail": api("clause", GET=EVIDENCE_READ),
    "clause-evidence": api("clause", GET=EVIDENCE_READ),
    "evidence-tag-list": api(GET=EVIDENCE_READ, POST=EVIDENCE_TAG),
    "evidence-tag-detail": api("evidence_tag", GET=EVIDENCE_READ),
    "evidence-tag-remove": api("evidence_tag", POST=EVIDENCE_TAG),
    "evidence-pack-list": api(GET=PACKS, POST=PACKS),
    "evidence-pack-detail": api("pack", GET=PACKS),
    "evidence-pack-download": api("pack", GET=PACKS),
    "download-log-list": api(GET=READ_ALL),
    "download-log-detail": api("download_log", GET=READ_ALL),
    "auditor-access-list": api(GET=READ_ALL),
    "auditor-access-detail": api("auditor_access", GET=READ_ALL),
    "weekly-report-list": api(GET=READ_ALL),
    "weekly-report-detail": api(GET=READ_ALL),
    "weekly-report-pdf": api(GET=READ_ALL),
}
