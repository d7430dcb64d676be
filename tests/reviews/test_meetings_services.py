"""Rules of meeting types, meetings, their invitees and agendas, through the services."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from qms.exceptions import ApplicationError
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType
from reviews.services import meetings as services
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    MeetingTypeFactory,
)
from tests.reviews.factories_meetings import chair_person

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
NEXT_WEEK = datetime.datetime(2026, 3, 17, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def plan(actor, **overrides) -> Meeting:
    data = {
        "type": overrides.pop("type", None) or MeetingTypeFactory(),
        "title": "Monthly quality meeting",
        "planned_start": NEXT_WEEK,
        "chair": overrides.pop("chair", None) or chair_person(),
        **overrides,
    }
    return services.meeting_create(actor=actor, **data)


def people_on(meeting) -> set:
    return set(Attendee.objects.filter(meeting=meeting).values_list("person_id", flat=True))


def held(meeting, status=Meeting.Status.HELD) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(status=status, held_at=NOW)
    meeting.refresh_from_db()
    return meeting


# Meeting types ---------------------------------------------------------------------------------


def test_a_scheduled_type_needs_its_first_meeting_and_a_default_chair(mgmt_rep):
    with pytest.raises(ValidationError) as caught:
        services.meeting_type_create(
            actor=mgmt_rep, name="Monthly quality meeting", category="quality", frequency="monthly"
        )

    assert "first meeting" in caught.value.message_dict["first_occurrence"][0]
    assert "default chair" in caught.value.message_dict["default_chair"][0]
    assert not MeetingType.objects.exists()


def test_a_type_name_is_unique_whatever_its_case(mgmt_rep):
    MeetingTypeFactory(name="Monthly quality meeting")

    with pytest.raises(ValidationError) as caught:
        services.meeting_type_create(actor=mgmt_rep, name="monthly QUALITY meeting ", category="quality")

    assert "already exists" in caught.value.message_dict["name"][0]


def test_a_default_chair_or_invitee_who_left_is_refused(mgmt_rep):
    departed = PersonFactory(user__is_active=False)

    with pytest.raises(ValidationError) as caught:
        services.meeting_type_create(
            actor=mgmt_rep, name="Weekly production", category="operational", default_chair=departed
        )
    assert "can no longer sign in" in caught.value.message_dict["default_chair"][0]

    with pytest.raises(ValidationError) as caught:
        services.meeting_type_create(
            actor=mgmt_rep, name="Weekly production", category="operational", default_invitees=[departed]
        )
    assert "default_invitees" in caught.value.message_dict
    assert not MeetingType.objects.exists()


def test_a_new_scheduled_type_may_plan_its_meetings_at_once(mgmt_rep):
    invitee = PersonFactory()
    meeting_type = services.meeting_type_create(
        actor=mgmt_rep,
        name="Monthly quality meeting",
        category="quality",
        frequency="monthly",
        first_occurrence=datetime.datetime(2026, 1, 14, 10, 0, tzinfo=LONDON),
        default_chair=chair_person(),
        default_invitees=[invitee],
        plan_ahead=2,
        plan=True,
    )

    meetings = list(Meeting.objects.filter(type=meeting_type).order_by("planned_start"))
    assert [timezone.localdate(m.planned_start) for m in meetings] == [
        datetime.date(2026, 3, 14),
        datetime.date(2026, 4, 14),
    ]
    assert invitee.pk in people_on(meetings[0])
    assert meeting_type.history.first().history_user == mgmt_rep


def test_updating_a_type_changes_its_defaults_not_the_meetings_already_planned(mgmt_rep):
    meeting_type = MeetingTypeFactory(default_place="Board room")
    meeting = plan(mgmt_rep, type=meeting_type)
    new_invitee = PersonFactory()

    services.meeting_type_update(
        actor=mgmt_rep, meeting_type=meeting_type, default_place="  Training room  ", default_invitees=[new_invitee]
    )

    meeting_type.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting_type.default_place == "Training room"
    assert list(meeting_type.default_invitees.all()) == [new_invitee]
    assert meeting.place == "Board room"
    assert meeting_type.history.first().history_user == mgmt_rep


def test_updating_a_type_accepts_only_its_editable_fields(mgmt_rep):
    with pytest.raises(TypeError):
        services.meeting_type_update(actor=mgmt_rep, meeting_type=MeetingTypeFactory(), is_active=False)


def test_a_retired_type_plans_no_new_meetings_and_can_be_used_again(mgmt_rep):
    meeting_type = MeetingTypeFactory()

    meeting_type = services.meeting_type_deactivate(actor=mgmt_rep, meeting_type=meeting_type)
    with pytest.raises(ValidationError, match="active meeting type"):
        plan(mgmt_rep, type=meeting_type)

    meeting_type = services.meeting_type_activate(actor=mgmt_rep, meeting_type=meeting_type)
    assert plan(mgmt_rep, type=meeting_type).type == meeting_type


# Planning, editing and cancelling a meeting --------------------------------------------------


def test_a_new_meeting_invites_its_chair_minute_taker_and_the_people_named(qa):
    chair, minute_taker, invitee = chair_person(), PersonFactory(), PersonFactory()
    meeting_type = MeetingTypeFactory()
    meeting_type.default_invitees.set([PersonFactory()])

    meeting = plan(qa, type=meeting_type, chair=chair, minute_taker=minute_taker, invitees=[invitee])

    assert meeting.reference == "MTG-2026-001"
    assert people_on(meeting) == {chair.pk, minute_taker.pk, invitee.pk}


def test_a_meeting_needs_an_active_chair_and_active_invitees(qa):
    with pytest.raises(ValidationError) as caught:
        plan(qa, chair=PersonFactory(user__is_active=False), invitees=[PersonFactory(user__is_active=False)])

    assert set(caught.value.message_dict) == {"chair", "invitees"}
    assert not Meeting.objects.exists()


def test_editing_a_planned_meeting_moves_it_and_keeps_the_list_right(dept_manager):
    old_chair, invitee, dropped = chair_person(), PersonFactory(), PersonFactory()
    meeting = plan(dept_manager, chair=old_chair, invitees=[invitee, dropped])
    new_chair, minute_taker = chair_person(), PersonFactory()
    department = DepartmentFactory()

    services.meeting_update(
        actor=dept_manager,
        meeting=meeting,
        title="  ",
        planned_start=NEXT_WEEK + datetime.timedelta(days=1),
        place=" Shop floor office ",
        department=department,
        chair=new_chair,
        minute_taker=minute_taker,
        invitees=[invitee],
    )

    meeting.refresh_from_db()
    assert meeting.title == meeting.type.name
    assert meeting.place == "Shop floor office"
    assert (meeting.chair, meeting.minute_taker, meeting.department) == (new_chair, minute_taker, department)
    assert people_on(meeting) == {new_chair.pk, minute_taker.pk, invitee.pk}
    assert meeting.history.first().history_user == dept_manager


def test_editing_without_a_list_keeps_the_invitees_and_adds_a_new_chair(qa):
    invitee = PersonFactory()
    meeting = plan(qa, invitees=[invitee])
    new_chair = chair_person()

    services.meeting_update(actor=qa, meeting=meeting, chair=new_chair)

    assert people_on(meeting) == {meeting.history.last().chair_id, invitee.pk, new_chair.pk}


@pytest.mark.parametrize(
    ("status", "message"),
    [(Meeting.Status.HELD, "only before a meeting is held"), (Meeting.Status.CANCELLED, "was cancelled")],
)
def test_a_meeting_is_edited_only_before_it_is_held(qa, status, message):
    meeting = plan(qa)
    if status == Meeting.Status.HELD:
        held(meeting)
    else:
        services.meeting_cancel(actor=qa, meeting=meeting, reason="Customer audit the same day.")

    with pytest.raises(ApplicationError, match=message):
        services.meeting_update(actor=qa, meeting=meeting, title="Changed")
    meeting.refresh_from_db()
    assert meeting.title == "Monthly quality meeting"


def test_the_meeting_of_a_management_review_keeps_a_management_review_type(mgmt_rep):
    review_type = MeetingTypeFactory(category=MeetingType.Category.MANAGEMENT_REVIEW)
    meeting = plan(mgmt_rep, type=review_type)
    ManagementReview.objects.create(
        meeting=meeting, period_start=datetime.date(2025, 3, 1), period_end=datetime.date(2026, 2, 28)
    )

    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=mgmt_rep, meeting=meeting, type=MeetingTypeFactory())

    assert "management review" in caught.value.message_dict["type"][0]


def test_moving_to_a_retired_type_is_refused(qa):
    meeting = plan(qa)

    with pytest.raises(ValidationError, match="active meeting type"):
        services.meeting_update(actor=qa, meeting=meeting, type=MeetingTypeFactory(is_active=False))


def test_cancelling_needs_a_reason_and_keeps_the_meeting_on_record(qa):
    meeting = plan(qa)

    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(actor=qa, meeting=meeting, reason="  ")
    assert "reason" in caught.value.message_dict

    services.meeting_cancel(actor=qa, meeting=meeting, reason=" Chair at the customer's plant. ")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (Meeting.Status.CANCELLED, "Chair at the customer's plant.")
    assert meeting.history.first().history_user == qa


def test_a_held_meeting_cannot_be_cancelled(qa):
    meeting = held(plan(qa))

    with pytest.raises(ApplicationError, match="has been held"):
        services.meeting_cancel(actor=qa, meeting=meeting, reason="Too late")


# Invitees ---------------------------------------------------------------------------------------


def test_inviting_and_taking_people_off_the_list(qa):
    meeting = plan(qa)
    person = PersonFactory()

    attendee = services.attendee_add(actor=qa, meeting=meeting, person=person)
    assert attendee.status == Attendee.Status.INVITED
    assert attendee.history.get().history_user == qa

    services.attendee_remove(actor=qa, attendee=attendee)
    assert person.pk not in people_on(meeting)
    assert Attendee.history.filter(id=attendee.pk, history_type="-").get().history_user == qa


def test_nobody_is_invited_twice_and_leavers_are_not_invited(qa):
    meeting = plan(qa)

    with pytest.raises(ValidationError, match="already on the list"):
        services.attendee_add(actor=qa, meeting=meeting, person=meeting.chair)
    with pytest.raises(ValidationError, match="can no longer sign in"):
        services.attendee_add(actor=qa, meeting=meeting, person=PersonFactory(user__is_active=False))


def test_the_chair_and_the_minute_taker_stay_on_the_list(qa):
    meeting = plan(qa, minute_taker=PersonFactory())
    on_list = {a.person_id: a for a in Attendee.objects.filter(meeting=meeting)}

    with pytest.raises(ApplicationError, match="chairs"):
        services.attendee_remove(actor=qa, attendee=on_list[meeting.chair_id])
    with pytest.raises(ApplicationError, match="takes the minutes"):
        services.attendee_remove(actor=qa, attendee=on_list[meeting.minute_taker_id])


def test_the_list_is_fixed_once_the_meeting_is_held(qa):
    meeting = plan(qa, invitees=[PersonFactory()])
    attendee = Attendee.objects.filter(meeting=meeting).exclude(person=meeting.chair).get()
    held(meeting)

    with pytest.raises(ApplicationError, match="only before a meeting is held"):
        services.attendee_add(actor=qa, meeting=meeting, person=PersonFactory())
    with pytest.raises(ApplicationError, match="only before a meeting is held"):
        services.attendee_remove(actor=qa, attendee=attendee)


# Agenda -----------------------------------------------------------------------------------------


def test_an_item_is_added_at_the_end_with_what_it_is_about(qa):
    action = ActionFactory()  # first: its meeting takes a factory reference
    meeting = plan(qa, agenda=["Actions from the last meeting"])
    objective, feedback, risk = ObjectiveFactory(), CustomerFeedbackFactory(), RiskFactory()
    presenter = PersonFactory()

    item = services.agenda_item_add(
        actor=qa,
        meeting=meeting,
        title=" Scrap rate on the 5-axis cell ",
        description="Trend since the new fixtures.",
        presenter=presenter,
        duration_minutes=15,
        objectives=[objective],
        customer_feedback=[feedback],
        risks=[risk],
        actions=[action],
    )

    assert (item.order, item.title, item.presenter) == (2, "Scrap rate on the 5-axis cell", presenter)
    assert (list(item.objectives.all()), list(item.customer_feedback.all())) == ([objective], [feedback])
    assert (list(item.risks.all()), list(item.actions.all())) == ([risk], [action])
    assert item.history.first().history_user == qa


def test_only_open_actions_are_linked(qa):
    done = ActionFactory(status=Action.Status.DONE, completed_at=NOW)
    meeting = plan(qa)

    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(actor=qa, meeting=meeting, title="Open actions", actions=[done])

    assert done.reference in caught.value.message_dict["actions"][0]
    assert not AgendaItem.objects.exists()


def test_an_action_linked_while_open_stays_linked_after_it_is_done(qa):
    action = ActionFactory()
    meeting = plan(qa)
    item = services.agenda_item_add(actor=qa, meeting=meeting, title="Open actions", actions=[action])
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE, completed_at=NOW)

    services.agenda_item_update(actor=qa, item=item, title="Actions review", actions=[action])

    item.refresh_from_db()
    assert item.title == "Actions review"
    assert list(item.actions.all()) == [action]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "Scrap", "duration_minutes": 0}, "duration_minutes"),
        ({"title": "Scrap", "duration_minutes": 601}, "duration_minutes"),
    ],
)
def test_bad_item_input_names_the_field(qa, fields, field):
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(actor=qa, meeting=plan(qa), **fields)

    assert field in caught.value.message_dict


def test_a_presenter_who_left_is_refused(qa):
    with pytest.raises(ValidationError, match="can no longer sign in"):
        services.agenda_item_add(
            actor=qa, meeting=plan(qa), title="Scrap", presenter=PersonFactory(user__is_active=False)
        )


def test_updating_an_item_changes_its_fields_and_links(qa):
    meeting = plan(qa)
    item = services.agenda_item_add(actor=qa, meeting=meeting, title="Scrap", risks=[RiskFactory()])
    objective = ObjectiveFactory()

    services.agenda_item_update(actor=qa, item=item, duration_minutes=20, risks=[], objectives=[objective])

    item.refresh_from_db()
    assert item.duration_minutes == 20
    assert (list(item.risks.all()), list(item.objectives.all())) == ([], [objective])
    with pytest.raises(TypeError):
        services.agenda_item_update(actor=qa, item=item, minutes="Not through here")


def test_items_move_up_and_down_and_the_ends_stay_put(qa):
    meeting = plan(qa, agenda=["Actions", "Scrap", "Complaints"])
    actions, _scrap, complaints = AgendaItem.objects.filter(meeting=meeting).order_by("order")

    services.agenda_item_move(actor=qa, item=complaints, direction="up")
    services.agenda_item_move(actor=qa, item=actions, direction="up")

    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", "order")) == [
        ("Actions", 1),
        ("Complaints", 2),
        ("Scrap", 3),
    ]
    services.agenda_item_move(actor=qa, item=actions, direction="down")
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True)) == [
        "Complaints",
        "Actions",
        "Scrap",
    ]
    with pytest.raises(ValidationError, match="up"):
        services.agenda_item_move(actor=qa, item=actions, direction="sideways")


def test_removing_an_item_closes_up_the_numbers(qa):
    meeting = plan(qa, agenda=["Actions", "Scrap", "Complaints"])
    scrap = AgendaItem.objects.get(meeting=meeting, title="Scrap")

    services.agenda_item_remove(actor=qa, item=scrap)

    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "order")) == [
        ("Actions", 1),
        ("Complaints", 2),
    ]
    assert AgendaItem.history.filter(id=scrap.pk, history_type="-").get().history_user == qa


def test_while_minutes_are_taken_items_may_be_added_and_moved_but_not_removed(qa):
    meeting = held(plan(qa, agenda=["Actions", "Scrap"]))
    first = AgendaItem.objects.get(meeting=meeting, order=1)

    added = services.agenda_item_add(actor=qa, meeting=meeting, title="Late delivery to Airbus")
    services.agenda_item_move(actor=qa, item=added, direction="up")

    assert added.order == 3
    with pytest.raises(ApplicationError, match="only before a meeting is held"):
        services.agenda_item_remove(actor=qa, item=first)


@pytest.mark.parametrize("status", [Meeting.Status.CANCELLED, Meeting.Status.SIGNED])
def test_the_agenda_of_a_cancelled_or_signed_meeting_does_not_change(qa, status):
    meeting = plan(qa)
    item = AgendaItemFactory(meeting=meeting)
    if status == Meeting.Status.CANCELLED:
        services.meeting_cancel(actor=qa, meeting=meeting, reason="No quorum")
    else:
        from tests.leadership.factories_policy import SignatureFactory

        Meeting.objects.filter(pk=meeting.pk).update(
            status=status, held_at=NOW, signed_at=NOW, signature=SignatureFactory()
        )

    with pytest.raises(ApplicationError, match="can no longer change"):
        services.agenda_item_add(actor=qa, meeting=meeting, title="Late item")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.agenda_item_update(actor=qa, item=item, title="Changed")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.agenda_item_move(actor=qa, item=item, direction="down")


def test_removing_an_attendee_factory_made_invitee(qa):
    """Invitees added outside the services (e.g. by the minutes page) are removed the same way."""
    meeting = plan(qa)
    attendee = AttendeeFactory(meeting=meeting)

    services.attendee_remove(actor=qa, attendee=attendee)

    assert not Attendee.objects.filter(pk=attendee.pk).exists()


def test_someone_who_left_after_being_invited_may_stay_but_nobody_who_left_is_newly_invited(qa):
    leaver, other_leaver = PersonFactory(), PersonFactory(user__is_active=False)
    meeting = plan(qa, invitees=[leaver])
    leaver.user.is_active = False
    leaver.user.save()

    services.meeting_update(actor=qa, meeting=meeting, title="Still on", invitees=[leaver])
    with pytest.raises(ValidationError, match="can no longer sign in"):
        services.meeting_update(actor=qa, meeting=meeting, invitees=[leaver, other_leaver])

    assert leaver.pk in people_on(meeting)
