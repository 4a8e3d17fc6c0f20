from .visibility import roles_of


def roles(request):
    """Expose the signed-in user's roles to templates, for navigation only (never for access)."""
    return {"portal_roles": roles_of(getattr(request, "user", None))}
