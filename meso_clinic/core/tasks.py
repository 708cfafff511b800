from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import connection

from .access_log import access_log_purge


@shared_task
def healthcheck() -> dict:
    """Proves a worker is up and reaches the same database as the web: used by tests and ops."""
    return {"database": connection.vendor, "staff_accounts": get_user_model().objects.count()}


@shared_task(ignore_result=True)
def purge_access_log() -> int:
    """Run by beat every night: the access log keeps ACCESS_LOG_RETENTION_DAYS days."""
    return access_log_purge()
