"""Periods of measurements: a date inside a period is normalised to the period's first day (hand-checked dates)."""

import datetime

import pytest

from objectives.models.measurements import (
    period_end,
    period_label,
    period_shift,
    period_start_for,
    periods_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (D(2026, 3, 2), D(2026, 3, 2)),  # a Monday is its own week
        (D(2026, 3, 4), D(2026, 3, 2)),  # Wednesday
        (D(2026, 3, 8), D(2026, 3, 2)),  # Sunday ends the week that began on Monday
        (D(2026, 1, 1), D(2025, 12, 29)),  # New Year's Day 2026 is a Thursday: the week began in 2025
        (D(2024, 3, 1), D(2024, 2, 26)),  # across the end of a leap February
    ],
)
def test_a_weekly_period_starts_on_the_monday(day, monday):
    assert period_start_for("weekly", day) == monday


@pytest.mark.parametrize(
    ("day", "first"),
    [(D(2026, 3, 1), D(2026, 3, 1)), (D(2026, 3, 31), D(2026, 3, 1)), (D(2024, 2, 29), D(2024, 2, 1))],
)
def test_a_monthly_period_starts_on_the_first_of_the_month(day, first):
    assert period_start_for("monthly", day) == first


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (D(2026, 1, 1), D(2026, 1, 1)),
        (D(2026, 3, 31), D(2026, 1, 1)),
        (D(2026, 4, 1), D(2026, 4, 1)),
        (D(2026, 8, 15), D(2026, 7, 1)),
        (D(2026, 12, 31), D(2026, 10, 1)),
    ],
)
def test_a_quarterly_period_starts_on_the_first_of_the_quarter(day, first):
    assert period_start_for("quarterly", day) == first


def test_periods_shift_and_end_across_year_ends():
    assert period_shift("monthly", D(2025, 12, 1)) == D(2026, 1, 1)
    assert period_shift("monthly", D(2026, 1, 1), -1) == D(2025, 12, 1)
    assert period_shift("quarterly", D(2025, 10, 1)) == D(2026, 1, 1)
    assert period_shift("weekly", D(2025, 12, 29)) == D(2026, 1, 5)
    assert period_end("monthly", D(2024, 2, 1)) == D(2024, 2, 29)
    assert period_end("quarterly", D(2026, 10, 1)) == D(2026, 12, 31)
    assert period_end("weekly", D(2026, 3, 2)) == D(2026, 3, 8)


def test_periods_between_lists_every_period_holding_the_two_days():
    assert periods_between("monthly", D(2025, 11, 20), D(2026, 2, 3)) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert periods_between("quarterly", D(2025, 5, 1), D(2025, 12, 31)) == [
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
    ]


def test_period_labels_read_as_people_name_them():
    assert period_label("weekly", D(2026, 3, 2)) == "Week of 2 Mar 2026"
    assert period_label("monthly", D(2026, 3, 1)) == "Mar 2026"
    assert period_label("quarterly", D(2026, 7, 1)) == "Q3 2026"


def test_an_unknown_frequency_is_an_error():
    with pytest.raises(ValueError, match="fortnightly"):
        period_start_for("fortnightly", D(2026, 3, 2))
