"""FilterSets of roles, responsibilities and authorities, shared by the HTML list pages and the API."""

import django_filters
from django.db.models import Q

from leadership.models import Department, Person
from leadership.models.positions import ManagementRepresentativeAppointment, Position, PositionHolder
from qms.filters import FilterSet
from qms.iso import requirement_choices


def _with_requirement(queryset, field: str, value: str):
    # The ids are stored as a JSON list; matching the quoted id works on SQLite and PostgreSQL
    # alike and never matches a longer id that starts the same (9.3.2.c vs 9.3.2.c.1).
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'}) if value else queryset


class PositionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="All departments"
    )
    has_holder = django_filters.BooleanFilter(
        field_name="has_holder", label="Has a holder", help_text="Held by somebody today."
    )
    requirement = django_filters.ChoiceFilter(
        choices=requirement_choices(), method="with_requirement", label="ISO requirement", empty_label="Any ISO item"
    )
    is_active = django_filters.BooleanFilter(label="Active")
    mine = django_filters.BooleanFilter(method="held_by_me", label="Held by me", help_text="Now or from a later date.")

    class Meta:
        model = Position
        fields = ["q", "department", "has_holder", "requirement", "is_active", "mine"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(responsibilities__icontains=value) | Q(authorities__icontains=value)
        )

    def with_requirement(self, queryset, name, value):
        return _with_requirement(queryset, "requirement_ids", value)

    def held_by_me(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        mine = PositionHolder.objects.not_ended().filter(person__user_id=getattr(user, "pk", None))
        held = Q(pk__in=mine.values("position_id"))
        return queryset.filter(held) if value else queryset.exclude(held)


class PositionHolderFilterSet(FilterSet):
    position = django_filters.ModelChoiceFilter(queryset=Position.objects.all())
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"))
    current = django_filters.BooleanFilter(method="only_current", label="Holding today")
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_current", label="Acknowledged the current revision"
    )

    class Meta:
        model = PositionHolder
        fields = ["position", "person", "current", "acknowledged"]

    def only_current(self, queryset, name, value):
        current = PositionHolder.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class ManagementRepresentativeAppointmentFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ManagementRepresentativeAppointment.Status.choices, empty_label="Any status"
    )
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.select_related("user"), label="Appointed person")

    class Meta:
        model = ManagementRepresentativeAppointment
        fields = ["status", "person"]
