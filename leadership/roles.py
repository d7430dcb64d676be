"""The roles of Clause5, as Django groups of permissions.

Roles are synchronised after every `migrate`, so a new model's permissions reach the
roles that should hold them without a hand-written data migration. Permissions are
named `app_label.codename`; a trailing `*` matches every codename with that prefix.
"""

from django.db import models


class Role(models.TextChoices):
    TOP_MANAGEMENT = "Top management"
    MANAGEMENT_REPRESENTATIVE = "Management representative"
    DEPARTMENT_MANAGER = "Department manager"
    QA_STAFF = "QA staff"
    AUDITOR = "Auditor"
    EMPLOYEE = "Employee"


# Strongest first: a person's headline role is the first of these they hold.
ROLE_ORDER = list(Role)

ROLE_DESCRIPTIONS = {
    Role.TOP_MANAGEMENT: "Approves the quality policy and resources, chairs management reviews, decides on "
    "off-track objectives.",
    Role.MANAGEMENT_REPRESENTATIVE: "Runs the quality management system: people and departments, review "
    "schedules, follow-up of actions, the weekly operation report.",
    Role.DEPARTMENT_MANAGER: "Owns departmental objectives, logs meeting decisions, answers customer and "
    "employee feedback.",
    Role.QA_STAFF: "Enters measurements, tracks objective progress, keeps the feedback and action registers.",
    Role.AUDITOR: "Reads everything, including the change history, and downloads evidence. Changes nothing.",
    Role.EMPLOYEE: "Reads and acknowledges the quality policy and their role, reports quality problems.",
}

DOMAIN_APPS = ("leadership", "objectives", "reviews", "evidence")

_READ_ALL = tuple(f"{app}.view_*" for app in DOMAIN_APPS)
_DIRECTORY = (
    "leadership.view_department",
    "leadership.view_person",
    "leadership.view_position",
    # Everyone may know who the management representative is and what they may decide.
    "leadership.view_managementrepresentativeappointment",
)
# Meetings and the action register are read by everyone: decisions and their follow-up are how
# top management communicates and engages people (5.1.1.c, g, i).
_MEETINGS_READ = (
    "reviews.view_meetingtype",
    "reviews.view_meeting",
    "reviews.view_attendee",
    "reviews.view_agendaitem",
    "reviews.view_decision",
    "reviews.view_minutesamendment",
    "reviews.view_action",
)
# Taking minutes and keeping the action register.
_MEETINGS_WORK = (
    "reviews.add_meeting",
    "reviews.change_meeting",
    "reviews.record_meeting",
    "reviews.add_action",
    "reviews.change_action",
)
_REVIEWS_READ = (
    "reviews.view_managementreview",
    "reviews.view_reviewinput",
    "reviews.view_internalaudit",
    "reviews.view_auditfinding",
)
# Quality objectives are communicated to everyone (6.2.1.f).
_OBJECTIVES_READ = (
    "objectives.view_objective",
    "objectives.view_actionplanstep",
    "objectives.view_targetrevision",
    "objectives.view_measurement",
)
# What every member of staff does: read the published policy, their position and the
# objectives, acknowledge them, report quality problems (acknowledging and reporting need no
# permission of their own).
_STAFF = (*_DIRECTORY, *_OBJECTIVES_READ, *_MEETINGS_READ, "leadership.add_employeefeedback")
_OBJECTIVES_WORK = (
    "objectives.add_measurement",
    "objectives.change_measurement",
    "objectives.view_risk",
    "objectives.add_risk",
    "objectives.change_risk",
)
_OBJECTIVES_OWN = (
    *_OBJECTIVES_WORK,
    "objectives.add_objective",
    "objectives.change_objective",
    "objectives.add_actionplanstep",
    "objectives.change_actionplanstep",
    "objectives.add_targetrevision",
)
# The ISO clause catalogue and the records that evidence each item; tagging records by hand.
_EVIDENCE_READ = ("evidence.view_clause", "evidence.view_evidencetag")
_EVIDENCE_TAG = (*_EVIDENCE_READ, "evidence.add_evidencetag", "evidence.change_evidencetag")
# Asking for and downloading evidence packs (auditors too: it writes no QMS record).
_PACKS = ("evidence.view_evidencepack", "evidence.add_evidencepack", "evidence.download_evidencepack")
_REGISTERS = (
    "leadership.view_customerfeedback",
    "leadership.add_customerfeedback",
    "leadership.change_customerfeedback",
    "leadership.view_customerrequirement",
    "leadership.add_customerrequirement",
    "leadership.change_customerrequirement",
    "leadership.view_ordervolume",
    "leadership.add_ordervolume",
    "leadership.change_ordervolume",
    "leadership.view_resourcerequest",
    "leadership.add_resourcerequest",
    "leadership.view_qualitybudget",
    "leadership.view_policyversion",
    "leadership.view_commitmententry",
)

# The permissions that let a role make e-signatures (each guards a service that calls
# qms.signatures.signature_sign). Holders of any of them, and top management, must use two-factor
# authentication when CLAUSE5_TWO_FACTOR_REQUIRED is on (leadership.selectors.people).
SIGNING_PERMISSIONS = (
    "leadership.change_policyversion",  # submitting a draft signs it as its author
    "leadership.approve_policyversion",
    "leadership.sign_managementrepresentativeappointment",
    "leadership.decide_resourcerequest",
    "objectives.approve_targetrevision",
    "reviews.sign_meeting",  # signing minutes, and amending signed minutes
    "reviews.sign_managementreview",
)
TWO_FACTOR_ROLES = (Role.TOP_MANAGEMENT,)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TOP_MANAGEMENT: (
        *_READ_ALL,
        *_STAFF,
        *_REGISTERS,
        "leadership.approve_policyversion",
        "leadership.publish_policyversion",
        "leadership.sign_managementrepresentativeappointment",
        "leadership.decide_resourcerequest",
        "leadership.add_qualitybudget",
        "leadership.change_qualitybudget",
        "leadership.respond_customerfeedback",
        "leadership.answer_employeefeedback",
        "leadership.add_commitmententry",
        *_OBJECTIVES_OWN,
        "objectives.activate_objective",
        "objectives.approve_targetrevision",
        *_MEETINGS_WORK,
        "reviews.sign_meeting",
        "reviews.verify_action",
        "reviews.add_managementreview",
        "reviews.change_managementreview",
        "reviews.sign_managementreview",
        *_EVIDENCE_TAG,
        *_PACKS,
    ),
    Role.MANAGEMENT_REPRESENTATIVE: (
        *_READ_ALL,
        *_STAFF,
        *_REGISTERS,
        "leadership.add_department",
        "leadership.change_department",
        "leadership.add_person",
        "leadership.change_person",
        "leadership.add_policyversion",
        "leadership.change_policyversion",
        "leadership.publish_policyversion",
        "leadership.share_policyversion",
        "leadership.add_position",
        "leadership.change_position",
        "leadership.add_managementrepresentativeappointment",
        "leadership.add_qualitybudget",
        "leadership.change_qualitybudget",
        "leadership.change_resourcerequest",
        "leadership.respond_customerfeedback",
        "leadership.add_responsetarget",
        "leadership.change_responsetarget",
        "leadership.answer_employeefeedback",
        "leadership.view_employeefeedback",
        "leadership.add_commitmententry",
        *_OBJECTIVES_OWN,
        "objectives.activate_objective",
        *_MEETINGS_WORK,
        "reviews.add_meetingtype",
        "reviews.change_meetingtype",
        "reviews.sign_meeting",
        "reviews.verify_action",
        "reviews.add_managementreview",
        "reviews.change_managementreview",
        "reviews.add_internalaudit",
        "reviews.change_internalaudit",
        "reviews.add_auditfinding",
        "reviews.change_auditfinding",
        *_EVIDENCE_TAG,
        "evidence.add_auditoraccess",
        "evidence.change_auditoraccess",
        "evidence.change_weeklyreport",
        *_PACKS,
    ),
    Role.DEPARTMENT_MANAGER: (
        *_STAFF,
        *_REGISTERS,
        "leadership.respond_customerfeedback",
        "leadership.answer_employeefeedback",
        "leadership.view_employeefeedback",
        # Department managers own their department's objectives; services check the department.
        *_OBJECTIVES_OWN,
        "objectives.activate_objective",
        # They chair and minute their departments' meetings and verify their teams' actions.
        *_MEETINGS_WORK,
        "reviews.sign_meeting",
        "reviews.verify_action",
        *_REVIEWS_READ,
        *_EVIDENCE_READ,
    ),
    Role.QA_STAFF: (
        *_STAFF,
        *_REGISTERS,
        "leadership.view_employeefeedback",
        *_OBJECTIVES_WORK,
        # QA staff keep the action register, take minutes and record internal audits.
        *_MEETINGS_WORK,
        "reviews.verify_action",
        *_REVIEWS_READ,
        "reviews.add_internalaudit",
        "reviews.change_internalaudit",
        "reviews.add_auditfinding",
        "reviews.change_auditfinding",
        *_EVIDENCE_TAG,
    ),
    # Read-only on everything, history included (historical models have view_historical* codenames).
    Role.AUDITOR: (*_READ_ALL, *_PACKS),
    Role.EMPLOYEE: _STAFF,
}
