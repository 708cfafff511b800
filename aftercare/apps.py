from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Aftercare")

    def ready(self) -> None:
        from meso_clinic.core.request_logs import register_token_paths

        # The patients' signed links (urls.py: "r/<token>/", "r/<token>/done/", "unsubscribe/<token>/"):
        # their tokens are masked in request logs (issue 12; tests/test_request_logs.py checks these
        # prefixes against reverse(), so a moved URL cannot leave its tokens in the log).
        register_token_paths("/r/", "/unsubscribe/")
        register_token_paths("/satisfaction/")  # her satisfaction link (issue 16)
        from . import receivers  # noqa: F401 - answers the treatments services' signals (reminders, warnings)
