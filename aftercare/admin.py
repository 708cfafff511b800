from django.contrib import admin, messages
from django.utils.translation import ngettext

from . import services
from .models import AftercarePlan, AftercareStep, ReminderMessage


class AftercareStepInline(admin.TabularInline):
    model = AftercareStep
    extra = 0


@admin.register(AftercarePlan)
class AftercarePlanAdmin(admin.ModelAdmin):
    list_display = ["area"]
    inlines = [AftercareStepInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Changes apply to reminders not yet sent.
        moved = services.plan_reschedule_pending(form.instance)
        if moved:
            messages.info(request, ngettext(
                "%(count)s scheduled email follows the new timeline.",
                "%(count)s scheduled emails follow the new timeline.",
                moved,
            ) % {"count": moved})


@admin.register(ReminderMessage)
class ReminderMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject"]
    list_filter = ["language", "kind"]
