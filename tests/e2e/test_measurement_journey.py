"""QA staff enter a month's values on the fast entry page and see the objectives' charts and health follow."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from objectives.models import Measurement
from objectives.models.measurements import period_label
from objectives.services.progress import objective_refresh
from tests.objectives.factories_measurements import measure
from tests.objectives.factories_objectives import ObjectiveFactory

pytestmark = pytest.mark.django_db(transaction=True)


def months_back(today: datetime.date, n: int) -> datetime.date:
    month = today.year * 12 + today.month - 1 - n
    return datetime.date(month // 12, month % 12 + 1, 1)


def test_qa_enters_last_months_values_and_sees_chart_and_health_change(page_as, live_server, qa):
    today = timezone.localdate()
    last_month = months_back(today, 1)
    # Two monthly objectives (lower is better, target 2%, tolerance 0.3) measured up to the month before last.
    scrap = ObjectiveFactory(
        reference="OBJ-E2E-1",
        title="Scrap rate 2% or less",
        metric_name="Scrap rate",
        start_date=months_back(today, 6),
        due_date=months_back(today, -6),
    )
    returns = ObjectiveFactory(
        reference="OBJ-E2E-2",
        title="Customer returns 2% or less",
        metric_name="Returns",
        start_date=months_back(today, 6),
        due_date=months_back(today, -6),
    )
    for objective in (scrap, returns):
        measure(objective, ["1.9", "1.8", "1.9", "1.7", "1.8"], first=months_back(today, 6))
        objective_refresh(objective_id=objective.pk)

    page = page_as(qa)
    page.goto(live_server.url + reverse("objectives:objective-detail", args=[scrap.pk]))
    panel = page.locator("#measurements")
    # Last month is due but missing: no health yet, and the chart ends the month before.
    assert panel.locator(".badge").first.inner_text() == "No data"
    assert "latest 1.8%" in panel.locator("svg desc").first.text_content()

    # The fast entry page: one row per objective, one submit for the month.
    page.goto(live_server.url + reverse("objectives:measurement-entry") + "?scope=all")
    for objective, value, comment in [(scrap, "3.4", "worn collet on the 5-axis cell"), (returns, "1.6", "")]:
        row = page.locator(f"#row-{objective.pk}")
        assert row.locator("select[name$=period]").input_value() == last_month.isoformat()
        row.locator("input[name$=value]").fill(value)
        row.locator("input[name$=comment]").fill(comment)
    page.get_by_role("button", name=re.compile("Save")).first.click()
    label = period_label("monthly", last_month)
    page.get_by_text(f"Saved 2 values: OBJ-E2E-1 {label}, OBJ-E2E-2 {label}.").wait_for()

    # The scrap objective is now off track, and its chart ends with the new value.
    page.goto(live_server.url + reverse("objectives:objective-detail", args=[scrap.pk]))
    panel = page.locator("#measurements")
    assert panel.locator(".badge").first.inner_text() == "Off track"
    assert "Off track" in page.locator("h1").inner_text()
    description = panel.locator("svg desc").first.text_content()
    assert f"6 values from {period_label('monthly', months_back(today, 6))} to {label}; latest 3.4%" in description
    assert "worn collet on the 5-axis cell" in panel.inner_text()

    # The returns objective is on track.
    page.goto(live_server.url + reverse("objectives:objective-detail", args=[returns.pk]))
    assert page.locator("#measurements .badge").first.inner_text() == "On track"
    assert "latest 1.6%" in page.locator("#measurements svg desc").first.text_content()

    # The dashboard shows both.
    page.goto(live_server.url + reverse("objectives:objective-list"))
    assert "Off track" in page.locator("tr:has-text('OBJ-E2E-1')").inner_text()
    assert "On track" in page.locator("tr:has-text('OBJ-E2E-2')").inner_text()

    assert Measurement.objects.get(objective=scrap, period_start=last_month).value == Decimal("3.4")
