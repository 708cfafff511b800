"""Blood thinners and NSAIDs named in free text (issue 15; docs/clinical-rules.md, "Medicines named").

Pure code: the names come in as data (patients.MedicineName, which the clinic extends in the admin site; the
seeded list is in migration 0009), so the matcher can be tested exhaustively without a database. A patient
writes "Aspirin 100 mg daily", "Coraspin", "nurofen ara sıra" or "Asprin" where the questionnaire asks for her
medicines; the eligibility rules (patients/eligibility.py) send every match to a physician.

How a word is matched to a name:
- Both are folded as the registry's search folds names (patients/search.py `fold`: case and accents, the
  Turkish i's), and the text is cut into words at anything that is not a letter ("Aspirin100mg" -> "aspirin").
- A word is the name, or differs from it by at most one typo (one letter wrong, missing, extra, or two
  neighbours swapped: Damerau-Levenshtein distance 1) for a name of 5 letters or more, two for 9 or more.
  Shorter names ("Etol", "Xefo") must be written exactly: one letter off, they are other words.
- A word may carry a Turkish ending after a name of 5 letters or more ("aspirini", "nurofenle": TURKISH_ENDINGS).
- A typo match is never taken for a word of fewer than 5 letters, nor for a common English or Turkish word
  (STOP_WORDS: "anvil" is not "Advil", "kural" not "Keral"); an exact match always counts.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy

from .search import fold


class Kind(StrEnum):
    BLOOD_THINNER = "blood_thinner"
    NSAID = "nsaid"

    @property
    def label(self) -> str:
        """'a blood thinner' / 'an NSAID', in the active language, as a reason says it."""
        return str(_KIND_WORDS[self])


_KIND_WORDS = {
    Kind.BLOOD_THINNER: gettext_lazy("a blood thinner"),
    Kind.NSAID: gettext_lazy("an NSAID"),
}

MIN_NAME_LETTERS = 4  # shorter names are abbreviations ("ASA") that common words and doses collide with
MIN_TYPO_LETTERS = 5  # a name or a word shorter than this is matched exactly or not at all
MIN_TYPO_WITH_ENDING = 7  # a name shorter than this, with a Turkish ending, is matched only without a typo

# Common words, folded, that are one or two typos from a name on the lists: never read as that name. Found by
# running the matcher over the English and Turkish words of the project's catalogues (tests/test_medicines.py
# keeps them clean); extend it when a clinic adds a name that a common word falls near.
STOP_WORDS = frozenset(
    {
        "anvil",  # Advil
        "frozen",  # Froben ("frozen shoulder")
        "kural", "koral",  # Keral (Turkish: rule, coral)
        "preserve", "preserved", "preserves", "reserve", "reserved", "reserves",  # Preservex
    }
)

# Turkish adds case and other endings to a word, without an apostrophe as often as with one ("aspirini
# bıraktım", "nurofenle", "coraspinden"): a word that is a name of MIN_TYPO_LETTERS or more with one of these
# endings (folded) is read as that name. Longest first, so that "-den" is tried before "-n".
TURKISH_ENDINGS = tuple(
    sorted(
        {
            "i", "u", "e", "a", "yi", "yu", "ye", "ya", "in", "un", "nin", "nun", "si", "su",
            "de", "da", "te", "ta", "den", "dan", "ten", "tan", "le", "la", "yle", "yla", "ile",
            "ler", "lar", "leri", "lari", "dir", "dur", "tir", "tur",
        },
        key=len,
        reverse=True,
    )
)

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Name:
    """One name on the lists: a generic ("ibuprofen") or a brand ("Nurofen"), with its generic and kind."""

    name: str
    kind: Kind
    generic: str

    @property
    def key(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class Match:
    """A word of the text that names a medicine on the lists."""

    written: str  # the word as she wrote it ("Asprin")
    name: Name  # the name it was read as ("Aspirin")

    def describe(self) -> str:
        """'aspirin: a blood thinner', in the active language for the kind."""
        return f"{self.name.generic}: {self.name.kind.label}"


def valid_name(name: str) -> bool:
    """A name the lists can hold: one word of letters, at least MIN_NAME_LETTERS long once folded."""
    folded = fold(name)
    return bool(_WORD.fullmatch(folded)) and len(folded) >= MIN_NAME_LETTERS


def tolerance(length: int) -> int:
    """The typos allowed in a word read as a name of `length` letters."""
    if length >= 9:
        return 2
    if length >= MIN_TYPO_LETTERS:
        return 1
    return 0


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: a swap of neighbours is one edit), or limit + 1
    as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def find(text: str, names: Iterable[Name], *, stop_words: frozenset[str] = STOP_WORDS) -> tuple[Match, ...]:
    """Every word of `text` that names a medicine of `names`, in the order written, each medicine (generic) once.

    A word matching several names is read as the nearest one (an exact match first, then the fewest typos,
    then the list's order).
    """
    by_key: dict[str, Name] = {}
    for listed in names:
        by_key.setdefault(listed.key, listed)
    found: dict[str, Match] = {}
    for written in _WORD.findall(text):
        word = fold(written)
        if len(word) < MIN_NAME_LETTERS:
            continue
        name = by_key.get(word)
        if name is None and word not in stop_words:
            name = _nearest(word, by_key) or _with_ending(word, by_key)
        if name is not None and fold(name.generic) not in found:
            found[fold(name.generic)] = Match(written=written, name=name)
    return tuple(found.values())


def _with_ending(word: str, by_key: dict[str, Name]) -> Name | None:
    """A name with a Turkish ending: "aspirini" -> aspirin, "nurofenle" -> Nurofen; with a typo too for a name of
    MIN_TYPO_WITH_ENDING letters or more ("asprinden"): a shorter one with a typo and an ending is too many other
    words ("advice" is "advic" + "e", one typo from Advil; "mobile" one from Mobic)."""
    for ending in TURKISH_ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and len(stem) >= MIN_TYPO_LETTERS:
            name = by_key.get(stem) or _nearest(stem, by_key, min_name=MIN_TYPO_WITH_ENDING)
            if name is not None:
                return name
    return None


def _nearest(word: str, by_key: dict[str, Name], *, min_name: int = MIN_TYPO_LETTERS) -> Name | None:
    if len(word) < MIN_TYPO_LETTERS:
        return None
    best: tuple[int, Name] | None = None
    for key, name in by_key.items():
        limit = tolerance(len(key)) if len(key) >= min_name else 0
        if limit == 0:
            continue
        d = distance(word, key, limit)
        if d <= limit and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None
