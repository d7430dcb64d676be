"""Serializers of management reviews (9.3): shape only; the rules are in the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Person
from qms.serializers import SignatureSerializer
from reviews.models.actions import Action
from reviews.models.management_reviews import ManagementReview, ReviewInput
from reviews.models.meetings import Decision, MeetingType
from reviews.selectors import management_reviews as selectors


def _people():
    return Person.objects.select_related("user").filter(user__is_active=True)


class ReviewInputSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_item_display", read_only=True)
    manual = serializers.SerializerMethodField(help_text="Typed in by hand (b, c.3, c.7): takes entries.")
    has_content = serializers.SerializerMethodField(help_text="Compiled records, entries or a note: addressed.")
    data = serializers.JSONField(read_only=True, help_text="What Clause5 compiled; frozen once the review is held.")
    entries = serializers.JSONField(read_only=True, help_text="The hand-typed rows of b, c.3 and c.7.")

    class Meta:
        model = ReviewInput
        fields = [
            "id",
            "review",
            "item",
            "label",
            "manual",
            "has_content",
            "data",
            "entries",
            "note",
            "compiled_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_manual(self, obj) -> bool:
        return obj.item in ReviewInput.MANUAL_ITEMS

    def get_has_content(self, obj) -> bool:
        return selectors.input_has_content(obj)


class ReviewInputUpdateSerializer(serializers.Serializer):
    """A section's entries (b, c.3, c.7 only) and note; each is optional, what is sent replaces what was there."""

    entries = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="Rows of the section's fields; see the page's editor."
    )
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class OutputActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)

    class Meta:
        model = Action
        fields = ["id", "reference", "title", "owner", "owner_name", "due_date", "status", "verified_at"]
        read_only_fields = fields


class OutputSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="D1, D2, ... in the review's meeting.")
    owner_name = serializers.SerializerMethodField()
    actions = OutputActionSerializer(many=True, read_only=True)
    resource_requests = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_revisions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "label",
            "text",
            "output_category",
            "owner",
            "owner_name",
            "actions",
            "resource_requests",
            "target_revisions",
            "created_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str:
        return obj.owner.full_name if obj.owner else ""


class OutputInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    output_category = serializers.ChoiceField(choices=Decision.OutputCategory.choices)
    owner = serializers.PrimaryKeyRelatedField(queryset=_people())


class ManagementReviewSerializer(serializers.ModelSerializer):
    meeting_reference = serializers.CharField(source="meeting.reference", read_only=True)
    title = serializers.CharField(source="meeting.title", read_only=True)
    meeting_type = serializers.PrimaryKeyRelatedField(source="meeting.type", read_only=True)
    planned_start = serializers.DateTimeField(source="meeting.planned_start", read_only=True)
    held_at = serializers.DateTimeField(source="meeting.held_at", read_only=True, allow_null=True)
    chair = serializers.PrimaryKeyRelatedField(source="meeting.chair", read_only=True)
    chair_name = serializers.CharField(source="meeting.chair.full_name", read_only=True)
    outputs_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ManagementReview
        fields = [
            "id",
            "meeting",
            "meeting_reference",
            "title",
            "meeting_type",
            "planned_start",
            "held_at",
            "chair",
            "chair_name",
            "period_start",
            "period_end",
            "status",
            "compiled_at",
            "frozen_at",
            "signed_at",
            "outputs_count",
            "suitability",
            "adequacy",
            "effectiveness",
            "strategic_alignment",
        ]
        read_only_fields = fields


class ReadinessSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    summary = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), help_text="Everything signing still needs.")
    inputs_done = serializers.IntegerField()
    inputs_total = serializers.IntegerField()


class ManagementReviewDetailSerializer(ManagementReviewSerializer):
    """A review with its twelve inputs, its outputs, what signing still needs, and its signature."""

    inputs = ReviewInputSerializer(many=True, read_only=True)
    outputs = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField()
    signature = SignatureSerializer(read_only=True, allow_null=True)
    signature_intact = serializers.SerializerMethodField(
        help_text="Whether the review still matches what was signed; null when not signed."
    )

    class Meta(ManagementReviewSerializer.Meta):
        fields = [
            *ManagementReviewSerializer.Meta.fields,
            "inputs",
            "outputs",
            "readiness",
            "signature",
            "signature_intact",
        ]
        read_only_fields = fields

    def _outputs(self, obj):
        if not hasattr(obj, "_api_outputs"):
            obj._api_outputs = selectors.management_review_outputs(obj)
        return obj._api_outputs

    @extend_schema_field(OutputSerializer(many=True))
    def get_outputs(self, obj):
        return OutputSerializer(self._outputs(obj), many=True).data

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, obj):
        readiness = selectors.management_review_readiness(
            obj, inputs=list(obj.inputs.all()), outputs=self._outputs(obj)
        )
        return ReadinessSerializer(readiness).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_signature_intact(self, obj):
        return selectors.management_review_signature_intact(obj)


class ManagementReviewPrepareSerializer(serializers.Serializer):
    """Input for preparing a review: its meeting (standard agenda) and the period it looks back on."""

    meeting_type = serializers.PrimaryKeyRelatedField(
        queryset=MeetingType.objects.filter(category=MeetingType.Category.MANAGEMENT_REVIEW, is_active=True)
    )
    planned_start = serializers.DateTimeField()
    chair = serializers.PrimaryKeyRelatedField(queryset=_people())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60, required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    link = serializers.URLField(required=False, allow_blank=True)
    minute_taker = serializers.PrimaryKeyRelatedField(queryset=_people(), required=False, allow_null=True)
    invitees = serializers.PrimaryKeyRelatedField(queryset=_people(), many=True, required=False)


class ConclusionsSerializer(serializers.Serializer):
    """The conclusions to write; those left out stay as they are."""

    suitability = serializers.CharField(required=False, allow_blank=True)
    adequacy = serializers.CharField(required=False, allow_blank=True)
    effectiveness = serializers.CharField(required=False, allow_blank=True)
    strategic_alignment = serializers.CharField(required=False, allow_blank=True)
