"""National-scale social networks for benchmarks (``hamseda generate``).

In every province with a council, for each office of the council (the
broadcaster's aside):

- Channels: most offices on most of Bale, Eitaa, Rubika and Telegram
  (``MAIN_CHANCE``; a few offices on none, so coverage is not 100%), some on
  Instagram, Aparat, X or a website (published by hand, ``MANUAL_CHANCE``).
  Channels open over the years, a few were switched off since. Only
  ``TOKENS`` channels in all carry an encrypted bot token (Fernet is slow for
  thousands); the others have none, as channels whose token was never entered.
- Posts: ``POSTS_PER_OFFICE_PER_MONTH`` a month over the requested years, each
  to the office's channels open at the time, a quarter of them in a campaign
  running that day, some scheduled ahead; a few drafts and cancelled posts, and
  posts scheduled in the coming days.
- Deliveries: mostly sent, with the message's id and public link and views on
  the platforms that report them; a few failed (with the error as the worker
  records it, and its attempt log), uncertain, published by hand after being
  uncertain; on manual platforms published by hand, the newest ones waiting.
  A post's status follows its deliveries (``services.posts.post_refresh_status``).
- Joint posts of the province's campaigns (``JOINTS_PER_CAMPAIGN_MONTH`` over a
  campaign's months), invitations to every co-owner and participant office,
  mostly approved (the office's adoption post published on its channels, not
  always all of them), some declined, some never answered.

Rows go in with bulk_create, one province at a time: ``text_key`` is filled in
by hand, the timestamps are the history's (``_own_timestamps``) and the
deliveries' idempotency keys come from ``rng``, so a seed gives the same data.
A province whose offices already have channels is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from django.db import models

from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.registry import generator
from hamseda.directory.models import Council, MembershipRole, Person
from hamseda.social import crypto
from hamseda.social.models import (
    PUBLISHED_STATUSES,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    JointPost,
    JointStatus,
    Platform,
    Post,
    PostStatus,
    SocialAccount,
    protocol_of,
)
from hamseda.social.models import Protocol as P

# Posts an office writes a month: uniform in this range.
POSTS_PER_OFFICE_PER_MONTH = (2, 10)
# Chance an office has a channel on each platform.
MAIN_CHANCE: dict[str, float] = {
    Platform.BALE: 0.85,
    Platform.EITAA: 0.9,
    Platform.RUBIKA: 0.6,
    Platform.TELEGRAM: 0.7,
}
MANUAL_CHANCE: dict[str, float] = {
    Platform.INSTAGRAM: 0.3,
    Platform.APARAT: 0.12,
    Platform.WEBSITE: 0.35,
    Platform.X: 0.05,
}
# Offices with no channel at all.
NO_CHANNEL_SHARE = 0.05
# Channels (in the whole run) that get an encrypted bot token.
TOKENS = 12
# Joint posts a campaign gets per month it runs (at most 4 a campaign for the
# seasonal programmes, which last about a month).
JOINTS_PER_CAMPAIGN_MONTH = 0.5
# Share of posts that belong to a campaign running on their day.
CAMPAIGN_SHARE = 0.25
# Platforms whose API reports views (the demo's rule; manual marks carry them too).
VIEWS_REPORTED = (Platform.EITAA, Platform.RUBIKA)

HEADLINES = [
    "بازدید مدیرکل از پروژه‌های {topic} در {place}",
    "پیشرفت {percent} درصدی {topic} در {place}",
    "اطلاعیه درباره {topic}",
    "گزارش تصویری {topic} در {place}",
    "برگزاری نشست خبری درباره {topic}",
    "آغاز {topic} در {place}",
    "پاسخ به پرسش‌های پرتکرار مردم درباره {topic}",
]
TOPICS = [
    "نهضت ملی مسکن",
    "طرح زمستانی راهداری",
    "سفرهای نوروزی",
    "سفرهای تابستانی",
    "بهسازی محور اصلی استان",
    "پروازهای فوق‌العاده",
    "قطارهای مسافری",
    "هشدار هواشناسی",
    "مقاوم‌سازی ساختمان‌ها",
    "واگذاری واحدهای مسکونی شهر جدید",
]
PLACES = ["مرکز استان", "شهر جدید", "شهرستان‌های استان", "محور اصلی استان", "فرودگاه"]
BODIES = [
    "به گزارش روابط عمومی، این طرح با حضور مدیران استانی و خبرنگاران بررسی شد.",
    "جزئیات بیشتر در پایگاه اطلاع‌رسانی دستگاه منتشر شده است.",
    "از همراهی مردم و رسانه‌ها سپاسگزاریم.",
    "اطلاعات رسمی فقط از مرجع رسمی دستگاه اعلام می‌شود.",
]
PUBLIC_URL: dict[str, str] = {
    Platform.BALE: "https://ble.ir/{name}/{id}",
    Platform.EITAA: "https://eitaa.com/{name}/{id}",
    Platform.TELEGRAM: "https://t.me/{name}/{id}",
    Platform.INSTAGRAM: "https://www.instagram.com/p/{name}{id}/",
    Platform.APARAT: "https://www.aparat.com/v/{name}{id}",
    Platform.X: "https://x.com/{name}/status/{id}",
    Platform.WEBSITE: "https://{name}.example.ir/news/{id}",
}
CHANNEL_URL: dict[str, str] = {
    Platform.BALE: "https://ble.ir/{name}",
    Platform.EITAA: "https://eitaa.com/{name}",
    Platform.RUBIKA: "https://rubika.ir/{name}",
    Platform.TELEGRAM: "https://t.me/{name}",
    Platform.INSTAGRAM: "https://www.instagram.com/{name}",
    Platform.APARAT: "https://www.aparat.com/{name}",
    Platform.X: "https://x.com/{name}",
    Platform.WEBSITE: "https://{name}.example.ir",
}
TITLES: dict[str, str] = {p.value: str(p.label) for p in Platform}
# (kind, platform's words, HTTP status, attempts) of failed deliveries, by weight.
FAILURES = [
    (ErrorKind.UNAUTHORIZED, "Unauthorized", 401, 1, 3),
    (ErrorKind.CHAT_NOT_FOUND, "Bad Request: chat not found", 400, 1, 3),
    (ErrorKind.FORBIDDEN, "Forbidden: bot is not a member of the channel chat", 403, 1, 2),
    (ErrorKind.TOO_LONG, "Bad Request: message is too long", 400, 1, 1),
    (ErrorKind.SERVER, "Bad Gateway", 502, 6, 2),
]
UNCERTAIN_DETAIL = "ReadTimeout: the read operation timed out"
DECLINE_REASONS = [
    "با سیاست اطلاع‌رسانی دستگاه همخوانی ندارد.",
    "هم‌زمان با خبر مهم دستگاه است؛ هفته بعد منتشر می‌کنیم.",
    "کانال‌های دستگاه در حال بازسازی است.",
]


@contextmanager
def _own_timestamps(*kinds: type[models.Model]) -> Iterator[None]:
    """While open, ``bulk_create`` keeps the ``created_at``/``updated_at`` set on
    the rows (the generated history) instead of stamping them with now."""
    fields = [
        cast("models.DateTimeField[Any, Any]", kind._meta.get_field(name))
        for kind in kinds
        for name in ("created_at", "updated_at")
    ]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@dataclass
class _Channel:
    account: SocialAccount
    opened: dt.datetime
    closed: dt.datetime | None  # switched off since (is_active False)
    next_id: int = 100

    def open_at(self, moment: dt.datetime) -> bool:
        return self.opened <= moment and (self.closed is None or moment < self.closed)


class _Province:
    """One council's rows, made in memory and written together."""

    def __init__(
        self, rng: random.Random, now: dt.datetime, start: dt.datetime, tokens: list[int]
    ) -> None:
        self.rng, self.now, self.start, self.tokens = rng, now, start, tokens
        self.channels: dict[int, list[_Channel]] = {}
        self.posts: list[Post] = []
        self.post_accounts: list[tuple[int, int]] = []  # (post index, account index)
        self.accounts: list[SocialAccount] = []
        self.deliveries: list[tuple[int, Delivery]] = []  # (post index, delivery)
        self.attempts: list[tuple[int, DeliveryAttempt]] = []  # (delivery index, attempt)
        self.account_index: dict[int, int] = {}  # id(account) -> index
        self.joints: list[JointPost] = []
        self.invites: list[tuple[int, JointInvite]] = []  # (joint index, invite)
        self.adoptions: dict[int, int] = {}  # post index -> joint index

    def moment(self, low: dt.datetime, high: dt.datetime) -> dt.datetime:
        seconds = max(1, int((high - low).total_seconds()))
        moment = low + dt.timedelta(seconds=self.rng.randrange(seconds))
        local = moment.astimezone(jalali.TEHRAN)
        # offices publish in the day: move night moments into working hours
        if local.hour < 7 or local.hour > 22:
            moment = local.replace(hour=self.rng.randint(8, 20))
        return min(moment, high)

    # --- channels ----------------------------------------------------------------

    def open_channels(self, office_id: int, slug: str, creator: Person | None) -> None:
        rng = self.rng
        mine: list[_Channel] = []
        if rng.random() >= NO_CHANNEL_SHARE:
            chances = {**MAIN_CHANCE, **MANUAL_CHANCE}
            for platform, chance in chances.items():
                if rng.random() >= chance:
                    continue
                manual = protocol_of(platform) == P.MANUAL
                opened = (
                    self.start - dt.timedelta(days=rng.randint(1, 400))
                    if rng.random() < 0.6
                    else self.moment(self.start, self.now)
                )
                closed = self.moment(opened, self.now) if rng.random() < 0.05 else None
                name = f"{slug}_{platform}"
                account = SocialAccount(
                    office_id=office_id,
                    platform=platform,
                    title=f"{TITLES[platform]} روابط عمومی {slug}",
                    chat_id=(
                        ""
                        if manual
                        else (
                            f"c0{uuid.UUID(int=rng.getrandbits(128)).hex[:18]}"
                            if platform == Platform.RUBIKA
                            else f"@{name}"
                        )
                    ),
                    url=CHANNEL_URL[platform].format(
                        name=name.replace("_", "-") if platform == Platform.WEBSITE else name
                    ),
                    is_active=closed is None,
                    followers=int(rng.lognormvariate(8, 1.1)),
                    created_by=creator,
                    created_at=opened,
                    updated_at=closed or opened,
                )
                if not manual and len(self.tokens) < TOKENS:
                    token = f"{rng.randint(10**8, 10**9)}:gen-{rng.getrandbits(64):016x}"
                    account.token_encrypted = crypto.encrypt(token)
                    account.token_hint = crypto.hint(token)
                    account.checked_at = opened + dt.timedelta(minutes=2)
                    account.bot_name = f"{slug}_bot"
                    self.tokens.append(office_id)
                self.account_index[id(account)] = len(self.accounts)
                self.accounts.append(account)
                mine.append(_Channel(account, opened, closed))
        self.channels[office_id] = mine

    # --- posts and deliveries ------------------------------------------------------

    def text(self) -> str:
        rng = self.rng
        headline = rng.choice(HEADLINES).format(
            topic=rng.choice(TOPICS), place=rng.choice(PLACES), percent=rng.randint(20, 95)
        )
        return f"{headline}\n{rng.choice(BODIES)}"

    def deliver(self, post: int, channel: _Channel, at: dt.datetime, marker: Person | None) -> str:
        """One delivery of post ``post`` (index) on ``channel``, released at ``at``."""
        rng, account = self.rng, channel.account
        delivery = Delivery(
            account=account,
            platform=account.platform,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            created_at=at,
            updated_at=at,
        )
        roll = rng.random()
        age = self.now - at
        sent = at + dt.timedelta(seconds=rng.randint(2, 90))
        if account.is_manual:
            if (age < dt.timedelta(days=2) and roll < 0.6) or roll < 0.08:
                delivery.status = DeliveryStatus.MANUAL
            else:
                self.published(delivery, channel, sent + dt.timedelta(hours=rng.randint(1, 20)))
                delivery.status = DeliveryStatus.MANUAL_DONE
                delivery.marked_by = marker
        elif roll < 0.935:
            delivery.attempts = 1 if rng.random() < 0.95 else 2  # a 429 first, now and then
            delivery.claimed_at = sent
            self.published(delivery, channel, sent)
        elif roll < 0.975:
            kind, detail, http_status, attempts, _weight = rng.choices(
                FAILURES, weights=[f[4] for f in FAILURES]
            )[0]
            delivery.status = DeliveryStatus.FAILED
            delivery.error_kind, delivery.error_detail = kind, detail
            delivery.attempts, delivery.claimed_at = attempts, sent
            self.attempt(delivery, sent, http_status, kind, detail)
        else:
            delivery.attempts, delivery.claimed_at = 1, sent
            delivery.error_kind, delivery.error_detail = ErrorKind.UNCERTAIN, UNCERTAIN_DETAIL
            self.attempt(delivery, sent, None, ErrorKind.UNCERTAIN, UNCERTAIN_DETAIL)
            if roll < 0.99 and age > dt.timedelta(days=1):
                # someone looked at the channel and marked it published
                self.published(delivery, channel, sent + dt.timedelta(hours=rng.randint(1, 8)))
                delivery.status = DeliveryStatus.MANUAL_DONE
                delivery.marked_by = marker
            else:
                delivery.status = DeliveryStatus.UNCERTAIN
        delivery.updated_at = delivery.sent_at or delivery.claimed_at or at
        self.deliveries.append((post, delivery))
        return delivery.status

    def published(self, delivery: Delivery, channel: _Channel, at: dt.datetime) -> None:
        account = channel.account
        channel.next_id += self.rng.randint(1, 4)
        delivery.status = DeliveryStatus.SENT
        delivery.remote_id = str(channel.next_id)
        template = PUBLIC_URL.get(account.platform)
        name = account.chat_id.lstrip("@") or f"pr{account.office_id}"
        delivery.remote_url = template.format(name=name, id=channel.next_id) if template else ""
        delivery.sent_at = min(at, self.now)
        if account.platform in VIEWS_REPORTED or account.is_manual:
            delivery.views = int((account.followers or 100) * self.rng.uniform(0.05, 0.7))

    def attempt(
        self, delivery: Delivery, at: dt.datetime, http_status: int | None, kind: str, detail: str
    ) -> None:
        self.attempts.append(
            (
                len(self.deliveries),
                DeliveryAttempt(
                    started_at=at,
                    finished_at=at + dt.timedelta(seconds=self.rng.randint(1, 20)),
                    http_status=http_status,
                    error_kind=kind,
                    detail=detail,
                ),
            )
        )

    def post(
        self,
        *,
        office_id: int,
        at: dt.datetime,
        channels: list[_Channel],
        author: Person | None,
        campaign: Campaign | None,
        text: str,
        joint: int | None = None,
    ) -> None:
        """A post of ``office_id`` released at ``at`` (in the future: scheduled)."""
        rng = self.rng
        scheduled = at > self.now or rng.random() < 0.15
        created = at - (
            dt.timedelta(hours=rng.randint(1, 72))
            if scheduled
            else dt.timedelta(minutes=rng.randint(1, 30))
        )
        post = Post(
            office_id=office_id,
            campaign=campaign,
            text=text,
            append_hashtags=campaign is not None,
            scheduled_at=at if scheduled else None,
            created_by=author,
            created_at=created,
            updated_at=min(self.now, at),
        )
        post.fill_text_key()
        index = len(self.posts)
        self.posts.append(post)
        if joint is not None:
            self.adoptions[index] = joint
        for channel in channels:
            self.post_accounts.append((index, self.account_index[id(channel.account)]))
        roll = rng.random()
        if at > self.now:
            post.status = PostStatus.SCHEDULED
            return
        if joint is None and roll < 0.01:
            post.status = PostStatus.DRAFT
            post.scheduled_at = None
            return
        if joint is None and roll < 0.015:
            post.status = PostStatus.CANCELLED
            return
        post.released_at = at
        statuses = [self.deliver(index, channel, at, author) for channel in channels]
        published = sum(1 for s in statuses if s in PUBLISHED_STATUSES)
        if any(s in (DeliveryStatus.MANUAL, DeliveryStatus.UNCERTAIN) for s in statuses):
            post.status = PostStatus.PUBLISHING
        elif published == len(statuses):
            post.status = PostStatus.DONE
        elif published == 0:
            post.status = PostStatus.FAILED
        else:
            post.status = PostStatus.PARTLY

    # --- writing -------------------------------------------------------------------

    def save(self) -> None:
        SocialAccount.objects.bulk_create(self.accounts, batch_size=2000)
        Post.objects.bulk_create(self.posts, batch_size=2000)
        JointPost.objects.bulk_create(self.joints, batch_size=2000)
        for joint, invite in self.invites:
            invite.joint = self.joints[joint]
        JointInvite.objects.bulk_create([i for _j, i in self.invites], batch_size=2000)
        if self.adoptions:
            for index, joint in self.adoptions.items():
                self.posts[index].joint = self.joints[joint]
            Post.objects.bulk_update(
                [self.posts[i] for i in self.adoptions], ["joint"], batch_size=2000
            )
        Link = Post.accounts.through
        Link.objects.bulk_create(
            [
                Link(post_id=self.posts[p].pk, socialaccount_id=self.accounts[a].pk)
                for p, a in self.post_accounts
            ],
            batch_size=5000,
        )
        for index, delivery in self.deliveries:
            delivery.post = self.posts[index]
        Delivery.objects.bulk_create([d for _i, d in self.deliveries], batch_size=5000)
        for index, attempt in self.attempts:
            attempt.delivery = self.deliveries[index][1]
        DeliveryAttempt.objects.bulk_create([a for _i, a in self.attempts], batch_size=2000)


def _joints(
    work: _Province,
    campaigns: list[Campaign],
    offices: dict[int, Person | None],
) -> None:
    """Joint posts of the province's campaigns, their invitations and the
    adopting offices' posts."""
    rng, now = work.rng, work.now
    for campaign in campaigns:
        owners = [o.pk for o in campaign.co_owners.all()]
        invited = list(dict.fromkeys([*owners, *(o.pk for o in campaign.participants.all())]))
        if not owners:
            continue
        low = max(
            work.start,
            dt.datetime.combine(campaign.start_date, dt.time(9), tzinfo=jalali.TEHRAN),
        )
        high = min(now, dt.datetime.combine(campaign.end_date, dt.time(18), tzinfo=jalali.TEHRAN))
        if high <= low:
            continue
        months = (high - low).days / 30
        count = max(1, round(months * JOINTS_PER_CAMPAIGN_MONTH * rng.uniform(0.6, 1.4)))
        for _n in range(min(count, 4) if campaign.season else count):
            created = work.moment(low, high)
            writer = owners[0]
            publish_at = (created + dt.timedelta(days=1)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            hashtags = " ".join(campaign.hashtags)
            joint = JointPost(
                campaign=campaign,
                office_id=writer,
                title=work.text().splitlines()[0][:200],
                text=f"{work.text()}\n{hashtags}",
                publish_at=publish_at,
                status=JointStatus.CLOSED
                if now - created > dt.timedelta(days=30)
                else JointStatus.OPEN,
                created_by=offices.get(writer),
                created_at=created,
                updated_at=created,
            )
            joint.fill_text_key()
            index = len(work.joints)
            work.joints.append(joint)
            for office_id in invited:
                invite = JointInvite(office_id=office_id, created_at=created, updated_at=created)
                channels = [c for c in work.channels.get(office_id, []) if c.open_at(publish_at)]
                roll = rng.random()
                decided = created + dt.timedelta(hours=rng.randint(1, 40))
                if decided > now or roll >= 0.85:
                    pass  # never answered (or not yet)
                elif roll < 0.75 and channels:
                    invite.status = InviteStatus.APPROVED
                    if rng.random() < 0.2 and len(channels) > 1:
                        channels = rng.sample(channels, k=len(channels) - 1)
                    work.post(
                        office_id=office_id,
                        at=max(publish_at, decided),
                        channels=channels,
                        author=offices.get(office_id),
                        campaign=campaign,
                        text=joint.text,
                        joint=index,
                    )
                else:
                    invite.status = InviteStatus.DECLINED
                    invite.reason = rng.choice(DECLINE_REASONS)
                if invite.status != InviteStatus.PENDING:
                    invite.decided_at = invite.updated_at = decided
                    invite.decided_by = offices.get(office_id)
                work.invites.append((index, invite))


@generator("hamseda.social")
def generate_social(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    now = dt.datetime.now(jalali.TEHRAN)
    this_year = jalali.to_jalali(now.date()).year
    first_day = jalali.jalali_year_bounds(this_year - years + 1)[0]
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=jalali.TEHRAN)
    taken = set(
        SocialAccount.objects.order_by()
        .values_list("office__agency__province_id", flat=True)
        .distinct()
    )
    councils = [
        c
        for c in Council.objects.select_related("province")
        .prefetch_related("memberships__office__agency")
        .order_by("province__pk")
        if c.province_id not in taken
    ]
    tokens: list[int] = []
    totals = dict.fromkeys(("accounts", "posts", "deliveries", "joints", "invites"), 0)
    for council in councils:
        work = _Province(rng, now, start, tokens)
        offices = [
            m.office for m in council.memberships.all() if m.role != MembershipRole.BROADCASTER
        ]
        authors: dict[int, Person | None] = {o.pk: None for o in offices}
        for person in Person.objects.filter(office__in=offices, is_active=True).order_by("-pk"):
            if person.office_id is not None:
                authors[person.office_id] = person
        campaigns = list(
            Campaign.objects.filter(province_id=council.province_id)
            .prefetch_related("co_owners", "participants")
            .order_by("start_date", "pk")
        )
        for office in offices:
            work.open_channels(office.pk, f"pr{office.pk}", authors[office.pk])
        for office in offices:
            channels = work.channels[office.pk]
            if not channels:
                continue
            month = start
            while month < now + dt.timedelta(days=7):
                month_end = month + dt.timedelta(days=30)
                for _n in range(rng.randint(*POSTS_PER_OFFICE_PER_MONTH)):
                    at = work.moment(month, month_end)
                    if at > now and rng.random() < 0.8:
                        continue  # only a few are scheduled ahead
                    open_now = [c for c in channels if c.open_at(min(at, now))]
                    if not open_now:
                        continue
                    if len(open_now) > 1 and rng.random() < 0.2:
                        open_now = rng.sample(open_now, k=rng.randint(1, len(open_now) - 1))
                    day = jalali.local_date(at)
                    running = [c for c in campaigns if c.start_date <= day <= c.end_date]
                    work.post(
                        office_id=office.pk,
                        at=at,
                        channels=open_now,
                        author=authors[office.pk],
                        campaign=(
                            rng.choice(running)
                            if running and rng.random() < CAMPAIGN_SHARE
                            else None
                        ),
                        text=work.text(),
                    )
                month = month_end
        _joints(work, campaigns, authors)
        with _own_timestamps(SocialAccount, Post, Delivery, JointPost, JointInvite):
            work.save()
        totals["accounts"] += len(work.accounts)
        totals["posts"] += len(work.posts)
        totals["deliveries"] += len(work.deliveries)
        totals["joints"] += len(work.joints)
        totals["invites"] += len(work.invites)
    out.write(
        f"social: {totals['accounts']} channels ({len(tokens)} with a token), "
        f"{totals['posts']} posts, {totals['deliveries']} deliveries, "
        f"{totals['joints']} joint posts, {totals['invites']} invitations\n"
    )
