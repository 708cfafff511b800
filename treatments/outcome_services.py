"""Writing outcome scores (issue 16): a set of a course's scores in one transaction, each checked on its scale.

Kept out of treatments/services.py (the session's services) as the photos are (treatments/photos.py). The
database checks only the absolute bounds (models.OUTCOME_VALUE_MIN..MAX): a score's own scale is in another
table, so its range is checked here, before anything is written.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import outcomes
from .models import Course, OutcomeScale, OutcomeScore, Session


def course_scales(course: Course, *, by_patient: bool = False) -> list[OutcomeScale]:
    """The scales in use for the course's indication (for her own answers: only those she answers herself)."""
    scales = OutcomeScale.objects.filter(active=True, indications=course.indication_id)
    if by_patient:
        scales = scales.filter(answered_by_patient=True)
    return list(scales.order_by("order", "id"))


def outcome_scores_record(
    *,
    course: Course,
    session: Session | None,
    values: Mapping[int, int | None],
    by: User | None,
    by_patient: bool = False,
    now: dt.datetime | None = None,
) -> list[OutcomeScore]:
    """Record `values` ({scale id: value}; None = not scored) for the course, at `session` or at follow-up.

    All or nothing: every value is checked on its scale first (ValidationError keyed "scale_<id>" for each one
    refused), then the set is written in one transaction. At a session a scale's score is replaced when recorded
    again (one staff score, and one answer of hers, per session and scale); follow-up scores are each kept.
    """
    if not by_patient and (by is None or not by.has_perm("treatments.add_outcomescore")):
        raise PermissionDenied(_("Your role cannot record outcome scores."))
    if session is not None and session.course_id != course.pk:
        raise ValidationError(_("This session is not part of the course."))
    scales = {scale.pk: scale for scale in course_scales(course, by_patient=by_patient)}
    errors: dict[str, str] = {}
    for scale_id, value in values.items():
        scale = scales.get(scale_id)
        if scale is None:
            errors[f"scale_{scale_id}"] = _("This scale is not used for the course's indication.")
        elif value is not None and (problem := outcomes.range_error(value, scale.min_value, scale.max_value)):
            errors[f"scale_{scale_id}"] = problem
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    written: list[OutcomeScore] = []
    with transaction.atomic():
        for scale_id, value in values.items():
            if value is None:
                continue
            score = None
            if session is not None:
                score = (OutcomeScore.objects.select_for_update()
                         .filter(session=session, scale_id=scale_id, by_patient=by_patient).first())
            if score is None:
                score = OutcomeScore(course=course, session=session, scale_id=scale_id, by_patient=by_patient)
            score.value, score.recorded_at, score.recorded_by = value, now, None if by_patient else by
            score.save()
            written.append(score)
    return written


@dataclass(frozen=True)
class Chart:
    """One scale's scores over a course, for treatments/includes/outcome_chart.html: the SVG and its table."""

    scale: OutcomeScale
    svg: str  # built by outcomes.chart_svg: every text escaped
    points: tuple[outcomes.Point, ...]
    by_patient: bool


def course_charts(course: Course, scores: Iterable[OutcomeScore]) -> list[Chart]:
    """The course's charts from its scores as loaded (scale and session joined): one per scale and who scored
    it (her own answers apart from the staff's), in the scales' order. No query."""
    groups: dict[tuple[int, bool], list[OutcomeScore]] = {}
    for score in scores:
        groups.setdefault((score.scale_id, score.by_patient), []).append(score)
    charts = []
    for (_scale_id, by_patient), group in sorted(groups.items(), key=lambda g: (g[1][0].scale.order, g[0])):
        scale = group[0].scale
        points = tuple(sorted((
            outcomes.Point(when=timezone.localdate(s.session.scheduled_at if s.session else s.recorded_at),
                           value=s.value, label=scale.label_for(s.value))
            for s in group
        ), key=lambda p: p.when))
        series = outcomes.Series(name=scale.name_shown, low=scale.min_value, high=scale.max_value,
                                 higher_is_better=scale.higher_is_better, points=points)
        title = (_("%(scale)s, the patient's own answers") if by_patient else "%(scale)s") % {"scale": scale.name_shown}
        charts.append(Chart(scale=scale, svg=outcomes.chart_svg(series, title=title), points=points,
                            by_patient=by_patient))
    return charts


def attach_outcome_charts(courses: Sequence[Course]) -> None:
    """Set `outcome_charts` on each course shown (the patient page): one query for all their scores."""
    scores: dict[int, list[OutcomeScore]] = {course.pk: [] for course in courses}
    if scores:
        for score in (OutcomeScore.objects.filter(course__in=list(scores)).select_related("scale", "session")
                      .order_by("recorded_at", "id")):
            scores[score.course_id].append(score)
    for course in courses:
        course.outcome_charts = course_charts(course, scores[course.pk])  # type: ignore[attr-defined]
