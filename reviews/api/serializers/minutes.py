"""Serializers of minutes: attendance, minutes per item, decisions, signing and amendments. Shape only."""

from rest_framework import serializers

from leadership.models import Person
from qms.serializers import SignatureSerializer, SignInputSerializer
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MinutesAmendment


def _people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class AttendanceEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Attendee
        fields = ["id", "meeting", "person", "person_name", "status", "note", "updated_at"]
        read_only_fields = fields


class AttendanceMarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Attendee.Status.choices, help_text="present, absent or apologies (invited is what nobody marked yet)."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AttendanceGuestSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=_people())
    status = serializers.ChoiceField(
        choices=Attendee.Status.choices, required=False, default=Attendee.Status.PRESENT, help_text="Not invited."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AgendaItemMinutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "order", "title", "minutes", "version", "updated_at"]
        read_only_fields = ["id", "meeting", "order", "title", "version", "updated_at"]
        extra_kwargs = {"minutes": {"required": True, "allow_blank": True, "trim_whitespace": False}}


class DecisionActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open past its due date.")

    class Meta:
        model = Action
        fields = ["id", "reference", "title", "owner", "owner_name", "due_date", "priority", "status", "is_overdue"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="D1, D2, ... in its meeting.")
    meeting_reference = serializers.CharField(source="meeting.reference", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True, default="")
    actions = DecisionActionSerializer(many=True, read_only=True)
    resource_requests = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_revisions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "meeting_reference",
            "number",
            "label",
            "agenda_item",
            "text",
            "output_category",
            "owner",
            "owner_name",
            "recorded_by",
            "actions",
            "resource_requests",
            "target_revisions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.select_related("type"))
    agenda_item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    text = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(queryset=_people(), required=False, allow_null=True)
    output_category = serializers.ChoiceField(
        choices=Decision.OutputCategory.choices, required=False, allow_blank=True, help_text="Management reviews only."
    )


class DecisionUpdateSerializer(serializers.Serializer):
    agenda_item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    text = serializers.CharField(required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=_people(), required=False, allow_null=True)
    output_category = serializers.ChoiceField(
        choices=Decision.OutputCategory.choices, required=False, allow_blank=True, help_text="Management reviews only."
    )


class DecisionActionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.PrimaryKeyRelatedField(queryset=_people())
    due_date = serializers.DateField()
    priority = serializers.ChoiceField(choices=Action.Priority.choices, required=False, default=Action.Priority.MEDIUM)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class AmendmentSerializer(serializers.ModelSerializer):
    signature = SignatureSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MinutesAmendment
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "decision",
            "original_text",
            "amended_text",
            "reason",
            "author",
            "signature",
            "created_at",
        ]
        read_only_fields = fields


class AmendInputSerializer(SignInputSerializer):
    reason = serializers.CharField()
    amended_text = serializers.CharField(trim_whitespace=False)
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True, help_text="The item whose minutes change."
    )
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True, help_text="The decision whose text changes."
    )


class MinutesItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "description", "presenter", "minutes", "version", "updated_at"]
        read_only_fields = fields


class MeetingMinutesSerializer(serializers.ModelSerializer):
    """A meeting's minutes: attendance, items, decisions with actions, signature and amendments."""

    attendees = AttendanceEntrySerializer(many=True, read_only=True)
    agenda_items = MinutesItemSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    signature = SignatureSerializer(read_only=True, allow_null=True)
    signature_intact = serializers.SerializerMethodField(
        help_text="Whether the minutes still match what the chair signed; null while unsigned."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "planned_start",
            "held_at",
            "chair",
            "minute_taker",
            "general_notes",
            "attendees",
            "agenda_items",
            "decisions",
            "signed_at",
            "signature",
            "signature_intact",
            "amendments",
        ]
        read_only_fields = fields

    def get_signature_intact(self, meeting) -> bool | None:
        from reviews.selectors.minutes import meeting_signature_intact

        return meeting_signature_intact(meeting)
