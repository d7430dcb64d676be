"""The parts every kind of record in the mapping is made of.

A `Kind` says, for one model, which records count as evidence at all (`evidence`: a draft policy
is not evidence), which requirement items each of them evidences (`rules`, and `listed` for
records that name their items themselves in a JSON list), the date that places a record in a
period, its department, and how it is shown (title, status, link). Every condition is a `Q`, so
the same definition answers "which records evidence 5.2.2.b" in one query per kind and "which
items does this record evidence" in one query for the record: the two can never disagree.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.expressions import BaseExpression
from django.urls import NoReverseMatch
from django.utils import timezone

# Conditions that hold for every row, or for none. An empty Q() would vanish when OR-ed with
# another condition, turning "always" into "only when the other holds".
ALWAYS = Q(pk__isnull=False)
NEVER = Q(pk__isnull=True)


@dataclass(frozen=True)
class Rule:
    """A requirement item a kind evidences, for the records meeting `when`, with `note` saying which in words."""

    when: Q = ALWAYS
    note: str = ""


@dataclass(frozen=True)
class Listed:
    """The record names the items it evidences in the JSON list `field` (e.g. `requirement_ids`)."""

    field: str
    when: Q = ALWAYS
    note: str = "the requirement items the record names itself"


@dataclass(frozen=True)
class Span:
    """A record that stays evidence after its date: a policy in force, a position held, an active objective.

    It belongs to every period between its date and `until` (the day it was superseded, ended or
    closed); `until` None, or an expression that is null, means it is still in force.
    """

    until: BaseExpression | str | None = None
    is_datetime: bool = False


def until_deactivated() -> Span:
    """For records kept with an `is_active` flag: in force while active, and until their last change once not.

    The last change of an inactive record is, but for later edits, its deactivation.
    """
    return Span(
        models.Case(
            models.When(is_active=False, then=F("updated_at")), default=None, output_field=models.DateTimeField()
        ),
        is_datetime=True,
    )


def json_list_has(field_path: str, item: str) -> Q:
    """Records whose JSON list at `field_path` holds `item`.

    PostgreSQL answers with jsonb containment (`@>`); SQLite has no containment, so the list's
    text is searched for the quoted item, which matches whole elements only.
    """
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field_path}__contains": [item]})
    return Q(**{f"{field_path}__icontains": f'"{item}"'})


def safe_url(obj) -> str:
    """The record's page, or "" while the page is not routed (links are then shown as plain text)."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@dataclass
class EvidenceRow:
    """One record shown as evidence of a requirement item."""

    kind: str
    kind_label: str
    object_id: int
    title: str
    date: datetime.date
    at: datetime.datetime | None
    department_id: int | None
    department: str
    url: str
    status: str
    mapped: bool = True
    tag: object = None  # the EvidenceTag, when the record is tagged by hand
    # Records that stay evidence after their date (see Span): the day they stopped, or None while in force.
    lasting: bool = False
    until: datetime.date | None = None

    @property
    def in_force(self) -> bool:
        return self.lasting and self.until is None

    @property
    def sort_key(self) -> tuple:
        """Newest last: the local day, then the instant (records dated by day only come first in their day)."""
        return (self.date, self.at.timestamp() if self.at else float("-inf"), self.object_id)


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of record and the requirement items it evidences."""

    model: type[models.Model]
    label: str
    plural: str
    evidence: Q
    evidence_note: str
    date: BaseExpression | str
    date_is_datetime: bool
    rules: dict[str, Rule]
    title: Callable[[models.Model], str]
    status: Callable[[models.Model], str]
    listed: Listed | None = None
    span: Span | None = None
    department: str | None = None
    departments_m2m: str | None = None
    related: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    url: Callable[[models.Model, str | None], str] = field(default=lambda obj, clause_id: safe_url(obj))

    @cached_property
    def key(self) -> str:
        """`app_label.model`, as in content types: how the API and forms name the kind."""
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    @cached_property
    def view_permission(self) -> str:
        return f"{self.model._meta.app_label}.view_{self.model._meta.model_name}"

    # Which records evidence an item ----------------------------------------------------------

    def may_evidence(self, clause_id: str) -> bool:
        return clause_id in self.rules or self.listed is not None

    def clause_q(self, clause_id: str) -> Q | None:
        """The records (among those that are evidence at all) that evidence `clause_id`; None if none can."""
        parts = []
        if clause_id in self.rules:
            parts.append(self.rules[clause_id].when)
        if self.listed is not None:
            parts.append(self.listed.when & json_list_has(self.listed.field, clause_id))
        if not parts:
            return None
        condition = parts[0]
        for part in parts[1:]:
            condition |= part
        return condition

    def notes_for(self, clause_id: str) -> list[str]:
        """In words, which records of this kind evidence `clause_id`."""
        notes = []
        if clause_id in self.rules:
            notes.append(self.rules[clause_id].note or f"every {self.evidence_note}")
        if self.listed is not None:
            notes.append(self.listed.note)
        return notes

    # Querysets --------------------------------------------------------------------------------

    def base(self) -> models.QuerySet:
        """The kind's evidence records, annotated with `evidence_date` (what places them in a period)."""
        date = F(self.date) if isinstance(self.date, str) else self.date
        queryset = self.model._default_manager.filter(self.evidence).annotate(evidence_date=date)
        if self.span is not None:
            until = self.span.until
            if until is None:
                output = models.DateTimeField() if self.span.is_datetime else models.DateField()
                until = models.Value(None, output_field=output)
            queryset = queryset.annotate(evidence_until=F(until) if isinstance(until, str) else until)
        return queryset

    def rows_queryset(self) -> models.QuerySet:
        """`base()` with what a row shows loaded: related records and the department's id and name."""
        queryset = self.base().select_related(*self.related)
        if self.department:
            return queryset.annotate(
                evidence_department_id=F(self.department),
                evidence_department_name=F(f"{self.department}__name"),
                evidence_department_count=models.Value(1),
            )
        if self.departments_m2m:
            through, source, target = self._through()
            links = through.objects.filter(**{source: OuterRef("pk")})
            first = links.order_by(f"{target}__name")
            count = links.order_by().values(source).annotate(n=Count("pk")).values("n")
            return queryset.annotate(
                evidence_department_id=Subquery(first.values(target)[:1]),
                evidence_department_name=Subquery(first.values(f"{target}__name")[:1]),
                evidence_department_count=Subquery(count),
            )
        return queryset.annotate(
            evidence_department_id=models.Value(None, output_field=models.IntegerField()),
            evidence_department_name=models.Value("", output_field=models.CharField()),
            evidence_department_count=models.Value(0),
        )

    def _through(self):
        m2m = self.model._meta.get_field(self.departments_m2m)
        return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()

    def in_period(self, queryset, start: datetime.date | None, end: datetime.date | None):
        """Records that were evidence from `start` to `end` (both included, local dates).

        A record dated once falls in the period when its date does; a lasting record (`span`) when
        it started by the end of the period and had not stopped before its start.
        """
        lookup = "evidence_date__date" if self.date_is_datetime else "evidence_date"
        if end is not None:
            queryset = queryset.filter(**{f"{lookup}__lte": end})
        if start is not None:
            if self.span is None:
                queryset = queryset.filter(**{f"{lookup}__gte": start})
            elif self.span.until is not None:
                until = "evidence_until__date" if self.span.is_datetime else "evidence_until"
                queryset = queryset.filter(Q(evidence_until__isnull=True) | Q(**{f"{until}__gte": start}))
        return queryset

    def in_departments(self, queryset, department_ids: list[int] | None):
        """Records of these departments; records of no department are left out once a department is chosen."""
        if department_ids is None:
            return queryset
        if self.department:
            return queryset.filter(**{f"{self.department}__in": department_ids})
        if self.departments_m2m:
            through, source, target = self._through()
            return queryset.filter(pk__in=through.objects.filter(**{f"{target}__in": department_ids}).values(source))
        return queryset.none()

    def search_q(self, text: str) -> Q:
        condition = NEVER
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": text})
        if text.isdigit():
            condition |= Q(pk=int(text))
        return condition

    # Rows ---------------------------------------------------------------------------------------

    def row(self, obj, clause_id: str | None = None, *, mapped: bool = True, tag=None) -> EvidenceRow:
        value = obj.evidence_date
        at = timezone.localtime(value) if isinstance(value, datetime.datetime) else None
        until = getattr(obj, "evidence_until", None)
        if isinstance(until, datetime.datetime):
            until = timezone.localdate(until)
        department = obj.evidence_department_name or ""
        others = (obj.evidence_department_count or 0) - 1
        if department and others > 0:
            department = f"{department} and {others} more"
        return EvidenceRow(
            kind=self.key,
            kind_label=self.label,
            object_id=obj.pk,
            title=self.title(obj),
            date=at.date() if at else value,
            at=at,
            department_id=obj.evidence_department_id,
            department=department,
            url=self.url(obj, clause_id),
            status=self.status(obj),
            mapped=mapped,
            tag=tag,
            lasting=self.span is not None,
            until=until,
        )
