from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, TemplateView

from leadership import selectors, services
from leadership.filters import DepartmentFilterSet, PersonFilterSet
from leadership.forms import DepartmentForm, PersonForm
from leadership.models import Department, Person
from qms.forms import add_service_errors
from qms.views import HtmxFilterListView

# Departments ----------------------------------------------------------------------------


class DepartmentListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_department"
    filterset_class = DepartmentFilterSet
    template_name = "leadership/department_list.html"
    partial_template_name = "leadership/partials/_department_table.html"

    def get_queryset(self):
        return selectors.department_list()


class DepartmentDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_department"
    template_name = "leadership/department_detail.html"
    context_object_name = "department"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.department_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        department = self.object
        context["people"] = selectors.person_list().filter(department=department, user__is_active=True)
        context["children"] = selectors.department_list().filter(parent=department)
        if self.request.user.has_perm("leadership.view_historicaldepartment"):
            context["history"] = selectors.history_for(department)
        return context


class DepartmentFormView(PermissionRequiredMixin, FormView):
    form_class = DepartmentForm
    template_name = "leadership/department_form.html"

    def get_permission_required(self):
        return ["leadership.change_department" if "pk" in self.kwargs else "leadership.add_department"]

    @cached_property
    def department(self) -> Department | None:
        return get_object_or_404(Department, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.department}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.department is None:
                department = services.department_create(actor=self.request.user, **data)
                messages.success(self.request, f"Department “{department}” created.")
            else:
                department = services.department_update(actor=self.request.user, department=self.department, **data)
                messages.success(self.request, f"Department “{department}” saved.")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(department)

    def get_context_data(self, **kwargs):
        return super().get_context_data(department=self.department, **kwargs)


# People -------------------------------------------------------------------------------------


class PersonListView(PermissionRequiredMixin, HtmxFilterListView):
    permission_required = "leadership.view_person"
    filterset_class = PersonFilterSet
    template_name = "leadership/person_list.html"
    partial_template_name = "leadership/partials/_person_table.html"

    def get_queryset(self):
        return selectors.person_list().distinct()


class PersonDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "leadership.view_person"
    template_name = "leadership/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.person_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["roles"] = selectors.person_roles(person)
        context["reports"] = selectors.person_list().filter(manager=person, user__is_active=True)
        if self.request.user.has_perm("leadership.view_historicalperson"):
            context["history"] = selectors.history_for(person)
            context["account_history"] = selectors.history_for(person.user)
        return context


class PersonFormView(PermissionRequiredMixin, FormView):
    form_class = PersonForm
    template_name = "leadership/person_form.html"

    def get_permission_required(self):
        return ["leadership.change_person" if "pk" in self.kwargs else "leadership.add_person"]

    @cached_property
    def person(self) -> Person | None:
        return get_object_or_404(selectors.person_list(), pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        if self.person is None:
            return super().get_initial()
        user = self.person.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "job_title": self.person.job_title,
            "department": self.person.department,
            "manager": self.person.manager,
            "phone": self.person.phone,
            "roles": selectors.person_roles(self.person),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            if self.person is None:
                person = services.person_create(actor=self.request.user, **data)
                messages.success(self.request, f"{person} added.")
            else:
                person = services.person_update(actor=self.request.user, person=self.person, **data)
                messages.success(self.request, f"{person} saved.")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class RoleOverviewView(PermissionRequiredMixin, TemplateView):
    permission_required = "leadership.view_person"
    template_name = "leadership/roles.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roles=selectors.role_overview(), **kwargs)


def my_profile(request):
    """The signed-in user's own person page."""
    person = Person.objects.filter(user=request.user).only("pk").first()
    if person is None:
        messages.info(request, "Your account has no person profile yet; ask your management representative.")
        return redirect("home")
    return redirect(person)
