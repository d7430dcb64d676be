"""FilterSets of quality objectives, their plan steps and target revisions (pages and API)."""

import django_filters
from django.db.models import Q

from leadership.models import Department, Person
from objectives.models import ActionPlanStep, Objective, TargetRevision
from qms.filters import FilterSet


class ObjectiveFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Objective.Status.choices, empty_label="Any status")
    health = django_filters.ChoiceFilter(choices=Objective.Health.choices, empty_label="Any health")
    category = django_filters.ChoiceFilter(choices=Objective.Category.choices, empty_label="Any category")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    company_wide = django_filters.BooleanFilter(
        field_name="department", lookup_expr="isnull", label="Company-wide (no department)"
    )
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Any owner")
    parent = django_filters.ModelChoiceFilter(
        queryset=Objective.objects.only("pk", "reference", "title"), empty_label="Any parent objective"
    )
    projected_to_miss = django_filters.BooleanFilter(label="Projected to miss")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = Objective
        fields = [
            "q",
            "status",
            "health",
            "category",
            "department",
            "company_wide",
            "owner",
            "parent",
            "projected_to_miss",
            "due_before",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(metric_name__icontains=value)
            | Q(strategic_theme__icontains=value)
        )


class ActionPlanStepFilterSet(FilterSet):
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.only("pk", "reference", "title"))
    responsible = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"))
    status = django_filters.ChoiceFilter(choices=ActionPlanStep.Status.choices, empty_label="Any status")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = ActionPlanStep
        fields = ["objective", "responsible", "status", "due_before"]


class TargetRevisionFilterSet(FilterSet):
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.only("pk", "reference", "title"))
    status = django_filters.ChoiceFilter(choices=TargetRevision.Status.choices, empty_label="Any status")

    class Meta:
        model = TargetRevision
        fields = ["objective", "status"]
