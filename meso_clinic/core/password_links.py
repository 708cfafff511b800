"""The one-time set-password link: how a staff member gets a password without anyone else knowing it (issue 12).

The clinic manager never sets a colleague's password. A new account has none; she (or a superuser) sends a link
to the person's own address, and the person chooses her password on the clinic's page behind it. The link is
Django's password-reset token (default_token_generator): it is bound to the account's current password and
last sign-in, so it works once and stops working when the password changes, and it expires after
PASSWORD_RESET_TIMEOUT (Django's default, 3 days).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .account_notices import render_staff_email, staff_language
from .people import display_name


def set_password_url(user: User) -> str:
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("password_set", kwargs={"pk": user.pk, "token": token})


def link_days() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def send_set_password_link(*, user: User, requested_by: User) -> bool:
    """Email `user` a link to set her own password, once the current transaction commits.

    False (nothing sent) for an account without an email address. The link is made when the email is sent,
    from the committed account, so it matches the password the account has then.
    """
    if not user.email:
        return False
    by = display_name(requested_by)
    user_pk = user.pk

    def send() -> None:
        from django.contrib.auth import get_user_model

        member = get_user_model().objects.get(pk=user_pk)
        context = {"name": display_name(member), "username": member.get_username(),
                   "url": set_password_url(member), "requested_by": by, "days": link_days()}
        render_staff_email(
            template="set_password_link", context=context, to=[member.email], language=staff_language(member)
        ).send()

    transaction.on_commit(send)
    return True


@method_decorator(login_not_required, name="dispatch")  # Django's is on the dispatch this class overrides
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page behind the link: choose a password (no sign-in; the token is the proof)."""

    template_name = "registration/password_set_form.html"
    success_url = reverse_lazy("password_set_done")
    # Django keeps the token in the session and moves the browser on to .../<pk>/choose/ (the token leaves the
    # address bar, and the Referer of anything the page loads).
    reset_url_token = "choose"  # noqa: S105 - a word in the address, not a secret

    def dispatch(self, *args, **kwargs):
        # The link is /accounts/set-password/<pk>/<token>/, with the id as every URL of the clinic has it;
        # Django's view takes the base64 id it would have put there.
        kwargs["uidb64"] = urlsafe_base64_encode(force_bytes(kwargs.pop("pk")))
        return super().dispatch(*args, **kwargs)


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
