from leadership.roles import ROLE_ORDER


def current_person(request):
    """The signed-in user's headline role, for the shell's user menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    names = {g.name for g in user.groups.all()}
    role = next((r.value for r in ROLE_ORDER if r.value in names), "")
    return {"current_role": role}
