"""History of clinical records (docs/architecture.md, invariant 5): who, when, what before, what after.

A tracked model declares `objects = TrackedManager()`. From then on every write keeps history in
meso_clinic.core.models.HistoryEntry, in the same transaction as the write where the write has one:

- `save()` / `create()` / `delete()`: pre_save reads the row as it is in the database, post_save
  writes the difference (signals, connected per tracked model);
- `QuerySet.update()`: the affected rows are locked and read (SELECT ... FOR UPDATE on PostgreSQL),
  updated, and one history row per changed record is bulk-inserted: a bulk update cannot escape it;
- `bulk_create()` (also with ignore_conflicts / update_conflicts) and `bulk_update()`;
- many-to-many changes (a patch test's products) through m2m_changed.

Raw SQL and PostgreSQL COPY bypass it (the load-data generator only).

Who: a context variable, set for each request by `HistoryActorMiddleware` (the signed-in user, or
the patient behind an emailed link) and for each Celery task by the task signals below
("system: reminder worker"). Anything else (a shell, a management command) is "system".

No hard delete: tracked models refuse `delete()` and `QuerySet.delete()` (see README, "History,
access log and retention"). `allow_hard_delete()` lifts that for the documented manual removal of
records past their retention period, and for test clean-up; the deletion is still recorded.
"""

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from celery.signals import task_postrun, task_prerun
from django.core.exceptions import EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.models import sql
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .db import alters_data
from .people import display_name
from .retention import HardDeleteRefused, allow_hard_delete, refuse_hard_delete  # noqa: F401 - re-exported

SYSTEM = "system"
PATIENT_LINK = "patient (emailed link)"
# Words for the tasks that change clinical records; any other task is "system: <task name>".
TASK_ACTORS = {
    "aftercare.tasks.dispatch_due_reminders": "system: reminder worker",
    "aftercare.tasks.send_reminder": "system: reminder worker",
    "aftercare.tasks.send_reminders": "system: reminder worker",
}


# --- Who --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    user: Any = None  # a user (possibly a lazy request.user) or None
    label: str = SYSTEM


_actor: ContextVar[Actor | None] = ContextVar("history_actor", default=None)


@contextlib.contextmanager
def acting_as(user=None, label: str = SYSTEM) -> Iterator[None]:
    """Attribute the writes inside the block to `user` (or, with no user, to `label`)."""
    token = _actor.set(Actor(user=user, label=label))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    """Who acts in this request or task (None outside both): for account notices (core/account_notices.py)."""
    return _actor.get()


def _who() -> tuple[int | None, str]:
    actor = _actor.get()
    if actor is None:
        return None, SYSTEM
    user = actor.user
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk, display_name(user)[:150]
    return None, actor.label[:150]


class HistoryActorMiddleware:
    """The signed-in user changes what a request changes; without sign-in it is a patient's link page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.user stays lazy: it is read only if the request writes a tracked record.
        token = _actor.set(Actor(user=getattr(request, "user", None), label=PATIENT_LINK))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


_task_tokens: dict[str, Any] = {}


@task_prerun.connect(dispatch_uid="meso_clinic.core.history.task_prerun")
def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    name = getattr(task, "name", None) or str(sender)
    _task_tokens[task_id] = _actor.set(Actor(label=TASK_ACTORS.get(name, f"system: {name}")))


@task_postrun.connect(dispatch_uid="meso_clinic.core.history.task_postrun")
def _task_ended(sender=None, task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context: nothing to restore
            _actor.reset(token)


# --- What: tracked fields and their plain values ------------------------------------------------

_TRACKED: dict[type[models.Model], frozenset[str]] = {}  # model -> names of fields left out


def is_tracked(model: type[models.Model]) -> bool:
    return model in _TRACKED


def tracked_models() -> list[type[models.Model]]:
    return sorted(_TRACKED, key=lambda m: m._meta.label_lower)


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """Concrete, editable fields that carry meaning (not the id, not automatic timestamps)."""
    untracked = _TRACKED.get(model, frozenset())
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.editable
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and f.name not in untracked
    ]


def plain(value: Any) -> Any:
    """A value as it is stored in `HistoryEntry.changes` (and compared): plain JSON."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Choices):
        return value.value
    return value


def _instance_values(instance: models.Model, fields: list[models.Field]) -> dict[str, Any]:
    return {f.name: plain(getattr(instance, f.attname)) for f in fields}


def _row_values(model, row: dict[str, Any], fields: list[models.Field]) -> dict[str, Any]:
    """A `.values(*attnames)` row; a file field comes back as its name, a foreign key as its id."""
    return {f.name: plain(row[f.attname]) for f in fields}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _entry(model, object_id, action: str, changes: dict, who: tuple[int | None, str], at: dt.datetime):
    from django.contrib.contenttypes.models import ContentType

    from .models import HistoryEntry

    return HistoryEntry(
        content_type=ContentType.objects.db_manager(router.db_for_write(HistoryEntry)).get_for_model(
            model, for_concrete_model=False
        ),
        object_id=object_id,
        action=action,
        changed_by_id=who[0],
        actor=who[1],
        at=at,
        changes=changes,
    )


def _write(entries: list, using: str) -> None:
    if entries:
        from .models import HistoryEntry

        HistoryEntry.objects.using(using).bulk_create(entries)


# --- The queryset and manager of tracked models -----------------------------------------------------


def _is_expression(value: Any) -> bool:
    return hasattr(value, "resolve_expression")


def _unique_key(model, unique_fields: Iterable[str] | None = None) -> list[models.Field]:
    """The fields that identify a row besides its id (for bulk_create with conflicts)."""
    opts = model._meta
    if unique_fields:
        return [opts.get_field(name) for name in unique_fields]
    for constraint in opts.total_unique_constraints:
        return [opts.get_field(name) for name in constraint.fields]
    for names in opts.unique_together:
        return [opts.get_field(name) for name in names]
    for field in opts.concrete_fields:
        if field.unique and not field.primary_key:
            return [field]
    return [opts.pk]


class TrackedQuerySet(models.QuerySet):
    def _fields_and_names(self, names: Iterable[str]) -> list[models.Field]:
        wanted = {self.model._meta.get_field(name).name for name in names}
        return [f for f in tracked_fields(self.model) if f.name in wanted]

    def _locked_rows(self, fields: list[models.Field], pks: Iterable | None = None) -> dict[Any, dict[str, Any]]:
        qs = self if pks is None else self.model._base_manager.using(self.db).filter(pk__in=list(pks))
        rows = qs.select_for_update(of=("self",)).order_by("pk").values("pk", *[f.attname for f in fields])
        return {row["pk"]: _row_values(self.model, row, fields) for row in rows}

    def _current_rows(self, fields: list[models.Field], pks: Iterable) -> dict[Any, dict[str, Any]]:
        rows = self.model._base_manager.using(self.db).filter(pk__in=list(pks)).values(
            "pk", *[f.attname for f in fields]
        )
        return {row["pk"]: _row_values(self.model, row, fields) for row in rows}

    @alters_data
    def update(self, **kwargs) -> int:
        fields = self._fields_and_names(kwargs)
        if not fields:  # only untracked fields (a reminder's lease): nothing to record
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._locked_rows(fields)
            if not before:
                return 0
            updated = self.model._base_manager.using(self.db).filter(pk__in=list(before)).update(**kwargs)
            if any(_is_expression(kwargs.get(f.name, kwargs.get(f.attname))) for f in fields):
                after = self._current_rows(fields, before)
            else:
                values = {f.name: plain(kwargs[f.name] if f.name in kwargs else kwargs[f.attname]) for f in fields}
                after = dict.fromkeys(before, values)
            who, at = _who(), timezone.now()
            entries = []
            for pk, old in before.items():
                changes = _diff(old, after.get(pk, old))
                if changes:
                    entries.append(_entry(self.model, pk, "changed", changes, who, at))
            _write(entries, self.db)
            return updated

    @alters_data
    def update_if(self, pk, *, expected: dict[str, Any], **kwargs) -> bool:
        """Update one row if it still holds the `expected` values (compare and set); True if it did.

        The same history as update(), without its locking read: when the row matched, the values
        before were the expected ones. For hot paths that know the row (a reminder marked sent).
        `expected` must name every tracked field that changes; the new values must be plain values.
        """
        return self.filter(pk=pk).update_all_if(expected=expected, **kwargs) == 1

    @alters_data
    def update_all_if(self, *, expected: dict[str, Any], **kwargs) -> int:
        """update_if for every row of the queryset that holds `expected` (the reminder dispatch's claim of
        hundreds of pending rows): how many were updated, each with its history entry."""
        fields = self._fields_and_names(kwargs)
        if missing := {f.name for f in fields} - set(expected):
            raise TypeError(f"a compare-and-set needs the expected value of {', '.join(sorted(missing))}")
        if any(_is_expression(value) for value in kwargs.values()):
            raise TypeError("a compare-and-set takes plain values, not expressions")
        before = {f.name: plain(expected[f.name]) for f in fields}
        after = {f.name: plain(kwargs[f.name] if f.name in kwargs else kwargs[f.attname]) for f in fields}
        changes = _diff(before, after)
        matching = self.filter(**expected)
        if changes and connections[self.db].vendor == "postgresql":
            return matching._update_with_entries(kwargs, _entry(self.model, None, "changed", changes, _who(),
                                                                timezone.now()))
        return matching.update(**kwargs)  # elsewhere (SQLite in development): the tracked update, same history

    def _update_with_entries(self, kwargs: dict[str, Any], entry) -> int:
        """PostgreSQL: the update and one history entry per updated row in one statement (a CTE): one round
        trip, atomic without a transaction of its own, entries only for the rows that matched."""
        from .models import HistoryEntry

        query = cast(sql.UpdateQuery, self.query.chain(sql.UpdateQuery))  # chain(klass) returns a klass
        query.add_update_values(kwargs)
        compiler = query.get_compiler(self.db)
        compiler.pre_sql_setup()  # a filter across tables becomes "pk IN (subquery)"; nothing runs on PostgreSQL
        try:
            update_sql, update_params = compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: no row can match
            return 0
        opts, history = self.model._meta, HistoryEntry._meta
        columns = ["content_type_id", "object_id", "action", "changed_by_id", "actor", "at", "changes"]
        quote = connections[self.db].ops.quote_name
        pk = quote(cast(str, opts.pk.column))  # a table's primary key has a column (None only for m2m fields)
        statement = (
            f"WITH changed AS ({update_sql} RETURNING {pk}) "  # noqa: S608 - Django's own SQL and quoted names
            f"INSERT INTO {quote(history.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"SELECT %s, changed.{pk}, %s, %s, %s, %s, %s::jsonb FROM changed"
        )
        changes = json.dumps(entry.changes, cls=DjangoJSONEncoder)
        params = (*update_params, entry.content_type_id, entry.action, entry.changed_by_id, entry.actor, entry.at,
                  changes)
        with connections[self.db].cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    @alters_data
    def bulk_update(self, objs, fields, batch_size=None) -> int:
        objs = list(objs)
        tracked = self._fields_and_names(fields)
        if not tracked or not objs:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = [obj.pk for obj in objs]
            before = self._locked_rows(tracked, pks)
            updated = super().bulk_update(objs, fields, batch_size=batch_size)
            after = self._current_rows(tracked, pks)
            who, at = _who(), timezone.now()
            entries = [
                _entry(self.model, pk, "changed", changes, who, at)
                for pk, old in before.items()
                if (changes := _diff(old, after.get(pk, old)))
            ]
            _write(entries, self.db)
            return updated

    @alters_data
    def bulk_create(  # type: ignore[override]  # update_fields and unique_fields by keyword only
        self, objs, batch_size=None, ignore_conflicts=False, update_conflicts=False, **kwargs
    ):
        objs = list(objs)
        if not objs:
            return objs
        fields = tracked_fields(self.model)
        with transaction.atomic(using=self.db, savepoint=False):
            if not (ignore_conflicts or update_conflicts):
                created = super().bulk_create(objs, batch_size=batch_size, **kwargs)
                who, at = _who(), timezone.now()
                if any(obj.pk is None for obj in created):  # a backend without RETURNING: find them by key
                    self._write_by_key(created, fields, {}, kwargs.get("unique_fields"))
                else:
                    _write(
                        [
                            _entry(self.model, obj.pk, "created", _diff({}, _instance_values(obj, fields)), who, at)
                            for obj in created
                        ],
                        self.db,
                    )
                return created
            key = _unique_key(self.model, kwargs.get("unique_fields"))
            if key == [self.model._meta.pk] and any(obj.pk is None for obj in objs):
                label = self.model._meta.label
                raise TypeError(f"bulk_create with conflicts on {label} needs a unique key to keep history.")
            existing = self._rows_by_key(objs, key, fields, lock=True)
            created = super().bulk_create(
                objs,
                batch_size=batch_size,
                ignore_conflicts=ignore_conflicts,
                update_conflicts=update_conflicts,
                **kwargs,
            )
            self._write_by_key(objs, fields, existing, kwargs.get("unique_fields"))
            return created

    def _rows_by_key(self, objs, key: list[models.Field], fields: list[models.Field], *, lock: bool = False):
        """{key tuple: (pk, values)} of the rows that have the keys of `objs`."""
        keys = {tuple(getattr(obj, f.attname) for f in key) for obj in objs}
        found: dict[tuple, tuple[Any, dict[str, Any]]] = {}
        keys_list = [k for k in keys if None not in k]
        for start in range(0, len(keys_list), 500):
            match = models.Q(pk__in=[])
            for k in keys_list[start : start + 500]:
                match |= models.Q(**{f.attname: value for f, value in zip(key, k, strict=True)})
            qs = self.model._base_manager.using(self.db).filter(match)
            if lock:
                qs = qs.select_for_update(of=("self",)).order_by("pk")
            attnames = sorted({f.attname for f in key} | {f.attname for f in fields})
            for row in qs.values("pk", *attnames):
                found[tuple(row[f.attname] for f in key)] = (row["pk"], _row_values(self.model, row, fields))
        return found

    def _write_by_key(self, objs, fields, existing, unique_fields) -> None:
        key = _unique_key(self.model, unique_fields)
        after = self._rows_by_key(objs, key, fields)
        who, at = _who(), timezone.now()
        entries = []
        for k, (pk, values) in after.items():
            if k in existing:
                changes = _diff(existing[k][1], values)
                if changes:
                    entries.append(_entry(self.model, pk, "changed", changes, who, at))
            else:
                entries.append(_entry(self.model, pk, "created", _diff({}, values), who, at))
        _write(entries, self.db)

    @alters_data
    def delete(self):
        refuse_hard_delete(self.model)
        return super().delete()


_TrackedManagerBase = models.Manager.from_queryset(TrackedQuerySet)  # named: django-stubs resolves it so


class TrackedManager(_TrackedManagerBase):
    """The default manager of a clinical record: keeps its history and refuses hard deletes.

    `untracked` names fields that are bookkeeping, not record (a reminder's lease): a write that
    touches only those keeps no history.
    """

    def __init__(self, *, untracked: Iterable[str] = ()) -> None:
        super().__init__()
        self.untracked = frozenset(untracked)

    def contribute_to_class(self, cls, name) -> None:
        super().contribute_to_class(cls, name)
        if not cls._meta.abstract and not cls._meta.proxy and cls.__module__ != "__fake__":
            _register(cls, self.untracked)


# --- Signals: save(), delete(), many-to-many ---------------------------------------------------


def _register(model, untracked: frozenset[str]) -> None:
    _TRACKED[model] = untracked
    uid = model._meta.label_lower
    pre_save.connect(_before_save, sender=model, weak=False, dispatch_uid=f"history.pre_save.{uid}")
    post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=f"history.post_save.{uid}")
    pre_delete.connect(_before_delete, sender=model, weak=False, dispatch_uid=f"history.pre_delete.{uid}")
    post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=f"history.post_delete.{uid}")


def _fields_saved(model, update_fields) -> list[models.Field]:
    fields = tracked_fields(model)
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    return fields


def _before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs) -> None:
    instance._history_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    fields = _fields_saved(sender, update_fields)
    if not fields:  # a save of untracked fields only (a reminder's lease)
        instance._history_before = {}
        return
    row = sender._base_manager.using(using).filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    if row is not None:
        instance._history_before = _row_values(sender, row, fields)


def _after_save(sender, instance, created, raw=False, using=None, update_fields=None, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_history_before", None)
    instance._history_before = None
    fields = _fields_saved(sender, update_fields)
    after = _instance_values(instance, fields)
    if created or before is None:
        _write([_entry(sender, instance.pk, "created", _diff({}, after), _who(), timezone.now())], using)
        return
    changes = _diff(before, after)
    if changes:
        _write([_entry(sender, instance.pk, "changed", changes, _who(), timezone.now())], using)


def _before_delete(sender, instance, using=None, **kwargs) -> None:
    refuse_hard_delete(sender)


def _after_delete(sender, instance, using=None, **kwargs) -> None:
    values = _instance_values(instance, tracked_fields(sender))
    changes = {name: [value, None] for name, value in values.items()}
    _write([_entry(sender, instance.pk, "deleted", changes, _who(), timezone.now())], using)


@receiver(m2m_changed, dispatch_uid="meso_clinic.core.history.m2m_changed")
def _m2m_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs) -> None:
    """A change of a tracked record's many-to-many field (a patch test's products) is a change of it."""
    if reverse or type(instance) not in _TRACKED:
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None or field.name in _TRACKED[type(instance)]:
        return
    if action.startswith("pre_"):
        instance._history_m2m_before = sorted(
            sender._base_manager.using(using)
            .filter(**{field.m2m_field_name(): instance.pk})
            .values_list(field.m2m_reverse_field_name(), flat=True)
        )
        return
    before = getattr(instance, "_history_m2m_before", None)
    instance._history_m2m_before = None
    if before is None:
        return
    after = sorted(
        sender._base_manager.using(using)
        .filter(**{field.m2m_field_name(): instance.pk})
        .values_list(field.m2m_reverse_field_name(), flat=True)
    )
    if after != before:
        _write(
            [_entry(type(instance), instance.pk, "changed", {field.name: [before, after]}, _who(), timezone.now())],
            using,
        )
