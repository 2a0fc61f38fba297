"""When are two planned activities the same work? Pure functions, no database.

``activities.overlap`` uses this module twice: to build the locality-sensitive
index of every activity (``signature`` → ``band_hashes``, stored as
``ActivityBand`` rows), and to re-score the few candidates that index returns
(``score``). Nothing here touches the database, so ``scripts/eval_overlap.py``
and the tests run it on the hand-labelled pairs without Django.

Canonical text
    ``core.persian.search_key`` folds the letters (ي/ی, ك/ک, diacritics,
    digits, half-spaces). On its words we then (1) glue affixes written apart
    («رسانه ها», «می شود»), drop the plural «ها/های» and the ezafe «ـه‌ی»,
    (2) replace every phrase of a hand-written table by a concept token,
    matched on the *compact* key of consecutive words, so «نهضت‌ملی مسکن»,
    «نهضت ملی مسکن» and «نهضتملی مسکن» are one token, and so are «راه و
    شهرسازی», «راه‌وشهرسازی» and «اداره کل راه و شهرسازی»; the table holds
    the PR-domain synonyms (خبرنگاران/اصحاب رسانه, بازدید/سفر/تور, نشست
    خبری/کنفرانس خبری, افتتاح/بهره‌برداری ...) and the agencies' names,
    (3) drop stop-words. ``alias_table`` adds the directory's agency aliases:
    each alias becomes the tokens of its agency's official name.

Score (chosen on the labelled pairs, ``tests/data/overlap_pairs.json``)
    ``score(a, b)`` in 0..1. Text similarity of two token sets is 0.8 ×
    weighted Dice (a concept weighs 0.3-1.2 by how much it tells apart, a
    word no table knows 1.5: names of places and projects) + 0.2 × Dice of
    the character 3-grams of the compact canonical text (for compounds the
    table does not know, written joined in one text and spaced in the other,
    and typos). Text = the title's similarity, or the mean of it and the
    similarity of title + description when that is higher (a description can
    only add evidence; one side often has none). Halved for each group whose
    title concepts are disjoint: the kind of work (نشست خبری vs خبر vs
    بازدید), the actor (خبرنگاران vs استاندار) and the agency (فرودگاه vs
    راه‌آهن); those are the hard negatives. Times a date factor: 1 when the
    periods overlap, 0.8 at ``DATE_TOLERANCE_DAYS`` (21) days apart, 0 at
    63. Plus 0.05 for a shared campaign, minus 0.05 when both are in
    campaigns and share none.

Shingles, MinHash and bands
    A signature is built from the *word* shingles (canonical tokens of
    weight ≥ 0.5; 3-grams were measured too: they lower candidate recall,
    as reordered titles share words but not 3-grams). Two MinHash parts
    (``datasketch.MinHash``, ``affine32`` scheme, fixed seeds) of
    ``PERMS_PER_PART`` = 32 permutations (num_perm 64 in all; the exact score
    re-ranks candidates, so the signature only has to make bands, not
    estimate Jaccard): the title's words and the words of
    title + description, so both a reworded title with a copied description
    and a copied title with a rewritten description are found. Each part is
    cut into 16 bands of 2 rows, 32 bands in all; two activities are
    candidates when any band agrees, with probability 1 - (1 - J²)^16 per
    part for word Jaccard J (J = 0.3: 78 %, 0.4: 94 %, 0.5: 99 %). On the
    labelled set (``scripts/eval_overlap.py`` prints both figures) every
    positive pair shares a band, and 9 % of all pairs of its texts (one
    domain, one province) do; 3 rows per band cut that to ~3.5 % but lost 2-3 %
    of the positives, whose title words have Jaccard down to 0.22, and 2 × 32
    bands of 2 rows found no more positives than 2 × 16 with twice the rows
    to store. The candidates r = 2 lets through cost little: a lookup reads
    only band rows of the same province (hashed into every band), and the
    filters on dates and status run before anything is re-scored.

Band hashes
    A band's two 32-bit minima, its number and the province are mixed
    (MurmurHash3's 64-bit finaliser, vectorised with numpy) into one signed
    64-bit integer: ``ActivityBand.hash``. ``signature`` (datasketch) and
    ``signature_batch`` (the same arithmetic over a matrix of many texts'
    shingles, ~7× faster for backfills) agree bit for bit; a test checks it.

Why the band table is ours and not datasketch's ``MinHashLSH``
    datasketch's LSH keeps its buckets in memory, Redis or Cassandra. Ours
    must live in the database every deployment already has (SQLite or
    PostgreSQL): shared by all web and Celery workers, written in the same
    transaction as the activity (an edit and its index commit or roll back
    together), and read by one query on the (band, hash) index whose result
    SQL then filters by the activities' province, dates and status. So only
    ``datasketch.MinHash`` is used and the (band, hash) rows are written by
    hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from hamseda.activities import phrases as tables
from hamseda.core.persian import search_key

__all__ = [
    "BANDS",
    "DATE_TOLERANCE_DAYS",
    "THRESHOLD",
    "AliasTable",
    "Comparison",
    "Doc",
    "Features",
    "alias_table",
    "band_hashes",
    "band_hashes_batch",
    "canonical_tokens",
    "compare",
    "date_factor",
    "empty_bands",
    "features",
    "gap_days",
    "make_doc",
    "score",
    "shingles",
    "signature",
    "signature_batch",
]

# --- tuning (see scripts/eval_overlap.py for the figures behind each value) -----------

# At or above this score two activities are the same work (``overlap.THRESHOLD``):
# the best F1 on the labelled pairs, see scripts/eval_overlap.py.
THRESHOLD = 0.5
DATE_TOLERANCE_DAYS = 21
GRAM = 3
PERMS_PER_PART = 32
ROWS = 2
BANDS_PER_PART = PERMS_PER_PART // ROWS
BANDS = 2 * BANDS_PER_PART  # bands 0..15: title; 16..31: title + description
_SEEDS = (1404, 1405)

PLAIN_WEIGHT = 1.5  # a word no table knows: names of places and projects, rarer than concepts
GRAM_SHARE = 0.2  # of a similarity; the rest is the weighted token Dice
CONFLICT_FACTOR = 0.5  # per group (kind, actor, agency) whose title concepts are disjoint
SAME_CAMPAIGN_BONUS = 0.05
OTHER_CAMPAIGN_PENALTY = 0.05


# --- canonical tokens ------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """search_key words with detached affixes glued back and plural ها/های dropped."""
    # «ویژه‌نامه‌ی» → «ویژه‌نامه»: the ezafe ی after a half-space, before search_key
    # drops the half-space and glues it on.
    raw = search_key(tables.EZAFE_RE.sub("ه", text)).split()
    words: list[str] = []
    glue_next = False
    for word in raw:
        if glue_next and words:
            words[-1] += word
            glue_next = False
        elif word in tables.SUFFIXES and words:
            words[-1] += word
        elif word in tables.PREFIXES:
            words.append(word)
            glue_next = True
        else:
            words.append(word)
    return [_strip_plural(word) for word in words]


def _strip_plural(word: str) -> str:
    if word.endswith(tables.PLURALS):  # one call for the common case: no plural
        for suffix in tables.PLURALS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Phrases (compact keys of canonical words) → tokens, with every prefix of a
    key so the longest-match scan can stop early."""

    phrases: Mapping[str, tuple[str, ...]]
    prefixes: frozenset[str]

    def merged(self, extra: Mapping[str, tuple[str, ...]]) -> AliasTable:
        if not extra:
            return self
        phrases = {**self.phrases, **extra}
        return AliasTable(phrases, _prefixes(phrases))


def _prefixes(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(key[:i] for key in phrases for i in range(1, len(key) + 1))


def _phrase_key(phrase: str) -> str:
    return "".join(_words(phrase))


def _build_base_table() -> tuple[AliasTable, dict[str, float], dict[str, str]]:
    phrases: dict[str, tuple[str, ...]] = {}
    weights: dict[str, float] = {}
    groups: dict[str, str] = {}
    entries: dict[tuple[str, str, str], list[str]] = {}
    header = ("", "", "")
    for line in tables.CONCEPTS.strip().splitlines():
        if line.startswith(" "):
            entries[header].extend(line.split("|"))
        else:
            name, group, weight = line.split()
            header = (name, group, weight)
            entries[header] = []
    for (name, group, weight), phrases_of_concept in entries.items():
        token = tables.CONCEPT_MARK + name
        if name != "_":
            weights[token] = float(weight)
            groups[token] = group
        for entry in phrases_of_concept:
            phrase, *extra = entry.split("+")
            tokens = (
                () if name == "_" else (token, *(tables.CONCEPT_MARK + e.strip() for e in extra))
            )
            phrases[_phrase_key(phrase)] = tokens
    for province in tables.PROVINCES.split("|"):
        key = _phrase_key(province)
        phrases[key] = (key,)
        weights[key] = tables.PROVINCE_WEIGHT
    return AliasTable(phrases, _prefixes(phrases)), weights, groups


_BASE, _WEIGHTS, _GROUPS = _build_base_table()
# Concept tokens count as one character in the 3-grams: a private-use character each.
_CONCEPT_CHARS = {token: chr(0xE000 + i) for i, token in enumerate(sorted(_WEIGHTS))}


def alias_table(aliases: Iterable[tuple[str, str]]) -> AliasTable:
    """The base table plus agency aliases: ``(alias, official name)`` pairs, e.g.
    ``("عمران بهارستان", "شرکت عمران شهر جدید بهارستان")``. An alias becomes the
    canonical tokens of the official name, so texts naming the agency either way
    agree. ``overlap.agency_aliases`` builds the pairs from the directory."""
    extra: dict[str, tuple[str, ...]] = {}
    for alias, official in aliases:
        key = _phrase_key(alias)
        tokens = tuple(canonical_tokens(official))
        if key and tokens and key not in _BASE.phrases:
            extra[key] = tokens
    return _BASE.merged(extra)


def canonical_tokens(text: str, table: AliasTable | None = None) -> list[str]:
    """The text as matching sees it: concept tokens («#visit», «#housing_nm») for
    known phrases (longest match first, spacing-insensitive), other words as
    written by ``search_key`` minus affixes, plurals and stop-words."""
    table = table or _BASE
    phrases, prefixes = table.phrases, table.prefixes
    words = _words(text)
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        joined, best_end = "", -1
        best: tuple[str, ...] = ()
        for j in range(i, n):
            joined += words[j]
            if joined in phrases:
                best_end, best = j, phrases[joined]
            if joined not in prefixes:
                break
        if best_end >= 0:
            tokens: Iterable[str] = best
            i = best_end + 1
        else:
            tokens = _unmatched(words[i], phrases)
            i += 1
        for token in tokens:
            if not out or out[-1] != token:
                out.append(token)
    return out


def _unmatched(word: str, phrases: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A word no phrase starts with: a stop-word, an ezafe form of a phrase
    («گفتگوی», «ویدیوی»), two phrases written joined («نمایشگاهعکس»), or itself."""
    if word in tables.STOP_WORDS:
        return ()
    if word.endswith("ی") and word[:-1] in phrases:
        return phrases[word[:-1]]
    for cut in range(len(word) - 2, 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in phrases and tail in phrases:
            return phrases[head] + phrases[tail]
    return (word,)


def _weight(token: str) -> float:
    weight = _WEIGHTS.get(token)
    if weight is not None:
        return weight
    return tables.NUMBER_WEIGHT if token.isdigit() else PLAIN_WEIGHT


def _grams(tokens: Sequence[str]) -> frozenset[str]:
    compact = "".join(_CONCEPT_CHARS.get(token, token) for token in tokens)
    if len(compact) <= GRAM:
        return frozenset((compact,)) if compact else frozenset()
    return frozenset(compact[i : i + GRAM] for i in range(len(compact) - GRAM + 1))


@dataclass(frozen=True, slots=True)
class Features:
    """What matching needs of one text, computed once (``features``)."""

    title_tokens: frozenset[str]
    text_tokens: frozenset[str]
    title_grams: frozenset[str]
    text_grams: frozenset[str]

    def title_concepts(self, group: str) -> frozenset[str]:
        return frozenset(t for t in self.title_tokens if _GROUPS.get(t) == group)


def features(title: str, description: str = "", table: AliasTable | None = None) -> Features:
    title_tokens = canonical_tokens(title, table)
    description_tokens = canonical_tokens(description, table) if description else []
    text_tokens = title_tokens + description_tokens
    return Features(
        title_tokens=frozenset(title_tokens),
        text_tokens=frozenset(text_tokens),
        title_grams=_grams(title_tokens),
        text_grams=_grams(text_tokens),
    )


# --- score -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Doc:
    """One activity as the score sees it. ``campaigns`` are ids or labels."""

    features: Features
    start_date: date
    end_date: date
    campaigns: frozenset[Hashable] = frozenset()


def make_doc(
    *,
    title: str,
    description: str = "",
    start_date: date,
    end_date: date | None = None,
    campaigns: Collection[Hashable] = (),
    table: AliasTable | None = None,
) -> Doc:
    return Doc(
        features=features(title, description, table),
        start_date=start_date,
        end_date=end_date or start_date,
        campaigns=frozenset(campaigns),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The parts of a score, for the reasons a warning shows."""

    title: float
    full: float  # title + description
    text: float
    conflicts: tuple[str, ...]
    gap_days: int
    same_campaign: bool
    score: float


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _weighted_dice(a: frozenset[str], b: frozenset[str]) -> float:
    total = sum(map(_weight, a)) + sum(map(_weight, b))
    if not total:
        return 0.0
    return 2 * sum(map(_weight, a & b)) / total


def _similarity(
    tokens_a: frozenset[str],
    tokens_b: frozenset[str],
    grams_a: frozenset[str],
    grams_b: frozenset[str],
) -> float:
    words = _weighted_dice(tokens_a, tokens_b)
    if not grams_a and not grams_b:
        return words
    return (1 - GRAM_SHARE) * words + GRAM_SHARE * _dice(grams_a, grams_b)


def gap_days(a: Doc, b: Doc) -> int:
    """Days between the two periods; 0 when they overlap."""
    return max(0, (b.start_date - a.end_date).days, (a.start_date - b.end_date).days)


def date_factor(gap: int) -> float:
    """1 for overlapping periods, 0.8 at DATE_TOLERANCE_DAYS apart, 0 at three times that."""
    tolerance = DATE_TOLERANCE_DAYS
    if gap <= tolerance:
        return 1.0 - 0.2 * gap / tolerance
    return max(0.0, 0.8 * (1 - (gap - tolerance) / (2 * tolerance)))


def compare(a: Doc, b: Doc) -> Comparison:
    fa, fb = a.features, b.features
    title = _similarity(fa.title_tokens, fb.title_tokens, fa.title_grams, fb.title_grams)
    full = _similarity(fa.text_tokens, fb.text_tokens, fa.text_grams, fb.text_grams)
    # The description can only add evidence: one side often has none.
    text = max(title, (title + full) / 2)
    conflicts = []
    for group in tables.CONFLICT_GROUPS:
        ca, cb = fa.title_concepts(group), fb.title_concepts(group)
        if ca and cb and not ca & cb:
            conflicts.append(group)
            text *= CONFLICT_FACTOR
    gap = gap_days(a, b)
    same_campaign = bool(a.campaigns & b.campaigns)
    value = text * date_factor(gap)
    if same_campaign:
        value += SAME_CAMPAIGN_BONUS
    elif a.campaigns and b.campaigns:
        value -= OTHER_CAMPAIGN_PENALTY
    return Comparison(
        title=title,
        full=full,
        text=text,
        conflicts=tuple(conflicts),
        gap_days=gap,
        same_campaign=same_campaign,
        score=min(1.0, max(0.0, value)),
    )


def score(a: Doc, b: Doc) -> float:
    """How likely ``a`` and ``b`` are the same work, 0..1 (see the module docstring)."""
    return compare(a, b).score


# --- shingles, MinHash, bands ----------------------------------------------------------


def shingles(feats: Features) -> tuple[frozenset[str], frozenset[str]]:
    """The words MinHash sees: of the title, and of title + description (tokens
    weighing less than 0.5, «روابط عمومی», «پروژه», a province's name, are too
    common to find anything with)."""
    return _content(feats.title_tokens), _content(feats.text_tokens)


def _content(tokens: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if _weight(t) >= tables.MIN_SHINGLE_WEIGHT)


@lru_cache(maxsize=262_144)
def _shingle_hash(shingle: str) -> int:
    # datasketch's default hash (sha1_hash32), cached: shingles repeat across texts.
    return int.from_bytes(hashlib.sha1(shingle.encode()).digest()[:4], "little")


_PERMUTATIONS = tuple(MinHash(num_perm=PERMS_PER_PART, seed=seed).permutations for seed in _SEEDS)
_EMPTY = np.uint32(0xFFFFFFFF)


def signature(feats: Features) -> np.ndarray:
    """The MinHash signature (2 × PERMS_PER_PART uint32): title part, full part.
    Computed with ``datasketch.MinHash``; ``signature_batch`` gives the same."""
    parts = []
    for shingle_set, perms in zip(shingles(feats), _PERMUTATIONS, strict=True):
        minhash = MinHash(num_perm=PERMS_PER_PART, permutations=perms, scheme="affine32")
        minhash.update_batch([s.encode() for s in sorted(shingle_set)])
        parts.append(minhash.hashvalues.astype(np.uint32))
    return np.concatenate(parts)


def _fmix32(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's finaliser, as datasketch's affine32 scheme pre-mixes input hashes.
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def signature_batch(many: Sequence[Features], chunk: int = 256) -> np.ndarray:
    """Signatures of many texts at once (N × 2·PERMS_PER_PART uint32): the same
    arithmetic as ``MinHash.update_batch`` on a matrix of all shingles of a
    chunk of texts, reduced per text with ``np.minimum.reduceat``."""
    out = np.full((len(many), 2 * PERMS_PER_PART), _EMPTY, dtype=np.uint32)
    for begin in range(0, len(many), chunk):
        batch = many[begin : begin + chunk]
        sets = [shingles(f) for f in batch]
        for part, (a, b) in enumerate(_PERMUTATIONS):
            lengths = np.array([len(s[part]) for s in sets])
            if not lengths.any():
                continue
            hashes = np.fromiter(
                (_shingle_hash(x) for s in sets for x in s[part]),
                dtype=np.uint32,
                count=int(lengths.sum()),
            )
            with np.errstate(over="ignore"):
                permuted = _fmix32(hashes)[:, None] * a[None, :] + b[None, :]
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            present = lengths > 0
            minima = np.minimum.reduceat(permuted, starts[present], axis=0)
            cols = slice(part * PERMS_PER_PART, (part + 1) * PERMS_PER_PART)
            out[begin : begin + len(batch)][present, cols] = minima
    return out


_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _fmix64(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(33))
    values = values * _M1
    values = values ^ (values >> np.uint64(33))
    values = values * _M2
    mixed: np.ndarray = values ^ (values >> np.uint64(33))
    return mixed


def band_hashes_batch(signatures: np.ndarray, scopes: Sequence[int]) -> np.ndarray:
    """N × BANDS signed 64-bit band hashes. ``scopes`` (the province id, 0 for
    national) is mixed in, so equal texts of two provinces never share a band.
    Bands of a part with no shingles are not to be stored (``empty_bands``)."""
    n = signatures.shape[0]
    rows = signatures.astype(np.uint64).reshape(n, BANDS, ROWS)
    with np.errstate(over="ignore"):
        band_ids = np.arange(BANDS, dtype=np.uint64)
        scope = np.asarray(scopes, dtype=np.uint64).reshape(n, 1)
        h = _fmix64(scope * _GOLDEN + band_ids[None, :] + np.uint64(1))
        for row in range(ROWS):
            h = _fmix64((h ^ rows[:, :, row]) * _GOLDEN)
    return h.view(np.int64)


def band_hashes(signature_: np.ndarray, scope: int) -> list[int]:
    """The BANDS band hashes of one signature (Python ints for the ORM)."""
    return [int(h) for h in band_hashes_batch(signature_[None, :], [scope])[0]]


def empty_bands(signatures: np.ndarray) -> np.ndarray:
    """N × BANDS booleans: the band's rows are all empty (a text with no shingles
    in that part). Such bands would make every empty text collide; not stored."""
    n = signatures.shape[0]
    empty: np.ndarray = (signatures.reshape(n, BANDS, ROWS) == _EMPTY).all(axis=2)
    return empty
