"""Consent signed by the patient herself (issue 15): in her language, typed name and drawn signature, photo consent
apart, one consent per link, the printable consent with the text version and her signature."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from patients.invitations import invitation_create
from patients.models import IntakeInvitation
from tests.test_own_intake import answer_everything
from treatments.models import Consent, ConsentText, PhotoConsent, SignedOn
from treatments.selectors import current_consent_text
from treatments.signing import SignatureRefused, signature_png

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"


def png_data_url(*, drawn: bool = True, size=(600, 200)) -> str:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    if drawn:
        ImageDraw.Draw(image).line([(20, 150), (120, 40), (220, 160), (320, 50), (520, 140)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=None)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("value", ["", "data:image/png;base64,", "data:image/png;base64,!!!", "hello",
                                   png_data_url(drawn=False)])
def test_an_empty_or_broken_signature_is_refused(value):
    with pytest.raises(SignatureRefused) as refused:
        signature_png(value)
    assert refused.value.errors == {"signature": "Please sign in the box with your finger (or the mouse)."}


def test_a_drawn_signature_is_kept_as_a_fresh_png():
    content = signature_png(png_data_url())
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "PNG" and image.size == (600, 200)


def test_the_consent_text_in_force_is_the_one_in_her_language(db):
    assert current_consent_text(language="tr").title == "Mezoterapi için bilgilendirilmiş onam"
    assert current_consent_text(language="en").title == "Informed consent to mesotherapy"
    assert ConsentText.objects.filter(version="1").count() == 2


@pytest.fixture
def submitted(client, patient, reception):
    """Her intake answered and sent through her link: the consent is the next page."""
    patient.preferred_language = "tr"
    patient.save()
    _invitation, token = invitation_create(patient=patient, created_by=reception, channel="link")
    answer_everything(client, token)
    response = client.post(reverse("intake:summary", args=[token]))
    assert response["Location"] == reverse("treatments:consent_sign", args=[token])
    return token


def test_she_signs_in_her_language_and_an_empty_pad_is_refused(client, submitted, reception):
    url = reverse("treatments:consent_sign", args=[submitted])
    page = client.get(url).content.decode()
    text = ConsentText.objects.get(version="1", language="tr")
    assert text.title in page and '<html lang="tr">' in page
    empty = {"text": text.pk, "signed_name": "Zeynep Arslan", "signature": ""}
    refused = client.post(url, empty, HTTP_USER_AGENT=PHONE)
    assert refused.status_code == 200 and "Lütfen kutunun içine parmağınızla" in refused.content.decode()  # in Turkish
    assert 'value="Zeynep Arslan"' in refused.content.decode()  # her typed name is kept
    assert not Consent.objects.exists()
    signed = client.post(url, {"text": text.pk, "signed_name": " Zeynep  Arslan ", "signature": png_data_url()},
                         HTTP_USER_AGENT=PHONE)
    assert signed["Location"] == reverse("treatments:photo_consent_sign", args=[submitted])
    again = client.post(url, {"text": text.pk, "signed_name": "Zeynep Arslan", "signature": png_data_url()})
    assert again.status_code == 302  # a double tap: one consent
    consent = Consent.objects.get()
    assert (consent.text, consent.signed_name, consent.device, consent.user_agent) == (
        text, "Zeynep Arslan", SignedOn.PHONE, PHONE)
    assert consent.recorded_by == reception and bytes(consent.signature_png).startswith(b"\x89PNG")
    # The photo consent: a separate question, a separate row.
    photos = reverse("treatments:photo_consent_sign", args=[submitted])
    assert client.post(photos, {}).status_code == 200 and not PhotoConsent.objects.exists()
    done = client.post(photos, {"scope": "record"})
    assert done["Location"] == reverse("intake:done", args=[submitted])
    assert PhotoConsent.objects.get().scope == PhotoConsent.Scope.RECORD
    client.get(done["Location"])
    assert IntakeInvitation.objects.get().spent_at is not None
    assert client.get(url).status_code == 410


def test_a_missing_name_is_shown_at_the_field(client, submitted):
    text = ConsentText.objects.get(version="1", language="tr")
    response = client.post(reverse("treatments:consent_sign", args=[submitted]),
                           {"text": text.pk, "signed_name": "", "signature": png_data_url()})
    assert response.status_code == 200 and 'id="id_signed_name_error"' in response.content.decode()
    assert not Consent.objects.exists()


def test_the_printed_consent_shows_the_text_version_and_her_signature(client, submitted, reception):
    text = ConsentText.objects.get(version="1", language="tr")
    client.post(reverse("treatments:consent_sign", args=[submitted]),
                {"text": text.pk, "signed_name": "Zeynep Arslan", "signature": png_data_url()})
    consent = Consent.objects.get()
    client.force_login(reception)
    page = client.get(reverse("treatments:consent_print", args=[consent.pk])).content.decode()
    assert text.body.splitlines()[0][:60] in page and "version 1 (Turkish)" in page
    assert 'src="data:image/png;base64,' in page and "Zeynep Arslan" in page
    staff_page = client.get(reverse("treatments:consent", args=[consent.patient_id])).content.decode()
    assert reverse("treatments:consent_print", args=[consent.pk]) in staff_page
    assert text.title in staff_page  # the staff's consent page shows the text in her language too
