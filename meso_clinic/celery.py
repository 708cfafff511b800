"""The Celery app: one worker and one beat process (see README, "How the parts fit")."""

import os

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meso_clinic.settings")

app = Celery("meso_clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def reminder_queue() -> str:
    """The queue of the reminder sends: `<default queue>.reminders` ("celery.reminders").

    Sends have a queue of their own so that beat's dispatch (on the default queue) never waits behind
    the sends it enqueued a moment before (docs/benchmarks.md, docs/deploy.md).
    """
    return f"{app.conf.task_default_queue}.reminders"


@celeryd_after_setup.connect
def _consume_reminder_queue(sender, instance, **kwargs) -> None:
    """A worker that takes the default queue takes the reminder sends too (no -Q to remember), so one
    worker runs the whole pipeline; `celery worker -Q celery.reminders` is a worker for sends only."""
    queues = instance.app.amqp.queues
    if instance.app.conf.task_default_queue in queues.consume_from:
        queues.select_add(reminder_queue())
