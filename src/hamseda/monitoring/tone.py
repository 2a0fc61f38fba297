"""Tone of a news article toward an agency: positive, neutral or negative.

A hand-written Persian lexicon (``tone_lexicon``) with a few rules, not a model:

- it runs on the CPU (~0.3 ms an article) and downloads nothing, at install or run time;
- every decision names its cues ("افتتاح نشده", "کاهش تصادفات"), which the monitoring
  page shows as the "why" next to a tone, so a PR officer can see a wrong call and
  the lexicon can be fixed in one line;
- it is measured: ``scripts/eval_tone.py`` scores it on the labelled articles in
  ``tests/data/tone_articles.json`` (batch 3 was written after the lexicon was
  frozen: the held-out figure), and ``tests/test_tone.py`` asserts the floors.
A naive-Bayes model fitted on ~150 articles would learn agency and place names as
much as tone, would have to be scored on the articles it was fitted on (or by
cross-validation on very few), and could not say why.

How a text is read: sentences are split on the original text (so ``around`` spans
apply), each is normalised and cut into words folded with ``compact_key``; the
longest lexicon entry starting at each word wins (multi-word entries, joined or
half-spaced spellings, plural and pronoun suffixes). Within a clause (cut at ، ؛ and
at اما/ولی/بلکه):

- a negated verb (نشد، نمی‌شود، ندارد، نیست ...) reverses the nearest cue before it
  when the word right before the verb is that cue or a light word ("تأخیری گزارش
  نشد"), not when it is the verb's own partner ("در اعتراض به پرداخت نشدن حقوق");
  after هیچ it reverses every cue since ("هیچ پروازی با تأخیر انجام نشد"); with
  هنوز/تاکنون a reversed good word is a delay, and with no cue the clause is one
  ("هنوز اقدامی نکرده");
- عدم/نبود/بدون/هیچ reverse the word right after them when it is a cue ("بدون
  تأخیر"; but "بدون اطلاع قبلی لغو شد" stays a cancellation); "نه تنها" is emphasis;
- a decrease (کاهش، افت) reverses, an increase (افزایش، دو برابر) strengthens, the
  clause's subject when it is the verb ("قیمت بلیت ... کاهش یافت") and its next word
  otherwise ("کاهش تصادفات"), and both give a quantity (قیمت، زمان سفر، مسافر) its
  tone; a remedy (رفع، برطرف، ایمن‌سازی) reverses the nearest negative cue; a
  comparative (کمتر، بیشتر) acts only as the verb;
- intensifiers (به شدت before, شدید/گسترده after their word) and downtoners (جزئی)
  scale a cue;
- forecasts and advice (پیش‌بینی، احتمال، هشدار) soften a sentence's negative cues,
  demands, promises and pointed questions (خواستار، وعده، چرا) its positive ones; a
  concession (با وجود ...) softens the cues right after it, and the clause after a
  contrast (اما، بلکه) counts more.

Sentences that mention the agency (``around``) count fully, the others less. A
reversed negative counts less than the positive it hides ("بدون تأخیر" is good,
but not as good as "زودتر از موعد"), and the threshold for negative is lower than
for positive: negative stories alert the PR office, so recall matters more there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from hamseda.core.persian import normalize
from hamseda.monitoring.tone_lexicon import MAX_WORDS, PREFIXES, Entry, fold, lookup, negated_verb

__all__ = ["NEGATIVE", "NEUTRAL", "POSITIVE", "Tone", "ToneResult", "tone_of", "tones_of"]


class Tone(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


POSITIVE = Tone.POSITIVE
NEUTRAL = Tone.NEUTRAL
NEGATIVE = Tone.NEGATIVE


@dataclass(frozen=True)
class ToneResult:
    """``score`` in [-1, 1]; ``cues`` are the phrases that decided, strongest first."""

    tone: str
    score: float
    cues: tuple[str, ...]


# --- tuning (eval_tone.py measures the effect of each) ------------------------------

NEGATIVE_THRESHOLD = -0.5  # raw sum at or below which the text is negative
POSITIVE_THRESHOLD = 0.8  # raw sum at or above which it is positive
OFF_MENTION_WEIGHT = 0.7  # a sentence that does not mention the agency, when spans are given
REVERSED_NEGATIVE = 0.7  # "بدون تأخیر" is worth 0.7 × the weight of "تأخیر"
EXTENDED_DELAY = 1.2  # "هنوز ... نشده" is at least this negative
INTENSIFY, DOWNTONE, STRENGTHEN = 1.5, 0.5, 1.25
HEDGED_NEGATIVE = 0.3  # negative cues in a forecast
DEMANDED_POSITIVE = 0.3  # positive cues in a demand or a pointed question
CONCEDED, CONTRASTED = 0.3, 1.3
NEGATED_VERB_REACH, DIRECTION_REACH, INTENSIFIER_REACH = 6, 4, 2
CONCESSIVE_REACH = 4
MAX_CUES = 6

# --- reading a text --------------------------------------------------------------------

_SENTENCE_END_RE = re.compile(r"[.!?؟]+(?=\s|$)|\n+")
_TOKEN_RE = re.compile(r"[\w\u200c\u064b-\u065f\u0670]+|[،,؛;:]")
_BOUNDARY = frozenset("،,؛;:")


@dataclass
class _Unit:
    kind: str  # an Entry kind, "word", "negated_verb" or "boundary"
    text: str  # as written (normalised), for the cues shown to the user
    key: str  # folded
    weight: float = 0.0
    value: float = 0.0  # a cue's contribution once modifiers are applied
    negated: bool = False
    parts: list[tuple[int, str]] = field(default_factory=list)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _units(sentence: str) -> list[_Unit]:
    """Cut a sentence into lexicon entries (the longest that starts at each word),
    plain words, negated verbs and clause punctuation."""
    words = [m.group() for m in _TOKEN_RE.finditer(normalize(sentence))]
    pairs = [(w, k) for w in words if (k := w if w in _BOUNDARY else fold(w))]
    units: list[_Unit] = []
    i = 0
    while i < len(pairs):
        word, key = pairs[i]
        if key in _BOUNDARY:
            units.append(_Unit("boundary", word, key))
            i += 1
            continue
        best: tuple[int, Entry] | None = None
        joined = ""
        for size in range(1, min(MAX_WORDS, len(pairs) - i) + 1):
            if pairs[i + size - 1][1] in _BOUNDARY:
                break
            joined += pairs[i + size - 1][1]
            entry = lookup(joined)
            if entry is not None:
                best = (size, entry)
            if joined not in PREFIXES:  # no longer entry can start this way
                break
        if best is None:
            kind = "negated_verb" if negated_verb(key) else "word"
            units.append(_Unit(kind, word, key))
            i += 1
            continue
        size, entry = best
        chunk = pairs[i : i + size]
        text, joined_key = " ".join(w for w, _ in chunk), "".join(k for _, k in chunk)
        units.append(_Unit(entry.kind, text, joined_key, entry.weight))
        i += size
    return units


def _clauses(units: list[_Unit]) -> list[tuple[list[_Unit], float]]:
    """Cut at punctuation and contrasts; the clause after a contrast weighs more."""
    clauses: list[tuple[list[_Unit], float]] = []
    current: list[_Unit] = []
    factor = 1.0
    for unit in units:
        if unit.kind in ("boundary", "contrast"):
            if current:
                clauses.append((current, factor))
            current = []
            if unit.kind == "contrast":
                factor = CONTRASTED
            continue
        current.append(unit)
    if current:
        clauses.append((current, factor))
    return clauses


_TARGETS = ("cue", "quantity")
# A direction word followed by one of these (or ending the clause) is the verb.
_VERB_PARTS = (
    *("یافت", "یاب", "مییاب", "داشت", "دار", "پیدا", "شد", "است", "بود"),
    *("داد", "دهد", "میده", "کرد", "میکن"),
)
# What a forward negator skips to reach its word: "بدون هیچ تأخیری".
_SKIPPED = ("forward", "intensifier", "intensifier_before", "downtoner")
_FILLERS = frozenset({"درصد", "درصدی", "برابری", "نسبی"})


def _nearest(
    clause: list[_Unit],
    at: int,
    reach: int,
    *,
    back: bool,
    ahead: bool,
    kinds: tuple[str, ...] = _TARGETS,
    negative: bool = False,
) -> int | None:
    for distance in range(1, reach + 1):
        for index in ((at + distance) if ahead else -1, (at - distance) if back else -1):
            if (
                0 <= index < len(clause)
                and clause[index].kind in kinds
                and (not negative or clause[index].value < 0)
            ):
                return index
    return None


def _next_word(clause: list[_Unit], at: int) -> int | None:
    """The first word after ``at`` that is not a number, "درصد" or an intensifier."""
    for k in range(at + 1, len(clause)):
        unit = clause[k]
        if unit.kind in _SKIPPED or unit.key.isdigit():
            continue
        if unit.key in _FILLERS:
            continue
        return k
    return None


def _is_verb(clause: list[_Unit], at: int) -> bool:
    key = clause[at].key
    k = _next_word(clause, at)
    following = clause[k].key if k is not None else ""
    return key.endswith(_VERB_PARTS) or not following or following.startswith(_VERB_PARTS)


def _direction_target(clause: list[_Unit], at: int) -> int | None:
    """What a "کاهش"/"افزایش" is about.

    As the clause's verb ("قیمت بلیت ... ۲۰ درصد کاهش یافت") it is about the
    subject: the first quantity of the clause, else its first cue. Otherwise it is
    about its own complement, the next word ("کاهش ۲۲ درصدی تصادفات"), and about
    nothing when that word is no cue ("کندی برف‌روبی" is slowness by itself).
    """
    if _is_verb(clause, at):
        for kinds in (("quantity",), ("cue",)):
            found = next((k for k in range(at) if clause[k].kind in kinds), None)
            if found is not None:
                return found
    k = _next_word(clause, at)
    return k if k is not None and clause[k].kind in _TARGETS else None


def _steer(target: _Unit, *, rising: bool) -> None:
    if target.kind == "quantity":
        target.kind = "cue"
        target.value = target.weight * (1 if rising else -1)
        if target.negated:
            target.value = -target.value
    elif rising:
        target.value *= STRENGTHEN
    else:
        target.value = -target.value


def _attach(target: _Unit, at: int, modifier: _Unit, modifier_at: int) -> None:
    if not target.parts:
        target.parts.append((at, target.text))
    target.parts.append((modifier_at, modifier.text))


def _negate(unit: _Unit) -> None:
    unit.negated = True
    if unit.kind == "quantity":
        return
    unit.value = -unit.value * (REVERSED_NEGATIVE if unit.value < 0 else 1.0)


def _read_clause(clause: list[_Unit]) -> list[_Unit]:
    """Apply the modifiers of one clause; return its cues with their values set."""
    for unit in clause:
        unit.value = unit.weight if unit.kind == "cue" else 0.0
    last_word = max((i for i, u in enumerate(clause) if u.kind != "emphasis"), default=-1)
    for i, unit in enumerate(clause):
        if unit.kind == "forward" and unit.key == "نبود" and i == last_word:
            unit.kind = "negated_verb"  # "... دقیق نبود": the verb, not "lack of"
    standalone: list[_Unit] = []
    _forward_negation(clause, standalone)
    _direction(clause, standalone)
    _verb_negation(clause, standalone)
    for i, unit in enumerate(clause):  # intensifiers and downtoners
        if unit.kind not in ("intensifier", "intensifier_before", "downtoner"):
            continue
        before = unit.kind == "intensifier_before"
        j = _nearest(clause, i, INTENSIFIER_REACH, back=not before, ahead=before, kinds=("cue",))
        if j is None:
            j = _nearest(
                clause, i, INTENSIFIER_REACH, back=before, ahead=not before, kinds=("cue",)
            )
        if j is not None:
            clause[j].value *= DOWNTONE if unit.kind == "downtoner" else INTENSIFY
            _attach(clause[j], j, unit, i)
    for i, unit in enumerate(clause):  # "با وجود افتتاح ...": a concession
        if unit.kind == "concessive":
            for k in range(i + 1, min(len(clause), i + 1 + CONCESSIVE_REACH)):
                clause[k].value *= CONCEDED
    cues = [u for u in clause if u.kind == "cue" and u.value]
    return cues + [u for u in standalone if u not in cues]


def _standalone(unit: _Unit, standalone: list[_Unit]) -> None:
    if unit.weight:
        unit.kind, unit.value = "cue", unit.weight
        standalone.append(unit)


def _forward_negation(clause: list[_Unit], standalone: list[_Unit]) -> None:
    """عدم، نبود، بدون، هیچ negate the word right after them ("بدون هیچ تأخیری"),
    not a cue further on ("بدون اطلاع قبلی لغو شد" is a cancellation)."""
    for i, unit in enumerate(clause):
        if unit.kind != "forward":
            continue
        j = next((k for k in range(i + 1, len(clause)) if clause[k].kind not in _SKIPPED), None)
        if j is not None and clause[j].kind in _TARGETS and not clause[j].negated:
            _negate(clause[j])
            _attach(clause[j], j, unit, i)
        else:
            _standalone(unit, standalone)


def _direction(clause: list[_Unit], standalone: list[_Unit]) -> None:
    for i, unit in enumerate(clause):
        if unit.kind in ("decrease", "increase"):
            j = _direction_target(clause, i)
        elif unit.kind == "remedy":
            j = _nearest(clause, i, DIRECTION_REACH, back=True, ahead=True, negative=True)
        elif unit.kind == "comparative":
            j = _direction_target(clause, i) if _is_verb(clause, i) else None
            if j is None:
                continue
        else:
            continue
        if j is None:
            _standalone(unit, standalone)
            continue
        rising = unit.kind == "increase" or (unit.kind == "comparative" and unit.weight > 0)
        targets = [j]
        if not rising:  # "تصادفات فوتی ... کاهش یافت": the whole phrase
            targets += [
                k
                for k in (j - 1, j + 1)
                if 0 <= k < len(clause)
                and clause[k].kind == "cue"
                and clause[k].value * clause[j].value > 0
            ]
        for k in targets:
            _steer(clause[k], rising=rising)
            _attach(clause[k], k, unit, i)


def _verb_negation(clause: list[_Unit], standalone: list[_Unit]) -> None:
    """A negated verb reverses the nearest cue before it when the word right before
    it lets it through; after "هیچ" it reverses every cue since (negative concord:
    "هیچ پروازی با تأخیر انجام نشد"). After هنوز/تاکنون a reversed good word is a
    delay, and with no cue at all the clause is one ("هنوز اقدامی نکرده")."""
    for i, unit in enumerate(clause):
        if unit.kind != "negated_verb":
            continue
        before = range(i)
        concord = next((k for k in before if clause[k].key.startswith("هیچ")), None)
        extender = next((k for k in reversed(before) if clause[k].kind == "extender"), None)
        if concord is not None:
            found = [k for k in range(concord + 1, i) if clause[k].kind == "cue"]
        elif i > 0 and clause[i - 1].kind in ("cue", "pass", "quantity"):
            reach = i if extender is not None else NEGATED_VERB_REACH
            j = _nearest(clause, i, reach, back=True, ahead=False, kinds=("cue",))
            found = [] if j is None else [j]
        else:
            found = []
        for k in found:
            if clause[k].negated:
                continue
            _negate(clause[k])
            if extender is not None and clause[k].value < 0:
                clause[k].value = min(clause[k].value, -EXTENDED_DELAY)
            _attach(clause[k], k, unit, i)
        if not found and extender is not None:
            marker = clause[extender]
            marker.kind, marker.value = "cue", -EXTENDED_DELAY
            marker.parts = [(extender, marker.text), (i, unit.text)]
            standalone.append(marker)


def _label(unit: _Unit) -> str:
    if not unit.parts:
        return unit.text
    parts = sorted(set(unit.parts))
    out = parts[0][1]
    for (before, _), (at, text) in pairwise(parts):
        out += (" " if at == before + 1 else " … ") + text
    return out


def _sentence_cues(text: str) -> list[tuple[int, int, list[tuple[float, str]]]]:
    """Each sentence's span and its cues (value before the mention weight, label)."""
    read: list[tuple[int, int, list[tuple[float, str]]]] = []
    for start, end in _sentences(text):
        units = _units(text[start:end])
        hedged = any(u.kind == "hedge" for u in units)
        demanded = any(u.kind == "demand" for u in units)
        cues: list[tuple[float, str]] = []
        for clause, factor in _clauses(units):
            for cue in _read_clause(clause):
                value = cue.value * factor
                if hedged and value < 0:
                    value *= HEDGED_NEGATIVE
                elif demanded and value > 0:
                    value *= DEMANDED_POSITIVE
                cues.append((value, _label(cue)))
        read.append((start, end, cues))
    return read


def _verdict(
    sentences: list[tuple[int, int, list[tuple[float, str]]]],
    around: Sequence[tuple[int, int]],
) -> ToneResult:
    total = 0.0
    found: list[tuple[float, str]] = []
    for start, end, read in sentences:
        mentioned = not around or any(s < end and e > start for s, e in around)
        weight = 1.0 if mentioned else OFF_MENTION_WEIGHT
        for value, label in read:
            total += value * weight
            found.append((value * weight, label))
    if total <= NEGATIVE_THRESHOLD:
        tone = Tone.NEGATIVE
    elif total >= POSITIVE_THRESHOLD:
        tone = Tone.POSITIVE
    else:
        tone = Tone.NEUTRAL
    sign = {Tone.NEGATIVE: -1, Tone.POSITIVE: 1, Tone.NEUTRAL: 0}[tone]
    deciding = [(v, c) for v, c in found if sign == 0 or v * sign > 0]
    deciding.sort(key=lambda vc: -abs(vc[0]))
    cues = tuple(dict.fromkeys(c for _, c in deciding))[:MAX_CUES]
    return ToneResult(tone=str(tone), score=round(math.tanh(total / 2), 3), cues=cues)


def tone_of(text: str, *, around: Sequence[tuple[int, int]] = ()) -> ToneResult:
    """The tone of ``text``; with ``around`` (character spans of the agency's mentions
    in ``text``), toward that agency: sentences with a mention count fully, the others
    ``OFF_MENTION_WEIGHT``."""
    return _verdict(_sentence_cues(text), around)


def tones_of(text: str, arounds: Sequence[Sequence[tuple[int, int]]]) -> list[ToneResult]:
    """``tone_of(text, around=spans)`` for each entry of ``arounds`` (one per agency
    named in the text), reading the text once."""
    sentences = _sentence_cues(text)
    return [_verdict(sentences, around) for around in arounds]
