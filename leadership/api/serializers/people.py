from rest_framework import serializers

from leadership.models import Department, Person
from leadership.roles import Role
from leadership.selectors import people as selectors


class DepartmentSerializer(serializers.ModelSerializer):
    people_count = serializers.IntegerField(read_only=True, help_text="Active people in the department.")

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "code",
            "parent",
            "head",
            "description",
            "is_active",
            "people_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the service, which names the field in its message.
        extra_kwargs = {"code": {"validators": []}}


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "job_title",
            "department",
            "manager",
            "phone",
            "roles",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_roles(self, person) -> list[str]:
        return selectors.person_roles(person)


class PersonWriteSerializer(serializers.Serializer):
    """Input for creating or updating a person: the account and the profile together."""

    username = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    manager = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # Username and password are not changed through a profile update.
            self.fields.pop("username")
            self.fields.pop("password")
        else:
            self.fields.pop("is_active")


class MeSerializer(PersonSerializer):
    permissions = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "permissions"]
        read_only_fields = fields

    def get_permissions(self, person) -> list[str]:
        return sorted(person.user.get_all_permissions())
