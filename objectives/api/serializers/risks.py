"""Serializers of the risk and opportunity register: shape only; the rules are in the services."""

from rest_framework import serializers

from leadership.models import Department, Person
from leadership.models.customers import CustomerRequirement
from objectives.models import Objective
from objectives.models.risks import Risk


class RiskSerializer(serializers.ModelSerializer):
    band = serializers.CharField(read_only=True, help_text="Score band: low, medium, high or critical.")
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    review_overdue = serializers.BooleanField(read_only=True, help_text="Not closed and past its next review date.")
    objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    customer_requirements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "type",
            "source",
            "likelihood",
            "impact",
            "score",
            "band",
            "treatment",
            "action",
            "owner",
            "owner_name",
            "department",
            "status",
            "next_review_date",
            "review_overdue",
            "objectives",
            "customer_requirements",
            "last_reviewed_on",
            "last_reviewed_by",
            "last_review_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RiskWriteSerializer(serializers.Serializer):
    """Input for registering or changing a risk or opportunity; the score is computed, never sent."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    type = serializers.ChoiceField(choices=Risk.Type.choices)
    source = serializers.ChoiceField(choices=Risk.Source.choices)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    treatment = serializers.CharField(required=False, allow_blank=True)
    action = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(user__is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Risk.Status.choices, required=False)
    next_review_date = serializers.DateField()
    objectives = serializers.PrimaryKeyRelatedField(many=True, queryset=Objective.objects.all(), required=False)
    customer_requirements = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CustomerRequirement.objects.all(), required=False
    )


class RiskReviewSerializer(serializers.Serializer):
    next_review_date = serializers.DateField(help_text="When the risk is to be reviewed again; after today.")
    note = serializers.CharField(required=False, allow_blank=True, help_text="What the review found.")


class HeatMapCellSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.CharField()
    count = serializers.IntegerField()


class HeatMapSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=Risk.Type.choices)
    total = serializers.IntegerField(help_text="Entries that are not closed.")
    cells = HeatMapCellSerializer(many=True, help_text="25 cells, likelihood 5 to 1, impact 1 to 5.")


class RiskHeatMapSerializer(serializers.Serializer):
    risk = HeatMapSerializer()
    opportunity = HeatMapSerializer()
