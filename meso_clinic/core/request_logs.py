"""Patients' link tokens kept out of request logs (issue 12).

A patient's side-effect report and unsubscribe links carry a signed token in their path (aftercare/links.py):
whoever reads the web server's access log could open her report page or unsubscribe her. The token segment
of such a path is replaced by MASK in every log line that shows a path or a URL: the dev server's request
lines and Django's "Not Found: <path>" warnings (the filter below, in settings.LOGGING) and gunicorn's
access log (meso_clinic/gunicorn_conf.py), request line and Referer alike.

The kernel knows no app's URLs: an app registers the path prefixes of its token links in its
AppConfig.ready (`register_token_paths("/r/")`). A prefix is matched wherever it starts a path segment
("https://clinic.example/r/<token>/" in a Referer too); masking a look-alike path now and then costs a log
line's detail, never a patient's link.
"""

import functools
import logging
import re
from collections.abc import Iterable

MASK = "<masked>"

_token_paths: list[str] = []


def register_token_paths(*prefixes: str) -> None:
    """Mask the path segment after each of these prefixes ("/r/": "/r/<token>/done/" -> "/r/<masked>/done/")."""
    for prefix in prefixes:
        if not (prefix.startswith("/") and prefix.endswith("/") and len(prefix) > 1):
            raise ValueError(f"a token path prefix starts and ends with '/': {prefix!r}")
        if prefix not in _token_paths:
            _token_paths.append(prefix)


def token_paths() -> tuple[str, ...]:
    return tuple(_token_paths)


@functools.lru_cache(maxsize=8)
def _pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    # The token is one path segment: it ends at "/", a query, a fragment, a space or a quote of the log line.
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes, key=len, reverse=True))
    return re.compile(f"({alternatives})[^/?#\\s\"']+")


def mask_tokens(text: str, prefixes: Iterable[str] | None = None) -> str:
    """`text` with the token segment of every link path under `prefixes` (default: the registered) masked."""
    prefixes = token_paths() if prefixes is None else tuple(prefixes)
    if not prefixes or not text:
        return text
    return _pattern(prefixes).sub(lambda match: match.group(1) + MASK, text)


class MaskLinkTokens(logging.Filter):
    """A logging filter (settings.LOGGING) that masks link tokens in a record's message and arguments.

    runserver logs `'"%s" %s %s'` with the request line as an argument; Django's request warnings log the
    path as an argument too. The record is changed in place, so every handler after the logger sees it masked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: mask_tokens(v) if isinstance(v, str) else v for key, v in record.args.items()}
        return True
