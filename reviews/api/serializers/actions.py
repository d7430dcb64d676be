"""Serializers of the action register: shape only; the lifecycle rules are in the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Department, Person
from reviews.models.actions import Action
from reviews.selectors.actions import action_source_record


class ActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text="Still open and past its due date.")
    days_overdue = serializers.IntegerField(read_only=True, help_text="Days past the due date while open; 0 if not.")
    source_record = serializers.SerializerMethodField(help_text="Id of the record the action answers.")
    source_label = serializers.SerializerMethodField(help_text="Reference of that record, e.g. CF-2026-004.")
    verified_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "source",
            "source_record",
            "source_label",
            "decision",
            "customer_feedback",
            "employee_feedback",
            "objective",
            "risk",
            "audit_finding",
            "owner",
            "owner_name",
            "department",
            "due_date",
            "priority",
            "status",
            "overdue",
            "days_overdue",
            "completed_at",
            "completion_note",
            "verified_at",
            "verified_by",
            "verified_by_name",
            "verification_note",
            "reopened_count",
            "escalated_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_source_record(self, action: Action) -> int:
        return getattr(action, f"{Action.SOURCE_FIELDS[action.source]}_id")

    @extend_schema_field(OpenApiTypes.STR)
    def get_source_label(self, action: Action) -> str:
        record = action.source_record
        if action.decision_id:
            return f"{record.meeting.reference} D{record.number}"
        if action.audit_finding_id:
            return f"{record.audit.reference}-F{record.number}"
        return record.reference

    @extend_schema_field(OpenApiTypes.STR)
    def get_verified_by_name(self, action: Action) -> str:
        return action.verified_by.full_name if action.verified_by_id else ""


class ActionCreateSerializer(serializers.Serializer):
    """Input for raising an action from a record: its source and the record's id, then what, who, when."""

    source = serializers.ChoiceField(choices=Action.Source.choices)
    record = serializers.IntegerField(help_text="Id of the record of that source (a risk's id for source 'risk').")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(user__is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Defaults to the owner's department.",
    )
    due_date = serializers.DateField()
    priority = serializers.ChoiceField(choices=Action.Priority.choices, required=False)

    def validate(self, data):
        record = action_source_record(data["source"], data["record"])
        if record is None:
            label = Action.Source(data["source"]).label.lower()
            raise serializers.ValidationError({"record": f"No {label} with id {data['record']}."})
        data["source_record"] = record
        return data


class ActionUpdateSerializer(serializers.Serializer):
    """Input for changing an open action; the source, status and verification are not changed here."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(user__is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_date = serializers.DateField()
    priority = serializers.ChoiceField(choices=Action.Priority.choices, required=False)


class ActionCompleteSerializer(serializers.Serializer):
    completion_note = serializers.CharField(help_text="What was done; the verifier checks the result against it.")


class ActionVerifySerializer(serializers.Serializer):
    effective = serializers.BooleanField(help_text="True closes it as verified; false reopens it for its owner.")
    note = serializers.CharField(help_text="The evidence that it worked, or why it did not.")
    new_due_date = serializers.DateField(
        required=False, allow_null=True, help_text="When reopening: a new due date (today or later)."
    )


class ActionReopenSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Why the action was not effective.")
    new_due_date = serializers.DateField(
        required=False, allow_null=True, help_text="A new due date (today or later); empty keeps the current one."
    )
