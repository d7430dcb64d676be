"""FilterSets of the quality policy, shared by the HTML pages and the API."""

import django_filters
from django.db.models import Q

from leadership.models import Department, Person
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from qms.filters import FilterSet


class PolicyVersionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=PolicyVersion.Status.choices, empty_label="Any status")

    class Meta:
        model = PolicyVersion
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(text__icontains=value) | Q(change_summary__icontains=value)
        )


class PolicyAcknowledgementFilterSet(FilterSet):
    version = django_filters.ModelChoiceFilter(queryset=PolicyVersion.objects.all(), empty_label="Any version")
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), empty_label="Anyone")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), field_name="person__department", empty_label="All departments"
    )

    class Meta:
        model = PolicyAcknowledgement
        fields = ["version", "person", "department"]


class PolicyShareLinkFilterSet(FilterSet):
    is_active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", label="Active")
    version = django_filters.ModelChoiceFilter(queryset=PolicyVersion.objects.all(), empty_label="Any version")

    class Meta:
        model = PolicyShareLink
        fields = ["is_active", "version"]
