"""Photo pages (issue 16): taking a session's photos on the tablet, serving them to staff, comparing a course's.

Photos are never in a public folder or at a public URL: every file goes through AreaPhotoFileView, behind
sign-in and treatments.view_areaphoto, with `Cache-Control: no-store, private` (as the side-effect reports'
photos, aftercare.views.ReportPhotoView).
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.auth_types import AuthenticatedHttpRequest
from meso_clinic.core.images import FORMATS

from . import photos
from .models import AreaPhoto, Course, Session
from .photo_forms import ComparisonForm, SessionPhotosForm

CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}


class SessionPhotosView(ClinicPermissionRequiredMixin, View):
    """The session's photos: one field per standard view of its area (camera or file), before/after/follow-up."""

    permission_required = "treatments.add_areaphoto"
    template_name = "treatments/session_photos.html"
    FORM_OVERHEAD_BYTES = 64 * 1024  # the stage, the CSRF token and the multipart boundaries

    @classmethod
    def max_request_bytes(cls) -> int:
        """The largest body this page reads (meso_clinic/core/request_limits.py refuses more unread)."""
        return settings.AREA_PHOTO_MAX_BYTES * settings.AREA_PHOTOS_PER_REQUEST + cls.FORM_OVERHEAD_BYTES

    @classmethod
    def request_too_large(cls, request, declared_bytes: int, *, pk: int) -> HttpResponse:
        """A body over max_request_bytes, refused unread (413), nothing stored. This runs before sign-in is
        known (core/request_limits.py sits above authentication), so the page says nothing of the patient."""
        message = _("No photo was saved: together they were too large (%(size)s MB). Send at most %(count)s "
                    "photos at a time, each up to %(limit)s MB.") % {
            "size": round(declared_bytes / 1024 / 1024, 1), "count": settings.AREA_PHOTOS_PER_REQUEST,
            "limit": settings.AREA_PHOTO_MAX_BYTES // (1024 * 1024)}
        return render(request, "treatments/session_photos_too_large.html",
                      {"message": message, "back": reverse("treatments:session_photos", args=[pk])}, status=413)

    def session(self) -> Session:
        return get_object_or_404(
            Session.objects.select_related("patient", "area", "indication", "course"), pk=self.kwargs["pk"]
        )

    def page(self, request, session: Session, form: SessionPhotosForm | None, *, status: int = 200) -> HttpResponse:
        consent = photos.current_photo_consent(session.patient)
        allowed = photos.consent_allows_photos(consent.scope if consent else None)
        taken = {at_view.view.pk: at_view.photos for at_view in photos.session_photos(session)}
        context: dict[str, Any] = {
            "session": session,
            "patient": session.patient,
            "consent": consent,
            "allowed": allowed,
            "no_consent": "" if allowed else photos.no_consent_message(session.patient, consent),
            "did_not_happen": session.status in photos.NO_PHOTO_STATUSES,
            "form": form,
            "rows": [(view, field, taken.get(view.pk, [])) for view, field in form.bound_views()] if form else [],
            "can_compare": session.course_id is not None and request.user.has_perm("treatments.view_areaphoto"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = self.session()
        log_patient_access(request.user, session.patient)
        form = SessionPhotosForm(views=photos.area_views(session.area.category),
                                 initial={"stage": photos.default_stage(session)})
        return self.page(request, session, form)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = self.session()
        log_patient_access(request.user, session.patient)
        consent = photos.current_photo_consent(session.patient)
        if not photos.consent_allows_photos(consent.scope if consent else None):
            # Refused before a single file is decoded; the service would refuse it too.
            messages.error(request, photos.no_consent_message(session.patient, consent))
            return self.page(request, session, None, status=403)
        form = SessionPhotosForm(request.POST, request.FILES, views=photos.area_views(session.area.category))
        if form.is_valid():
            try:
                taken = photos.photos_add(
                    session=session, stage=form.cleaned_data["stage"], pictures=form.pictures(), by=request.user
                )
            except photos.PhotoRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("%(count)s photo(s) saved.") % {"count": len(taken)})
                return redirect("treatments:session_photos", pk=session.pk)
        return self.page(request, session, form, status=400)


class AreaPhotoFileView(ClinicPermissionRequiredMixin, View):
    """One photo (or its thumbnail), to signed-in staff with the role only, never kept in any cache."""

    permission_required = "treatments.view_areaphoto"
    thumbnail = False

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        photo = get_object_or_404(AreaPhoto.objects.select_related("session__patient"), pk=pk)
        field = photo.thumbnail if self.thumbnail else photo.image
        content_type = CONTENT_TYPES.get(field.name.rsplit(".", 1)[-1].lower()) if field.name else None
        if content_type is None:
            raise Http404
        log_patient_access(request.user, photo.session.patient)
        # Typed from what the upload was re-encoded to; and even so, never run as a page.
        response = FileResponse(field.open("rb"), content_type=content_type)
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CoursePhotosView(ClinicPermissionRequiredMixin, TemplateView):
    """A course's photos compared, view by view: first against latest, or two chosen sets."""

    permission_required = "treatments.view_areaphoto"
    template_name = "treatments/course_photos.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        course = get_object_or_404(Course.objects.select_related("patient", "area", "indication"), pk=kwargs["pk"])
        log_patient_access(self.request.user, course.patient)
        all_photos = photos.course_photos(course)
        sets = photos.photo_sets(all_photos)
        stages = dict(AreaPhoto.Stage.choices)
        choices = [
            (s.key, f"{date_format(localtime(s.scheduled_at), 'j M Y')} · {stages[s.stage]}") for s in sets
        ]
        form = ComparisonForm(self.request.GET or None, choices=choices)
        left = right = None
        if form.is_bound and form.is_valid():
            left, right = form.cleaned_data["left"] or None, form.cleaned_data["right"] or None
        pairs = photos.comparison_pairs(all_photos, photos.area_views(course.area.category), left=left, right=right)
        return super().get_context_data(
            course=course, patient=course.patient, form=form, pairs=pairs, stages=stages,
            query=self.request.GET.urlencode(), **kwargs,
        )


class CoursePhotosPrintView(CoursePhotosView):
    """The comparison as a sheet to print for the patient."""

    template_name = "treatments/course_photos_print.html"
