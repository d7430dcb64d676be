"""Reads of customer focus (5.1.2): querysets shaped for their pages, and the management review figures."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from leadership.models import Department
from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget
from leadership.selectors.people import history_for  # noqa: F401  (detail pages read it from here)

Type = CustomerFeedback.Type
Status = CustomerFeedback.Status
Severity = CustomerFeedback.Severity

OPEN_BEFORE_RESPONSE = (Status.NEW, Status.ASSESSED)


# Response targets ---------------------------------------------------------------------------


def response_target_days() -> dict[str, tuple[int, int]]:
    """(days to management response, days to close) per severity: the configured row, else the default."""
    days = {str(severity): value for severity, value in ResponseTarget.DEFAULTS.items()}
    for severity, to_response, to_close in ResponseTarget.objects.values_list(
        "severity", "days_to_response", "days_to_close"
    ):
        days[severity] = (to_response, to_close)
    return days


def response_target_overview() -> list[dict]:
    """One row per severity, most severe first, saying whether the target is configured or the default."""
    configured = {t.severity: t for t in ResponseTarget.objects.all()}
    rows = []
    for severity in reversed(Severity):
        target = configured.get(severity.value)
        default = ResponseTarget.DEFAULTS[severity]
        rows.append(
            {
                "severity": severity.value,
                "label": severity.label,
                "target": target,
                "days_to_response": target.days_to_response if target else default[0],
                "days_to_close": target.days_to_close if target else default[1],
                "is_default": target is None,
                "default": default,
            }
        )
    return rows


def response_target_list() -> QuerySet[ResponseTarget]:
    return ResponseTarget.objects.all()


# Customers ----------------------------------------------------------------------------------


def active_departments() -> QuerySet[Department]:
    """Active departments by code, for the import page's list of codes."""
    return Department.objects.filter(is_active=True).order_by("code").only("code", "name")


def customer_names() -> list[str]:
    """Names of active customers, for the suggestions of the feedback and requirement forms."""
    return list(Customer.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))


# Feedback -----------------------------------------------------------------------------------


def _overdue_annotations(today: datetime.date) -> dict:
    return {
        "overdue_response": ExpressionWrapper(
            Q(status__in=OPEN_BEFORE_RESPONSE, response_due_on__lt=today), output_field=BooleanField()
        ),
        "overdue_close": ExpressionWrapper(
            ~Q(status=Status.CLOSED) & Q(close_due_on__lt=today), output_field=BooleanField()
        ),
        "responded_late": ExpressionWrapper(
            Q(responded_on__isnull=False, response_due_on__isnull=False, responded_on__gt=F("response_due_on")),
            output_field=BooleanField(),
        ),
    }


def customer_feedback_list(*, today: datetime.date | None = None) -> QuerySet[CustomerFeedback]:
    """Feedback with customer, department and owner loaded, and its overdue flags computed as of `today`.

    `overdue_response`: still waiting for management's response after its due day.
    `overdue_close`: still open after its closing due day. `responded_late`: answered after the due day.
    """
    today = today or timezone.localdate()
    return CustomerFeedback.objects.select_related(
        "customer", "department", "owner__user", "assessed_by", "responded_by", "closed_by"
    ).annotate(**_overdue_annotations(today))


def customer_feedback_get(pk, *, today: datetime.date | None = None) -> CustomerFeedback:
    return customer_feedback_list(today=today).get(pk=pk)


def customer_feedback_status_counts(queryset: QuerySet[CustomerFeedback]) -> list[dict]:
    """How many of `queryset` are in each status, in lifecycle order, in one query."""
    counts = {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("pk"))}
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in Status]


def customer_feedback_overdue(*, today: datetime.date | None = None) -> QuerySet[CustomerFeedback]:
    """Open feedback overdue for management's response or for closure, for the reminder task."""
    return customer_feedback_list(today=today).filter(Q(overdue_response=True) | Q(overdue_close=True))


def customer_feedback_due_dates(feedback: CustomerFeedback) -> dict:
    """The due days of one record and how far each is from today (negative: overdue)."""
    today = timezone.localdate()

    def left(day):
        return (day - today).days if day else None

    response_left, close_left = left(feedback.response_due_on), left(feedback.close_due_on)
    return {
        "response_due_on": feedback.response_due_on,
        "response_days_left": response_left,
        "response_days_overdue": -response_left if response_left is not None and response_left < 0 else 0,
        "close_due_on": feedback.close_due_on,
        "close_days_left": close_left,
        "close_days_overdue": -close_left if close_left is not None and close_left < 0 else 0,
    }


# Requirements -------------------------------------------------------------------------------


def customer_requirement_list(*, today: datetime.date | None = None) -> QuerySet[CustomerRequirement]:
    """Requirements with customer and department loaded; `review_overdue` when an active one is past its review date."""
    today = today or timezone.localdate()
    return CustomerRequirement.objects.select_related("customer", "department").annotate(
        review_overdue=ExpressionWrapper(Q(is_active=True, review_date__lt=today), output_field=BooleanField())
    )


def customer_requirement_get(pk) -> CustomerRequirement:
    return customer_requirement_list().get(pk=pk)


# Order volumes ------------------------------------------------------------------------------


def order_volume_list() -> QuerySet[OrderVolume]:
    return OrderVolume.objects.all()


# Figures for the management review ----------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ratio(numerator, denominator, factor=1, digits=1):
    if not denominator:
        return None
    return round(numerator * factor / denominator, digits)


def customer_figures(*, months: int = 12, today: datetime.date | None = None) -> dict:
    """Customer figures per month for the last `months` months (this month included), and overall.

    Two queries whatever the amount of data: one aggregate over feedback grouped by the month
    received, one for the order volumes. Per month:

    - `responses`, `average_score`: survey responses received and their mean satisfaction score;
    - `complaints`: complaints received; `orders` and `complaints_per_1000_orders` where orders are entered;
    - `on_time`, `late`, `pending`, `compliance`: of the complaints received that month, those whose
      management response came by the due day, those answered late or still unanswered after it,
      those not yet due; compliance is on_time / (on_time + late) in per cent.
    """
    today = today or timezone.localdate()
    months = max(1, min(int(months), 60))
    first = _add_months(today.replace(day=1), -(months - 1))
    month_list = [_add_months(first, i) for i in range(months)]

    complaint = Q(type=Type.COMPLAINT)
    survey = Q(type=Type.SURVEY_RESPONSE)
    answered_on_time = Q(responded_on__isnull=False, responded_on__lte=F("response_due_on"))
    late = Q(responded_on__gt=F("response_due_on")) | Q(responded_on__isnull=True, response_due_on__lt=today)
    aggregated = (
        CustomerFeedback.objects.filter(received_date__gte=first, received_date__lte=today)
        .annotate(month=TruncMonth("received_date"))
        .values("month")
        .annotate(
            responses=Count("pk", filter=survey),
            score_sum=Sum("satisfaction_score", filter=survey),
            complaints=Count("pk", filter=complaint),
            on_time=Count("pk", filter=complaint & answered_on_time),
            late=Count("pk", filter=complaint & late),
        )
        .order_by("month")
    )
    by_month = {}
    for row in aggregated:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        by_month[month] = row
    orders = dict(OrderVolume.objects.filter(month__gte=first, month__lte=today).values_list("month", "orders"))

    rows = []
    totals = {"responses": 0, "score_sum": 0, "complaints": 0, "on_time": 0, "late": 0, "pending": 0}
    rated_complaints = rated_orders = 0
    for month in month_list:
        data = by_month.get(month, {})
        responses = data.get("responses", 0)
        score_sum = data.get("score_sum") or 0
        complaints = data.get("complaints", 0)
        on_time = data.get("on_time", 0)
        late_count = data.get("late", 0)
        month_orders = orders.get(month)
        row = {
            "month": month,
            "responses": responses,
            "average_score": _ratio(score_sum, responses),
            "complaints": complaints,
            "orders": month_orders,
            "complaints_per_1000_orders": _ratio(complaints, month_orders, 1000, 2) if month_orders else None,
            "on_time": on_time,
            "late": late_count,
            "pending": complaints - on_time - late_count,
            "compliance": _ratio(on_time, on_time + late_count, 100),
        }
        rows.append(row)
        for key in ("responses", "complaints", "on_time", "pending"):
            totals[key] += row[key]
        totals["late"] += late_count
        totals["score_sum"] += score_sum
        if month_orders:
            rated_complaints += complaints
            rated_orders += month_orders
    overall = {
        "responses": totals["responses"],
        "average_score": _ratio(totals["score_sum"], totals["responses"]),
        "complaints": totals["complaints"],
        "orders": rated_orders or None,
        "complaints_per_1000_orders": _ratio(rated_complaints, rated_orders, 1000, 2),
        "on_time": totals["on_time"],
        "late": totals["late"],
        "pending": totals["pending"],
        "compliance": _ratio(totals["on_time"], totals["on_time"] + totals["late"], 100),
    }
    return {
        "since": first,
        "until": today,
        "months": months,
        "rows": rows,
        "overall": overall,
        "months_without_orders": [r["month"] for r in rows if r["orders"] is None],
    }


def customer_dashboard_figures(*, today: datetime.date | None = None) -> dict:
    """Head-line figures for a home dashboard panel, in one query."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=90)
    open_ = ~Q(status=Status.CLOSED)
    figures = CustomerFeedback.objects.aggregate(
        open_complaints=Count("pk", filter=open_ & Q(type=Type.COMPLAINT)),
        not_assessed=Count("pk", filter=Q(status=Status.NEW)),
        overdue_response=Count("pk", filter=Q(status__in=OPEN_BEFORE_RESPONSE, response_due_on__lt=today)),
        overdue_close=Count("pk", filter=open_ & Q(close_due_on__lt=today)),
        recent_responses=Count("pk", filter=Q(type=Type.SURVEY_RESPONSE, received_date__gt=since)),
        recent_score_sum=Sum("satisfaction_score", filter=Q(type=Type.SURVEY_RESPONSE, received_date__gt=since)),
    )
    figures["recent_average_score"] = _ratio(figures.pop("recent_score_sum") or 0, figures["recent_responses"])
    return figures
