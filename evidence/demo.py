"""Demo data of the evidence app: the external auditor's access period and the last weekly report.

Built through the services and idempotent: a second run adds nothing. Register it from
EvidenceConfig.ready() with `register_seeder(Seeder(app="evidence", order=40, seed=demo.seed_demo))`.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from evidence.models import AuditorAccess, WeeklyReport
from evidence.selectors.reports import previous_week
from evidence.services import access as access_services
from evidence.services import reports as report_services


def _seed_access(staff) -> int:
    claire, priya = staff.get("claire"), staff.get("priya")
    if claire is None or priya is None or AuditorAccess.objects.filter(user=claire.user).exists():
        return 0
    today = timezone.localdate()
    access_services.auditor_access_create(
        actor=priya.user,
        user=claire.user,
        organisation="Meridian Certification Ltd",
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=30),
        note="ISO 9001 surveillance audit: document review, on-site audit of clause 5 and 9.3, closing of findings.",
    )
    return 1


def _seed_weekly_report() -> int:
    week = previous_week()
    if WeeklyReport.objects.filter(week=week).exists():
        return 0
    report = report_services.weekly_report_write(week=week)
    # Rendered here rather than by the worker, so the demo shows the PDF at once (a management
    # command may run WeasyPrint); the e-mail to top management goes through the worker.
    report_services.weekly_report_render_pdf(report_id=report.pk)
    return 1


def seed(staff) -> dict[str, int]:
    """`staff` maps the demo usernames to their Person."""
    return {"auditor_access": _seed_access(staff), "weekly_reports": _seed_weekly_report()}


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """The seeder registered with qms.demo (its seeders take no argument)."""
    from leadership.demo.people import people_by_username

    return seed(people_by_username())
