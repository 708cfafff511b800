"""Reading a page's query string. Part of the kernel: imports no clinic app."""

from collections.abc import Mapping

MAX_ID_DIGITS = 18  # a bigint's ids: a longer number is no row's, and would overflow PostgreSQL's bigint


def query_id(params: Mapping[str, str], name: str) -> int | None:
    """A row id from the query string (`?after=123`), or None when it is missing or not a plain number.

    Only ASCII digits: `int()` also takes "٣" (an Arabic-Indic three), " 12", "+1" and "1_000"."""
    value = params.get(name, "")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None
