"""API of roles, responsibilities and authorities (5.3) and of the management representative."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from leadership.api.serializers.positions import (
    ManagementRepresentativeAppointmentSerializer,
    ManagementRepresentativeAppointmentWriteSerializer,
    PositionAcknowledgementSerializer,
    PositionAcknowledgeSerializer,
    PositionHolderEndSerializer,
    PositionHolderSerializer,
    PositionHolderWriteSerializer,
    PositionSerializer,
    PositionWriteSerializer,
    ResponsibilityMatrixSerializer,
    matrix_payload,
)
from leadership.filters.positions import (
    ManagementRepresentativeAppointmentFilterSet,
    PositionFilterSet,
    PositionHolderFilterSet,
)
from leadership.selectors import positions as selectors
from leadership.services import positions as services
from qms.api import ModelPermissions
from qms.serializers import SignInputSerializer


def requires(permission: str) -> type[BasePermission]:
    """A permission class for one Django permission (for actions the model permissions do not map)."""

    class Requires(BasePermission):
        message = f"You need the permission {permission} for this."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    Requires.__name__ = f"Requires_{permission.replace('.', '_')}"
    return Requires


class PositionHolderPermissions(ModelPermissions):
    """Holdings are part of the position: reading them needs view_position, writing change_position."""

    perms_map = {
        "GET": ["leadership.view_position"],
        "HEAD": ["leadership.view_position"],
        "OPTIONS": [],
        "POST": ["leadership.change_position"],
        "PUT": ["leadership.change_position"],
        "PATCH": ["leadership.change_position"],
        "DELETE": ["leadership.change_position"],
    }


class AppointmentPermissions(ModelPermissions):
    """Drafting and correcting a draft both need add_managementrepresentativeappointment; no role
    holds the change permission, because a signed appointment is never changed."""

    perms_map = {
        **ModelPermissions.perms_map,
        "PUT": [services.DRAFTING_PERMISSION],
        "PATCH": [services.DRAFTING_PERMISSION],
    }


class PositionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Positions with responsibilities, authorities, ISO items and current holders. Deactivated, never deleted."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    ordering_fields = ["title", "department__name", "revision"]

    def get_queryset(self):
        return selectors.position_list()

    def get_serializer_class(self):
        return PositionWriteSerializer if self.action in {"create", "update", "partial_update"} else PositionSerializer

    def _respond(self, position, code=status.HTTP_200_OK):
        return Response(PositionSerializer(selectors.position_list().get(pk=position.pk)).data, status=code)

    @extend_schema(request=PositionWriteSerializer, responses={201: PositionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PositionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        position = services.position_create(actor=request.user, **serializer.validated_data)
        return self._respond(position, status.HTTP_201_CREATED)

    @extend_schema(request=PositionWriteSerializer, responses=PositionSerializer)
    def update(self, request, *args, **kwargs):
        position = self.get_object()
        serializer = PositionWriteSerializer(position, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.position_update(actor=request.user, position=position, **serializer.validated_data)
        return self._respond(position)

    @extend_schema(request=PositionAcknowledgeSerializer, responses={201: PositionAcknowledgementSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def acknowledge(self, request, pk=None):
        """The signed-in holder acknowledges the revision of the description they read."""
        position = self.get_object()
        serializer = PositionAcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acknowledgement = services.position_acknowledge(
            actor=request.user, position=position, revision=serializer.validated_data["revision"]
        )
        return Response(PositionAcknowledgementSerializer(acknowledgement).data, status=status.HTTP_201_CREATED)


class PositionHolderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which position, from when to when, and whether they acknowledged the current description."""

    serializer_class = PositionHolderSerializer
    filterset_class = PositionHolderFilterSet
    permission_classes = [PositionHolderPermissions]
    ordering_fields = ["start_date", "end_date"]

    def get_queryset(self):
        return selectors.holding_list()

    def get_serializer_class(self):
        return PositionHolderWriteSerializer if self.action == "create" else PositionHolderSerializer

    @extend_schema(request=PositionHolderWriteSerializer, responses={201: PositionHolderSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PositionHolderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        holder = services.position_holder_assign(actor=request.user, **serializer.validated_data)
        return Response(PositionHolderSerializer(selectors.holding_get(holder.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PositionHolderEndSerializer, responses=PositionHolderSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record the last day of a holding."""
        holder = self.get_object()
        serializer = PositionHolderEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.position_holder_end(actor=request.user, holder=holder, **serializer.validated_data)
        return Response(PositionHolderSerializer(selectors.holding_get(holder.pk)).data)


class ManagementRepresentativeAppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Appointments of the management representative: drafted, signed by top management, then ended.

    A signed appointment never changes (409); a new appointment supersedes it.
    """

    serializer_class = ManagementRepresentativeAppointmentSerializer
    filterset_class = ManagementRepresentativeAppointmentFilterSet
    permission_classes = [AppointmentPermissions]
    ordering_fields = ["start_date", "status"]

    def get_queryset(self):
        return selectors.appointment_list()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return ManagementRepresentativeAppointmentWriteSerializer
        return ManagementRepresentativeAppointmentSerializer

    def _respond(self, appointment, code=status.HTTP_200_OK):
        return Response(
            ManagementRepresentativeAppointmentSerializer(selectors.appointment_get(appointment.pk)).data, status=code
        )

    @extend_schema(
        request=ManagementRepresentativeAppointmentWriteSerializer,
        responses={201: ManagementRepresentativeAppointmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = ManagementRepresentativeAppointmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.management_representative_appointment_create(
            actor=request.user, **serializer.validated_data
        )
        return self._respond(appointment, status.HTTP_201_CREATED)

    @extend_schema(
        request=ManagementRepresentativeAppointmentWriteSerializer,
        responses=ManagementRepresentativeAppointmentSerializer,
    )
    def update(self, request, *args, **kwargs):
        appointment = self.get_object()
        serializer = ManagementRepresentativeAppointmentWriteSerializer(
            appointment, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        services.management_representative_appointment_update(
            actor=request.user, appointment=appointment, **serializer.validated_data
        )
        return self._respond(appointment)

    @extend_schema(request=SignInputSerializer, responses={200: ManagementRepresentativeAppointmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[requires(services.SIGNING_PERMISSION)])
    def sign(self, request, pk=None):
        """A member of top management signs (meaning "approved") with their password: the appointment is in force."""
        appointment = self.get_object()
        serializer = SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.management_representative_appointment_sign(
            actor=request.user, appointment=appointment, **serializer.validated_data
        )
        return self._respond(appointment)


class ResponsibilityMatrixView(APIView):
    """Active positions against the 5.3 items and the other ISO items they carry, with the gaps in words."""

    permission_classes = [requires("leadership.view_position")]

    @extend_schema(responses=ResponsibilityMatrixSerializer)
    def get(self, request):
        return Response(ResponsibilityMatrixSerializer(matrix_payload(selectors.responsibility_matrix())).data)
