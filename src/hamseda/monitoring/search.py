"""Persian full-text search over articles, on SQLite FTS5 and PostgreSQL alike.

Both databases index the same tokens, ``index_tokens``: the words of
``core.persian.search_key`` (ي/ی, ك/ک, diacritics and digits folded; a half-space
joins the two parts, "راه‌آهن" → "راهاهن"), and after them each pair of adjacent
words written together when one of the two is short ("راه آهن" → also "راهاهن";
"می شود" → "میشود"), so the three spellings of a compound — half-space, space,
joined — find each other. ``match_expression`` turns a query into the same
alternatives: a query word matches itself, its join with the word before or after
it, or its singular; a word ending in a plural suffix is indexed in the singular
too ("فرودگاهها" also as "فرودگاه"), and the query's last word, which may still
be being typed, matches as a prefix (3+ letters).

The database does the matching (FTS5 ``MATCH`` / ``tsvector @@ tsquery`` with a
GIN index on a stored ``search_vector`` column, migration 0002); the tokens
are built here once, so both agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from hamseda.core import persian

# A pair of adjacent words is also indexed joined when one of them is at most this
# long: prefixes and suffixes written apart (می، ها، تر، ای) and short compound parts
# (راه، آب، بر). Joining every pair would double the index for little gain.
JOIN_MAX = 3
# "صدا و سیما" is also "صداوسیما": a word, «و», a word.
_AND = "و"
# Function words are never half of a compound: joining them ("درتهران") would only
# grow the index.
_NEVER_JOINED = frozenset("و از در با را که این آن تا یا هم اما نیز هر یک".split())
PREFIX_MIN = 3
MAX_TERMS = 12
# The plural endings written joined once the half-space is dropped ("فرودگاه‌ها" →
# "فرودگاهها"): a word ending in one is also indexed without it, so a query word in
# the singular matches without a prefix search.
_PLURALS = ("هایی", "های", "ها")
_STEM_MIN = 2


def _stem(word: str) -> str:
    """``word`` without a plural ending ("" when it has none)."""
    for ending in _PLURALS:
        if word.endswith(ending) and len(word) - len(ending) >= _STEM_MIN:
            return word[: -len(ending)]
    return ""


def index_tokens(*parts: str) -> str:
    """The text full-text search indexes for an article (title, text, ...)."""
    words = persian.search_key(" ".join(parts)).split()
    extra: list[str] = [stem for word in words if (stem := _stem(word))]
    for index in range(len(words) - 1):
        first, second = words[index], words[index + 1]
        if (
            min(len(first), len(second)) <= JOIN_MAX
            and first not in _NEVER_JOINED
            and second not in _NEVER_JOINED
        ):
            extra.append(first + second)
        if second == _AND and index + 2 < len(words):
            extra.append(first + _AND + words[index + 2])
    if extra:
        words.extend(extra)
    return " ".join(words)


@dataclass(frozen=True)
class Alternatives:
    """What one query word may match: itself (``prefix``: as a word start), a join
    with a neighbour, or its singular."""

    word: str
    prefix: bool
    joined: tuple[str, ...]


def query_alternatives(query: str) -> list[Alternatives]:
    """One entry per word of the query that must match. A function word («و», «از»,
    «در» …) is not one of them when the query has other words: it is in almost every
    article, and requiring it made a search read the whole index. It still joins its
    neighbours: «حمل و نقل» also matches "حملونقل"."""
    words = persian.search_key(query).split()[:MAX_TERMS]
    content = [w for w in words if w not in _NEVER_JOINED] or words
    result: list[Alternatives] = []
    for index, word in enumerate(words):
        if word not in content:
            continue
        joined: list[str] = []
        before = words[index - 1] if index > 0 else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        if before:
            joined.append(before + word)
            if before == _AND and index > 1:
                joined.append(words[index - 2] + _AND + word)
        if after:
            joined.append(word + after)
            if after == _AND and index + 2 < len(words):
                joined.append(word + _AND + words[index + 2])
        if stem := _stem(word):
            joined.append(stem)
        # Only the last word is a prefix (it may still be being typed): a prefix
        # search reads every word that starts so, and several of them in one query
        # made a search over a million articles take a second.
        result.append(
            Alternatives(
                word=word,
                prefix=index == len(words) - 1 and len(word) >= PREFIX_MIN,
                joined=tuple(dict.fromkeys(joined)),
            )
        )
    return result


def _fts5(alternatives: list[Alternatives]) -> str:
    groups = []
    for alt in alternatives:
        options = [f'"{alt.word}"' + ("*" if alt.prefix else "")]
        options += [f'"{join}"' for join in alt.joined]
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def _tsquery(alternatives: list[Alternatives]) -> str:
    groups = []
    for alt in alternatives:
        options = [f"'{alt.word}'" + (":*" if alt.prefix else "")]
        options += [f"'{join}'" for join in alt.joined]
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


def match_expression(query: str, vendor: str | None = None) -> str:
    """The query in the database's own syntax ("" when it has no words). Words are
    search-key output (letters and digits only), so nothing needs escaping."""
    alternatives = query_alternatives(query)
    if not alternatives:
        return ""
    vendor = vendor or connection.vendor
    return _tsquery(alternatives) if vendor == "postgresql" else _fts5(alternatives)


def filter_text(queryset: QuerySet, query: str) -> QuerySet:  # type: ignore[type-arg]
    """``queryset`` (of ``Article``) narrowed to articles matching ``query``; as it
    is when the query has no words."""
    expression = match_expression(query)
    if not expression:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(
            RawSQL(
                "monitoring_article.search_vector @@ to_tsquery('simple'::regconfig, %s)",
                [expression],
                output_field=BooleanField(),
            )
        )
    return queryset.filter(
        id__in=RawSQL(
            "SELECT rowid FROM monitoring_article_fts WHERE monitoring_article_fts MATCH %s",
            [expression],
        )
    )
