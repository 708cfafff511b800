"""Who opened which patient's record: one row per user, patient and clinic-local day.

Every page that shows a patient's record calls `log_patient_access` (tests/test_access_log.py lists them);
the manager reads the log on the
"Access log" page; a nightly beat task deletes rows older than ACCESS_LOG_RETENTION_DAYS. One
upsert per opening keeps the table at (staff x patients seen x days) rows, however often a page
is reloaded.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessLogEntry


def log_patient_access(user: User | AnonymousUser, patient, *, at: dt.datetime | None = None) -> None:
    """Count one opening of `patient`'s record by `user` (a single INSERT ... ON CONFLICT statement)."""
    if not getattr(user, "is_authenticated", False):
        return
    at = at or timezone.now()
    ops, qn = connection.ops, connection.ops.quote_name
    table = qn(AccessLogEntry._meta.db_table)
    # PostgreSQL and SQLite (3.24+) share this syntax; the unique constraint is the conflict target.
    # The identifiers are the model's own, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({qn('user_id')}, {qn('patient_id')}, {qn('day')}, {qn('first_at')}, "  # noqa: S608
        f"{qn('last_at')}, {qn('count')}) VALUES (%s, %s, %s, %s, %s, 1) "
        f"ON CONFLICT ({qn('user_id')}, {qn('patient_id')}, {qn('day')}) DO UPDATE SET "
        f"{qn('last_at')} = EXCLUDED.{qn('last_at')}, {qn('count')} = {table}.{qn('count')} + 1"
    )
    stamp = ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [user.pk, patient.pk, ops.adapt_datefield_value(timezone.localdate(at)), stamp, stamp]
        )


def access_log_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the rows of days older than ACCESS_LOG_RETENTION_DAYS; returns how many went."""
    cutoff = timezone.localdate(now or timezone.now()) - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLogEntry.objects.filter(day__lt=cutoff).delete()
    return deleted


def access_log_entries(
    *, patient_id: int | None = None, user_id: int | None = None, since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AccessLogEntry]:
    """The log, newest first, narrowed by patient, staff member and clinic-local days (both included)."""
    entries = AccessLogEntry.objects.select_related("user", "patient")
    if patient_id is not None:
        entries = entries.filter(patient_id=patient_id)
    if user_id is not None:
        entries = entries.filter(user_id=user_id)
    if since is not None:
        entries = entries.filter(day__gte=since)
    if until is not None:
        entries = entries.filter(day__lte=until)
    return entries
