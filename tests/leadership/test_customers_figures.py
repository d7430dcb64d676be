"""Customer figures for the management review, against numbers worked out by hand."""

import datetime

import pytest
import time_machine

from leadership.models.customers import CustomerFeedback
from leadership.selectors import customers as selectors
from tests.leadership.factories_customers import CustomerFeedbackFactory, OrderVolumeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 16)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def survey(day, score):
    return CustomerFeedbackFactory(survey=True, received_date=day, satisfaction_score=score)


def complaint(day, due, responded_on=None, type_=CustomerFeedback.Type.COMPLAINT):
    extra = {}
    if responded_on:
        extra = {"status": "responded", "assessed_on": day, "responded_on": responded_on}
    return CustomerFeedbackFactory(
        type=type_,
        severity="high",
        received_date=day,
        response_due_on=due,
        close_due_on=due + datetime.timedelta(30),
        **extra,
    )


@pytest.fixture
def data():
    # Survey responses: March 6, 8, 9 (mean 7.67); February 10, 7 (mean 8.5); one outside the window.
    for day, score in [(D(2026, 3, 2), 6), (D(2026, 3, 5), 8), (D(2026, 3, 9), 9), (D(2026, 2, 3), 10)]:
        survey(day, score)
    survey(D(2026, 2, 27), 7)
    survey(D(2025, 3, 31), 0)
    # January: one complaint answered on time (due 15th, answered 10th).
    complaint(D(2026, 1, 5), D(2026, 1, 15), D(2026, 1, 10))
    # February: on time, answered late, unanswered and past its due day.
    complaint(D(2026, 2, 2), D(2026, 2, 7), D(2026, 2, 5))
    complaint(D(2026, 2, 10), D(2026, 2, 15), D(2026, 2, 20))
    complaint(D(2026, 2, 20), D(2026, 3, 2))
    # March: answered on its due day (on time), and one not yet due.
    complaint(D(2026, 3, 1), D(2026, 3, 3), D(2026, 3, 3))
    complaint(D(2026, 3, 14), D(2026, 4, 3))
    # A return is not a complaint.
    complaint(D(2026, 3, 10), D(2026, 3, 11), type_=CustomerFeedback.Type.RETURN)
    OrderVolumeFactory(month=D(2026, 2, 1), orders=600)
    OrderVolumeFactory(month=D(2026, 3, 1), orders=250)


def _row(figures, month):
    return next(r for r in figures["rows"] if r["month"] == month)


def test_twelve_months_end_with_this_month(data):
    figures = selectors.customer_figures()

    months = [r["month"] for r in figures["rows"]]
    assert (months[0], months[-1]) == (D(2025, 4, 1), D(2026, 3, 1))
    assert len(figures["rows"]) == 12


def test_average_satisfaction_per_month_and_overall(data):
    figures = selectors.customer_figures()

    assert (_row(figures, D(2026, 3, 1))["responses"], _row(figures, D(2026, 3, 1))["average_score"]) == (3, 7.7)
    assert (_row(figures, D(2026, 2, 1))["responses"], _row(figures, D(2026, 2, 1))["average_score"]) == (2, 8.5)
    assert _row(figures, D(2026, 1, 1))["average_score"] is None
    # (6 + 8 + 9 + 10 + 7) / 5; the score of March 2025 is outside the twelve months.
    assert (figures["overall"]["responses"], figures["overall"]["average_score"]) == (5, 8.0)


def test_complaints_per_1000_orders_where_orders_are_entered(data):
    figures = selectors.customer_figures()

    assert _row(figures, D(2026, 2, 1))["complaints_per_1000_orders"] == 5.0  # 3 / 600 x 1000
    assert _row(figures, D(2026, 3, 1))["complaints_per_1000_orders"] == 8.0  # 2 / 250 x 1000
    assert _row(figures, D(2026, 1, 1))["complaints"] == 1
    assert _row(figures, D(2026, 1, 1))["complaints_per_1000_orders"] is None
    # Only months with an order count: (3 + 2) / (600 + 250) x 1000 = 5.88.
    assert figures["overall"]["complaints_per_1000_orders"] == 5.88
    assert figures["overall"]["complaints"] == 6
    assert D(2026, 1, 1) in figures["months_without_orders"]


def test_response_time_compliance_per_month_and_overall(data):
    figures = selectors.customer_figures()

    february = _row(figures, D(2026, 2, 1))
    assert (february["on_time"], february["late"], february["pending"], february["compliance"]) == (1, 2, 0, 33.3)
    march = _row(figures, D(2026, 3, 1))
    assert (march["on_time"], march["late"], march["pending"], march["compliance"]) == (1, 0, 1, 100.0)
    # On time: 5 Jan, 2 Feb, 1 Mar; late: 10 Feb, 20 Feb; 3 of 5.
    overall = figures["overall"]
    assert (overall["on_time"], overall["late"], overall["pending"], overall["compliance"]) == (3, 2, 1, 60.0)


def test_a_month_without_data_shows_no_figures_rather_than_zeros(data):
    empty = _row(selectors.customer_figures(), D(2025, 6, 1))

    assert (empty["average_score"], empty["compliance"], empty["complaints_per_1000_orders"]) == (None, None, None)
    assert empty["complaints"] == 0


@pytest.mark.parametrize("rows", [5, 100])
def test_figures_take_two_queries_whatever_the_data(django_assert_num_queries, rows):
    CustomerFeedbackFactory.create_batch(rows)
    CustomerFeedbackFactory.create_batch(rows, survey=True)
    # the feedback aggregate grouped by month, the order volumes.
    with django_assert_num_queries(2):
        selectors.customer_figures()


def test_dashboard_figures_in_one_query(django_assert_num_queries):
    CustomerFeedbackFactory(response_due_on=TODAY - datetime.timedelta(days=1))
    CustomerFeedbackFactory(survey=True, satisfaction_score=9, received_date=TODAY)

    with django_assert_num_queries(1):
        figures = selectors.customer_dashboard_figures()

    assert figures == {
        "open_complaints": 1,
        "not_assessed": 2,
        "overdue_response": 1,
        "overdue_close": 0,
        "recent_responses": 1,
        "recent_average_score": 9.0,
    }
