"""A staff member hears of every change to how she signs in and what she may do (issue 12).

Her password, her two-factor devices (authenticator app; recovery codes where django_otp's static plugin is
installed), her roles and her email address: each change sends her an email, to her own address, saying what
changed, who changed it, when, and to tell the clinic if it was not her. A manager who reset a physician's
authenticator, or a superuser's slip, is then seen by the person it concerns.

How: signals (model saves, the groups' m2m_changed, device saves and deletions), connected in apps.py. The
changes of one transaction are gathered per person and sent as one email once it commits (an admin save that
changes roles and the address is one notice; a rolled-back change is none). Who: the request's signed-in user
or task from meso_clinic/core/history.py's actor; an anonymous request that sets a password is the set-password
link's page. A failed send is logged, never an error after the change committed.
"""

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .history import current_actor
from .people import display_name
from .roles import ROLES

log = logging.getLogger(__name__)

# What changed, as the notice lists it.
PASSWORD = "password"  # noqa: S105 - the kind of change, not a password
EMAIL = "email"
DEVICE_ADDED = "device added"
DEVICE_REMOVED = "device removed"
DEVICE_REPLACED = "device replaced"
SERVER = "system"


def staff_language(user: User) -> str:
    from .preferences import staff_language as chosen

    return chosen(user) or settings.LANGUAGE_CODE


def render_staff_email(*, template: str, context: dict, to: list[str], language: str) -> EmailMultiAlternatives:
    """emails/<template>_subject.txt, .txt and .html, in `language`, to a staff member."""
    context = {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE, "language": language,
               **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    email = EmailMultiAlternatives(
        subject=f"{subject} · {settings.CLINIC_NAME}", body=text, to=to, headers={"Auto-Submitted": "auto-generated"}
    )
    email.attach_alternative(html, "text/html")
    return email


def _who_acts(user_pk: int) -> tuple[str | None, bool]:
    """Who is making the change (a name; None for a request without sign-in) and whether it is the person herself.

    Read when the change is made; put in words in the recipient's language when the notice is sent.
    """
    actor = current_actor()
    if actor is None:
        return SERVER, False
    user = actor.user
    if user is not None and getattr(user, "is_authenticated", False):
        return f"{display_name(user)} ({user.get_username()})", user.pk == user_pk
    if user is not None:  # a request without sign-in: only the set-password link's page changes an account
        return None, False
    return actor.label, False


def _actor_words(actor: str | None) -> str:
    if actor is None:
        return _("someone with the set-password link sent to your address")
    if actor == SERVER:
        return _("a command on the clinic's server")
    return actor


def _device_words(device) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return _("authenticator app") if isinstance(device, TOTPDevice) else _("recovery codes")


# --- Gathering the changes of a transaction ------------------------------------------------------------------


@dataclass(eq=False)
class _Pending:
    """One person's changes in the current transaction; called once it commits."""

    user_pk: int
    actor: str | None
    by_self: bool
    at: dt.datetime
    changes: list[tuple[str, dict]] = field(default_factory=list)
    roles_before: frozenset[str] | None = None
    extra_to: set[str] = field(default_factory=set)  # the old address, when the address changed
    registered: bool = False
    new_account: bool = False  # made in this transaction: her first email is the set-password link, not this

    def __call__(self) -> None:
        if _entries().get(self.user_pk) is self:
            del _entries()[self.user_pk]
        try:
            _send(self)
        except Exception:  # the change is committed; a mail outage must not turn it into an error page
            log.exception("account notice to user %s not sent", self.user_pk)


_local = threading.local()


def _entries() -> dict[int, _Pending]:
    """Per thread: a threaded server or worker runs one transaction per thread."""
    if not hasattr(_local, "entries"):
        _local.entries = {}
    return _local.entries


def _alive(entry: _Pending) -> bool:
    connection = transaction.get_connection()
    return (
        entry.registered
        and connection.in_atomic_block
        and any(item[1] is entry for item in connection.run_on_commit)  # dropped by a rollback
    )


def _register(entry: _Pending) -> None:
    if not entry.registered:
        entry.registered = True
        transaction.on_commit(entry)


def _pending_for(user_pk: int) -> _Pending:
    """This person's entry for the current transaction (registered at once inside one; else after the write)."""
    entry = _entries().get(user_pk)
    if entry is None or not _alive(entry):
        actor, by_self = _who_acts(user_pk)
        entry = _entries()[user_pk] = _Pending(user_pk=user_pk, actor=actor, by_self=by_self, at=timezone.now())
        if transaction.get_connection().in_atomic_block:
            _register(entry)
    return entry


def _written(user_pk: int) -> None:
    """After the write: outside a transaction, the notice goes now."""
    entry = _entries().get(user_pk)
    if entry is not None:
        _register(entry)


def _role_names(user_pks) -> dict[int, frozenset[str]]:
    names: dict[int, set[str]] = {pk: set() for pk in user_pks}
    for pk, name in User.groups.through.objects.filter(user_id__in=names, group__name__in=ROLES).values_list(
        "user_id", "group__name"
    ):
        names[pk].add(name)
    return {pk: frozenset(found) for pk, found in names.items()}


def _send(entry: _Pending) -> None:
    user = User.objects.filter(pk=entry.user_pk).first()
    if user is None or entry.new_account:
        return
    language = staff_language(user)
    with translation.override(language):
        lines = [_line(kind, params) for kind, params in _collapsed(entry.changes)]
        if entry.roles_before is not None:
            now = _role_names([user.pk])[user.pk]
            if now != entry.roles_before:
                lines.append(
                    _("Your roles: before, %(before)s; now, %(now)s.")
                    % {"before": _role_list(entry.roles_before), "now": _role_list(now)}
                )
        if not lines:
            return
        actor = _actor_words(entry.actor)
        when = formats.date_format(timezone.localtime(entry.at), "j F Y, H:i")
    to = sorted({user.email, *entry.extra_to} - {""})
    if not to:
        log.warning("account notice to user %s not sent: no email address", user.pk)
        return
    context = {"name": display_name(user), "username": user.get_username(),
               "changes": lines, "actor": actor, "by_self": entry.by_self, "when": when}
    render_staff_email(template="account_notice", context=context, to=to, language=language).send()


def _collapsed(changes: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Once per change; a device removed and set up in one go (new recovery codes, a new phone) is 'replaced'."""
    kept: list[tuple[str, dict]] = []
    for kind, params in changes:
        if (kind, params) in kept:
            continue
        opposite = {DEVICE_ADDED: DEVICE_REMOVED, DEVICE_REMOVED: DEVICE_ADDED}.get(kind)
        if opposite and (opposite, params) in kept:
            kept[kept.index((opposite, params))] = (DEVICE_REPLACED, params)
            continue
        kept.append((kind, params))
    return kept


def _role_list(names: frozenset[str]) -> str:
    return ", ".join(sorted(_(name) for name in names)) or _("no role")


def _line(kind: str, params: dict) -> str:
    if kind == PASSWORD:
        return _("Your password was changed.")
    if kind == EMAIL:
        return _("Your email address was changed from %(old)s to %(new)s.") % params
    if kind == DEVICE_ADDED:
        return _("Two-factor sign-in: %(device)s set up.") % params
    if kind == DEVICE_REMOVED:
        return _("Two-factor sign-in: %(device)s removed.") % params
    if kind == DEVICE_REPLACED:
        return _("Two-factor sign-in: %(device)s replaced (what you had before no longer works).") % params
    raise ValueError(kind)


# --- Signals --------------------------------------------------------------------------------------------------


def _user_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return  # a new account: its own email is the set-password link
    # set_password() keeps the new raw password in _password until the save; a hash upgrade at sign-in does not.
    if getattr(instance, "_password", None) is not None and (update_fields is None or "password" in update_fields):
        _pending_for(instance.pk).changes.append((PASSWORD, {}))
    if update_fields is None or "email" in update_fields:
        old = User.objects.filter(pk=instance.pk).values_list("email", flat=True).first()
        if old is not None and old != instance.email:
            entry = _pending_for(instance.pk)
            entry.changes.append((EMAIL, {"old": old or "-", "new": instance.email or "-"}))
            if old:
                entry.extra_to.add(old)


def _user_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    if created:
        _pending_for(instance.pk).new_account = True
    _written(instance.pk)


def _groups_changing(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        user_pks = [instance.pk]
    elif pk_set is not None:
        user_pks = list(pk_set)
    else:  # group.user_set.clear(): everyone in the group
        user_pks = list(instance.user_set.values_list("pk", flat=True))
    if action.startswith("pre_"):
        before = _role_names(user_pks)
        for pk in user_pks:
            entry = _pending_for(pk)
            if entry.roles_before is None:
                entry.roles_before = before[pk]
    else:
        for pk in user_pks:
            _written(pk)


def _device_saving(sender, instance, raw=False, **kwargs) -> None:
    was_confirmed = False
    if instance.pk is not None and instance.confirmed:  # only a device confirmed now can have been set up now
        was_confirmed = bool(sender.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first())
    instance._notice_was_confirmed = was_confirmed


def _device_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or not instance.confirmed or getattr(instance, "_notice_was_confirmed", False):
        return
    _pending_for(instance.user_id).changes.append((DEVICE_ADDED, {"device": _device_words(instance)}))
    _written(instance.user_id)


def _device_deleted(sender, instance, **kwargs) -> None:
    if not instance.confirmed:
        return  # a set-up never finished: nothing the person relied on
    _pending_for(instance.user_id).changes.append((DEVICE_REMOVED, {"device": _device_words(instance)}))
    _written(instance.user_id)


def device_models() -> list[type[Model]]:
    """The two-factor device models installed: the authenticator app, and recovery codes if present."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    models: list[type[Model]] = [TOTPDevice]
    if django_apps.is_installed("django_otp.plugins.otp_static"):
        from django_otp.plugins.otp_static.models import StaticDevice

        models.append(StaticDevice)
    return models


def connect() -> None:
    uid = "meso_clinic.core.account_notices"
    pre_save.connect(_user_saving, sender=User, dispatch_uid=f"{uid}.user_saving")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user_saved")
    m2m_changed.connect(_groups_changing, sender=User.groups.through, dispatch_uid=f"{uid}.groups")
    for model in device_models():
        label = model._meta.label_lower
        pre_save.connect(_device_saving, sender=model, dispatch_uid=f"{uid}.{label}.saving")
        post_save.connect(_device_saved, sender=model, dispatch_uid=f"{uid}.{label}.saved")
        post_delete.connect(_device_deleted, sender=model, dispatch_uid=f"{uid}.{label}.deleted")
