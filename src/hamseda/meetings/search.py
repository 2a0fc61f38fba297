"""Persian search across the council's record: minutes, report items, resolutions
and their follow-ups, scoped to what the viewer may read.

Every searched row stores the compact search key of its text (``core.models.
SearchKeyed``); a query matches when each of its words is a substring of that
key, so ي/ی, ك/ک, half-space, space or joined spellings all find the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from hamseda.core import persian, policy
from hamseda.meetings.models import Minutes, ReportItem, ReportStatus, Resolution

LIMIT = 30


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: list[str]
    resolutions: list[Resolution]
    items: list[ReportItem]
    minutes: list[Minutes]

    @property
    def total(self) -> int:
        return len(self.resolutions) + len(self.items) + len(self.minutes)


def _matching(queryset: QuerySet[Any], terms: list[str]) -> QuerySet[Any]:
    condition = Q()
    for term in terms:
        condition &= Q(text_key__contains=term)
    return queryset.filter(condition)


def _scoped(viewer: Any, queryset: QuerySet[Any], meeting_path: str) -> QuerySet[Any]:
    return policy.scope_queryset(
        viewer,
        "meeting.view",
        queryset,
        province_field=f"{meeting_path}council__province_id",
        office_field=None,
    )


def _readable_reports(viewer: Any) -> Q:
    """A draft report is its office's own until submitted; those who run the
    meeting (``meeting.manage``) read drafts too (as ``selectors.report_get_for``)."""
    readable = Q(report__status=ReportStatus.SUBMITTED)
    if viewer.office_id is not None:
        readable |= Q(report__office_id=viewer.office_id)
    manage = policy.reach(viewer, "meeting.manage")
    if manage == policy.Reach.ANY:
        readable = Q()
    elif manage == policy.Reach.PROVINCE and viewer.province_id is not None:
        readable |= Q(report__meeting__council__province_id=viewer.province_id)
    return readable


def council_search(*, viewer: Any, query: str, limit: int = LIMIT) -> SearchResults:
    """The newest ``limit`` matches of each kind; nothing for an empty query."""
    terms = persian.query_terms(query)
    if not terms:
        return SearchResults(query, [], [], [], [])
    resolutions = _scoped(
        viewer,
        _matching(Resolution.objects.all(), terms)
        .select_related("meeting__council", "followup")
        .prefetch_related("responsible_offices"),
        "meeting__",
    ).order_by("-meeting__starts_at", "number")[:limit]
    items = _scoped(
        viewer,
        _matching(ReportItem.objects.all(), terms)
        .filter(_readable_reports(viewer))
        .select_related("report__office", "report__meeting__council"),
        "report__meeting__",
    ).order_by("-report__meeting__starts_at", "pk")[:limit]
    minutes = _scoped(
        viewer,
        _matching(Minutes.objects.all(), terms).select_related("meeting__council"),
        "meeting__",
    ).order_by("-meeting__starts_at")[:limit]
    return SearchResults(query, terms, list(resolutions), list(items), list(minutes))
