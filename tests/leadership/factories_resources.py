"""Factories of resource requests, spending and budget lines."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from leadership.models.resources import QualityBudget, ResourceRequest, ResourceSpend
from tests.leadership.factories import PersonFactory, UserFactory


class ResourceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRequest

    reference = factory.Sequence(lambda n: f"RR-2026-{n + 500:03d}")
    title = factory.Sequence(lambda n: f"Resource {n}")
    category = ResourceRequest.Category.EQUIPMENT
    amount = Decimal("1000.00")
    currency = "GBP"
    justification = "Needed to keep measurements reliable."
    requester = factory.SubFactory(PersonFactory)
    department = factory.SelfAttribute("requester.department")
    needed_by = datetime.date(2026, 6, 30)
    requirement_ids = factory.LazyAttribute(lambda r: ["5.1.1.e"])


class ResourceSpendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceSpend

    request = factory.SubFactory(ResourceRequestFactory, status=ResourceRequest.Status.APPROVED)
    date = datetime.date(2026, 5, 1)
    amount = Decimal("100.00")
    recorded_by = factory.SubFactory(UserFactory)


class QualityBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityBudget
        django_get_or_create = ("year", "category")

    year = 2026
    category = QualityBudget.Category.EQUIPMENT
    planned_amount = Decimal("10000.00")
    currency = "GBP"


def grow_requests(n: int) -> None:
    """Requests of every status and category, a third approved with spending: data for query-count tests."""
    for i in range(n):
        person = PersonFactory()
        status = ["submitted", "approved", "rejected"][i % 3]
        resource_request = ResourceRequestFactory(
            requester=person,
            status=status,
            decided_at=timezone.now() if status != "submitted" else None,
            category=ResourceRequest.Category.values[i % 5],
        )
        if status == "approved":
            ResourceSpendFactory(request=resource_request, recorded_by=person.user)
