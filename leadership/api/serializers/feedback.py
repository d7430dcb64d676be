"""Serializers of the employee quality feedback box (5.1.1.h)."""

from rest_framework import serializers

from leadership.models import Department
from leadership.models.feedback import EmployeeFeedback


class EmployeeFeedbackSerializer(serializers.ModelSerializer):
    reporter_name = serializers.SerializerMethodField(help_text="Empty for anonymous feedback.")
    overdue = serializers.BooleanField(read_only=True, help_text="Still unanswered past the answer limit.")
    answer_due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = EmployeeFeedback
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "description",
            "department",
            "submitted_at",
            "anonymous",
            "reporter",
            "reporter_name",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "answer",
            "answered_at",
            "answered_by",
            "closed_at",
            "answer_due_at",
            "overdue",
            "version",
        ]
        read_only_fields = fields

    def get_reporter_name(self, feedback) -> str:
        return "" if feedback.reporter is None else feedback.reporter.full_name


class EmployeeFeedbackCreatedSerializer(EmployeeFeedbackSerializer):
    follow_up_code = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Anonymous feedback only: the reporter's follow-up code. Returned this once and never stored.",
    )

    class Meta(EmployeeFeedbackSerializer.Meta):
        fields = [*EmployeeFeedbackSerializer.Meta.fields, "follow_up_code"]
        read_only_fields = fields


class EmployeeFeedbackInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EmployeeFeedback.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    anonymous = serializers.BooleanField(required=False, default=False)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, trim_whitespace=True)


class FollowUpInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class FollowUpSerializer(serializers.ModelSerializer):
    """What an anonymous reporter sees with their code: status and answer, no names."""

    overdue = serializers.BooleanField(read_only=True)
    answer_due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = EmployeeFeedback
        fields = [
            "reference",
            "kind",
            "title",
            "submitted_at",
            "status",
            "answer",
            "answered_at",
            "answer_due_at",
            "overdue",
        ]
        read_only_fields = fields
