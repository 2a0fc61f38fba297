"""The "100% of social networks" reads: which office is on which platform, and
which offices republished their campaign's joint posts on every channel.

- ``coverage_matrix``: offices of the council(s) in the viewer's view ×
  platforms. A cell says whether the office has an active channel there,
  whether it was *active* (a published delivery in the last ``ACTIVE_DAYS``
  days), how many posts it published there in that period and their views
  where the platform reported them. Three queries whatever the number of
  offices (offices, channels, deliveries).
- ``campaign_coverage``: per joint post of a campaign, each invited office's
  answer and whether its adoption post was published on every active channel
  the office has (full), on some (partly) or on none.

``indicators`` (``social.channel_coverage``, ``social.campaign_republished``)
count by the same rules: ``published_in`` and ``republished_state``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, Sum

from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, policy
from hamseda.directory.models import CouncilMembership, Office, Person, Province
from hamseda.social.models import (
    MAIN_PLATFORMS,
    PUBLISHED_STATUSES,
    Delivery,
    InviteStatus,
    JointInvite,
    JointPost,
    Platform,
    SocialAccount,
)

# "Active on a platform": a post published there in this many days up to today.
ACTIVE_DAYS = 30


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Tehran midnight of ``start`` and of the day after ``end``."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN),
    )


def published_in(start: dt.date, end: dt.date) -> QuerySet[Delivery]:
    """Deliveries published (sent, or marked published by hand) in the Tehran
    days ``start``..``end``: what "active", "posts" and the indicators count."""
    low, high = bounds(start, end)
    return Delivery.objects.filter(
        status__in=PUBLISHED_STATUSES, sent_at__gte=low, sent_at__lt=high
    ).order_by()


# --- the matrix ----------------------------------------------------------------------


@dataclass
class Cell:
    platform: str
    channels: int = 0  # active channels of the office on the platform
    posts: int = 0  # published there in the period (on any of its channels)
    views: int | None = None  # None: the platform reported no views

    @property
    def label(self) -> str:
        return str(Platform(self.platform).label)

    @property
    def active(self) -> bool:
        """An active channel and a post published in the period: what the "100%"
        and ``indicators.channel_coverage`` count."""
        return bool(self.channels and self.posts)

    @property
    def state(self) -> str:
        """One of "active", "idle" (a channel, nothing published) or "none" (no
        active channel; posts of a channel switched off since still show)."""
        if self.active:
            return "active"
        return "idle" if self.channels else "none"


@dataclass
class Row:
    office: Office
    province: Province | None
    cells: list[Cell]
    main_active: int = 0  # main platforms the office was active on

    @property
    def share(self) -> float:
        return round(100.0 * self.main_active / len(MAIN_PLATFORMS), 1)

    @property
    def full(self) -> bool:
        return self.main_active == len(MAIN_PLATFORMS)


@dataclass
class Total:
    platform: str
    offices: int = 0  # offices in view
    with_channel: int = 0
    active: int = 0
    posts: int = 0
    views: int | None = None

    @property
    def share(self) -> float:
        """Offices active on the platform, in percent of the offices in view."""
        return round(100.0 * self.active / self.offices, 1) if self.offices else 0.0

    @property
    def channel_share(self) -> float:
        return round(100.0 * self.with_channel / self.offices, 1) if self.offices else 0.0

    @property
    def label(self) -> str:
        return str(Platform(self.platform).label)


@dataclass
class ProvinceSummary:
    """One province's line of the national view: its offices' activity on each
    main messenger (``Total`` per platform) and its "100%"."""

    province: Province | None
    offices: int
    totals: list[Total]
    full_offices: int
    active_pairs: int

    @property
    def share(self) -> float:
        cells = self.offices * len(MAIN_PLATFORMS)
        return round(100.0 * self.active_pairs / cells, 1) if cells else 0.0


@dataclass
class Matrix:
    start: dt.date
    end: dt.date
    platforms: list[str]
    rows: list[Row]
    totals: list[Total]
    province: Province | None = None
    main_platforms: tuple[str, ...] = MAIN_PLATFORMS

    @property
    def share(self) -> float:
        """The "100%": (office, main platform) pairs active, in percent."""
        cells = len(self.rows) * len(MAIN_PLATFORMS)
        active = sum(row.main_active for row in self.rows)
        return round(100.0 * active / cells, 1) if cells else 0.0

    @property
    def full_offices(self) -> int:
        return sum(1 for row in self.rows if row.full)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(p, str(Platform(p).label)) for p in self.platforms]

    def by_province(self) -> list[ProvinceSummary]:
        """The rows summed per province (main messengers only), in row order:
        what the ministry centre reads before choosing a province."""
        groups: dict[int | None, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.province.pk if row.province else None, []).append(row)
        summaries = []
        for rows in groups.values():
            totals = {p: Total(platform=p, offices=len(rows)) for p in MAIN_PLATFORMS}
            for row in rows:
                for cell in row.cells:
                    total = totals.get(cell.platform)
                    if total is None:
                        continue
                    total.with_channel += 1 if cell.channels else 0
                    total.active += 1 if cell.active else 0
                    total.posts += cell.posts
                    if cell.views is not None:
                        total.views = (total.views or 0) + cell.views
            summaries.append(
                ProvinceSummary(
                    province=rows[0].province,
                    offices=len(rows),
                    totals=[totals[p] for p in MAIN_PLATFORMS],
                    full_offices=sum(1 for row in rows if row.full),
                    active_pairs=sum(row.main_active for row in rows),
                )
            )
        return summaries


def viewable_provinces(viewer: Person) -> QuerySet[Province]:
    """The provinces whose councils the viewer sees in the matrix."""
    reach = policy.reach(viewer, "social.view")
    provinces = Province.objects.order_by("sort_key")
    if reach == policy.Reach.ANY:
        return provinces
    if reach >= policy.Reach.OWN_OFFICE and viewer.province_id is not None:
        return provinces.filter(pk=viewer.province_id)
    return provinces.none()


def _memberships(viewer: Person, province: Province | None) -> list[CouncilMembership]:
    provinces = viewable_provinces(viewer)
    if province is not None:
        provinces = provinces.filter(pk=province.pk)
    return list(
        CouncilMembership.objects.filter(council__province__in=provinces)
        .select_related("office__agency", "council__province")
        .order_by("council__province__sort_key", "position", "office__sort_key", "pk")
    )


def _channel_counts(office_ids: list[int]) -> dict[tuple[int, str], int]:
    """(office, platform) → active channels: one query."""
    if not office_ids:
        return {}
    accounts = (
        SocialAccount.objects.filter(office_id__in=office_ids, is_active=True)
        .order_by()
        .values("office_id", "platform")
        .annotate(n=Count("pk"))
    )
    return {(a["office_id"], a["platform"]): a["n"] for a in accounts}


def _published_counts(
    office_ids: list[int], start: dt.date, end: dt.date
) -> dict[tuple[int, str], tuple[int, int | None]]:
    """(office, platform) → (posts published in the period, their views or None):
    one query."""
    if not office_ids:
        return {}
    rows = (
        published_in(start, end)
        .filter(post__office_id__in=office_ids)
        .values("post__office_id", "platform")
        .annotate(posts=Count("post_id", distinct=True), views=Sum("views"))
    )
    return {(r["post__office_id"], r["platform"]): (r["posts"], r["views"]) for r in rows}


def office_row(*, office: Office, today: dt.date | None = None) -> Row:
    """One office on the main messengers over the last ``ACTIVE_DAYS`` days (the
    home panel): two queries."""
    end = today or jalali.today()
    start = end - dt.timedelta(days=ACTIVE_DAYS - 1)
    channels = _channel_counts([office.pk])
    published = _published_counts([office.pk], start, end)
    cells = []
    for platform in MAIN_PLATFORMS:
        posts, views = published.get((office.pk, platform), (0, None))
        cells.append(Cell(str(platform), channels.get((office.pk, platform), 0), posts, views))
    return Row(office, None, cells, sum(1 for c in cells if c.active))


def coverage_matrix(
    *, viewer: Person, province: Province | None = None, today: dt.date | None = None
) -> Matrix:
    """The offices of the council(s) the viewer sees (one province with
    ``province``) × platforms, over the last ``ACTIVE_DAYS`` days up to
    ``today``. Columns: the main messengers always, other platforms where an
    office in view has a channel. Three queries."""
    end = today or jalali.today()
    start = end - dt.timedelta(days=ACTIVE_DAYS - 1)
    memberships = _memberships(viewer, province)
    seen: set[int] = set()
    offices: list[tuple[Office, Province | None]] = []
    for membership in memberships:
        if membership.office_id not in seen:
            seen.add(membership.office_id)
            offices.append((membership.office, membership.council.province))
    office_ids = [office.pk for office, _province in offices]

    channels = _channel_counts(office_ids)
    published = _published_counts(office_ids, start, end)
    used = {platform for _office, platform in (*channels, *published)}
    platforms = [
        *(str(p) for p in MAIN_PLATFORMS),
        *(p for p in Platform.values if p not in MAIN_PLATFORMS and p in used),
    ]
    totals = {p: Total(platform=p, offices=len(offices)) for p in platforms}
    matrix_rows = []
    for office, office_province in offices:
        cells = []
        for platform in platforms:
            posts, views = published.get((office.pk, platform), (0, None))
            cell = Cell(
                platform=platform,
                channels=channels.get((office.pk, platform), 0),
                posts=posts,
                views=views,
            )
            cells.append(cell)
            total = totals[platform]
            total.with_channel += 1 if cell.channels else 0
            total.active += 1 if cell.active else 0
            total.posts += posts
            if views is not None:
                total.views = (total.views or 0) + views
        main_active = sum(1 for c in cells if c.active and c.platform in MAIN_PLATFORMS)
        matrix_rows.append(Row(office, office_province, cells, main_active))
    return Matrix(
        start=start,
        end=end,
        platforms=platforms,
        rows=matrix_rows,
        totals=[totals[p] for p in platforms],
        province=province,
    )


# --- a campaign's joint posts ---------------------------------------------------------

FULL = "full"
PARTLY = "partly"
NOT_PUBLISHED = "none"
NO_CHANNEL = "no_channel"


def republished_state(channel_ids: set[int], published_ids: set[int]) -> str:
    """Whether an office published a joint post on every active channel it has
    (``channel_ids``), given the channels its adoption post was published on."""
    if not channel_ids:
        return NO_CHANNEL
    done = channel_ids & published_ids
    if done == channel_ids:
        return FULL
    return PARTLY if done else NOT_PUBLISHED


def active_channels(office_ids: Iterable[int]) -> dict[int, set[int]]:
    """Active channel ids of each office: one query."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = SocialAccount.objects.filter(office_id__in=list(office_ids), is_active=True)
    for office_id, account_id in rows.order_by().values_list("office_id", "pk"):
        found[office_id].add(account_id)
    return found


def adoption_channels(joint_ids: Iterable[int]) -> dict[tuple[int, int], set[int]]:
    """(joint id, office id) → channels the office's adoption post was
    published on (sent or marked published by hand): one query."""
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = Delivery.objects.filter(
        post__joint_id__in=list(joint_ids), status__in=PUBLISHED_STATUSES
    ).order_by()
    for joint_id, office_id, account_id in rows.values_list(
        "post__joint_id", "post__office_id", "account_id"
    ):
        found[(joint_id, office_id)].add(account_id)
    return found


@dataclass
class InviteRow:
    invite: JointInvite
    office: Office
    channels: int
    published: int
    state: str

    @property
    def is_full(self) -> bool:
        return self.state == FULL


@dataclass
class JointCoverage:
    joint: JointPost
    rows: list[InviteRow] = field(default_factory=list)

    def _count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def invited(self) -> int:
        return len(self.rows)

    @property
    def full(self) -> int:
        return self._count(FULL)

    @property
    def partly(self) -> int:
        return self._count(PARTLY)

    @property
    def not_published(self) -> int:
        return self._count(NOT_PUBLISHED) + self._count(NO_CHANNEL)

    @property
    def approved(self) -> int:
        return sum(1 for row in self.rows if row.invite.status == InviteStatus.APPROVED)

    @property
    def declined(self) -> int:
        return sum(1 for row in self.rows if row.invite.status == InviteStatus.DECLINED)

    @property
    def share_full(self) -> float:
        return round(100.0 * self.full / self.invited, 1) if self.invited else 0.0


def campaign_coverage(*, viewer: Person, campaign: Campaign) -> list[JointCoverage]:
    """Each joint post of ``campaign`` (newest first) with its invited offices:
    what they answered and whether they published it on every active channel.
    The caller found the campaign through ``campaigns.selectors`` (campaign.view);
    the viewer must also see social records of the campaign's province. Four
    queries."""
    policy.require(viewer, "social.view", campaign)
    joints = list(
        JointPost.objects.filter(campaign=campaign)
        .select_related("office")
        .prefetch_related(
            Prefetch(
                "invites",
                queryset=JointInvite.objects.select_related("office").order_by(
                    "office__sort_key", "pk"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    invites = [invite for joint in joints for invite in joint.invites.all()]
    channels = active_channels({invite.office_id for invite in invites})
    published = adoption_channels(joint.pk for joint in joints)
    result = []
    for joint in joints:
        coverage = JointCoverage(joint)
        for invite in joint.invites.all():
            mine = channels.get(invite.office_id, set())
            done = published.get((joint.pk, invite.office_id), set())
            coverage.rows.append(
                InviteRow(
                    invite=invite,
                    office=invite.office,
                    channels=len(mine),
                    published=len(mine & done),
                    state=republished_state(mine, done),
                )
            )
        result.append(coverage)
    return result


def invites_in_period(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None
) -> QuerySet[JointInvite]:
    """Invitations made in the period (the joint posts an office was asked to
    republish): what ``social.campaign_republished`` divides by."""
    low, high = bounds(start, end)
    invites = JointInvite.objects.filter(created_at__gte=low, created_at__lt=high).order_by()
    if office_ids is not None:
        invites = invites.filter(office_id__in=office_ids)
    return invites
