"""What a signed-in user may do, read once per request from the cache (issue 7).

Every page checks a permission (meso_clinic/core/access.py) and the role (`has_clinic_role`); with
Django's ModelBackend that is three queries per request (the user's permissions, their groups'
permissions, their groups). Here the three come from one cache entry per user (Redis in
production, shared by every web node), refreshed from the database when it is missing or stale:

- `ClinicModelBackend`: Django's ModelBackend (the same password check), whose permission set
  comes from `clinic_access`, and which loads the user with their staff preference in one query.
- `clinic_access(user)`: the user's permissions and clinic roles, kept on the user object for
  the request and in the cache for ACCESS_CACHE_SECONDS.

Any change to who has what (a user's groups or own permissions, a group's permissions, a group,
a permission, a new user) bumps a generation number that every cached entry carries, so that a
changed role applies from the next request, on every node. A superuser flag is part of the key.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .roles import ROLES

ACCESS_CACHE_SECONDS = 300  # a backstop: the generation number makes changes apply at once
GENERATION_KEY = "clinic-access:generation"


@dataclass(frozen=True)
class ClinicAccess:
    permissions: frozenset[str]  # "app_label.codename"
    roles: tuple[str, ...]  # clinic role names (meso_clinic/core/roles.py), sorted


def _key(user) -> str:
    return f"clinic-access:{user.pk}:{int(user.is_superuser)}"


def _from_database(user) -> ClinicAccess:
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    codes = permissions.values_list("content_type__app_label", "codename").distinct()
    roles = user.groups.filter(name__in=ROLES).order_by("name").values_list("name", flat=True)
    return ClinicAccess(frozenset(f"{app}.{code}" for app, code in codes), tuple(roles))


def clinic_access(user) -> ClinicAccess:
    """The user's permissions and roles: from the user object, else the cache, else the database."""
    access = getattr(user, "_clinic_access", None)
    if access is not None:
        return access
    key = _key(user)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY, 0)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        access = ClinicAccess(frozenset(cached[1]), tuple(cached[2]))
    else:
        access = _from_database(user)
        cache.set(key, (generation, sorted(access.permissions), list(access.roles)), ACCESS_CACHE_SECONDS)
    user._clinic_access = access
    return access


def access_changed() -> None:
    """Every cached entry is stale from now on (they carry the old generation), and again once the change
    commits: a request that read the old rows between the first bump and the commit would otherwise have
    cached them under the new generation, for ACCESS_CACHE_SECONDS (a removed role kept working)."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (first change, or evicted): any new value differs from 0
        cache.set(GENERATION_KEY, 1, None)


class ClinicModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            # The staff preference (language, meso_clinic/core/preferences.py) is read on every request.
            user = user_model._default_manager.select_related("preference").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(clinic_access(user_obj).permissions)
        return user_obj._perm_cache


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="clinic_access_user_groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="clinic_access_user_perms")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="clinic_access_group_perms")
def _membership_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        access_changed()


@receiver(post_save, sender=User.groups.through, dispatch_uid="clinic_access_user_groups_row")
@receiver(post_delete, sender=User.groups.through, dispatch_uid="clinic_access_user_groups_row_gone")
@receiver(post_save, sender=User.user_permissions.through, dispatch_uid="clinic_access_user_perms_row")
@receiver(post_delete, sender=User.user_permissions.through, dispatch_uid="clinic_access_user_perms_row_gone")
@receiver(post_save, sender=Group.permissions.through, dispatch_uid="clinic_access_group_perms_row")
@receiver(post_delete, sender=Group.permissions.through, dispatch_uid="clinic_access_group_perms_row_gone")
@receiver(post_save, sender=Group, dispatch_uid="clinic_access_group")
@receiver(post_delete, sender=Group, dispatch_uid="clinic_access_group_gone")
@receiver(post_save, sender=Permission, dispatch_uid="clinic_access_permission")
@receiver(post_delete, sender=Permission, dispatch_uid="clinic_access_permission_gone")
@receiver(post_delete, sender=User, dispatch_uid="clinic_access_user_gone")
def _rows_changed(sender, **kwargs) -> None:
    access_changed()


@receiver(post_save, sender=User, dispatch_uid="clinic_access_user")
def _user_saved(sender, instance, created, **kwargs) -> None:
    # A new account may reuse the id of one deleted (or rolled back) before it.
    if created:
        access_changed()


def has_clinic_role(user: User | AnonymousUser) -> bool:
    """A signed-in member of at least one clinic role (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    # From the cached access of meso_clinic/core/permissions.py: no query per call (every page asks).
    return user.is_superuser or bool(clinic_access(user).roles)


def role_names(user: User) -> list[str]:
    return list(clinic_access(user).roles)
