"""Staff accounts on the administration site.

The clinic manager adds people and gives them their roles (groups). She cannot raise anyone above what
the roles give: the superuser flag and single permissions are not on her forms, her own roles and flags
are read-only to her (a manager who made herself a physician could approve screenings), and a
superuser's account is not hers to change (nor its password). Superusers keep Django's whole form.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()

# What only a superuser may set on an account.
SUPERUSER_ONLY = ("is_superuser", "user_permissions")
# What nobody but a superuser may change on their own account.
OWN_ACCOUNT_READ_ONLY = ("groups", "is_staff", "is_active")


class ClinicUserAdmin(UserAdmin):
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in SUPERUSER_ONLY)})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None and obj.pk == request.user.pk:
            fields += OWN_ACCOUNT_READ_ONLY
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, ClinicUserAdmin)
