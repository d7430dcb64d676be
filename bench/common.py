"""What the benchmark scripts share: a schema without migrations, month arithmetic, and the bulk
objectives (with their measurements and plan steps) that every scale is made of."""

import datetime
from decimal import Decimal


class NoMigrations(dict):
    """MIGRATION_MODULES that builds every table straight from the models (migrations may lag)."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def bulk_objectives(*, count, people, departments, months, today, entered_by, batch_size=5000):
    """`count` active monthly scrap-rate objectives, each with `months` values and two plan steps.

    Written with bulk inserts in the state the objectives services leave them in (activated,
    measured, planned); returns the objectives.
    """
    from django.utils import timezone

    from objectives.models import Measurement, Objective
    from objectives.models.objectives import ActionPlanStep

    now = timezone.now()
    start = months_back(today, months)
    objectives = Objective.objects.bulk_create(
        (
            Objective(
                reference=f"OBJ-B-{i:05d}",
                title=f"Reduce the scrap rate of cell {i % 40} ({i})",
                status=Objective.Status.ACTIVE,
                category=Objective.Category.PROCESS,
                owner=people[i % len(people)],
                department=departments[i % len(departments)],
                metric_name="Scrap rate",
                unit=Objective.Unit.PERCENT,
                direction=Objective.Direction.LOWER,
                baseline=Decimal("4"),
                target=Decimal("2.5"),
                tolerance=Decimal("0.3"),
                frequency=Objective.Frequency.MONTHLY,
                start_date=start,
                due_date=datetime.date(today.year + 1, 6, 30),
                activated_at=now,
                evaluation_method="Monthly scrap report from the ERP, reviewed at the quality meeting.",
            )
            for i in range(count)
        ),
        batch_size=batch_size,
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                objective=o,
                period_start=months_back(today, months - k),
                value=Decimal(f"{3.6 - k * 0.03 + (i % 5) * 0.05:.2f}"),
                entered_by=entered_by,
            )
            for i, o in enumerate(objectives)
            for k in range(months)
        ),
        batch_size=batch_size,
    )
    ActionPlanStep.objects.bulk_create(
        (
            ActionPlanStep(
                objective=o,
                order=n,
                what=f"Step {n + 1}: re-qualify the fixture and train the operators of cell {i % 40}",
                resources="Two days of a quality engineer; fixture budget 1,500 GBP",
                responsible=people[(i + n) % len(people)],
                due_date=today + datetime.timedelta(days=30 * (n + 1)),
            )
            for i, o in enumerate(objectives)
            for n in range(2)
        ),
        batch_size=batch_size,
    )
    return objectives
