from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MesoClinicConfig(AppConfig):
    """The kernel: sign-in, roles and permissions, page access, history, access log, clock, mail.

    It imports no clinic app (patients, treatments, aftercare): they build on it, never the reverse
    (the import contracts in pyproject.toml). Its label stays "meso_clinic", the label its tables,
    migrations and permissions ("meso_clinic.view_history") have always had.
    """

    name = "meso_clinic.core"
    label = "meso_clinic"
    verbose_name = "MesoClinic"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - its signals keep the cached permissions and roles fresh
        from .account_notices import connect as connect_account_notices
        from .roles import sync_role_groups

        # A staff member is emailed when her password, two-factor devices, roles or address change.
        connect_account_notices()

        # Roles are part of the schema of the clinic: every migrate brings the groups and their
        # permissions in line with the table in roles.py (production too, unlike demo users).
        post_migrate.connect(sync_role_groups, dispatch_uid="meso_clinic.sync_role_groups")
