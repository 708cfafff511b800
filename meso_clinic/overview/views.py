import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from aftercare.models import Reminder, SideEffectReport
from meso_clinic.core.access import ClinicRoleRequiredMixin
from meso_clinic.core.auth_types import AuthenticatedHttpRequest
from meso_clinic.core.db import bounded_counts, estimated_rows
from meso_clinic.core.permissions import role_names
from patients.models import Patient
from patients.selectors import review_queue
from treatments.models import Session
from treatments.selectors import clinic_zone, day_sessions, patch_tests_to_read

from . import work_lists

# A glance: "1,000+" failed emails says as much as 7,925, and counting to 1,000 costs a tenth.
DASHBOARD_CAP = 1000


class DashboardView(ClinicRoleRequiredMixin, TemplateView):
    template_name = "dashboard.html"
    request: AuthenticatedHttpRequest

    def get_context_data(self, **kwargs):
        """Every figure in one query, each bounded (meso_clinic.core.db.bounded_counts): at most a few
        thousand index entries read whatever the size of the chain. The registry's size, past the cap,
        is PostgreSQL's estimate ("about 100,000")."""
        now = timezone.now()
        today = timezone.localdate(now)
        week_start = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time.min, tzinfo=clinic_zone())
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["roles"] = [_(name) for name in role_names(user)]  # role names are marked in roles.py
        counts: dict[str, QuerySet] = {}
        if user.has_perm("patients.view_patient"):
            counts["patient_count"] = Patient.objects.all()
            # A range on created_at (its index), not created_at__date, which no index can serve.
            counts["patients_this_week"] = Patient.objects.filter(created_at__gte=week_start)
        if user.has_perm("patients.decide_screening"):
            counts["awaiting_review"] = review_queue()
        if user.has_perm("treatments.view_session"):
            counts["sessions_today"] = day_sessions(today).exclude(status=Session.Status.CANCELLED)
        if user.has_perm("treatments.view_patchtest"):
            counts["patch_tests_readable"] = patch_tests_to_read(now=now).filter(
                applied_at__lte=now - dt.timedelta(hours=settings.PATCH_TEST_MIN_HOURS)
            )
        if user.has_perm("aftercare.view_sideeffectreport"):
            open_reports = SideEffectReport.objects.filter(status=SideEffectReport.Status.OPEN)
            counts["open_reports"] = open_reports
            counts["escalated_reports"] = open_reports.filter(escalated=True)
        if user.has_perm("aftercare.change_reminder"):  # failed emails are shown to those who may send them again
            counts["failed_reminders"] = Reminder.objects.filter(status=Reminder.Status.FAILED)
        context.update(bounded_counts(cap=DASHBOARD_CAP, **counts), count_cap=DASHBOARD_CAP)
        context.update(self.work_lists(user, now=now))
        if context.get("patient_count", 0) > DASHBOARD_CAP:
            estimate = estimated_rows(Patient)
            if estimate is not None:
                context["patient_count"], context["patient_count_estimated"] = max(estimate, DASHBOARD_CAP), True
        return context

    @staticmethod
    def work_lists(user, *, now: dt.datetime) -> dict:
        """The role's work lists (meso_clinic/overview/work_lists.py), WORK_LIST_SIZE lines each, each line a link
        to where the work is done; a list the role does not work on is not loaded (None)."""
        lists: dict = {"work_list_size": work_lists.WORK_LIST_SIZE}
        if user.has_perm("treatments.view_session"):
            lists["sessions"] = work_lists.session_lists(now=now)
        if user.has_perm("treatments.change_patchtest"):  # those who read them
            lists["to_read"] = work_lists.with_product_lists(
                list(work_lists.patch_tests_readable(now=now)[: work_lists.WORK_LIST_SIZE])
            )
        if user.has_perm("patients.decide_screening"):
            lists["to_review"] = list(review_queue()[: work_lists.WORK_LIST_SIZE])
        if user.has_perm("aftercare.view_sideeffectreport"):
            lists["reports"] = list(work_lists.reports_waiting()[: work_lists.WORK_LIST_SIZE])
        return lists
