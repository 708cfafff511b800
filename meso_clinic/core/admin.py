"""Staff accounts on the administration site.

The clinic manager adds people and gives them their roles (groups). She cannot raise anyone above what
the roles give: the superuser flag and single permissions are not on her forms, her own roles and flags
are read-only to her (a manager who made herself a physician could approve screenings), and a
superuser's account is not hers to change (nor its password). Superusers keep Django's whole form.

Clinical authority is not hers to give (issue 12): she gives and takes only the roles of
`roles.grantable_groups` (Reception, Nurse); the Physician and Clinic manager roles are given by a superuser,
checked in the form (a posted group outside her reach is refused with a message), and the roles she may not
touch stay as they are when she saves. She never sets a password: a new account has none and its owner is
emailed a one-time set-password link (meso_clinic/core/password_links.py), which she can send again from the
person's page or the list; Django's password page is a superuser's only. The address of an account with a
role she cannot give is read-only to her, so a link cannot be sent to her own inbox instead.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .auth_types import AuthenticatedHttpRequest
from .password_links import link_days, send_set_password_link
from .people import display_name
from .roles import grantable_groups


class RolesWithinReachMixin:
    """The roles field of a user form offers only the groups the signed-in user may give (`acting_user`, set
    by ClinicUserAdmin.get_form). Anything else posted is refused with a message; the other groups the account
    holds are kept as they are (the widget does not show them, so their absence is no removal)."""

    acting_user: User  # set on the form class that ClinicUserAdmin.get_form makes
    # What the ModelForm this is mixed into brings (for the type checker; nothing runs here).
    fields: dict[str, forms.Field]
    instance: User
    cleaned_data: dict[str, Any]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("groups")
        if field is None:  # read-only: her own account
            return
        self.grantable = grantable_groups(self.acting_user)
        field.widget.choices = forms.ModelMultipleChoiceField(self.grantable).choices
        # The clinic says roles: "Available roles", "Chosen roles" in the two-list widget, not Django's groups.
        field.label = _("Roles")
        inner: Any = getattr(field.widget, "widget", field.widget)  # the admin wrapper's widget, or the widget
        if hasattr(inner, "verbose_name"):
            inner.verbose_name = _("roles")
        held_elsewhere = self._held_out_of_reach()
        help_text = _("You can give the roles listed here. The Physician and Clinic manager roles are given by a "
                      "superuser: clinical authority is not given by the person who would use it.")
        if held_elsewhere:
            help_text += " " + _("This account also has: %(roles)s (kept as it is).") % {
                "roles": ", ".join(_(group.name) for group in held_elsewhere)
            }
        field.help_text = help_text

    def _held_out_of_reach(self) -> list:
        if self.instance.pk is None:
            return []
        return list(self.instance.groups.exclude(pk__in=self.grantable.values("pk")).order_by("name"))

    def clean_groups(self):
        chosen = list(self.cleaned_data.get("groups") or [])
        within = set(self.grantable.values_list("pk", flat=True))
        held = self._held_out_of_reach()
        refused = [group for group in chosen if group.pk not in within and group not in held]
        if refused:
            raise ValidationError(
                ngettext(
                    "Only a superuser can give the role %(roles)s. Ask a superuser of the clinic to do it.",
                    "Only a superuser can give the roles %(roles)s. Ask a superuser of the clinic to do it.",
                    len(refused),
                ),
                code="role_out_of_reach",
                params={"roles": ", ".join(_(group.name) for group in refused)},
            )
        return [group for group in chosen if group.pk in within] + held


class InviteUserForm(forms.ModelForm):
    """A manager adds a colleague without a password: the colleague sets her own with the link she is sent."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "groups")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = True
        email.help_text = _("Her own address: the link to set her password goes there, and only she chooses it.")

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A user with that username already exists."), code="unique")
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()  # nobody can sign in as her until she has chosen her password
        if commit:
            user.save()
            self.save_m2m()
        return user

# What only a superuser may set on an account. The admin site (staff status) is the managers', whom only a
# superuser makes: on a manager's form the box only confused (and gave a receptionist an empty admin site).
SUPERUSER_ONLY = ("is_superuser", "user_permissions", "is_staff")
# What nobody but a superuser may change on their own account.
OWN_ACCOUNT_READ_ONLY = ("groups", "is_staff", "is_active")


# Where a manager's change form has Django's password field: what she can do instead.
PASSWORD_LINK = "password_link"  # noqa: S105 - a field name


class ClinicUserAdmin(UserAdmin):
    actions = ["send_set_password_links"]
    invite_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        (gettext_lazy("Roles"), {"fields": ("groups",)}),
    )

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> "type[forms.ModelForm[User]]":
        if request.user.is_superuser:
            return super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            kwargs["form"] = InviteUserForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (RolesWithinReachMixin, form), {"acting_user": request.user})

    def get_fieldsets(self, request, obj=None):
        if not request.user.is_superuser and obj is None:
            return self.invite_fieldsets
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": tuple(
                        PASSWORD_LINK if f == "password" else f for f in options["fields"] if f not in SUPERUSER_ONLY
                    ),
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or obj is None:
            return fields
        fields += (PASSWORD_LINK,)
        if obj.pk == request.user.pk:
            fields += OWN_ACCOUNT_READ_ONLY
        if obj.groups.exclude(pk__in=grantable_groups(request.user).values("pk")).exists():
            fields += ("email",)  # else she could point the set-password link at her own inbox
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # ModelAdmin.render_change_form returns a TemplateResponse (django-stubs says HttpResponse).
        response = cast(
            TemplateResponse,
            super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj),
        )
        if add and not request.user.is_superuser:
            # Not Django's "First, enter a username and password" page: there is no password to enter.
            response.template_name = "admin/auth/user/invite_form.html"
            response.context_data = {**(response.context_data or {}), "link_days": link_days()}
        return response

    @admin.display(description=gettext_lazy("Password"))
    def password_link(self, obj) -> str:
        if obj.pk is None:
            return ""
        url = reverse("admin:auth_user_set_password_link", args=[obj.pk])
        if obj.has_usable_password():
            state = _("Chosen by her. A forgotten password: send her a link to choose a new one.")
        else:
            state = _("Not chosen yet: she does it with the link sent to her own address.")
        return format_html(
            '<p>{} {}</p><p><a class="button" href="{}">{}</a></p>',
            state,
            _("Nobody else sees or sets it."),
            url,
            _("Send a set-password link"),
        )

    # --- Passwords: a superuser's page; the manager sends a link --------------------------------------------

    def get_urls(self):
        return [
            path(
                "<id>/set-password-link/",
                self.admin_site.admin_view(self.set_password_link_view),
                name="auth_user_set_password_link",
            ),
            *super().get_urls(),
        ]

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied  # a manager who set a physician's password could sign in as her
        return super().user_change_password(request, id, form_url)

    def set_password_link_view(self, request: AuthenticatedHttpRequest, id: str) -> HttpResponse:
        """Confirm, then email the person a one-time link to set her own password."""
        member = self.get_object(request, unquote(id))
        if member is None or not self.has_change_permission(request, member):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[member.pk])
        if request.method == "POST":
            self._send_links(request, [member])
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send a set-password link"),
            "opts": self.opts,
            "original": member,
            "member_name": display_name(member),
            "change_url": change_url,
            "link_days": link_days(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/set_password_link.html", context)

    @admin.action(description=gettext_lazy("Send a set-password link"), permissions=["change"])
    def send_set_password_links(self, request: AuthenticatedHttpRequest, queryset: QuerySet) -> None:
        self._send_links(request, [u for u in queryset if self.has_change_permission(request, u)])

    def _send_links(self, request: AuthenticatedHttpRequest, members: list) -> None:
        sent = [m for m in members if m.is_active and send_set_password_link(user=m, requested_by=request.user)]
        if sent:
            names = ", ".join(f"{m.get_username()} ({m.email})" for m in sent)
            messages.success(
                request,
                ngettext("A set-password link was sent to %(names)s.", "Set-password links were sent to %(names)s.",
                         len(sent))
                % {"names": names},
            )
        skipped = [m.get_username() for m in members if m not in sent]
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "No link sent to %(names)s: the account has no email address or is not active.",
                    "No links sent to %(names)s: the accounts have no email address or are not active.",
                    len(skipped),
                )
                % {"names": ", ".join(skipped)},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and isinstance(form, InviteUserForm):
            self._send_links(request, [form.instance])

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
