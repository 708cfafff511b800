from django.contrib import admin

from .models import Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "preferred_language"]
    search_fields = ["family_name", "given_name", "email", "phone"]
    readonly_fields = ["created_at", "updated_at", "created_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # clinical records are never deleted (README, "History, access log and retention")
