"""api/serializers of readiness: the report as plain JSON (read-only)."""

from rest_framework import serializers

from evidence.selectors.readiness import STATUSES


class ReadinessLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="Path of the record or page where the gap is fixed.")


class ReadinessFindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The check that found it, e.g. policy, attendance, evidence.")
    status = serializers.ChoiceField(choices=[s for s in STATUSES if s != "evidenced"])
    reason = serializers.CharField()
    links = ReadinessLinkSerializer(many=True)


class ReadinessItemSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Requirement id, e.g. 5.2.2.b.")
    clause = serializers.CharField()
    text = serializers.CharField()
    expected_evidence = serializers.CharField()
    evidence_count = serializers.IntegerField(help_text="Records evidencing the item in the period.")
    status = serializers.ChoiceField(choices=STATUSES)
    reasons = serializers.ListField(child=serializers.CharField())
    links = ReadinessLinkSerializer(many=True)
    findings = ReadinessFindingSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="Context that does not change the status.")


class ReadinessClauseSerializer(serializers.Serializer):
    clause = serializers.CharField()
    title = serializers.CharField()
    score = serializers.IntegerField(help_text="Percent: evidenced 1, weak 0.5, missing 0.")
    evidenced = serializers.IntegerField()
    weak = serializers.IntegerField()
    missing = serializers.IntegerField()


class ReadinessThresholdsSerializer(serializers.Serializer):
    period_months = serializers.IntegerField()
    acknowledgement_pct = serializers.IntegerField()
    attendance_months = serializers.IntegerField()
    min_meetings_attended = serializers.IntegerField()
    review_max_age_months = serializers.IntegerField()
    overdue_action_days = serializers.IntegerField()
    discussion_months = serializers.IntegerField()
    resource_decision_months = serializers.IntegerField()
    measurement_months = serializers.IntegerField()


class ReadinessReportSerializer(serializers.Serializer):
    today = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    overall = serializers.IntegerField(help_text="Percent over every item: evidenced 1, weak 0.5, missing 0.")
    evidenced = serializers.IntegerField()
    weak = serializers.IntegerField()
    missing = serializers.IntegerField()
    gaps = serializers.IntegerField(help_text="Number of weak and missing items.")
    thresholds = ReadinessThresholdsSerializer()
    clauses = ReadinessClauseSerializer(many=True)
    items = ReadinessItemSerializer(many=True)


class ReadinessQuerySerializer(serializers.Serializer):
    gaps = serializers.BooleanField(required=False, default=False, help_text="Only the weak and missing items.")
