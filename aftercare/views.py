"""Patient pages (no login, reached through a signed link) and staff pages for reminders and reports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, TemplateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.params import query_id
from patients.mixins import PatientRecordMixin
from patients.models import Patient
from treatments.models import Session
from treatments.selectors import session_instructions

from . import selectors, services
from .forms import CloseReportForm, SideEffectReportForm
from .links import read_report_token, read_unsubscribe_token
from .models import AftercarePlan, Reminder, ReminderMessage, SideEffectReport
from .tasks import notify_physician_of_report


def _patient_language(patient) -> str:
    return patient.language  # the same choice as her emails' (patients.models.Patient.language)


@method_decorator(login_not_required, name="dispatch")
class ReportView(View):
    """The patient's side-effect report. The signed token is the only key: no id can be guessed."""

    template_name = "aftercare/report.html"
    # Room for the rest of the form beside the photo: 3000 characters of description, the ticks, the CSRF
    # token and the multipart boundaries come to a few KB.
    FORM_OVERHEAD_BYTES = 64 * 1024

    @classmethod
    def max_request_bytes(cls) -> int:
        """The largest body this page reads (meso_clinic/core/request_limits.py refuses more from Content-Length)."""
        return settings.REPORT_PHOTO_MAX_BYTES + cls.FORM_OVERHEAD_BYTES

    @classmethod
    def request_too_large(cls, request, declared_bytes: int, *, token: str):
        """A body over max_request_bytes, refused unread: the form again, with the photo's message (413)."""
        view = cls()
        view.setup(request, token=token)
        session, problem = view._session(token)
        if problem:
            return view._refuse(request, problem)
        with translation.override(_patient_language(session.patient)):
            form = SideEffectReportForm.refused_unread(size_bytes=declared_bytes)
            return render(request, cls.template_name, {"form": form, "session": session}, status=413)

    def _session(self, token: str):
        try:
            data = read_report_token(token)
        except signing.SignatureExpired:
            return None, "expired"
        except signing.BadSignature:
            return None, "invalid"
        session_pk = data.get("s")
        # Her area and indication come along: the page names her treatment in her language.
        sessions = Session.objects.select_related("patient", "area", "indication")
        session = None if session_pk is None else sessions.filter(pk=session_pk).first()
        return (session, "") if session else (None, "invalid")

    def _refuse(self, request, problem: str):
        status = 404 if problem == "invalid" else 410
        return render(request, "aftercare/link_problem.html", {"problem": problem}, status=status)

    def get(self, request, token: str):
        session, problem = self._session(token)
        if problem:
            return self._refuse(request, problem)
        with translation.override(_patient_language(session.patient)):
            return render(request, self.template_name, {"form": SideEffectReportForm(), "session": session})

    def post(self, request, token: str):
        session, problem = self._session(token)
        if problem:
            return self._refuse(request, problem)
        with translation.override(_patient_language(session.patient)):
            form = SideEffectReportForm(request.POST, request.FILES)
            if not form.is_valid():
                return render(request, self.template_name, {"form": form, "session": session})
            try:
                report = services.report_create(
                    session=session,
                    reminder_id=read_report_token(token).get("r"),
                    notify=lambda pk: notify_physician_of_report.delay(pk),
                    **form.cleaned_data,
                )
            except services.ReportLimitReached:
                form.add_error(None, _(
                    "We already have many reports from you today. Please call the clinic on %(phone)s."
                ) % {"phone": settings.CLINIC_PHONE})
                return render(request, self.template_name, {"form": form, "session": session})
        # Redirect after the POST, so that a refresh cannot send the report (and an urgent email) twice.
        request.session["aftercare_report"] = report.pk
        return redirect("aftercare:report_done", token=token)


@method_decorator(login_not_required, name="dispatch")
class ReportDoneView(ReportView):
    def get(self, request, token: str):
        session, problem = self._session(token)
        if problem:
            return self._refuse(request, problem)
        report = SideEffectReport.objects.filter(pk=request.session.get("aftercare_report"), session=session).first()
        if report is None:
            return redirect("aftercare:report", token=token)
        with translation.override(_patient_language(session.patient)):
            return render(request, "aftercare/report_thanks.html", {"report": report, "session": session})

    def post(self, request, token: str):
        return redirect("aftercare:report", token=token)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058 one-click: the signed token is the key
class UnsubscribeView(View):
    """GET shows a button (mail scanners follow links; they must not unsubscribe anyone); POST acts."""

    def _patient(self, token: str):
        try:
            patient_id = read_unsubscribe_token(token).get("p")
        except signing.BadSignature:
            return None
        return None if patient_id is None else Patient.objects.filter(pk=patient_id).first()

    def _page(self, request, token: str, *, act: bool):
        patient = self._patient(token)
        if patient is None:
            return render(request, "aftercare/link_problem.html", {"problem": "invalid"}, status=404)
        with translation.override(_patient_language(patient)):
            if act:
                services.patient_unsubscribe(patient_id=patient.pk)
            return render(request, "aftercare/unsubscribe.html", {"done": act})

    def get(self, request, token: str):
        return self._page(request, token, act=False)

    def post(self, request, token: str):
        return self._page(request, token, act=True)


class DeliveryDashboardView(ClinicPermissionRequiredMixin, TemplateView):
    """Due, sent and failed reminders; failed ones can be sent again. A fixed number of queries, each
    bounded by an index, however many reminders there are (aftercare/selectors.py)."""

    permission_required = "aftercare.view_reminder"
    template_name = "aftercare/delivery.html"

    def get_context_data(self, **kwargs):
        before = query_id(self.request.GET, "before")
        failed = selectors.failed_reminders(before=before)
        more = len(failed) > selectors.DELIVERY_FAILED_PAGE
        failed = failed[: selectors.DELIVERY_FAILED_PAGE]
        return super().get_context_data(
            **selectors.delivery_counts(now=timezone.now()),
            failed=failed,
            failed_before=before,
            failed_next=failed[-1].pk if more else None,
            recent=selectors.recently_sent(),
            **kwargs,
        )


class ReminderRetryView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "aftercare.change_reminder"
    model = Reminder
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        reminder = self.get_object()
        if services.reminder_retry(reminder=reminder, by=request.user):
            messages.success(request, _("The reminder will be sent again within a minute."))
        else:
            messages.error(request, _("Only a failed reminder can be sent again."))
        return redirect("aftercare:delivery")


class AftercareSheetView(ClinicPermissionRequiredMixin, DetailView):
    """The aftercare sheet of a performed session, to print and hand to the patient in their language.

    The same words as the first email: its title, the area's aftercare plan and the warning signs.
    """

    permission_required = "treatments.view_session"
    template_name = "aftercare/aftercare_sheet.html"
    context_object_name = "session"

    def get_queryset(self):
        return Session.objects.filter(status=Session.Status.PERFORMED).select_related("patient", "area", "indication")

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object.patient)
        language = _patient_language(self.object.patient)
        texts = ReminderMessage.objects.filter(kind="aftercare_sheet")  # the first email's title, as data
        words = texts.filter(language=language).first() or texts.filter(language="en").first()
        plan = AftercarePlan.objects.filter(area_id=self.object.area_id).first()
        return super().get_context_data(
            language=language,
            language_name=self.object.patient.get_preferred_language_display(),  # in the staff member's language
            title=words.subject if words else "",
            paragraphs=[p.strip() for p in words.body.split("\n\n") if p.strip()] if words else [],
            instructions=plan.instructions(language) if plan else [],
            # The physician's own words from the review, as in the pre-session email (issue 14).
            physician_instructions=[
                line.strip() for line in session_instructions(self.object).splitlines() if line.strip()
            ],
            **kwargs,
        )


class ReportListView(ClinicPermissionRequiredMixin, ListView):
    permission_required = "aftercare.view_sideeffectreport"
    template_name = "aftercare/report_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        closed = self.request.GET.get("status") == SideEffectReport.Status.CLOSED  # anything else: the open ones
        self.status = SideEffectReport.Status.CLOSED if closed else SideEffectReport.Status.OPEN
        return SideEffectReport.objects.filter(status=self.status).select_related("session__patient")

    def get_context_data(self, **kwargs):
        listing_open = self.status == SideEffectReport.Status.OPEN
        other = SideEffectReport.Status.CLOSED if listing_open else SideEffectReport.Status.OPEN
        return super().get_context_data(listing_open=listing_open, other_status=other.value, **kwargs)


class ReportDetailView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "aftercare.view_sideeffectreport"
    model = SideEffectReport
    context_object_name = "report"
    template_name = "aftercare/report_detail.html"

    def get_queryset(self):
        return SideEffectReport.objects.select_related(
            "session__patient", "session__supervising_physician", "closed_by"
        )

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object.session.patient)
        can_close = self.object.is_open and self.request.user.has_perm("aftercare.close_sideeffectreport")
        if can_close and "form" not in kwargs:
            kwargs["form"] = CloseReportForm()
        return super().get_context_data(can_close=can_close, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        if not request.user.has_perm("aftercare.close_sideeffectreport"):
            return render(request, "403.html", status=403)
        form = CloseReportForm(request.POST)
        if form.is_valid():
            if services.report_close(report=report, by=request.user, note=form.cleaned_data["closing_note"]):
                messages.success(request, _("Report closed."))
            else:
                messages.error(request, _("This report was already closed."))
            return redirect("aftercare:reports")
        return self.render_to_response(self.get_context_data(form=form))


class ReportPhotoView(ClinicPermissionRequiredMixin, DetailView):
    """Photos are served only to signed-in staff with the right role, never from a public folder."""

    permission_required = "aftercare.view_sideeffectreport"
    model = SideEffectReport

    def get_queryset(self):
        return SideEffectReport.objects.select_related("session__patient")

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        if not report.photo:
            raise Http404
        log_patient_access(request.user, report.session.patient)
        extension = report.photo.name.rsplit(".", 1)[-1].lower()
        content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension)
        if content_type is None:
            raise Http404
        # Typed from what the upload was checked to be; and even so, never run as a page.
        response = FileResponse(report.photo.open("rb"), content_type=content_type)
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class PatientEmailsView(PatientRecordMixin, ClinicPermissionRequiredMixin, ListView):
    """Every aftercare email of a patient, newest first, 50 a page (the patient page shows the latest 30)."""

    permission_required = ("patients.view_patient", "aftercare.view_reminder")
    template_name = "aftercare/patient_emails.html"
    context_object_name = "reminders"
    paginate_by = 50

    def get_queryset(self):
        self.patient = self.opened_patient()
        return selectors.patient_emails(self.patient)

    def get_context_data(self, **kwargs):
        return super().get_context_data(patient=self.patient, **kwargs)

