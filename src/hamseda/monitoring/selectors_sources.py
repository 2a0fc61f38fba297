"""Reads of news sources and their polls.

Every signed-in user sees every source and its health (policy "monitoring.view"
reaches ALL): which outlets a province reads is no secret, and a broken feed is
best noticed by whoever misses its news. Who may change a source is asked of
the policy per source ("monitoring.sources").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.directory.models import Person
from hamseda.monitoring.models import Article, Source, SourcePoll


class Health:
    """What a source's badge says; also the values of the list's health filter."""

    HEALTHY = "healthy"
    FAILING = "failing"
    NEVER = "never"
    INACTIVE = "inactive"
    NO_FEED = "no_feed"

    LABELS = {
        HEALTHY: _("سالم"),
        FAILING: _("خطا"),
        NEVER: _("هنوز خوانده نشده"),
        INACTIVE: _("غیرفعال"),
        NO_FEED: _("بدون خوراک"),
    }
    CHOICES = list(LABELS.items())


def health_of(source: Source) -> str:
    if not source.is_active:
        return Health.INACTIVE
    if not source.feed_url:
        return Health.NO_FEED
    if source.last_polled_at is None:
        return Health.NEVER
    if source.consecutive_failures:
        return Health.FAILING
    return Health.HEALTHY


_HEALTH_FILTERS = {
    Health.INACTIVE: Q(is_active=False),
    Health.NO_FEED: Q(is_active=True, feed_url=""),
    Health.NEVER: Q(is_active=True, last_polled_at__isnull=True) & ~Q(feed_url=""),
    Health.FAILING: Q(is_active=True, consecutive_failures__gt=0) & ~Q(feed_url=""),
    Health.HEALTHY: Q(is_active=True, consecutive_failures=0, last_polled_at__isnull=False)
    & ~Q(feed_url=""),
}


@dataclass(frozen=True)
class SourceFilters:
    query: str = ""
    province_id: int | None = None
    national: bool = False
    kind: str = ""
    health: str = ""


def _visible(viewer: Person) -> QuerySet[Source]:
    if policy.reach(viewer, "monitoring.view") == policy.Reach.NONE:
        return Source.objects.none()
    return policy.scope_queryset(
        viewer,
        "monitoring.view",
        Source.objects.all(),
        province_field="province_id",
        office_field=None,
    )


def source_list(*, viewer: Person, filters: SourceFilters | None = None) -> QuerySet[Source]:
    """The sources ``viewer`` may see, filtered, by name, with their province."""
    filters = filters or SourceFilters()
    sources = _visible(viewer)
    if filters.national:
        sources = sources.filter(province__isnull=True)
    elif filters.province_id is not None:
        sources = sources.filter(province_id=filters.province_id)
    if filters.kind:
        sources = sources.filter(kind=filters.kind)
    if filters.health in _HEALTH_FILTERS:
        sources = sources.filter(_HEALTH_FILTERS[filters.health])
    for term in persian.query_terms(filters.query):
        sources = sources.filter(text_key__contains=term)
    return sources.select_related("province").order_by("name", "pk")


def source_get_for(*, viewer: Person, source_id: int) -> Source:
    source = _visible(viewer).select_related("province").filter(pk=source_id).first()
    if source is None:
        raise Http404("no such source")
    return source


def source_polls(*, source: Source, limit: int = 50) -> QuerySet[SourcePoll]:
    return SourcePoll.objects.filter(source=source).order_by("-started_at", "-id")[:limit]


def source_articles(*, source: Source, limit: int = 20) -> QuerySet[Article]:
    return (
        Article.objects.filter(source=source)
        .only("pk", "title", "url", "published_at", "via", "source_id")
        .order_by("-published_at", "-id")[:limit]
    )
