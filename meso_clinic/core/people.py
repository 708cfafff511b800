"""Staff as the pages name and choose them. Part of the kernel: imports no clinic app.

`display_name(user)` is how a person is named everywhere (full name, else username).
`users_with_permission(...)` answers "who may do this" from permissions, never from group names:
the roles table (meso_clinic/core/roles.py) is the one place that says which role holds which permission.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, User
from django.db.models import Q, QuerySet


def display_name(user: User | None) -> str:
    """A person's full name, else the username ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def users_with_permission(*perms: str) -> QuerySet:
    """Active users who hold any of `perms` ("app_label.codename") through a role or on their own account,
    in name order. A superuser holds every permission but is listed only through a role: the lists this feeds
    (who treats, who supervises) name the clinic's staff, not the administrators' accounts."""
    match = Q(pk__in=[])
    for perm in perms:
        app_label, codename = perm.split(".", 1)
        match |= Q(content_type__app_label=app_label, codename=codename)
    granted = Permission.objects.filter(match)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .distinct()
        .order_by("first_name", "username")
    )
