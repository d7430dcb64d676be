"""Charts drawn on the server: valid SVG, no script, an escaped title, and the target in force at each date."""

import datetime
import re
from decimal import Decimal

import pytest

from objectives import charts
from objectives.models import Objective
from tests.objectives.factories_measurements import parse_svg as parse

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


def _objective(**kwargs):
    fields = {
        "reference": "OBJ-PROD-1",
        "title": "CNC scrap rate",
        "metric_name": "Scrap rate",
        "unit": "%",
        "direction": Objective.Direction.LOWER,
        "target": Decimal("1.5"),
        "tolerance": Decimal("0.3"),
        "frequency": Objective.Frequency.MONTHLY,
        "start_date": D(2025, 5, 1),
        "due_date": D(2027, 6, 30),
    }
    return Objective(**{**fields, **kwargs})


STEPS = [(D(2025, 5, 1), Decimal("3.0"), None, Decimal("0.3")), (D(2026, 5, 1), Decimal("1.5"), None, Decimal("0.3"))]
MONTHS = [D(2025, m, 1) for m in range(5, 13)] + [D(2026, m, 1) for m in range(1, 7)]
VALUES = list(
    zip(
        MONTHS,
        map(
            Decimal,
            ["2.9", "2.95", "2.8", "2.85", "2.9", "2.75", "2.8", "2.7", "2.6", "2.5", "2.4", "2.0", "1.8", "1.75"],
        ),
        strict=True,
    )
)


def _svg(objective=None, values=VALUES, steps=STEPS):
    return charts.objective_chart_svg(objective or _objective(), values, steps, today=D(2026, 7, 15))


def test_the_chart_is_valid_svg_with_a_title_and_a_description():
    root = parse(_svg())

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "OBJ-PROD-1: Scrap rate"
    assert "14 values from May 2025 to Jun 2026; latest 1.75%" in root.find(f"{SVG}desc").text


def test_the_chart_shows_the_target_as_it_was_at_each_date():
    svg = _svg()
    description = parse(svg).find(f"{SVG}desc").text

    assert "target ≤ 3% from 1 May 2025, tolerance 0.3%; target ≤ 1.5% from 1 May 2026, tolerance 0.3%" in description
    # The target series steps down: two levels, four points (a vertical segment on the revision date).
    target = re.search(r'<g class="series serie-1 color-1">(.*?)</g>', svg).group(1)
    (path,) = re.findall(r'd="M([^"]+)"', target)
    points = re.findall(r"([\d.]+) ([\d.]+)", path)
    assert len(points) == 4
    assert len({y for _x, y in points}) == 2
    assert points[1][0] == points[2][0]


def test_the_tolerance_zone_and_the_forecast_are_drawn():
    svg = _svg(_objective(forecast_value=Decimal("1.2")))

    assert "Tolerance (at risk)" in svg
    assert "Forecast at due date" in svg
    assert "forecast at the due date 1.2%" in svg


def test_a_band_has_both_limits_and_tolerance_on_both_sides():
    band = _objective(direction=Objective.Direction.BAND, target=Decimal("6"), target_upper=Decimal("8"))
    steps = [(D(2025, 5, 1), Decimal("6"), Decimal("8"), Decimal("0.5"))]

    svg = _svg(band, values=[(D(2025, 6, 1), Decimal("7"))], steps=steps)

    parse(svg)
    assert "Target band" in svg
    assert "target 6% to 8%" in svg
    # The zone below and the one above the band share one legend entry.
    assert svg.count(">Tolerance (at risk)<") == 1


def test_a_missing_period_breaks_the_line():
    values = [(D(2025, m, 1), Decimal("2.8")) for m in (5, 6, 8, 9)]  # no value for July

    svg = _svg(values=values)

    measured = re.search(r'<g class="series serie-2 color-2">(.*?)</g>', svg).group(1)
    assert measured.count('class="line reactive nofill"') == 2


def test_pygal_scripts_are_left_out_and_texts_are_escaped():
    svg = _svg(_objective(reference="OBJ-<b>&", metric_name='Rate "x" <script>'))

    assert "<script" not in svg
    assert "<!--" not in svg
    assert "OBJ-&lt;b&gt;&amp;" in svg
    parse(svg)


def test_the_stylesheet_keeps_the_colours_and_drops_what_only_the_tooltips_use():
    style = re.search(r"<style[^>]*>(.*?)</style>", _svg(), re.DOTALL).group(1)
    assert charts.BRAND in style  # the series colours stay
    assert ".axis" in style
    for interactive in (":hover", ".tooltip", ".reactive", "transition"):
        assert interactive not in style


def test_an_objective_without_values_still_draws_its_target():
    svg = _svg(values=[])

    root = parse(svg)
    assert root.find(f"{SVG}desc").text.startswith("No values have been entered yet; target ≤ 3%")


@pytest.mark.parametrize("values", [[Decimal("1.2"), None, Decimal("1.4"), Decimal("1.1")], [Decimal("2")], []])
def test_a_sparkline_is_small_valid_svg(values):
    svg = charts.sparkline_svg(values, title="Last values of OBJ-<1>")

    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Last values of OBJ-<1>"
    assert "<script" not in svg
    assert len(svg) < 3000
