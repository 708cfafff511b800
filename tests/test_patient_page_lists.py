"""The patient page shows the latest 20 screenings, patch tests and consents. A longer list says so and
where the rest is (the record export), instead of ending silently: a physician must not take the 20th
consent for the first."""

import re

from django.utils import timezone

from patients.services import screening_take
from tests.fixtures.treatments import DAY, answers, consent_text
from treatments.models import Consent, PatchTest

NOTES = ("older-screenings", "older-patch-tests", "older-consents")


def add_records(patient, *, by, count: int, start) -> None:
    """`count` screenings, patch tests and consents, a day apart from `start`."""
    text = consent_text()
    for i in range(count):
        at = start + i * DAY
        screening_take(patient=patient, answers=answers(), taken_by=by, at=at)
        PatchTest.objects.create(patient=patient, applied_at=at, site="inner forearm", applied_by=by)
        Consent.objects.create(patient=patient, text=text, consented_at=at, recorded_by=by)


def notes_on(client, patient) -> dict[str, str]:
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    found = {}
    for testid in NOTES:
        match = re.search(rf'<p[^>]*data-testid="{testid}"[^>]*>(.*?)</p>', html, re.S)
        if match:
            found[testid] = " ".join(match.group(1).split())
    return found


def test_twenty_of_each_show_whole_and_a_twenty_first_is_announced(client, patient, reception, nurse, physician):
    start = timezone.now() - 100 * DAY
    add_records(patient, by=physician, count=20, start=start)
    client.force_login(nurse)
    assert notes_on(client, patient) == {}  # 20 of each: the lists are whole

    add_records(patient, by=physician, count=1, start=start - DAY)  # one older of each
    notes = notes_on(client, patient)
    assert set(notes) == set(NOTES)
    for note in notes.values():  # the nurse cannot open the export: she is told who can
        assert note.startswith("Only the latest 20 are shown.")
        assert "The record export (physicians and the clinic manager) lists them all." in note
        assert "href" not in note

    client.force_login(physician)
    export = f'href="/patients/{patient.pk}/export/"'
    notes = notes_on(client, patient)
    assert set(notes) == set(NOTES) and all(export in note for note in notes.values())
    # The export the note points to holds all 21 of each.
    html = client.get(f"/patients/{patient.pk}/export/").content.decode()
    assert "Eligibility screenings (21)" in html and "Patch tests (21)" in html and "Consents (21)" in html
