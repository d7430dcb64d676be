"""Reads of the clause catalogue: the evidence of each requirement item, and the items a record evidences.

Query counts do not grow with the number of records: one query per kind of record that can
evidence the item (see `evidence.mapping`), plus one for the hand-made tags.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.fields import BooleanField
from django.utils import timezone

from evidence.mapping import KINDS, NEVER, EvidenceRow, Kind, kind_for_model
from evidence.models.clauses import Clause, EvidenceTag
from leadership.models import Department

DEFAULT_PAGE_SIZE = 50


def last_twelve_months(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The period the catalogue counts by default: the twelve months up to and including today."""
    today = today or timezone.localdate()
    try:
        a_year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        a_year_ago = today.replace(year=today.year - 1, day=28)
    return a_year_ago + datetime.timedelta(days=1), today


def department_ids_within(department: Department | int | None) -> list[int] | None:
    """The department and every department under it (one query), or None for no department filter."""
    if department is None:
        return None
    root = department.pk if isinstance(department, Department) else int(department)
    children = defaultdict(list)
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = [], [root]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, ()))
    return found


def clause_list() -> QuerySet[Clause]:
    return Clause.objects.order_by("order")


def clause_get(pk: str) -> Clause:
    return Clause.objects.get(pk=pk)


# Hand-made tags ------------------------------------------------------------------------------------


def _tag_ids_by_kind(tags) -> dict[str, dict[int, EvidenceTag]]:
    """{kind key: {record id: tag}} for tags on records of mapped kinds with numeric ids."""
    found = defaultdict(dict)
    for tag in tags:
        key = f"{tag.content_type.app_label}.{tag.content_type.model}"
        if tag.object_id.isdigit():
            found[key][int(tag.object_id)] = tag
    return found


def clause_tags(clause_id: str) -> QuerySet[EvidenceTag]:
    """The tags in force on an item, with who made them."""
    return EvidenceTag.objects.active().filter(clause_id=clause_id).select_related("content_type", "tagged_by")


def removed_tags(clause_id: str) -> QuerySet[EvidenceTag]:
    """Tags removed from an item, newest removal first: the trail of what no longer counts, and why."""
    return (
        EvidenceTag.objects.filter(clause_id=clause_id, removed_at__isnull=False)
        .select_related("content_type", "tagged_by", "removed_by")
        .order_by("-removed_at", "-pk")
    )


# Evidence of one item -------------------------------------------------------------------------------


@dataclass
class EvidencePage:
    """One page of an item's evidence, newest first, with the totals behind it."""

    rows: list[EvidenceRow]
    total: int
    offset: int
    limit: int
    # (kind, number of records) for the kinds with evidence in the filtered period, registry order.
    by_kind: list[tuple[Kind, int]] = field(default_factory=list)


def _filtered(kind: Kind, queryset, period_start, period_end, department_ids):
    return kind.in_departments(kind.in_period(queryset, period_start, period_end), department_ids)


def evidence_for_clause(
    clause_id: str,
    *,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    department: Department | int | None = None,
    kinds: tuple[Kind, ...] | None = None,
    offset: int = 0,
    limit: int = DEFAULT_PAGE_SIZE,
) -> EvidencePage:
    """Every record that evidences `clause_id`, newest first: those the mapping names and those tagged by hand.

    Dates are local dates of the organisation, both ends included. A department filter keeps the
    records of that department and the departments under it. `kinds` limits the search to the
    kinds a user may see. One query for the tags, then one per kind that can hold evidence of the
    item (each fetches at most `offset + limit` rows and counts the rest with a window function).
    """
    kinds = KINDS if kinds is None else kinds
    department_ids = department_ids_within(department)
    tags_by_kind = _tag_ids_by_kind(clause_tags(clause_id))
    fetched, by_kind = [], []
    for kind in kinds:
        mapped = kind.clause_q(clause_id)
        tagged = tags_by_kind.get(kind.key, {})
        if mapped is None and not tagged:
            continue
        condition = mapped if mapped is not None else NEVER
        if tagged:
            condition |= Q(pk__in=list(tagged))
        queryset = _filtered(kind, kind.rows_queryset().filter(condition), period_start, period_end, department_ids)
        queryset = queryset.annotate(
            evidence_mapped=Case(When(mapped, then=Value(True)), default=Value(False), output_field=BooleanField())
            if mapped is not None
            else Value(False, output_field=BooleanField()),
            evidence_total=Window(Count("pk")),
        ).order_by(F("evidence_date").desc(), "-pk")
        records = list(queryset[: offset + limit])
        if not records:
            continue
        by_kind.append((kind, records[0].evidence_total))
        fetched.extend(kind.row(obj, clause_id, mapped=obj.evidence_mapped, tag=tagged.get(obj.pk)) for obj in records)
    fetched.sort(key=lambda row: (row.sort_key, _KIND_ORDER[row.kind]), reverse=True)
    return EvidencePage(
        rows=fetched[offset : offset + limit],
        total=sum(n for _kind, n in by_kind),
        offset=offset,
        limit=limit,
        by_kind=by_kind,
    )


_KIND_ORDER = {kind.key: n for n, kind in enumerate(KINDS)}


# Counts per item -------------------------------------------------------------------------------------


def evidence_counts(
    *,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    department: Department | int | None = None,
    kinds: tuple[Kind, ...] | None = None,
    clause_ids: list[str] | None = None,
) -> dict[str, int]:
    """{requirement id: number of records evidencing it in the period}, for every item of the catalogue.

    One query for the catalogue (unless `clause_ids` is given), one for the tags, then one per
    kind: an aggregate with one filtered count per distinct condition, or, for kinds whose
    records list their items (`Listed`), the lists themselves, counted in Python.
    """
    kinds = KINDS if kinds is None else kinds
    if clause_ids is None:
        clause_ids = list(clause_list().values_list("pk", flat=True))
    department_ids = department_ids_within(department)
    tagged = defaultdict(set)
    for clause_id, app_label, model, object_id in EvidenceTag.objects.active().values_list(
        "clause_id", "content_type__app_label", "content_type__model", "object_id"
    ):
        if object_id.isdigit():
            tagged[(f"{app_label}.{model}", clause_id)].add(int(object_id))
    counts = dict.fromkeys(clause_ids, 0)
    for kind in kinds:
        queryset = _filtered(kind, kind.base(), period_start, period_end, department_ids)
        tags = {clause_id: tagged.get((kind.key, clause_id)) for clause_id in clause_ids}
        if kind.listed is not None:
            _count_listed(kind, queryset, clause_ids, tags, counts)
        else:
            _count_by_rule(kind, queryset, clause_ids, tags, counts)
    return counts


def _count_by_rule(kind: Kind, queryset, clause_ids: list[str], tags: dict, counts: dict[str, int]) -> None:
    """One aggregate with a filtered count per distinct condition: items sharing a rule share its count."""
    conditions: list[tuple[Q, list[str]]] = []
    for clause_id in clause_ids:
        mapped = kind.clause_q(clause_id)
        ids = tags[clause_id]
        if mapped is None and not ids:
            continue
        condition = mapped if mapped is not None else NEVER
        if ids:
            condition |= Q(pk__in=sorted(ids))
        for known, sharing in conditions:
            if known == condition:
                sharing.append(clause_id)
                break
        else:
            conditions.append((condition, [clause_id]))
    if not conditions:
        return
    result = queryset.aggregate(**{f"c{n}": Count("pk", filter=cond) for n, (cond, _ids) in enumerate(conditions)})
    for n, (_condition, sharing) in enumerate(conditions):
        for clause_id in sharing:
            counts[clause_id] += result[f"c{n}"] or 0


def _count_listed(kind: Kind, queryset, clause_ids: list[str], tags: dict, counts: dict[str, int]) -> None:
    """Kinds whose records name their items in a JSON list: one query for the lists, counted here.

    A filtered count per item would be one JSON containment test per item and row; reading the
    lists (with a flag per rule) once is cheaper at any size, and the rules stay the same `Q`s.
    """
    listed = kind.listed
    rule_ids = [clause_id for clause_id in clause_ids if clause_id in kind.rules]

    def flag(condition: Q):
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    flags = {f"rule_{n}": flag(kind.rules[clause_id].when) for n, clause_id in enumerate(rule_ids)}
    flags["listed_when"] = flag(listed.when)
    rows = queryset.annotate(**flags).values_list("pk", listed.field, *flags)
    wanted = set(clause_ids)
    for pk, items, *values in rows:
        matched = {clause_id for clause_id, flag in zip(rule_ids, values, strict=False) if flag}
        if values[-1] and isinstance(items, list):
            matched.update(item for item in items if item in wanted)
        matched.update(clause_id for clause_id, ids in tags.items() if ids and pk in ids)
        for clause_id in matched:
            counts[clause_id] += 1


@dataclass
class ClauseGroup:
    """A clause of the standard (e.g. 5.1.1) with its requirement items, as the catalogue page shows it."""

    group: str
    title: str
    items: list[Clause]

    @property
    def without_evidence(self) -> int:
        return sum(1 for item in self.items if not getattr(item, "evidence_count", 0))


def clause_catalogue(
    *,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    department: Department | int | None = None,
    kinds: tuple[Kind, ...] | None = None,
) -> list[ClauseGroup]:
    """The catalogue grouped by clause, each item with `evidence_count` for the period (default: last 12 months)."""
    if period_start is None and period_end is None:
        period_start, period_end = last_twelve_months()
    clauses = list(clause_list())
    counts = evidence_counts(
        period_start=period_start,
        period_end=period_end,
        department=department,
        kinds=kinds,
        clause_ids=[c.pk for c in clauses],
    )
    groups: dict[str, ClauseGroup] = {}
    for clause in clauses:
        clause.evidence_count = counts.get(clause.pk, 0)
        groups.setdefault(clause.group, ClauseGroup(clause.group, clause.group_title, [])).items.append(clause)
    return list(groups.values())


def clause_coverage(*, kinds: tuple[Kind, ...] | None = None, today: datetime.date | None = None) -> dict:
    """Head-line figures for the dashboard: items with and without evidence in the last twelve months."""
    start, end = last_twelve_months(today)
    groups = clause_catalogue(period_start=start, period_end=end, kinds=kinds)
    items = [item for group in groups for item in group.items]
    missing = [item for item in items if not item.evidence_count]
    return {
        "total": len(items),
        "covered": len(items) - len(missing),
        "missing": missing,
        "period_start": start,
        "period_end": end,
    }


# The items one record evidences ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecordClause:
    """A requirement item a record evidences: through the mapping, a hand-made tag, or both."""

    clause: Clause
    mapped: bool
    tag: EvidenceTag | None


def clauses_for_record(record) -> list[RecordClause]:
    """The items `record` evidences, in catalogue order ("Evidences: 5.2.1.a, 5.2.2.a, ..."), in three queries.

    A record of a kind the mapping does not know evidences only what it is tagged to.
    """
    clauses = list(clause_list())
    kind = kind_for_model(record)
    mapped = set()
    if kind is not None and record.pk is not None:
        aggregates = {}
        for n, clause in enumerate(clauses):
            condition = kind.clause_q(clause.pk)
            if condition is not None:
                aggregates[f"item_{n}"] = Count("pk", filter=condition)
        if aggregates:
            result = kind.model._default_manager.filter(kind.evidence, pk=record.pk).aggregate(**aggregates)
            mapped = {clauses[int(alias.removeprefix("item_"))].pk for alias, value in result.items() if value}
    tags = {}
    if record.pk is not None:
        opts = record._meta
        tags = {
            tag.clause_id: tag
            for tag in EvidenceTag.objects.active()
            .filter(
                content_type__app_label=opts.app_label, content_type__model=opts.model_name, object_id=str(record.pk)
            )
            .select_related("tagged_by")
        }
    return [
        RecordClause(clause=clause, mapped=clause.pk in mapped, tag=tags.get(clause.pk))
        for clause in clauses
        if clause.pk in mapped or clause.pk in tags
    ]


# Finding records to tag --------------------------------------------------------------------------------


def record_search(kind: Kind, text: str = "", *, clause_id: str | None = None, limit: int = 20) -> list[EvidenceRow]:
    """Evidence-grade records of `kind` matching `text`, newest first, for the tagging form.

    With `clause_id`, records that already evidence the item (by the mapping or a tag) are left
    out: tagging them would add nothing.
    """
    queryset = kind.rows_queryset()
    text = (text or "").strip()
    if text:
        queryset = queryset.filter(kind.search_q(text))
    if clause_id:
        mapped = kind.clause_q(clause_id)
        if mapped is not None:
            queryset = queryset.exclude(mapped)
        app_label, model = kind.key.split(".")
        tagged = [
            int(pk)
            for pk in EvidenceTag.objects.active()
            .filter(clause_id=clause_id, content_type__app_label=app_label, content_type__model=model)
            .values_list("object_id", flat=True)
            if pk.isdigit()
        ]
        if tagged:
            queryset = queryset.exclude(pk__in=tagged)
    records = queryset.order_by(F("evidence_date").desc(), "-pk")[:limit]
    return [kind.row(obj, clause_id, mapped=False) for obj in records]


__all__ = [
    "ClauseGroup",
    "EvidencePage",
    "RecordClause",
    "clause_catalogue",
    "clause_coverage",
    "clause_get",
    "clause_list",
    "clause_tags",
    "clauses_for_record",
    "department_ids_within",
    "evidence_counts",
    "evidence_for_clause",
    "last_twelve_months",
    "record_search",
    "removed_tags",
]
