from django.contrib import admin

from .models import Batch, ConsentText, Indication, Product, TreatmentArea


class IndicationInline(admin.TabularInline):
    model = Indication
    extra = 1


@admin.register(TreatmentArea)
class TreatmentAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "typical_sessions", "typical_interval_days", "active"]
    inlines = [IndicationInline]


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 1


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


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        # A published consent text is what patients signed: it is never edited, only superseded.
        return ["version", "title", "body", "published_at"] if obj else []
