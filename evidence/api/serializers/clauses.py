"""Serializers of the clause catalogue and evidence tags: shape only; the rules are in the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence.filters.clauses import period_errors
from evidence.mapping import kind_for_content_type
from evidence.models.clauses import Clause, EvidenceTag
from leadership.models import Department


class ClauseSerializer(serializers.ModelSerializer):
    evidence_count = serializers.SerializerMethodField(
        help_text="Records evidencing the item in the last twelve months, among the kinds your role may see."
    )

    class Meta:
        model = Clause
        fields = ["id", "group", "group_title", "text", "expected_evidence", "order", "evidence_count"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_evidence_count(self, clause) -> int:
        return self.context.get("evidence_counts", {}).get(clause.pk, 0)


class OpenDateField(serializers.DateField):
    """A date of a period filter, where an empty value means no limit on that side."""

    def validate_empty_values(self, data):
        if data == "":
            return (True, None)
        return super().validate_empty_values(data)


class EvidenceQuerySerializer(serializers.Serializer):
    """Filters of an item's evidence: a period (default the last twelve months) and a department."""

    period_start = OpenDateField(
        required=False,
        allow_null=True,
        help_text="First day, local date. Left out: a year before today; empty: no limit.",
    )
    period_end = OpenDateField(
        required=False, allow_null=True, help_text="Last day, local date. Left out: today; empty: no limit."
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only records of this department and the departments under it.",
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=50)

    def validate(self, attrs):
        errors = period_errors(attrs.get("period_start"), attrs.get("period_end"))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EvidenceRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The record's kind as app_label.model, e.g. leadership.policyversion.")
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField(help_text="The local date that places the record in a period.")
    at = serializers.DateTimeField(allow_null=True, help_text="The moment, for records dated to the minute.")
    lasting = serializers.BooleanField(
        help_text="The record stays evidence after its date (a policy in force, a position held, an active objective)."
    )
    until = serializers.DateField(allow_null=True, help_text="For lasting records, the last day it was in force.")
    in_force = serializers.BooleanField(help_text="A lasting record that is still in force.")
    department = serializers.IntegerField(source="department_id", allow_null=True)
    department_name = serializers.CharField(source="department", help_text="Empty for company-wide records.")
    url = serializers.CharField(help_text="The record's page in Clause5 (empty while it has none).")
    status = serializers.CharField()
    mapped = serializers.BooleanField(help_text="Linked by its kind and state (the automatic mapping).")
    tag = serializers.SerializerMethodField(help_text="The hand-made tag linking it, if any.")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_tag(self, row) -> int | None:
        return row.tag.pk if row.tag is not None else None


class EvidencePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Records evidencing the item with these filters.")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    results = EvidenceRowSerializer(many=True)


class EvidenceTagSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text="The tagged record's kind as app_label.model.")
    tagged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceTag
        fields = [
            "id",
            "clause",
            "kind",
            "object_id",
            "note",
            "tagged_by",
            "tagged_by_name",
            "tagged_at",
            "removed_at",
            "removed_by",
            "removal_reason",
        ]
        read_only_fields = fields

    def get_kind(self, tag) -> str:
        kind = kind_for_content_type(tag.content_type)
        return kind.key if kind else f"{tag.content_type.app_label}.{tag.content_type.model}"

    def get_tagged_by_name(self, tag) -> str:
        return tag.tagged_by.get_full_name() or tag.tagged_by.get_username()


class EvidenceTagCreateSerializer(serializers.Serializer):
    """Input for tagging a record: the item, the record (kind and id) and why."""

    clause = serializers.PrimaryKeyRelatedField(
        queryset=Clause.objects.all(), help_text="A requirement id, e.g. 5.3.e."
    )
    kind = serializers.CharField(help_text="The record's kind as app_label.model, e.g. reviews.meeting.")
    object_id = serializers.CharField(help_text="The record's id.")
    note = serializers.CharField(max_length=2000, help_text="Why the record evidences the item.")


class EvidenceTagRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the record no longer evidences the item.")
