"""Filters of the action register, shared by the register page, its CSV export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from leadership.models import Department, Person
from qms.filters import FilterSet
from reviews.models.actions import Action
from reviews.selectors.actions import overdue_q

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPEN = "active"


class ActionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "Not closed (open, in progress, reopened)"), *Action.Status.choices],
        method="filter_status",
        empty_label="Any status",
        help_text=f"A status, or {OPEN!r} for every action still open.",
    )
    source = django_filters.ChoiceFilter(choices=Action.Source.choices, empty_label="Any source")
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Any owner")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    priority = django_filters.ChoiceFilter(choices=Action.Priority.choices, empty_label="Any priority")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue",
        widget=forms.Select(choices=[("", "Overdue or not"), ("true", "Overdue only"), ("false", "Not overdue")]),
    )
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due from", widget=DATE_INPUT)
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due to", widget=DATE_INPUT)

    class Meta:
        model = Action
        fields = ["q", "status", "source", "owner", "department", "priority", "overdue", "due_from", "due_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(completion_note__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=Action.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
