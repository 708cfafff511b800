from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict:
    return {"CLINIC_NAME": settings.CLINIC_NAME, "CLINIC_PHONE": settings.CLINIC_PHONE}
