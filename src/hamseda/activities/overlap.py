"""Parallel work: find the activities another office already plans that a new
one repeats, and the pairs a council's chair should look at.

The index is ``ActivityBand``: the MinHash bands of every activity's text
(``activities.similarity`` explains the bands and why they live in our own
table). ``index_activity`` rewrites one activity's rows; the services call it
inside their transaction after a create, or an edit of the title, description
or lead office (the province is hashed into every band). ``index_bulk`` fills
many at once (generator, backfill, ``manage.py activities_reindex``; run that
command too after editing agency aliases, which change how texts read).

``find_overlaps`` asks the band index once (an OR of the (band, hash) pairs
on the ``activity_band_lookup`` index, grouped per activity; the province is
part of every hash), loads the live ones among those activity ids (province,
dates, status and office filters on primary-key lookups), re-scores the
best-sharing ones with ``similarity.score`` and keeps those at or above
``THRESHOLD``: five queries whatever the number of stored activities.
``council_overlaps`` groups the bands of a province's period in Python
instead of a SQL self-join: one query returns the rows, and a self-join of
32 rows per activity would return the same pairs many times.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations, islice

import numpy as np
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.activities import similarity
from hamseda.activities.models import (
    Activity,
    ActivityBand,
    ActivityPartner,
    ActivityStatus,
    OverlapDismissal,
)
from hamseda.directory.models import Agency

__all__ = [
    "CANDIDATES",
    "RECENT_DAYS",
    "THRESHOLD",
    "TOLERANCE_DAYS",
    "Match",
    "agency_aliases",
    "council_overlaps",
    "find_overlaps",
    "index_activity",
    "index_bulk",
]

THRESHOLD: float = similarity.THRESHOLD
# An activity is compared with those whose period is at most this far from its own.
TOLERANCE_DAYS = similarity.DATE_TOLERANCE_DAYS
# A warning is about live work: planned, or done within the last month.
RECENT_DAYS = 30
# Candidates re-scored per lookup, the ones sharing most bands first. Re-scoring
# canonicalises each candidate's text (~0.2 ms), so this bounds a lookup's time.
CANDIDATES = 40
# council_overlaps: a (band, hash) bucket this full holds a phrase every activity
# of the period uses; its pairs are found through their other bands if similar.
MAX_BUCKET = 200
# find_overlaps: band matches kept (most shared bands first) before the filters
# on province, dates and status; a text of nothing but the commonest words
# would otherwise bring back a large part of the province.
MAX_BAND_MATCHES = 3000
_BULK_CHUNK = 2000


@dataclass(frozen=True)
class Match:
    activity: Activity  # lead_office and lead_office.agency loaded; partners prefetched
    score: float  # 0..1
    reasons: tuple[str, ...]


# --- agency aliases ----------------------------------------------------------------


def agency_aliases(province_id: int | None) -> similarity.AliasTable:
    """The matching table with the short names and aliases of the agencies of the
    province and of the national ones (one query), each read as its agency's
    official name: «عمران بهارستان» is «شرکت عمران شهر جدید بهارستان»."""
    return _alias_tables([province_id])[province_id]


def _alias_tables(
    province_ids: Iterable[int | None],
) -> dict[int | None, similarity.AliasTable]:
    wanted = set(province_ids)
    provincial = [pk for pk in wanted if pk is not None]
    rows = (
        Agency.objects.filter(Q(province_id__in=provincial) | Q(province__isnull=True))
        .values_list("province_id", "name", "short_name", "aliases__name")
        .order_by("pk", "aliases__pk")
    )
    names: dict[int | None, list[tuple[str, str]]] = defaultdict(list)
    for province_id, name, short_name, alias in rows:
        for other in (short_name, alias):
            if other:
                names[province_id].append((other, name))
    national = names.get(None, [])
    return {
        pk: _alias_table(tuple(sorted({*national, *(names.get(pk, []) if pk else [])})))
        for pk in wanted
    }


@lru_cache(maxsize=64)
def _alias_table(pairs: tuple[tuple[str, str], ...]) -> similarity.AliasTable:
    # Keyed by the alias pairs themselves, so an edited alias gives a new table.
    return similarity.alias_table(pairs)


# --- writing the index -------------------------------------------------------------


def _scope(province_id: int | None) -> int:
    return province_id or 0


def _band_rows(
    activity_ids: Sequence[int], sigs: np.ndarray, scopes: Sequence[int]
) -> list[tuple[int, int, int]]:
    """(activity_id, band, hash) of every non-empty band."""
    hashes = similarity.band_hashes_batch(sigs, scopes).tolist()
    empty = similarity.empty_bands(sigs).tolist()
    return [
        (activity_id, band, hashes[row][band])
        for row, activity_id in enumerate(activity_ids)
        for band in range(similarity.BANDS)
        if not empty[row][band]
    ]


def _insert_bands(rows: Sequence[tuple[int, int, int]]) -> None:
    # A plain executemany: bulk_create spends ~25 µs a row building and
    # preparing model instances, and a backfill writes 32 rows per activity.
    quote = connection.ops.quote_name
    table = quote(ActivityBand._meta.db_table)
    columns = ", ".join(quote(c) for c in ("activity_id", "band", "hash"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)",
                rows[start : start + 10_000],
            )


def index_activity(activity: Activity) -> None:
    """Rewrite the activity's band rows from its title, description and province.
    Call it in the transaction that saved the activity."""
    table = agency_aliases(activity.province_id)
    feats = similarity.features(activity.title, activity.description, table)
    sig = similarity.signature(feats)[None, :]
    rows = _band_rows([activity.pk], sig, [_scope(activity.province_id)])
    ActivityBand.objects.filter(activity_id=activity.pk).delete()
    ActivityBand.objects.bulk_create(
        ActivityBand(activity_id=activity_id, band=band, hash=hash_)
        for activity_id, band, hash_ in rows
    )


def index_bulk(activities: Sequence[Activity], *, replace: bool = True) -> int:
    """Write the band rows of many saved activities; returns the rows written.

    Signatures are computed in numpy batches (``similarity.signature_batch``)
    and rows inserted with one executemany per 10,000; with ``replace`` the
    activities' existing rows are deleted first, so a backfill can be re-run.
    Uses title, description, province_id and pk only. Call it in a transaction."""
    tables = _alias_tables({a.province_id for a in activities})
    written = 0
    for start in range(0, len(activities), _BULK_CHUNK):
        chunk = activities[start : start + _BULK_CHUNK]
        feats = [similarity.features(a.title, a.description, tables[a.province_id]) for a in chunk]
        rows = _band_rows(
            [a.pk for a in chunk],
            similarity.signature_batch(feats),
            [_scope(a.province_id) for a in chunk],
        )
        if replace:
            ActivityBand.objects.filter(activity_id__in=[a.pk for a in chunk]).delete()
        _insert_bands(rows)
        written += len(rows)
    return written


# --- finding overlaps --------------------------------------------------------------


def _province_filter(prefix: str, province_id: int | None) -> Q:
    if province_id is None:
        return Q(**{f"{prefix}province__isnull": True})
    return Q(**{f"{prefix}province_id": province_id})


def _band_matches(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(activity_id, bands shared) of the activities with any of the (band, hash)
    pairs, most shared first, at most MAX_BAND_MATCHES.

    Written as SQL: through the ORM, 32 ORed ``Q(band=, hash=)`` and the
    grouped result of a few hundred rows cost ~3 ms more than the query itself."""
    quote = connection.ops.quote_name
    table = quote(ActivityBand._meta.db_table)
    activity, band, hash_ = (quote(name) for name in ("activity_id", "band", "hash"))
    condition = " OR ".join([f"({band} = %s AND {hash_} = %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {activity}, COUNT(*) FROM {table} WHERE {condition} "
            f"GROUP BY {activity} ORDER BY 2 DESC, 1 DESC LIMIT %s",
            [*(value for pair in pairs for value in pair), MAX_BAND_MATCHES],
        )
        return [(int(pk), int(n)) for pk, n in cursor.fetchall()]


def _pk_among(ids: list[int]) -> Q | RawSQL:
    """``pk IN (ids)`` for hundreds of ids, as one parameter: as placeholders,
    Django prepares each value and psycopg's client-side binding re-parses the
    statement on every call (~1-3 ms together)."""
    quote = connection.ops.quote_name
    column = f"{quote(Activity._meta.db_table)}.{quote('id')}"
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s)", [ids], output_field=models.BooleanField())
    if connection.vendor == "sqlite":
        # JSON1 is built in wherever Django's JSONField works, which the models need.
        return RawSQL(
            f"{column} IN (SELECT value FROM json_each(%s))",
            [json.dumps(ids)],
            output_field=models.BooleanField(),
        )
    return Q(pk__in=ids)


def _campaigns_of(activity_ids: Collection[int]) -> dict[int, set[int]]:
    through = Activity.campaigns.through
    campaigns: dict[int, set[int]] = defaultdict(set)
    rows = through.objects.filter(activity_id__in=activity_ids).values_list(
        "activity_id", "campaign_id"
    )
    for activity_id, campaign_id in rows:
        campaigns[activity_id].add(campaign_id)
    return campaigns


def _doc(
    activity: Activity, campaigns: Collection[int], table: similarity.AliasTable
) -> similarity.Doc:
    return similarity.make_doc(
        title=activity.title,
        description=activity.description,
        start_date=activity.start_date,
        end_date=activity.end_date,
        campaigns=campaigns,
        table=table,
    )


def _reasons(
    comparison: similarity.Comparison, a: similarity.Doc, b: similarity.Doc
) -> tuple[str, ...]:
    """Short Persian reasons for a warning, strongest first."""
    reasons = []
    described = a.features.text_tokens != a.features.title_tokens and (
        b.features.text_tokens != b.features.title_tokens
    )
    if described and comparison.title >= 0.5 and comparison.full >= 0.5:
        reasons.append(_("عنوان و شرح مشابه"))
    elif comparison.title >= comparison.full or not described:
        reasons.append(_("عنوان مشابه"))
    else:
        reasons.append(_("شرح مشابه"))
    if comparison.same_campaign:
        reasons.append(_("همان پویش"))
    if comparison.gap_days == 0:
        reasons.append(_("تاریخ‌های هم‌پوشان"))
    else:
        reasons.append(_("تاریخ‌های نزدیک"))
    return tuple(reasons)


def find_overlaps(
    *,
    title: str,
    description: str,
    start_date: date,
    end_date: date,
    province_id: int | None,
    campaign_ids: Collection[int] = (),
    exclude_office_ids: Collection[int] = (),
    exclude_activity_ids: Collection[int] = (),
    limit: int = 5,
    today: date | None = None,
) -> list[Match]:
    """Activities of the same province that look like the same work as the text
    about to be saved, best first, at most ``limit``.

    Only live ones: not merged, planned or done, ending within ``RECENT_DAYS``
    of today or later, with a period at most ``TOLERANCE_DAYS`` from the new
    one; not led by, nor joined by, an office in ``exclude_office_ids`` (an
    office is not warned about its own work). Five queries, bounded whatever
    the number of activities: alias table, band lookup, candidates, their
    campaigns, partners of the matches.
    """
    today = today or timezone.localdate()
    table = agency_aliases(province_id)
    new = similarity.make_doc(
        title=title,
        description=description,
        start_date=start_date,
        end_date=end_date,
        campaigns=campaign_ids,
        table=table,
    )
    sig = similarity.signature(new.features)
    empty = similarity.empty_bands(sig[None, :])[0]
    band_hashes = similarity.band_hashes(sig, _scope(province_id))
    pairs = [(band, h) for band, h in enumerate(band_hashes) if not empty[band]]
    if not pairs:
        return []
    # 1. The band index alone, so every database plans it as index lookups on
    # (band, hash). Joined to the activity in the same query, SQLite's planner
    # preferred scanning the province's activities by date and probing their bands.
    excluded = set(exclude_activity_ids)
    shared = {pk: n for pk, n in _band_matches(pairs) if pk not in excluded}
    if not shared:
        return []
    # 2. The live ones among them, loaded: a primary-key lookup per id plus the filters.
    window = timedelta(days=TOLERANCE_DAYS)
    live = Activity.objects.filter(
        _pk_among(list(shared)),
        _province_filter("", province_id),
        merged_into__isnull=True,
        status__in=[ActivityStatus.PLANNED, ActivityStatus.DONE],
        end_date__gte=max(today - timedelta(days=RECENT_DAYS), start_date - window),
        start_date__lte=end_date + window,
    )
    if exclude_office_ids:
        live = live.exclude(lead_office_id__in=exclude_office_ids).exclude(
            Exists(
                ActivityPartner.objects.filter(
                    activity_id=OuterRef("pk"), office_id__in=exclude_office_ids
                )
            )
        )
    candidates = sorted(
        live.select_related("lead_office__agency"),
        key=lambda a: (-shared[a.pk], -a.pk),
    )[:CANDIDATES]
    if not candidates:
        return []
    candidate_ids = [a.pk for a in candidates]
    campaigns = _campaigns_of(candidate_ids)
    matches = []
    for activity in candidates:
        other = _doc(activity, campaigns.get(activity.pk, ()), table)
        comparison = similarity.compare(new, other)
        if comparison.score >= THRESHOLD:
            matches.append(Match(activity, comparison.score, _reasons(comparison, new, other)))
    matches.sort(key=lambda m: (-m.score, -m.activity.pk))
    matches = matches[:limit]
    models.prefetch_related_objects([m.activity for m in matches], "partners")
    return matches


def council_overlaps(
    *,
    province_id: int | None,
    since: date,
    until: date | None = None,
    limit: int = 100,
) -> list[tuple[Activity, Activity, float, tuple[str, ...]]]:
    """Pairs of the province's activities starting in [since, until] that look like
    the same work done twice: led by different offices, neither office already
    lead or partner of the other's activity, not dismissed (``OverlapDismissal``),
    not merged or cancelled, periods at most ``TOLERANCE_DAYS`` apart, score at or
    above ``THRESHOLD``. Each pair is (lower pk, higher pk, score, reasons), best
    first. Six queries, whatever the period's size."""
    activities = Activity.objects.filter(
        _province_filter("", province_id),
        start_date__gte=since,
        merged_into__isnull=True,
    ).exclude(status=ActivityStatus.CANCELLED)
    if until is not None:
        activities = activities.filter(start_date__lte=until)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = ActivityBand.objects.filter(activity__in=activities).values_list(
        "activity_id", "band", "hash"
    )
    for activity_id, band, hash_ in rows:
        buckets[(band, hash_)].append(activity_id)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= MAX_BUCKET:
            pairs.update(combinations(sorted(members), 2))
    if not pairs:
        return []
    ids = {pk for pair in pairs for pk in pair}
    loaded = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=ids)
        .select_related("lead_office__agency")
        .prefetch_related("partners")
    }
    campaigns = _campaigns_of(ids)
    dismissed = set(
        OverlapDismissal.objects.filter(first__in=activities).values_list("first_id", "second_id")
    )
    table = agency_aliases(province_id)
    offices = {
        pk: {a.lead_office_id, *(office.pk for office in a.partners.all())}
        for pk, a in loaded.items()
    }
    docs: dict[int, similarity.Doc] = {}
    found = []
    for first_id, second_id in sorted(pairs):
        first, second = loaded[first_id], loaded[second_id]
        if (
            (second.start_date - first.end_date).days > TOLERANCE_DAYS
            or (first.start_date - second.end_date).days > TOLERANCE_DAYS
            # Same lead office, or one lead office already works on the other.
            or first.lead_office_id in offices[second_id]
            or second.lead_office_id in offices[first_id]
            or (first_id, second_id) in dismissed
        ):
            continue
        for activity in (first, second):
            if activity.pk not in docs:
                docs[activity.pk] = _doc(activity, campaigns.get(activity.pk, ()), table)
        a, b = docs[first_id], docs[second_id]
        comparison = similarity.compare(a, b)
        if comparison.score >= THRESHOLD:
            found.append((first, second, comparison.score, _reasons(comparison, a, b)))
    found.sort(key=lambda row: (-row[2], row[0].pk, row[1].pk))
    return list(islice(found, limit))
