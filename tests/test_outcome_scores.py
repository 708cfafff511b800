"""Outcome scores per course (issue 16): scales as data chosen by indication, a score refused at its field when off
its scale, a set recorded all or nothing, and the chart built on the server (escaped, with title, desc and table)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import HOUR, product
from treatments import outcomes
from treatments.models import OutcomeScale, OutcomeScore
from treatments.outcome_forms import OutcomeScoresForm
from treatments.outcome_services import course_charts, course_scales, outcome_scores_record
from treatments.services import session_book

DAY = dt.timedelta(days=1)


# --- Pure ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "ok"), [(0, True), (10, True), (5, True), (-1, False), (11, False), (True, False)])
def test_a_value_is_on_its_scale_or_refused_with_the_range(value, ok):
    problem = outcomes.range_error(value, 0, 10)
    assert (problem is None) is ok
    if not ok:
        assert "from 0 to 10" in problem


def series(*points: tuple[int, int], name: str = "GAIS") -> outcomes.Series:
    start = dt.date(2026, 1, 5)
    return outcomes.Series(name=name, low=1, high=5, higher_is_better=False, points=tuple(
        outcomes.Point(when=start + dt.timedelta(days=d), value=v, label=f"{v} words") for d, v in points))


def test_the_chart_places_points_by_date_and_value_with_title_desc_and_a_title_per_point():
    svg = outcomes.chart_svg(series((0, 5), (14, 3), (28, 1)), title="GAIS over the course")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'role="img"' in svg
    assert "<title>GAIS over the course</title>" in svg
    assert "<desc>3 scores from 2026-01-05 to 2026-02-02, lower is better: 2026-01-05 5 words" in svg
    # x from the left edge (36) to the right (456) by days; y from the top (14, value 5) to the bottom (150, value 1)
    assert 'points="36.0,14.0 246.0,82.0 456.0,150.0"' in svg
    assert svg.count("<circle") == 3 and "<title>2026-01-19: 3 words</title>" in svg


def test_the_chart_escapes_every_text_it_is_given():
    svg = outcomes.chart_svg(outcomes.Series(name="x", low=0, high=10, higher_is_better=True, points=(
        outcomes.Point(when=dt.date(2026, 1, 1), value=2, label="<script>alert(1)</script>"),)),
        title='<img src=x onerror="alert(1)">')
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in svg


def test_a_chart_of_one_point_or_none_is_still_drawn():
    assert "cx=\"246.0\"" in outcomes.chart_svg(series((0, 3)), title="t")
    assert "<desc>No scores yet.</desc>" in outcomes.chart_svg(series(), title="t")


# --- Data, service and form --------------------------------------------------------------------------------------


@pytest.fixture
def course_sessions(patient, reception, nurse, physician):
    """A skin course (wrinkles): its first session performed four weeks ago, the next one booked for this afternoon."""
    now = timezone.now()
    first = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=now - 28 * DAY)
    last = session_book(
        patient=patient, course=first.course, indication=first.indication,
        products=[product("Revitalising vitamin complex")], technique="needles", practitioner=physician,
        supervising_physician=physician, scheduled_at=now + 2 * HOUR, booked_by=reception,
    )
    return first, last


def scale(code: str) -> OutcomeScale:
    return OutcomeScale.objects.get(code=code)


@pytest.mark.django_db
def test_the_seeded_scales_are_chosen_by_indication():
    from treatments.models import Indication

    def codes(name: str) -> list[str]:
        scales = OutcomeScale.objects.filter(indications__name=name).order_by("order")
        return list(scales.values_list("code", flat=True))

    assert codes("Wrinkles") == ["gais", "satisfaction"]
    assert codes("Cellulite") == ["gais", "cellulite-nm", "satisfaction"]
    assert codes("Alopecia / hair loss") == ["norwood-hamilton", "ludwig", "hair-pga", "satisfaction"]
    assert codes("Migraine") == ["pain-nrs", "satisfaction"]
    assert not Indication.objects.exclude(outcome_scales__code="satisfaction").exists()  # every indication asks her
    gais = scale("gais")
    assert (gais.min_value, gais.max_value, gais.higher_is_better) == (1, 5, False)
    assert gais.label_for(1) == "1 Exceptional improvement" and gais.label_for(5) == "5 Worse"
    assert scale("hair-pga").label_for(-3) == "-3 Much worse"


def test_scores_of_a_session_are_recorded_and_recording_again_replaces_them(course_sessions, nurse):
    first, _ = course_sessions
    gais, satisfaction = scale("gais"), scale("satisfaction")
    outcome_scores_record(course=first.course, session=first, values={gais.pk: 4, satisfaction.pk: None}, by=nurse)
    outcome_scores_record(course=first.course, session=first, values={gais.pk: 3, satisfaction.pk: 4}, by=nurse)
    assert sorted(OutcomeScore.objects.values_list("scale__code", "value", "recorded_by")) == [
        ("gais", 3, nurse.pk), ("satisfaction", 4, nurse.pk)]


def test_a_set_with_one_score_off_its_scale_saves_nothing(course_sessions, nurse):
    first, _ = course_sessions
    gais, satisfaction = scale("gais"), scale("satisfaction")
    with pytest.raises(ValidationError) as refused:
        outcome_scores_record(course=first.course, session=first, values={gais.pk: 2, satisfaction.pk: 6}, by=nurse)
    assert refused.value.message_dict == {f"scale_{satisfaction.pk}": ["Enter a whole number from 1 to 5."]}
    assert not OutcomeScore.objects.exists()


def test_a_scale_not_used_for_the_indication_is_refused(course_sessions, nurse):
    first, _ = course_sessions
    with pytest.raises(ValidationError):
        outcome_scores_record(course=first.course, session=first, values={scale("pain-nrs").pk: 3}, by=nurse)
    assert not OutcomeScore.objects.exists()


def test_a_half_written_set_is_rolled_back(course_sessions, nurse, monkeypatch):
    """The second score's write fails: the first is not kept either (one transaction for the set)."""
    first, _ = course_sessions
    gais, satisfaction = scale("gais"), scale("satisfaction")
    calls = []
    real_save = OutcomeScore.save

    def failing_save(self, *args, **kwargs):
        calls.append(self.scale_id)
        if len(calls) == 2:
            raise IntegrityError("the database refused it")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(OutcomeScore, "save", failing_save)
    with pytest.raises(IntegrityError):
        outcome_scores_record(course=first.course, session=first, values={gais.pk: 2, satisfaction.pk: 4}, by=nurse)
    assert not OutcomeScore.objects.exists()


def test_the_database_refuses_a_value_past_any_scale_and_a_staff_score_without_who(course_sessions, nurse):
    first, _ = course_sessions
    base = {"course": first.course, "session": first, "scale": scale("gais"), "recorded_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeScore.objects.create(**base, value=11, recorded_by=nurse)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeScore.objects.create(**base, value=2, recorded_by=None, by_patient=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeScale.objects.create(code="bad", name="Bad", min_value=5, max_value=5)


def test_the_form_shows_only_the_courses_scales_and_refuses_off_scale_at_the_field(course_sessions):
    first, _ = course_sessions
    scales = course_scales(first.course)
    form = OutcomeScoresForm({f"scale_{scales[0].pk}": "0", f"scale_{scales[1].pk}": "5"}, scales=scales)
    assert [s.code for s in scales] == ["gais", "satisfaction"]
    assert not form.is_valid()
    assert form.errors == {f"scale_{scales[0].pk}": ["Enter a whole number from 1 to 5."]}
    help_text = str(form.fields[f"scale_{scales[0].pk}"].help_text)
    assert "From 1 to 5. 1 Exceptional improvement; 2 Very improved" in help_text


# --- Pages -------------------------------------------------------------------------------------------------------


def test_the_nurse_records_scores_at_two_sessions_and_sees_the_chart(client, course_sessions, nurse):
    first, last = course_sessions
    gais = scale("gais")
    client.force_login(nurse)
    assert client.get(f"/treatments/sessions/{first.pk}/").content.decode().count(
        f"/treatments/sessions/{first.pk}/scores/") == 1
    page = client.get(f"/treatments/sessions/{first.pk}/scores/")
    assert page.status_code == 200 and f'name="scale_{gais.pk}"' in page.content.decode()
    assert "pain" not in page.content.decode().lower().split("outcome-charts")[0].split("scores-form")[-1]
    assert client.post(f"/treatments/sessions/{first.pk}/scores/", {f"scale_{gais.pk}": "4"}).status_code == 302
    response = client.post(f"/treatments/sessions/{last.pk}/scores/", {f"scale_{gais.pk}": "2"}, follow=True)
    html = response.content.decode()
    assert "1 score recorded." in html
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 1 and charts[0].count("<circle") == 2
    assert "4 No change" in html and "2 Very improved" in html  # the table beside the chart


def test_a_score_off_its_scale_is_refused_at_its_field_and_nothing_is_saved(client, course_sessions, nurse):
    first, _ = course_sessions
    gais, satisfaction = scale("gais"), scale("satisfaction")
    client.force_login(nurse)
    response = client.post(f"/treatments/sessions/{first.pk}/scores/",
                           {f"scale_{gais.pk}": "9", f"scale_{satisfaction.pk}": "4"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a whole number from 1 to 5." in html and 'value="4"' in html  # what she typed is kept
    assert not OutcomeScore.objects.exists()


def test_reception_cannot_record_scores(client, course_sessions, reception):
    first, _ = course_sessions
    client.force_login(reception)
    assert client.post(f"/treatments/sessions/{first.pk}/scores/", {}).status_code == 403


def test_a_follow_up_score_is_kept_without_a_session(client, course_sessions, physician):
    first, _ = course_sessions
    gais = scale("gais")
    client.force_login(physician)
    assert client.post(f"/treatments/courses/{first.course_id}/scores/", {f"scale_{gais.pk}": "2"}).status_code == 302
    score = OutcomeScore.objects.get()
    assert score.session is None and score.course == first.course and score.recorded_by == physician


def test_course_charts_are_one_per_scale_and_who_answered(course_sessions, nurse):
    first, last = course_sessions
    gais = scale("gais")
    outcome_scores_record(course=first.course, session=first, values={gais.pk: 4}, by=nurse)
    outcome_scores_record(course=first.course, session=last, values={gais.pk: 2}, by=nurse)
    charts = course_charts(first.course, OutcomeScore.objects.select_related("scale", "session"))
    assert [(c.scale.code, [p.value for p in c.points]) for c in charts] == [("gais", [4, 2])]


# --- The patient page and the export -----------------------------------------------------------------------------


def test_the_patient_page_shows_each_courses_chart_in_the_same_queries(client, course_sessions, nurse, physician):
    from tests.test_query_counts import queries_of

    first, last = course_sessions
    gais, satisfaction = scale("gais"), scale("satisfaction")
    client.force_login(physician)
    outcome_scores_record(course=first.course, session=first, values={gais.pk: 4}, by=nurse)
    small, html = queries_of(client, f"/patients/{first.patient_id}/")
    assert html.count("<svg") == 1 and "4 No change" in html
    outcome_scores_record(course=first.course, session=last, values={gais.pk: 2, satisfaction.pk: 5}, by=nurse)
    for days in range(1, 6):
        outcome_scores_record(course=first.course, session=None, values={gais.pk: 1}, by=nurse,
                              now=timezone.now() + days * DAY)
    big, html = queries_of(client, f"/patients/{first.patient_id}/")
    assert big == small
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 2 and charts[0].count("<circle") == 7 and "<title>" in charts[0] and "<desc>" in charts[0]
    assert "5 Very satisfied" in html and "1 Exceptional improvement" in html


def test_the_export_has_the_scores_as_data(course_sessions, nurse):
    from meso_clinic.overview.export import patient_record

    first, _ = course_sessions
    gais = scale("gais")
    outcome_scores_record(course=first.course, session=first, values={gais.pk: 3}, by=nurse)
    [score] = patient_record(first.patient)["outcome_scores"]
    assert score | {"id": 0, "recorded_at": None} == {
        "id": 0, "course_id": first.course_id, "session_id": first.pk, "scale": "gais",
        "scale_name": "Global Aesthetic Improvement Scale (GAIS)", "scale_range": [1, 5], "higher_is_better": False,
        "value": 3, "value_label": "3 Improved", "recorded_at": None, "recorded_by": score["recorded_by"],
        "by_patient": False,
    }
    assert score["recorded_by"]
