from django.contrib import admin

from .models import (
    AreaView,
    Batch,
    ConsentText,
    Indication,
    OutcomeScale,
    Product,
    Room,
    TimeOff,
    TreatmentArea,
    WorkingHours,
)


class IndicationInline(admin.TabularInline):
    model = Indication
    extra = 1


@admin.register(TreatmentArea)
class TreatmentAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "typical_sessions", "typical_interval_days", "active"]
    inlines = [IndicationInline]


class BatchInline(admin.TabularInline):
    """New batches are added here; an existing one is changed on its own page, where a used one is locked."""

    model = Batch
    extra = 1

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "patch_test_required", "active"]
    list_filter = ["kind", "active"]
    inlines = [BatchInline]


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["lot_number", "product", "expiry_date", "received_on"]
    search_fields = ["lot_number"]
    list_filter = ["product"]

    def get_readonly_fields(self, request, obj=None):
        # A batch used in a session is part of treatment records and recalls: its product, lot and expiry
        # are what the patient received, so they are never rewritten (a recall would miss its patients).
        if obj is not None and obj.uses.exists():
            return ["product", "lot_number", "expiry_date", "received_on"]
        return []


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        # A published consent text is what patients signed: it is never edited, only superseded.
        return ["version", "title", "body", "published_at"] if obj else []


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    """Each practitioner's week (clinic time); the calendar greys out the rest."""

    list_display = ["practitioner", "weekday", "starts", "ends"]
    list_filter = ["weekday"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["practitioner", "starts_at", "ends_at", "reason"]
    date_hierarchy = "starts_at"


@admin.register(AreaView)
class AreaViewAdmin(admin.ModelAdmin):
    """The standard photo views of each area (issue 16). A view no longer used is set not in use, not deleted:
    photos taken of it keep their label."""

    list_display = ("category", "order", "label", "code", "active")
    list_filter = ("category", "active")
    list_editable = ("order", "active")
    ordering = ("category", "order")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutcomeScale)
class OutcomeScaleAdmin(admin.ModelAdmin):
    """The outcome scales and the indications each is used for (issue 16). A scale no longer used is set not in
    use, not deleted: the scores recorded on it keep their meaning."""

    list_display = ("name", "code", "min_value", "max_value", "higher_is_better", "answered_by_patient", "active")
    list_filter = ("active", "answered_by_patient")
    filter_horizontal = ("indications",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
