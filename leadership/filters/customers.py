"""Filters of customer focus (5.1.2), shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q

from leadership.models import Department
from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume
from qms.filters import FilterSet

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class CustomerFeedbackFilterSet(FilterSet):
    OVERDUE_CHOICES = [
        ("response", "Overdue for management's response"),
        ("close", "Overdue for closure"),
        ("any", "Overdue for either"),
    ]

    q = django_filters.CharFilter(method="search", label="Search")
    type = django_filters.ChoiceFilter(choices=CustomerFeedback.Type.choices, empty_label="All types")
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open (not closed)"), *CustomerFeedback.Status.choices],
        method="filter_status",
        empty_label="Any status",
    )
    severity = django_filters.ChoiceFilter(choices=CustomerFeedback.Severity.choices, empty_label="Any severity")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), empty_label="All customers")
    overdue = django_filters.ChoiceFilter(
        choices=OVERDUE_CHOICES, method="filter_overdue", empty_label="Overdue or not", label="Overdue"
    )
    received_from = django_filters.DateFilter(
        field_name="received_date", lookup_expr="gte", label="Received from", widget=DATE_INPUT
    )
    received_to = django_filters.DateFilter(
        field_name="received_date", lookup_expr="lte", label="Received to", widget=DATE_INPUT
    )

    class Meta:
        model = CustomerFeedback
        fields = [
            "q",
            "type",
            "status",
            "severity",
            "department",
            "customer",
            "overdue",
            "received_from",
            "received_to",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(customer__name__icontains=value)
            | Q(product__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status=CustomerFeedback.Status.CLOSED)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        # The flags are annotations of the selector (customer_feedback_list), computed for today.
        if value == "response":
            return queryset.filter(overdue_response=True)
        if value == "close":
            return queryset.filter(overdue_close=True)
        return queryset.filter(Q(overdue_response=True) | Q(overdue_close=True))


class CustomerRequirementFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), empty_label="All customers")
    category = django_filters.ChoiceFilter(choices=CustomerRequirement.Category.choices, empty_label="All categories")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="All departments")
    source = django_filters.ChoiceFilter(choices=CustomerRequirement.Source.choices, empty_label="Any source")
    is_active = django_filters.BooleanFilter(
        label="Active",
        widget=forms.Select(choices=[("", "Active or not"), ("true", "Active only"), ("false", "Inactive only")]),
    )
    review_overdue = django_filters.BooleanFilter(
        label="Review overdue",
        widget=forms.Select(choices=[("", "Any review date"), ("true", "Review overdue"), ("false", "Review not due")]),
    )

    class Meta:
        model = CustomerRequirement
        fields = ["q", "customer", "category", "department", "source", "is_active", "review_overdue"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(requirement__icontains=value)
            | Q(process__icontains=value)
            | Q(source_reference__icontains=value)
            | Q(customer__name__icontains=value)
        )


class OrderVolumeFilterSet(FilterSet):
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte", label="From", widget=DATE_INPUT)
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label="To", widget=DATE_INPUT)

    class Meta:
        model = OrderVolume
        fields = ["month_from", "month_to"]
