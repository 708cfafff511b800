"""Outcome score pages (issue 16): staff record a course's scales at a session or at follow-up, and see its charts."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views import View

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access

from .models import Course, OutcomeScore, Session
from .outcome_forms import OutcomeScoresForm
from .outcome_services import course_charts, course_scales, outcome_scores_record


class OutcomeScoresView(ClinicPermissionRequiredMixin, View):
    """sessions/<pk>/scores/ (the scores before that session) or courses/<pk>/scores/ (a follow-up score)."""

    permission_required = "treatments.add_outcomescore"
    template_name = "treatments/outcome_scores.html"
    at_session = True

    def load(self) -> tuple[Course, Session | None]:
        if self.at_session:
            session = get_object_or_404(Session.objects.select_related("course__indication", "course__area",
                                                                       "patient"), pk=self.kwargs["pk"],
                                        course__isnull=False)
            return cast(Course, session.course), session  # course__isnull=False above
        return get_object_or_404(Course.objects.select_related("indication", "area", "patient"),
                                 pk=self.kwargs["pk"]), None

    def page(self, request, course: Course, session: Session | None, form: OutcomeScoresForm, status: int = 200):
        scores = OutcomeScore.objects.filter(course=course).select_related("scale", "session")
        context: dict[str, Any] = {"course": course, "session": session, "patient": course.patient, "form": form,
                                   "charts": course_charts(course, scores)}
        return render(request, self.template_name, context, status=status)

    def form_for(self, course: Course, session: Session | None, data=None) -> OutcomeScoresForm:
        initial = {}
        if session is not None:
            initial = dict(OutcomeScore.objects.filter(session=session, by_patient=False)
                           .values_list("scale_id", "value"))
        return OutcomeScoresForm(data, scales=course_scales(course), initial_values=initial)

    def get(self, request, pk: int):
        course, session = self.load()
        log_patient_access(request.user, course.patient)
        return self.page(request, course, session, self.form_for(course, session))

    def post(self, request, pk: int):
        course, session = self.load()
        log_patient_access(request.user, course.patient)
        form = self.form_for(course, session, request.POST)
        if form.is_valid():
            try:
                written = outcome_scores_record(course=course, session=session, values=form.values(), by=request.user)
            except ValidationError as refused:
                for field, problems in refused.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                count = len(written)
                messages.success(request, ngettext("%(count)s score recorded.", "%(count)s scores recorded.", count)
                                 % {"count": count})
                return redirect(request.path)
        return self.page(request, course, session, form, status=400)


class CourseOutcomeScoresView(OutcomeScoresView):
    at_session = False
