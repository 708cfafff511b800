"""Pages of the treatments app. Thin: a form in, one service or selector call, a page out."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, FormView, ListView

from meso_clinic.core.access import ClinicPermissionRequiredMixin
from meso_clinic.core.access_log import log_patient_access
from meso_clinic.core.auth_types import AuthenticatedHttpRequest
from meso_clinic.core.params import query_id
from patients.mixins import PatientRecordMixin
from patients.models import Patient

from . import availability, patch_tests, selectors, services
from .forms import (
    CancelForm,
    ConsentForm,
    CourseForm,
    LocalDateTimeField,
    PatchTestApplyForm,
    PatchTestReadForm,
    ReactionClearForm,
    RecallForm,
    RefusalFormMixin,
    RescheduleForm,
    SessionBookForm,
    SessionPerformForm,
)
from .models import Consent, PatchTest, Room, Session, TreatmentArea
from .signals import warnings_for

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class PatientFormView(ClinicPermissionRequiredMixin, FormView):
    """A form about one patient (patient id in the URL); a service refusal goes back onto the form."""

    request: AuthenticatedHttpRequest
    perform: Callable[..., HttpResponse]  # each page's own: the service call on the valid form

    def dispatch(self, request, *args, **kwargs):
        self.patient = get_object_or_404(Patient, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.patient)
        return super().get_context_data(patient=self.patient, **kwargs)

    def form_valid(self, form):
        try:
            return self.perform(form)
        except services.Refused as refusal:
            form.add_refusal(refusal)
            return self.form_invalid(form)


# --- Catalogue ------------------------------------------------------------------------------


class CatalogueView(ClinicPermissionRequiredMixin, ListView):
    permission_required = "treatments.view_treatmentarea"
    template_name = "treatments/catalogue.html"
    context_object_name = "areas"
    queryset = TreatmentArea.objects.filter(active=True).prefetch_related("indications")

    def get_context_data(self, **kwargs):
        products = selectors.catalogue_products(on=timezone.localdate())
        return super().get_context_data(products=products, **kwargs)


class BatchRecallView(ClinicPermissionRequiredMixin, FormView):
    """Every patient and session that received a lot. The lot number is not patient data: GET is fine."""

    permission_required = ("treatments.view_batch", "treatments.view_session")
    template_name = "treatments/recall.html"
    form_class = RecallForm

    def get_form_kwargs(self):
        return {"data": self.request.GET or None}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.is_bound and form.is_valid():
            context["uses"] = list(selectors.batch_recall(form.cleaned_data["lot_number"])[:500])
        return context


# --- Patch tests ----------------------------------------------------------------------------


class PatchTestApplyView(PatientFormView):
    permission_required = "treatments.add_patchtest"
    form_class = PatchTestApplyForm
    template_name = "treatments/patch_test_apply.html"
    extra_context = {"heading": gettext_lazy("Apply a patch test"), "submit_label": gettext_lazy("Record patch test")}

    def perform(self, form):
        test = services.patch_test_apply(
            patient=self.patient,
            products=form.cleaned_data["products"],
            site=form.cleaned_data["site"],
            applied_at=form.cleaned_data["applied_at"],
            applied_by=self.request.user,
        )
        readable = patch_tests.readable_from(test.applied_at, selectors.patch_rules())
        opens = patch_tests.format_day(timezone.localdate(readable)) + f" {timezone.localtime(readable):%H:%M}"
        messages.success(self.request, _("Patch test recorded. It can be read from %(opens)s.") % {"opens": opens})
        return redirect("patients:detail", pk=self.patient.pk)


class PatchTestDetailView(ClinicPermissionRequiredMixin, DetailView):
    request: AuthenticatedHttpRequest
    permission_required = "treatments.view_patchtest"
    model = PatchTest
    context_object_name = "test"
    template_name = "treatments/patch_test_detail.html"

    def get_queryset(self):
        return PatchTest.objects.select_related("patient", "applied_by", "read_by", "reaction_cleared_by")

    def get_context_data(self, **kwargs):
        test = self.object
        log_patient_access(self.request.user, test.patient)
        rules = selectors.patch_rules()
        user = self.request.user
        context = {
            "readable_from": patch_tests.readable_from(test.applied_at, rules),
            "read_deadline": patch_tests.read_deadline(test.applied_at, rules),
            "refusal": patch_tests.read_refusal(
                applied_at=test.applied_at, read_at=timezone.now(), rules=rules, tz=selectors.clinic_zone()
            ),
            "can_read": test.read_at is None and user.has_perm("treatments.change_patchtest"),
            "can_clear": test.is_reaction
            and test.reaction_cleared_at is None
            and user.has_perm("treatments.clear_patch_reaction"),
        }
        if context["can_read"] and "read_form" not in kwargs:
            context["read_form"] = PatchTestReadForm()
        if context["can_clear"] and "clear_form" not in kwargs:
            context["clear_form"] = ReactionClearForm()
        return super().get_context_data(**context, **kwargs)


class PatchTestPostView(PatchTestDetailView):
    """POST a reading or a reaction decision; on refusal, the detail page again with the messages."""

    http_method_names = ["post"]
    form_class: type[RefusalFormMixin]  # each page's form
    form_name = ""
    perform: Callable[[Any], object]  # each page's service call

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(form)
            except services.Refused as refusal:
                form.add_refusal(refusal)
            else:
                return redirect("treatments:patch_test", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))


class PatchTestReadView(PatchTestPostView):
    permission_required = "treatments.change_patchtest"
    form_class = PatchTestReadForm
    form_name = "read_form"

    def perform(self, form):
        services.patch_test_read(
            test=self.object,
            result=form.cleaned_data["result"],
            notes=form.cleaned_data["result_notes"],
            read_by=self.request.user,
        )
        messages.success(self.request, _("Reading recorded."))


class ReactionClearView(PatchTestPostView):
    permission_required = "treatments.clear_patch_reaction"
    form_class = ReactionClearForm
    form_name = "clear_form"

    def perform(self, form):
        services.patch_reaction_clear(
            test=self.object, decision=form.cleaned_data["reaction_decision"], decided_by=self.request.user
        )
        messages.success(self.request, _("Decision on the reaction recorded."))


class PatchTestsToReadView(ClinicPermissionRequiredMixin, ListView):
    permission_required = "treatments.view_patchtest"
    template_name = "treatments/patch_tests_to_read.html"
    context_object_name = "tests"

    def get_queryset(self):
        return selectors.patch_tests_to_read(now=timezone.now())

    def get_context_data(self, **kwargs):
        rules = selectors.patch_rules()
        now = timezone.now()
        rows = [
            {
                "test": t,
                "readable_from": patch_tests.readable_from(t.applied_at, rules),
                "deadline": patch_tests.read_deadline(t.applied_at, rules),
                "readable_now": patch_tests.readable_from(t.applied_at, rules) <= now,
            }
            for t in self.object_list
        ]
        return super().get_context_data(rows=rows, **kwargs)


# --- Consent and courses --------------------------------------------------------------------


class ConsentView(PatientFormView):
    permission_required = "treatments.add_consent"
    form_class = ConsentForm
    template_name = "treatments/consent.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "patient": self.patient}

    def get_context_data(self, **kwargs):
        # Her consents so far, each with its printable page (the text she signed and her signature; issue 15).
        signed = Consent.objects.filter(patient=self.patient).select_related("text")[:20]
        return super().get_context_data(signed_consents=signed, **kwargs)

    def perform(self, form):
        services.consent_record(
            patient=self.patient,
            text=form.cleaned_data["text"],
            course=form.cleaned_data["course"],
            recorded_by=self.request.user,
        )
        messages.success(self.request, _("Consent recorded."))
        return redirect("patients:detail", pk=self.patient.pk)


class CourseCreateView(PatientFormView):
    permission_required = "treatments.add_course"
    form_class = CourseForm
    template_name = "treatments/course_form.html"
    extra_context = {"heading": gettext_lazy("Plan a course"), "submit_label": gettext_lazy("Plan course")}

    def perform(self, form):
        course = services.course_create(patient=self.patient, created_by=self.request.user, **form.cleaned_data)
        count = course.planned_sessions
        message = ngettext("Course planned: %(count)s session.", "Course planned: %(count)s sessions.", count)
        messages.success(self.request, message % {"count": count})
        return redirect("patients:detail", pk=self.patient.pk)


# --- Sessions -------------------------------------------------------------------------------


class SessionBookView(PatientFormView):
    """Book a session. The page says first when the patient can be treated at the earliest (and the nearest free
    times); "Check" shows readiness and whether the slot is free before anything is saved; a refused time comes back
    with the nearest free starts as buttons that re-fill the form. A patient with a hard stop gets no form."""

    permission_required = "treatments.add_session"
    form_class = SessionBookForm
    template_name = "treatments/session_book.html"

    def get(self, request, *args, **kwargs):
        self.earliest = availability.earliest_for(self.patient, self.initial_products(), course=self.course())
        if self.earliest.hard_stop:
            return self.render_to_response(self.get_context_data(form=None))
        self.suggested = self.suggestions(self.earliest)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "pick" in request.POST or "pick_room" in request.POST:  # a suggested time or room: re-fill, check again
            data = request.POST.copy()
            if request.POST.get("pick"):
                data["scheduled_at"] = request.POST["pick"]
            if request.POST.get("pick_room"):
                data["room"] = request.POST["pick_room"]
            self.checking = True
            form = self.form_class(data, **{k: v for k, v in self.get_form_kwargs().items() if k != "data"})
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "patient": self.patient}

    def course(self):
        """The course of `?course=` (or of the posted form), when it is one of this patient's."""
        if not hasattr(self, "_course"):
            course_id = query_id(self.request.POST if self.request.method == "POST" else self.request.GET, "course")
            self._course = self.patient.courses.filter(pk=course_id).first() if course_id is not None else None
        return self._course

    def last_course_session(self):
        course = self.course()
        if course is None:
            return None
        return (
            course.sessions.exclude(status=Session.Status.CANCELLED).select_related("supervising_physician")
            .prefetch_related("products").order_by("-scheduled_at").first()
        )

    def initial_products(self):
        """The products the form pre-selects, which the earliest moment and the suggestions are judged with: the
        course's last session's; for its first session, those of her latest patch test (what she is being tested
        for), so that a pending test's reading is waited for and every time offered is one the form accepts."""
        if not hasattr(self, "_initial_products"):
            last = self.last_course_session()
            if last is not None:
                self._initial_products = list(last.products.all())
            elif self.course() is not None:
                test = PatchTest.objects.filter(patient=self.patient).order_by("-applied_at", "-pk").first()
                self._initial_products = list(test.products.filter(active=True)) if test is not None else []
            else:
                self._initial_products = []
        return self._initial_products

    def get_initial(self):
        initial: dict[str, Any] = {}
        if self.request.user.has_perm("treatments.perform_session"):
            initial["supervising_physician"] = self.request.user
        course = self.course()
        if course is not None:  # the course's area and indication; its last session's products and people
            initial.update(course=course, indication=course.indication)
            last = self.last_course_session()
            initial["products"] = self.initial_products()
            if last is not None:
                initial.update(
                    technique=last.technique,
                    anaesthetic_cream=last.anaesthetic_cream, supervising_physician=last.supervising_physician,
                    duration_minutes=last.duration_minutes,
                )
        params = self.request.GET
        practitioner_id, room_id = query_id(params, "practitioner"), query_id(params, "room")
        if practitioner_id is not None and selectors.practitioners().filter(pk=practitioner_id).exists():
            initial["practitioner"] = practitioner_id
        if room_id is not None and Room.objects.filter(pk=room_id, active=True).exists():
            initial["room"] = room_id
        wanted = local_datetime_param(params.get("at", ""))
        suggested = getattr(self, "suggested", None)
        if wanted is not None:
            initial["scheduled_at"] = wanted
        elif course is not None and suggested:  # "book the next session": the first free slot of the course
            first = suggested[0]
            initial["scheduled_at"] = timezone.localtime(first["at"]).strftime("%Y-%m-%dT%H:%M")
            initial.setdefault("practitioner", first["practitioner"].pk)
            if first["room"] is not None:
                initial.setdefault("room", first["room"].pk)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        earliest = getattr(self, "earliest", None)
        context["earliest"] = earliest
        if earliest is not None and earliest.bookable and "suggestions" not in kwargs:
            context["suggestions"] = getattr(self, "suggested", None)
            if context["suggestions"] is None:
                context["suggestions"] = self.suggestions(earliest)
        return context

    def suggestions(self, earliest):
        """The earliest free slots across practitioners from the earliest moment, as links that pre-fill the form."""
        if earliest.at is None:
            return []
        course = self.course()
        found = availability.suggest_slots(
            patient=self.patient, minutes=45, not_before=earliest.at, now=timezone.now(), count=3
        )
        base = reverse("treatments:session_book", args=[self.patient.pk])
        links = []
        for s in found:
            query = {"at": timezone.localtime(s.at).strftime("%Y-%m-%dT%H:%M"), "practitioner": s.practitioner.pk}
            if s.room is not None:
                query["room"] = s.room.pk
            if course is not None:
                query["course"] = course.pk
            links.append({"at": s.at, "practitioner": s.practitioner, "room": s.room,
                          "url": f"{base}?{urlencode(query)}"})
        return links

    def form_invalid(self, form, **extra):
        if not hasattr(self, "earliest"):
            self.earliest = availability.earliest_for(self.patient, form.cleaned_data.get("products") or [],
                                                      course=form.cleaned_data.get("course"))
        return self.render_to_response(self.get_context_data(form=form, **extra))

    def form_valid(self, form):
        data = form.cleaned_data
        self.earliest = availability.earliest_for(self.patient, data["products"], course=data["course"])
        if self.earliest.hard_stop:
            return self.render_to_response(self.get_context_data(form=None))
        stock = availability.products_without_stock(data["products"], on=timezone.localdate(data["scheduled_at"]))
        if getattr(self, "checking", False) or "check" in self.request.POST:
            ready = selectors.patient_readiness(
                patient=self.patient, products=data["products"], at=data["scheduled_at"],
                course_id=data["course"].pk if data["course"] else None,
            )
            answer = availability.slot_answer(
                start=data["scheduled_at"], minutes=data["duration_minutes"], practitioner_id=data["practitioner"].pk,
                room_id=data["room"].pk if data["room"] else None, patient_id=self.patient.pk, now=timezone.now(),
                not_before=self.earliest.refused_before,
            )
            slot = {"free": answer.check.free and not self.too_early(data["scheduled_at"]),
                    "nearest": answer.nearest, "free_rooms": answer.free_rooms}
            for field, messages_ in services.slot_refusal_errors(answer, self.earliest, data["scheduled_at"]).items():
                for message in messages_:
                    form.add_error(field, message)
            return self.render_to_response(self.get_context_data(form=form, readiness=ready, slot=slot,
                                                                 no_stock=stock))
        try:
            return self.perform(form, stock)
        except services.SlotRefused as refusal:
            form.add_refusal(refusal)
            slot = {"free": False, "nearest": refusal.nearest, "free_rooms": refusal.free_rooms}
            return self.form_invalid(form, slot=slot, no_stock=stock)
        except services.Refused as refusal:
            form.add_refusal(refusal)
            return self.form_invalid(form, no_stock=stock)

    def too_early(self, at) -> bool:
        return self.earliest.refused_before is not None and at < self.earliest.refused_before

    def perform(self, form, stock=()):
        session = services.session_book(patient=self.patient, booked_by=self.request.user, **form.cleaned_data)
        ready = selectors.sessions_readiness([selectors.session_with_details(session.pk)])[session.pk]
        if ready.ready:
            messages.success(self.request, _("Session booked. The patient is ready for it."))
        else:
            messages.warning(self.request, _("Session booked, but the patient is not ready yet: see what is missing."))
        for product in stock:
            messages.warning(self.request, _("No unexpired batch of %(product)s in stock: order it before the "
                                             "session.") % {"product": product.name})
        return redirect("treatments:session", pk=session.pk)


def local_datetime_param(value: str) -> str | None:
    """`?at=2026-11-24T10:15` (clinic time) as the form's value, or None when it is not such a time."""
    if not isinstance(value, str) or len(value) != len("2026-11-24T10:15"):
        return None
    try:
        parsed = LocalDateTimeField(required=False).clean(value)  # the form's own parsing, in the clinic's zone
    except ValidationError:
        return None
    return value if parsed is not None and 2000 <= parsed.year <= 2200 else None


class SessionDetailView(ClinicPermissionRequiredMixin, DetailView):
    permission_required = "treatments.view_session"
    context_object_name = "session"
    template_name = "treatments/session_detail.html"

    def get_object(self, queryset=None):
        try:
            return selectors.session_with_details(self.kwargs["pk"])
        except Session.DoesNotExist as missing:
            raise Http404 from missing

    def get_context_data(self, **kwargs):
        session = self.object
        log_patient_access(self.request.user, session.patient)
        user = self.request.user
        context: dict[str, Any] = {"can_perform": False, "can_cancel": False}
        if session.status != Session.Status.CANCELLED:  # the physician's instructions, before and after
            context["instructions"] = selectors.session_instructions(session)
        if session.is_open:  # booked, or the patient has arrived
            context["readiness"] = selectors.sessions_readiness([session])[session.pk]
            context["session_warnings"] = warnings_for(session)
            context["can_perform"] = user.has_perm("treatments.perform_session")
            context["can_cancel"] = user.has_perm("treatments.change_session")
            if context["can_perform"] and "perform_form" not in kwargs:
                context["perform_form"] = SessionPerformForm(session=session)
            if session.is_booked and context["can_cancel"] and "reschedule_form" not in kwargs:  # arrived: not moved
                local = timezone.localtime(session.scheduled_at).strftime("%Y-%m-%dT%H:%M")
                context["reschedule_form"] = RescheduleForm(initial={"scheduled_at": local})
        return super().get_context_data(**context, **kwargs)


class SessionPerformView(SessionDetailView):
    permission_required = "treatments.perform_session"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        form = SessionPerformForm(request.POST, session=session)
        if form.is_valid():
            try:
                services.session_perform(
                    session=session,
                    performed_by=request.user,
                    batches=form.batches(),
                    health_unchanged=form.cleaned_data["health_unchanged"],
                    performed_at=form.cleaned_data["performed_at"],
                    previous_reaction=form.cleaned_data.get("previous_reaction", ""),
                    reaction_after_previous=form.cleaned_data.get("reaction_after_previous", ""),
                    immediate_reactions=form.cleaned_data["immediate_reactions"],
                    notes=form.cleaned_data["notes"],
                )
            except services.Refused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(request, _("Session performed and signed off."))
                for warning in warnings_for(session):
                    messages.warning(request, warning)
                return redirect("patients:detail", pk=session.patient_id)
        return self.render_to_response(self.get_context_data(perform_form=form))


def _local_path(target: str) -> str:
    """`target` when it is a path on this site (the calendar a session action came from), else ""."""
    if target.startswith("/") and not target.startswith("//") and url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    ):
        return target
    return ""


def _back(request, session: Session):
    """Where a session action returns: the page it came from (`next`, a local path only), else the session's page."""
    return redirect(_local_path(request.POST.get("next", "")) or reverse("treatments:session", args=[session.pk]))


class SessionCancelView(ClinicPermissionRequiredMixin, DetailView):
    """Cancel a session: a confirmation page with the reason (GET), then the cancellation (POST)."""

    permission_required = "treatments.change_session"
    context_object_name = "session"
    template_name = "treatments/session_cancel.html"

    def get_queryset(self):
        return Session.objects.select_related("patient", "area", "indication", "practitioner")

    def get_context_data(self, **kwargs):
        log_patient_access(self.request.user, self.object.patient)
        kwargs.setdefault("form", CancelForm())
        emailed = self.object.patient.email_consent and bool(self.object.patient.email)
        came_from = _local_path(self.request.GET.get("next") or self.request.POST.get("next", ""))
        return super().get_context_data(emailed=emailed, next=came_from, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_open:
            messages.error(request, _("This session is %(status)s: it cannot be cancelled.") % {
                "status": self.object.get_status_display().lower()})
            return redirect("treatments:session", pk=self.object.pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
            except services.Refused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(request, _("Session cancelled."))
                return _back(request, session)
        return self.render_to_response(self.get_context_data(form=form))


class SessionActionView(ClinicPermissionRequiredMixin, DetailView):
    """A one-button action on a session (POST only); a refusal comes back as a message on the page returned to."""

    permission_required = "treatments.change_session"
    model = Session
    http_method_names = ["post"]
    done: "str | StrPromise" = ""
    request: AuthenticatedHttpRequest

    def act(self, session: Session) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        try:
            self.act(session)
        except services.Refused as refusal:
            for message in (m for field_messages in refusal.errors.values() for m in field_messages):
                messages.error(request, message)
        else:
            messages.success(request, self.done)
        return _back(request, session)


class SessionCheckInView(SessionActionView):
    done = gettext_lazy("Checked in: the patient has arrived.")

    def act(self, session: Session) -> None:
        services.session_check_in(session=session, by=self.request.user)


class SessionNoShowView(SessionActionView):
    done = gettext_lazy("Marked as a no-show.")

    def act(self, session: Session) -> None:
        services.session_no_show(session=session, by=self.request.user)


class SessionRescheduleView(SessionDetailView):
    permission_required = "treatments.change_session"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                services.session_reschedule(
                    session=session, scheduled_at=form.cleaned_data["scheduled_at"], by=request.user
                )
            except services.Refused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(request, _("Session moved; its reminder moved with it."))
                return redirect("treatments:session", pk=session.pk)
        return self.render_to_response(self.get_context_data(reschedule_form=form))


class PatientSessionsView(PatientRecordMixin, ClinicPermissionRequiredMixin, ListView):
    """Every session of a patient, newest first, 50 a page (the patient page shows the latest 20)."""

    permission_required = ("patients.view_patient", "treatments.view_session")
    template_name = "treatments/patient_sessions.html"
    context_object_name = "sessions"
    paginate_by = 50

    def get_queryset(self):
        self.patient = self.opened_patient()
        return selectors.patient_sessions(self.patient)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(patient=self.patient, **kwargs)
        selectors.with_product_lists(context["sessions"])
        return context

