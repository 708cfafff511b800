from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import connection


@shared_task
def healthcheck() -> dict:
    """Proves a worker is up and reaches the same database as the web: used by tests and ops."""
    return {"database": connection.vendor, "staff_accounts": get_user_model().objects.count()}
