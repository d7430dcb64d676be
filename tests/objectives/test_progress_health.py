"""Health and forecast of an objective: the pure rules of objectives.health, with hand-checked numbers."""

import datetime
from decimal import Decimal

import pytest

from objectives import health
from objectives.health import Targets
from objectives.models import Objective

D = Decimal
Health = Objective.Health
Direction = Objective.Direction
Frequency = Objective.Frequency


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# Periods -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "frequency", "start"),
    [
        ("2026-03-05", Frequency.WEEKLY, "2026-03-02"),  # Thursday -> Monday
        ("2026-03-08", Frequency.WEEKLY, "2026-03-02"),  # Sunday still belongs to that week
        ("2026-03-02", Frequency.WEEKLY, "2026-03-02"),
        ("2026-03-31", Frequency.MONTHLY, "2026-03-01"),
        ("2026-05-15", Frequency.QUARTERLY, "2026-04-01"),
        ("2026-12-31", Frequency.QUARTERLY, "2026-10-01"),
        ("2026-01-01", Frequency.QUARTERLY, "2026-01-01"),
    ],
)
def test_period_start_is_monday_first_of_month_or_first_of_quarter(given, frequency, start):
    assert health.period_start(day(given), frequency) == day(start)


def test_periods_roll_over_the_year_end():
    assert health.next_period_start(day("2025-12-01"), Frequency.MONTHLY) == day("2026-01-01")
    assert health.next_period_start(day("2025-10-01"), Frequency.QUARTERLY) == day("2026-01-01")
    assert health.period_end(day("2026-02-01"), Frequency.MONTHLY) == day("2026-02-28")
    assert health.period_end(day("2025-12-29"), Frequency.WEEKLY) == day("2026-01-04")


def test_a_month_is_due_once_it_has_ended_and_the_grace_days_have_passed():
    # January is due by 5 February, February by 5 March (grace 5 days).
    periods = health.due_periods(day("2026-01-15"), day("2026-03-06"), Frequency.MONTHLY, grace=5)
    assert periods == [day("2026-01-01"), day("2026-02-01")]
    # On 5 March February's value is still on time.
    assert health.due_periods(day("2026-01-15"), day("2026-03-05"), Frequency.MONTHLY, grace=5) == [day("2026-01-01")]


def test_weekly_and_quarterly_due_periods():
    # The week of 2 March ends on Sunday 8 March; with 5 days' grace it is due by Friday 13 March.
    assert health.due_periods(day("2026-03-02"), day("2026-03-13"), Frequency.WEEKLY, grace=5) == []
    assert health.due_periods(day("2026-03-02"), day("2026-03-14"), Frequency.WEEKLY, grace=5) == [day("2026-03-02")]
    quarters = health.due_periods(day("2025-01-01"), day("2025-10-06"), Frequency.QUARTERLY, grace=5)
    assert quarters == [day("2025-01-01"), day("2025-04-01"), day("2025-07-01")]


def test_no_period_after_the_due_date_is_asked_for():
    periods = health.due_periods(
        day("2025-11-01"), day("2026-06-01"), Frequency.MONTHLY, last_day=day("2026-01-31"), grace=5
    )
    assert periods == [day("2025-11-01"), day("2025-12-01"), day("2026-01-01")]


def test_grace_days_come_from_the_setting(settings):
    settings.CLAUSE5_MEASUREMENT_GRACE_DAYS = 0
    assert health.due_periods(day("2026-02-01"), day("2026-03-01"), Frequency.MONTHLY) == [day("2026-02-01")]
    settings.CLAUSE5_MEASUREMENT_GRACE_DAYS = 5
    assert health.due_periods(day("2026-02-01"), day("2026-03-01"), Frequency.MONTHLY) == []


def test_no_start_date_or_frequency_means_nothing_is_due():
    assert health.due_periods(None, day("2026-03-01"), Frequency.MONTHLY) == []
    assert health.due_periods(day("2025-01-01"), day("2026-03-01"), "") == []


# Health ------------------------------------------------------------------------------------------

HIGHER = Targets(target=D("95"), tolerance=D("3"))
LOWER = Targets(target=D("2.0"), tolerance=D("0.3"))
BAND = Targets(target=D("6"), target_upper=D("8"), tolerance=D("0.5"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("96", Health.ON_TRACK),
        ("95", Health.ON_TRACK),  # on the target
        ("94.99", Health.AT_RISK),
        ("92", Health.AT_RISK),  # target - tolerance is still at risk
        ("91.99", Health.OFF_TRACK),
    ],
)
def test_higher_is_better(value, expected):
    assert health.health_of(D(value), Direction.HIGHER, HIGHER) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.5", Health.ON_TRACK),
        ("2.0", Health.ON_TRACK),
        ("2.01", Health.AT_RISK),
        ("2.3", Health.AT_RISK),  # target + tolerance is still at risk
        ("2.31", Health.OFF_TRACK),
    ],
)
def test_lower_is_better(value, expected):
    assert health.health_of(D(value), Direction.LOWER, LOWER) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", Health.ON_TRACK),
        ("6", Health.ON_TRACK),
        ("8", Health.ON_TRACK),
        ("5.5", Health.AT_RISK),
        ("8.5", Health.AT_RISK),
        ("5.49", Health.OFF_TRACK),
        ("8.51", Health.OFF_TRACK),
    ],
)
def test_band(value, expected):
    assert health.health_of(D(value), Direction.BAND, BAND) == expected


def test_without_tolerance_any_miss_is_off_track():
    assert health.health_of(D("94.9"), Direction.HIGHER, Targets(target=D("95"))) == Health.OFF_TRACK


def test_without_target_or_value_there_is_no_data():
    assert health.health_of(D("1"), Direction.HIGHER, Targets(target=None)) == Health.NO_DATA
    assert health.health_of(None, Direction.HIGHER, HIGHER) == Health.NO_DATA
    assert health.health_of(D("1"), "", HIGHER) == Health.NO_DATA


# Forecast ----------------------------------------------------------------------------------------


def test_forecast_of_a_straight_line():
    # -0.05 a day: 3.0, 2.5, 2.0 on days 0, 10, 20 reach 1.5 on day 30.
    points = [(day("2026-01-01"), D("3.0")), (day("2026-01-11"), D("2.5")), (day("2026-01-21"), D("2.0"))]
    assert health.forecast(points, day("2026-01-31")) == D("1.5000")


def test_forecast_is_the_least_squares_line():
    # x = 0, 10, 20, 30; y = 1, 3, 2, 4: mean (15, 2.5), Sxx = 500, Sxy = 40, slope 0.08.
    points = [
        (day("2026-01-01"), D("1")),
        (day("2026-01-11"), D("3")),
        (day("2026-01-21"), D("2")),
        (day("2026-01-31"), D("4")),
    ]
    assert health.forecast(points, day("2026-02-10")) == D("4.5000")  # 2.5 + 0.08 x 25
    assert health.forecast(points, day("2026-02-05")) == D("4.1000")  # 2.5 + 0.08 x 20


def test_forecast_is_rounded_to_four_places():
    # x = 0, 1, 2; y = 1, 2, 2: slope 0.5 through (1, 5/3); at x = 3, 5/3 + 1 = 2.6666...
    points = [(day("2026-01-01"), D("1")), (day("2026-01-02"), D("2")), (day("2026-01-03"), D("2"))]
    assert health.forecast(points, day("2026-01-04")) == D("2.6667")


def test_no_forecast_from_fewer_than_three_points():
    points = [(day("2026-01-01"), D("1")), (day("2026-02-01"), D("2"))]
    assert health.forecast(points, day("2026-06-30")) is None
    assert health.forecast([], day("2026-06-30")) is None


# The whole assessment ----------------------------------------------------------------------------


def assess(measurements, today, *, direction=Direction.LOWER, timeline=None, start="2026-01-01", due="2026-12-31"):
    targets = Targets(target=D("2.0"), tolerance=D("0.3"), due_date=day(due))
    return health.assess(
        direction=direction,
        frequency=Frequency.MONTHLY,
        start_date=day(start),
        timeline=timeline or [targets],
        measurements=[(day(d), D(v)) for d, v in measurements],
        today=day(today),
        grace=5,
    )


def test_no_measurement_for_the_last_due_period_is_no_data():
    # January, February and March are due on 10 April; March is missing.
    result = assess([("2026-01-01", "1.9"), ("2026-02-01", "1.8")], "2026-04-10")
    assert result.health == Health.NO_DATA
    assert result.missing_periods == (day("2026-03-01"),)
    assert (result.latest_period, result.latest_value) == (day("2026-02-01"), D("1.8"))


def test_an_early_value_for_a_period_not_yet_due_counts():
    # On 3 April, March is not due yet (5 days' grace), but its value is in: it decides the health.
    result = assess([("2026-01-01", "1.9"), ("2026-02-01", "1.8"), ("2026-03-01", "2.2")], "2026-04-03")
    assert result.health == Health.AT_RISK
    assert result.missing_periods == ()


def test_an_older_gap_is_missing_but_does_not_blank_the_health():
    result = assess([("2026-01-01", "1.9"), ("2026-03-01", "1.8")], "2026-04-10")
    assert result.health == Health.ON_TRACK
    assert result.missing_periods == (day("2026-02-01"),)


def test_the_latest_value_is_judged_against_the_target_in_force_for_its_period():
    timeline = [
        Targets(target=D("3.0"), tolerance=D("0.3"), due_date=day("2026-12-31"), effective_from=day("2026-01-01")),
        Targets(target=D("1.5"), tolerance=D("0.3"), due_date=day("2026-12-31"), effective_from=day("2026-04-01")),
    ]
    # March, before the revision: 2.0 against 3.0 is on track.
    before = assess([("2026-03-01", "2.0")], "2026-04-03", timeline=timeline, start="2026-03-01")
    assert before.health == Health.ON_TRACK
    assert before.targets.target == D("3.0")
    # April, under the revised target: 2.0 is beyond 1.5 + 0.3.
    after = assess([("2026-03-01", "2.0"), ("2026-04-01", "2.0")], "2026-05-03", timeline=timeline, start="2026-03-01")
    assert after.health == Health.OFF_TRACK
    assert after.targets.target == D("1.5")


def test_on_track_but_trending_the_wrong_way_is_projected_to_miss():
    # Higher is better, target 97: 98, 97.6, 97.2 on days 0, 31, 59 (Jan, Feb, Mar 2025).
    # Mean (30, 97.6), Sxx 1742, Sxy -23.6: at 30 June (day 180), 97.6 - 23.6 / 1742 x 150 = 95.5679.
    timeline = [Targets(target=D("97"), tolerance=D("1"), due_date=day("2025-06-30"))]
    result = health.assess(
        direction=Direction.HIGHER,
        frequency=Frequency.MONTHLY,
        start_date=day("2025-01-01"),
        timeline=timeline,
        measurements=[(day("2025-01-01"), D("98")), (day("2025-02-01"), D("97.6")), (day("2025-03-01"), D("97.2"))],
        today=day("2025-04-03"),
        grace=5,
    )
    assert result.health == Health.ON_TRACK
    assert result.forecast_value == D("95.5679")
    assert result.projected_to_miss is True


def test_an_improving_trend_is_not_projected_to_miss():
    result = assess([("2026-01-01", "2.2"), ("2026-02-01", "2.1"), ("2026-03-01", "2.0")], "2026-04-03")
    assert result.health == Health.ON_TRACK
    assert result.forecast_value < D("2.0")
    assert result.projected_to_miss is False


def test_an_off_track_objective_is_not_also_projected_to_miss():
    result = assess([("2026-01-01", "2.5"), ("2026-02-01", "2.6"), ("2026-03-01", "2.7")], "2026-04-03")
    assert result.health == Health.OFF_TRACK
    assert result.forecast_value > D("2.0")
    assert result.projected_to_miss is False


def test_projection_inside_the_tolerance_still_misses_the_target():
    # At risk now (2.1 against 2.0 + 0.3) and the line reaches about 2.1 at the due date: a miss,
    # since the projection ignores the tolerance.
    result = assess(
        [("2026-01-01", "2.1"), ("2026-02-01", "2.1"), ("2026-03-01", "2.1")], "2026-04-03", due="2026-06-30"
    )
    assert result.health == Health.AT_RISK
    assert result.forecast_value == D("2.1000")
    assert result.projected_to_miss is True


def test_band_projected_above_the_upper_limit_misses():
    timeline = [Targets(target=D("6"), target_upper=D("8"), tolerance=D("0.5"), due_date=day("2026-12-31"))]
    result = assess(
        [("2026-01-01", "7.0"), ("2026-02-01", "7.5"), ("2026-03-01", "8.0")],
        "2026-04-03",
        direction=Direction.BAND,
        timeline=timeline,
    )
    assert result.health == Health.ON_TRACK
    assert result.forecast_value > D("8")
    assert result.projected_to_miss is True


def test_fewer_than_three_measurements_give_no_forecast():
    result = assess([("2026-01-01", "1.9"), ("2026-02-01", "1.8")], "2026-03-03")
    assert result.forecast_value is None
    assert result.projected_to_miss is False


def test_the_timeline_follows_the_steps_of_targets_in_force():
    steps = [(day("2025-01-01"), D("3.0"), None, D("0.3")), (day("2025-07-01"), D("1.5"), None, D("0.3"))]
    current = Targets(target=D("1.5"), tolerance=D("0.3"), due_date=day("2026-06-30"))
    timeline = health.timeline_from_steps(steps, current)
    assert health.targets_on(timeline, day("2025-06-01")).target == D("3.0")
    assert health.targets_on(timeline, day("2025-07-01")).target == D("1.5")
    # Before the first step the first one applies; without steps the objective's own targets do.
    assert health.targets_on(timeline, day("2024-12-01")).target == D("3.0")
    assert health.timeline_from_steps([], current) == [current]
    assert all(t.due_date == day("2026-06-30") for t in timeline)
