"""Reads of the risk and opportunity register: querysets shaped for their pages, with no N+1."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from leadership.models.customers import CustomerRequirement
from objectives.models import Objective
from objectives.models.risks import SCORE_BANDS, Risk, score_band

SCALE = (1, 2, 3, 4, 5)


def _overdue(today: datetime.date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(next_review_date__lt=today) & ~Q(status=Risk.Status.CLOSED), output_field=BooleanField())


def risk_list(*, today: datetime.date | None = None, with_links: bool = False) -> QuerySet[Risk]:
    """Risks with owner, department and last reviewer loaded; `review_overdue` when an unclosed one is past
    its review date. `with_links` adds the linked objectives' and requirements' ids (for the API)."""
    today = today or timezone.localdate()
    queryset = Risk.objects.select_related("owner__user", "department", "last_reviewed_by").annotate(
        review_overdue=_overdue(today)
    )
    if with_links:
        queryset = queryset.prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.only("id", "reference")),
            Prefetch("customer_requirements", queryset=CustomerRequirement.objects.only("id")),
        )
    return queryset


def risk_get(pk, *, today: datetime.date | None = None) -> Risk:
    """One risk with its linked objectives (owner, department) and customer requirements (customer)."""
    return (
        risk_list(today=today)
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("owner__user", "department").order_by("reference"),
            ),
            Prefetch(
                "customer_requirements",
                queryset=CustomerRequirement.objects.select_related("customer", "department"),
            ),
        )
        .get(pk=pk)
    )


def risk_heat_map(*, include_closed: bool = False) -> dict[str, dict]:
    """Counts per likelihood x impact cell, risks and opportunities apart, in one query.

    Returns {type: {"type", "label", "plural", "total", "rows"}}; rows run from likelihood 5 (top) down to 1,
    each with five cells (impact 1 to 5) holding likelihood, impact, score, band and count.
    """
    queryset = Risk.objects.all() if include_closed else Risk.objects.exclude(status=Risk.Status.CLOSED)
    counts = {
        (row["type"], row["likelihood"], row["impact"]): row["n"]
        for row in queryset.order_by().values("type", "likelihood", "impact").annotate(n=Count("id"))
    }
    result = {}
    plurals = {Risk.Type.RISK: "Risks", Risk.Type.OPPORTUNITY: "Opportunities"}
    for kind, label in Risk.Type.choices:
        rows = []
        for likelihood in reversed(SCALE):
            cells = []
            for impact in SCALE:
                score = likelihood * impact
                cells.append(
                    {
                        "likelihood": likelihood,
                        "impact": impact,
                        "score": score,
                        "band": score_band(score),
                        "count": counts.get((kind, likelihood, impact), 0),
                    }
                )
            rows.append({"likelihood": likelihood, "cells": cells})
        total = sum(cell["count"] for row in rows for cell in row["cells"])
        result[kind] = {"type": kind, "label": label, "plural": plurals[kind], "total": total, "rows": rows}
    return result


def risk_figures(*, today: datetime.date | None = None) -> dict:
    """Head-line figures of the register for the dashboard, in one query."""
    today = today or timezone.localdate()
    unclosed = ~Q(status=Risk.Status.CLOSED)
    high = min(low for key, _label, low, _high in SCORE_BANDS if key == "high")
    figures = Risk.objects.aggregate(
        open_risks=Count("id", filter=unclosed & Q(type=Risk.Type.RISK)),
        high_risks=Count("id", filter=unclosed & Q(type=Risk.Type.RISK, score__gte=high)),
        open_opportunities=Count("id", filter=unclosed & Q(type=Risk.Type.OPPORTUNITY)),
        review_overdue=Count("id", filter=unclosed & Q(next_review_date__lt=today)),
    )
    figures["high_from"] = high
    return figures
