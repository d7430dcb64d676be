"""Pages of roles, responsibilities and authorities (5.3) and of the management representative."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from leadership.filters.positions import ManagementRepresentativeAppointmentFilterSet, PositionFilterSet
from leadership.forms.positions import (
    ManagementRepresentativeAppointmentForm,
    PositionAcknowledgeForm,
    PositionForm,
    PositionHolderAssignForm,
    PositionHolderEndForm,
)
from leadership.models import Person
from leadership.models.positions import ManagementRepresentativeAppointment, Position, PositionHolder
from leadership.selectors import positions as selectors
from leadership.selectors.people import history_for
from leadership.services import positions as services
from qms.exceptions import ApplicationError
from qms.forms import SignForm, add_service_errors
from qms.signatures import canonical_text, signature_matches
from qms.views import HtmxFilterListView, ServiceFormView

# Positions ---------------------------------------------------------------------------------------


class PositionListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_position"
    filterset_class = PositionFilterSet
    template_name = "leadership/positions/position_list.html"
    partial_template_name = "leadership/positions/partials/_position_table.html"

    def get_queryset(self):
        return selectors.position_list()


class PositionDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_position"
    template_name = "leadership/positions/position_detail.html"
    context_object_name = "position"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.position_detail(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.object
        user = self.request.user
        context["today"] = today = timezone.localdate()
        context["acknowledgements"] = selectors.position_acknowledgements(position)
        # The signed-in user's own holding, for the acknowledge banner.
        context["my_holding"] = next(
            (
                h
                for h in position.all_holdings
                if h.person.user_id == user.pk and (h.end_date is None or h.end_date >= today)
            ),
            None,
        )
        if user.has_perm("leadership.view_historicalposition"):
            context["history"] = history_for(position)
        return context


class PositionFormView(ServiceFormView):
    form_class = PositionForm
    add_permission = "leadership.add_position"
    change_permission = "leadership.change_position"
    verbose_name = "position"

    def get_object(self):
        return get_object_or_404(Position, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def create(self, data):
        data.pop("is_active", None)
        return services.position_create(actor=self.request.user, **data)

    def update(self, obj, data):
        revision = obj.revision
        position = services.position_update(actor=self.request.user, position=obj, **data)
        if position.revision != revision:
            messages.info(
                self.request,
                f"The description changed: it is now revision {position.revision}, and its holders are asked "
                "to acknowledge it again.",
            )
        return position

    def cancel_url(self):
        return reverse("leadership:position-list")


class _FormPage(PermissionRequiredMixin, FormView):
    """A small form on its own page, calling one service (shared form template)."""

    template_name = "qms/form_page.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.cancel_url(), **kwargs)

    def cancel_url(self) -> str:
        raise NotImplementedError


class PositionHolderAssignView(_FormPage):
    permission_required = "leadership.change_position"
    form_class = PositionHolderAssignForm

    @cached_property
    def position(self):
        return get_object_or_404(Position.objects.select_related("department"), pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"Assign a holder to {self.position}"

    def cancel_url(self):
        return self.position.get_absolute_url()

    def form_valid(self, form):
        try:
            holder = services.position_holder_assign(
                actor=self.request.user, position=self.position, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.position)
        messages.success(
            self.request,
            f"{holder.person} holds {self.position} from {holder.start_date:%d %b %Y}; "
            "they are asked to acknowledge the description.",
        )
        return redirect(self.position)


class PositionHolderEndView(_FormPage):
    permission_required = "leadership.change_position"
    form_class = PositionHolderEndForm

    @cached_property
    def holder(self):
        return get_object_or_404(
            PositionHolder.objects.select_related("position", "person__user"), pk=self.kwargs["pk"]
        )

    @property
    def title(self):
        return f"End {self.holder.person}'s holding of {self.holder.position}"

    def cancel_url(self):
        return self.holder.position.get_absolute_url()

    def get_initial(self):
        return {"end_date": self.holder.end_date or timezone.localdate()}

    def form_valid(self, form):
        try:
            holder = services.position_holder_end(actor=self.request.user, holder=self.holder, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.holder.position)
        messages.success(self.request, f"{holder.person} holds {holder.position} until {holder.end_date:%d %b %Y}.")
        return redirect(holder.position)


# My positions and acknowledgements ---------------------------------------------------------------


class MyPositionsView(LoginRequiredMixin, TemplateView):
    """The positions the signed-in person holds, to read and acknowledge."""

    template_name = "leadership/positions/my_positions.html"

    def get_context_data(self, **kwargs):
        person = Person.objects.filter(user=self.request.user).first()
        holdings = list(selectors.my_positions(person))
        return super().get_context_data(person=person, holdings=holdings, today=timezone.localdate(), **kwargs)


class PositionAcknowledgeView(LoginRequiredMixin, View):
    """POST only: the signed-in holder acknowledges the revision of the description they read."""

    http_method_names = ["post"]

    def post(self, request, pk):
        position = get_object_or_404(Position, pk=pk)
        form = PositionAcknowledgeForm(request.POST)
        back = request.POST.get("next") or ""
        back = back if back.startswith("/") and not back.startswith("//") else reverse("leadership:my-positions")
        if not form.is_valid():
            messages.error(
                request, "Nothing was acknowledged: the page did not say which revision you read. Reload it."
            )
            return redirect(back)
        try:
            acknowledgement = services.position_acknowledge(
                actor=request.user, position=position, revision=form.cleaned_data["revision"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(
            request, f"You acknowledged revision {acknowledgement.revision} of your position {position.title}."
        )
        return redirect(back)


class ResponsibilityMatrixView(PermissionRequiredMixin, TemplateView):
    """Who carries which ISO item, and the gaps, in words."""

    permission_required = "leadership.view_position"
    template_name = "leadership/positions/matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(matrix=selectors.responsibility_matrix(), **kwargs)
        if self.request.user.has_perm("leadership.view_managementrepresentativeappointment"):
            context["show_appointment"] = True
            context["appointment"] = selectors.current_management_representative_appointment()
        return context


# The management representative -------------------------------------------------------------------


class AppointmentListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_managementrepresentativeappointment"
    filterset_class = ManagementRepresentativeAppointmentFilterSet
    template_name = "leadership/positions/appointment_list.html"
    partial_template_name = "leadership/positions/partials/_appointment_table.html"

    def get_queryset(self):
        return selectors.appointment_list()


class AppointmentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_managementrepresentativeappointment"
    template_name = "leadership/positions/appointment_detail.html"
    context_object_name = "appointment"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.appointment_list(), pk=self.kwargs["pk"])

    def get_context_data(self, sign_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        appointment = self.object
        user = self.request.user
        if appointment.signature is not None:
            context["intact"] = signature_matches(appointment.signature, canonical_text(appointment.signed_content()))
        if appointment.is_editable and user.has_perm(services.SIGNING_PERMISSION):
            context["sign_form"] = sign_form or SignForm()
            context["sign_url"] = reverse("leadership:appointment-sign", args=[appointment.pk])
            context["sign_label"] = "Sign the appointment"
            context["sign_statement"] = (
                f"By signing you approve the appointment of {appointment.person.full_name} as management "
                f"representative from {appointment.start_date:%d %b %Y}, with the powers and budget limit above."
            )
        if user.has_perm("leadership.view_historicalmanagementrepresentativeappointment"):
            context["history"] = history_for(appointment)
        return context


class AppointmentFormView(ServiceFormView):
    form_class = ManagementRepresentativeAppointmentForm
    # Drafting and correcting a draft are the same job: the management representative's.
    add_permission = services.DRAFTING_PERMISSION
    change_permission = services.DRAFTING_PERMISSION
    verbose_name = "appointment"

    def get_object(self):
        return get_object_or_404(ManagementRepresentativeAppointment, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get(self, request, *args, **kwargs):
        if self.object is not None and not self.object.is_editable:
            messages.error(request, "A signed appointment cannot be changed; draft a new appointment instead.")
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ApplicationError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.object or reverse("leadership:appointment-list"))

    def create(self, data):
        return services.management_representative_appointment_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.management_representative_appointment_update(actor=self.request.user, appointment=obj, **data)

    def cancel_url(self):
        return reverse("leadership:appointment-list")


class AppointmentSignView(AppointmentDetailView):
    """POST only: a member of top management signs the appointment with their password."""

    permission_required = services.SIGNING_PERMISSION
    http_method_names = ["post"]

    def post(self, request, pk):
        self.object = self.get_object()
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                services.management_representative_appointment_sign(
                    actor=request.user,
                    appointment=self.object,
                    password=form.cleaned_data["password"],
                    otp_code=form.cleaned_data["otp_code"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(self.object)
            else:
                messages.success(
                    request,
                    f"Signed: {self.object.person} is the management representative from "
                    f"{self.object.start_date:%d %b %Y}.",
                )
                return redirect(self.object)
        return render(request, self.template_name, self.get_context_data(sign_form=form), status=200)
