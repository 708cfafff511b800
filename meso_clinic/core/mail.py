"""Development email backend: one readable .eml file per message in EMAIL_FILE_PATH.

Django's own file backend appends several messages to one .log file; an .eml per message opens
directly in any mail client and is easy to assert on.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            # Django 5.2's SafeMIME messages take linesep; django-stubs 6 describes Django 6's message().
            path.write_bytes(message.message().as_bytes(linesep="\r\n"))  # type: ignore[call-arg]
            sent += 1
        return sent
