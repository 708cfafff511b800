"""Staff pages that start the patient's own intake (issue 15): email her the link, or hand her the tablet."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from meso_clinic.core import kiosk
from meso_clinic.core.access import ClinicPermissionRequiredMixin

from .invitations import NoAddress, invitation_create, invitation_send, link_path
from .models import IntakeInvitation, Patient


class SendIntakeLinkView(ClinicPermissionRequiredMixin, View):
    """POST: email the patient a link to her intake questionnaire, in her language."""

    permission_required = "patients.add_eligibilityscreening"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        patient = get_object_or_404(Patient, pk=pk)
        try:
            invitation_send(patient=patient, created_by=request.user)
        except NoAddress:
            messages.error(request, _("%(name)s has no email address: add one, or hand her the tablet.") % {
                "name": patient.full_name})
        else:
            messages.success(request, _("The intake form is on its way to %(name)s's email.") % {
                "name": patient.full_name})
        return redirect("patients:detail", pk=patient.pk)


class TabletIntakeView(ClinicPermissionRequiredMixin, View):
    """POST: sign the staff member out and lock this browser to the patient's intake pages (core/kiosk.py)."""

    permission_required = "patients.add_eligibilityscreening"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        patient = get_object_or_404(Patient, pk=pk)
        _invitation, token = invitation_create(
            patient=patient, created_by=request.user, channel=IntakeInvitation.Channel.TABLET
        )
        kiosk.lock(request, token=token, home=link_path(token))
        return redirect(link_path(token))
