"""Eighteen months of demo measurements for the demo objectives, shaped so the progress check finds each
objective's scenario: on track, at risk, off track, projected to miss, missing values, a stepped target.

Deterministic (one seeded random generator per objective), entered through the services by the owner
or the QA staff, and idempotent: an objective that already has values is left alone.
"""

import datetime
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from leadership.models import Person
from objectives.models import Objective, TargetRevision
from objectives.models.measurements import period_end, period_shift, period_start_for, periods_between
from objectives.services import measurements as services


@dataclass(frozen=True)
class Shape:
    """How an objective's values run: (fraction of the time, value) anchors joined by straight lines,
    noise, and the last value, which decides the health."""

    anchors: tuple[tuple[float, float], ...]
    noise: float
    last: float
    places: int = 2
    entered_by: str = ""
    # Leave out the values of the last n ended periods (a monitoring gap).
    skip_last: int = 0
    low: float = 0.0
    high: float = 100.0
    # Values after the approved target revision run on these anchors instead (a stepped target).
    after_revision: tuple[tuple[float, float], ...] = ()
    comments: dict[int, str] = field(default_factory=dict)


# Scenario per reference (see the table of demo objectives): the health follows from the last value
# against the target in force, the forecast from the least-squares line through all values.
SHAPES = {
    # On track: below 2% and still falling.
    "OBJ-C1": Shape(((0, 3.05), (1, 1.88)), 0.06, 1.86, entered_by="lucy", comments={-5: "Final inspection audit"}),
    # At risk: above 5.3 but within 0.4 of it, improving slowly.
    "OBJ-C2": Shape(((0, 6.25), (1, 5.55)), 0.07, 5.5, entered_by="lucy"),
    # On track: the last survey reached 8.6.
    "OBJ-C3": Shape(((0, 7.5), (1, 8.6)), 0.05, 8.6, places=1, entered_by="lucy", low=0, high=10),
    # Stepped target: around 2.9% against 3% until line 2 came in, then about 1.7% against 1.5%: at risk.
    "OBJ-PROD-1": Shape(
        ((0, 2.95), (1, 2.8)),
        0.07,
        1.72,
        entered_by="tom",
        after_revision=((0, 1.95), (1, 1.72)),
        comments={-6: "Automated line 2 in production from this month"},
    ),
    # Within tolerance (96-97%) but flat to declining: projected to miss 97% at the due date.
    "OBJ-PROD-2": Shape(((0, 96.2), (0.35, 96.8), (1, 96.35)), 0.12, 96.3, places=1, entered_by="tom"),
    # On track: findings closed in under 30 days.
    "OBJ-QA-1": Shape(((0, 44.0), (1, 27.5)), 0.9, 27.5, places=1, entered_by="priya", high=120),
    # No data: the last three weeks were not entered.
    "OBJ-QA-2": Shape(
        ((0, 35.0), (1, 23.0)),
        0.8,
        22.5,
        places=1,
        entered_by="lucy",
        skip_last=3,
        high=200,
        comments={-4: "Second inspector on the night shift"},
    ),
    # On track: above 95%.
    "OBJ-SALES-1": Shape(((0, 86.0), (1, 95.6)), 0.5, 95.7, places=1, entered_by="james"),
    # Off track: stuck around 92% against 96% (tolerance 2).
    "OBJ-SALES-2": Shape(
        ((0, 91.0), (0.5, 93.1), (1, 92.3)),
        0.35,
        92.2,
        places=1,
        entered_by="james",
        comments={-2: "Carrier capacity problems in the north region"},
    ),
    # On track: 0.72% rejected lots.
    "OBJ-SUP-1": Shape(((0, 1.55), (1, 0.74)), 0.04, 0.72, entered_by="aisha"),
    # At risk: 11.2 days against 10 (tolerance 2), falling.
    "OBJ-ENG-1": Shape(((0, 17.6), (1, 11.3)), 0.4, 11.2, places=1, entered_by="elena", high=100),
    # On track: inside the 6-8% band.
    "OBJ-PROD-3": Shape(((0, 7.0), (1, 7.05)), 0.3, 7.0, places=2, entered_by="marek", low=6.2, high=7.8),
}

# One value typed wrongly and corrected, so the demo shows a correction with its reason.
CORRECTION = {
    "reference": "OBJ-C1",
    "back": 3,
    "wrong": Decimal("2.4"),
    "reason": "Transcription error: figure copied from the wrong line of the inspection summary.",
}


def _interpolate(anchors, t: float) -> float:
    points = sorted(anchors)
    if t <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return points[-1][1]


def _values(reference: str, shape: Shape, periods: list[datetime.date], revised_from) -> list[Decimal]:
    # Demo noise, not security: a seeded generator keeps the demo the same on every machine.
    rng = random.Random(f"clause5-demo-{reference}")  # noqa: S311
    before = [p for p in periods if revised_from is None or p < revised_from]
    after = [p for p in periods if revised_from is not None and p >= revised_from]
    values = []
    for group, anchors in ((before, shape.anchors), (after, shape.after_revision or shape.anchors)):
        for index, _period in enumerate(group):
            t = index / max(1, len(group) - 1)
            value = _interpolate(anchors, t) + rng.gauss(0, shape.noise)
            values.append(value)
    if values:
        values[-1] = shape.last + rng.gauss(0, shape.noise / 10)
    return [Decimal(str(round(min(max(v, shape.low), shape.high), shape.places))) for v in values]


def _entered_at(frequency: str, period: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """Three days after the period ended, at 09:30 local time (never in the future)."""
    day = period_end(frequency, period) + datetime.timedelta(days=3)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return min(moment, now - datetime.timedelta(hours=1))


def _revision_date(objective: Objective) -> datetime.date | None:
    revision = objective.revisions.filter(status=TargetRevision.Status.APPROVED).order_by("effective_from").first()
    return revision.effective_from if revision else None


def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create the demo measurements (idempotent); `people` maps demo usernames to people."""
    created = {"measurements": 0, "measurement corrections": 0}
    today = timezone.localdate()
    now = timezone.now()
    objectives = Objective.objects.filter(
        reference__in=SHAPES, status=Objective.Status.ACTIVE, measurements__isnull=True
    ).select_related("owner__user")
    for objective in objectives:
        shape = SHAPES[objective.reference]
        frequency = objective.frequency
        if not frequency or objective.start_date is None:
            continue
        last_ended = period_shift(frequency, period_start_for(frequency, today), -1)
        periods = periods_between(frequency, objective.start_date, last_ended)
        revised_from = _revision_date(objective) if shape.after_revision else None
        values = _values(objective.reference, shape, periods, revised_from)
        if shape.skip_last:
            periods, values = periods[: -shape.skip_last], values[: -shape.skip_last]
        person = people.get(shape.entered_by)
        actor = person.user if person is not None else objective.owner.user
        corrected_period = periods[-CORRECTION["back"]] if objective.reference == CORRECTION["reference"] else None
        entries = [
            services.Entry(
                objective=objective,
                period=period,
                # The value first typed wrongly, corrected below so the history shows how.
                value=CORRECTION["wrong"] if period == corrected_period else value,
                comment=shape.comments.get(index - len(periods), ""),
                entered_at=_entered_at(frequency, period, now),
            )
            for index, (period, value) in enumerate(zip(periods, values, strict=True))
        ]
        measurements = services.measurement_record_many(actor=actor, entries=entries, today=today)
        created["measurements"] += len(measurements)
        if corrected_period is not None:
            wrong = next(m for m in measurements if m.period_start == corrected_period)
            services.measurement_correct(
                actor=actor,
                measurement=wrong,
                value=values[periods.index(corrected_period)],
                correction_reason=CORRECTION["reason"],
            )
            created["measurement corrections"] += 1
    return created
