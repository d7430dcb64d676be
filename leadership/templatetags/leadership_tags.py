from django import template

from leadership.selectors import people as selectors

register = template.Library()


@register.filter
def roles(person) -> list[str]:
    """A person's roles, strongest first (from the prefetched groups: no query)."""
    return selectors.person_roles(person)
