"""Serializers of customer focus (5.1.2): customer feedback, requirements and figures.

They check shape only; the services hold the rules (which type takes a severity or a score, the
lifecycle, uniqueness) and name the field in their messages.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Department, Person
from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume, ResponseTarget


def _enum_field(component_name: str, choices, *, blank: bool = False) -> type[serializers.ChoiceField]:
    """A choice field documented as a named enum of its own.

    Several areas have fields called type, status, severity or source with different choices;
    a named component keeps the schema free of drf-spectacular's enum name collisions.
    """
    values = [*choices.values, *([""] if blank else [])]
    schema = {
        "type": "string",
        "enum": values,
        "description": "; ".join(f"`{value}`: {label}" for value, label in choices.choices),
    }
    field_class = type(f"{component_name}Field", (serializers.ChoiceField,), {})
    return extend_schema_field(schema, component_name=component_name)(field_class)


TypeField = _enum_field("CustomerFeedbackTypeEnum", CustomerFeedback.Type)
ChannelField = _enum_field("CustomerFeedbackChannelEnum", CustomerFeedback.Channel)
FeedbackSeverityField = _enum_field("CustomerFeedbackSeverityEnum", CustomerFeedback.Severity, blank=True)
StatusField = _enum_field("CustomerFeedbackStatusEnum", CustomerFeedback.Status)
CategoryField = _enum_field("CustomerRequirementCategoryEnum", CustomerRequirement.Category)
SourceField = _enum_field("CustomerRequirementSourceEnum", CustomerRequirement.Source)
TargetSeverityField = _enum_field("ResponseTargetSeverityEnum", CustomerFeedback.Severity)


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "account_code"]
        read_only_fields = fields


class CustomerFeedbackSerializer(serializers.ModelSerializer):
    type = TypeField(choices=CustomerFeedback.Type.choices, read_only=True)
    channel = ChannelField(choices=CustomerFeedback.Channel.choices, read_only=True)
    severity = FeedbackSeverityField(choices=CustomerFeedback.Severity.choices, read_only=True)
    status = StatusField(choices=CustomerFeedback.Status.choices, read_only=True)
    customer = CustomerSerializer(read_only=True)
    overdue_response = serializers.BooleanField(
        read_only=True, help_text="Still waiting for management's response after its due day."
    )
    overdue_close = serializers.BooleanField(read_only=True, help_text="Still open after its closing due day.")
    responded_late = serializers.BooleanField(read_only=True, help_text="Management responded after the due day.")
    requirement_ids = serializers.SerializerMethodField(help_text="The ISO 9001 items this record evidences.")

    class Meta:
        model = CustomerFeedback
        fields = [
            "id",
            "reference",
            "type",
            "customer",
            "channel",
            "received_date",
            "product",
            "severity",
            "satisfaction_score",
            "description",
            "department",
            "owner",
            "status",
            "response_due_on",
            "close_due_on",
            "overdue_response",
            "overdue_close",
            "responded_late",
            "assessment_note",
            "root_cause",
            "assessed_on",
            "assessed_by",
            "response",
            "responded_on",
            "responded_by",
            "effectiveness_check",
            "closed_on",
            "closed_by",
            "requirement_ids",
            "created_at",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_requirement_ids(self, feedback) -> list[str]:
        return list(feedback.REQUIREMENT_IDS)


class CustomerFeedbackWriteSerializer(serializers.Serializer):
    """Input for registering or correcting feedback. The customer is given by name."""

    type = TypeField(choices=CustomerFeedback.Type.choices)
    customer = serializers.CharField(
        max_length=200, help_text="The customer's name; a name not known yet adds the customer."
    )
    channel = ChannelField(choices=CustomerFeedback.Channel.choices)
    received_date = serializers.DateField()
    product = serializers.CharField(max_length=200, required=False, allow_blank=True)
    severity = FeedbackSeverityField(
        choices=CustomerFeedback.Severity.choices,
        required=False,
        allow_blank=True,
        help_text="Complaints and returns only.",
    )
    satisfaction_score = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True, help_text="Survey responses only: 0 to 10."
    )
    description = serializers.CharField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.filter(user__is_active=True),
        required=False,
        allow_null=True,
        help_text="Defaults to the head of the department.",
    )


class CustomerFeedbackAssessSerializer(serializers.Serializer):
    assessment_note = serializers.CharField()
    root_cause = serializers.CharField(required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False, help_text="Defaults to today.")


class CustomerFeedbackRespondSerializer(serializers.Serializer):
    response = serializers.CharField(help_text="The decision management took.")
    responded_on = serializers.DateField(required=False, help_text="Defaults to today.")


class CustomerFeedbackCloseSerializer(serializers.Serializer):
    effectiveness_check = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="How it was verified that the response worked; required after a management response.",
    )
    closed_on = serializers.DateField(required=False, help_text="Defaults to today.")


class CustomerFeedbackImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="UTF-8 CSV with the columns type, customer, channel, received_date, product, severity, "
        "satisfaction_score, description, department_code."
    )


class CustomerFeedbackImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    by_type = serializers.DictField(child=serializers.IntegerField(), help_text="Rows created per feedback type.")
    new_customers = serializers.ListField(child=serializers.CharField())
    references = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class CustomerRequirementSerializer(serializers.ModelSerializer):
    category = CategoryField(choices=CustomerRequirement.Category.choices, read_only=True)
    source = SourceField(choices=CustomerRequirement.Source.choices, read_only=True)
    customer = CustomerSerializer(read_only=True, allow_null=True)
    review_overdue = serializers.BooleanField(read_only=True, help_text="Active and past its review date.")
    requirement_ids = serializers.SerializerMethodField()

    class Meta:
        model = CustomerRequirement
        fields = [
            "id",
            "requirement",
            "customer",
            "category",
            "department",
            "process",
            "verification",
            "source",
            "source_reference",
            "is_active",
            "review_date",
            "review_overdue",
            "requirement_ids",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_requirement_ids(self, item) -> list[str]:
        return list(item.REQUIREMENT_IDS)


class CustomerRequirementWriteSerializer(serializers.Serializer):
    requirement = serializers.CharField(max_length=300)
    customer = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The customer's name; empty for a requirement of every customer.",
    )
    category = CategoryField(choices=CustomerRequirement.Category.choices)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    process = serializers.CharField(max_length=200)
    verification = serializers.CharField()
    source = SourceField(choices=CustomerRequirement.Source.choices)
    source_reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    review_date = serializers.DateField()


class ResponseTargetSerializer(serializers.ModelSerializer):
    severity = TargetSeverityField(choices=CustomerFeedback.Severity.choices)

    class Meta:
        model = ResponseTarget
        fields = ["id", "severity", "days_to_response", "days_to_close", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # One target per severity is checked by the service, which names the field in its message
        # (the declared severity field carries no uniqueness validator).


class OrderVolumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderVolume
        fields = ["id", "month", "orders", "note", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "month": {"validators": [], "help_text": "Any day of the month; stored as its first day."},
        }


class MonthFiguresSerializer(serializers.Serializer):
    month = serializers.DateField(required=False, help_text="First day of the month; absent in the overall row.")
    responses = serializers.IntegerField(help_text="Survey responses received.")
    average_score = serializers.FloatField(allow_null=True, help_text="Mean satisfaction score (0-10).")
    complaints = serializers.IntegerField(help_text="Complaints received.")
    orders = serializers.IntegerField(allow_null=True, help_text="Orders entered for the month(s).")
    complaints_per_1000_orders = serializers.FloatField(allow_null=True)
    on_time = serializers.IntegerField(help_text="Complaints answered by management by the due day.")
    late = serializers.IntegerField(help_text="Complaints answered late, or unanswered after the due day.")
    pending = serializers.IntegerField(help_text="Complaints not answered and not yet due.")
    compliance = serializers.FloatField(allow_null=True, help_text="on_time / (on_time + late), per cent.")


class CustomerFiguresSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    months = serializers.IntegerField()
    rows = MonthFiguresSerializer(many=True)
    overall = MonthFiguresSerializer()
    months_without_orders = serializers.ListField(child=serializers.DateField())
