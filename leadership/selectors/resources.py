"""Selectors of resource requests and the quality budget (5.1.1.e, 7.1)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend, default_currency
from qms.signatures import canonical_text, signature_matches

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)

# The rule behind the budget figures, shown on the budget page and returned by the API.
BUDGET_RULE = (
    "A request counts in the year of its needed-by date. Approved is the total of approved requests needed in "
    "the year; awaiting decision, of submitted ones. Spent is what was recorded as spent on those approved "
    "requests, whatever the date of the spending. Remaining is planned minus approved: what is still free to "
    "commit. Requests in another currency than the budget line are listed but not added up, since no exchange "
    "rate is kept."
)


def _spent_subquery():
    return Coalesce(
        Subquery(
            ResourceSpend.objects.filter(request=OuterRef("pk"))
            .order_by()
            .values("request")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=_MONEY,
        ),
        Value(ZERO),
        output_field=_MONEY,
    )


def resource_request_list() -> QuerySet[ResourceRequest]:
    """Requests with requester, department and decider loaded and the amount spent on each."""
    return ResourceRequest.objects.select_related("requester__user", "department", "decided_by").annotate(
        spent=_spent_subquery()
    )


def resource_request_get(pk) -> ResourceRequest:
    """One request for its page: with its signature and spending (oldest first)."""
    return (
        resource_request_list()
        .select_related("decision_signature", "requester__department")
        .prefetch_related(
            Prefetch("spends", queryset=ResourceSpend.objects.select_related("recorded_by").order_by("date", "pk"))
        )
        .get(pk=pk)
    )


def resource_request_may_edit(user, request: ResourceRequest) -> bool:
    """Whether `user` may edit `request`: its requester, or whoever holds the change permission."""
    if user.has_perm("leadership.change_resourcerequest"):
        return True
    return request.requester.user_id == user.pk and user.has_perm("leadership.add_resourcerequest")


def resource_request_signed_content(request: ResourceRequest, *, decision: str = "", reason: str | None = None) -> str:
    """The canonical text a decision signs: what was asked for and what was decided."""
    return canonical_text(
        {
            "record": "leadership.resourcerequest",
            "reference": request.reference,
            "title": request.title,
            "category": request.category,
            "amount": f"{Decimal(request.amount):.2f}",
            "currency": request.currency,
            "justification": request.justification,
            "requester": request.requester_id,
            "department": request.department_id,
            "serves": request.serves,
            "needed_by": request.needed_by.isoformat(),
            "decision": decision or request.status,
            "reason": request.decision_reason if reason is None else reason,
        }
    )


def resource_request_signature_intact(request: ResourceRequest) -> bool | None:
    """Whether the request still matches what its decider signed (None when not signed)."""
    if request.decision_signature is None:
        return None
    return signature_matches(request.decision_signature, resource_request_signed_content(request))


# Budget --------------------------------------------------------------------------------------


def quality_budget_list() -> QuerySet[QualityBudget]:
    return QualityBudget.objects.all()


def budget_years() -> list[int]:
    """Years that have a budget or a request needed in them, and the current year, newest first."""
    years = {timezone.localdate().year}
    years.update(QualityBudget.objects.order_by().values_list("year", flat=True).distinct())
    years.update(
        ResourceRequest.objects.order_by()
        .annotate(year=ExtractYear("needed_by"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


def quality_budget_summary(year: int) -> dict:
    """Planned, approved, awaiting decision, spent and remaining per category for a year.

    Sums are computed by the database in a fixed number of queries (budgets, request totals,
    spending totals, and the requests behind the figures), whatever the number of requests.
    """
    currency = default_currency()
    budgets = {b.category: b for b in QualityBudget.objects.filter(year=year)}
    in_year = ResourceRequest.objects.filter(needed_by__year=year)
    request_totals = {
        (row["category"], row["currency"]): row
        for row in in_year.order_by()
        .values("category", "currency")
        .annotate(
            approved=Sum("amount", filter=Q(status=ResourceRequest.Status.APPROVED)),
            approved_count=Count("pk", filter=Q(status=ResourceRequest.Status.APPROVED)),
            pending=Sum("amount", filter=Q(status=ResourceRequest.Status.SUBMITTED)),
            pending_count=Count("pk", filter=Q(status=ResourceRequest.Status.SUBMITTED)),
        )
    }
    spent_totals = {
        (row["request__category"], row["request__currency"]): row["total"]
        for row in ResourceSpend.objects.filter(
            request__needed_by__year=year, request__status=ResourceRequest.Status.APPROVED
        )
        .order_by()
        .values("request__category", "request__currency")
        .annotate(total=Sum("amount"))
    }
    behind = list(
        resource_request_list()
        .filter(status__in=[ResourceRequest.Status.APPROVED, ResourceRequest.Status.SUBMITTED])
        .filter(needed_by__year=year)
        .order_by("needed_by", "pk")
    )

    rows = []
    for category, label in ResourceRequest.Category.choices:
        budget = budgets.get(category)
        line_currency = budget.currency if budget else currency
        totals = request_totals.get((category, line_currency), {})
        planned = budget.planned_amount if budget else None
        approved = totals.get("approved") or ZERO
        spent = spent_totals.get((category, line_currency)) or ZERO
        mine = [r for r in behind if r.category == category]
        rows.append(
            {
                "category": category,
                "label": label,
                "budget": budget,
                "budget_id": budget.pk if budget else None,
                "currency": line_currency,
                "planned": planned,
                "approved": approved,
                "approved_count": totals.get("approved_count", 0),
                "pending": totals.get("pending") or ZERO,
                "pending_count": totals.get("pending_count", 0),
                "spent": spent,
                "remaining": None if planned is None else planned - approved,
                "approved_requests": [r for r in mine if r.status == "approved" and r.currency == line_currency],
                "pending_requests": [r for r in mine if r.status == "submitted" and r.currency == line_currency],
                "other_currency_requests": [r for r in mine if r.currency != line_currency],
            }
        )
    same = [r for r in rows if r["currency"] == currency]
    total = {
        "currency": currency,
        "planned": sum((r["planned"] or ZERO for r in same), ZERO),
        "approved": sum((r["approved"] for r in same), ZERO),
        "pending": sum((r["pending"] for r in same), ZERO),
        "spent": sum((r["spent"] for r in same), ZERO),
    }
    total["remaining"] = total["planned"] - total["approved"]
    return {
        "year": year,
        "currency": currency,
        "rule": BUDGET_RULE,
        "categories": rows,
        "total": total,
        "total_leaves_out": [r["label"] for r in rows if r["currency"] != currency],
    }


def resource_figures() -> dict:
    """Head-line figures for a dashboard panel: requests waiting and this year's budget use."""
    year = timezone.localdate().year
    waiting = ResourceRequest.objects.filter(status=ResourceRequest.Status.SUBMITTED).count()
    return {"waiting": waiting, "year": year, "total": quality_budget_summary(year)["total"]}
