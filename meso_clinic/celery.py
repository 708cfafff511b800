"""The Celery app: one worker and one beat process (see README, "How the parts fit")."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meso_clinic.settings")

app = Celery("meso_clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
