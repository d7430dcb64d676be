from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from leadership.api.serializers.people import (
    DepartmentSerializer,
    MeSerializer,
    PersonSerializer,
    PersonWriteSerializer,
)
from leadership.filters.people import DepartmentFilterSet, PersonFilterSet
from leadership.models import Person
from leadership.selectors import people as selectors
from leadership.services import people as services


class DepartmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Departments of the organisation. Departments are deactivated, never deleted."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    ordering_fields = ["name", "code"]
    search_fields = ["name", "code"]

    def get_queryset(self):
        return selectors.department_list()

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "is_active"}
        serializer.instance = services.department_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.department_update(
            actor=self.request.user, department=serializer.instance, **serializer.validated_data
        )

    def _respond(self, department, code):
        return Response(self.get_serializer(selectors.department_get(department.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self._respond(serializer.instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self._respond(serializer.instance, status.HTTP_200_OK)


@extend_schema(responses=PersonSerializer)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People with their account, department, manager and roles. People are deactivated, never deleted."""

    filterset_class = PersonFilterSet
    ordering_fields = ["user__last_name", "user__first_name", "job_title"]

    def get_queryset(self):
        return selectors.person_list().distinct()

    def get_serializer_class(self):
        return PersonWriteSerializer if self.action in {"create", "update", "partial_update"} else PersonSerializer

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(actor=request.user, **serializer.validated_data)
        return Response(PersonSerializer(selectors.person_get(person.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def update(self, request, *args, **kwargs):
        person = self.get_object()
        serializer = PersonWriteSerializer(person, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # The write serializer names account fields flat; the service takes them the same way.
        services.person_update(actor=request.user, person=person, **data)
        return Response(PersonSerializer(selectors.person_get(person.pk)).data)


class MeView(APIView):
    """The signed-in user: profile, roles and effective permissions."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        try:
            person = selectors.person_list().get(user=request.user)
        except Person.DoesNotExist as exc:
            raise NotFound("This account has no person profile.") from exc
        return Response(MeSerializer(person).data)
