"""Pure text rules of the registry search: folding names for Turkish, and phone numbers in E.164.

`fold` is applied both to what is stored (`Patient.search_text`, kept in step by the model) and to what is
typed, so that one plain substring match on the folded column finds "Şimşek" for "simsek", "ŞİMŞEK" or
"şimşek" on PostgreSQL and SQLite alike (SQLite's LIKE and LOWER know ASCII only; PostgreSQL's depend on the
database's locale, and neither knows that the capital of "i" is "İ" in Turkish).
"""

import unicodedata

import phonenumbers

# Turkish has two i's: i/İ (dotted) and ı/I (dotless). Python's lower() makes "İ" "i" + a combining dot and
# leaves "ı" alone. Both are folded to "i" before anything else, and so is "I": the registry cannot know whether
# a capital I typed on a non-Turkish keyboard meant "ı" or "i", so "ISIK", "Isik" and "Işık" are one on purpose.
_DOTTED_AND_DOTLESS = str.maketrans({"İ": "i", "I": "i", "ı": "i"})


def fold(text: str) -> str:
    """`text` for matching: Turkish-aware lower case without diacritics ("ŞİMŞEK" -> "simsek", "Çağlar" ->
    "caglar", "Işık" -> "isik", "Müller" -> "muller"), spaces collapsed. Letters without a decomposition
    (ø, ł, æ, other scripts) are kept as they are, lower-cased: no merges beyond the accents."""
    lowered = text.translate(_DOTTED_AND_DOTLESS).casefold()
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare).split())


def search_text(*, given_name: str, family_name: str, email: str) -> str:
    """What `Patient.search_text` holds: the folded names and email, one space apart. Words typed in a search
    never hold a space, so a word is in this text exactly when it is in one of the three."""
    return " ".join(part for part in (fold(given_name), fold(family_name), fold(email)) if part)


def e164(number: str, *, region: str) -> str | None:
    """`number` as typed ("0532 111 22 33", "+90 532 111 2233", "5321112233" in region "TR") in E.164
    ("+905321112233"), or None when it is not a valid number there."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_shown(number: str) -> str:
    """An E.164 number for reading ("+90 532 111 22 33"); anything else (an old unparseable row) as stored."""
    if not number.startswith("+"):
        return number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(typed: str) -> str:
    """The digits to look for in the stored digits of E.164 numbers: without the leading zeros of a trunk prefix
    ("0532 111" -> "532111") or of an international one ("0090 532 ..." -> "90532..."), so that a national,
    an international and a bare number all find "+905321112233"."""
    return "".join(ch for ch in typed if ch.isdigit()).lstrip("0")
