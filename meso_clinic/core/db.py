"""Query helpers for pages that must stay fast at clinic-chain scale (docs/benchmarks.md).

- `bounded_counts`: several counts in one query, each stopping after `cap` rows, so that a count
  shown on a page never reads a whole table (a figure past the cap is shown as "10,000+").
- `ListAgg`: the values of a related column gathered into one string per row (PostgreSQL
  STRING_AGG, SQLite GROUP_CONCAT), so that a list and what each row lists come in one query.
- `latest`: the first rows of a list and whether there are more, from one query (no COUNT), so that
  a page showing the latest N says so instead of ending silently.
- `alters_data`: marks a queryset method that writes, as Django marks its own (templates never call it).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Aggregate, CharField, QuerySet

COUNT_CAP = 10_000
# Joins the values of ListAgg: a character no name contains (the ASCII unit separator).
LIST_SEPARATOR = "\x1f"


def bounded_counts(*, cap: int = COUNT_CAP, **querysets: QuerySet) -> dict[str, int]:
    """{name: number of rows of each queryset, at most cap + 1}, in a single SELECT.

    Each count is a scalar subquery over `LIMIT cap + 1` rows: an index finds them, and a count
    past the cap costs no more than the cap. A result above `cap` means "more than cap"
    (the `capped` template filter shows it as "10,000+").
    """
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for name, queryset in querysets.items():
        if not name.isidentifier():
            raise ValueError(f"not a name: {name!r}")
        sql, sql_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        # The SQL is Django's own for the queryset (values are parameters); the aliases are identifiers.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name}_rows) AS {name}")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}


_Method = TypeVar("_Method", bound=Callable[..., Any])


def alters_data(method: _Method) -> _Method:
    """Decorator: `method.alters_data = True`, which the template engine reads to refuse calling it."""
    method.alters_data = True  # type: ignore[attr-defined]  # a function attribute, unknown to Callable
    return method


class ListAgg(Aggregate):
    """The non-null values of an expression over the joined rows, as one string (see `split_list`)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '\x1f')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # STRING_AGG takes text; a concatenation or a varchar column is cast explicitly.
        return self.as_sql(
            compiler, connection, template="%(function)s((%(expressions)s)::text, '\x1f')", **extra_context
        )


def split_list(value: str | None) -> list[str]:
    """A ListAgg value as a sorted list (the aggregate's order is not defined)."""
    return sorted(value.split(LIST_SEPARATOR)) if value else []


def latest(rows: QuerySet, limit: int) -> tuple[list, bool]:
    """The first `limit` rows of `rows` and whether there are more: one query for `limit + 1` rows."""
    fetched = list(rows[: limit + 1])
    return fetched[:limit], len(fetched) > limit


def estimated_rows(model) -> int | None:
    """PostgreSQL's estimate of a table's rows (kept by ANALYZE and autovacuum), or None elsewhere or
    when the table was never analyzed. For figures where "about 100,000" is as good as exact."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None
