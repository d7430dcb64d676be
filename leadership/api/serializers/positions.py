"""API shapes of roles, responsibilities and authorities (5.3). Serializers check shape; services check rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadership.models import Department, Person
from leadership.models.positions import (
    ManagementRepresentativeAppointment,
    Position,
    PositionAcknowledgement,
    PositionHolder,
)
from qms.serializers import SignatureSerializer
from qms.signatures import canonical_text, signature_matches

# Positions and holders ------------------------------------------------------------------------------


class RequirementSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class HoldingAcknowledgementMixin(serializers.Serializer):
    """The acknowledgement state the selectors annotate on each holding."""

    acknowledged_current = serializers.BooleanField(
        read_only=True, help_text="Whether the person acknowledged the position's current revision."
    )
    acknowledged_current_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_acknowledged_revision = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The latest revision the person acknowledged, if any."
    )


class PositionHolderBriefSerializer(HoldingAcknowledgementMixin, serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = PositionHolder
        fields = [
            "id",
            "person",
            "person_name",
            "start_date",
            "end_date",
            "acknowledged_current",
            "acknowledged_current_at",
            "last_acknowledged_revision",
        ]
        read_only_fields = fields


class PositionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    requirements = serializers.SerializerMethodField()
    has_holder = serializers.BooleanField(read_only=True, help_text="Held by somebody today.")
    holders = PositionHolderBriefSerializer(
        source="current_holders", many=True, read_only=True, help_text="The people holding the position today."
    )

    class Meta:
        model = Position
        fields = [
            "id",
            "title",
            "department",
            "department_name",
            "reports_to",
            "responsibilities",
            "authorities",
            "requirement_ids",
            "requirements",
            "revision",
            "revised_at",
            "is_active",
            "has_holder",
            "holders",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RequirementSerializer(many=True))
    def get_requirements(self, position) -> list[dict]:
        return [{"id": r.id, "text": r.text} for r in position.requirements]


class PositionWriteSerializer(serializers.Serializer):
    """Input for creating or updating a position. The revision is never given: it follows the changes."""

    title = serializers.CharField(max_length=120)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    reports_to = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)
    responsibilities = serializers.CharField(help_text="What the holder must do, one per line.")
    authorities = serializers.CharField(
        required=False, allow_blank=True, help_text="What the holder may decide, one per line."
    )
    requirement_ids = serializers.ListField(
        child=serializers.CharField(), required=False, help_text='ISO 9001 requirement ids, e.g. ["5.3.a"].'
    )
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is None:
            self.fields.pop("is_active")


class PositionHolderSerializer(HoldingAcknowledgementMixin, serializers.ModelSerializer):
    position_title = serializers.CharField(source="position.title", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = PositionHolder
        fields = [
            "id",
            "position",
            "position_title",
            "person",
            "person_name",
            "start_date",
            "end_date",
            "is_current",
            "acknowledged_current",
            "acknowledged_current_at",
            "last_acknowledged_revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_current(self, holder) -> bool:
        return holder.is_current()


class PositionHolderWriteSerializer(serializers.Serializer):
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)


class PositionHolderEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(help_text="The last day the person holds the position.")


class PositionAcknowledgeSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=1, help_text="The revision you read; refused (409) if the description changed since."
    )


class PositionAcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PositionAcknowledgement
        fields = ["id", "position", "person", "revision", "acknowledged_at", "content_sha256"]
        read_only_fields = fields


# The management representative -------------------------------------------------------------------


class ManagementRepresentativeAppointmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    signature = SignatureSerializer(read_only=True, allow_null=True)
    signature_intact = serializers.SerializerMethodField(
        help_text="Whether the appointment still matches what was signed (null while unsigned)."
    )

    class Meta:
        model = ManagementRepresentativeAppointment
        fields = [
            "id",
            "person",
            "person_name",
            "powers",
            "budget_limit",
            "budget_currency",
            "start_date",
            "end_date",
            "status",
            "signature",
            "signature_intact",
            "superseded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_signature_intact(self, appointment) -> bool | None:
        if appointment.signature is None:
            return None
        return signature_matches(appointment.signature, canonical_text(appointment.signed_content()))


class ManagementRepresentativeAppointmentWriteSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    powers = serializers.CharField(help_text="What the representative may do, one per line.")
    budget_limit = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    budget_currency = serializers.CharField(max_length=3, required=False, help_text="ISO 4217 code, e.g. GBP.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)


# The responsibility matrix ------------------------------------------------------------------------


class MatrixColumnSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    is_53 = serializers.BooleanField(help_text="One of the 5.3.a-e items every organisation must assign.")
    assigned = serializers.BooleanField(help_text="Carried by at least one active position.")
    held = serializers.BooleanField(help_text="Carried by at least one active position that somebody holds.")


class MatrixHolderSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    acknowledged_current = serializers.BooleanField()
    last_acknowledged_revision = serializers.IntegerField(allow_null=True)


class MatrixRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.CharField()
    revision = serializers.IntegerField()
    requirement_ids = serializers.ListField(child=serializers.CharField())
    holders = MatrixHolderSerializer(many=True)


class MatrixGapSerializer(serializers.Serializer):
    # A plain string in the schema: an enum here would share the name "kind" with another area's
    # choice set and make drf-spectacular's enum naming collide.
    kind = serializers.CharField(
        help_text="unassigned: a 5.3 item no active position carries; unheld: carried only by positions nobody "
        "holds; no-holder: a position nobody holds; not-acknowledged: a holder behind on the current revision.",
    )
    message = serializers.CharField()
    requirement_id = serializers.CharField(required=False)
    position_id = serializers.IntegerField(required=False)
    person_id = serializers.IntegerField(required=False)
    revision = serializers.IntegerField(required=False)


class MatrixPendingSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    person = serializers.IntegerField()
    revision = serializers.IntegerField()


class ResponsibilityMatrixSerializer(serializers.Serializer):
    """The responsibility matrix with its gaps (built by `matrix_payload`)."""

    columns = MatrixColumnSerializer(many=True)
    rows = MatrixRowSerializer(many=True)
    gaps = MatrixGapSerializer(many=True)
    unassigned_items = serializers.ListField(child=serializers.CharField())
    positions_without_holder = serializers.ListField(child=serializers.IntegerField())
    pending_acknowledgements = MatrixPendingSerializer(many=True)


def matrix_payload(matrix: dict) -> dict:
    """The selector's matrix as plain data for `ResponsibilityMatrixSerializer`."""
    return {
        "columns": matrix["columns"],
        "rows": [
            {
                "position": row["position"].pk,
                "title": row["position"].title,
                "department": row["position"].department.name,
                "revision": row["position"].revision,
                "requirement_ids": row["position"].requirement_ids,
                "holders": [
                    {
                        "person": h.person_id,
                        "name": h.person.full_name,
                        "acknowledged_current": h.acknowledged_current,
                        "last_acknowledged_revision": h.last_acknowledged_revision,
                    }
                    for h in row["holders"]
                ],
            }
            for row in matrix["rows"]
        ],
        "gaps": matrix["gaps"],
        "unassigned_items": matrix["unassigned_items"],
        "positions_without_holder": [p.pk for p in matrix["positions_without_holder"]],
        "pending_acknowledgements": [
            {"position": h.position_id, "person": h.person_id, "revision": h.position.revision}
            for h in matrix["pending_acknowledgements"]
        ],
    }
