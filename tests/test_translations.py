"""The staff interface in Turkish: the shipped catalogue is complete, and pages really show it.

The catalogue locale/tr/LC_MESSAGES/django.po is the only home of the Turkish texts; it and its compiled
.mo are committed, and `make messages` refreshes both (README, "Translations"). These tests fail when a
text marked for translation has no Turkish yet, when a translation lost a placeholder, when `make messages`
would lose a translator's edit, or when a staff page still shows English to a Turkish user.
"""

import re
import shlex
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from patients.services import screening_take
from tests.fixtures.treatments import answers

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "tr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Left out of the copy of the project that makemessages scans here: large folders with no marked text.
NOT_COPIED = (".*", "node_modules", "var", "staticfiles", "docs", "test-results", "*.egg-info", "__pycache__")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


def _open_entries(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def _make_flags(name: str) -> list[str]:
    """The flags the Makefile's `make messages` passes, so that these tests run what a translator runs."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    found = re.search(rf"^{name} := (.+)$", makefile, re.MULTILINE)
    assert found, f"{name} is not in the Makefile"
    return shlex.split(found.group(1))


@pytest.fixture
def project_copy(tmp_path, settings, monkeypatch) -> Path:
    """A copy of the project's sources and catalogue, where `make messages` may run without touching ours."""
    assert shutil.which("xgettext"), "GNU gettext is needed (Debian package gettext; `make test` installs it)"
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    return copy


def _make_messages() -> None:
    call_command("makemessages", *_make_flags("MAKEMESSAGES_FLAGS"), verbosity=0)
    call_command("compilemessages", *_make_flags("COMPILEMESSAGES_FLAGS"), verbosity=0)


def test_the_turkish_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(PO))
    assert len(po) > 500  # the staff interface, not only the patient pages
    assert _open_entries(po) == []
    assert [e.msgid for e in po if e.obsolete] == []


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    """The .mo is committed (no compile step at set-up): it must hold exactly what the .po says."""
    po, mo = polib.pofile(str(PO)), polib.mofile(str(MO))
    shipped = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo if e.msgid}
    assert compiled == shipped


def test_every_text_marked_for_translation_is_in_the_shipped_catalogue(project_copy):
    """`make messages` on a copy of the project finds nothing new and nothing stale."""
    _make_messages()

    merged = polib.pofile(str(project_copy / "locale" / "tr" / "LC_MESSAGES" / "django.po"))
    shipped = polib.pofile(str(PO))
    assert _open_entries(merged) == [], (
        "marked texts with no Turkish: run `make messages`, translate them in locale/tr/LC_MESSAGES/django.po, "
        "run `make messages` again"
    )
    assert {(e.msgctxt, e.msgid) for e in merged} == {(e.msgctxt, e.msgid) for e in shipped}


def test_a_translators_edit_in_the_po_file_survives_make_messages(project_copy):
    """A fix made in the .po (by hand, Poedit or Weblate) is kept when new texts come in, and compiled."""
    po_path = project_copy / "locale" / "tr" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    before = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    po.find("Patients").msgstr = "Hasta kayıtları"
    po.save()
    (project_copy / "patients" / "added_today.py").write_text(
        'from django.utils.translation import gettext as _\n\nTEXT = _("A text marked after the translation")\n'
    )

    _make_messages()

    merged = polib.pofile(str(po_path))
    assert merged.find("Patients").msgstr == "Hasta kayıtları"
    assert "A text marked after the translation" in _open_entries(merged)
    kept = {(e.msgctxt, e.msgid): e.msgstr for e in merged if (e.msgctxt, e.msgid) in before}
    assert len(kept) > 500
    assert kept == {key: before[key] for key in kept} | {(None, "Patients"): "Hasta kayıtları"}
    assert polib.mofile(str(po_path.with_suffix(".mo"))).find("Patients").msgstr == "Hasta kayıtları"


def test_translations_keep_every_placeholder_of_the_english_text():
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            english = sorted(PLACEHOLDER.findall(entry.msgid_plural))
            turkish = [sorted(PLACEHOLDER.findall(text)) for text in entry.msgstr_plural.values()]
        else:
            english = sorted(PLACEHOLDER.findall(entry.msgid))
            turkish = [sorted(PLACEHOLDER.findall(entry.msgstr))]
        if any(set(found) != set(english) for found in turkish):
            wrong.append(entry.msgid)
    assert wrong == []


def test_the_month_of_a_patch_test_reason_follows_the_language():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from treatments.patch_tests import PatchTestRules, read_refusal

    applied = dt.datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("Europe/Istanbul"))
    early = {"applied_at": applied, "read_at": applied, "rules": PatchTestRules(), "tz": applied.tzinfo}
    with translation.override("en"):
        assert read_refusal(**early) == (
            "Too early: this patch test can be read from 25 Nov 2026 09:30 (24 hours after it was applied)."
        )
    with translation.override("tr"):
        assert read_refusal(**early) == (
            "Çok erken: bu yama testi 25 Kas 2026 09:30 itibarıyla okunabilir (uygulamadan 24 saat sonra)."
        )


@pytest.fixture
def turkish_physician(client, physician):
    """Dr. Yılmaz's browser asks for Turkish; he has not chosen a language of his own."""
    client.force_login(physician)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "tr"
    return client


@pytest.fixture
def screening(reception, patient):
    """Zeynep's intake says she takes ibuprofen: it waits for a physician (stored in English)."""
    with translation.override("tr"):  # whoever took it, the record is kept in English
        return screening_take(patient=patient, answers=answers(takes_nsaid=True, nsaid_name="ibuprofen"),
                              taken_by=reception)


NAVBAR_EN = ["Dashboard", "Patients", "Review queue", "Calendar", "Patch tests", "Catalogue", "Sign out"]
NAVBAR_TR = ["Ana sayfa", "Hastalar", "Onay bekleyenler", "Takvim", "Yama testleri", "Katalog", "Çıkış yap"]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _visible_text(html: str) -> str:
    """Words a person reads: no tags, no attribute values (class names are English on purpose)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _assert_turkish(html: str, expected: list[str], english: list[str]) -> None:
    text = _visible_text(html)
    assert '<html lang="tr">' in html
    for words in NAVBAR_TR + expected:
        assert words in text, words
    for words in NAVBAR_EN + english:
        assert not re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", text), words


def test_the_dashboard_in_turkish(turkish_physician, screening):
    html = _page(turkish_physician, "/")
    _assert_turkish(
        html,
        ["İyi günler, Mehmet", "Giriş yapılan rol: Hekim", "Kayıtlı hasta", "Onayınızı bekleyen taramalar"],
        ["Good day", "Signed in as", "Patients in the registry", "Screenings awaiting your review"],
    )


def test_the_patient_list_and_page_in_turkish(turkish_physician, screening, patient):
    listing = _page(turkish_physician, "/patients/")
    _assert_turkish(listing, ["Ad soyad", "Doğum tarihi", "Ad, telefon veya e-postayla arayın"],
                    ["Name", "Date of birth", "Search by name, phone or email", "Search"])
    page = _page(turkish_physician, f"/patients/{patient.pk}/")
    _assert_turkish(
        page,
        ["Doğum: 12 Nisan 1988", "Uygunluk", "Hekim onayı bekleniyor", "Hekim incelemesi gerekli",
         "Tarama geçmişi", "Kuralların sonucu", "Hekim kararı", "1 bulgu", "Bakım e-postaları", "Kürler",
         "Yama testleri", "Onamlar", "Seanslar"],
        ["Eligibility", "Awaiting physician review", "Needs physician review", "Screening history",
         "Rules' outcome", "Physician's decision", "1 finding", "Aftercare emails", "Courses", "Consents",
         "Sessions", "Next steps", "Details"],
    )


def test_the_review_queue_and_the_screening_in_turkish(turkish_physician, screening):
    queue = _page(turkish_physician, "/patients/reviews/")
    _assert_turkish(queue, ["İnceleme bekleyen taramalar", "Bulgular", "Antiinflamatuvar ilaç kullanıyor"],
                    ["Screenings awaiting review", "Findings", "Takes an anti-inflammatory drug"])
    page = _page(turkish_physician, f"/patients/screenings/{screening.pk}/")
    _assert_turkish(
        page,
        ["Uygunluk taraması: Zeynep Arslan", "Hasta antiinflamatuvar ağrı kesici (NSAİİ) kullanıyor mu?",
         "Evet", "Antiinflamatuvar ilaç kullanıyor (ibuprofen): tedavi öncesi talimatlara göre",
         "Verilen yanıtlar", "Kararı kaydet"],
        ["Eligibility screening", "Does the patient take anti-inflammatory painkillers (NSAIDs)?",
         "Takes an anti-inflammatory drug", "Answers as given", "Record decision"],
    )
    # The record itself stays as it was stored, in English.
    screening.refresh_from_db()
    assert screening.findings[0]["reason"].startswith("Takes an anti-inflammatory drug (ibuprofen)")
    assert ["Medical history and medicines", "Does the patient take anti-inflammatory painkillers (NSAIDs)?",
            "Yes", False] in screening.answer_record


def test_the_calendar_in_turkish(turkish_physician):
    html = _page(turkish_physician, "/treatments/calendar/?date=2026-11-24&view=day")
    _assert_turkish(html, ["Takvim", "Önceki gün", "Sonraki gün", "Uygulayıcılar", "Odalar"],
                    ["Previous day", "Next day", "Practitioners", "Rooms"])


def test_the_same_pages_stay_english_for_an_english_browser(client, physician, screening, patient):
    client.force_login(physician)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = _page(client, f"/patients/{patient.pk}/")
    text = _visible_text(html)
    assert '<html lang="en">' in html
    for words in NAVBAR_EN + ["Awaiting physician review", "Screening history", "1 finding"]:
        assert words in text
    queue = _visible_text(_page(client, "/patients/reviews/"))
    assert "Takes an anti-inflammatory drug (ibuprofen): pre-treatment" in queue
