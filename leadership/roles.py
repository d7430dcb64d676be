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
_DIRECTORY = ("leadership.view_department", "leadership.view_person")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TOP_MANAGEMENT: (*_READ_ALL,),
    Role.MANAGEMENT_REPRESENTATIVE: (
        *_READ_ALL,
        "leadership.add_department",
        "leadership.change_department",
        "leadership.add_person",
        "leadership.change_person",
    ),
    Role.DEPARTMENT_MANAGER: _DIRECTORY,
    Role.QA_STAFF: _DIRECTORY,
    # Read-only on everything, history included (historical models have view_historical* codenames).
    Role.AUDITOR: _READ_ALL,
    Role.EMPLOYEE: _DIRECTORY,
}
