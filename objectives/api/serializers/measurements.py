"""Serializers of measurements and of the objectives' health figures."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from objectives.models import Measurement, Objective
from objectives.models.measurements import period_label
from objectives.selectors.measurements import DashboardRow

PERIOD_FORMATS = ["%Y-%m-%d", "%Y-%m"]


class MeasurementSerializer(serializers.ModelSerializer):
    objective_reference = serializers.CharField(source="objective.reference", read_only=True)
    period_label = serializers.SerializerMethodField(help_text="e.g. “Mar 2026”, “Week of 2 Mar 2026”, “Q1 2026”.")
    entered_by_name = serializers.SerializerMethodField()
    requirement_ids = serializers.SerializerMethodField(help_text="ISO 9001 items this record evidences.")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "objective",
            "objective_reference",
            "period_start",
            "period_label",
            "value",
            "comment",
            "entered_by",
            "entered_by_name",
            "correction_reason",
            "requirement_ids",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_period_label(self, measurement) -> str:
        frequency = measurement.objective.frequency
        return period_label(frequency, measurement.period_start) if frequency else str(measurement.period_start)

    def get_entered_by_name(self, measurement) -> str:
        user = measurement.entered_by
        return user.get_full_name() or user.get_username()

    def get_requirement_ids(self, measurement) -> list[str]:
        return list(Measurement.REQUIREMENT_IDS)


class MeasurementCreateSerializer(serializers.Serializer):
    """A new value: the objective, any day of the period (or YYYY-MM), the value and a comment."""

    objective = serializers.PrimaryKeyRelatedField(queryset=Objective.objects.all())
    period = serializers.DateField(
        input_formats=PERIOD_FORMATS,
        help_text="Any day of the period (YYYY-MM-DD) or a month (YYYY-MM); stored as the period's first day.",
    )
    value = serializers.DecimalField(max_digits=30, decimal_places=10, coerce_to_string=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MeasurementCorrectSerializer(serializers.Serializer):
    """A correction: the new value (and comment) with the reason, which is required."""

    value = serializers.DecimalField(max_digits=30, decimal_places=10, coerce_to_string=True)
    comment = serializers.CharField(required=False, allow_blank=True)
    correction_reason = serializers.CharField(
        allow_blank=True, help_text="Why the value changes; the old value stays in the history."
    )


class MeasurementImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="UTF-8 CSV with the columns objective, period, value, comment.")


class MeasurementImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    objectives = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class HealthCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    off_track = serializers.IntegerField()
    no_data = serializers.IntegerField()
    projected_to_miss = serializers.IntegerField()


class RecentValueSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)


class ObjectiveHealthRowSerializer(serializers.Serializer):
    """One objective as the dashboard shows it."""

    id = serializers.IntegerField(source="objective.pk")
    reference = serializers.CharField(source="objective.reference")
    title = serializers.CharField(source="objective.title")
    status = serializers.CharField(source="objective.status")
    category = serializers.CharField(source="objective.category")
    health = serializers.CharField(source="objective.health")
    projected_to_miss = serializers.BooleanField(source="objective.projected_to_miss")
    metric_name = serializers.CharField(source="objective.metric_name")
    unit = serializers.CharField(source="objective.unit")
    direction = serializers.CharField(source="objective.direction")
    target = serializers.DecimalField(source="objective.target", max_digits=14, decimal_places=4, allow_null=True)
    target_upper = serializers.DecimalField(
        source="objective.target_upper", max_digits=14, decimal_places=4, allow_null=True
    )
    target_text = serializers.CharField()
    latest_value = serializers.SerializerMethodField()
    latest_period = serializers.SerializerMethodField()
    latest_text = serializers.CharField()
    forecast_value = serializers.DecimalField(
        source="objective.forecast_value", max_digits=14, decimal_places=4, allow_null=True
    )
    forecast_text = serializers.CharField()
    due_date = serializers.DateField(source="objective.due_date", allow_null=True)
    owner = serializers.IntegerField(source="objective.owner_id")
    owner_name = serializers.CharField(source="objective.owner.full_name")
    department = serializers.IntegerField(source="objective.department_id", allow_null=True)
    department_name = serializers.SerializerMethodField()
    recent_values = serializers.SerializerMethodField(help_text="The last 12 values, oldest first.")

    def get_latest_value(self, row: DashboardRow) -> str | None:
        return f"{row.recent[-1][1]:.4f}" if row.recent else None

    def get_latest_period(self, row: DashboardRow) -> str | None:
        return row.recent[-1][0].isoformat() if row.recent else None

    def get_department_name(self, row: DashboardRow) -> str:
        return row.objective.department.name if row.objective.department else ""

    @extend_schema_field(RecentValueSerializer(many=True))
    def get_recent_values(self, row: DashboardRow) -> list[dict]:
        return RecentValueSerializer([{"period_start": d, "value": v} for d, v in row.recent], many=True).data


class ObjectiveHealthSerializer(serializers.Serializer):
    """The dashboard's figures: counts per health state (ignoring the health filter) and a page of rows."""

    counts = HealthCountsSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ObjectiveHealthRowSerializer(many=True)
