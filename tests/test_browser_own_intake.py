"""The patient's own part on a phone (390 x 844), in English and Turkish (issue 15): she answers, leaves, comes back,
submits; signs her consent with a finger-drawn signature (mouse moves); the physician sees the screening 'answered
by the patient'; reception prints the consent with her signature and the text version. Screenshots of each step
are left in var/screenshots/ (own-intake-<language>-<step>.png) for a person to look at."""

import pytest
from django.urls import reverse

from patients import questionnaire
from patients.invitations import invitation_create
from patients.models import EligibilityScreening, Patient
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from treatments.models import Consent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(chromium, live_server):
    contexts = []

    def open_phone(language: str):
        context = chromium.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
            base_url=live_server.url, locale="tr-TR" if language == "tr" else "en-GB", timezone_id="Europe/Istanbul",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def shot(page, language: str, step: str) -> None:
    page.screenshot(path=screenshot_path(f"own-intake-{language}-{step}"), full_page=True)


def answer_section(page, number: int, **yes: str) -> None:
    """Answer section `number` (0-based) as a patient does: "No" to each question (by its big button), "none" in
    each text box; a question in `yes` gets "Yes" and its follow-up's text."""
    section = questionnaire.SECTIONS[number]
    for question in section.questions:
        if question.kind == "text":
            page.locator(f"#id_{question.key}").fill("none")
        elif question.key in yes:
            page.locator(f'label[for="id_{question.key}_0"]').tap()
            follow = question.follow_ups[0]
            page.locator(f"#id_{follow.key}").fill(yes[question.key])  # shown at once by intake.js
            for other in question.follow_ups[1:]:
                page.locator(f'label[for="id_{other.key}_1"]').tap()
        else:
            page.locator(f'label[for="id_{question.key}_1"]').tap()


def press(page, selector: str = "button.btn-primary") -> None:
    """Tap a button that posts the page, and wait for the next one."""
    with page.expect_navigation():
        page.locator(selector).tap()


def draw_signature(page) -> None:
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()  # in the viewport's coordinates, as the mouse moves
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(x + 30 + step * 12, y + box["height"] * (0.3 if step % 2 else 0.7), steps=3)
    page.mouse.up()


@pytest.mark.parametrize("language", ["en", "tr"])
def test_she_answers_leaves_comes_back_submits_and_signs_on_her_phone(
    phone, live_server, language, reception, physician, chromium
):
    patient = Patient.objects.create(
        given_name="Elif" if language == "tr" else "Emma", family_name="Kaya" if language == "tr" else "Brown",
        date_of_birth="1966-03-02", sex="female", email="her@example.com", preferred_language=language,
    )
    _invitation, token = invitation_create(patient=patient, created_by=reception, channel="link")
    page = phone(language)
    page.goto(reverse("intake:start", args=[token]))
    assert page.locator("html").get_attribute("lang") == language
    shot(page, language, "1-welcome")
    page.locator("a.btn-primary").tap()

    # Part 1, with a medicine she takes; "Next" with an answer missing shows it at the question.
    page.locator("#id_medical_history").fill("none")
    press(page)
    assert page.url.endswith("/section/1/") and page.locator("#id_medical_history").input_value() == "none"
    assert page.locator(".is-invalid").count() >= 1
    shot(page, language, "2-missing-answer")
    answer_section(page, 0, takes_nsaid="Ibuprofen 400 mg")
    buttons = [label for label in page.locator(".yes-no label").all() if label.is_visible()]
    assert len(buttons) >= 8
    for label in buttons:
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a thumb's touch target
    shot(page, language, "3-part-1")
    press(page)
    answer_section(page, 1)
    press(page)

    # She leaves (closes the page) and comes back to her link later: on where she stopped, answers kept.
    page.goto("about:blank")
    page.goto(reverse("intake:start", args=[token]))
    shot(page, language, "4-come-back")
    press(page, "a.btn-primary")
    assert page.url.endswith("/section/3/")
    press(page, "button[name=back]")
    assert page.url.endswith("/section/2/")
    assert page.locator("#id_allergy_to_local_anaesthetic_1").is_checked()  # part 2 as she left it
    press(page)
    for number in range(2, len(questionnaire.SECTIONS)):
        answer_section(page, number)
        press(page)

    # The summary, then send.
    page.wait_for_url("**/summary/")
    assert "Ibuprofen 400 mg" in page.content()
    shot(page, language, "5-summary")
    press(page, "form button.btn-primary")

    # Her consent in her language: an empty pad is refused, then she draws and signs.
    page.wait_for_url("**" + reverse("treatments:consent_sign", args=[token]))
    title = "Mezoterapi için bilgilendirilmiş onam" if language == "tr" else "Informed consent to mesotherapy"
    assert page.get_by_role("heading", name=title).is_visible()
    page.locator("#id_signed_name").fill(patient.full_name)
    press(page, "form button.btn-primary")
    page.locator("#signature-error").wait_for()
    assert page.locator("#id_signed_name").input_value() == patient.full_name
    draw_signature(page)
    shot(page, language, "6-consent-signed")
    press(page, "form button.btn-primary")
    shot(page, language, "7-photo-consent")
    page.locator('label[for="scope_record"]').tap()
    press(page, "form button.btn-primary")
    page.wait_for_url("**" + reverse("intake:done", args=[token]))
    shot(page, language, "8-thank-you")

    screening = EligibilityScreening.objects.get(patient=patient)
    assert screening.answered_by == "patient_link" and [f["code"] for f in screening.findings] == ["nsaid"]
    consent = Consent.objects.get(patient=patient)
    assert consent.text.language == language and consent.signed_name == patient.full_name

    # The physician's review queue says who answered; reception prints the consent with her signature.
    staff = chromium.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url, locale="en-GB")
    desk = staff.new_page()
    sign_in(desk, physician.username, PASSWORD)
    desk.goto(reverse("patients:review_queue"))
    row = desk.locator("tr", has_text=patient.full_name)
    assert row.get_by_test_id("answered-by").inner_text() == "Answered by the patient"
    shot(desk, language, "9-review-queue")
    desk.goto(reverse("treatments:consent_print", args=[consent.pk]))
    assert "version 1" in desk.get_by_test_id("text-version").inner_text()
    signature = desk.get_by_test_id("signature")
    assert signature.evaluate("img => img.complete && img.naturalWidth > 100")
    shot(desk, language, "10-printed-consent")
    staff.close()
