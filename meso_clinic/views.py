import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.views.generic import TemplateView

from aftercare.models import Reminder, SideEffectReport
from patients.models import Patient
from patients.selectors import review_queue
from treatments.models import Session
from treatments.selectors import day_sessions, patch_tests_to_read

from .access import ClinicRoleRequiredMixin
from .roles import role_names


class DashboardView(ClinicRoleRequiredMixin, TemplateView):
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        week_start = today - dt.timedelta(days=today.weekday())
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["roles"] = role_names(user)
        if user.has_perm("patients.view_patient"):
            context["patient_count"] = Patient.objects.count()
            context["patients_this_week"] = Patient.objects.filter(
                created_at__date__gte=week_start
            ).count()
        if user.has_perm("patients.decide_screening"):
            context["awaiting_review"] = review_queue().count()
        if user.has_perm("treatments.view_session"):
            context["sessions_today"] = day_sessions(today).exclude(status=Session.Status.CANCELLED).count()
        if user.has_perm("treatments.view_patchtest"):
            context["patch_tests_readable"] = (
                patch_tests_to_read(now=timezone.now())
                .filter(applied_at__lte=timezone.now() - dt.timedelta(hours=settings.PATCH_TEST_MIN_HOURS))
                .count()
            )
        if user.has_perm("aftercare.view_sideeffectreport"):
            open_reports = SideEffectReport.objects.filter(status=SideEffectReport.Status.OPEN)
            context["open_reports"] = open_reports.count()
            context["escalated_reports"] = open_reports.filter(escalated=True).count()
        if user.has_perm("aftercare.view_reminder"):
            context["failed_reminders"] = Reminder.objects.filter(status=Reminder.Status.FAILED).count()
        return context
