"""Decisions the pages show are made once, in Python; templates only display them (issue 13).

Most are pure: a model method or a selector's result on objects that are never saved.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from patients.models import STORED_NO, STORED_YES, EligibilityScreening, Outcome, Patient, decision_done
from patients.selectors import EligibilityStatus, finding_outcome_label, findings_shown
from treatments.models import Batch, Product, Session, describe_previous_reaction
from treatments.selectors import catalogue_products

# --- The patient page: eligibility status ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "next_step", "intake_is_next", "detail_is_reason"),
    [
        ("approved", "Apply a patch test, record consent, plan a course and book sessions.", False, True),
        ("awaiting_review", "A physician reviews the screening in the review queue.", False, False),
        ("not_screened", "Take the intake questionnaire.", True, False),
        ("expired", "Take the intake questionnaire.", True, False),
        ("deferred", "Take a new intake questionnaire after the deferral date.", True, False),
        ("declined", "No treatment can be planned.", True, True),
        ("not_eligible", "No treatment can be planned.", True, False),
    ],
)
def test_each_eligibility_status_says_the_next_step(code, next_step, intake_is_next, detail_is_reason):
    status = EligibilityStatus(code, "label", "secondary")
    assert status.next_step == next_step
    assert status.intake_is_next is intake_is_next  # the intake button is the page's main one
    assert status.detail_is_reason is detail_is_reason  # "Reason:" before the physician's reason


def test_the_next_step_is_in_the_language_of_the_page():
    with translation.override("tr"):
        assert EligibilityStatus("approved", "", "success").next_step != (
            "Apply a patch test, record consent, plan a course and book sessions."
        )


def test_a_recorded_decision_is_worded_as_done():
    assert [decision_done(c) for c in ("approved", "deferred", "declined")] == ["Approved", "Deferred", "Declined"]
    assert EligibilityScreening(decision="deferred").decision_done == "Deferred"
    with translation.override("tr"):
        assert decision_done("approved") != "Approved"


# --- The screening page --------------------------------------------------------------------------


def test_each_finding_says_what_it_means():
    assert finding_outcome_label(Outcome.NOT_ELIGIBLE) == "Not eligible"
    assert finding_outcome_label(Outcome.NEEDS_REVIEW) == "Needs review"
    stored = [{"code": "age", "outcome": "not_eligible", "reason": "Under 18.", "overridable": False}]
    screening = EligibilityScreening(findings=stored, patient=Patient(date_of_birth=dt.date(2010, 1, 1)))
    shown = findings_shown(screening)
    assert shown[0]["outcome_label"] == "Not eligible"
    assert "outcome_label" not in stored[0]  # the stored record is never changed


def test_a_yes_answer_is_marked_and_nothing_else_is():
    screening = EligibilityScreening(
        answer_record=[
            ["Medical history", "Are you pregnant?", STORED_YES, False],
            ["Medical history", "Since when?", "2026-01-01", True],
            ["Medical history", "Do you smoke?", STORED_NO, False],
            ["Medical history", "Notes", "Yes, sometimes", True],  # typed by staff: not the stored "Yes"
        ]
    )
    rows = screening.answers_shown
    assert [r.is_yes for r in rows] == [True, False, False, False]
    assert [r.follow_up for r in rows] == [False, True, False, True]
    assert rows[0].question == "Are you pregnant?" and rows[0].section == "Medical history"


# --- The session page --------------------------------------------------------------------------


def test_the_status_colour_of_a_session_is_decided_once():
    tones = {status: Session(status=status).status_tone for status in Session.Status.values}
    assert tones == {
        "booked": "primary", "arrived": "info", "performed": "success", "cancelled": "secondary", "no_show": "secondary"
    }
    assert Session(status="performed").is_performed and not Session(status="booked").is_performed


def test_the_previous_reaction_in_words():
    reaction = describe_previous_reaction("reaction", "Redness for two days")
    assert (reaction.label, reaction.description, reaction.is_reaction) == ("A reaction", "Redness for two days", True)
    assert describe_previous_reaction("none", "") == describe_previous_reaction("none", "ignored")
    assert describe_previous_reaction("none", "").label == "No reaction"
    first = describe_previous_reaction("", "")
    assert (first.label, first.is_reaction) == ("Not asked (the patient's first session)", False)
    # Sessions recorded before the question had answers kept a free text: shown as it is.
    legacy = describe_previous_reaction("", "slight bruising")
    assert (legacy.label, legacy.description, legacy.is_reaction) == ("", "slight bruising", False)
    session = Session(previous_reaction="reaction", reaction_after_previous="Itching")
    assert session.previous_reaction_shown.is_reaction


def test_the_session_page_shows_the_previous_reaction_as_before():
    """The template only displays: the same HTML as when it decided this itself."""
    template = Template(
        '{% with reaction=session.previous_reaction_shown %}{% if reaction.is_reaction %}<span class="badge '
        'text-bg-warning">{{ reaction.label }}</span> {{ reaction.description }}{% else %}'
        "{{ reaction.label|default:reaction.description }}{% endif %}{% endwith %}"
    )

    def shown(answer: str, text: str) -> str:
        return template.render(Context({"session": Session(previous_reaction=answer, reaction_after_previous=text)}))

    assert shown("reaction", "Red") == '<span class="badge text-bg-warning">A reaction</span> Red'
    assert shown("none", "") == "No reaction"
    assert shown("", "old text") == "old text"
    assert shown("", "") == "Not asked (the patient&#x27;s first session)"


# --- The catalogue ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_is_expired_the_day_after_its_expiry_date():
    product = Product.objects.create(name="Test vitamins", kind=Product.Kind.VITAMINS, components="B5")
    Batch.objects.create(product=product, lot_number="L1", expiry_date=dt.date(2026, 11, 23))
    Batch.objects.create(product=product, lot_number="L2", expiry_date=dt.date(2026, 11, 22))

    def expired(on: dt.date) -> dict[str, bool]:
        [shown] = [p for p in catalogue_products(on=on) if p.pk == product.pk]
        return {b.lot_number: b.expired for b in shown.batches.all()}

    assert expired(dt.date(2026, 11, 23)) == {"L1": False, "L2": True}  # usable on its expiry date
    assert expired(dt.date(2026, 11, 24)) == {"L1": True, "L2": True}


def test_the_rules_messages_write_dates_as_the_pages_do_in_both_languages():
    """treatments.patch_tests.format_day is Django's date format (it kept a month table of its own)."""
    from treatments.patch_tests import format_day

    assert format_day(dt.date(2026, 11, 4)) == "04 Nov 2026"
    with translation.override("tr"):
        assert [format_day(dt.date(2026, m, 24)) for m in (2, 8, 11)] == ["24 Şub 2026", "24 Ağu 2026", "24 Kas 2026"]


# --- Aftercare: emails and side-effect reports --------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "sending", "sent", "failed", "cancelled"])
def test_a_reminder_says_whether_it_went_or_failed(status):
    from aftercare.models import Reminder

    assert set(Reminder.Status.values) == {"pending", "sending", "sent", "failed", "cancelled"}
    reminder = Reminder(status=status)
    assert reminder.is_sent is (status == "sent")
    assert reminder.is_failed is (status == "failed")


def test_the_patients_emails_show_the_time_sent_and_the_failure():
    from django.template.loader import render_to_string

    from aftercare.models import Reminder

    due = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    reminders = [
        Reminder(kind="aftercare_sheet", status="sent", due_at=due, sent_at=due),
        Reminder(kind="aftercare_sheet", status="failed", due_at=due, last_error="550 No such user"),
        Reminder(kind="aftercare_sheet", status="cancelled", due_at=due),
    ]
    with translation.override("en"):
        page = render_to_string(
            "aftercare/includes/patient_emails.html", {"reminders": reminders, "patient": Patient()}
        )
    cells = [row.split("<td>")[3].split("</td>")[0] for row in page.split("<tr>")[2:]]
    assert cells == ["Sent 23 Nov 12:30", '<span class="text-danger fw-semibold">Failed</span>: 550 No such user',
                     "Cancelled"]


@pytest.mark.parametrize("status", ["open", "closed"])
def test_a_side_effect_report_is_open_until_closed(status):
    from aftercare.models import SideEffectReport

    assert set(SideEffectReport.Status.values) == {"open", "closed"}
    report = SideEffectReport(status=status)
    assert report.is_open is (status == "open")
    assert report.is_closed is (status == "closed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "listing_open", "other", "heading"),
    [(None, True, "closed", "Side-effect reports: open"), ("open", True, "closed", "Side-effect reports: open"),
     ("closed", False, "open", "Side-effect reports: closed"), ("Closed", True, "closed", "Side-effect reports: open")],
)
def test_the_report_list_says_which_reports_it_lists_and_links_the_others(client, nurse, asked, listing_open, other,
                                                                          heading):
    from django.urls import reverse

    client.force_login(nurse)
    response = client.get(reverse("aftercare:reports"), {"status": asked} if asked else {})
    assert response.context["listing_open"] is listing_open and response.context["other_status"] == other
    page = response.content.decode()
    assert heading in page and f'href="?status={other}"' in page
    assert ("No open report." if listing_open else "No closed report.") in page


# --- The history page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "is_creation"), [("created", True), ("changed", False), ("deleted", False)])
def test_a_records_first_history_entry_lists_its_values(action, is_creation):
    from meso_clinic.core.models import HistoryEntry
    from meso_clinic.overview.history_lines import HistoryRow

    assert action in HistoryEntry.Action.values
    row = HistoryRow(at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), who="", action=action, action_label="", part="")
    assert row.is_creation is is_creation
