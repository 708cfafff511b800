from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, DetailView, ListView

from meso_clinic.access import ClinicPermissionRequiredMixin

from .forms import PatientForm
from .models import Patient
from .selectors import patient_search


class PatientListView(ClinicPermissionRequiredMixin, ListView):
    """The registry. Searches are POSTed so that a patient's name never lands in a URL or a log."""

    permission_required = "patients.view_patient"
    template_name = "patients/patient_list.html"
    context_object_name = "patients"
    paginate_by = 50

    def get_queryset(self):
        return patient_search(query=self.query) if self.query else Patient.objects.all()

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PatientDetailView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "patients.view_patient"
    model = Patient
    template_name = "patients/patient_detail.html"
    context_object_name = "patient"

    def get_context_data(self, **kwargs):
        return super().get_context_data(age=self.object.age_on(timezone.localdate()), **kwargs)


class PatientCreateView(ClinicPermissionRequiredMixin, CreateView):
    permission_required = "patients.add_patient"
    model = Patient
    form_class = PatientForm
    template_name = "patients/patient_form.html"

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, f"{self.object.full_name} is registered.")
        return response

    def get_success_url(self) -> str:
        return reverse("patients:detail", args=[self.object.pk])
