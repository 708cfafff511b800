"""Staff roles as Django groups, declared once here (see ../shared/DESIGN.md, "Who uses it").

Each role is a group whose permissions are exactly the ones listed below; `migrate` brings the
groups in line with this table. Views check permissions, never group names, so that a manager can
give one person two roles.
"""

from collections.abc import Iterable

from django.apps import apps as django_apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

RECEPTION = "Reception"
NURSE = "Nurse"
PHYSICIAN = "Physician"
MANAGER = "Clinic manager"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Front desk: registers patients, takes the intake, books sessions, sees the day.
    RECEPTION: frozenset(
        {
            "patients.view_patient",
            "patients.add_patient",
            "patients.change_patient",
            "patients.view_eligibilityscreening",
            "patients.add_eligibilityscreening",
        }
    ),
    # Treatment room: patch tests and session records; reads patients and screenings.
    NURSE: frozenset({"patients.view_patient", "patients.view_eligibilityscreening"}),
    # Reviews eligibility and performs sessions; may correct a patient's record and take an intake.
    PHYSICIAN: frozenset(
        {
            "patients.view_patient",
            "patients.change_patient",
            "patients.view_eligibilityscreening",
            "patients.add_eligibilityscreening",
            "patients.decide_screening",
        }
    ),
    # Runs the clinic: catalogue, users and roles (Django admin), reports.
    MANAGER: frozenset(
        {
            "patients.view_patient",
            "patients.view_eligibilityscreening",
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
        }
    ),
}
ROLES: tuple[str, ...] = tuple(ROLE_PERMISSIONS)


def _permissions(codes: Iterable[str]) -> list[Permission]:
    perms = []
    for code in sorted(codes):
        app_label, codename = code.split(".", 1)
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create the role groups and set their permissions to exactly those of ROLE_PERMISSIONS."""
    # post_migrate fires once per app with models, in INSTALLED_APPS order: wait for the last
    # one, by when every app's permissions exist.
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    if sender is not None and sender.label != with_models[-1].label:
        return
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(codes))


def has_clinic_role(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A signed-in member of at least one clinic role (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=ROLES).exists()


def role_names(user: AbstractBaseUser) -> list[str]:
    return sorted(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
