"""Charts of quality objectives, drawn on the server as SVG with pygal.

The same SVG goes inline into pages and, later, into PDFs, so it needs no JavaScript: pygal's
tooltip script and its configuration script are left out, and the chart gets an SVG <title> and
<desc> for screen readers. Only pygal's own output is marked safe; every text added to it is
escaped here.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import pygal
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from objectives.models import Objective
from objectives.models.measurements import period_end, period_label, periods_between
from objectives.models.objectives import format_target, format_value

BRAND = "#1d4e89"
TARGET = "#198754"
TOLERANCE = "rgba(255, 193, 7, 0.28)"
FORECAST = "#6c757d"
FONT = "system-ui, sans-serif"

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal always writes a configuration script for its (unused) tooltips; etree escapes "<" in
# text, so no "</script>" can occur inside it.
_SCRIPT_RE = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script>)", re.DOTALL)
_TITLE_RE = re.compile(r"<title>.*?</title>", re.DOTALL)
# pygal hides its (empty, script-less) tooltip with a style attribute, which a page's CSP refuses.
_TOOLTIP_STYLE = ' style="opacity: 0"'
_STYLE_RE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# Rules for pygal's hover effects, tooltips and animations: a chart without its script never uses
# them, and each costs WeasyPrint a parsed rule per chart of a PDF (two hundred charts in a large
# evidence pack were a quarter of its memory).
_INTERACTIVE_SELECTOR_RE = re.compile(r":hover|\.tooltip|\.reactive|\.active\b|\.map-element|\.gauge-background")
_INTERACTIVE_DECLARATION_RE = re.compile(r"(?:-webkit-|-moz-)?(?:transition|user-select|font-smoothing)[^;}]*;?")


def _static_css(css: str) -> str:
    """pygal's stylesheet without the rules and declarations only its interactive script needs."""
    kept = []
    for selectors, body in _RULE_RE.findall(css):
        selectors = ",".join(s for s in selectors.split(",") if not _INTERACTIVE_SELECTOR_RE.search(s))
        body = _INTERACTIVE_DECLARATION_RE.sub("", body).strip()
        if selectors.strip() and body:
            kept.append(f"{selectors.strip()}{{{body}}}")
    return "".join(kept)


def _style(colors: tuple[str, ...], **extra) -> Style:
    return Style(
        font_family=FONT,
        background="transparent",
        plot_background="transparent",
        foreground="rgba(33, 37, 41, .87)",
        foreground_strong="rgba(33, 37, 41, 1)",
        foreground_subtle="rgba(33, 37, 41, .15)",
        guide_stroke_color="rgba(33, 37, 41, .15)",
        major_guide_stroke_color="rgba(33, 37, 41, .25)",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="0ms",
        colors=colors,
        **extra,
    )


def _finish(svg: str, title: str, description: str) -> SafeString:
    """pygal's SVG without scripts, comments or interactive styles, with an escaped <title> and <desc>, marked safe."""
    svg = _COMMENT_RE.sub("", svg)
    svg = _SCRIPT_RE.sub("", svg)
    svg = svg.replace(_TOOLTIP_STYLE, "")
    svg = _STYLE_RE.sub(lambda m: m.group(1) + _static_css(m.group(2)) + m.group(3), svg, count=1)
    accessible = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg, replaced = _TITLE_RE.subn(lambda _m: accessible, svg, count=1)
    if not replaced:
        svg = svg.replace(">", ">" + accessible, 1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label={quoteattr(title)} ', 1)
    # Only pygal's output and the escaped texts above are in `svg`.
    return mark_safe(svg)  # noqa: S308


def _number(value) -> float | None:
    return None if value is None else float(value)


def _points(measurements) -> list[tuple[datetime.date, Decimal]]:
    """(period start, value) pairs, oldest first, from measurements or pairs."""
    pairs = []
    for item in measurements:
        if isinstance(item, tuple | list):
            pairs.append((item[0], item[1]))
        else:
            pairs.append((item.period_start, item.value))
    return sorted(pairs)


def _step(step) -> tuple:
    """(from, target, target_upper, tolerance) of a step given as a tuple, a dict or an object."""
    if isinstance(step, tuple | list):
        return tuple(step[:4])
    if isinstance(step, dict):
        return (step.get("effective_from"), step.get("target"), step.get("target_upper"), step.get("tolerance"))
    return (
        getattr(step, "effective_from", None),
        getattr(step, "target", None),
        getattr(step, "target_upper", None),
        getattr(step, "tolerance", None),
    )


def _segments(steps: Sequence[tuple], first: datetime.date, last: datetime.date) -> list[tuple]:
    """Each step as (from, to, target, target_upper, tolerance), clipped to the chart's dates."""
    ordered = sorted((_step(s) for s in steps), key=lambda s: s[0] or datetime.date.min)
    segments = []
    for index, (start, target, upper, tolerance) in enumerate(ordered):
        begin = max(start or first, first)
        end = ordered[index + 1][0] if index + 1 < len(ordered) else last
        end = min(end or last, last)
        if end > begin and target is not None:
            segments.append((begin, end, target, upper, tolerance))
    return segments


def _tolerance_edges(direction: str, target, upper, tolerance) -> tuple | None:
    """(low, high) of the zone where a value is at risk rather than on track or off track."""
    if not tolerance:
        return None
    if direction == Objective.Direction.LOWER:
        return target, target + tolerance
    if direction == Objective.Direction.HIGHER:
        return target - tolerance, target
    if direction == Objective.Direction.BAND:
        return target - tolerance, (upper if upper is not None else target) + tolerance
    return None


def _area(strips: list[tuple]) -> list[tuple]:
    """A closed outline of (from, to, low, high) strips: the high edge forwards, the low edge back.

    pygal fills a series down to its zero line; an outline that returns to where it began
    encloses only the strip.
    """
    upper = [pt for begin, end, _low, high in strips for pt in ((begin, _number(high)), (end, _number(high)))]
    lower = [pt for begin, end, low, _high in strips for pt in ((begin, _number(low)), (end, _number(low)))]
    return upper + list(reversed(lower))


def objective_chart_svg(objective: Objective, measurements: Iterable, targets: Sequence, *, today=None) -> SafeString:
    """The objective's values over time with the target in force at each date, the tolerance band and
    the forecast at the due date, as an inline SVG.

    `measurements` are Measurement rows (or (period start, value) pairs); `targets` the steps of
    `objectives.selectors.objectives.targets_in_force` ((from, target, target_upper, tolerance),
    oldest first), so a revised target shows as a step on the date it took effect.
    """
    today = today or timezone.localdate()
    frequency = objective.frequency or Objective.Frequency.MONTHLY
    unit = objective.unit
    points = _points(measurements)
    chart_title = f"{objective.reference}: {objective.metric_name or objective.title}"

    dates = [d for d, _ in points]
    first = min([*dates, *([objective.start_date] if objective.start_date else [])], default=today)
    last_candidates = [today, *([period_end(frequency, dates[-1])] if dates else [])]
    if objective.due_date:
        last_candidates.append(objective.due_date)
    last = max(last_candidates)

    # Series as (title, colour, values, options); the tolerance zone first, so it lies behind the lines.
    series: list[tuple[str | None, str, list, dict]] = []
    segments = _segments(targets, first, last)
    lower_strip, upper_strip, target_points, band_upper = [], [], [], []
    for begin, end, target, upper, tolerance in segments:
        target_points += [(begin, _number(target)), (end, _number(target))]
        if objective.direction == Objective.Direction.BAND and upper is not None:
            band_upper += [(begin, _number(upper)), (end, _number(upper))]
        edges = _tolerance_edges(objective.direction, target, upper, tolerance)
        if edges is None:
            continue
        if objective.direction == Objective.Direction.BAND:
            # Below the band's lower limit and above its upper limit.
            lower_strip.append((begin, end, edges[0], target))
            upper_strip.append((begin, end, upper if upper is not None else target, edges[1]))
        else:
            lower_strip.append((begin, end, edges[0], edges[1]))
    fill = {"fill": True, "show_dots": False, "stroke_style": {"width": 0}}
    for strip in (lower_strip, upper_strip):
        if strip:
            # One legend entry for the zone, even when a band has it on both sides.
            name = None if any(t == "Tolerance (at risk)" for t, *_ in series) else "Tolerance (at risk)"
            series.append((name, TOLERANCE, _area(strip), fill))
    if band_upper:
        # Both limits of a band in one series, broken between them.
        target_points += [(band_upper[0][0], None), *band_upper]
    if target_points:
        name = "Target band" if objective.direction == Objective.Direction.BAND else "Target"
        series.append((name, TARGET, target_points, {"show_dots": False, "stroke_style": {"width": 2}}))
    if points:
        # A missing period breaks the line instead of being bridged.
        by_period = dict(points)
        periods = periods_between(frequency, points[0][0], points[-1][0]) if objective.frequency else dates
        series.append(("Measured value", BRAND, [(p, _number(by_period.get(p))) for p in periods], {}))
    if objective.forecast_value is not None and objective.due_date and points:
        series.append(
            (
                "Forecast at due date",
                FORECAST,
                [
                    # No dot on the latest value: it is the measured value's.
                    {"value": (points[-1][0], _number(points[-1][1])), "node": {"r": 0}},
                    (objective.due_date, _number(objective.forecast_value)),
                ],
                {"stroke_style": {"width": 1.5, "dasharray": "5, 4"}},
            )
        )

    chart = pygal.DateLine(
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=800,
        height=320,
        style=_style(
            tuple(colour for _t, colour, _v, _o in series) or (BRAND,), label_font_size=11, legend_font_size=12
        ),
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        legend_box_size=10,
        show_x_guides=False,
        allow_interruptions=True,
        dots_size=2.5,
        x_value_formatter=lambda d: f"{d:%b %Y}",
        value_formatter=lambda v: format_value(Decimal(str(round(v, 4))), unit),
        y_title=f"{objective.metric_name} ({unit})"
        if objective.metric_name and unit
        else (objective.metric_name or None),
        truncate_legend=-1,
        margin=8,
        no_data_text="No values yet",
        pretty_print=False,
        # pygal closes a filled series down to `zero`; starting the tolerance outline there
        # avoids a hairline from the axis to the zone.
        zero=next((values[0][1] for _t, colour, values, _o in series if colour == TOLERANCE), 0),
    )
    for name, _colour, values, options in series:
        chart.add(name, values, **options)

    targets_said = "; ".join(
        f"target {format_target(objective.direction, target, upper, unit)}"
        + (f" from {begin.day} {begin:%b %Y}" if len(segments) > 1 else "")
        + (f", tolerance {format_value(tolerance, unit)}" if tolerance else "")
        for begin, _end, target, upper, tolerance in segments
    )
    if points:
        latest_day, latest = points[-1]
        description = (
            f"{len(points)} value{'s' if len(points) != 1 else ''} from {period_label(frequency, points[0][0])} "
            f"to {period_label(frequency, latest_day)}; latest {format_value(latest, unit)}"
        )
    else:
        description = "No values have been entered yet"
    if targets_said:
        description += f"; {targets_said}"
    if objective.due_date:
        description += f"; due {objective.due_date.day} {objective.due_date:%b %Y}"
    if objective.forecast_value is not None:
        description += f"; forecast at the due date {format_value(objective.forecast_value, unit)}"
    description += "."
    return _finish(chart.render(is_unicode=True), chart_title, description)


def sparkline_svg(values: Sequence, *, title: str = "Recent values", width: int = 120, height: int = 28) -> SafeString:
    """A small line of `values` (oldest first; None leaves a gap) for tables, as an inline SVG.

    Drawn directly rather than with pygal: a dashboard row's sparkline is a few line segments, and
    pygal's set-up cost made up about 90% of the objectives dashboard's time with 50 rows.
    """
    numbers = [_number(v) for v in values]
    present = [v for v in numbers if v is not None]
    margin = 2.0
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    step = (width - 2 * margin) / (len(numbers) - 1) if len(numbers) > 1 else 0.0

    def y(value: float) -> float:
        if high == low:
            return height / 2
        return margin + (high - value) / (high - low) * (height - 2 * margin)

    # One polyline per run of consecutive values; a single value between gaps is a dot.
    shapes, run = [], []
    for index, value in enumerate([*numbers, None]):
        if value is not None:
            run.append((margin + index * step if len(numbers) > 1 else width / 2, y(value)))
            continue
        if len(run) > 1:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            shapes.append(f'<polyline fill="none" stroke="{BRAND}" stroke-width="1.5" points="{points}"/>')
        elif run:
            shapes.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="1.8" fill="{BRAND}"/>')
        run = []
    description = (
        f"{len(present)} values from {values[0]} to {values[-1]}"
        if len(present) > 1
        else "Not enough values for a trend"
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" aria-label={quoteattr(title)} '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(shapes)}</svg>"
    )
    # Only numbers formatted here, the brand colour and the escaped texts are in `svg`.
    return mark_safe(svg)  # noqa: S308
