"""Find which agencies and campaigns a Persian news text mentions.

``Matcher.build(patterns)`` takes ``(pattern, target)`` pairs — an agency's name or
alias, a campaign's keyword or ``#hashtag`` — and ``Matcher.find(text)`` returns one
``Hit`` per target mentioned: how many times, and where first (an offset in the
original text, for the snippet). ``agency_patterns`` derives the patterns of an agency
from its name, aliases and province. Pure: no database; ingestion calls it per item.

Why pyahocorasick, not a regex alternation: one Aho-Corasick automaton scans a text
once whatever the number of patterns, and the scan runs in C; a regex alternation of
~2,000 names backtracks through the alternatives at every position. STACK.md measured
~45k docs/s against ~300 docs/s (~150x) on this kind of machine, and every feed item of
31 provinces goes through here. ``scripts/bench_matching.py`` (2,000 patterns, 1,500-char
articles, one core): ~5,700 docs/s for the whole ``find``, most of it the folding; the
regex alternation's scan alone, ~80 docs/s.

Folding. Patterns and text are folded with ``core.persian.search_key`` (one
character at a time, see ``_fold_char``), then every space and half-space is removed,
as in ``compact_key``: so ي/ی, ك/ک, diacritics, Persian/Arabic/Latin digits, and the
joined («ادارهکل»), spaced («اداره کل») and half-spaced («اداره‌کل») spellings of a
name all give the same key. «_» and «#» are separators too, so the hashtag
«#نهضت_ملی_مسکن» and the words «نهضت ملی مسکن» match each other. Only sentence
punctuation and brackets (``. ! ? ؟ ; ؛ : ( ) [ ] { } « » "`` and line breaks) are kept
in the compact text, as a mark no pattern contains: a name never matches across a
sentence end or into a parenthesis («وزارت راه و شهرسازی (اصفهان)» is the ministry,
not «راه و شهرسازی اصفهان»). Commas, hyphens and slashes are not marks: names list
words with them («صنعت، معدن و تجارت»).

Boundaries. A folded match is accepted when it starts at a word start *and* ends at
a word end of the original text, where spaces, half-spaces and punctuation separate
words — so «قم» is not found in «رقم» nor «راه» in «راهنما» — OR when its key is at
least ``MIN_JOINED_LENGTH`` (8) letters long. Texts whose half-spaces were stripped
glue suffixes and compound parts to a name («روابطعمومیهای», «استانداریها»); a key of
8+ letters spans two words or one long specific word, while the keys that collide
inside longer words are place names and short words («قم»، «یزد»، «اصفهان» in
«اصفهانی»، «مسکن»، «راه»), all of 6 letters or fewer. 7-letter single words
(«شهرسازی»، «فرودگاه») still need both boundaries.

Overlaps. Of accepted matches that overlap in the text, the longest wins, then the
leftmost: «اداره کل راه و شهرسازی استان اصفهان» counts for the directorate only, not
also for a target of «راه و شهرسازی»; «ستاد سفرهای نوروزی» counts once, not again for
«سفرهای نوروزی». A pattern that folds to the same key for several targets counts for
each of them. Rejected matches (boundary rule) never hide another match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple, Protocol

import ahocorasick

from hamseda.core.persian import ZWNJ, compact_key, normalize, search_key

__all__ = [
    "MIN_JOINED_LENGTH",
    "AgencyNames",
    "Hit",
    "Matcher",
    "agency_patterns",
    "fold_key",
]

# See "Boundaries" in the module docstring.
MIN_JOINED_LENGTH = 8

# --- folding, one character at a time ----------------------------------------------
#
# ``find`` needs the original offset of every folded character, so each character is
# folded to exactly one character (except rare expansions such as the lam-alef ligature
# ﻻ → «لا», handled by an index map). Three marks stand for what ``compact_key``
# removes or a name may not cross:
_DROPPED = "\x00"  # inside a word, folded away: diacritics, tatweel, bidi marks, ء
_SOFT = " "  # separates words, folded away: whitespace, half-space, _ # , - / ...
_HARD = "|"  # separates words, kept in the compact text: sentence punctuation, brackets
_HARD_CHARS = frozenset('.!?؟;؛:()[]{}«»"\n\r…')


def _fold_char(char: str) -> str:
    """The folding of one character: ``search_key(char)``, or a mark when it is empty.

    A half-space is a word separator here (``search_key`` drops it inside a word):
    «سازمان‌ها» ends the word «سازمان» for the boundary rule, as «سازمان ها» does.
    """
    if char in _HARD_CHARS:
        return _HARD
    if char == ZWNJ:
        return _SOFT
    folded = search_key(char)
    if folded:
        return folded
    # search_key either drops the character inside a word (diacritics ...) or turns it
    # into a space (punctuation, symbols); ask it in context.
    return _DROPPED if search_key(f"ب{char}ب") == "بب" else _SOFT


class _FoldTable(dict[int, str]):
    """The folding of each character, filled on first sight of it."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_FOLD = _FoldTable()
for _code in [*range(0x80), *range(0x0600, 0x0700), 0x200C, 0x200D]:
    _FOLD[_code] = _fold_char(chr(_code))
# Most characters of a Persian text fold to themselves; substituting only the others
# is ~4x faster than ``str.translate`` (which looks up every character, ~70 ns each).
_CHANGED_RE = re.compile(
    "[^" + re.escape("".join(chr(c) for c, v in _FOLD.items() if v == chr(c))) + "]"
)


def _fold_match(match: re.Match[str]) -> str:
    return _FOLD[ord(match.group())]


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` keeping word separators as marks.

    Returns the folded text and, only when some character expanded to several, the
    original index of each folded character (otherwise folded index == original index).
    """
    folded = _CHANGED_RE.sub(_fold_match, text)
    if len(folded) == len(text):
        return folded, None
    index_map: list[int] = []
    for index, char in enumerate(text):
        index_map.extend([index] * len(_FOLD[ord(char)]))
    return folded, index_map


def fold_key(text: str) -> str:
    """The key a pattern is matched by: ``compact_key`` of it, except that sentence
    punctuation inside it (rare in a name: «ج.ا.ا») is kept as a mark, so it matches the
    punctuated spelling only. Empty for a pattern with no letter or digit."""
    return _fold(text)[0].replace(_DROPPED, "").replace(_SOFT, "").strip(_HARD)


# --- matcher -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A target mentioned in a text ``count`` times, first at offset ``first`` of the
    original text (where the name starts)."""

    target: Hashable
    count: int
    first: int


class _Entry(NamedTuple):
    length: int
    targets: tuple[Hashable, ...]
    joinable: bool  # long enough to be accepted away from word boundaries


class Matcher:
    """Multi-pattern matcher over folded Persian text; see the module docstring for
    the folding, boundary and overlap rules. Immutable once built; thread-safe."""

    def __init__(self, automaton: ahocorasick.Automaton | None, size: int) -> None:
        self._automaton = automaton
        self._size = size

    @classmethod
    def build(cls, patterns: Iterable[tuple[str, Hashable]]) -> Matcher:
        """One automaton over the folded patterns. A pattern with no letter or digit is
        ignored; patterns that fold to the same key share it (and all their targets)."""
        by_key: dict[str, dict[Hashable, None]] = {}
        for pattern, target in patterns:
            key = fold_key(pattern)
            if key:
                by_key.setdefault(key, {})[target] = None
        if not by_key:
            return cls(None, 0)
        automaton = ahocorasick.Automaton()
        for key, targets in by_key.items():
            entry = _Entry(len(key), tuple(targets), len(key) >= MIN_JOINED_LENGTH)
            automaton.add_word(key, entry)
        automaton.make_automaton()
        return cls(automaton, len(by_key))

    def __len__(self) -> int:
        """The number of distinct folded patterns."""
        return self._size

    def find(self, text: str) -> list[Hit]:
        """One ``Hit`` per target mentioned in ``text``, most mentions first (then the
        earliest first mention)."""
        if self._automaton is None:
            return []
        folded, index_map = _fold(text)
        # The runs of characters kept in the compact text; each removed character (a
        # space or a dropped mark) is one folded character, so the run a compact index
        # falls in tells how many were removed before it. split/join/accumulate run in
        # C: this is most of the cost of ``find`` besides the fold itself.
        runs = (folded.replace(_DROPPED, _SOFT) if _DROPPED in folded else folded).split(_SOFT)
        compact = "".join(runs)
        candidates: list[tuple[int, int, _Entry]] = [
            (end - entry.length + 1, end, entry) for end, entry in self._automaton.iter(compact)
        ]
        if not candidates:
            return []
        run_starts = list(accumulate(map(len, runs), initial=0))

        def to_folded(index: int) -> int:
            return index + bisect_right(run_starts, index) - 1

        accepted: list[tuple[int, int, int, _Entry]] = []
        for start, end, entry in candidates:
            folded_start = to_folded(start)
            if entry.joinable or (
                _starts_word(folded, folded_start) and _ends_word(folded, to_folded(end))
            ):
                accepted.append((start, end, folded_start, entry))

        # Longest first, then leftmost; a match overlapping a taken one is dropped.
        accepted.sort(key=lambda match: (-match[3].length, match[0]))
        taken = bytearray(len(compact))
        found: dict[Hashable, list[int]] = {}
        for start, end, folded_start, entry in accepted:
            if taken.find(1, start, end + 1) != -1:
                continue
            taken[start : end + 1] = b"\x01" * (end + 1 - start)
            offset = index_map[folded_start] if index_map is not None else folded_start
            for target in entry.targets:
                seen = found.get(target)
                if seen is None:
                    found[target] = [1, offset]
                else:
                    seen[0] += 1
                    seen[1] = min(seen[1], offset)
        hits = [Hit(target, count, first) for target, (count, first) in found.items()]
        hits.sort(key=lambda hit: (-hit.count, hit.first))
        return hits


def _starts_word(folded: str, index: int) -> bool:
    index -= 1
    while index >= 0 and folded[index] == _DROPPED:
        index -= 1
    return index < 0 or folded[index] in (_SOFT, _HARD)


def _ends_word(folded: str, index: int) -> bool:
    index += 1
    while index < len(folded) and folded[index] == _DROPPED:
        index += 1
    return index >= len(folded) or folded[index] in (_SOFT, _HARD)


# --- agency patterns ---------------------------------------------------------------


class AgencyNames(NamedTuple):
    """What ``agency_patterns`` needs of an agency (a model instance with these
    attributes does as well)."""

    id: Hashable
    name: str
    aliases: Sequence[str] = ()
    province: str | None = None


class _HasAgencyNames(Protocol):
    @property
    def id(self) -> Hashable: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def province(self) -> str | None: ...


# Heads a newspaper shortens before the place: "اداره کل X استان P" is also written
# "X استان P". A head is only dropped or shortened while the place stays in the form.
_HEAD_SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("اداره کل", ("",)),
    ("سازمان", ("",)),
    ("شرکت", ("",)),
    ("بنیاد مسکن انقلاب اسلامی", ("بنیاد مسکن",)),
    ("صدا و سیمای مرکز", ("صدا و سیمای", "صدا و سیما")),
)
# "... استان P" / "... منطقه P" is also written "... P".
_PLACE_QUALIFIERS = frozenset({"استان", "منطقه"})  # compact keys


def agency_patterns(
    agencies: Iterable[AgencyNames | tuple[Hashable, str, Sequence[str], str | None]]
    | Iterable[_HasAgencyNames],
    *,
    home_province: str | None = None,
) -> Iterator[tuple[str, tuple[str, Hashable]]]:
    """Yield ``(pattern, ("agency", id))`` for every agency: its name, its aliases, and
    the shortened forms newspapers use that still name one agency.

    For a name "[head] X [استان|منطقه] P", P the agency's province:

    - national forms (they keep the place, so one agency in the country): the head
      shortened or dropped ("اداره کل X استان P" → "X استان P"; «بنیاد مسکن انقلاب
      اسلامی» → «بنیاد مسکن»; «صدا و سیمای مرکز P» → «صدا و سیمای P», «صدا و سیما P»)
      and the qualifier dropped ("X P"); a name with no province at its end only loses
      its head when 2+ words remain («شرکت عمران شهر جدید بهارستان» → «عمران شهر جدید
      بهارستان»). A name without head or qualifier gives nothing more: «استانداری
      اصفهان» never becomes «استانداری».
    - local forms, only for agencies of ``home_province``: a council's own news says
      "نظام مهندسی ساختمان استان" or "صدا و سیما" for its province's agency. They drop
      the place but keep the qualifier ("X استان") or a head ("اداره کل X", «صدا و
      سیما», «بنیاد مسکن»); never a bare "X" («راه و شهرسازی» is a field and the
      ministry). Build the matcher over every province's agencies: "اداره کل X استان
      تهران" then goes to Tehran, its full form being longer than the local form.

    ``agencies`` are ``AgencyNames``, plain ``(id, name, aliases, province)`` tuples or
    objects with those attributes. National agencies have ``province=None``.
    """
    home = compact_key(home_province) if home_province else None
    for agency in agencies:
        if isinstance(agency, tuple):
            agency_id, name, aliases, province = agency
        else:
            agency_id, name = agency.id, agency.name
            aliases, province = agency.aliases, agency.province
        target = ("agency", agency_id)
        local = home is not None and province is not None and compact_key(province) == home
        seen: set[str] = set()
        for source in (name, *aliases):
            for form in (source, *_short_forms(source, province, local=local)):
                key = fold_key(form)
                if key and key not in seen:
                    seen.add(key)
                    yield form, target


def _short_forms(name: str, province: str | None, *, local: bool) -> Iterator[str]:
    # Forms are built from the name's own words (its spelling kept, for display) and
    # compared as compact keys ("اداره‌کل" is one word, "اداره کل" two).
    words = normalize(name).split()
    keys = [compact_key(word) for word in words]
    head: list[str] = []
    shorts: tuple[str, ...] = ("",)
    rest = words
    for candidate, candidate_shorts in _HEAD_SHORT_FORMS:
        size = _prefix_size(keys, candidate)
        if size:
            head, shorts, rest = words[:size], candidate_shorts, words[size:]
            break
    size = _prefix_size(keys[::-1], province, reverse=True) if province else 0
    if not size:
        # No place at the end: only the head goes, and only if 2+ words remain.
        if head and len(rest) >= 2:
            for short in shorts:
                yield _join(short, *rest)
        return
    core, place = rest[: len(rest) - size], words[len(words) - size :]
    qualifier: list[str] = []
    if core and compact_key(core[-1]) in _PLACE_QUALIFIERS:
        qualifier, core = core[-1:], core[:-1]
    for head_form in (" ".join(head), *shorts) if head else ("",):
        if not head_form and not core:
            continue
        yield _join(head_form, *core, *qualifier, *place)
        if qualifier:
            yield _join(head_form, *core, *place)
        if local:
            if qualifier:
                yield _join(head_form, *core, *qualifier)
            if head_form:
                yield _join(head_form, *core)


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _prefix_size(keys: list[str], phrase: str, *, reverse: bool = False) -> int:
    """How many of the word ``keys`` spell ``phrase`` at their start (0: they do not).
    ``reverse``: ``keys`` are in reverse order and ``phrase`` is matched at their end."""
    target = compact_key(phrase)
    joined = ""
    for index, key in enumerate(keys):
        joined = key + joined if reverse else joined + key
        if joined == target:
            return index + 1
        if not (target.endswith(joined) if reverse else target.startswith(joined)):
            return 0
    return 0
