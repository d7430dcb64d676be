"""Selectors of the quality policy (5.2): versions, approval, publication, acknowledgements, shared copies."""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery

from leadership.models import Person
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.roles import Role

Status = PolicyVersion.Status

# Versions ----------------------------------------------------------------------------------


def policy_version_list() -> QuerySet[PolicyVersion]:
    """Versions with author, signatures and the number of in-scope acknowledgements, newest first."""
    return (
        PolicyVersion.objects.select_related(
            "author",
            "author_signature",
            "approval_signature",
            "published_by",
            "rejected_by",
            "superseded_by",
            "based_on",
        )
        .annotate(
            acknowledgement_count=Count(
                "acknowledgements", filter=Q(acknowledgements__person__in=staff_in_scope()), distinct=True
            )
        )
        .order_by("-number")
    )


def policy_version_get(pk) -> PolicyVersion:
    return policy_version_list().get(pk=pk)


def policy_version_published() -> PolicyVersion | None:
    """The version in force, or None before the first is published."""
    return policy_version_list().filter(status=Status.PUBLISHED).first()


def policy_version_choices() -> QuerySet[PolicyVersion]:
    """Versions for the compare page's drop-downs: number and title only."""
    return PolicyVersion.objects.only("pk", "number", "title", "status").order_by("-number")


# Who is asked to acknowledge ---------------------------------------------------------------


def staff_in_scope() -> QuerySet[Person]:
    """The people asked to acknowledge the policy: active accounts, except external auditors.

    An account whose only role is Auditor belongs to someone who reads the records (an external
    certification auditor); the policy is communicated to the organisation's own people (5.2.2.b).
    """
    memberships = get_user_model().groups.through.objects
    auditor = memberships.filter(user_id=OuterRef("user_id"), group__name=Role.AUDITOR)
    other_role = memberships.filter(user_id=OuterRef("user_id")).exclude(group__name=Role.AUDITOR)
    return Person.objects.filter(user__is_active=True).exclude(Q(Exists(auditor)) & ~Q(Exists(other_role)))


def acknowledgements_in_scope(version: PolicyVersion) -> QuerySet[PolicyAcknowledgement]:
    return PolicyAcknowledgement.objects.filter(version=version, person__in=staff_in_scope())


def people_not_acknowledged(version: PolicyVersion) -> QuerySet[Person]:
    acknowledged = PolicyAcknowledgement.objects.filter(version=version, person=OuterRef("pk"))
    return staff_in_scope().exclude(Exists(acknowledged)).select_related("user", "department")


def acknowledgement_list() -> QuerySet[PolicyAcknowledgement]:
    """Acknowledgements with the person, their department and the version, newest first."""
    return PolicyAcknowledgement.objects.select_related("person__user", "person__department", "version").order_by(
        "-acknowledged_at", "-pk"
    )


def acknowledgement_of(*, user, version: PolicyVersion | None) -> PolicyAcknowledgement | None:
    if version is None or not user.is_authenticated:
        return None
    return PolicyAcknowledgement.objects.filter(person__user=user, version=version).first()


@dataclass
class Coverage:
    """How many of the people in scope acknowledged a version: overall and per department."""

    version: PolicyVersion
    acknowledged: int = 0
    total: int = 0
    departments: list[dict] = field(default_factory=list)
    pending: list[Person] = field(default_factory=list)
    done: list[Person] = field(default_factory=list)

    @property
    def percent(self) -> int:
        # Rounded down: 100% only when everyone has acknowledged.
        return self.acknowledged * 100 // self.total if self.total else 0

    @property
    def missing(self) -> int:
        return self.total - self.acknowledged

    def as_text(self) -> str:
        return f"{self.acknowledged} of {self.total}, {self.percent}%"


def _percent(part: int, whole: int) -> int:
    return part * 100 // whole if whole else 0


def policy_coverage(version: PolicyVersion) -> Coverage:
    """Acknowledgement coverage of `version` among the people in scope, in two queries.

    Each person comes with `acknowledged_at` (this version) and `last_acknowledged_number` (the
    latest version they did acknowledge), so the page can say who only read an older one.
    """
    this_version = PolicyAcknowledgement.objects.filter(version=version, person=OuterRef("pk"))
    latest = (
        PolicyAcknowledgement.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(n=Max("version__number"))
        .values("n")
    )
    people = list(
        staff_in_scope()
        .select_related("user", "department")
        .annotate(
            acknowledged_at=Subquery(this_version.values("acknowledged_at")[:1]),
            last_acknowledged_number=Subquery(latest, output_field=IntegerField()),
        )
        .order_by("department__name", "user__last_name", "user__first_name")
    )
    coverage = Coverage(version=version, total=len(people))
    by_department: dict = {}
    for person in people:
        key = person.department_id
        row = by_department.setdefault(
            key, {"department": person.department, "total": 0, "acknowledged": 0, "percent": 0}
        )
        row["total"] += 1
        if person.acknowledged_at is not None:
            row["acknowledged"] += 1
            coverage.acknowledged += 1
            coverage.done.append(person)
        else:
            coverage.pending.append(person)
    for row in by_department.values():
        row["percent"] = _percent(row["acknowledged"], row["total"])
        row["missing"] = row["total"] - row["acknowledged"]
    # Departments by name; people without a department last.
    coverage.departments = sorted(
        by_department.values(), key=lambda r: (r["department"] is None, r["department"].name if r["department"] else "")
    )
    coverage.done.sort(key=lambda p: p.acknowledged_at, reverse=True)
    return coverage


def policy_coverage_figures(version: PolicyVersion | None) -> dict | None:
    """Acknowledged / in scope / percent of one version, in two count queries (for lists and panels)."""
    if version is None:
        return None
    total = staff_in_scope().count()
    acknowledged = acknowledgements_in_scope(version).count()
    return {"acknowledged": acknowledged, "total": total, "percent": _percent(acknowledged, total)}


def policy_dashboard(user) -> dict:
    """The home page panel: the policy in force, the user's own acknowledgement and, for those who
    may see it, the coverage."""
    published = PolicyVersion.objects.filter(status=Status.PUBLISHED).select_related("approval_signature").first()
    context = {"published": published, "acknowledgement": acknowledgement_of(user=user, version=published)}
    if published is not None and user.has_perm("leadership.view_policyversion"):
        context["coverage"] = policy_coverage_figures(published)
    return context


# Share links --------------------------------------------------------------------------------


def share_link_list() -> QuerySet[PolicyShareLink]:
    return PolicyShareLink.objects.select_related("version", "created_by", "revoked_by").order_by(
        "revoked_at", "-created_at", "-pk"
    )


def share_link_for_token(token: str) -> PolicyShareLink | None:
    """The link behind a public URL, only while it is valid: not revoked and its version still published."""
    return (
        PolicyShareLink.objects.select_related("version__approval_signature", "version__author_signature")
        .filter(token=token, revoked_at__isnull=True, version__status=Status.PUBLISHED)
        .first()
    )


# Differences between two versions ----------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffPart:
    """A run of text that is the same in both versions, inserted in the newer or deleted from the older."""

    op: str  # "equal", "insert" or "delete"
    text: str


# Equal runs of at most this many words between two changes are folded into the change:
# "~~our customers rely on~~ ~~us~~" reads better as one deleted phrase than as confetti.
_FOLD_WORDS = 3


def _words(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not t.isspace())


def text_diff(old: str, new: str) -> list[DiffPart]:
    """Word-level differences, whitespace and line breaks kept, so the text reads as written.

    Joining the equal and deleted parts gives the old text back; the equal and inserted parts, the new.
    """
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    # Each segment: ("equal", tokens) or ("change", deleted tokens, inserted tokens).
    segments: list[tuple] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", a[i1:i2]))
        else:
            segments.append(("change", a[i1:i2], b[j1:j2]))
    merged: list[tuple] = []
    for segment in segments:
        if segment[0] == "change" and merged and merged[-1][0] == "change":
            _, d, i = merged.pop()
            segment = ("change", d + segment[1], i + segment[2])
        elif (
            segment[0] == "change"
            and len(merged) >= 2
            and merged[-2][0] == "change"
            and _words(merged[-1][1]) <= _FOLD_WORDS
            and not any("\n" in t for t in merged[-1][1])
        ):
            equal = merged.pop()[1]
            _, d, i = merged.pop()
            segment = ("change", d + equal + segment[1], i + equal + segment[2])
        merged.append(segment)
    parts: list[DiffPart] = []
    for segment in merged:
        if segment[0] == "equal":
            parts.append(DiffPart("equal", "".join(segment[1])))
            continue
        if segment[1]:
            parts.append(DiffPart("delete", "".join(segment[1])))
        if segment[2]:
            parts.append(DiffPart("insert", "".join(segment[2])))
    return parts


def policy_version_compare(older: PolicyVersion, newer: PolicyVersion) -> dict:
    """The differences between two versions, field by field, with word counts of what changed."""
    fields = [
        ("Title", "title"),
        ("Policy text", "text"),
        ("Strategy and context", "strategy_context"),
    ]
    rows = []
    for label, name in fields:
        parts = text_diff(getattr(older, name), getattr(newer, name))
        changed = any(p.op != "equal" for p in parts)
        rows.append(
            {
                "label": label,
                "parts": parts,
                "changed": changed,
                "inserted": sum(len(p.text.split()) for p in parts if p.op == "insert"),
                "deleted": sum(len(p.text.split()) for p in parts if p.op == "delete"),
            }
        )
    confirmations = [
        {
            "requirement_id": o["requirement_id"],
            "text": o["text"],
            "older": o["confirmed"],
            "newer": n["confirmed"],
        }
        for o, n in zip(older.confirmations(), newer.confirmations(), strict=True)
    ]
    return {"older": older, "newer": newer, "fields": rows, "confirmations": confirmations}
