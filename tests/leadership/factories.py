import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from leadership.models import Department, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"D{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    job_title = factory.Faker("job")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.user.groups.set(Group.objects.filter(name__in=extracted))


def grow_organisation(departments: int, people_per_department: int = 3) -> None:
    """Add departments with people holding two roles each: data for query-count tests."""
    created = DepartmentFactory.create_batch(departments)
    for i in range(departments * people_per_department):
        PersonFactory(department=created[i % departments], roles=["Employee", "QA staff"])
