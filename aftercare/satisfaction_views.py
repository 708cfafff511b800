"""Her own satisfaction with a course (issue 16), from the signed link in the +14-day recovery-review email.

No sign-in: the token (aftercare/links.py) is the key and names the session only. The page is in her language,
five big buttons (1 very dissatisfied .. 5 very satisfied). One answer per session: a second answer through the
same link replaces the first (she may change her mind while the link lasts), recorded as hers in the history.
"""

from typing import cast

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from treatments.models import Course, OutcomeScale, OutcomeScore, Session
from treatments.outcome_services import outcome_scores_record

from .links import read_satisfaction_token

SATISFACTION_SCALE = "satisfaction"


@method_decorator(login_not_required, name="dispatch")
class SatisfactionView(View):
    template_name = "aftercare/satisfaction.html"

    def _load(self, token: str) -> tuple[Session | None, OutcomeScale | None, str]:
        try:
            data = read_satisfaction_token(token)
        except signing.SignatureExpired:
            return None, None, "expired"
        except signing.BadSignature:
            return None, None, "invalid"
        session_pk = data.get("s")  # a token without one names no session (rather than querying pk=None: none)
        session = None if session_pk is None else (
            Session.objects.select_related("patient", "area", "indication", "course")
            .filter(pk=session_pk, course__isnull=False).first()
        )
        scale = OutcomeScale.objects.filter(code=SATISFACTION_SCALE, active=True, answered_by_patient=True).first()
        if session is None or scale is None:
            return None, None, "invalid"
        return session, scale, ""

    def _refuse(self, request, problem: str):
        return render(request, "aftercare/link_problem.html", {"problem": problem},
                      status=404 if problem == "invalid" else 410)

    def _page(self, request, session: Session, scale: OutcomeScale, *, saved: bool = False, error: str = "",
              status: int = 200):
        answer = OutcomeScore.objects.filter(session=session, scale=scale, by_patient=True).first()
        language = session.patient.language
        choices = [(value, scale.labels.get(str(value), str(value)))
                   for value in range(scale.min_value, scale.max_value + 1)]
        with translation.override(language):
            return render(request, self.template_name, {
                "session": session, "choices": choices, "answer": answer, "saved": saved, "error": error,
                "language": language,
            }, status=status)

    def get(self, request, token: str):
        session, scale, problem = self._load(token)
        if problem:
            return self._refuse(request, problem)
        assert session is not None and scale is not None  # _load gives both when there is no problem
        return self._page(request, session, scale)

    def post(self, request, token: str):
        session, scale, problem = self._load(token)
        if problem:
            return self._refuse(request, problem)
        assert session is not None and scale is not None  # _load gives both when there is no problem
        try:
            value = int(request.POST.get("value", ""))
            course = cast(Course, session.course)  # course__isnull=False in _load
            outcome_scores_record(course=course, session=session, values={scale.pk: value}, by=None, by_patient=True)
        except (ValueError, ValidationError):
            with translation.override(session.patient.language):
                error = _("Please choose one of the five answers.")
            return self._page(request, session, scale, error=error, status=400)
        return self._page(request, session, scale, saved=True)
