from django.conf import settings

from qms.navigation import menus_for


def shell(request):
    """What the base layout needs on every page: organisation name and the user's menus."""
    user = getattr(request, "user", None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_menus": menus_for(user) if user is not None and user.is_authenticated else [],
    }
