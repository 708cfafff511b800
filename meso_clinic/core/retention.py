"""Clinical records are never deleted by the application: they are kept at least
CLINICAL_RECORD_RETENTION_YEARS (README, "History, access log and retention").

Apart from history.py so that the history's own model (models.py) and the tracked models' managers
(history.py) can both refuse a delete without importing each other.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings


class HardDeleteRefused(Exception):
    """Clinical records are never deleted by the application."""


_hard_delete_allowed: ContextVar[bool] = ContextVar("history_hard_delete_allowed", default=False)


def refuse_hard_delete(model) -> None:
    if _hard_delete_allowed.get():
        return
    years = getattr(settings, "CLINICAL_RECORD_RETENTION_YEARS", 20)
    raise HardDeleteRefused(
        f"{model._meta.verbose_name_plural.capitalize()} are clinical records and are never deleted: they are kept "
        f"at least {years} years (CLINICAL_RECORD_RETENTION_YEARS). Removal after that is a manual procedure "
        f'(README, "History, access log and retention").'
    )


@contextlib.contextmanager
def allow_hard_delete() -> Iterator[None]:
    """For the documented manual removal of records past retention, and for test clean-up only."""
    token = _hard_delete_allowed.set(True)
    try:
        yield
    finally:
        _hard_delete_allowed.reset(token)
