from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from leadership.filters.people import DepartmentFilterSet, PersonFilterSet
from leadership.forms.people import DepartmentForm, PersonForm
from leadership.models import Department, Person
from leadership.selectors import people as selectors
from leadership.services import people as services
from qms.views import HtmxFilterListView, ServiceFormView

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


class DepartmentFormView(ServiceFormView):
    form_class = DepartmentForm
    add_permission = "leadership.add_department"
    change_permission = "leadership.change_department"
    verbose_name = "department"

    def get_object(self):
        return get_object_or_404(Department, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def create(self, data):
        return services.department_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.department_update(actor=self.request.user, department=obj, **data)

    def cancel_url(self):
        return reverse("leadership:department-list")


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


class PersonFormView(ServiceFormView):
    form_class = PersonForm
    add_permission = "leadership.add_person"
    change_permission = "leadership.change_person"
    verbose_name = "person"

    def get_object(self):
        return get_object_or_404(selectors.person_list(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.object}

    def get_initial(self):
        if self.object is None:
            return super().get_initial()
        person, user = self.object, self.object.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "job_title": person.job_title,
            "department": person.department,
            "manager": person.manager,
            "phone": person.phone,
            "roles": selectors.person_roles(person),
        }

    def create(self, data):
        return services.person_create(actor=self.request.user, **data)

    def update(self, obj, data):
        return services.person_update(actor=self.request.user, person=obj, **data)

    def cancel_url(self):
        return reverse("leadership:person-list")


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
