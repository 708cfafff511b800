from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = _("Treatments")

    def ready(self) -> None:
        from django.urls import reverse

        from meso_clinic.core.request_logs import register_token_paths
        from patients.invitations import Step, register_step

        from .models import Consent, PhotoConsent

        # The patient's consent pages ("/treatments/sign/<token>/"): the token masked in request logs (issue 15).
        register_token_paths("/sign/")
        # After her intake on the same link: the consent to treatment, then the photo consent (sign_views.py).
        register_step(Step(
            "consent",
            pending=lambda invitation: not Consent.objects.filter(invitation=invitation).exists(),
            url=lambda token: reverse("treatments:consent_sign", args=[token]),
        ))
        register_step(Step(
            "photo_consent",
            pending=lambda invitation: not PhotoConsent.objects.filter(invitation=invitation).exists(),
            url=lambda token: reverse("treatments:photo_consent_sign", args=[token]),
        ))
