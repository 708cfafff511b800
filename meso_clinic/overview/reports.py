"""The manager's reports (issue 16): activity and safety figures, aggregated in SQL, as plain rows.

Every selector takes the same filter (dates of the session or course, a treatment area) and returns a list of
dicts whose keys are the table's columns, in order: the page and the CSV download show the same rows. No row
names a patient. The rules (abandoned course, batch signal) are in docs/clinical-rules.md, "Reports".
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from treatments.models import Session

Row = dict[str, Any]  # a table's row: column -> a number or a text


@dataclass(frozen=True)
class ReportFilter:
    date_from: dt.date | None = None  # inclusive, the clinic's day
    date_to: dt.date | None = None  # inclusive
    area_id: int | None = None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The filter's days as aware datetimes [start, end) in the clinic's zone."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.date_from, dt.time(), zone) if self.date_from else None
        end = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time(), zone) if self.date_to else None
        return start, end


def _session_q(flt: ReportFilter, prefix: str = "") -> Q:
    start, end = flt.bounds()
    q = Q()
    if start:
        q &= Q(**{f"{prefix}scheduled_at__gte": start})
    if end:
        q &= Q(**{f"{prefix}scheduled_at__lt": end})
    if flt.area_id:
        q &= Q(**{f"{prefix}area_id": flt.area_id})
    return q


def _sql_where(flt: ReportFilter, *, table: str, time_column: str, first: str = "TRUE") -> tuple[str, list[Any]]:
    """`_session_q` for the raw SQL reports: the filter's period on `table.time_column` and its area, as a WHERE
    condition (the identifiers are fixed by the callers) and its parameters."""
    start, end = flt.bounds()
    where, params = [first], list[Any]()
    if start:
        where.append(f"{table}.{time_column} >= %s")
        params.append(start)
    if end:
        where.append(f"{table}.{time_column} < %s")
        params.append(end)
    if flt.area_id:
        where.append(f"{table}.area_id = %s")
        params.append(flt.area_id)
    return " AND ".join(where), params


def _month(value: dt.datetime | dt.date) -> str:
    return f"{value:%Y-%m}"


def sessions_per_area_month(flt: ReportFilter) -> list[Row]:
    """Performed sessions and the courses they belong to, per month and area."""
    rows = (
        Session.objects.filter(_session_q(flt), status=Session.Status.PERFORMED)
        .annotate(month=TruncMonth("scheduled_at"))
        .values("month", "area__name")
        .annotate(sessions=Count("id"), courses=Count("course_id", distinct=True))
        .order_by("month", "area__name")
    )
    return [
        {"month": _month(r["month"]), "area": r["area__name"], "sessions": r["sessions"], "courses": r["courses"]}
        for r in rows
    ]


def no_shows_per_month(flt: ReportFilter) -> list[Row]:
    """Sessions that were due (performed or not attended) and the no-shows among them, per month."""
    rows = (
        Session.objects.filter(_session_q(flt), status__in=(Session.Status.PERFORMED, Session.Status.NO_SHOW))
        .annotate(month=TruncMonth("scheduled_at"))
        .values("month")
        .annotate(due=Count("id"), no_shows=Count("id", filter=Q(status=Session.Status.NO_SHOW)))
        .order_by("month")
    )
    return [
        {
            "month": _month(r["month"]),
            "due": r["due"],
            "no_shows": r["no_shows"],
            "percent": round(100 * r["no_shows"] / r["due"], 1) if r["due"] else 0.0,
        }
        for r in rows
    ]


def course_outcomes(flt: ReportFilter, *, now: dt.datetime | None = None) -> list[Row]:
    """Courses started in the period, per area: completed, stopped, abandoned, ongoing.

    Completed: marked completed, or as many sessions performed as planned. Stopped: stopped by the clinic.
    Abandoned: neither, and no session (of any status) for REPORT_ABANDONED_AFTER_DAYS days (counted from the
    course's start when it has none). Ongoing: the rest. One GROUP BY over the courses and their sessions.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REPORT_ABANDONED_AFTER_DAYS)
    where, params = _sql_where(flt, table="c", time_column="created_at")
    sql = f"""
        WITH c AS (
            SELECT c.id, c.area_id, c.status, c.planned_sessions, c.created_at,
                   COUNT(s.id) FILTER (WHERE s.status = 'performed') AS performed,
                   MAX(s.scheduled_at) AS last_session
            FROM treatments_course c LEFT JOIN treatments_session s ON s.course_id = c.id
            WHERE {where}
            GROUP BY c.id
        ), k AS (
            SELECT area_id, CASE
                WHEN status = 'completed' OR performed >= planned_sessions THEN 'completed'
                WHEN status = 'stopped' THEN 'stopped'
                WHEN COALESCE(last_session, created_at) < %s THEN 'abandoned'
                ELSE 'ongoing' END AS kind
            FROM c
        )
        SELECT a.name, COUNT(*),
               COUNT(*) FILTER (WHERE kind = 'completed'), COUNT(*) FILTER (WHERE kind = 'abandoned'),
               COUNT(*) FILTER (WHERE kind = 'stopped'), COUNT(*) FILTER (WHERE kind = 'ongoing')
        FROM k JOIN treatments_treatmentarea a ON a.id = k.area_id
        GROUP BY a.name ORDER BY a.name
    """  # noqa: S608 - _sql_where joins fixed identifiers only; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cutoff])
        fetched = cursor.fetchall()
    return [
        {"area": name, "courses": total, "completed": done, "abandoned": gone, "stopped": stopped, "ongoing": going}
        for name, total, done, gone, stopped, going in fetched
    ]


# The batch signal -------------------------------------------------------------------------------------------------


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected): how surprising this many reports would be at the product's rate."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = term
    for k in range(1, observed):
        term *= expected / k
        below += term
    return max(0.0, 1.0 - below)


def batch_stands_out(
    *,
    batch_reports: int,
    batch_sessions: int,
    product_reports: int,
    product_sessions: int,
    min_reports: int | None = None,
    factor: float | None = None,
    p_threshold: float | None = None,
) -> bool:
    """The safety signal (docs/clinical-rules.md, "Reports"): a batch stands out from its product when it has at
    least `min_reports` side-effect reports, a rate per session at least `factor` times the product's (all its
    batches), and a one-sided Poisson test of its count against the product's rate gives p < `p_threshold`."""
    min_reports = settings.BATCH_SIGNAL_MIN_REPORTS if min_reports is None else min_reports
    factor = settings.BATCH_SIGNAL_FACTOR if factor is None else factor
    p_threshold = settings.BATCH_SIGNAL_P if p_threshold is None else p_threshold
    if batch_sessions <= 0 or product_sessions <= 0 or batch_reports < min_reports:
        return False
    product_rate = product_reports / product_sessions
    if batch_reports / batch_sessions < factor * product_rate:
        return False
    return poisson_tail(batch_reports, product_rate * batch_sessions) < p_threshold


def side_effects_per_batch(flt: ReportFilter) -> list[Row]:
    """Per product (its total row first) and batch: performed sessions that used it, side-effect reports on those
    sessions, the rate per 100 sessions, and whether the batch stands out (batch_stands_out)."""
    where, params = _sql_where(flt, table="s", time_column="scheduled_at", first="s.status = 'performed'")
    # One row per session and batch used (a product given twice in a session counts once), then the reports of
    # each session; GROUPING SETS gives the batch rows and the product's total in one pass.
    sql = f"""
        WITH uses AS (
            SELECT DISTINCT sp.session_id, sp.product_id, sp.batch_id
            FROM treatments_sessionproduct sp JOIN treatments_session s ON s.id = sp.session_id
            WHERE {where}
        ), r AS (
            SELECT session_id, COUNT(*) AS n FROM aftercare_sideeffectreport
            WHERE session_id IN (SELECT session_id FROM uses) GROUP BY session_id
        )
        SELECT u.product_id, u.batch_id, GROUPING(u.batch_id) AS total, COUNT(*), COALESCE(SUM(r.n), 0)
        FROM uses u LEFT JOIN r ON r.session_id = u.session_id
        GROUP BY GROUPING SETS ((u.product_id, u.batch_id), (u.product_id))
    """  # noqa: S608 - _sql_where joins fixed identifiers only; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
        cursor.execute("SELECT id, name FROM treatments_product")
        products = dict(cursor.fetchall())
        cursor.execute("SELECT id, lot_number FROM treatments_batch")
        lots = dict(cursor.fetchall())
    totals = {product: (sessions, int(reports)) for product, _, total, sessions, reports in fetched if total}
    rows: list[Row] = []
    for product, batch, total, sessions, reports in sorted(
        fetched, key=lambda f: (products.get(f[0], ""), -f[2], lots.get(f[1]) or "")
    ):
        reports = int(reports)
        product_sessions, product_reports = totals[product]
        rows.append(
            {
                "product": products.get(product, ""),
                "batch": "" if total else (lots.get(batch) or "(no batch recorded)"),
                "sessions": sessions,
                "reports": reports,
                "rate_per_100": round(100 * reports / sessions, 1) if sessions else 0.0,
                "signal": bool(
                    not total
                    and batch is not None
                    and batch_stands_out(
                        batch_reports=reports,
                        batch_sessions=sessions,
                        product_reports=product_reports,
                        product_sessions=product_sessions,
                    )
                ),
            }
        )
    return rows


def outcome_change_per_indication(flt: ReportFilter) -> list[Row]:
    """Per indication and outcome scale (treatments.OutcomeScore, issue 16): the courses started in the period with
    at least two scores on the scale, the average first and latest score and the average change (latest - first;
    whether up is better is the scale's `higher_is_better`, shown beside it)."""
    where, params = _sql_where(flt, table="c", time_column="created_at")
    sql = f"""
        WITH o AS (
            SELECT o.course_id, o.scale_id, o.value,
                   ROW_NUMBER() OVER (PARTITION BY o.course_id, o.scale_id ORDER BY o.recorded_at, o.id) AS first_n,
                   ROW_NUMBER() OVER (PARTITION BY o.course_id, o.scale_id ORDER BY o.recorded_at DESC, o.id DESC)
                       AS last_n
            FROM treatments_outcomescore o JOIN treatments_course c ON c.id = o.course_id
            WHERE {where}
        ), per_course AS (
            SELECT course_id, scale_id, MAX(value) FILTER (WHERE first_n = 1) AS first_value,
                   MAX(value) FILTER (WHERE last_n = 1) AS last_value, COUNT(*) AS scores
            FROM o GROUP BY course_id, scale_id
        )
        SELECT i.name, sc.name, sc.higher_is_better, COUNT(*), AVG(p.first_value), AVG(p.last_value),
               AVG(p.last_value - p.first_value)
        FROM per_course p JOIN treatments_course c ON c.id = p.course_id
        JOIN treatments_indication i ON i.id = c.indication_id JOIN treatments_outcomescale sc ON sc.id = p.scale_id
        WHERE p.scores >= 2
        GROUP BY i.name, sc.name, sc.higher_is_better ORDER BY i.name, sc.name
    """  # noqa: S608 - _sql_where joins fixed identifiers only; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [
        {
            "indication": indication,
            "scale": scale,
            "better": "higher" if higher else "lower",
            "courses": courses,
            "first": round(float(first), 1),
            "latest": round(float(latest), 1),
            "change": round(float(change), 1),
        }
        for indication, scale, higher, courses, first, latest, change in fetched
    ]
