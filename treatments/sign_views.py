"""The patient's own consent pages (issue 15), after her intake on the same link or tablet: the consent to treatment
in her language, signed with her typed name and a drawn signature, then the separate photo consent. And the staff's
printable consent, with the text she signed and her signature."""

import base64

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView

from meso_clinic.core import kiosk
from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from patients.invitations import LinkProblem, invitation_for, next_step_url
from patients.link_views import link_problem, problem_language

from .models import Consent, ConsentText, PhotoConsent
from .selectors import current_consent_text
from .signing import SignatureRefused, consent_sign, photo_consent_give


@method_decorator(login_not_required, name="dispatch")
class SignPage(View):
    template = ""

    def dispatch(self, request, *args, **kwargs):
        token = kwargs["token"]
        try:
            self.invitation = invitation_for(token)
        except LinkProblem as refused:
            return link_problem(request, refused.problem, language=problem_language(token))
        if self.invitation.submitted_at is None:  # the health questions come first
            return redirect("intake:start", token=token)
        self.token = token
        self.patient = self.invitation.patient
        with translation.override(self.patient.language):
            return super().dispatch(request, *args, **kwargs)

    def page(self, context: dict, status: int = 200):
        return render(self.request, self.template, {
            "token": self.token,
            "patient_name": self.patient.given_name,
            "on_tablet": kiosk.locked_token(self.request) == self.token,
            **context,
        }, status=status)

    def next_page(self):
        return redirect(next_step_url(self.invitation, self.token) or reverse("intake:done", args=[self.token]))

    def user_agent(self) -> str:
        return self.request.headers.get("User-Agent", "")


class ConsentSignView(SignPage):
    template = "treatments/consent_sign.html"

    def get(self, request, token: str):
        if Consent.objects.filter(invitation=self.invitation).exists():
            return self.next_page()
        return self.page({"text": current_consent_text(language=self.patient.language), "errors": {}})

    def post(self, request, token: str):
        if Consent.objects.filter(invitation=self.invitation).exists():
            return self.next_page()
        text_id = request.POST.get("text", "")
        text = ConsentText.objects.filter(pk=int(text_id)).first() if text_id.isdigit() and len(text_id) < 10 else None
        shown = text or current_consent_text(language=self.patient.language)
        try:
            if text is None:
                raise SignatureRefused({"": translation.gettext("Please read the consent text and sign again.")})
            consent_sign(
                invitation=self.invitation,
                text=text,
                signed_name=request.POST.get("signed_name", ""),
                signature=request.POST.get("signature", ""),
                user_agent=self.user_agent(),
            )
        except SignatureRefused as refused:
            current = current_consent_text(language=self.patient.language)
            return self.page({"text": current if "" in refused.errors else shown, "errors": refused.errors,
                              "form_error": refused.errors.get(""),
                              "signed_name": request.POST.get("signed_name", "")[:200]})
        return self.next_page()


class PhotoConsentView(SignPage):
    template = "treatments/photo_consent_sign.html"

    def get(self, request, token: str):
        if PhotoConsent.objects.filter(invitation=self.invitation).exists():
            return self.next_page()
        return self.page({"scopes": PhotoConsent.Scope.choices, "errors": {}})

    def post(self, request, token: str):
        if PhotoConsent.objects.filter(invitation=self.invitation).exists():
            return self.next_page()
        consent = Consent.objects.filter(invitation=self.invitation).first()
        try:
            photo_consent_give(
                invitation=self.invitation,
                scope=request.POST.get("scope", ""),
                signed_name=consent.signed_name if consent else "",
                user_agent=self.user_agent(),
            )
        except SignatureRefused as refused:
            return self.page({"scopes": PhotoConsent.Scope.choices, "errors": refused.errors})
        return self.next_page()


class ConsentPrintView(ClinicPermissionRequiredMixin, DetailView):
    """A consent as given: the text version she signed (in its language), her typed name and drawn signature."""

    permission_required = "treatments.view_consent"
    model = Consent
    context_object_name = "consent"
    template_name = "treatments/consent_print.html"

    def get_queryset(self):
        return Consent.objects.select_related("patient", "text", "recorded_by", "course__indication")

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object.patient)
        png = bytes(self.object.signature_png) if self.object.signature_png else b""
        photo = PhotoConsent.objects.filter(invitation_id=self.object.invitation_id).first() if (
            self.object.invitation_id) else None
        return super().get_context_data(
            signature_src="data:image/png;base64," + base64.b64encode(png).decode() if png else "",
            photo_consent=photo,
            **kwargs,
        )
