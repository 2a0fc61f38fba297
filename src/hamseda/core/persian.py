"""Persian text in one place: normalisation for display and storage, search keys,
sort keys and digits.

Two levels, on purpose:

- ``normalize`` is what we *store and show*. It fixes what is wrong in any Persian
  text (Arabic ي/ك, Arabic-Indic digits, stray spaces and half-spaces) and changes
  nothing a reader would want kept (Latin digits in emails, phone numbers and URLs,
  diacritics, hamza).
- ``search_key`` / ``compact_key`` / ``query_terms`` are what we *match on*. They fold
  every spelling variant a user or an agency's letterhead may produce onto one key,
  and are never shown.

Everything is ``str.translate`` with tables built once at import plus a few regexes
compiled once: these run on every save of a record and on every search keystroke.
hazm/parsivar are deliberately not used (see STACK.md, "Persian text").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from persiantools import digits as pt_digits

__all__ = [
    "compact_key",
    "en_digits",
    "fa_digits",
    "format_number",
    "normalize",
    "query_terms",
    "search_key",
    "sort_key",
]

ZWNJ = "\u200c"
ZWJ = "\u200d"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

# The Persian alphabet in dictionary order. ``sort_key`` depends on this order.
PERSIAN_ALPHABET = "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

# --- normalize ---------------------------------------------------------------------

# persiantools has the digit tables (reused below); its ``characters.ar_to_fa`` is a
# regex per call that also strips kasra after some letters, which is a display
# change we do not want, so the letter mappings are written here.
_NORMALIZE_TABLE: dict[int, int | str | None] = {
    **pt_digits.AR_TO_FA_MAP,  # ٠-٩ → ۰-۹; Latin digits deliberately left alone
    ord("ي"): "ی",  # U+064A Arabic yeh
    ord("ى"): "ی",  # U+0649 Arabic alef maksura
    ord("ك"): "ک",  # U+0643 Arabic kaf
    ord("ە"): "ه",  # U+06D5 ae (Kurdish he), pasted from Kurdish keyboards
}

# A ZWNJ only means something between two letters of a word; diacritics count as
# part of the letter they sit on.
_WORD_CHAR = r"(?:[^\W_]|[\u064b-\u065f\u0670])"
# Browsers submit textareas with CRLF; only \n is a line break from here on.
_CR_RE = re.compile(r"\r\n?")
_ZWNJ_RUN_RE = re.compile(ZWNJ + "{2,}")
_STRAY_ZWNJ_RE = re.compile(rf"(?<!{_WORD_CHAR}){ZWNJ}|{ZWNJ}(?!{_WORD_CHAR})")
# Every whitespace character except the line break: tabs, NBSP, thin spaces ...
_HSPACE_RE = re.compile(r"[^\S\n]+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +(?=[،؛:.!؟?])")
_TRAILING_SPACE_RE = re.compile(r" +\n")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """Return ``text`` fit to store and display.

    Arabic ي ى ك ە become Persian ی ک ه, Arabic-Indic digits become Persian digits
    (Latin digits are kept: emails, URLs, phone numbers); runs of spaces/tabs become
    one space, trailing spaces on a line go, 3+ line breaks become 2; repeated
    half-spaces (ZWNJ) become one and a half-space not between two letters goes;
    no space before ، ؛ : . ! ؟ ?. Idempotent: ``normalize(normalize(s)) ==
    normalize(s)``.
    """
    text = text.translate(_NORMALIZE_TABLE)
    if "\r" in text:
        text = _CR_RE.sub("\n", text)
    if ZWNJ in text:
        text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
        text = _STRAY_ZWNJ_RE.sub("", text)
    text = _HSPACE_RE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub("", text)
    if "\n" in text:
        text = _TRAILING_SPACE_RE.sub("\n", text)
        text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip()


# --- search keys -------------------------------------------------------------------

_DROPPED_IN_KEYS = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, tanwin, shadda, sukun, hamza marks
    + ["\u0670", "\u0640", ZWNJ, ZWJ, "ء"]  # superscript alef, tatweel, ZWNJ, ZWJ, hamza
    + ["\u200e", "\u200f"]  # LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI RLI FSI PDI
)

_SEARCH_TABLE: dict[int, int | str | None] = {
    **_NORMALIZE_TABLE,
    **pt_digits.FA_TO_EN_MAP,
    **str.maketrans(ARABIC_INDIC_DIGITS, LATIN_DIGITS),
    **str.maketrans("أإٱآ", "اااا"),
    **str.maketrans("ةۀ", "هه"),
    ord("ؤ"): "و",
    ord("ئ"): "ی",
    **dict.fromkeys(map(ord, _DROPPED_IN_KEYS)),
}
# After the table, anything that is not a letter or a digit (punctuation « » ، ؛ ؟,
# symbols, "_", whitespace of any kind) is a word boundary.
_NON_WORD_RE = re.compile(r"[\W_]+")


def search_key(text: str) -> str:
    """Return the key two spellings of the same words share; never displayed.

    ``normalize`` first, then NFKC (Arabic presentation forms and full-width
    characters pasted from PDFs become ordinary letters), then: diacritics,
    tatweel, ZWNJ/ZWJ, bidi marks and ء dropped; أ إ ٱ آ → ا, ة ۀ → ه, ؤ → و,
    ئ → ی; Persian and Arabic-Indic digits → ASCII 0-9; Latin case folded; every
    punctuation or symbol character → a space; whitespace collapsed to single
    spaces and stripped.
    Half-spaces are dropped, not turned into spaces, so "راه‌آهن" gives "راهاهن";
    ``compact_key`` makes the spaced spelling "راه آهن" agree too.
    """
    text = unicodedata.normalize("NFKC", normalize(text))
    text = text.translate(_SEARCH_TABLE).casefold()
    return _NON_WORD_RE.sub(" ", text).strip()


def compact_key(text: str) -> str:
    """``search_key`` without spaces: the half-space, space and joined spellings of a
    compound ("راه‌آهن", "راه آهن", "راهآهن") give the same key. Stored on records
    and matched by ``query_terms``."""
    return search_key(text).replace(" ", "")


def query_terms(text: str) -> list[str]:
    """Split a user's search query into terms to match against stored compact keys.

    Contract (the directory search relies on it): a record matches a query when
    *every* term is a substring of the record's ``compact_key``. Terms are the
    ``compact_key`` of each whitespace-separated word of ``search_key(text)``, so
    punctuation separates words, empty words are dropped, duplicates removed and the
    query's order kept. An empty list means "no filter". A query word written with a
    space that the record writes joined ("راه آهن" vs "راه‌آهن") still matches, as
    both words are substrings of the record's joined key.
    """
    return list(dict.fromkeys(search_key(text).split()))


# --- sorting -----------------------------------------------------------------------

# Python's ``sorted`` and SQLite compare code points, and the Persian-only letters
# پ چ ژ گ (U+067E, U+0686, U+0698, U+06AF) and ک ی (U+06A9, U+06CC) lie after all
# the Arabic ones, so "پ" sorts after "ی". We move every letter into the Private
# Use Area in alphabet order: above spaces, digits, Latin and other scripts. آ is
# folded to ا by search_key; it is mapped anyway for callers of _SORT_TABLE.
_SORT_BASE = 0xE000
_SORT_TABLE: dict[int, int | str | None] = {
    ord(letter): _SORT_BASE + index for index, letter in enumerate(PERSIAN_ALPHABET)
}


def sort_key(text: str) -> str:
    """Return a key whose order is Persian alphabetical order, under any collation.

    Built on ``search_key``, so spelling variants sort together; spaces sort before
    digits, digits before letters, Latin before Persian. Each character of the
    re-mapped text is written as five lowercase hex digits: a string of [0-9a-f]
    sorts the same under SQLite's binary collation, PostgreSQL's "C" and any
    linguistic collation (which would reorder raw private-use characters), so the
    directory can ``ORDER BY sort_key`` on every database.
    """
    return "".join(f"{ord(char):05x}" for char in search_key(text).translate(_SORT_TABLE))


# --- digits and numbers ------------------------------------------------------------

_TO_FA_DIGITS = {**pt_digits.EN_TO_FA_MAP, **pt_digits.AR_TO_FA_MAP}
_TO_EN_DIGITS = {
    **pt_digits.FA_TO_EN_MAP,
    **str.maketrans(ARABIC_INDIC_DIGITS, LATIN_DIGITS),
}
# Python formats numbers with "," and "."; Persian writes ٬ (U+066C) and ٫ (U+066B).
_NUMBER_TABLE: dict[int, int | str | None] = {**_TO_FA_DIGITS, ord(","): "٬", ord("."): "٫"}


def fa_digits(value: object) -> str:
    """``str(value)`` with Latin and Arabic-Indic digits as Persian digits (display)."""
    return str(value).translate(_TO_FA_DIGITS)


def en_digits(text: str) -> str:
    """``text`` with Persian and Arabic-Indic digits as ASCII digits (parsing input)."""
    return text.translate(_TO_EN_DIGITS)


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """Format a number with Persian digits, ٬ between thousands and ٫ before decimals.

    ``format_number(1234567)`` → "۱٬۲۳۴٬۵۶۷"; ``format_number(1234.5, 2)`` →
    "۱٬۲۳۴٫۵۰". Without ``decimals`` a float shows its shortest repr and a Decimal
    its own precision.
    """
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif isinstance(value, Decimal):
        # "f" writes Decimal("1E+3") as 1000 instead of keeping the exponent.
        text = f"{value:,f}"
    else:
        text = f"{value:,}"
    return text.translate(_NUMBER_TABLE)
