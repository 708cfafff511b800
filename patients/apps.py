from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = _("Patients")

    def ready(self) -> None:
        from meso_clinic.core.request_logs import register_token_paths

        from . import checks  # noqa: F401 - registers the settings checks
        from .invitations import LINK_PREFIX

        # The patient's intake link ("/q/<token>/..."): its token is masked in request logs (issue 15).
        register_token_paths(LINK_PREFIX)
