"""Filters of internal audits and the findings register, shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q

from leadership.models import Department
from qms.filters import FilterSet, YearFilter
from reviews.models.audits import AuditFinding, InternalAudit
from reviews.selectors.audits import NONCONFORMITIES, audit_has_open_findings

YES_NO = [("", "Any findings"), ("true", "With open findings"), ("false", "No open findings")]


class InternalAuditFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=InternalAudit.Status.choices, empty_label="Any status")
    year = YearFilter(
        method="filter_year",
        # The year the audit was carried out, or is planned for if it was not carried out yet.
        label="Year",
        widget=forms.NumberInput(attrs={"placeholder": "Year", "min": 2000, "max": 2100}),
    )
    department = django_filters.ModelChoiceFilter(
        field_name="departments",
        queryset=Department.objects.only("id", "name"),
        method="filter_department",
        label="Department in scope",
        empty_label="All departments",
    )
    has_open_findings = django_filters.BooleanFilter(
        method="filter_open_findings", label="Open findings", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = InternalAudit
        fields = ["q", "status", "year", "department", "has_open_findings"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(criteria__icontains=value)
            | Q(processes__icontains=value)
        )

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(Q(audit_date__year=year) | Q(audit_date__isnull=True, planned_date__year=year))

    def filter_department(self, queryset, name, value):
        # A subquery rather than a join: the list's counts of findings must not multiply.
        scoped = InternalAudit.departments.through.objects.filter(department=value).values("internalaudit_id")
        return queryset.filter(pk__in=scoped)

    def filter_open_findings(self, queryset, name, value):
        exists = audit_has_open_findings()
        return queryset.filter(exists if value else ~exists)


class AuditFindingFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(
        choices=[("nonconformity", "Any nonconformity"), *AuditFinding.Kind.choices],
        method="filter_kind",
        empty_label="Any kind",
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.only("id", "name"), empty_label="All departments"
    )
    state = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed")], method="filter_state", empty_label="Open or closed"
    )
    audit = django_filters.NumberFilter(field_name="audit", label="Audit (id)", widget=forms.HiddenInput)

    class Meta:
        model = AuditFinding
        fields = ["q", "kind", "department", "state", "audit"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(audit__reference__icontains=value)
            | Q(clause__istartswith=value)
            | Q(description__icontains=value)
            | Q(evidence__icontains=value)
        )

    def filter_kind(self, queryset, name, value):
        if value == "nonconformity":
            return queryset.filter(kind__in=NONCONFORMITIES)
        return queryset.filter(kind=value)

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=value == "open")
