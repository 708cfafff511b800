"""The aftercare pages through the Django test client.

Patients reach two pages through signed links in their emails, without signing in: the side-effect
report and unsubscribe. Staff see the delivery of the emails, the reports (and close them) and the
counts on the dashboard and the patient page.

The clock stands still at NOW (23 Nov 2026, 12:30 in Istanbul) unless a test moves it. Zeynep's
session is performed at NOW through the services (`performed_session`, as in
test_aftercare_pipeline.py). For an escalated report the app calls `notify_physician_of_report.delay`
on commit: the Celery app runs tasks eagerly here (in-process) and Django sends to a real local SMTP
server, so the physician's email is really sent and read back.
"""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from aftercare import services
from aftercare.links import report_token, unsubscribe_token
from aftercare.models import Reminder, SideEffectReport
from patients.models import Patient
from tests.fixtures.aftercare import performed_session
from tests.fixtures.treatments import HOUR, NOW

DAY = 24 * HOUR
PRIVATE = ("Zeynep", "Arslan", "zeynep@example.com", "+90 532 111 22 33", "532 111")
PHYSICIAN_EMAIL = "dr.yilmaz@mesoclinic.example"
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Uploaded photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def eager_tasks():
    """Celery runs `.delay()` in-process (our app config does not read CELERY_TASK_ALWAYS_EAGER)."""
    from meso_clinic.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def session(patient, reception, nurse, physician):
    physician.email = PHYSICIAN_EMAIL
    physician.save()
    return performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=NOW)


@pytest.fixture
def emma(db):
    return Patient.objects.create(
        given_name="Emma",
        family_name="Clarke",
        date_of_birth=dt.date(1979, 11, 3),
        sex="female",
        email="emma@example.com",
        email_consent=True,
    )


def sheet_of(session) -> Reminder:
    return Reminder.objects.get(session=session, kind="aftercare_sheet")


def report_path(session, reminder: Reminder | None = None) -> str:
    return reverse("aftercare:report", args=[report_token(session_id=session.pk, reminder_id=reminder and reminder.pk)])


def unsubscribe_path(patient) -> str:
    return reverse("aftercare:unsubscribe", args=[unsubscribe_token(patient_id=patient.pk)])


def tampered(token: str, where: str) -> str:
    """The token with one character changed: in the signed data, or the last of the signature."""
    index = 5 if where == "data" else len(token) - 1
    replacement = next(c for c in BASE64URL if c != token[index])
    return token[:index] + replacement + token[index + 1 :]


def png(size=(32, 24), text: str | None = None) -> bytes:
    buffer = io.BytesIO()
    info = None
    if text is not None:
        info = PngInfo()
        info.add_text("Comment", text)
    Image.new("RGB", size, (200, 90, 90)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def send_due(capture, *, now) -> list[str]:
    """What beat and the worker do, in-process: claim the due reminders, then send each."""
    claimed: list[tuple[int, str]] = []
    with capture(execute=True):
        services.reminders_dispatch(now=now, enqueue=lambda pk, token, lease: claimed.append((pk, token)))
    return [services.reminder_send(reminder_id=pk, token=token, now=now) for pk, token in claimed]


def make_report(session, *, at, **fields) -> SideEffectReport:
    values = {"effects": [], "warning_signs": [], "severity": "mild", "description": "", **fields}
    with time_machine.travel(at, tick=False):
        return services.report_create(session=session, reminder_id=None, notify=lambda pk: None, **values)


def content(response) -> str:
    return response.content.decode()


# --- The report page (patients, no sign-in) --------------------------------------------------------


def test_the_report_page_opens_without_signing_in_and_shows_no_patient_data(client, session):
    response = client.get(report_path(session, sheet_of(session)))
    assert response.status_code == 200
    page = content(response)
    assert '<html lang="en">' in page and '<meta name="robots" content="noindex">' in page
    assert "Report a side effect" in page
    assert "About your session on 23 November 2026." in page
    for label in ("Itching or burning", "Fever or chills", "Pus or fluid coming from the area", "Severe: painful"):
        assert label in page
    assert "call emergency services (112) now" in page
    # A forwarded link shows nobody's name or contact details.
    for private in PRIVATE:
        assert private not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("where", ["data", "signature"])
def test_a_tampered_link_is_not_valid_and_shows_no_patient_data(client, session, where):
    token = report_token(session_id=session.pk, reminder_id=sheet_of(session).pk)
    path = reverse("aftercare:report", args=[tampered(token, where)])

    for response in (client.get(path), client.post(path, {"effects": ["itching_burning"], "severity": "mild"})):
        assert response.status_code == 404
        page = content(response)
        assert "This link is not valid" in page
        assert "Please call the clinic on +90 212 555 0100" in page
        for private in PRIVATE:
            assert private not in page
    assert not SideEffectReport.objects.exists()


def test_an_unsubscribe_token_does_not_open_the_report_page(client, session, patient):
    response = client.get(reverse("aftercare:report", args=[unsubscribe_token(patient_id=patient.pk)]))
    assert response.status_code == 404


def test_a_link_expires_after_90_days(client, session, clock):
    path = report_path(session, sheet_of(session))  # signed at NOW
    clock.move_to(NOW + 89 * DAY)
    assert client.get(path).status_code == 200

    clock.move_to(NOW + 91 * DAY)
    response = client.get(path)
    assert response.status_code == 410
    assert "This link has expired" in content(response)
    for private in PRIVATE:
        assert private not in content(response)
    response = client.post(path, {"effects": ["itching_burning"], "severity": "mild"})
    assert response.status_code == 410
    assert not SideEffectReport.objects.exists()


def test_itching_is_recorded_and_thanked_without_alerting_anyone(
    client, session, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    sheet = sheet_of(session)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            report_path(session, sheet),
            {"effects": ["itching_burning"], "severity": "mild", "description": "  Itchy since last night.  "},
            follow=True,
        )

    assert response.status_code == 200
    assert "Thank you, we have your report" in content(response)
    assert "Please call the clinic now" not in content(response)
    report = SideEffectReport.objects.get()
    assert report.session == session and report.reminder == sheet
    assert (report.effects, report.warning_signs, report.severity) == (["itching_burning"], [], "mild")
    assert report.description == "Itchy since last night."
    assert (report.escalated, report.status, report.reported_at, report.photo.name) == (False, "open", NOW, "")
    assert callbacks == []
    assert smtp_server.handler.messages == []


def test_a_description_alone_is_a_report(client, session):
    response = client.post(
        report_path(session), {"severity": "moderate", "description": "A small lump, I think."}, follow=True
    )
    assert "Thank you, we have your report" in content(response)
    report = SideEffectReport.objects.get()
    assert (report.effects, report.reminder) == ([], None)
    # A lump ticked would have escalated; in words it waits for staff, who see it in the list.
    assert report.escalated is False


def test_a_link_for_another_sessions_reminder_does_not_attach_that_reminder(
    client, session, emma, reception, nurse, physician
):
    other = performed_session(emma, reception=reception, nurse=nurse, physician=physician, now=NOW, practitioner=nurse)
    client.post(report_path(session, sheet_of(other)), {"effects": ["redness"], "severity": "mild"}, follow=True)
    report = SideEffectReport.objects.get()
    assert (report.session, report.reminder) == (session, None)


@pytest.mark.parametrize(
    ("effects", "warning_signs", "severity"),
    [(["redness"], ["fever"], "moderate"), (["redness"], [], "severe"), (["infection"], [], "mild")],
    ids=["fever", "severe", "signs-of-infection"],
)
def test_a_warning_sign_asks_the_patient_to_call_and_emails_the_physician_without_patient_data(
    client, session, patient, smtp_server, eager_tasks, django_capture_on_commit_callbacks, effects, warning_signs,
    severity,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            report_path(session, sheet_of(session)),
            {"effects": effects, "warning_signs": warning_signs, "severity": severity},
            follow=True,
        )

    assert response.status_code == 200
    page = content(response)
    assert "Please call the clinic now" in page and "A physician has been told." in page
    assert '<a class="btn btn-danger btn-lg w-100" href="tel:+902125550100">Call +90 212 555 0100</a>' in page
    assert "If you have trouble breathing, call 112." in page
    assert "Thank you, we have your report" not in page
    report = SideEffectReport.objects.get()
    assert (report.escalated, report.warning_signs, report.severity) == (True, warning_signs, severity)

    [received] = smtp_server.handler.messages
    assert received.rcpt_tos == [PHYSICIAN_EMAIL]
    subject = received.message["Subject"].strip()  # a long encoded header is folded
    body = received.message.get_content()
    assert subject.startswith("Urgent:") and subject.endswith(" · MesoClinic")
    assert f"/aftercare/reports/{report.pk}/" in body and "sign-in required" in body
    for private in (*PRIVATE, "1988", "fever", "Fever", "redness", "infection"):
        assert private not in subject and private not in body


def test_an_escalated_report_for_a_physician_without_email_still_saves(
    client, session, physician, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    physician.email = ""
    physician.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_path(session), {"warning_signs": ["pus"], "severity": "moderate"}, follow=True)
    assert "Please call the clinic now" in content(response)
    assert SideEffectReport.objects.get().escalated is True
    # The physician has no address: the clinic's alert inbox gets the urgent email instead.
    [alert] = smtp_server.handler.messages
    assert alert.rcpt_tos == ["clinic@mesoclinic.example"]
    assert str(alert.message["Subject"]).strip().startswith("Urgent:")


def test_an_oversized_photo_is_refused_at_the_photo_field(client, session, media, settings):
    too_big = settings.REPORT_PHOTO_MAX_BYTES + 1
    photo = SimpleUploadedFile("arm.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (too_big - 4), content_type="image/jpeg")
    response = client.post(
        report_path(session), {"effects": ["bruising"], "severity": "mild", "photo": photo}, follow=True
    )
    assert response.status_code == 200
    message = "This photo is too large (5.0 MB). Please send one of up to 5 MB."
    assert dict(response.context["form"].errors) == {"photo": [message]}
    page = content(response)
    assert message in page and "Please check the answers marked below." in page
    assert re.search(r'<input[^>]*name="photo"[^>]*is-invalid|<input[^>]*is-invalid[^>]*name="photo"', page)
    assert not SideEffectReport.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_file_that_is_not_a_picture_is_refused(client, session, media):
    fake = SimpleUploadedFile("arm.png", b"Not a picture at all, just some text.\n" * 20, content_type="image/png")
    response = client.post(
        report_path(session), {"effects": ["bruising"], "severity": "mild", "photo": fake}, follow=True
    )
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {
        "photo": ["This file is not a picture. Please send a JPEG or PNG photo."]
    }
    assert "This file is not a picture." in content(response)
    assert not SideEffectReport.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_photo_is_saved_and_served_only_to_staff_with_permission(client, session, media, outsider, nurse, physician):
    picture = png()
    response = client.post(
        report_path(session),
        {"effects": ["bruising"], "severity": "mild", "photo": SimpleUploadedFile("arm.png", picture, "image/png")},
        follow=True,
    )
    assert "Thank you, we have your report" in content(response)
    report = SideEffectReport.objects.get()
    assert report.photo.name.startswith("side-effects/2026/11/")
    stored = (media / report.photo.name).read_bytes()  # re-encoded: only the pixels (tests/test_report_photos.py)
    with Image.open(io.BytesIO(stored)) as kept:
        assert (kept.format, kept.size, kept.getpixel((5, 5))) == ("PNG", (32, 24), (200, 90, 90))
    url = reverse("aftercare:report_photo", args=[report.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    for staff in (nurse, physician):
        client.force_login(staff)
        served = client.get(url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == stored
        assert served["Content-Type"] == "image/png" and served["Cache-Control"] == "no-store"
    # Never from a public folder.
    assert client.get(f"/media/{report.photo.name}").status_code == 404
    detail = client.get(reverse("aftercare:report_detail", args=[report.pk]))
    assert f'href="{url}"' in content(detail)


def test_a_picture_uploaded_with_an_html_name_is_still_served_as_a_picture(client, session, nurse):
    polyglot = png(text="<script>alert(document.cookie)</script>")
    client.post(
        report_path(session),
        {"effects": ["rash"], "severity": "mild", "photo": SimpleUploadedFile("photo.html", polyglot, "text/html")},
        follow=True,
    )
    report = SideEffectReport.objects.get()  # accepted: the content is a real PNG
    client.force_login(nurse)
    served = client.get(reverse("aftercare:report_photo", args=[report.pk]))
    b"".join(served.streaming_content)  # reading it to the end closes the file (the test client does)
    assert served["Content-Type"] == "image/png"


@pytest.mark.parametrize("data", [{"severity": "mild"}, {"severity": "mild", "description": "   "}])
def test_an_empty_report_gets_the_form_level_message(client, session, data):
    response = client.post(report_path(session), data, follow=True)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Tick what you notice, or describe it in a few words."]
    alert = '<div class="alert alert-danger" role="alert">Tick what you notice, or describe it in a few words.</div>'
    assert alert in content(response)
    assert not SideEffectReport.objects.exists()


def test_a_report_without_a_severity_is_refused_at_that_field(client, session):
    response = client.post(report_path(session), {"effects": ["swelling"]}, follow=True)
    assert dict(response.context["form"].errors) == {"severity": ["This field is required."]}
    assert "Please check the answers marked below." in content(response)
    assert not SideEffectReport.objects.exists()


def test_the_report_pages_are_in_turkish_for_a_turkish_patient(client, session, patient):
    patient.preferred_language = "tr"
    patient.save()
    path = report_path(session)

    page = content(client.get(path, headers={"accept-language": "en"}))
    assert '<html lang="tr">' in page
    assert '<h1 class="h3">Yan etki bildirin</h1>' in page
    assert "23 Kasım 2026 tarihli seansınız hakkında." in page
    for words in ("Kaşıntı veya yanma", "Ateş veya titreme", "Hafif: fark ediliyor", "Bildirimimi gönder"):
        assert words in page

    refused = content(client.post(path, {"severity": "mild"}))
    assert "Fark ettiklerinizi işaretleyin ya da birkaç kelimeyle anlatın." in refused
    thanked = content(client.post(path, {"effects": ["itching_burning"], "severity": "mild"}, follow=True))
    assert "Teşekkürler, bildiriminizi aldık" in thanked
    # The next English visitor is not left in Turkish.
    assert "This link is not valid" in content(client.get(reverse("aftercare:report", args=["x"])))


# --- Unsubscribe (patients, no sign-in) --------------------------------------------------------------


def test_unsubscribe_get_only_asks(client, session, patient):
    response = client.get(unsubscribe_path(patient))
    assert response.status_code == 200
    page = content(response)
    assert "Stop receiving aftercare emails?" in page
    assert re.search(r'<form method="post">.*<button type="submit"[^>]*>Yes, stop the emails</button>', page)
    patient.refresh_from_db()
    assert patient.email_consent is True
    assert Reminder.objects.filter(session=session, status="pending").count() == 6


def test_unsubscribe_post_withdraws_consent_and_cancels_what_is_pending(
    client, session, patient, smtp_server, django_capture_on_commit_callbacks
):
    assert send_due(django_capture_on_commit_callbacks, now=NOW) == ["sent"]  # the sheet went out

    response = client.post(unsubscribe_path(patient))

    assert response.status_code == 200
    assert "You will not receive our aftercare emails any more." in content(response)
    patient.refresh_from_db()
    assert patient.email_consent is False
    statuses = dict(Reminder.objects.filter(session=session).values_list("kind", "status"))
    assert statuses.pop("aftercare_sheet") == "sent"
    assert set(statuses.values()) == {"cancelled"}
    assert set(Reminder.objects.filter(session=session, kind="check_in_day1").values_list("last_error", flat=True)) == {
        "The patient unsubscribed."
    }


@pytest.mark.parametrize("where", ["data", "signature"])
def test_a_tampered_unsubscribe_link_changes_nothing(client, session, patient, where):
    path = reverse("aftercare:unsubscribe", args=[tampered(unsubscribe_token(patient_id=patient.pk), where)])
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "This link is not valid" in content(response)
    patient.refresh_from_db()
    assert patient.email_consent is True
    assert Reminder.objects.filter(session=session, status="pending").count() == 6


def test_a_report_token_does_not_unsubscribe(client, session, patient):
    path = reverse("aftercare:unsubscribe", args=[report_token(session_id=session.pk, reminder_id=None)])
    assert client.post(path).status_code == 404
    patient.refresh_from_db()
    assert patient.email_consent is True


def test_the_unsubscribe_page_is_in_turkish_for_a_turkish_patient(client, patient):
    patient.preferred_language = "tr"
    patient.save()
    response = client.get(unsubscribe_path(patient), headers={"accept-language": "en"})
    assert "Bakım e-postaları durdurulsun mu?" in content(response)


# --- Staff: email delivery ----------------------------------------------------------------------------


@pytest.fixture
def delivery(session, emma, reception, nurse, physician, smtp_server, clock, django_capture_on_commit_callbacks):
    """Zeynep's address is refused for good (550) and Emma's accepted; both sessions at NOW.

    At NOW both aftercare sheets go: Zeynep's fails, Emma's is sent. The clock then stands at NOW + 23 h,
    when the "washing allowed" reminders (08:00 clinic time) are due and not yet sent.
    """
    emmas = performed_session(emma, reception=reception, nurse=nurse, physician=physician, now=NOW, practitioner=nurse)
    smtp_server.handler.reject = {"zeynep@example.com"}
    assert sorted(send_due(django_capture_on_commit_callbacks, now=NOW)) == ["failed", "sent"]
    clock.move_to(NOW + 23 * HOUR)
    return {"failed": sheet_of(session), "sent": sheet_of(emmas)}


def test_the_delivery_page_shows_counts_and_failed_reminders(client, delivery, reception):
    client.force_login(reception)
    response = client.get(reverse("aftercare:delivery"))
    assert response.status_code == 200
    context = {k: response.context[k] for k in ("due_now", "pending", "failed_count", "sent_last_day")}
    assert context == {"due_now": 2, "pending": 8, "failed_count": 1, "sent_last_day": 1}  # pending: not yet due
    page = content(response)
    assert '<div class="display-6" data-testid="due-now">2</div>' in page
    assert '<div class="display-6" data-testid="failed-count">1</div>' in page
    assert '<div class="display-6" data-testid="sent-last-day">1</div>' in page
    failed = page.split('<h2 class="h5">Failed</h2>')[1].split("Recently sent")[0]
    assert "Zeynep Arslan" in failed and "Aftercare sheet" in failed and "Emma Clarke" not in failed
    assert "550 5.1.1 No such user here" in failed
    assert reverse("aftercare:retry", args=[delivery["failed"].pk]) in failed and "Send again" in failed
    recent = page.split("Recently sent")[1]
    assert "Emma Clarke" in recent and "Zeynep Arslan" not in recent


def test_the_not_yet_due_count_leaves_out_what_is_due_now(client, delivery, reception):
    client.force_login(reception)
    page = content(client.get(reverse("aftercare:delivery")))
    shown = re.search(r"Scheduled \(not yet due\)</div><div class=\"display-6\">(\d+)</div>", page)
    assert shown and int(shown.group(1)) == 8


def test_reception_sends_a_failed_reminder_again(client, delivery, reception):
    failed = delivery["failed"]
    client.force_login(reception)
    response = client.post(reverse("aftercare:retry", args=[failed.pk]), follow=True)
    assert response.redirect_chain == [(reverse("aftercare:delivery"), 302)]
    assert "The reminder will be sent again within a minute." in content(response)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("pending", 0, NOW + 23 * HOUR)

    again = client.post(reverse("aftercare:retry", args=[delivery["sent"].pk]), follow=True)
    assert "Only a failed reminder can be sent again." in content(again)
    assert Reminder.objects.get(pk=delivery["sent"].pk).status == "sent"


def test_a_nurse_sees_the_delivery_page_but_cannot_send_again(client, delivery, nurse):
    client.force_login(nurse)
    page = content(client.get(reverse("aftercare:delivery")))
    assert "Zeynep Arslan" in page and "Send again" not in page
    response = client.post(reverse("aftercare:retry", args=[delivery["failed"].pk]))
    assert response.status_code == 403
    assert Reminder.objects.get(pk=delivery["failed"].pk).status == "failed"


def test_send_again_is_post_only_and_not_for_outsiders(client, delivery, reception, outsider):
    url = reverse("aftercare:retry", args=[delivery["failed"].pk])
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(reverse("aftercare:delivery")).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(reception)
    assert client.get(url).status_code == 405
    assert Reminder.objects.get(pk=delivery["failed"].pk).status == "failed"


def test_the_patient_page_lists_the_emails_and_their_status(
    client, session, patient, reception, smtp_server, clock, django_capture_on_commit_callbacks
):
    assert send_due(django_capture_on_commit_callbacks, now=NOW) == ["sent"]
    smtp_server.handler.reject = {"zeynep@example.com"}
    clock.move_to(NOW + 23 * HOUR)
    assert send_due(django_capture_on_commit_callbacks, now=NOW + 23 * HOUR) == ["failed"]

    client.force_login(reception)
    page = content(client.get(reverse("patients:detail", args=[patient.pk])))
    table = page.split('data-testid="patient-emails"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, flags=re.S)
    by_kind = {kind: status.strip() for kind, _, status in rows}
    assert by_kind["Aftercare sheet"] == "Sent 23 Nov 12:30"
    washing = by_kind["Washing and make-up allowed again"]
    assert washing.startswith('<span class="text-danger fw-semibold">Failed</span>')
    assert "550 5.1.1 No such user here" in washing
    assert by_kind["Day 1 check-in"] == by_kind["Recovery review"] == "Pending"
    assert "Pre-session instructions" not in by_kind  # cancelled when the session took place: not listed
    assert len(rows) == 6


# --- Staff: side-effect reports -----------------------------------------------------------------------


@pytest.fixture
def reports(session, physician):
    """Open: an escalated report (fever, older) and a mild one (newer). Closed: an earlier one."""
    closed = make_report(session, at=NOW + HOUR, effects=["redness"])
    services.report_close(report=closed, by=physician, note="Called: settling.")
    fever = make_report(session, at=NOW + 2 * HOUR, warning_signs=["fever"], severity="moderate")
    itching = make_report(session, at=NOW + 3 * HOUR, effects=["itching_burning"])
    return {"fever": fever, "itching": itching, "closed": closed}


def test_the_report_list_shows_open_reports_escalated_first(client, reports, nurse):
    client.force_login(nurse)
    response = client.get(reverse("aftercare:reports"))
    assert [r.pk for r in response.context["reports"]] == [reports["fever"].pk, reports["itching"].pk]
    page = content(response)
    assert "Side-effect reports: open" in page
    rows = re.findall(r"<tr( class=\"table-danger\")?>(.*?)</tr>", page.split("<tbody>")[1], flags=re.S)
    assert len(rows) == 2
    assert rows[0][0] and "Warning sign" in rows[0][1] and "Fever or chills" in rows[0][1]
    assert not rows[1][0] and "Itching or burning" in rows[1][1] and "Mild" in rows[1][1]

    closed = client.get(reverse("aftercare:reports"), {"status": "closed"})
    assert [r.pk for r in closed.context["reports"]] == [reports["closed"].pk]


@pytest.mark.parametrize("note", ["", "   "])
def test_closing_a_report_needs_a_note(client, reports, physician, note):
    report = reports["fever"]
    client.force_login(physician)
    url = reverse("aftercare:report_detail", args=[report.pk])
    response = client.post(url, {"closing_note": note})
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {"closing_note": ["This field is required."]}
    assert re.search(r'id="error_1_id_closing_note"[^>]*>.*This field is required', content(response), flags=re.S)
    report.refresh_from_db()
    assert (report.status, report.closed_by, report.closing_note) == ("open", None, "")


def test_a_physician_closes_a_report_with_a_note(client, reports, physician, clock):
    report = reports["fever"]
    client.force_login(physician)
    url = reverse("aftercare:report_detail", args=[report.pk])
    detail = content(client.get(url))
    assert "Warning sign reported." in detail and "Call the patient today: +90 532 111 22 33." in detail
    assert "Close with this note" in detail

    clock.move_to(NOW + 4 * HOUR)
    client.force_login(physician)  # a new sign-in: 4 hours idle signs anyone out
    note = "  Called her: antipyretic advice, seen tomorrow 09:00.  "
    response = client.post(url, {"closing_note": note}, follow=True)
    assert response.redirect_chain == [(reverse("aftercare:reports"), 302)]
    assert "Report closed." in content(response)
    assert [r.pk for r in response.context["reports"]] == [reports["itching"].pk]
    report.refresh_from_db()
    assert (report.status, report.closed_by, report.closed_at) == ("closed", physician, NOW + 4 * HOUR)
    assert report.closing_note == "Called her: antipyretic advice, seen tomorrow 09:00."
    after = content(client.get(url))
    assert "Close with this note" not in after and "Called her: antipyretic advice" in after

    again = client.post(url, {"closing_note": "Twice."}, follow=True)
    assert "This report was already closed." in content(again)
    report.refresh_from_db()
    assert report.closing_note == "Called her: antipyretic advice, seen tomorrow 09:00."


@pytest.mark.parametrize("role", ["nurse", "reception"])
def test_a_nurse_or_receptionist_sees_a_report_but_cannot_close_it(client, reports, request, role):
    report = reports["fever"]
    client.force_login(request.getfixturevalue(role))
    url = reverse("aftercare:report_detail", args=[report.pk])
    page = content(client.get(url))
    assert "Fever or chills" in page and "Close with this note" not in page
    response = client.post(url, {"closing_note": "Closing it anyway."})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "open"


def test_report_pages_refuse_outsiders_and_anonymous_visitors(client, reports, outsider):
    urls = [reverse("aftercare:reports"), reverse("aftercare:report_detail", args=[reports["fever"].pk])]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[1], {"closing_note": "x"}).status_code == 403
    assert SideEffectReport.objects.get(pk=reports["fever"].pk).status == "open"


def test_the_dashboard_shows_the_open_report_count(client, reports, physician):
    client.force_login(physician)
    page = content(client.get("/"))
    assert '<div class="display-6" data-testid="open-reports">2</div>' in page
    assert "1 with a warning sign" in page
    services.report_close(report=reports["fever"], by=physician, note="Called.")
    page = content(client.get("/"))
    assert '<div class="display-6" data-testid="open-reports">1</div>' in page
    assert "with a warning sign" not in page


def test_a_signing_key_change_makes_old_links_invalid(client, session, settings):
    path = report_path(session)
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert client.get(path).status_code == 404
    with pytest.raises(signing.BadSignature):
        signing.loads(path.split("/")[2], salt="aftercare.report.v1")


def test_refreshing_the_thank_you_page_does_not_send_the_report_again(client, session):
    response = client.post(report_path(session), {"effects": ["redness"], "severity": "mild"})
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    for _ in range(2):  # the browser's refresh repeats the GET, not the POST
        assert "Thank you, we have your report" in content(client.get(response["Location"]))
    assert SideEffectReport.objects.count() == 1


def test_one_click_unsubscribe_works_without_a_form(session, patient):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)  # as a mail provider posts it (RFC 8058)
    response = mail_client.post(unsubscribe_path(patient), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.email_consent is False


def test_a_link_sending_report_after_report_is_told_to_call_and_the_physician_is_emailed_once_an_hour(
    client, session, smtp_server, eager_tasks, django_capture_on_commit_callbacks, settings
):
    """A forwarded or leaked link must not flood the clinic: the physician gets one urgent email an hour per
    session (every report is kept, escalated ones first in the list), and the link takes 10 reports a day."""
    settings.REPORTS_PER_SESSION_PER_DAY = 3
    urgent = {"effects": ["redness"], "warning_signs": ["fever"], "severity": "moderate"}
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(report_path(session), urgent, follow=True)
    assert SideEffectReport.objects.filter(session=session, escalated=True).count() == 3
    assert len(smtp_server.handler.messages) == 1

    fourth = client.post(report_path(session), {**urgent, "description": "Still feverish."})
    assert fourth.status_code == 200
    assert "We already have many reports from you today. Please call the clinic on +90 212 555 0100." in (
        content(fourth)
    )
    assert "Still feverish." in content(fourth)  # what was typed stays
    assert SideEffectReport.objects.filter(session=session).count() == 3
