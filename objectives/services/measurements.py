"""Writes of measurements (6.2.1.e, 9.1): record a value, correct it with a reason, enter many at once, import a CSV.

Every write refreshes the objective's cached health, forecast and latest value once the
transaction has committed, so the pages show the new state at once.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label, period_start_for
from objectives.selectors import measurements as selectors
from objectives.services import progress
from qms.csvimport import parse_rows, read_upload
from qms.exceptions import ApplicationError

PLACES = Decimal("0.0001")
# DecimalField(max_digits=14, decimal_places=4): ten digits before the point.
LARGEST = Decimal("9999999999.9999")
# Units in which a negative value cannot be a measurement.
NON_NEGATIVE_UNITS = {
    Objective.Unit.PERCENT,
    Objective.Unit.PPM,
    Objective.Unit.COUNT,
    Objective.Unit.DAYS,
    Objective.Unit.HOURS,
}


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def _shown(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _require_perm(actor, permission: str, doing: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _require_scope(actor, objective: Objective) -> None:
    if not selectors.may_enter_for(actor, objective):
        raise PermissionDenied(
            f"You may enter and correct values only of objectives you own or of departments you head; "
            f"{objective.reference} is owned by {objective.owner}."
        )


def _require_active(objective: Objective, doing: str) -> None:
    if objective.status != Objective.Status.ACTIVE:
        raise ApplicationError(
            f"{objective.reference} is {objective.get_status_display().lower()}: only active objectives take "
            f"measurements, so its values cannot be {doing}."
        )
    if not objective.frequency:
        raise ApplicationError(f"{objective.reference} has no measurement frequency; set it on the objective first.")


def clean_value(value, objective: Objective) -> Decimal:
    """The value as stored (rounded to 4 decimal places), or ValidationError on "value"."""
    if value is None or value == "":
        raise ValidationError({"value": "Give the measured value."})
    text = str(value).strip()
    if not isinstance(value, Decimal) and "," in text:
        # "1,250" and "2,4" mean different things in different countries: refuse rather than guess.
        raise ValidationError(
            {"value": f"{text} has a comma; write the number with a point for decimals and no thousands separator."}
        )
    try:
        number = value if isinstance(value, Decimal) else Decimal(text)
    except InvalidOperation:
        raise ValidationError({"value": f"{text} is not a number."}) from None
    if not number.is_finite():
        raise ValidationError({"value": f"{value} is not a number."})
    if abs(number) > LARGEST:
        # Checked before rounding too: quantize() itself fails on a number as large as 1e400.
        shown = text if len(text) <= 30 else f"{number:.3E}"
        raise ValidationError({"value": f"{shown} is too large; values have at most 10 digits before the point."})
    number = number.quantize(PLACES, rounding=ROUND_HALF_EVEN)
    if abs(number) > LARGEST:
        raise ValidationError(
            {"value": f"{_shown(number)} is too large; values have at most 10 digits before the point."}
        )
    if number < 0 and objective.unit in NON_NEGATIVE_UNITS:
        raise ValidationError({"value": f"A value in {objective.get_unit_display()} cannot be negative."})
    return number


def normalise_period(objective: Objective, day: datetime.date, *, today: datetime.date | None = None) -> datetime.date:
    """The start of the objective's period that holds `day`; ValidationError on "period" if it cannot be measured yet.

    A period is refused when it ends before the objective starts, begins after its due date, or
    has not begun yet.
    """
    today = today or timezone.localdate()
    frequency = objective.frequency
    start = period_start_for(frequency, day)
    label = period_label(frequency, start)
    if objective.start_date and start < period_start_for(frequency, objective.start_date):
        raise ValidationError(
            {"period": f"{label} is before {objective.reference} started on {_day(objective.start_date)}."}
        )
    if objective.due_date and start > objective.due_date:
        raise ValidationError(
            {
                "period": f"{label} begins after {objective.reference} was due on {_day(objective.due_date)}; "
                "revise the due date first if the objective goes on."
            }
        )
    if start > period_start_for(frequency, today):
        raise ValidationError({"period": f"{label} has not begun yet; a value can be entered once it has."})
    return start


def _duplicate_message(objective: Objective, existing: Measurement) -> str:
    entered_on = _day(timezone.localdate(existing.created_at))
    return (
        f"{objective.reference} already has a value for {period_label(objective.frequency, existing.period_start)} "
        f"({_shown(existing.value)}, entered by {_name(existing.entered_by)} on {entered_on}). "
        "Correct that value instead of entering a second one."
    )


def _refresh_on_commit(objective_ids) -> None:
    """Recompute each objective's cached health and forecast once the transaction has committed.

    Robust: if the recomputation fails the measurement is still saved, and the daily progress
    check corrects the cached figures.
    """
    for objective_id in sorted(set(objective_ids)):
        transaction.on_commit(lambda pk=objective_id: progress.objective_refresh(objective_id=pk), robust=True)


def _full_clean(measurement: Measurement) -> None:
    try:
        measurement.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
        if "period_start" in errors:
            errors["period"] = errors.pop("period_start")
        raise ValidationError(errors) from exc


# One value ---------------------------------------------------------------------------------------


@transaction.atomic
def measurement_record(
    *,
    actor,
    objective: Objective,
    period: datetime.date,
    value,
    comment: str = "",
    today: datetime.date | None = None,
) -> Measurement:
    """Record the objective's value for the period holding `period` (any day of it).

    One value per period: a second one is refused (409) and must be a correction instead.
    """
    _require_perm(actor, "objectives.add_measurement", "enter measurements")
    # Locking the objective serialises entries for it, so the check for an existing value holds.
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("owner__user", "department")
        .get(pk=objective.pk)
    )
    _require_scope(actor, objective)
    _require_active(objective, "entered")
    errors = {}
    try:
        period_start = normalise_period(objective, period, today=today)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        period_start = None
    try:
        number = clean_value(value, objective)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    existing = (
        Measurement.objects.select_related("entered_by").filter(objective=objective, period_start=period_start).first()
    )
    if existing is not None:
        raise ApplicationError(
            _duplicate_message(objective, existing), extra={"field": "period", "measurement": existing.pk}
        )
    measurement = Measurement(
        objective=objective, period_start=period_start, value=number, comment=(comment or "").strip(), entered_by=actor
    )
    _full_clean(measurement)
    measurement._history_user = actor
    measurement.save()
    _refresh_on_commit([objective.pk])
    return measurement


@transaction.atomic
def measurement_correct(
    *,
    actor,
    measurement: Measurement,
    value,
    correction_reason: str,
    comment: str | None = None,
) -> Measurement:
    """Correct a recorded value (or its comment), saying why; the history keeps the old value.

    The period cannot change: a value entered for the wrong period is corrected in both periods.
    """
    _require_perm(actor, "objectives.change_measurement", "correct measurements")
    measurement = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("objective__owner__user", "objective__department", "entered_by")
        .get(pk=measurement.pk)
    )
    objective = measurement.objective
    _require_scope(actor, objective)
    _require_active(objective, "corrected")
    errors = {}
    try:
        number = clean_value(value, objective)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        number = measurement.value
    new_comment = measurement.comment if comment is None else comment.strip()
    reason = (correction_reason or "").strip()
    if not reason:
        errors["correction_reason"] = (
            "Say why the value is corrected (e.g. “transcription error”); the old value stays in the history."
        )
    if not errors and number == measurement.value and new_comment == measurement.comment:
        errors["value"] = f"{_shown(number)} is already the recorded value; change the value or the comment."
    if errors:
        raise ValidationError(errors)
    measurement.value = number
    measurement.comment = new_comment
    measurement.correction_reason = reason
    _full_clean(measurement)
    measurement._history_user = actor
    measurement.save()
    _refresh_on_commit([objective.pk])
    return measurement


# Many values at once ---------------------------------------------------------------------------------


class MeasurementRowsError(ValidationError):
    """Some rows of a multi-row entry were refused; nothing was saved.

    `row_errors` maps each refused row's index (in the order given) to its errors by field.
    """

    def __init__(self, row_errors: dict[int, dict[str, list[str]]], describe):
        self.row_errors = row_errors
        lines = [
            f"{describe(index)}, {name}: {' '.join(messages)}"
            for index, fields in sorted(row_errors.items())
            for name, messages in fields.items()
        ]
        super().__init__({"rows": lines})


@dataclass
class Entry:
    """One value to record: the objective, any day of the period, the value and a comment.

    `entered_at` is for loading historical values (the demo, a first import of a spreadsheet's
    history): when they were actually entered, for the record and its history entry.
    """

    objective: Objective | None
    period: datetime.date | None
    value: object
    comment: str = ""
    entered_at: datetime.datetime | None = None


def _row_name(index: int) -> str:
    return f"Row {index + 1}"


def _prepare(
    actor, entries: list[Entry], today: datetime.date, describe=_row_name
) -> tuple[list[Measurement], dict[int, dict]]:
    """The measurements to create and the errors of each refused entry, by index; no writes.

    `describe(index)` names an entry in messages that point at another one.
    """
    objective_ids = {e.objective.pk for e in entries if e.objective is not None}
    objectives = {
        o.pk: o for o in Objective.objects.select_related("owner__user", "department").filter(pk__in=objective_ids)
    }
    # One query for every period already measured, whatever the number of rows.
    existing = {
        (m.objective_id, m.period_start): m
        for m in Measurement.objects.filter(objective_id__in=objective_ids)
        .select_related("entered_by")
        .only("pk", "objective_id", "period_start", "value", "created_at", "entered_by")
    }
    may_add = actor is not None and actor.has_perm("objectives.add_measurement")
    seen: dict[tuple[int, datetime.date], int] = {}
    prepared: list[Measurement] = []
    row_errors: dict[int, dict[str, list[str]]] = {}
    for index, entry in enumerate(entries):
        errors: dict[str, list[str]] = {}
        objective = objectives.get(entry.objective.pk) if entry.objective is not None else None
        if objective is None:
            row_errors[index] = {"objective": ["Choose the objective."]}
            continue
        if not may_add or not selectors.may_enter_for(actor, objective):
            row_errors[index] = {"objective": [f"You may not enter values of {objective.reference}."]}
            continue
        try:
            _require_active(objective, "entered")
        except ApplicationError as exc:
            row_errors[index] = {"objective": [exc.message]}
            continue
        period_start = None
        if entry.period is None:
            errors["period"] = ["Give the period."]
        else:
            try:
                period_start = normalise_period(objective, entry.period, today=today)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        try:
            number = clean_value(entry.value, objective)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if period_start is not None:
            key = (objective.pk, period_start)
            if key in existing:
                errors.setdefault("period", []).append(_duplicate_message(objective, existing[key]))
            elif key in seen:
                errors.setdefault("period", []).append(
                    f"{objective.reference} {period_label(objective.frequency, period_start)} is given twice "
                    f"(also in {describe(seen[key]).lower()}); keep one."
                )
            else:
                seen[key] = index
        if errors:
            row_errors[index] = errors
            continue
        measurement = Measurement(
            objective=objective,
            period_start=period_start,
            value=number,
            comment=(entry.comment or "").strip(),
            entered_by=actor,
        )
        measurement._history_user = actor
        if entry.entered_at is not None:
            measurement._history_date = entry.entered_at
            measurement._entered_at = entry.entered_at
        try:
            # Field rules only: the lookups are done above for all rows at once.
            measurement.clean_fields(exclude=["objective", "entered_by"])
        except ValidationError as exc:
            row_errors[index] = {("period" if k == "period_start" else k): v for k, v in exc.message_dict.items()}
            continue
        prepared.append(measurement)
    return prepared, row_errors


def _create_all(actor, measurements: list[Measurement]) -> list[Measurement]:
    try:
        with transaction.atomic():
            created = bulk_create_with_history(measurements, Measurement, batch_size=500, default_user=actor)
    except IntegrityError as exc:
        # Checked above for all rows at once; only a value entered meanwhile gets here.
        raise ApplicationError(
            "Someone entered a value for one of these periods meanwhile; nothing was saved. Reload and try again."
        ) from exc
    backdated = [m for m in created if getattr(m, "_entered_at", None) is not None]
    for m in backdated:
        m.created_at = m.updated_at = m._entered_at
    if backdated:
        Measurement.objects.bulk_update(backdated, ["created_at", "updated_at"], batch_size=500)
    _refresh_on_commit(m.objective_id for m in created)
    return created


@transaction.atomic
def measurement_record_many(
    *, actor, entries: list[Entry], today: datetime.date | None = None, describe=None
) -> list[Measurement]:
    """Record several values at once: every one, or none.

    A refused entry raises MeasurementRowsError with the errors of each refused row, by index;
    `describe(index)` names a row in the summary messages (default "Row n", counting from 1).
    """
    _require_perm(actor, "objectives.add_measurement", "enter measurements")
    today = today or timezone.localdate()
    describe = describe or _row_name
    prepared, row_errors = _prepare(actor, entries, today, describe)
    if row_errors:
        raise MeasurementRowsError(row_errors, describe)
    return _create_all(actor, prepared)


# CSV import ------------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("objective", "period", "value", "comment")
MAX_IMPORT_BYTES_DEFAULT = 1024 * 1024
MAX_IMPORT_ROWS_DEFAULT = 2000
MAX_REPORTED_ERRORS = 100
_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def import_limits() -> tuple[int, int]:
    """(largest file in bytes, most rows) a measurement import accepts."""
    return (
        int(getattr(settings, "CLAUSE5_MEASUREMENT_IMPORT_MAX_BYTES", MAX_IMPORT_BYTES_DEFAULT)),
        int(getattr(settings, "CLAUSE5_MEASUREMENT_IMPORT_MAX_ROWS", MAX_IMPORT_ROWS_DEFAULT)),
    )


def _parse_period(raw: str) -> datetime.date:
    match = _PERIOD_RE.match(raw)
    if not match:
        raise ValueError
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return datetime.date(year, month, day)


@dataclass
class ImportResult:
    """What a measurement import recorded."""

    created: int = 0
    objectives: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return (
            f"Imported {self.created} value{'s' if self.created != 1 else ''} for "
            f"{len(self.objectives)} objective{'s' if len(self.objectives) != 1 else ''}: {', '.join(self.objectives)}."
        )


@transaction.atomic
def measurement_import(*, actor, file, today: datetime.date | None = None) -> ImportResult:
    """Import values from a CSV file (objective, period, value, comment): every row, or none.

    Any problem raises one ValidationError on "file" listing each as "Row 7, value: ..." (the
    header is row 1, as in a spreadsheet); nothing is saved then.
    """
    _require_perm(actor, "objectives.add_measurement", "import measurements")
    today = today or timezone.localdate()
    max_bytes, max_rows = import_limits()
    rows = parse_rows(read_upload(file, max_bytes=max_bytes), expected=IMPORT_COLUMNS, max_rows=max_rows)
    references = {values.get("objective", "").upper() for _number, values in rows}
    # References are matched regardless of case, in one query.
    objectives = {
        o.reference.upper(): o
        for o in Objective.objects.annotate(reference_upper=Upper("reference")).filter(reference_upper__in=references)
    }

    problems: list[str] = []
    entries: list[Entry] = []
    numbers: list[int] = []
    for number, values in rows:
        if "__error__" in values:
            problems.append(f"Row {number}: {values['__error__']}.")
            continue
        errors = {}
        reference = values["objective"]
        objective = objectives.get(reference.upper())
        if not reference:
            errors["objective"] = "is empty; give the objective's reference, e.g. OBJ-QA-1"
        elif objective is None:
            errors["objective"] = f"{reference} is not the reference of an objective"
        period = None
        if not values["period"]:
            errors["period"] = "is empty; give the period as YYYY-MM (a month) or YYYY-MM-DD (any day of it)"
        else:
            try:
                period = _parse_period(values["period"])
            except ValueError:
                errors["period"] = f"{values['period']} is not a date in YYYY-MM-DD or YYYY-MM form"
        if not values["value"]:
            errors["value"] = "is empty; give the measured value"
        if errors:
            problems.extend(f"Row {number}, {column}: {message}" for column, message in errors.items())
            continue
        entries.append(Entry(objective=objective, period=period, value=values["value"], comment=values["comment"]))
        numbers.append(number)

    prepared, row_errors = _prepare(actor, entries, today, lambda index: f"Row {numbers[index]}")
    for index, fields in row_errors.items():
        for column, messages in fields.items():
            problems.append(f"Row {numbers[index]}, {column}: {' '.join(messages)}")
    if problems:
        problems.sort(key=lambda p: int(re.match(r"Row (\d+)", p)[1]))
        shown = problems[:MAX_REPORTED_ERRORS]
        if len(problems) > MAX_REPORTED_ERRORS:
            shown.append(f"… and {len(problems) - MAX_REPORTED_ERRORS} more problems.")
        raise ValidationError({"file": ["Nothing was imported. Correct these rows and upload the file again.", *shown]})
    created = _create_all(actor, prepared)
    return ImportResult(created=len(created), objectives=sorted({m.objective.reference for m in created}))
