"""Serializers of resource requests and the quality budget (5.1.1.e, 7.1)."""

from rest_framework import serializers

from leadership.models import Department
from leadership.models.resources import QualityBudget, ResourceCategory, ResourceRequest, ResourceSpend
from qms.serializers import SignatureSerializer, SignInputSerializer


class ResourceSpendSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceSpend
        fields = ["id", "request", "date", "amount", "note", "recorded_by", "created_at"]
        read_only_fields = fields


class ResourceRequestSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.full_name", read_only=True)
    spent = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Total recorded as spent on this request."
    )
    decision_signature = SignatureSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ResourceRequest
        fields = [
            "id",
            "reference",
            "title",
            "category",
            "amount",
            "currency",
            "justification",
            "requester",
            "requester_name",
            "department",
            "serves",
            "needed_by",
            "status",
            "requirement_ids",
            "decision_reason",
            "decided_at",
            "decided_by",
            "decision_signature",
            "spent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ResourceRequestWriteSerializer(serializers.Serializer):
    """Input for submitting or editing a request; the requester is the signed-in person."""

    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=ResourceCategory.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    justification = serializers.CharField()
    needed_by = serializers.DateField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    serves = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DecisionInputSerializer(SignInputSerializer):
    """The decider's password, and the reason (required to reject)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SpendInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class QualityBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityBudget
        fields = ["id", "year", "category", "planned_amount", "currency", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service, which names the field in its message.
        validators = []
        extra_kwargs = {"currency": {"required": False, "allow_blank": True}}


class QualityBudgetUpdateSerializer(serializers.Serializer):
    planned_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    currency = serializers.CharField(max_length=3, required=False)


class BudgetRequestRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    needed_by = serializers.DateField()


class BudgetCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ResourceCategory.choices)
    label = serializers.CharField()
    budget_id = serializers.IntegerField(allow_null=True, help_text="The budget line's id; null when not planned.")
    currency = serializers.CharField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    approved = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved_count = serializers.IntegerField()
    pending = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Submitted, awaiting decision.")
    pending_count = serializers.IntegerField()
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Planned minus approved; null when not planned."
    )
    approved_requests = BudgetRequestRefSerializer(many=True)
    pending_requests = BudgetRequestRefSerializer(many=True)
    other_currency_requests = BudgetRequestRefSerializer(many=True)


class BudgetTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved = serializers.DecimalField(max_digits=14, decimal_places=2)
    pending = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)


class BudgetSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    currency = serializers.CharField()
    rule = serializers.CharField(help_text="How requests are counted in a year.")
    categories = BudgetCategorySerializer(many=True)
    total = BudgetTotalSerializer()
    total_leaves_out = serializers.ListField(
        child=serializers.CharField(), help_text="Categories budgeted in another currency, left out of the total."
    )
