"""The history of one record in words, for the history page.

`record_history(model, pk)` returns the record's entries, newest first, together with those of
its parts (tracked rows that belong to it and go with it: a session's products and batches).
Each value is shown as staff know it: a choice's words, a person's name, a product's name, a
time in the clinic's zone, not stored codes and ids.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext

from meso_clinic.core.history import is_tracked, tracked_fields
from meso_clinic.core.models import HistoryEntry
from meso_clinic.core.people import display_name
from meso_clinic.core.templatetags.clinic_dates import stored_day, stored_time

from .record_labels import STORED_ENGLISH_FIELDS, actor_words, field_label

EMPTY = "—"


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    at: dt.datetime
    who: str
    action: str  # created, changed, deleted
    action_label: str
    part: str  # "" for the record itself, else which part of it ("Revitalising vitamin complex in session 12")
    lines: list[ChangeLine] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        """A record's first entry: the page lists the values it was recorded with, not changes."""
        return self.action == HistoryEntry.Action.CREATED


def record_parts(model: type[models.Model]) -> list[tuple[type[models.Model], models.ForeignObject]]:
    """Tracked models whose rows are parts of a `model` row: their link to it cascades (SessionProduct)."""
    parts: list[tuple[type[models.Model], models.ForeignObject]] = []
    for rel in model._meta.related_objects:
        if rel.one_to_many and is_tracked(rel.related_model) and rel.on_delete is models.CASCADE:
            parts.append((rel.related_model, rel.field))
    return parts


def record_history(model: type[models.Model], pk: int) -> list[HistoryRow]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    match = models.Q(content_type=content_type, object_id=pk)
    part_names: dict[tuple[int, int], str] = {}
    part_models: dict[int, type[models.Model]] = {content_type.pk: model}
    for part_model, fk in record_parts(model):
        part_type = ContentType.objects.get_for_model(part_model, for_concrete_model=False)
        part_models[part_type.pk] = part_model
        for row in part_model._base_manager.filter(**{fk.name: pk}):
            part_names[(part_type.pk, row.pk)] = str(row)
        if part_names:
            match |= models.Q(content_type=part_type, object_id__in=[k[1] for k in part_names if k[0] == part_type.pk])
    entries = list(HistoryEntry.objects.filter(match).order_by("-at", "-id"))
    labels = _labels_for(entries, part_models)
    rows = []
    for entry in entries:
        entry_model = part_models[entry.content_type_id]
        rows.append(
            HistoryRow(
                at=entry.at,
                who=actor_words(entry.actor),
                action=entry.action,
                action_label=entry.get_action_display(),
                part="" if entry_model is model else part_names.get((entry.content_type_id, entry.object_id), ""),
                lines=_lines(entry_model, entry, labels),
            )
        )
    return rows


def _fields_by_name(model) -> dict[str, models.Field]:
    fields = {f.name: f for f in tracked_fields(model)}
    fields.update({f.name: f for f in model._meta.many_to_many})
    return fields


def _labels_for(entries: list[HistoryEntry], part_models: dict[int, type[models.Model]]) -> dict:
    """{(related model, pk): words} for every related row the entries mention, one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        fields = _fields_by_name(part_models[entry.content_type_id])
        for name, pair in entry.changes.items():
            f = fields.get(name)
            if f is None or not f.is_relation or f.related_model is None:
                continue
            for value in pair:
                for pk in value if isinstance(value, list) else [value]:
                    if pk is not None:
                        wanted[f.related_model].add(pk)
    labels = {}
    for related, pks in wanted.items():
        for obj in related._base_manager.filter(pk__in=pks):
            labels[(related, obj.pk)] = _name(obj)
    return labels


def _name(obj: models.Model) -> str:
    if isinstance(obj, User):  # the clinic's staff (Django's User, meso_clinic/core/auth_types.py)
        return display_name(obj)
    return str(obj)


def _lines(model, entry: HistoryEntry, labels: dict) -> list[ChangeLine]:
    fields = _fields_by_name(model)
    lines = []
    for name, (before, after) in entry.changes.items():
        f = fields.get(name)
        if f is None:  # a field since removed from the model: show what was stored
            lines.append(ChangeLine(capfirst(name.replace("_", " ")), _plain_words(before), _plain_words(after)))
            continue
        if entry.action == HistoryEntry.Action.CREATED and _is_empty(after):
            continue  # a new record's empty fields say nothing
        lines.append(ChangeLine(field_label(f), words(f, before, labels), words(f, after, labels)))
    return lines


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def words(f: models.Field, value: Any, labels: dict | None = None) -> str:
    """A stored value of field `f` as staff read it."""
    labels = labels or {}
    if _is_empty(value):
        return EMPTY
    if f.many_to_many:
        return ", ".join(labels.get((f.related_model, pk), f"#{pk}") for pk in value)
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(f, models.DateTimeField):
        return stored_time(value)
    if isinstance(f, models.DateField):
        return stored_day(value)
    if f.name in STORED_ENGLISH_FIELDS and isinstance(value, str):
        return gettext(value)  # an unknown text (an SMTP server's answer) comes back as it is
    return _plain_words(value)


def _plain_words(value: Any) -> str:
    if _is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_plain_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        if all(not isinstance(v, list | dict) for v in value):
            return ", ".join(_plain_words(v) for v in value)
        items = []
        for item in value:
            if isinstance(item, dict) and "reason" in item:
                items.append(str(item["reason"]))
            elif isinstance(item, list):  # a screening's answer record: section, question, answer, follow-up
                items.append(" ".join(str(v) for v in item if not isinstance(v, bool)))
            else:
                items.append(json.dumps(item, ensure_ascii=False))
        return "; ".join(items)
    return str(value)
