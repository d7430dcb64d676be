"""Serializers of internal audits and findings: shape only; the rules are in the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Department, Person
from reviews.models.actions import Action
from reviews.models.audits import AuditFinding, InternalAudit


class FindingActionSummarySerializer(serializers.ModelSerializer):
    """An action of the register that follows up a finding, as the finding shows it."""

    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    # A plain string rather than the action register's own enum, which that area's API declares.
    status = serializers.CharField(
        read_only=True, help_text="open, in-progress, done (awaiting verification), verified or reopened."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text="Not done and past its due date.")

    class Meta:
        model = Action
        fields = ["id", "reference", "title", "owner", "owner_name", "due_date", "status", "status_label", "overdue"]
        read_only_fields = fields


class AuditFindingSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Audit reference and number, e.g. IA-2026-001-F2.")
    audit_reference = serializers.CharField(source="audit.reference", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    is_open = serializers.SerializerMethodField()
    closed_by_name = serializers.CharField(read_only=True, allow_null=True, help_text="Who closed the finding.")
    actions = FindingActionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = AuditFinding
        fields = [
            "id",
            "label",
            "audit",
            "audit_reference",
            "number",
            "kind",
            "department",
            "department_name",
            "clause",
            "description",
            "evidence",
            "is_open",
            "closed_at",
            "closed_by_name",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, finding) -> bool:
        return finding.closed_at is None


class InternalAuditSerializer(serializers.ModelSerializer):
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    department_names = serializers.SerializerMethodField()
    processes = serializers.SerializerMethodField()
    lead_auditor_name = serializers.CharField(source="lead_auditor.full_name", read_only=True)
    findings_count = serializers.IntegerField(read_only=True)
    open_findings_count = serializers.IntegerField(read_only=True)
    nonconformities_count = serializers.IntegerField(read_only=True)
    open_nonconformities_count = serializers.IntegerField(read_only=True)
    findings = AuditFindingSerializer(many=True, read_only=True)

    class Meta:
        model = InternalAudit
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "departments",
            "department_names",
            "processes",
            "criteria",
            "planned_date",
            "audit_date",
            "lead_auditor",
            "lead_auditor_name",
            "summary",
            "findings_count",
            "open_findings_count",
            "nonconformities_count",
            "open_nonconformities_count",
            "findings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_department_names(self, audit) -> list[str]:
        return [d.name for d in audit.departments.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_processes(self, audit) -> list[str]:
        return audit.processes.splitlines()


class InternalAuditWriteSerializer(serializers.Serializer):
    """Input for planning or changing an audit; the scope is departments, processes or both."""

    title = serializers.CharField(max_length=200)
    departments = serializers.PrimaryKeyRelatedField(many=True, queryset=Department.objects.all(), required=False)
    processes = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Processes in scope, one per item."
    )
    criteria = serializers.CharField(max_length=300, help_text="What the audit checks against (9.2.2.b).")
    planned_date = serializers.DateField()
    lead_auditor = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.select_related("user"),
        help_text="Must not belong to, or head, an audited department (9.2.2.c).",
    )


class InternalAuditCompleteSerializer(serializers.Serializer):
    audit_date = serializers.DateField(help_text="When the audit was carried out; not in the future.")
    summary = serializers.CharField(help_text="The audit's overall conclusion.")


class InternalAuditCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the audit is cancelled; kept as its summary.")


class AuditFindingCreateSerializer(serializers.Serializer):
    audit = serializers.PrimaryKeyRelatedField(queryset=InternalAudit.objects.all())
    kind = serializers.ChoiceField(choices=AuditFinding.Kind.choices)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text="In scope, if the scope lists departments.",
    )
    clause = serializers.CharField(max_length=40, required=False, allow_blank=True, help_text="e.g. 9.3.2 or 5.1.1.")
    description = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True)


class AuditFindingUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AuditFinding.Kind.choices)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    clause = serializers.CharField(max_length=40, required=False, allow_blank=True)
    description = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True)


class FindingActionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.select_related("user"))
    due_date = serializers.DateField()
    priority = serializers.ChoiceField(
        choices=Action.Priority.choices,
        required=False,
        help_text="Defaults from the finding's kind: high for a major nonconformity, medium for a minor, else low.",
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, help_text="Defaults to the finding's."
    )
