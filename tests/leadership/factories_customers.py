"""Factories and helpers for the customer focus tests (5.1.2)."""

import datetime

import factory
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from rest_framework.routers import DefaultRouter

from leadership.models.customers import Customer, CustomerFeedback, CustomerRequirement, OrderVolume
from leadership.services import customers as services
from tests.leadership.factories import DepartmentFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")


class CustomerFeedbackFactory(factory.django.DjangoModelFactory):
    """Feedback written straight to the table (for volume); `register()` goes through the service."""

    class Meta:
        model = CustomerFeedback

    # A year of its own, so these never collide with references the service generates.
    reference = factory.Sequence(lambda n: f"CF-1999-{n:04d}")
    type = CustomerFeedback.Type.COMPLAINT
    customer = factory.SubFactory(CustomerFactory)
    channel = CustomerFeedback.Channel.EMAIL
    received_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    product = "hydraulic valve body"
    severity = CustomerFeedback.Severity.MEDIUM
    description = "Burrs on the cross-drilled ports."
    department = factory.SubFactory(DepartmentFactory)
    response_due_on = factory.LazyAttribute(
        lambda o: o.received_date + datetime.timedelta(days=10) if o.severity else None
    )
    close_due_on = factory.LazyAttribute(
        lambda o: o.received_date + datetime.timedelta(days=45) if o.severity else None
    )

    class Params:
        survey = factory.Trait(
            type=CustomerFeedback.Type.SURVEY_RESPONSE, severity="", satisfaction_score=8, channel="survey"
        )


class CustomerRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerRequirement

    requirement = factory.Sequence(lambda n: f"Requirement {n}: ports free of burrs")
    customer = factory.SubFactory(CustomerFactory)
    category = CustomerRequirement.Category.PRODUCT
    department = factory.SubFactory(DepartmentFactory)
    process = "Final inspection"
    verification = "Borescope check on 5 parts per lot."
    source = CustomerRequirement.Source.DRAWING
    review_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class OrderVolumeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderVolume

    month = datetime.date(2026, 1, 1)
    orders = 400


def register(actor, **overrides) -> CustomerFeedback:
    """A complaint registered through the service (reference, due days, history), with overridable fields."""
    data = {
        "type": CustomerFeedback.Type.COMPLAINT,
        "customer": "Aerotec Systems",
        "channel": CustomerFeedback.Channel.EMAIL,
        "received_date": timezone.localdate(),
        "product": "hydraulic valve body",
        "severity": CustomerFeedback.Severity.HIGH,
        "description": "Burrs on 14 of 240 valve bodies.",
    }
    data.update(overrides)
    if "department" not in data:
        data["department"] = DepartmentFactory()
    return services.customer_feedback_create(actor=actor, **data)


def assessed(actor, **overrides) -> CustomerFeedback:
    feedback = register(actor, **overrides)
    return services.customer_feedback_assess(actor=actor, feedback=feedback, assessment_note="Justified.")


def responded(actor, **overrides) -> CustomerFeedback:
    feedback = assessed(actor, **overrides)
    return services.customer_feedback_respond(actor=actor, feedback=feedback, response="Second deburring station.")


def csv_bytes(rows: list[list[str]], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    lines = [",".join(header if header is not None else services.IMPORT_COLUMNS)]
    lines += [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def urlpatterns_with_customers_api() -> list:
    """The project's URLs, plus this area's API when the shared router does not include it yet."""
    from qms.urls import urlpatterns

    try:
        reverse("customer-feedback-list", urlconf="qms.urls")
        return list(urlpatterns)
    except NoReverseMatch:
        pass
    from leadership.api import urls_customers

    router = DefaultRouter(trailing_slash=True)
    router.include_root_view = False
    urls_customers.register(router)
    return [path("api/", include([*urls_customers.urlpatterns, *router.urls])), *urlpatterns]
