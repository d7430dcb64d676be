"""The rules of minutes: starting, recording, decisions, actions, the chair's signature and amendments."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leadership.models.commitment import CommitmentEntry
from leadership.models.resources import ResourceRequest
from qms.exceptions import ApplicationError
from qms.models import Notification, Signature
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType, MinutesAmendment
from reviews.selectors import minutes as selectors
from reviews.services import minutes as services
from tests.conftest import PASSWORD
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.reviews.factories import AgendaItemFactory, MeetingFactory, MeetingTypeFactory
from tests.reviews.factories_minutes import complete, held_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _decision(meeting, actor, text="Add a second final inspector on nights.", **kwargs):
    return services.decision_add(actor=actor, meeting=meeting, text=text, **kwargs)


def _action(decision, actor, **kwargs):
    values = {
        "title": "Update WI-PRD-014",
        "owner": decision.meeting.chair,
        "due_date": TODAY() + datetime.timedelta(7),
    }
    return services.decision_action_add(actor=actor, decision=decision, **{**values, **kwargs})


# Starting ------------------------------------------------------------------------------------


def test_starting_a_planned_meeting_opens_its_minutes_with_the_time_and_the_minute_taker(qa):
    meeting = MeetingFactory()
    services.meeting_start(actor=qa, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert timezone.now() - meeting.held_at < datetime.timedelta(seconds=5)
    assert meeting.minute_taker == qa.person
    assert meeting.attendees.get(person=qa.person).status == Attendee.Status.PRESENT
    assert meeting.history.first().history_user == qa


def test_a_meeting_starts_once_and_never_in_the_future(qa):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.meeting_start(actor=qa, meeting=meeting, held_at=timezone.now() + datetime.timedelta(hours=1))
    assert "held_at" in exc.value.message_dict
    services.meeting_start(actor=qa, meeting=meeting)
    with pytest.raises(ApplicationError, match="already started"):
        services.meeting_start(actor=qa, meeting=meeting)


def test_only_minute_takers_start_a_meeting(employee, auditor):
    meeting = MeetingFactory()
    for user in (employee, auditor):
        with pytest.raises(PermissionDenied):
            services.meeting_start(actor=user, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_a_management_review_meeting_needs_its_review_and_freezes_its_inputs(qa, monkeypatch):
    review_type = MeetingTypeFactory(name="Management review", category=MeetingType.Category.MANAGEMENT_REVIEW)
    meeting = MeetingFactory(type=review_type)
    with pytest.raises(ApplicationError, match="Prepare the management review"):
        services.meeting_start(actor=qa, meeting=meeting)
    review = ManagementReview.objects.create(
        meeting=meeting, period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2026, 9, 30)
    )
    frozen = []
    monkeypatch.setattr(
        "reviews.services.management_reviews.management_review_freeze",
        lambda *, actor, review: frozen.append((actor, review)),
        raising=False,
    )
    services.meeting_start(actor=qa, meeting=meeting)
    assert frozen == [(qa, review)]


# Recording -----------------------------------------------------------------------------------


def test_nothing_is_recorded_before_the_meeting_starts(qa):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    with pytest.raises(ApplicationError, match="has not started"):
        services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap 2.1%")
    with pytest.raises(ApplicationError, match="has not started"):
        _decision(meeting, qa)


def test_attendance_is_marked_present_absent_or_apologies(qa, ceo, employee):
    meeting = held_meeting(chair=ceo, attendees=[employee.person])
    attendee = meeting.attendees.get(person=employee.person)
    for status in ("apologies", "absent", "present"):
        assert services.attendee_mark(actor=qa, attendee=attendee, status=status).status == status
    with pytest.raises(ValidationError) as exc:
        services.attendee_mark(actor=qa, attendee=attendee, status="invited")
    assert "status" in exc.value.message_dict
    assert attendee.history.first().history_user == qa


def test_a_guest_is_added_once(qa, ceo):
    meeting = held_meeting(chair=ceo)
    guest = PersonFactory()
    attendee = services.attendee_add(actor=qa, meeting=meeting, person=guest, note="representing Production")
    assert (attendee.status, attendee.note) == (Attendee.Status.PRESENT, "representing Production")
    with pytest.raises(ValidationError) as exc:
        services.attendee_add(actor=qa, meeting=meeting, person=guest)
    assert "already on the attendance list" in exc.value.message_dict["person"][0]


def test_minutes_are_saved_and_saving_the_same_text_writes_no_history(qa, ceo):
    meeting = held_meeting(chair=ceo, items=1)
    item = meeting.agenda_items.get()
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap 2.1%\r\nOTD 96%  ")
    rows = item.history.count()
    services.agenda_item_minutes_save(actor=qa, item=item, minutes="Scrap 2.1%\nOTD 96%")
    item.refresh_from_db()
    assert item.minutes == "Scrap 2.1%\nOTD 96%"
    assert item.history.count() == rows


def test_general_notes_and_new_items_are_recorded_live(qa, ceo):
    meeting = held_meeting(chair=ceo, items=2)
    services.meeting_notes_save(actor=qa, meeting=meeting, general_notes="Next meeting moved to the 14th.")
    item = services.agenda_item_add(actor=qa, meeting=meeting, title="Fire alarm test", presenter=ceo.person)
    assert item.order == 3
    assert Meeting.objects.get(pk=meeting.pk).general_notes == "Next meeting moved to the 14th."
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(actor=qa, meeting=meeting, title="  ")
    assert "title" in exc.value.message_dict


def test_recording_is_refused_once_the_minutes_are_signed_or_the_meeting_cancelled(qa, ceo):
    meeting = held_meeting(chair=ceo, items=1)
    decision = _decision(meeting, qa)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(ApplicationError, match="cancelled"):
        _decision(meeting, qa)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    services.meeting_sign(actor=ceo, meeting=complete(meeting), password=PASSWORD)
    item = meeting.agenda_items.get()
    attendee = meeting.attendees.get()
    refused = [
        lambda: services.attendee_mark(actor=qa, attendee=attendee, status="absent"),
        lambda: services.attendee_add(actor=qa, meeting=meeting, person=PersonFactory()),
        lambda: services.agenda_item_minutes_save(actor=qa, item=item, minutes="changed"),
        lambda: services.agenda_item_add(actor=qa, meeting=meeting, title="Late item"),
        lambda: _decision(meeting, qa),
        lambda: services.decision_update(actor=qa, decision=decision, text="changed"),
        lambda: services.decision_remove(actor=qa, decision=decision),
        lambda: _action(decision, qa),
    ]
    for call in refused:
        with pytest.raises(ApplicationError, match="signed"):
            call()


# Decisions -----------------------------------------------------------------------------------


def test_decisions_are_numbered_d1_d2_in_their_meeting(qa, ceo):
    meeting = held_meeting(chair=ceo, items=1)
    first = _decision(meeting, qa, agenda_item=meeting.agenda_items.get(), owner=ceo.person)
    second = _decision(meeting, qa)
    assert (first.label, second.label) == ("D1", "D2")
    assert first.recorded_by == qa
    assert second.agenda_item is None


def test_a_management_review_decision_names_its_9_3_3_output(qa, ceo):
    meeting = held_meeting(chair=ceo, review=True)
    with pytest.raises(ValidationError) as exc:
        _decision(meeting, qa)
    assert "output_category" in exc.value.message_dict
    decision = _decision(meeting, qa, output_category=Decision.OutputCategory.RESOURCE_NEED, owner=ceo.person)
    assert decision.get_output_category_display().startswith("9.3.3 c)")
    other = held_meeting(chair=ceo)
    with pytest.raises(ValidationError, match="Only a management review"):
        _decision(other, qa, output_category=Decision.OutputCategory.IMPROVEMENT)


def test_a_decision_cannot_point_at_another_meetings_item_or_be_empty(qa, ceo):
    meeting = held_meeting(chair=ceo)
    with pytest.raises(ValidationError) as exc:
        _decision(meeting, qa, agenda_item=AgendaItemFactory())
    assert "agenda_item" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _decision(meeting, qa, text="   ")
    assert "text" in exc.value.message_dict
    assert not meeting.decisions.exists()


def test_a_decision_is_corrected_before_signing(qa, ceo, dept_manager):
    meeting = held_meeting(chair=ceo)
    decision = _decision(meeting, qa)
    services.decision_update(
        actor=qa, decision=decision, text="Two final inspectors on nights.", owner=dept_manager.person
    )
    decision.refresh_from_db()
    assert (decision.text, decision.owner) == ("Two final inspectors on nights.", dept_manager.person)
    with pytest.raises(ValueError, match="number cannot be changed"):
        services.decision_update(actor=qa, decision=decision, number=7)


def test_a_decision_with_actions_is_not_removed_and_a_removed_number_is_not_reused(qa, ceo):
    meeting = held_meeting(chair=ceo)
    d1, d2, _d3 = (_decision(meeting, qa, text=f"Decision {n}") for n in (1, 2, 3))
    _action(d1, qa)
    with pytest.raises(ApplicationError, match="has actions"):
        services.decision_remove(actor=qa, decision=d1)
    services.decision_remove(actor=qa, decision=d2)
    assert _decision(meeting, qa).label == "D4"
    meeting = selectors.meeting_get(meeting.pk)
    assert [w["label"] for w in selectors.decisions_withdrawn(meeting)] == ["D2"]
    assert selectors.decisions_withdrawn(meeting)[0]["by"] == qa


def test_an_action_on_a_decision_comes_from_it_and_its_owner_is_told(qa, ceo, dept_manager):
    meeting = held_meeting(chair=ceo)
    decision = _decision(meeting, qa)
    action = _action(decision, qa, owner=dept_manager.person, priority=Action.Priority.HIGH)
    assert (action.source, action.decision, action.priority) == (Action.Source.MEETING_DECISION, decision, "high")
    review = held_meeting(chair=ceo, review=True)
    output = _decision(review, qa, output_category=Decision.OutputCategory.IMPROVEMENT)
    assert _action(output, qa).source == Action.Source.REVIEW_OUTPUT


def test_an_action_needs_an_owner_and_a_due_date_not_before_the_meeting(qa, ceo):
    meeting = held_meeting(chair=ceo)
    decision = _decision(meeting, qa)
    with pytest.raises(ValidationError) as exc:
        _action(decision, qa, owner=None)
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _action(decision, qa, due_date=TODAY() - datetime.timedelta(days=30))
    assert "due_date" in exc.value.message_dict
    assert not Action.objects.exists()


# Signing -------------------------------------------------------------------------------------


def test_only_the_chair_signs(qa, ceo, dept_manager):
    meeting = complete(held_meeting(chair=ceo))
    with pytest.raises(PermissionDenied, match=f"Only the chair, {ceo.person.full_name}, can sign these minutes"):
        services.meeting_sign(actor=dept_manager, meeting=meeting, password=PASSWORD)
    chaired_by_qa = complete(held_meeting(chair=qa))
    with pytest.raises(PermissionDenied, match="cannot sign"):
        services.meeting_sign(actor=qa, meeting=chaired_by_qa, password=PASSWORD)


def test_minutes_are_signed_only_after_the_meeting_is_held(ceo):
    meeting = MeetingFactory(chair=ceo.person)
    with pytest.raises(ApplicationError, match="only a held meeting"):
        services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)


def test_signing_lists_everything_missing(qa, ceo, employee):
    meeting = held_meeting(chair=ceo, items=3, attendees=[employee.person])
    items = list(meeting.agenda_items.order_by("order"))
    services.agenda_item_minutes_save(actor=qa, item=items[0], minutes="Scrap 2.1%")
    _decision(meeting, qa, agenda_item=items[1])
    with pytest.raises(ApplicationError) as exc:
        services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    message = exc.value.message
    assert employee.person.full_name in message
    assert ceo.person.full_name in message
    assert "3. Item 3" in message
    assert "1. Item 1" not in message
    assert "2. Item 2" not in message
    assert len(exc.value.extra["missing"]) == 2
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_a_wrong_password_signs_nothing(ceo):
    meeting = complete(held_meeting(chair=ceo))
    with pytest.raises(ValidationError) as exc:
        services.meeting_sign(actor=ceo, meeting=meeting, password="wrong")
    assert "password" in exc.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    assert not Signature.objects.exists()


def test_a_management_review_is_signed_only_from_its_review(ceo):
    meeting = complete(held_meeting(chair=ceo, review=True))
    with pytest.raises(ApplicationError, match="signed from its review page"):
        services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD, review_checked=True)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED


def test_signing_approves_the_minutes_logs_the_chairs_commitment_and_tells_attendees(
    ceo, qa, employee, django_capture_on_commit_callbacks
):
    meeting = complete(held_meeting(chair=ceo, attendees=[employee.person]))
    decision = _decision(meeting, qa)
    action = _action(decision, qa, owner=qa.person)
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    signed.refresh_from_db()
    assert signed.status == Meeting.Status.SIGNED
    assert signed.signed_at == signed.signature.signed_at
    signature = signed.signature
    assert (signature.meaning, signature.statement) == ("approved", "I approve these minutes as a true record")
    assert signature.signer == ceo
    assert selectors.meeting_signature_intact(selectors.meeting_get(meeting.pk)) is True
    entry = CommitmentEntry.objects.get(source=CommitmentEntry.Source.MEETING_CHAIRED)
    assert entry.person == ceo.person
    assert entry.date == timezone.localdate(signed.held_at)
    assert set(entry.requirement_ids) == set(Meeting.REQUIREMENT_IDS)
    told = set(Notification.objects.filter(kind="minutes-signed").values_list("recipient", flat=True))
    assert told == {employee.pk, qa.pk}
    assert action.owner == qa.person


def test_a_chair_outside_top_management_signs_without_a_commitment_entry(dept_manager):
    meeting = complete(held_meeting(chair=dept_manager))
    services.meeting_sign(actor=dept_manager, meeting=meeting, password=PASSWORD)
    assert not CommitmentEntry.objects.exists()


def test_the_signature_survives_the_actions_lives_but_not_a_change_to_the_minutes(ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    decision = _decision(meeting, qa)
    action = _action(decision, qa, owner=qa.person)
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    # Following an action up (new due date, started) is the action's life, not a change of the minutes.
    from reviews.services.actions import action_start, action_update

    action_update(actor=qa, action=action, due_date=TODAY() + datetime.timedelta(days=40), title="Renamed")
    action_start(actor=qa, action=action)
    assert selectors.meeting_signature_intact(selectors.meeting_get(meeting.pk)) is True
    # Writing into a signed row behind the services' back is detected.
    AgendaItem.objects.filter(meeting=meeting).update(minutes="Rewritten later")
    assert selectors.meeting_signature_intact(selectors.meeting_get(meeting.pk)) is False


# Amendments ----------------------------------------------------------------------------------


def _signed(ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    decision = _decision(meeting, qa, text="Scrap target 2.5%.")
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    return Meeting.objects.get(pk=meeting.pk), decision


def test_only_signed_minutes_are_amended(ceo, qa):
    meeting = complete(held_meeting(chair=ceo))
    with pytest.raises(ApplicationError, match="Only signed minutes"):
        services.minutes_amend(actor=ceo, meeting=meeting, password=PASSWORD, reason="typo", amended_text="x")


def test_the_chair_or_a_signer_amends_and_nobody_else(ceo, qa, dept_manager, auditor):
    meeting, decision = _signed(ceo, qa)
    for user in (qa, auditor):
        with pytest.raises(PermissionDenied):
            services.minutes_amend(actor=user, meeting=meeting, password=PASSWORD, reason="r", amended_text="x")
    amendment = services.minutes_amend(
        actor=dept_manager,
        meeting=meeting,
        password=PASSWORD,
        reason="Wrong target quoted",
        amended_text="Scrap target 2.0%.",
        decision=decision,
    )
    assert amendment.author == dept_manager


def test_an_amendment_keeps_the_original_the_reason_and_its_authors_signature(ceo, qa):
    meeting, _decision_signed = _signed(ceo, qa)
    item = meeting.agenda_items.first()
    signed_minutes = item.minutes
    first = services.minutes_amend(
        actor=ceo,
        meeting=meeting,
        password=PASSWORD,
        reason="Figure wrong",
        amended_text="Scrap 2.1%.",
        agenda_item=item,
    )
    second = services.minutes_amend(
        actor=ceo,
        meeting=meeting,
        password=PASSWORD,
        reason="Unit missing",
        amended_text="Scrap 2.1% of hours.",
        agenda_item=item,
    )
    assert (first.original_text, first.amended_text) == (signed_minutes, "Scrap 2.1%.")
    assert second.original_text == "Scrap 2.1%."
    assert first.signature.meaning == "authored"
    assert first.signature.signer == ceo
    item.refresh_from_db()
    assert item.minutes == signed_minutes
    assert selectors.meeting_signature_intact(selectors.meeting_get(meeting.pk)) is True
    outline = selectors.minutes_outline(selectors.meeting_get(meeting.pk))
    entry = next(e for e in outline["items"] if e["item"].pk == item.pk)
    assert entry["text"] == "Scrap 2.1% of hours."
    assert len(entry["amendments"]) == 2


def test_an_amendment_needs_a_reason_a_new_text_one_target_and_the_password(ceo, qa):
    meeting, decision = _signed(ceo, qa)
    item = meeting.agenda_items.first()
    cases = [
        ({"reason": "", "amended_text": "x"}, "reason"),
        ({"reason": "r", "amended_text": "  "}, "amended_text"),
        ({"reason": "r", "amended_text": "Scrap target 2.5%.", "decision": decision}, "amended_text"),
        ({"reason": "r", "amended_text": "x", "decision": decision, "agenda_item": item}, "decision"),
        ({"reason": "r", "amended_text": "x", "agenda_item": AgendaItemFactory()}, "agenda_item"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.minutes_amend(actor=ceo, meeting=meeting, password=PASSWORD, **kwargs)
        assert field in exc.value.message_dict, kwargs
    with pytest.raises(ValidationError) as exc:
        services.minutes_amend(actor=ceo, meeting=meeting, password="wrong", reason="r", amended_text="x")
    assert "password" in exc.value.message_dict
    assert not MinutesAmendment.objects.exists()


# Follow-up of management review outputs ------------------------------------------------------


def test_a_review_output_raises_a_linked_resource_request(ceo, qa):
    meeting = held_meeting(chair=ceo, review=True)
    output = _decision(meeting, qa, output_category=Decision.OutputCategory.RESOURCE_NEED, owner=ceo.person)
    request = services.decision_resource_request_create(
        actor=ceo,
        decision=output,
        title="Two digital height gauges",
        category="equipment",
        amount=Decimal("2400.00"),
        justification="Gauge R&R failed on two gauges.",
        needed_by=TODAY() + datetime.timedelta(days=30),
    )
    assert list(output.resource_requests.all()) == [request]
    assert request.serves == f"{meeting.reference} D1"
    assert ResourceRequest.objects.count() == 1


def test_only_review_outputs_are_followed_up_this_way(ceo, qa):
    meeting = held_meeting(chair=ceo)
    decision = _decision(meeting, qa)
    with pytest.raises(ApplicationError, match="management review"):
        services.decision_resource_request_create(
            actor=ceo,
            decision=decision,
            title="t",
            category="equipment",
            amount=Decimal("1"),
            justification="j",
            needed_by=TODAY(),
        )


def test_a_review_output_proposes_a_linked_target_revision(ceo, qa):
    meeting = held_meeting(chair=ceo, review=True)
    output = _decision(meeting, qa, output_category=Decision.OutputCategory.QMS_CHANGE, owner=ceo.person)
    objective = ObjectiveFactory(due_date=TODAY() + datetime.timedelta(days=200))
    revision = services.decision_target_revision_propose(
        actor=ceo,
        decision=output,
        objective=objective,
        new_target=Decimal("1.5"),
        reason="New line 2",
        effective_from=TODAY(),
    )
    assert list(output.target_revisions.all()) == [revision]
    with pytest.raises(ValidationError) as exc:
        services.decision_target_revision_propose(
            actor=ceo, decision=output, objective=None, reason="x", effective_from=TODAY()
        )
    assert "objective" in exc.value.message_dict


def test_notifying_signed_minutes_twice_tells_nobody_twice(ceo, qa, employee):
    meeting = complete(held_meeting(chair=ceo, attendees=[employee.person]))
    services.meeting_sign(actor=ceo, meeting=meeting, password=PASSWORD)
    first = services.meeting_notify_signed(meeting_id=meeting.pk)
    assert services.meeting_notify_signed(meeting_id=meeting.pk) == 0
    assert first in (0, 1)
    assert Notification.objects.filter(kind="minutes-signed", recipient=employee).count() == 1
    assert services.meeting_notify_signed(meeting_id=MeetingFactory().pk) == 0
