"""Serializers of the leadership commitment log (5.1.1)."""

from rest_framework import serializers

from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from qms.iso import requirement_choices


class CommitmentEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = CommitmentEntry
        fields = [
            "id",
            "date",
            "person",
            "person_name",
            "description",
            "requirement_ids",
            "source",
            "source_label",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class CommitmentEntryInputSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    date = serializers.DateField()
    description = serializers.CharField(max_length=4000)
    requirement_ids = serializers.ListField(
        child=serializers.ChoiceField(choices=requirement_choices("5.1.1.")), allow_empty=False
    )


class CoverageRowSerializer(serializers.Serializer):
    id = serializers.CharField(source="requirement.id")
    text = serializers.CharField(source="requirement.text")
    count = serializers.IntegerField()


class CommitmentCoverageSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    months = serializers.IntegerField()
    entries = serializers.IntegerField()
    rows = CoverageRowSerializer(many=True)
    missing = serializers.SerializerMethodField()

    def get_missing(self, coverage) -> list[str]:
        return [r.id for r in coverage["missing"]]
