"""What the pages of one patient's record share, in every app."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from meso_clinic.core.access_log import log_patient_access

from .models import Patient


class PatientRecordMixin:
    """A view of one patient's record (the patient's id is `pk` in the URL): opening it is logged."""

    request: HttpRequest  # the view's, which this is mixed into
    kwargs: dict[str, Any]

    def opened_patient(self) -> Patient:
        patient = get_object_or_404(Patient, pk=self.kwargs["pk"])
        log_patient_access(self.request.user, patient)
        return patient
