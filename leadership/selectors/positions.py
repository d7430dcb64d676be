"""Reads of roles, responsibilities and authorities (5.3), shaped for their pages with no N+1."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from leadership.models import Person
from leadership.models.positions import (
    CLAUSE_53_ITEMS,
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
    catalogue_sorted,
)
from qms.iso import BY_ID


def _acknowledgements_of_holding():
    return PositionAcknowledgement.objects.filter(position=OuterRef("position"), person=OuterRef("person"))


def _with_acknowledgement_state(holdings: QuerySet[PositionHolder]) -> QuerySet[PositionHolder]:
    """Annotate each holding with whether its person acknowledged the position's current revision,
    when, and the latest revision they acknowledged at all."""
    current = _acknowledgements_of_holding().filter(revision=OuterRef("position__revision"))
    return holdings.annotate(
        acknowledged_current=Exists(current),
        acknowledged_current_at=Subquery(current.values("acknowledged_at")[:1]),
        last_acknowledged_revision=Subquery(
            _acknowledgements_of_holding().order_by("-revision").values("revision")[:1]
        ),
    )


def holding_list(*, day: datetime.date | None = None, current_only: bool = False) -> QuerySet[PositionHolder]:
    """Holdings with their person, position and acknowledgement state."""
    holdings = PositionHolder.objects.current(day) if current_only else PositionHolder.objects.all()
    return _with_acknowledgement_state(
        holdings.select_related("person__user", "position__department").order_by(
            "position__title", "person__user__last_name", "person__user__first_name", "-start_date"
        )
    )


def holding_get(pk) -> PositionHolder:
    return holding_list().get(pk=pk)


def position_list(*, day: datetime.date | None = None) -> QuerySet[Position]:
    """Positions with department, superior, and their current holders (`current_holders`, each with
    its acknowledgement state), in a fixed number of queries; annotated `has_holder`."""
    day = day or timezone.localdate()
    return (
        Position.objects.select_related("department", "reports_to")
        .annotate(has_holder=Exists(PositionHolder.objects.current(day).filter(position=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("holdings", queryset=holding_list(day=day, current_only=True), to_attr="current_holders")
        )
        .order_by("department__name", "title", "pk")
    )


def position_detail() -> QuerySet[Position]:
    """Positions with everything the detail page shows: every holding, past and future too."""
    return position_list().prefetch_related(
        Prefetch("holdings", queryset=holding_list().order_by("-start_date", "pk"), to_attr="all_holdings"),
        Prefetch("direct_reports", queryset=Position.objects.filter(is_active=True).order_by("title")),
    )


def position_get(pk) -> Position:
    return position_detail().get(pk=pk)


def position_open_holdings(position: Position, day: datetime.date | None = None) -> QuerySet[PositionHolder]:
    """Holdings of a position in force on `day` or starting later."""
    return PositionHolder.objects.not_ended(day).filter(position=position).select_related("person__user")


def position_acknowledgements(position: Position) -> QuerySet[PositionAcknowledgement]:
    """The acknowledgement log of a position, newest first."""
    return PositionAcknowledgement.objects.filter(position=position).select_related("person__user")


def pending_acknowledgements(*, day: datetime.date | None = None) -> QuerySet[PositionHolder]:
    """Current holdings of active positions by active people whose current revision is not acknowledged."""
    return holding_list(day=day, current_only=True).filter(
        acknowledged_current=False, position__is_active=True, person__user__is_active=True
    )


def my_positions(person: Person | None, *, day: datetime.date | None = None) -> QuerySet[PositionHolder]:
    """The positions a person holds now or will hold, with the description and its acknowledgement state."""
    if person is None:
        return PositionHolder.objects.none()
    return _with_acknowledgement_state(
        PositionHolder.objects.not_ended(day)
        .filter(person=person, position__is_active=True)
        .select_related("position__department", "position__reports_to")
        .order_by("position__title", "start_date")
    )


# The responsibility matrix --------------------------------------------------------------------------


def responsibility_matrix(*, day: datetime.date | None = None) -> dict:
    """Active positions against the 5.3 items and every other ISO item a position carries, with the gaps.

    Gaps, in the words the page shows: a 5.3 item assigned to no position; a 5.3 item assigned only
    to positions nobody holds; a position with no holder; a holder who has not acknowledged the
    current revision of their description. Runs two queries whatever the number of positions.
    """
    positions = list(position_list(day=day).filter(is_active=True))
    carried = {i for p in positions for i in p.requirement_ids if i in BY_ID}
    others = [i for i in catalogue_sorted(carried) if i not in CLAUSE_53_ITEMS]
    column_ids = [*CLAUSE_53_ITEMS, *others]

    holders_of = {i: [p for p in positions if i in p.requirement_ids] for i in column_ids}
    columns = [
        {
            "id": i,
            "text": BY_ID[i].text,
            "is_53": i in CLAUSE_53_ITEMS,
            "assigned": bool(holders_of[i]),
            "held": any(p.current_holders for p in holders_of[i]),
        }
        for i in column_ids
    ]
    rows = []
    for position in positions:
        holders = position.current_holders
        rows.append(
            {
                "position": position,
                "holders": holders,
                "cells": [{"id": i, "assigned": i in position.requirement_ids} for i in column_ids],
                "no_holder": not holders,
                "not_acknowledged": [h for h in holders if not h.acknowledged_current],
            }
        )

    gaps = []
    for i in CLAUSE_53_ITEMS:
        if not holders_of[i]:
            gaps.append(
                {
                    "kind": "unassigned",
                    "requirement_id": i,
                    "message": f"{i} is assigned to no position ({BY_ID[i].text}).",
                }
            )
        elif not any(p.current_holders for p in holders_of[i]):
            titles = ", ".join(p.title for p in holders_of[i])
            gaps.append(
                {
                    "kind": "unheld",
                    "requirement_id": i,
                    "message": f"{i} is assigned only to positions nobody holds: {titles}.",
                }
            )
    for row in rows:
        position = row["position"]
        if row["no_holder"]:
            gaps.append(
                {"kind": "no-holder", "position_id": position.pk, "message": f"{position.title} has no holder."}
            )
        for holder in row["not_acknowledged"]:
            gaps.append(
                {
                    "kind": "not-acknowledged",
                    "position_id": position.pk,
                    "person_id": holder.person_id,
                    "revision": position.revision,
                    "message": f"{position.title}: {holder.person.full_name} has not acknowledged "
                    f"revision {position.revision}.",
                }
            )
    return {
        "columns": columns,
        "rows": rows,
        "gaps": gaps,
        "unassigned_items": [g["requirement_id"] for g in gaps if g["kind"] == "unassigned"],
        "positions_without_holder": [r["position"] for r in rows if r["no_holder"]],
        "pending_acknowledgements": [h for r in rows for h in r["not_acknowledged"]],
    }


def roles_dashboard_figures(*, user=None) -> dict:
    """Head-line figures for a dashboard panel: the 5.3 gaps, the management representative in force,
    and (given the signed-in `user`) the descriptions they still have to acknowledge."""
    matrix = responsibility_matrix()
    person = Person.objects.filter(user=user).first() if user is not None and user.is_authenticated else None
    return {
        "my_pending": list(my_positions(person).filter(acknowledged_current=False)),
        "unassigned_items": matrix["unassigned_items"],
        "positions_without_holder": len(matrix["positions_without_holder"]),
        "pending_acknowledgements": len(matrix["pending_acknowledgements"]),
        "positions": len(matrix["rows"]),
        "appointment": current_management_representative_appointment(),
    }


# The management representative ------------------------------------------------------------------


def appointment_list() -> QuerySet[ManagementRepresentativeAppointment]:
    """Appointments with the appointed person and the signature, for lists and the API."""
    return ManagementRepresentativeAppointment.objects.select_related(
        "person__user", "signature", "superseded_by__person__user"
    ).order_by("-start_date", "-pk")


def appointment_get(pk) -> ManagementRepresentativeAppointment:
    return appointment_list().get(pk=pk)


def current_management_representative_appointment() -> ManagementRepresentativeAppointment | None:
    """The signed appointment in force (at most one: the database allows only one signed at a time)."""
    return appointment_list().filter(status=ManagementRepresentativeAppointment.Status.SIGNED).first()
