"""Pages of measurements (6.2.1.e, 9.1): the objectives dashboard, fast entry, one value, a correction, the
list of values and the CSV import."""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from leadership.models import Department
from leadership.selectors.people import history_for
from objectives.filters.measurements import MeasurementFilterSet, ObjectiveDashboardFilterSet
from objectives.forms.measurements import (
    EntryRowForm,
    MeasurementCorrectForm,
    MeasurementForm,
    MeasurementImportForm,
)
from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label
from objectives.selectors import measurements as selectors
from objectives.services import measurements as services
from qms.exceptions import ApplicationError
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView

ADD = "objectives.add_measurement"


def _objective_url(objective: Objective) -> str:
    return objective.get_absolute_url() + "#measurements"


# The objectives dashboard ------------------------------------------------------------------------------


class ObjectiveDashboardView(PermissionRequiredMixin, HtmxFilterListView):
    """Every objective with its health, latest value against the target, forecast and recent trend."""

    permission_required = "objectives.view_objective"
    filterset_class = ObjectiveDashboardFilterSet
    template_name = "objectives/measurements/dashboard.html"
    partial_template_name = "objectives/measurements/partials/_dashboard_results.html"

    def get_queryset(self):
        return selectors.objective_dashboard_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.dashboard_rows(context["object_list"])
        # The counts ignore the health filter, so that each count is a link to its own filter.
        params = self.request.GET.copy()
        for key in ("health", "page"):
            params.pop(key, None)
        without_health = self.filterset_class(params, queryset=self.get_queryset(), request=self.request)
        counts = selectors.health_counts(without_health.qs) if without_health.is_valid() else {}
        chosen = self.request.GET.get("health", "")
        context["health_counts"] = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "badge": selectors.HEALTH_BADGE[value],
                "query": _with(params, health=value),
                "active": chosen == value,
            }
            for value, label in Objective.Health.choices
        ]
        context["total"] = counts.get("total", 0)
        context["projected_count"] = counts.get("projected_to_miss", 0)
        context["projected_query"] = _with(params, projected_to_miss="true")
        context["all_query"] = params.urlencode()
        return context


def _with(params, **values) -> str:
    query = params.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


def dashboard_panel_context(request) -> dict:
    """The home dashboard's "Objectives by health" panel: counts of the active objectives (one query)."""
    counts = selectors.health_counts(Objective.objects.filter(status=Objective.Status.ACTIVE))
    return {
        "counts": [
            {"value": value, "label": label, "count": counts.get(value, 0), "badge": selectors.HEALTH_BADGE[value]}
            for value, label in Objective.Health.choices
        ],
        "total": counts.get("total", 0),
        "projected_to_miss": counts.get("projected_to_miss", 0),
    }


def values_due_panel_context(request) -> dict:
    """The home dashboard's "Values to enter" panel: the signed-in user's objectives with a period open."""
    rows = selectors.entry_rows(selectors.objectives_for_entry(request.user))
    due = [row for row in rows if row.overdue]
    return {"due_rows": due[:8], "due_count": len(due), "objective_count": len(rows)}


# Measurements list --------------------------------------------------------------------------------------


class MeasurementListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "objectives.view_measurement"
    filterset_class = MeasurementFilterSet
    template_name = "objectives/measurements/list.html"
    partial_template_name = "objectives/measurements/partials/_measurement_table.html"

    def get_queryset(self):
        return selectors.measurement_list()


class MeasurementDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "objectives.view_measurement"
    template_name = "objectives/measurements/detail.html"

    def get_context_data(self, **kwargs):
        try:
            measurement = selectors.measurement_get(self.kwargs["pk"])
        except Measurement.DoesNotExist as exc:
            raise Http404("No such measurement.") from exc
        user = self.request.user
        context = super().get_context_data(
            measurement=measurement,
            objective=measurement.objective,
            value_text=selectors.format_value(measurement.value, measurement.objective.unit),
            corrections=selectors.corrections_for([measurement]).get(measurement.pk, []),
            may_correct=user.has_perm("objectives.change_measurement")
            and measurement.objective.status == Objective.Status.ACTIVE
            and selectors.may_enter_for(user, measurement.objective),
            requirement_ids=Measurement.REQUIREMENT_IDS,
            **kwargs,
        )
        if user.has_perm("objectives.view_historicalmeasurement"):
            context["history"] = history_for(measurement)
        return context


# One value ---------------------------------------------------------------------------------------------------


class MeasurementCreateView(PermissionRequiredMixin, FormView):
    """Enter one value of one objective (the objective page's form posts here too)."""

    permission_required = ADD
    form_class = MeasurementForm
    template_name = "objectives/measurements/create.html"

    @cached_property
    def objective(self) -> Objective:
        objective = get_object_or_404(
            Objective.objects.select_related("owner__user", "department"), pk=self.kwargs["objective_pk"]
        )
        if not selectors.may_enter_for(self.request.user, objective):
            raise PermissionDenied(f"You may not enter values of {objective.reference}.")
        return objective

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(ADD):
            objective = self.objective
            if objective.status != Objective.Status.ACTIVE:
                messages.error(
                    request,
                    f"{objective.reference} is {objective.get_status_display().lower()}: only active objectives "
                    "take measurements.",
                )
                return redirect(_objective_url(objective))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        measured = set(self.objective.measurements.values_list("period_start", flat=True))
        periods = selectors.open_periods(self.objective, measured, today)
        due = selectors.due_period(periods, today, self.objective.frequency)
        return {"period": due or today}

    def get_context_data(self, **kwargs):
        recent = selectors.recent_values([self.objective.pk], n=6).get(self.objective.pk, [])
        return super().get_context_data(
            objective=self.objective,
            recent=[
                (period_label(self.objective.frequency, day), selectors.format_value(value, self.objective.unit))
                for day, value in reversed(recent)
            ],
            target_text=selectors.format_target(
                self.objective.direction, self.objective.target, self.objective.target_upper, self.objective.unit
            ),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            measurement = services.measurement_record(
                actor=self.request.user,
                objective=self.objective,
                period=data["period"],
                value=data["value"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error("period" if exc.extra.get("field") == "period" else None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.objective.reference}: {measurement.period_label} recorded as "
            f"{selectors.format_value(measurement.value, self.objective.unit)}.",
        )
        return redirect(_objective_url(self.objective))


class MeasurementCorrectView(PermissionRequiredMixin, FormView):
    """Correct a recorded value with a reason; the old value stays in the history."""

    permission_required = "objectives.change_measurement"
    form_class = MeasurementCorrectForm
    template_name = "objectives/measurements/correct.html"

    @cached_property
    def measurement(self) -> Measurement:
        try:
            measurement = selectors.measurement_get(self.kwargs["pk"])
        except Measurement.DoesNotExist as exc:
            raise Http404("No such measurement.") from exc
        if not selectors.may_enter_for(self.request.user, measurement.objective):
            raise PermissionDenied(f"You may not correct values of {measurement.objective.reference}.")
        return measurement

    def get_initial(self):
        return {"value": self.measurement.value.normalize(), "comment": self.measurement.comment}

    def get_context_data(self, **kwargs):
        measurement = self.measurement
        return super().get_context_data(
            measurement=measurement,
            objective=measurement.objective,
            value_text=selectors.format_value(measurement.value, measurement.objective.unit),
            corrections=selectors.corrections_for([measurement]).get(measurement.pk, []),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        measurement = self.measurement
        try:
            services.measurement_correct(
                actor=self.request.user,
                measurement=measurement,
                value=data["value"],
                comment=data["comment"],
                correction_reason=data["correction_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(reverse("objectives:measurement-detail", args=[measurement.pk]))
        messages.success(self.request, f"{measurement.objective.reference}: {measurement.period_label} corrected.")
        return redirect(_objective_url(measurement.objective))


# Fast entry ----------------------------------------------------------------------------------------------------


class MeasurementEntryView(PermissionRequiredMixin, TemplateView):
    """ "Enter this period's values": one row per objective the user enters values for, saved all at once."""

    permission_required = ADD
    template_name = "objectives/measurements/entry.html"

    @cached_property
    def may_pick_all(self) -> bool:
        return selectors.may_enter_for_all(self.request.user)

    @cached_property
    def scope(self) -> str:
        asked = self.request.GET.get("scope", "")
        if not self.may_pick_all:
            return "mine"
        if asked in ("mine", "all"):
            return asked
        # Someone who owns nothing (an inspector) starts with every objective.
        return "mine" if selectors.objectives_for_entry(self.request.user).exists() else "all"

    @cached_property
    def department(self) -> Department | None:
        pk = self.request.GET.get("department", "")
        return Department.objects.filter(pk=pk).first() if pk.isdigit() else None

    def rows(self, today: datetime.date):
        objectives = selectors.objectives_for_entry(self.request.user, everything=self.scope == "all")
        if self.department is not None:
            objectives = objectives.filter(department=self.department)
        return selectors.entry_rows(objectives, today=today)

    def forms_for(self, rows, data=None) -> list[tuple]:
        pairs = []
        for row in rows:
            form = None
            if row.periods:
                form = EntryRowForm(
                    data, prefix=f"o{row.objective.pk}", period_choices=row.period_choices, initial_period=row.due
                )
            pairs.append((row, form))
        return pairs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scope=self.scope,
            may_pick_all=self.may_pick_all,
            departments=Department.objects.filter(is_active=True).order_by("name") if self.may_pick_all else [],
            department=self.department,
            today=timezone.localdate(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(pairs=self.forms_for(self.rows(timezone.localdate()))))

    def post(self, request, *args, **kwargs):
        today = timezone.localdate()
        pairs = self.forms_for(self.rows(today), request.POST)
        filled = [(row, form) for row, form in pairs if form is not None and form.is_filled]
        if not filled:
            messages.info(request, "Nothing was saved: no value was filled in.")
            return self.render_to_response(self.get_context_data(pairs=pairs, problem=True))
        valid = [form.is_valid() for _row, form in filled]
        if not all(valid):
            messages.error(request, "Nothing was saved. Correct the rows marked below and save again.")
            return self.render_to_response(self.get_context_data(pairs=pairs, problem=True))
        entries = [
            services.Entry(
                objective=row.objective,
                period=form.period_date(),
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
            )
            for row, form in filled
        ]
        try:
            created = services.measurement_record_many(
                actor=request.user,
                entries=entries,
                today=today,
                describe=lambda index: filled[index][0].objective.reference,
            )
        except services.MeasurementRowsError as exc:
            for index, errors in exc.row_errors.items():
                form = filled[index][1]
                for name, messages_ in errors.items():
                    form.add_error(name if name in form.fields else None, messages_)
            messages.error(request, "Nothing was saved. Correct the rows marked below and save again.")
            return self.render_to_response(self.get_context_data(pairs=pairs, problem=True))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.render_to_response(self.get_context_data(pairs=pairs, problem=True))
        saved = ", ".join(
            f"{m.objective.reference} {period_label(m.objective.frequency, m.period_start)}" for m in created
        )
        messages.success(request, f"Saved {len(created)} value{'s' if len(created) != 1 else ''}: {saved}.")
        return redirect(request.get_full_path())


# CSV import -------------------------------------------------------------------------------------------------------


def _import_example() -> str:
    """Example rows for the import page, for periods that have already begun."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    rows = [
        services.IMPORT_COLUMNS,
        ("OBJ-QA-1", f"{last_month:%Y-%m}", "28.5", "Two findings closed late (supplier audit)"),
        ("OBJ-QA-2", f"{monday:%Y-%m-%d}", "22", ""),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


class MeasurementImportView(PermissionRequiredMixin, FormView):
    permission_required = ADD
    form_class = MeasurementImportForm
    template_name = "objectives/measurements/import.html"

    def get_context_data(self, **kwargs):
        max_bytes, max_rows = services.import_limits()
        return super().get_context_data(
            columns=services.IMPORT_COLUMNS,
            example=_import_example(),
            max_kb=max_bytes // 1024,
            max_rows=max_rows,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = services.measurement_import(actor=self.request.user, file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, result.message)
        return redirect("objectives:measurement-list")


class MeasurementImportTemplateView(PermissionRequiredMixin, View):
    """A CSV holding only the import's header row (example rows could be imported by mistake)."""

    permission_required = ADD

    def get(self, request):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(services.IMPORT_COLUMNS)
        # A byte-order mark makes Excel open the file as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="measurement-import-template.csv"'
        return response
