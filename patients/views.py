import re
import secrets
from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.auth_types import AuthenticatedHttpRequest
from meso_clinic.core.params import query_id

from . import questionnaire
from .forms import DecisionForm, IntakeForm, PatientForm
from .models import EligibilityScreening, Patient
from .selectors import patient_search_page, registry_page, review_queue
from .services import DecisionRefused, screening_decide, screening_take

SEARCHES = "patient_searches"  # the session's key: {search key: query}, the latest SEARCHES_KEPT
SEARCHES_KEPT = 20
SEARCH_KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
SEARCH_GONE = gettext_lazy("That search is no longer kept (searches end when you sign out): search again.")


class PatientListView(ClinicPermissionRequiredMixin, TemplateView):
    """The registry. Searches are POSTed so that a patient's name never lands in a URL or a log.

    Post/Redirect/Get: the POST keeps the query in the server-side session under a random key and redirects to
    `?search=<key>` (the key, never the name; it ends with the session), whose GET shows the results, so the
    browser's Back button returns to them without offering to resubmit a form.

    The registry is paged by keyset (`?after=<id>`, `?before=<id>`: ids, never names), without a
    count of its 100,000 rows; a search shows the first 50 matches in name order (patients/selectors.py).
    """

    permission_required = "patients.view_patient"
    template_name = "patients/patient_list.html"

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.query = ""
        key = request.GET.get("search", "")
        if key and request.method == "GET":
            searches = request.session.get(SEARCHES, {})
            query = searches.get(key) if SEARCH_KEY.match(key) else None
            if query is None:
                messages.info(request, str(SEARCH_GONE))
            else:
                self.query = query

    def post(self, request, *args, **kwargs):
        query = request.POST.get("q", "").replace("\x00", "").strip()[:100]  # a NUL byte cannot reach PostgreSQL
        if not query:
            return redirect("patients:list")
        searches = dict(request.session.get(SEARCHES, {}))
        key = secrets.token_urlsafe(6)
        searches[key] = query
        request.session[SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
        return redirect(f"{reverse('patients:list')}?search={key}")

    def get_context_data(self, **kwargs):
        context: dict[str, Any] = {"query": self.query}
        if self.query:
            found = patient_search_page(query=self.query)
            context.update(patients=found.patients, matches=found.matches, too_many=found.too_many)
        else:
            page = registry_page(after=query_id(self.request.GET, "after"), before=query_id(self.request.GET, "before"))
            context.update(patients=page.patients, previous=page.previous, next=page.next)
        return super().get_context_data(**context, **kwargs)


class PatientCreateView(ClinicPermissionRequiredMixin, CreateView):
    permission_required = "patients.add_patient"
    model = Patient
    form_class = PatientForm
    template_name = "patients/patient_form.html"
    object: Patient  # saved by form_valid before the success message and URL read it

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s is registered.") % {"name": self.object.full_name})
        return response

    def get_success_url(self) -> str:
        return reverse("patients:detail", args=[self.object.pk])


class PatientUpdateView(ClinicPermissionRequiredMixin, UpdateView):
    permission_required = "patients.change_patient"
    model = Patient
    form_class = PatientForm
    template_name = "patients/patient_form.html"
    object: Patient

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object)  # the form shows all of the patient's details
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("%(name)s's details are saved.") % {"name": form.instance.full_name})
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("patients:detail", args=[self.object.pk])


class IntakeView(ClinicPermissionRequiredMixin, FormView):
    """Take the intake questionnaire for a patient: one new screening with the rules' outcome."""

    permission_required = "patients.add_eligibilityscreening"
    form_class = IntakeForm
    template_name = "patients/intake_form.html"
    request: AuthenticatedHttpRequest

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def dispatch(self, request, *args, **kwargs):
        self.patient = get_object_or_404(Patient, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "on": self.today}

    def get_initial(self):
        # "Go through the answers with the patient": the staff form starts from her own screening's answers; saving
        # writes a new screening (answered by staff), and hers stays as she gave it: the record keeps both.
        source_pk = query_id(self.request.GET, "from")
        source = None if source_pk is None else EligibilityScreening.objects.filter(
            pk=source_pk, patient=self.patient
        ).only("answers").first()
        return dict(source.answers) if source is not None else {}

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.patient)
        return super().get_context_data(patient=self.patient, version=questionnaire.VERSION, **kwargs)

    def form_valid(self, form):
        screening = screening_take(patient=self.patient, answers=form.answers(), taken_by=self.request.user)
        outcome = screening.get_outcome_display().lower()
        messages.success(self.request, _("Intake saved: %(outcome)s.") % {"outcome": outcome})
        return redirect("patients:screening", pk=screening.pk)


class IntakePrintView(ClinicPermissionRequiredMixin, DetailView):
    """The blank questionnaire with the patient's name, for a patient to fill in on paper."""

    permission_required = "patients.add_eligibilityscreening"
    model = Patient
    context_object_name = "patient"
    template_name = "patients/intake_print.html"

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object)
        return super().get_context_data(
            sections=questionnaire.SECTIONS, version=questionnaire.VERSION, today=timezone.localdate(), **kwargs
        )


class ScreeningDetailView(ClinicPermissionRequiredMixin, DetailView):
    """Answers and fired rules side by side; the physician's decision form when one is due."""

    permission_required = "patients.view_eligibilityscreening"
    model = EligibilityScreening
    context_object_name = "screening"
    template_name = "patients/screening_detail.html"

    def get_queryset(self):
        return EligibilityScreening.objects.select_related("patient", "taken_by", "decided_by")

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object.patient)  # the answers are the patient's health
        context = super().get_context_data(**kwargs)
        can_decide = self.object.awaits_decision and self.request.user.has_perm("patients.decide_screening")
        if can_decide and "form" not in context:
            context["form"] = DecisionForm(screening=self.object, on=timezone.localdate())
        context["can_decide"] = can_decide
        return context


class ScreeningDecideView(ClinicPermissionRequiredMixin, DetailView):
    """POST only: approve, defer or decline. Refusals come back as a message; nothing changes."""

    permission_required = "patients.decide_screening"
    model = EligibilityScreening
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        screening = self.get_object()
        form = DecisionForm(request.POST, screening=screening, on=timezone.localdate())
        if not form.is_valid():
            view = ScreeningDetailView(request=request, kwargs=kwargs, object=screening)
            return view.render_to_response(view.get_context_data(form=form), status=200)
        try:
            screening_decide(screening=screening, decided_by=request.user, **form.cleaned_data)
        except DecisionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("patients:screening", pk=screening.pk)
        messages.success(request, _("Decision recorded for %(name)s.") % {"name": screening.patient.full_name})
        return redirect("patients:review_queue")


class ReviewQueueView(ClinicPermissionRequiredMixin, ListView):
    permission_required = "patients.decide_screening"
    template_name = "patients/review_queue.html"
    context_object_name = "screenings"
    paginate_by = 50

    def get_queryset(self):
        # The answers as shown on the day (the largest column) are read on the screening's own page only.
        return review_queue().defer("answer_record")
