"""The medicine matcher (patients/medicines.py): pure, run on the clinic's seeded lists (migration 0009).

Generic and brand names, typos, Turkish endings, both languages, and no false match on common words; then the
eligibility rule it feeds ("medicine_named") and the stored record and constraint through the service.
"""

import glob
import importlib
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients import medicines
from patients.eligibility import Outcome, assess
from patients.medicines import Kind, Name, distance, find
from patients.search import fold

_SEED = importlib.import_module("patients.migrations.0009_medicine_names_data")
SEEDED = tuple(Name(name, Kind(kind), generic) for generic, kind, names in _SEED.NAMES for name in names)
BT, NSAID = Kind.BLOOD_THINNER, Kind.NSAID


def read(text: str) -> list[tuple[str, str, Kind]]:
    """(word as written, generic, kind) of every match."""
    return [(m.written, m.name.generic, m.name.kind) for m in find(text, SEEDED)]


def generics(text: str) -> list[str]:
    return [m.name.generic for m in find(text, SEEDED)]


# --- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "generic", "kind"),
    [
        # Generics, English and Turkish spellings
        ("aspirin", "aspirin", BT),
        ("asetilsalisilik asit 100 mg", "aspirin", BT),
        ("acetylsalicylic acid", "aspirin", BT),
        ("clopidogrel 75mg", "clopidogrel", BT),
        ("klopidogrel", "clopidogrel", BT),
        ("prasugrel", "prasugrel", BT),
        ("tikagrelor", "ticagrelor", BT),
        ("dipyridamole", "dipyridamole", BT),
        ("warfarin 5 mg", "warfarin", BT),
        ("varfarin", "warfarin", BT),
        ("acenocoumarol", "acenocoumarol", BT),
        ("heparin iğnesi", "heparin", BT),
        ("enoksaparin", "enoxaparin", BT),
        ("apixaban", "apixaban", BT),
        ("rivaroksaban", "rivaroxaban", BT),
        ("dabigatran", "dabigatran", BT),
        ("edoxaban", "edoxaban", BT),
        ("ibuprofen", "ibuprofen", NSAID),
        ("naproksen sodyum", "naproxen", NSAID),
        ("diklofenak", "diclofenac", NSAID),
        ("ketoprofen gel", "ketoprofen", NSAID),
        ("deksketoprofen", "dexketoprofen", NSAID),
        ("flurbiprofen", "flurbiprofen", NSAID),
        ("meloxicam", "meloxicam", NSAID),
        ("etodolak", "etodolac", NSAID),
        ("indometazin", "indometacin", NSAID),
        ("indomethacin", "indometacin", NSAID),
        ("celecoxib", "celecoxib", NSAID),
        ("etoricoxib", "etoricoxib", NSAID),
        ("nimesulid", "nimesulide", NSAID),
        # Brands sold in Turkey
        ("Coraspin 100", "aspirin", BT),
        ("Ecopirin", "aspirin", BT),
        ("Plavix", "clopidogrel", BT),
        ("Coumadin", "warfarin", BT),
        ("Clexane 0.4", "enoxaparin", BT),
        ("Eliquis", "apixaban", BT),
        ("Xarelto 20", "rivaroxaban", BT),
        ("Pradaxa", "dabigatran", BT),
        ("Brilinta", "ticagrelor", BT),
        ("Nurofen", "ibuprofen", NSAID),
        ("Pedifen şurup", "ibuprofen", NSAID),
        ("Arveles", "dexketoprofen", NSAID),
        ("Majezik", "flurbiprofen", NSAID),
        ("Cataflam", "diclofenac", NSAID),
        ("Dolorex", "diclofenac", NSAID),
        ("Apranax fort", "naproxen", NSAID),
        ("Etol Fort", "etodolac", NSAID),
        ("Xefo", "lornoxicam", NSAID),
        ("Fastum jel", "ketoprofen", NSAID),
        # Brands sold in the UK
        ("Disprin", "aspirin", BT),
        ("Brilique", "ticagrelor", BT),
        ("Marevan", "warfarin", BT),
        ("Lixiana", "edoxaban", BT),
        ("Brufen", "ibuprofen", NSAID),
        ("Advil", "ibuprofen", NSAID),
        ("Voltarol", "diclofenac", NSAID),
        ("Voltaren Emulgel", "diclofenac", NSAID),
        ("Naprosyn", "naproxen", NSAID),
        ("Strefen lozenges", "flurbiprofen", NSAID),
        ("Arcoxia", "etoricoxib", NSAID),
        ("Celebrex", "celecoxib", NSAID),
    ],
)
def test_a_generic_or_brand_is_read_as_its_medicine(text, generic, kind):
    [match] = find(text, SEEDED)
    assert (match.name.generic, match.name.kind) == (generic, kind)


def test_every_seeded_name_reads_as_itself_in_a_sentence():
    assert len(SEEDED) > 100  # the loop below has something to check
    for name in SEEDED:
        [match] = find(f"I take {name.name} 100 mg every morning", SEEDED)
        assert match.name == name and match.written == name.name


def test_the_seeded_names_are_unique_single_words():
    keys = [name.key for name in SEEDED]
    assert len(keys) == len(set(keys))
    assert all(medicines.valid_name(name.name) for name in SEEDED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aspirin 100 mg daily", [("Aspirin", "aspirin", BT)]),
        ("aspirin100mg", [("aspirin", "aspirin", BT)]),
        ("ASPIRIN", [("ASPIRIN", "aspirin", BT)]),
        ("Coraspin'i bıraktım", [("Coraspin", "aspirin", BT)]),
        ("Nurofen/Advil", [("Nurofen", "ibuprofen", NSAID)]),  # one medicine, read once
        ("levothyroxine; Xarelto 20mg; Nurofen when needed", [("Xarelto", "rivaroxaban", BT),
                                                               ("Nurofen", "ibuprofen", NSAID)]),
        ("Günde bir Ecopirin ve bazen Arveles", [("Ecopirin", "aspirin", BT), ("Arveles", "dexketoprofen", NSAID)]),
        ("İBUPROFEN", [("İBUPROFEN", "ibuprofen", NSAID)]),  # the Turkish capital İ folds to i
        ("DİKLOFENAK", [("DİKLOFENAK", "diclofenac", NSAID)]),
        ("Aspirin and aspirin again", [("Aspirin", "aspirin", BT)]),
    ],
)
def test_words_are_cut_at_spaces_digits_and_punctuation_and_folded(text, expected):
    assert read(text) == expected


# --- typos -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "generic"),
    [
        ("Asprin", "aspirin"),  # a letter missing
        ("aspirn", "aspirin"),
        ("aspirinn", "aspirin"),  # a letter extra
        ("asipirin", "aspirin"),
        ("aspirim", "aspirin"),  # a letter wrong
        ("apsirin", "aspirin"),  # two neighbours swapped
        ("Nurafen", "ibuprofen"),
        ("Nurofne", "ibuprofen"),
        ("Brufn", "ibuprofen"),
        ("Plavx", "clopidogrel"),
        ("Plavox", "clopidogrel"),
        ("Coumadine", "warfarin"),
        ("warfrin", "warfarin"),
        ("Eliqius", "apixaban"),
        ("Xareltto", "rivaroxaban"),
        ("Majezic", "flurbiprofen"),
        ("Arvelles", "dexketoprofen"),
        ("Voltaran", "diclofenac"),
        ("Voltarem", "diclofenac"),
        ("ibuprophen", "ibuprofen"),  # 9 letters: two typos
        ("ibruprofen", "ibuprofen"),
        ("ibuprofem", "ibuprofen"),
        ("diclofenak", "diclofenac"),
        ("diklofenac", "diclofenac"),
        ("klopidogrell", "clopidogrel"),
        ("rivaroxoban", "rivaroxaban"),
        ("naproxin", "naproxen"),
    ],
)
def test_one_typo_from_five_letters_and_two_from_nine(written, generic):
    assert generics(f"{written} 1x1") == [generic]


def test_a_five_letter_name_forgives_one_typo_not_two():
    assert generics("Advel") == ["ibuprofen"]
    assert generics("Adwel") == []


@pytest.mark.parametrize(
    "written",
    [
        "Plavics",  # 6 letters: "cs" for "x" is two typos
        "asprn",  # 7 letters, two missing
        "Nrofn",
        "warfrn",
        "ibprfn",  # 9 letters, three typos
        "dklfnak",
    ],
)
def test_more_typos_than_the_name_allows_are_not_read(written):
    assert generics(written) == []


@pytest.mark.parametrize(("written", "name"), [("Etol", "Etol"), ("Xefo", "Xefo")])
def test_a_four_letter_name_is_read_only_as_written(written, name):
    assert [m.name.name for m in find(written, SEEDED)] == [name]
    assert find("Etal", SEEDED) == () and find("Xefa", SEEDED) == () and find("Xef", SEEDED) == ()


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("aspirini bıraktım", "aspirin"),
        ("nurofenle geçiyor", "ibuprofen"),
        ("coraspinden başka yok", "aspirin"),
        ("asprini her sabah", "aspirin"),  # a typo and an ending, for a name of 7 letters
        ("voltareni sürüyorum", "diclofenac"),
        ("Arvelesi kullandım", "dexketoprofen"),
        ("majezikle", "flurbiprofen"),
        ("advili", "ibuprofen"),  # a 5-letter name with an ending, no typo
    ],
)
def test_a_name_with_a_turkish_ending_is_read(text, generic):
    assert generics(text) == [generic]


def test_the_nearest_name_wins_and_an_exact_one_first():
    assert generics("dexketoprofen") == ["dexketoprofen"]  # not ketoprofen
    assert generics("ketoprofen") == ["ketoprofen"]
    assert generics("meloxicam") == ["meloxicam"] and generics("tenoxicam") == ["tenoxicam"]
    assert generics("Asasantin") == ["dipyridamole with aspirin"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("aspirin", "aspirin", 0),
        ("asprin", "aspirin", 1),
        ("apsirin", "aspirin", 1),  # a swap is one edit
        ("ibruprofen", "ibuprofen", 1),
        ("advil", "devil", 2),
        ("", "abc", 3),
        ("ca", "abc", 3),  # optimal string alignment: no edit of a swapped pair
    ],
)
def test_damerau_levenshtein_distance(a, b, expected):
    assert distance(a, b, 5) == expected
    assert distance(b, a, 5) == expected
    if expected:  # with a lower limit it stops early and says "more than the limit"
        assert distance(a, b, expected - 1) == expected


# --- no false matches ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I take vitamin D and iron",
        "Demir ilacı ve D vitamini kullanıyorum",
        "no medicines",
        "none",
        "Nothing",
        "yok",
        "Yok, hiçbir ilaç kullanmıyorum",
        "hiçbiri",
        "devil", "civil", "April", "anvil", "evil", "avid",  # near Advil
        "frozen shoulder, physiotherapy",  # near Froben
        "iodine tablets, mobile phone, advice",  # near Mobic, Advil
        "preserve, reserved",  # near Preservex
        "kural, koral, moral",  # near Keral
        "Paracetamol 500 mg when needed",  # not an NSAID
        "Parol, Panadol, Calpol, Tylol",  # paracetamol brands in Turkey and the UK
        "Novalgin",  # metamizole
        "Omega 3 balık yağı, magnezyum, çinko, B12",
        "Doğum kontrol hapı (Yasmin)",
        "Levotiron 50 mcg (Hashimoto)",
        "Euthyrox 100, Glifor 1000, Lustral",
        "metformin, ramipril, atorvastatin, omeprazole, sertraline",
        "Roaccutane bıraktım, sadece güneş kremi",
        "Vitamin C tablets, zinc, collagen drink",
        "antihistamine for hay fever (cetirizine)",
        "asthma inhaler (Ventolin), contraceptive pill",
        "Ağrı kesici kullanmıyorum",  # "painkiller": a question for the explicit one, no name
        "aspirinsiz bir ağrı kesici",  # an ending the lists do not know: not read ("without aspirin")
    ],
)
def test_ordinary_answers_in_english_and_turkish_name_nothing(text):
    assert find(text, SEEDED) == ()


def _words_of(paths: list[str]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        words |= set(re.findall(r"[^\W\d_]+", Path(path).read_text(encoding="utf-8")))
    return words


def test_no_word_of_the_clinics_texts_or_djangos_turkish_is_read_as_a_medicine_unless_it_is_one():
    """Thousands of English and Turkish words: the project's Turkish catalogue and Django's, the templates, and
    common English words. Those that name medicines on purpose are read as those medicines, and no other is read."""
    import django
    from faker.providers.lorem.en_US import Provider as EnglishWords

    root = Path(__file__).resolve().parent.parent
    django_root = Path(django.__file__).parent
    paths = [str(root / "locale/tr/LC_MESSAGES/django.po")]
    paths += glob.glob(str(django_root / "**/locale/tr/LC_MESSAGES/django.po"), recursive=True)
    paths += glob.glob(str(root / "templates/**/*.html"), recursive=True)
    words = _words_of(paths) | set(EnglishWords.word_list)
    assert len(words) > 5000
    read_as = {word: [m.name.name for m in find(word, SEEDED)] for word in words}
    misread = {word: names for word, names in read_as.items() if names and fold(word) not in {fold(n) for n in names}}
    # The texts name medicines in Turkish with an ending ("İbuprofene", "to ibuprofen"): those only.
    assert {fold(word) for word in misread} <= {"ibuprofene", "ibuprofeni"}


# --- the rule ------------------------------------------------------------------------------------------------

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
REASON = "Medicines named: Aspirin 100 mg daily (aspirin: a blood thinner): a physician must decide."


def screen(answers: dict):
    return assess(answers, date_of_birth=date(1990, 1, 1), at=AT, tz=UTC, medicine_names=SEEDED)


def test_aspirin_written_in_the_medicines_with_the_blood_thinner_question_no_needs_review():
    result = screen({"takes_blood_thinner": False, "takes_nsaid": False, "current_medicines": "Aspirin 100 mg daily"})
    assert result.outcome == Outcome.NEEDS_REVIEW
    [finding] = result.findings
    assert finding.code == "medicine_named" and finding.overridable
    assert finding.reason == REASON
    assert [(n.key, n.match.written) for n in result.medicines_named] == [("current_medicines", "Aspirin")]


def test_every_medicine_named_is_in_the_reason_with_its_kind():
    [finding] = screen({"current_medicines": "Xarelto 20 mg, Nurofen when needed"}).findings
    assert "(rivaroxaban: a blood thinner, ibuprofen: an NSAID)" in finding.reason


def test_a_follow_up_naming_its_own_kind_is_the_explicit_findings_alone():
    result = screen({"takes_blood_thinner": True, "blood_thinner_name": "Coumadin 5 mg"})
    assert [f.code for f in result.findings] == ["blood_thinner"]
    assert [n.match.name.generic for n in result.medicines_named] == ["warfarin"]  # still marked on the page


def test_an_nsaid_named_as_the_blood_thinner_is_its_own_finding():
    result = screen({"takes_blood_thinner": True, "blood_thinner_name": "Majezik", "takes_nsaid": False})
    assert [f.code for f in result.findings] == ["blood_thinner", "medicine_named"]
    assert "Majezik (flurbiprofen: an NSAID)" in result.findings[1].reason


def test_a_blood_thinner_in_the_medicines_beside_an_explicit_nsaid_still_fires():
    result = screen({"takes_nsaid": True, "nsaid_name": "ibuprofen", "current_medicines": "Plavix"})
    assert [f.code for f in result.findings] == ["nsaid", "medicine_named"]


def test_without_the_lists_nothing_is_read():
    assert assess({"current_medicines": "Aspirin"}, date_of_birth=date(1990, 1, 1), at=AT, tz=UTC,
                  medicine_names=()).outcome == Outcome.ELIGIBLE


def test_an_inactive_or_added_name_is_the_clinics_to_choose():
    extra = Name("Ketonal", NSAID, "ketoprofen")
    assert find("Ketonal", SEEDED) == ()
    assert [m.name for m in find("ketonal retard", (*SEEDED, extra))] == [extra]


@given(
    before=st.sampled_from(["", "Levotiron 50, ", "günde bir ", "I take "]),
    name=st.sampled_from(SEEDED),
    after=st.sampled_from(["", " 100 mg", " daily", "'i", " ara sıra"]),
)
def test_any_seeded_name_in_the_medicines_is_never_plain_eligible(before, name, after):
    result = screen({"current_medicines": f"{before}{name.name}{after}"})
    assert result.outcome != Outcome.ELIGIBLE
    assert "medicine_named" in [f.code for f in result.findings]
