"""Factories of employee feedback."""

import factory
from django.utils import timezone

from leadership.models.feedback import EmployeeFeedback
from leadership.selectors.feedback import hash_code
from tests.leadership.factories import PersonFactory


class EmployeeFeedbackFactory(factory.django.DjangoModelFactory):
    """Named feedback by default; `anonymous=True` gives an anonymous item whose code is `code`."""

    class Meta:
        model = EmployeeFeedback
        exclude = ["code"]

    class Params:
        anonymous_item = factory.Trait(
            anonymous=True,
            reporter=None,
            followup_code_hash=factory.LazyAttribute(lambda f: hash_code(f.code)),
        )

    code = factory.Sequence(lambda n: f"TEST-CODE-{n:04d}-ABCD-EFGH")
    reference = factory.Sequence(lambda n: f"EF-2026-{n + 500:03d}")
    kind = EmployeeFeedback.Kind.PROBLEM
    title = factory.Sequence(lambda n: f"Problem {n}")
    description = "Parts come out with burrs."
    reporter = factory.SubFactory(PersonFactory)
    department = factory.LazyAttribute(lambda f: f.reporter.department if f.reporter else None)
    submitted_at = factory.LazyFunction(timezone.now)


def grow_feedback(n: int) -> None:
    """Named and anonymous items, some answered: data for query-count tests."""
    for i in range(n):
        if i % 3 == 0:
            EmployeeFeedbackFactory(anonymous_item=True, department=PersonFactory().department)
        else:
            reporter = PersonFactory()
            EmployeeFeedbackFactory(
                reporter=reporter,
                status="answered" if i % 3 == 1 else "new",
                answer="Done" if i % 3 == 1 else "",
                answered_at=timezone.now() if i % 3 == 1 else None,
                answered_by=reporter.user if i % 3 == 1 else None,
            )
