from django.contrib import admin

from meso_clinic.core.access_log import log_patient_access

from .models import MedicineName, Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    """For a superuser's corrections only: staff, the manager included, use the patient pages, whose search
    is posted (no name, email or phone in a URL) and whose every opening is in the access log."""

    list_display = ["id", "date_of_birth", "preferred_language"]
    readonly_fields = ["created_at", "updated_at", "created_by"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # clinical records are never deleted (README, "History, access log and retention")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, object_id)  # None for an id that is no patient
        if patient is not None and request.user.is_superuser:
            log_patient_access(request.user, patient)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(MedicineName)
class MedicineNameAdmin(admin.ModelAdmin):
    """The lists of blood thinners and NSAIDs the intake's words are read for (patients/medicines.py): the manager
    adds a brand or spelling patients use, or switches one off; none is deleted (old screenings name them)."""

    list_display = ["name", "generic", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "generic"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
