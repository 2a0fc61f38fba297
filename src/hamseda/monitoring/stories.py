"""Which articles tell the same story? Near-duplicate clustering, incremental and pure.

A press release is republished by several outlets, each with its own byline
(«به گزارش خبرگزاری X،», «تهران - ایرنا -», «به نقل از روابط عمومی ...»), its own
tail («انتهای پیام», «کد خبر: ...»), a few words changed, sentences moved or cut,
or only its lead paragraph in an RSS summary. ``fingerprint`` removes what the
outlet added and keeps what the release said; ``StoryIndex.assign`` puts each new
article into the story of its most similar earlier article, or starts a story.

Canonical text and shingles
    Bylines and tails are cut from the raw text (``_strip_outlet``; the patterns
    accept Arabic ي/ك), then ``core.persian.search_key`` folds letters, digits and
    half-spaces, and a short list of function words is dropped (so an inserted
    «نیز» or «همچنین» breaks no shingle). Shingles are word 3-grams, within the
    title and within the text. Character 5-grams were measured on the benchmark's
    corpus (10,000 articles, same bands): 4.7 times as many shingles per article
    (301 vs 64), fingerprint 24 % and assignment 50 % slower, and stock phrases
    and agency names make unrelated texts alike: pairwise precision 0.18 at 0.35,
    0.97 / recall 0.88 at 0.5, 1.00 / 0.81 at 0.6, against 0.997 / 0.933 for
    word 3-grams at 0.35.

MinHash, two parts
    ``BODY_PERMS`` permutations over all shingles (title + text) and
    ``LEAD_PERMS`` over the shingles of the first ``LEAD_WORDS`` words of the text
    (the title when there is no text). The lead part is what finds a short RSS
    summary of a long article: their full shingle sets have a Jaccard of a few
    tenths at most, their leads are the same. The arithmetic is datasketch's
    ``affine32`` scheme on our own 32-bit shingle hashes (``_shingle_hashes``:
    crc32 of each word once, then numpy mixes three words into a shingle hash,
    no string per shingle); a test checks it against ``datasketch.MinHash``.

Bands and candidates
    Each part is cut into bands of ``ROWS`` = 3 rows (16 body bands, 16 lead
    bands). Two articles are candidates when any band of a part agrees: for a
    Jaccard J the chance is 1 - (1 - J³)^16, i.e. 35 % at 0.3, 65 % at 0.4, 88 % at
    0.5, 97 % at 0.6, and every further member of a story is one more chance.
    Band hashes are signed 64-bit integers (the band's rows and number through
    MurmurHash3's 64-bit finaliser), so a ``story_band`` table can hold the index
    later, as ``activities.ActivityBand`` does. Work per article is bounded: a
    bucket keeps its latest ``BUCKET_CAP`` entries (stock phrases make a few
    buckets hot; news stories are recent), an article's band is not stored again
    when its story is already in that bucket, and at most ``MAX_CANDIDATES``
    members, those sharing the most bands, are scored. So assignment is O(1) per
    article, O(N) in all (figures: ``scripts/bench_stories.py``).

Similarity and threshold
    Against each candidate member: the estimated Jaccard of the bodies, or of the
    leads minus ``LEAD_MARGIN`` when that is higher and one of the two is a
    summary (at most ``SUMMARY_SHINGLES`` body shingles). The best member's story
    is joined at ``THRESHOLD`` or above. Chosen on the benchmark's synthetic
    corpus (30,000 articles, pairwise precision / recall of the stories):

    ======================================  =========  ======
    variant                                 precision  recall
    ======================================  =========  ======
    lead 24 perms, any length, ≥ 0.35       0.927      0.940
    no lead part, ≥ 0.35                    0.995      0.889
    lead 24 perms, summaries only, ≥ 0.35   0.942      0.939
    lead 48 perms, summaries only, ≥ 0.35   0.967      0.946
    lead 48 perms, summaries only, ≥ 0.40   0.995      0.924
    **lead 48, summaries, margin 0.1,       **0.994**  **0.932**
    ≥ 0.35** (chosen)
    lead 48, summaries, margin 0.1, ≥ 0.40  1.000      0.905
    ======================================  =========  ======

    A wrong join costs more than a missed one: the next copies of the wrong
    release follow the member that joined by mistake, and a whole release is
    merged (pairwise precision fell to 0.84 at 100,000 articles with the first
    variant). Two random copies of one release score a median 0.69 (8 % below
    0.35: a summary against a copy with its first sentences swapped; those
    join through another member); two releases of one agency, place and project
    a median 0.08, at most 0.38 in 3,000 pairs.

Limits (``scripts/bench_stories.py``, 2 cores)
    Assignment ran at 4,900 articles/s at 10,000 articles, 3,800/s at 100,000
    and 2,700/s at 1,000,000 (larger dicts, fuller buckets; each bucket and the
    candidate list are capped, so the work per article stays bounded). The
    in-memory index of 1,000,000 articles peaked at 3.9 GB: the store for
    production belongs in the database. Pairwise precision went from 0.997
    (10,000) to 0.98 (100,000) and 0.90 (1,000,000) while recall stayed at
    0.92-0.93. Our explanation, not yet tested: the synthetic subjects (agency ×
    project × place) are a fixed set and nothing is ever forgotten, so each
    subject gets more and more releases. A time window in the store (join only
    stories active in the last days) would keep that density, and the memory,
    constant.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from hamseda.core.persian import search_key

__all__ = [
    "BODY_PERMS",
    "LEAD_PERMS",
    "THRESHOLD",
    "Coverage",
    "Fingerprint",
    "StoryIndex",
    "coverage",
    "fingerprint",
]

# --- tuning (scripts/bench_stories.py prints the figures behind these) -----------

THRESHOLD = 0.35
BODY_PERMS = 48
LEAD_PERMS = 48
ROWS = 3
BODY_BANDS = BODY_PERMS // ROWS
LEAD_BANDS = LEAD_PERMS // ROWS
BANDS = BODY_BANDS + LEAD_BANDS
LEAD_WORDS = 40
# An article of at most this many body shingles is a summary: its lead may decide.
SUMMARY_SHINGLES = 60
# A lead-only match must clear THRESHOLD by this much: a lead is ~40 shingles, and
# two summaries of one agency share its stock opener («مدیرکل ... استان ...»).
LEAD_MARGIN = 0.1
SHINGLE = 3
MAX_CANDIDATES = 24
BUCKET_CAP = 32
_SEED = 1403

# --- what the outlet added ---------------------------------------------------------

# These run on the raw text, before any normalisation (``search_key`` normalises
# once, afterwards; normalising twice was a third of the time of a fingerprint), so
# they accept Arabic ي/ك and any kind of space.
_YE, _KAF = "[یيى]", "[کك]"
# «به گزارش خبرگزاری X،», «به گزارش خبرنگار اقتصادی X از تهران،», «بنا بر گزارش ...،»,
# «به نقل از روابط عمومی ...،»: up to the first comma, at most ~150 characters.
_REPORTED_RE = re.compile(
    r"^\s*(?:به|بنا\s+(?:به|بر))\s+(?:گزارش|نقل\s+از|اعلام)\s[^\n،,.:]{1,150}?[،,:]\s*",
    re.MULTILINE,
)
# «تهران - ایرنا -», «ایسنا – گروه اقتصادی –»: one to three short segments ended by a
# dash, at the start of a line.
_DATELINE_RE = re.compile(r"^\s*(?:(?:[^\s\-–—:،,]+\s*){1,4}[-–—]+\s*){1,3}", re.MULTILINE)
# «خبرگزاری مهر، گروه استان‌ها:», «سرویس اقتصادی فارس:» — only after a word that names
# an outlet, so a quotation («وزیر راه گفت:») is never cut.
_DESK_RE = re.compile(
    rf"^\s*(?:خبرگزار{_YE}|پا{_YE}گاه\s+خبر{_YE}|روزنامه|سرو{_YE}س|گروه|باشگاه\s+خبرنگاران)"
    r"[^\n:]{0,80}:\s*",
    re.MULTILINE,
)
# Everything from one of these on is the outlet's, not the release's.
_TAIL_RE = re.compile(
    rf"(?:انتها{_YE}\s*(?:پ{_YE}ام|خبر)|{_KAF}د\s*خبر\s*:|ل{_YE}ن{_KAF}\s*{_KAF}وتاه|"
    rf"اخبار\s*مرتبط|ب{_YE}شتر\s*بخوان{_YE}د|برچسب\W*ها\s*:|{_KAF}ل{_YE}د\s*واژه|"
    rf"ارسال\s*نظر|عضو\s*{_KAF}انال)"
)
# Title labels «ویدئو/», «فیلم |» and outlet suffixes « - ایرنا», « | خبرگزاری فارس».
_TITLE_LABEL_RE = re.compile(r"^\s*[^\s/|:]+(?:\s+[^\s/|:]+)?\s*[/|]\s*")
_TITLE_SUFFIX_RE = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{1,30}$")

# Function words in search-key form: dropped before shingling.
_STOP_WORDS = frozenset(
    "و در به از که این آن را با برای است بود شد شده شود میشود تا بر یک هم نیز ای های ها "
    "وی او خود اینکه همچنین همین ما ما نیز اما یا پس سپس بیان کرد کرده کند دارد".split()
)


def _strip_outlet(text: str) -> str:
    tail = _TAIL_RE.search(text, len(text) // 3)
    if tail:
        text = text[: tail.start()]
    # Bylines can be stacked («تهران- ایرنا- به گزارش خبرنگار ایرنا،»): a few passes.
    for _ in range(3):
        stripped = _REPORTED_RE.sub("", _DESK_RE.sub("", _DATELINE_RE.sub("", text)))
        if stripped == text:
            break
        text = stripped
    return text


def _strip_title(title: str) -> str:
    title = title.strip()
    return _TITLE_SUFFIX_RE.sub("", _TITLE_LABEL_RE.sub("", title))


def _words(text: str) -> list[str]:
    return [w for w in search_key(text).split() if w not in _STOP_WORDS]


# --- shingles and MinHash --------------------------------------------------------

_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MASK32 = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)


def _fmix64(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(33))
    values = values * _M1
    values = values ^ (values >> np.uint64(33))
    values = values * _M2
    mixed: np.ndarray = values ^ (values >> np.uint64(33))
    return mixed


def _fmix32(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finaliser: what datasketch's affine32 scheme applies first.
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """32-bit hashes of the word 3-grams in order, repeats included (of the words
    themselves when there are fewer than three: a two-word title still counts)."""
    if not words:
        return np.empty(0, dtype=np.uint32)
    hashed = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
    if len(words) >= SHINGLE:
        with np.errstate(over="ignore"):
            mixed = hashed[: 1 - SHINGLE] * _K1 + hashed[1 : 2 - SHINGLE] * _K2 + hashed[2:]
            hashed = _fmix64(mixed)
    return (hashed & _MASK32).astype(np.uint32)


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=_SEED).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


_BODY_A, _BODY_B = _permutations(BODY_PERMS)
_LEAD_A, _LEAD_B = _permutations(LEAD_PERMS)


def _minhash(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not hashes.size:
        return np.full(a.shape, _EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        permuted = _fmix32(hashes)[:, None] * a[None, :] + b[None, :]
    result: np.ndarray = permuted.min(axis=0)
    return result


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """``signature``: BODY_PERMS + LEAD_PERMS uint32 minima (all 0xFFFFFFFF for an
    empty part); ``shingles``: distinct body shingles (0: nothing to match on)."""

    signature: np.ndarray
    shingles: int
    lead_shingles: int


def fingerprint(title: str, text: str) -> Fingerprint:
    """The article as clustering sees it (see the module docstring)."""
    title_words = _words(_strip_title(title))
    text_words = _words(_strip_outlet(text))
    text_shingles = _shingle_hashes(text_words)
    title_shingles = _shingle_hashes(title_words)
    body = np.unique(np.concatenate((title_shingles, text_shingles)))
    # The shingles of the first LEAD_WORDS words of the text: the first LEAD_WORDS - 2.
    lead_end = max(LEAD_WORDS - SHINGLE + 1, 1)
    lead = np.unique(text_shingles[:lead_end] if text_words else title_shingles)
    signature = np.concatenate((_minhash(body, _BODY_A, _BODY_B), _minhash(lead, _LEAD_A, _LEAD_B)))
    return Fingerprint(signature=signature, shingles=int(body.size), lead_shingles=int(lead.size))


# --- the index ---------------------------------------------------------------------

_BAND_IDS = np.arange(BANDS, dtype=np.uint64) + np.uint64(1)


def _band_hashes(signature: np.ndarray) -> np.ndarray:
    rows = signature.astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        h = _fmix64(_BAND_IDS * _K1)
        for row in range(ROWS):
            h = _fmix64((h ^ rows[:, row]) * _K1)
    signed: np.ndarray = h.view(np.int64)
    return signed


def _similarities(fp: Fingerprint, others: np.ndarray, other_sizes: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of ``fp`` with each row of ``others`` (N × perms signatures
    of articles of ``other_sizes`` body shingles, 0 where an article has no lead).
    The body estimate, or the lead estimate where it is higher and one of the two
    is a short text, all lead (a summary): two long articles that merely open
    alike (stock openers of one agency) are judged on their bodies."""
    equal = others == fp.signature[None, :]
    body: np.ndarray = equal[:, :BODY_PERMS].mean(axis=1)
    if not fp.lead_shingles:
        return body
    summary = (other_sizes > 0) & (np.minimum(other_sizes, fp.shingles) <= SUMMARY_SHINGLES)
    lead = np.where(summary, equal[:, BODY_PERMS:].mean(axis=1) - LEAD_MARGIN, 0.0)
    result: np.ndarray = np.maximum(body, lead)
    return result


class StoryIndex:
    """In-memory LSH over the articles seen so far, grouping them into stories.

    ``_buckets`` maps a band hash to ``(story_id, article_id)`` entries, the latest
    last; a later store keeps the same pairs in a ``story_band`` table. A story's
    id is the id of its first article.
    """

    def __init__(
        self,
        *,
        threshold: float = THRESHOLD,
        max_candidates: int = MAX_CANDIDATES,
        bucket_cap: int = BUCKET_CAP,
    ) -> None:
        self.threshold = threshold
        self.max_candidates = max_candidates
        self.bucket_cap = bucket_cap
        self._buckets: dict[int, list[tuple[Hashable, Hashable]]] = {}
        self._signatures: dict[Hashable, np.ndarray] = {}
        self._sizes: dict[Hashable, int] = {}  # body shingles, 0 without a lead
        self._story_of: dict[Hashable, Hashable] = {}
        self._members: dict[Hashable, list[Hashable]] = {}

    def __len__(self) -> int:
        return len(self._story_of)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._story_of

    @property
    def bucket_count(self) -> int:
        return len(self._buckets)

    def story_of(self, article_id: Hashable) -> Hashable:
        return self._story_of[article_id]

    def members(self, story_id: Hashable) -> list[Hashable]:
        return list(self._members.get(story_id, ()))

    def stories(self) -> dict[Hashable, list[Hashable]]:
        return {story: list(members) for story, members in self._members.items()}

    def bands(self, fp: Fingerprint) -> list[int]:
        """The article's band hashes (signed 64-bit), without the bands of an empty
        part: those would make every empty article collide."""
        if not fp.shingles:
            return []
        hashes = _band_hashes(fp.signature)
        if not fp.lead_shingles:
            hashes = hashes[:BODY_BANDS]
        return [int(h) for h in hashes]

    def candidates(self, bands: Iterable[int]) -> list[Hashable]:
        """Earlier articles sharing a band, most shared bands first, at most
        ``max_candidates``; ties go to the most recent."""
        counts: dict[Hashable, int] = {}
        for band in bands:
            for _story, article in self._buckets.get(band, ()):
                counts[article] = counts.get(article, 0) + 1
        if len(counts) <= self.max_candidates:
            return sorted(counts, key=counts.__getitem__, reverse=True)
        return heapq.nlargest(self.max_candidates, counts, key=counts.__getitem__)

    def assign(
        self, article_id: Hashable, fp: Fingerprint, *, bands: list[int] | None = None
    ) -> tuple[Hashable, float]:
        """Put the article into the story of its most similar candidate when that
        similarity reaches ``threshold``, else start a story with id ``article_id``.
        Returns ``(story_id, similarity)``; 1.0 for an article already assigned (a
        re-polled item changes nothing)."""
        if article_id in self._story_of:
            return self._story_of[article_id], 1.0
        if bands is None:
            bands = self.bands(fp)
        story: Hashable = article_id
        similarity = 0.0
        found = self.candidates(bands)
        if found:
            others = np.stack([self._signatures[a] for a in found])
            sizes = np.fromiter((self._sizes[a] for a in found), np.int64, len(found))
            sims = _similarities(fp, others, sizes)
            best = int(np.argmax(sims))  # the first of equals: most shared bands
            if sims[best] >= self.threshold:
                story, similarity = self._story_of[found[best]], float(sims[best])
        self._add(article_id, story, fp, bands)
        return story, similarity

    def seed(
        self,
        article_id: Hashable,
        story: Hashable,
        signature: np.ndarray,
        size: int,
        bands: Iterable[int],
    ) -> None:
        """Put an article already assigned (read back from a store) into the index:
        ``size`` is its body shingle count, 0 when it has no lead; ``bands`` the band
        hashes the store holds for it."""
        if article_id in self._story_of:
            return
        self._signatures[article_id] = signature
        self._sizes[article_id] = size
        self._story_of[article_id] = story
        self._members.setdefault(story, []).append(article_id)
        for band in bands:
            bucket = self._buckets.setdefault(band, [])
            bucket.append((story, article_id))
            if len(bucket) > self.bucket_cap:
                del bucket[0]

    def similarity(self, fp: Fingerprint, signature: np.ndarray, size: int) -> float:
        """The similarity ``assign`` would give ``fp`` against one other fingerprint."""
        sims = _similarities(fp, signature[None, :], np.array([size], dtype=np.int64))
        return float(sims[0])

    def _add(
        self, article_id: Hashable, story: Hashable, fp: Fingerprint, bands: list[int]
    ) -> None:
        self._signatures[article_id] = fp.signature
        self._sizes[article_id] = fp.shingles if fp.lead_shingles else 0
        self._story_of[article_id] = story
        self._members.setdefault(story, []).append(article_id)
        entry = (story, article_id)
        for band in bands:
            bucket = self._buckets.get(band)
            if bucket is None:
                self._buckets[band] = [entry]
                continue
            # A member of the story is already reachable through this band: another
            # entry would only take a candidate slot from other stories.
            if any(s == story for s, _ in bucket):
                continue
            bucket.append(entry)
            if len(bucket) > self.bucket_cap:
                del bucket[0]


# --- coverage ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    outlets: int
    weight: float


def coverage(
    outlets: Iterable[Hashable], weights: Mapping[Hashable, float] | None = None
) -> Coverage:
    """A story's coverage: how many distinct outlets carried it, and their summed
    weight (1.0 each unless ``weights`` says otherwise). Two articles of one outlet
    count once."""
    distinct = set(outlets)
    weight = sum((weights or {}).get(outlet, 1.0) for outlet in distinct)
    return Coverage(outlets=len(distinct), weight=float(weight))
