"""Staff roles as Django groups, declared once here (docs/architecture.md, "Who uses it").

Each role is a group whose permissions are exactly the ones listed below; `migrate` brings the
groups in line with this table. Views check permissions, never group names, so that a manager can
give one person two roles.
"""

from collections.abc import Iterable

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

# Group names stay English; pages translate them when they show them (e.g. the dashboard).
RECEPTION = gettext_noop("Reception")
NURSE = gettext_noop("Nurse")
PHYSICIAN = gettext_noop("Physician")
MANAGER = gettext_noop("Clinic manager")

CATALOGUE_READ = {
    "treatments.view_treatmentarea",
    "treatments.view_indication",
    "treatments.view_product",
    "treatments.view_batch",
    "treatments.view_consenttext",
}
CLINICAL_READ = {
    "aftercare.view_reminder",
    "aftercare.view_sideeffectreport",
    "patients.view_patient",
    "patients.view_eligibilityscreening",
    "treatments.view_patchtest",
    "treatments.view_consent",
    "treatments.view_course",
    "treatments.view_session",
    "treatments.view_outcomescore",  # outcome scores per course (issue 16)
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Front desk: registers patients, takes the intake, records consent, books sessions, sees the day.
    RECEPTION: frozenset(
        CATALOGUE_READ
        | CLINICAL_READ
        | {
            "patients.add_patient",
            "patients.change_patient",
            "patients.add_eligibilityscreening",
            "treatments.add_consent",
            "treatments.add_course",
            "treatments.add_session",
            "treatments.change_session",
            "aftercare.change_reminder",
        }
    ),
    # Treatment room: applies and reads patch tests, books and prepares sessions.
    NURSE: frozenset(
        CATALOGUE_READ
        | CLINICAL_READ
        | {
            "treatments.add_patchtest",
            "treatments.change_patchtest",
            "treatments.add_consent",
            "treatments.add_session",
            "treatments.change_session",
            # Photos of the treated area (issue 16): the treatment room takes and sees them.
            "treatments.add_areaphoto",
            "treatments.view_areaphoto",
            "treatments.add_outcomescore",  # and records the course's outcome scores
        }
    ),
    # Reviews eligibility, decides on reactions, performs and signs off sessions.
    PHYSICIAN: frozenset(
        CATALOGUE_READ
        | CLINICAL_READ
        | {
            "patients.change_patient",
            "patients.add_eligibilityscreening",
            "patients.decide_screening",
            "treatments.add_patchtest",
            "treatments.change_patchtest",
            "treatments.clear_patch_reaction",
            "treatments.add_consent",
            "treatments.add_course",
            "treatments.add_session",
            "treatments.change_session",
            "treatments.perform_session",
            "treatments.add_areaphoto",
            "treatments.view_areaphoto",
            "treatments.add_outcomescore",
            "aftercare.change_reminder",
            "aftercare.close_sideeffectreport",
            "meso_clinic.view_history",
            "meso_clinic.export_patient",
            "meso_clinic.view_reports",  # the safety signal per batch concerns the physicians too (issue 16)
        }
    ),
    # Runs the clinic: catalogue, products and batches, consent texts, users and roles (admin site).
    MANAGER: frozenset(
        CATALOGUE_READ
        | CLINICAL_READ
        | {
            f"treatments.{action}_{model}"
            for action in ("add", "change")
            for model in ("treatmentarea", "indication", "product", "batch", "consenttext", "areaview", "outcomescale")
        }
        | {
            f"aftercare.{action}_{model}"
            for action in ("view", "add", "change")
            for model in ("aftercareplan", "aftercarestep", "remindermessage")
        }
        | {"aftercare.change_reminder"}
        # The lists of blood thinners and NSAIDs that the intake's words are read for (issue 15).
        | {f"patients.{action}_medicinename" for action in ("view", "add", "change")}
        | {"auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"}
        # The audit trail: history of clinical records, the access log, patients' data exports.
        | {"meso_clinic.view_history", "meso_clinic.view_accesslogentry", "meso_clinic.export_patient"}
        # The activity and safety reports (issue 16).
        | {"meso_clinic.view_reports"}
    ),
}
ROLES: tuple[str, ...] = tuple(ROLE_PERMISSIONS)

# Clinical authority (deciding screenings and reactions, signing off sessions, closing side-effect reports) and
# power over accounts. A role that carries any of these is given or taken only by a superuser: a manager who
# could give it could give it to herself, through a second account (issue 12). Derived from the table above,
# so a new role with such a permission is covered without naming it anywhere else.
AUTHORITY_PERMISSIONS = frozenset(
    {
        "patients.decide_screening",
        "treatments.clear_patch_reaction",
        "treatments.perform_session",
        "aftercare.close_sideeffectreport",
        "auth.add_user",
        "auth.change_user",
    }
)
SUPERUSER_GRANTED_ROLES: frozenset[str] = frozenset(
    role for role, codes in ROLE_PERMISSIONS.items() if codes & AUTHORITY_PERMISSIONS
)


def grantable_groups(user: User) -> QuerySet[Group]:
    """The groups `user` may give or take on the admin site.

    A superuser: every group. Anyone else: the clinic roles without authority, and only while the group in the
    database carries none either (a group edited by hand since the last migrate, or one outside the table, is not
    a manager's to give).
    """
    if user.is_superuser:
        return Group.objects.all()
    authority = Q()
    for code in AUTHORITY_PERMISSIONS:
        app_label, codename = code.split(".", 1)
        authority |= Q(content_type__app_label=app_label, codename=codename)
    return (
        Group.objects.filter(name__in=[role for role in ROLES if role not in SUPERUSER_GRANTED_ROLES])
        .exclude(permissions__in=Permission.objects.filter(authority))
        .order_by("name")
    )


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
