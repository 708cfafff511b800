"""The patient's own intake pages (issue 15): no sign-in, reached by her link's token (or the clinic's tablet).

One section a page, each saved in her draft when she moves on (answers kept if she leaves and comes back), then a
summary and the submit. Every page is in her language whatever the browser's, and an unknown, tampered, expired or
spent token shows a page that says so and nothing of hers (404/410). Follow-up questions appear when the question
they follow is answered yes: by a round trip to the server, or at once with patients' intake.js.
"""

import contextlib

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from meso_clinic.core import kiosk

from . import questionnaire
from .forms import IntakeForm
from .invitations import (
    AlreadySubmitted,
    LinkProblem,
    draft_save,
    hash_token,
    invitation_for,
    invitation_spend,
    invitation_submit,
    next_step_url,
    section_keys,
)
from .models import IntakeInvitation

DONE_KEY = "intake_link_done"  # the session's note of the invitation she just finished, for the thank-you page


def link_problem(request, problem: str, *, language: str | None = None):
    """The page of a link that opens nothing: in her language when the link is hers, else the browser's."""
    status = 404 if problem == "invalid" else 410
    with translation.override(language or translation.get_language()):
        return render(request, "patients/link_problem.html", {"problem": problem}, status=status)


def problem_language(token: str) -> str | None:
    row = IntakeInvitation.objects.filter(token_hash=hash_token(token)).select_related("patient").first()
    return row.patient.language if row else None


@method_decorator(login_not_required, name="dispatch")
class LinkPage(View):
    """Finds the open invitation of the token (or answers the problem page) and renders in her language."""

    def dispatch(self, request, *args, **kwargs):
        token = kwargs["token"]
        try:
            self.invitation = invitation_for(token)
        except LinkProblem as refused:
            return link_problem(request, refused.problem, language=problem_language(token))
        self.token = token
        self.patient = self.invitation.patient
        self.today = timezone.localdate()
        with translation.override(self.patient.language):
            return super().dispatch(request, *args, **kwargs)

    def render(self, template: str, context: dict, status: int = 200):
        context = {
            "token": self.token,
            "invitation": self.invitation,
            "patient_name": self.patient.given_name,
            "sections_count": len(questionnaire.SECTIONS),
            "on_tablet": kiosk.locked_token(self.request) == self.token,
            **context,
        }
        return render(self.request, template, context, status=status)

    def form_for(self, number: int | None, data: dict | None = None) -> IntakeForm:
        keys = section_keys(number) if number is not None else None
        return IntakeForm(self.invitation.draft if data is None else data, on=self.today, keys=keys)

    def first_unanswered(self) -> int | None:
        for number in range(len(questionnaire.SECTIONS)):
            if not self.form_for(number).is_valid():
                return number
        return None


class StartView(LinkPage):
    """Where her link lands: the welcome page, or on to where she stopped (or to her next step once submitted)."""

    def get(self, request, token: str):
        if self.invitation.submitted_at is not None:
            return redirect(next_step_url(self.invitation, token) or reverse("intake:done", args=[token]))
        resume = self.first_unanswered() if self.invitation.draft else 0
        if resume is None:
            url = reverse("intake:summary", args=[token])
        else:
            url = reverse("intake:section", args=[token, resume + 1])
        return self.render("patients/link_start.html", {"resume_url": url, "resuming": bool(self.invitation.draft)})


@method_decorator(login_not_required, name="dispatch")
class SectionView(LinkPage):
    template = "patients/link_section.html"

    def dispatch(self, request, *args, **kwargs):
        self.number = kwargs["number"] - 1
        if not 0 <= self.number < len(questionnaire.SECTIONS):
            return link_problem(request, "invalid")
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form: IntakeForm, status: int = 200):
        section = questionnaire.SECTIONS[self.number]
        rows = [
            (form[q.key], form.follow_up_of.get(q.key, ""))
            for top in section.questions
            for q in (top, *top.follow_ups)
        ]
        shown = {key for key, value in (form.data or {}).items() if value in ("True", True)}
        return self.render(
            self.template,
            {
                "form": form,
                "title": _(section.title),
                "rows": rows,
                "yes_parents": shown,
                "number": self.number + 1,
                "previous": self.number if self.number > 0 else None,
            },
            status=status,
        )

    def get(self, request, token: str, number: int):
        if self.invitation.submitted_at is not None:
            return redirect("intake:start", token=token)
        # Her saved answers, shown as she gave them; no messages until she presses "Next".
        return self._page(IntakeForm(initial=self.invitation.draft, on=self.today, keys=section_keys(self.number)))

    def post(self, request, token: str, number: int):
        if self.invitation.submitted_at is not None:
            return redirect("intake:start", token=token)
        data = {key: request.POST.get(key, "").strip()[:2000] for key in section_keys(self.number)}
        draft_save(invitation=self.invitation, number=self.number, data=data)  # kept, complete or not
        if "back" in request.POST:
            return redirect(self._url(self.number - 1) if self.number > 0 else reverse("intake:start", args=[token]))
        form = self.form_for(self.number, data)
        if not form.is_valid():
            return self._page(form)
        if self.number + 1 < len(questionnaire.SECTIONS):
            return redirect(self._url(self.number + 1))
        return redirect("intake:summary", token=token)

    def _url(self, number: int) -> str:
        return reverse("intake:section", args=[self.token, number + 1])


class SummaryView(LinkPage):
    """Every answer before she sends them; a missing one sends her back to its section."""

    def _rows(self, form: IntakeForm) -> list[dict]:
        draft = self.invitation.draft
        sections = []
        for number, section in enumerate(questionnaire.SECTIONS):
            answers = []
            for top in section.questions:
                for q in (top, *top.follow_ups):
                    if q is not top and draft.get(top.key) != "True":
                        continue
                    value = draft.get(q.key, "")
                    shown = {"True": _("Yes"), "False": _("No")}.get(value, value) if q.kind == "yes_no" else value
                    answers.append({"question": _(q.text), "answer": shown, "yes": value == "True",
                                    "missing": q.key in form.errors})
            sections.append({"number": number + 1, "title": _(section.title), "answers": answers,
                             "complete": not any(a["missing"] for a in answers)})
        return sections

    def get(self, request, token: str):
        if self.invitation.submitted_at is not None:
            return redirect("intake:start", token=token)
        form = self.form_for(None)
        return self.render("patients/link_summary.html", {"sections": self._rows(form), "complete": form.is_valid()})

    def post(self, request, token: str):
        if self.invitation.submitted_at is not None:
            return redirect("intake:start", token=token)
        form = self.form_for(None)
        if not form.is_valid():
            return self.render(
                "patients/link_summary.html", {"sections": self._rows(form), "complete": False, "refused": True}
            )
        # A double tap: the first one's screening stands; both land on the same next page.
        with contextlib.suppress(AlreadySubmitted, LinkProblem):
            invitation_submit(token=token, answers=form.answers())
        self.invitation.refresh_from_db()
        return redirect(next_step_url(self.invitation, token) or reverse("intake:done", args=[token]))


@method_decorator(login_not_required, name="dispatch")
class DoneView(View):
    """The thank-you page (no answers on it). On the tablet it unlocks the session: back to the staff sign-in."""

    def get(self, request, token: str):
        invitation = IntakeInvitation.objects.select_related("patient").filter(token_hash=hash_token(token)).first()
        if invitation is None or invitation.submitted_at is None:
            return link_problem(request, "invalid")
        # Done: every step taken, or she chose to sign the consents at the clinic ("later"). The link is spent.
        if next_step_url(invitation, token) is None or request.GET.get("later"):
            invitation_spend(invitation=invitation)
        on_tablet = kiosk.locked_token(request) == token
        if on_tablet:
            kiosk.unlock(request)
        with translation.override(invitation.patient.language):
            return render(request, "patients/link_done.html", {"back_to_staff": on_tablet})


@method_decorator(login_not_required, name="dispatch")
class LeaveView(View):
    """POST: the tablet goes back to the staff (her answers so far are kept in the draft)."""

    http_method_names = ["post"]

    def post(self, request, token: str):
        if kiosk.locked_token(request) == token:
            kiosk.unlock(request)
        return redirect("login")
