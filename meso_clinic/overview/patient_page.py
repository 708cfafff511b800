"""The patient's page: her details and screenings (patients), her treatments (treatments) and emails
(aftercare) on one page. It lives above the apps because it shows all three; its URL keeps the
patients' namespace ("patients:detail"), joined to the patients' URLs in meso_clinic/urls.py."""

from django.urls import path
from django.utils import timezone
from django.views.generic import DetailView

from aftercare.selectors import PATIENT_EMAILS_SHOWN, patient_reminders
from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.db import latest
from patients.models import Patient
from patients.selectors import eligibility_status
from treatments.selectors import patient_treatment_summary

SCREENINGS_SHOWN = 20


class PatientDetailView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "patients.view_patient"
    model = Patient
    template_name = "patients/patient_detail.html"
    context_object_name = "patient"

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object)  # the access log (meso_clinic/core/access_log.py)
        today = timezone.localdate()
        # The latest 20 (the page says when there are more: the record export lists all); the answers as
        # shown on the day (answer_record, the largest column) are only read by the screening's page.
        screenings, more_screenings = latest(
            self.object.screenings.select_related("taken_by", "decided_by").defer("answer_record"), SCREENINGS_SHOWN
        )
        return super().get_context_data(
            age=self.object.age_on(today),
            screenings=screenings,
            more_screenings=more_screenings,
            screenings_shown=SCREENINGS_SHOWN,
            treatments=patient_treatment_summary(self.object),
            reminders=patient_reminders(self.object),
            emails_shown=PATIENT_EMAILS_SHOWN,  # a full list links to all of them
            status=eligibility_status(screening=screenings[0] if screenings else None, on=today),
            **kwargs,
        )


# Joined to patients/urls.py's patterns under the "patients" namespace (meso_clinic/urls.py).
patient_urlpatterns = [
    path("<int:pk>/", PatientDetailView.as_view(), name="detail"),
]
