"""Pages of the audit trail: a record's history, the access log, a patient's data export.

Thin views: permission, one selector or pure function, render. Patient names never go in URLs:
the access log is filtered by a patient's id, or by a POSTed search.
"""

import json
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import access_log_entries, log_patient_access
from meso_clinic.core.people import display_name
from patients.mixins import PatientRecordMixin
from patients.models import Patient
from patients.selectors import patient_search

from .export import patient_record
from .history_lines import record_history
from .record_labels import record_name

# The page of each kind of record, for the way back from its history.
RECORD_PAGES = {
    "patients.patient": "patients:detail",
    "patients.eligibilityscreening": "patients:screening",
    "treatments.patchtest": "treatments:patch_test",
    "treatments.session": "treatments:session",
    "aftercare.sideeffectreport": "aftercare:report_detail",
}


def history_url_name(model) -> str:
    return f"records:history_{model._meta.label_lower.replace('.', '_')}"


def _patient_of(obj) -> Patient | None:
    if isinstance(obj, Patient):
        return obj
    if hasattr(obj, "patient"):
        return obj.patient
    if hasattr(obj, "session"):
        return obj.session.patient
    return None


class HistoryView(ClinicPermissionRequiredMixin, TemplateView):
    """When, who, and what changed (before and after) on one clinical record, newest first."""

    permission_required = "meso_clinic.view_history"
    template_name = "meso_clinic/history.html"
    model: type[models.Model] | None = None  # set per tracked model in record_urls.py
    paginate_by = 50

    def get_context_data(self, **kwargs):
        pk = self.kwargs["pk"]
        model = cast(type[models.Model], self.model)  # every URL of this view gives its model (record_urls.py)
        record = model._base_manager.filter(pk=pk).first()
        rows = record_history(model, pk)
        if record is None and not rows:
            raise Http404("No such record.")
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        back = None
        if record is not None and model._meta.label_lower in RECORD_PAGES:
            try:
                back = reverse(RECORD_PAGES[model._meta.label_lower], args=[pk])
            except NoReverseMatch:  # pragma: no cover - every entry above has a page
                back = None
        patient = _patient_of(record) if record is not None else None
        if patient is not None:
            log_patient_access(self.request.user, patient)  # the history holds every past value
        kind = record_name(model)
        if isinstance(record, Patient):
            heading, subtitle = _("%(name)s's details") % {"name": record.full_name}, ""
        else:
            heading = _("%(kind)s of %(name)s") % {"kind": kind, "name": patient.full_name} if patient else kind
            subtitle = str(record) if record is not None else ""
        return super().get_context_data(
            record=record,
            record_kind=kind,
            heading=heading,
            subtitle=subtitle,
            patient=patient,
            back=back,
            page_obj=page,
            rows=page.object_list,
            **kwargs,
        )


class AccessLogFilter(forms.Form):
    patient = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label=gettext_lazy("Staff member"),
        empty_label=gettext_lazy("Anyone"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    since = forms.DateField(
        required=False,
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    until = forms.DateField(
        required=False,
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_field = cast(forms.ModelChoiceField, self.fields["user"])
        # Staff named as everywhere: set on the field instance, which the type checker sees as replacing a method.
        user_field.label_from_instance = display_name  # type: ignore[method-assign,assignment]


class AccessLogView(ClinicPermissionRequiredMixin, TemplateView):
    """Who opened which patient's record, per day. A patient is chosen by id (from the patient page)
    or by a POSTed search, so that no name lands in a URL."""

    permission_required = "meso_clinic.view_accesslogentry"
    template_name = "meso_clinic/access_log.html"
    paginate_by = 50

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = AccessLogFilter(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        patient = None
        if filters.get("patient"):
            patient = Patient.objects.filter(pk=filters["patient"]).first()
        query = self.request.POST.get("q", "").strip()[:100] if self.request.method == "POST" else ""
        matches = list(patient_search(query=query)[:20]) if query else None
        entries = access_log_entries(
            patient_id=filters.get("patient"),
            user_id=filters["user"].pk if filters.get("user") else None,
            since=filters.get("since"),
            until=filters.get("until"),
        )
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form if form.is_bound else AccessLogFilter(),
            patient=patient,
            query=query,
            matches=matches,
            page_obj=page,
            entries=page.object_list,
            retention_days=settings.ACCESS_LOG_RETENTION_DAYS,
            **kwargs,
        )


class PatientExportMixin(PatientRecordMixin, ClinicPermissionRequiredMixin):
    permission_required = "meso_clinic.export_patient"

    def record(self) -> tuple[Patient, dict]:
        patient = self.opened_patient()
        user = cast(User, self.request.user)  # behind the export permission: signed in
        meta = {
            "exported_at": timezone.localtime().isoformat(),
            "exported_by": display_name(user),
        }
        return patient, {"export": meta, **patient_record(patient)}


class PatientExportView(PatientExportMixin, TemplateView):
    """The whole record as a page to print (or save as PDF) for the patient."""

    template_name = "meso_clinic/patient_export.html"

    def get_context_data(self, **kwargs):
        patient, record = self.record()
        return super().get_context_data(patient=patient, record=record, **kwargs)


class PatientExportJsonView(PatientExportMixin, TemplateView):
    """The whole record as a JSON file; its name carries the patient's id, never the name."""

    def get(self, request, *args, **kwargs):
        patient, record = self.record()
        body = json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-record.json"'
        return response
