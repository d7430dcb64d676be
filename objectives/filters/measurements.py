"""FilterSets of measurements and of the objectives dashboard, shared by the pages and the API."""

import django_filters
from django.db.models import Q

from leadership.models import Department, Person
from objectives.models import Measurement, Objective
from qms.filters import FilterSet

# The dashboard shows active objectives unless another status is asked for.
DEFAULT_STATUS = Objective.Status.ACTIVE
ANY_STATUS = "any"


class MeasurementFilterSet(FilterSet):
    objective = django_filters.ModelChoiceFilter(
        queryset=Objective.objects.only("pk", "reference", "title").order_by("reference"),
        empty_label="All objectives",
    )
    reference = django_filters.CharFilter(
        field_name="objective__reference", lookup_expr="iexact", label="Objective reference"
    )
    department = django_filters.ModelChoiceFilter(
        field_name="objective__department",
        queryset=Department.objects.filter(is_active=True).order_by("name"),
        empty_label="All departments",
    )
    period = django_filters.DateFromToRangeFilter(
        field_name="period_start",
        label="Period",
        help_text="Periods starting on or after period_after and on or before period_before (YYYY-MM-DD).",
    )
    corrected = django_filters.BooleanFilter(method="filter_corrected", label="Corrected")

    class Meta:
        model = Measurement
        fields = ["objective", "reference", "department", "period", "corrected"]

    def filter_corrected(self, queryset, name, value):
        return queryset.exclude(correction_reason="") if value else queryset.filter(correction_reason="")


class ObjectiveDashboardFilterSet(FilterSet):
    """Filters and sorting of the objectives dashboard (/objectives/) and of /api/objective-health/."""

    q = django_filters.CharFilter(method="search", label="Search")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True).order_by("name"), empty_label="All departments"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=Person.objects.filter(owned_objectives__isnull=False)
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name"),
        empty_label="All owners",
    )
    health = django_filters.ChoiceFilter(choices=Objective.Health.choices, empty_label="Any health")
    category = django_filters.ChoiceFilter(choices=Objective.Category.choices, empty_label="All categories")
    status = django_filters.ChoiceFilter(
        choices=[*Objective.Status.choices, (ANY_STATUS, "Any status")],
        method="filter_status",
        empty_label=None,
        help_text="Active objectives unless another status (or “any”) is asked for.",
    )
    projected_to_miss = django_filters.BooleanFilter(label="Projected to miss")
    sort = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("health_rank", "health"),
            ("department__name", "department"),
            ("due_date", "due_date"),
        ),
        field_labels={"reference": "Reference", "health_rank": "Health (worst first)", "due_date": "Due date"},
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Objective
        fields = ["q", "department", "owner", "health", "category", "status", "projected_to_miss"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = DEFAULT_STATUS
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(metric_name__icontains=value)
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A stable order whatever the sort: objectives of equal health or department by reference.
        ordering = list(queryset.query.order_by) or []
        return queryset.order_by(*ordering, "reference") if ordering else queryset.order_by("reference")
