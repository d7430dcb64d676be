"""Reads of the leadership app: querysets shaped for their pages, with no N+1."""

from collections import defaultdict

from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch, Q, QuerySet

from leadership.models import Department, Person
from leadership.roles import ROLE_DESCRIPTIONS, ROLE_ORDER, SIGNING_PERMISSIONS, TWO_FACTOR_ROLES


def _groups_prefetch() -> Prefetch:
    return Prefetch("user__groups", queryset=Group.objects.only("id", "name"))


def department_list() -> QuerySet[Department]:
    """Departments with their parent, head and active head-count, for lists and the API."""
    return (
        Department.objects.select_related("parent", "head__user")
        .annotate(people_count=Count("people", filter=Q(people__user__is_active=True), distinct=True))
        .order_by("name")
    )


def department_get(pk) -> Department:
    return department_list().get(pk=pk)


def person_list() -> QuerySet[Person]:
    """People with account, department, manager and roles loaded in a fixed number of queries."""
    return Person.objects.select_related("user", "department", "manager__user").prefetch_related(_groups_prefetch())


def person_get(pk) -> Person:
    return person_list().get(pk=pk)


def person_roles(person: Person) -> list[str]:
    """The person's roles, strongest first (uses the prefetched groups)."""
    names = {g.name for g in person.user.groups.all()}
    return [r.value for r in ROLE_ORDER if r.value in names]


def two_factor_required(user) -> bool:
    """Whether the user's roles call for two-factor authentication: top management, and whoever may sign.

    Registered with qms.two_factor (LeadershipConfig.ready()); evaluated once per login.
    """
    if not user.is_active:
        return False
    if user.groups.filter(name__in=TWO_FACTOR_ROLES).exists():
        return True
    permissions = user.get_all_permissions()
    return any(p in permissions for p in SIGNING_PERMISSIONS)


def role_overview() -> list[dict]:
    """Each role with its members, for the roles page."""
    people = list(person_list().filter(user__is_active=True))
    members = {role.value: [] for role in ROLE_ORDER}
    for person in people:
        for name in person_roles(person):
            members[name].append(person)
    return [
        {"role": role, "description": ROLE_DESCRIPTIONS[role], "members": members[role.value]} for role in ROLE_ORDER
    ]


def organisation_figures() -> dict:
    """Head-line figures of the home dashboard."""
    people = Person.objects.filter(user__is_active=True)
    counts = dict(
        Group.objects.filter(name__in=[r.value for r in ROLE_ORDER])
        .annotate(n=Count("user", filter=Q(user__is_active=True)))
        .values_list("name", "n")
    )
    return {
        "people": people.count(),
        "departments": Department.objects.filter(is_active=True).count(),
        "without_department": people.filter(department__isnull=True).count(),
        "role_counts": {r.value: counts.get(r.value, 0) for r in ROLE_ORDER},
        "roles_in_use": sum(1 for r in ROLE_ORDER if counts.get(r.value)),
    }


HISTORY_HIDDEN = ["version"]


def history_for(instance, limit: int = 50) -> list[dict]:
    """The change history of a record, newest first, with the fields each change touched.

    Foreign keys and many-to-many fields (an account's roles) are shown by the names of the
    records they point at, looked up in one query per related model.
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    rows, wanted = [], defaultdict(set)
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            # The version moves on every save; it is how edits are locked, not a change anyone made.
            for change in newer.diff_against(older, excluded_fields=HISTORY_HIDDEN).changes:
                field = instance._meta.get_field(change.field)
                if field.is_relation and (field.many_to_one or field.one_to_one):
                    wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
                elif field.many_to_many:
                    # simple-history gives m2m values as lists of through-row dicts.
                    key = field.related_model._meta.model_name
                    for rows_ in (change.old or [], change.new or []):
                        wanted[field.related_model].update(r[key] for r in rows_ if r.get(key) is not None)
                changes.append((field, change.old, change.new))
        rows.append({"record": newer, "changes": changes})
    names = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)} for model, ids in wanted.items()
    }

    def shown(field, value):
        if value is None or value == "":
            return ""
        if field.many_to_many:
            key = field.related_model._meta.model_name
            return ", ".join(sorted(names.get(field.related_model, {}).get(r[key], "?") for r in value)) or ""
        if field.is_relation:
            return names.get(field.related_model, {}).get(value, f"#{value} (deleted)")
        return value

    for row in rows:
        row["changes"] = [
            (str(field.verbose_name), shown(field, old), shown(field, new)) for field, old, new in row["changes"]
        ]
    return rows[:limit]
