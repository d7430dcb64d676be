"""Serializers of meetings, meeting types, agendas, invitees and attendance: shape only; rules are in the services."""

from django.db import models
from rest_framework import serializers

from leadership.models import Department, Person
from leadership.models.customers import CustomerFeedback
from objectives.models import Objective
from objectives.models.risks import Risk
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType


class MeetingTypeSerializer(serializers.ModelSerializer):
    default_chair_name = serializers.CharField(source="default_chair.full_name", read_only=True, allow_null=True)
    default_invitees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    meetings_count = serializers.IntegerField(read_only=True, help_text="Meetings of this type, in any status.")
    upcoming_count = serializers.IntegerField(read_only=True, help_text="Planned meetings still to come.")
    next_meeting_start = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = MeetingType
        fields = [
            "id",
            "name",
            "category",
            "description",
            "is_quality_meeting",
            "frequency",
            "first_occurrence",
            "plan_ahead",
            "default_duration_minutes",
            "default_place",
            "default_link",
            "default_chair",
            "default_chair_name",
            "default_invitees",
            "default_agenda",
            "agenda_reminder_days",
            "is_active",
            "meetings_count",
            "upcoming_count",
            "next_meeting_start",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingTypeWriteSerializer(serializers.Serializer):
    """Input for adding or changing a meeting type; `plan` plans its schedule's next meetings at once."""

    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=MeetingType.Category.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    is_quality_meeting = serializers.BooleanField(required=False)
    frequency = serializers.ChoiceField(choices=MeetingType.Frequency.choices, required=False)
    first_occurrence = serializers.DateTimeField(required=False, allow_null=True)
    plan_ahead = serializers.IntegerField(min_value=1, max_value=24, required=False)
    default_duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60, required=False)
    default_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    default_link = serializers.URLField(required=False, allow_blank=True)
    default_chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    default_invitees = serializers.PrimaryKeyRelatedField(many=True, queryset=Person.objects.all(), required=False)
    default_agenda = serializers.CharField(required=False, allow_blank=True, help_text="One standing item a line.")
    agenda_reminder_days = serializers.IntegerField(min_value=0, max_value=60, required=False)
    plan = serializers.BooleanField(
        required=False, default=False, help_text="Plan the schedule's next meetings now (else the daily run does)."
    )


class MeetingPlannedSerializer(serializers.Serializer):
    planned = serializers.ListField(child=serializers.CharField(), help_text="References of the meetings planned now.")


class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    presenter_name = serializers.CharField(source="presenter.full_name", read_only=True, allow_null=True)
    objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    customer_feedback = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    risks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "description",
            "presenter",
            "presenter_name",
            "duration_minutes",
            "minutes",
            "objectives",
            "customer_feedback",
            "risks",
            "actions",
        ]
        read_only_fields = fields


class MeetingAttendeeSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    department = serializers.CharField(source="person.department.name", read_only=True, allow_null=True)

    class Meta:
        model = Attendee
        fields = ["id", "person", "person_name", "department", "status", "note"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    type_name = serializers.CharField(source="type.name", read_only=True)
    chair_name = serializers.CharField(source="chair.full_name", read_only=True)
    minute_taker_name = serializers.CharField(source="minute_taker.full_name", read_only=True, allow_null=True)
    decisions_count = serializers.IntegerField(read_only=True)
    actions_count = serializers.IntegerField(read_only=True, help_text="Actions raised from its decisions.")
    agenda_count = serializers.IntegerField(read_only=True)
    attendees_count = serializers.IntegerField(read_only=True)
    is_upcoming = serializers.BooleanField(read_only=True, help_text="Starts now or later.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "reference",
            "type",
            "type_name",
            "title",
            "planned_start",
            "duration_minutes",
            "place",
            "link",
            "department",
            "chair",
            "chair_name",
            "minute_taker",
            "minute_taker_name",
            "status",
            "scheduled",
            "held_at",
            "cancel_reason",
            "signed_at",
            "decisions_count",
            "actions_count",
            "agenda_count",
            "attendees_count",
            "is_upcoming",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    agenda_items = MeetingAgendaItemSerializer(many=True, read_only=True)
    attendees = MeetingAttendeeSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "general_notes", "agenda_items", "attendees"]
        read_only_fields = fields


class MeetingWriteSerializer(serializers.Serializer):
    """Input for planning or changing a meeting. On a new meeting, what is left out comes from its type."""

    type = serializers.PrimaryKeyRelatedField(queryset=MeetingType.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_start = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60, required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    link = serializers.URLField(required=False, allow_blank=True, allow_null=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    minute_taker = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    invitees = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Person.objects.all(),
        required=False,
        help_text="The whole list of invitees; the chair and minute-taker are always on it. "
        "Left out on a new meeting: the type's default invitees.",
    )


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the meeting is cancelled; the invitees are told.")


class MeetingAgendaItemWriteSerializer(serializers.Serializer):
    """Input for adding or changing an agenda item; the lists are the whole set of linked records."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    presenter = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600, required=False, allow_null=True)
    objectives = serializers.PrimaryKeyRelatedField(many=True, queryset=Objective.objects.all(), required=False)
    customer_feedback = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CustomerFeedback.objects.all(), required=False
    )
    risks = serializers.PrimaryKeyRelatedField(many=True, queryset=Risk.objects.all(), required=False)
    actions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Action.objects.all(), required=False, help_text="Open actions only."
    )


class MoveDirection(models.TextChoices):
    UP = "up", "One place up"
    DOWN = "down", "One place down"


class MeetingAgendaItemMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=MoveDirection.choices)


class MeetingInviteSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())


class TopManagementAttendanceCellSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    attended = serializers.IntegerField(
        help_text="Quality meetings held in the period at which the person was present."
    )
    held = serializers.IntegerField(help_text="Quality meetings held in the period.")
    invited = serializers.IntegerField(help_text="Of those held, the ones the person was on the list of.")
    rate = serializers.IntegerField(allow_null=True, help_text="attended / held in %, none when none were held.")
    low = serializers.BooleanField(help_text="Below the threshold.")


class TopManagementAttendanceRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person.full_name")
    windows = TopManagementAttendanceCellSerializer(many=True)
    last_attended = serializers.DateTimeField(allow_null=True)
    none_attended = serializers.BooleanField(help_text="Quality meetings were held in 12 months, none attended.")
    flagged = serializers.BooleanField()


class TopManagementAttendanceWindowSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    since = serializers.DateField()
    held = serializers.IntegerField()


class TopManagementAttendanceSerializer(serializers.Serializer):
    today = serializers.DateField()
    threshold = serializers.IntegerField(help_text="Attendance below this % is flagged.")
    windows = TopManagementAttendanceWindowSerializer(many=True)
    rows = TopManagementAttendanceRowSerializer(many=True)
