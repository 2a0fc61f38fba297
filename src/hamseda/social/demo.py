"""Demo channels and posts of the Isfahan council, so the coverage matrix is
not all green and every delivery state shows on a post's page.

- Channels: most offices on some of Bale, Eitaa, Rubika and Telegram (a few on
  none), a few on Instagram, Aparat and the web (published by hand). Their API
  address is the local fakes ``hamseda demo`` starts beside the site
  (``python -m hamseda.social.fakes --open``, Bot API on port+1, Eitaayar on
  port+2, Rubika on port+3; ``point_demo_channels`` follows the port).
- Posts over the last 60 days, delivered in every state: sent (with views where
  the platform reports them), failed (with the Persian what/what-to-do), published
  by hand, waiting to be published by hand, uncertain. History is written as rows
  (the messages were "sent" in the past), each post made through the service.
- The Housing Movement HQ's joint post with invitations in every state.
- One post scheduled a few minutes after loading: the demo's worker (beat's
  sweep) releases it and delivers it to the fakes, so a newcomer sees delivery
  happen.

Idempotent: nothing is added once the demo's channels exist.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from hamseda.campaigns import demo as campaigns_demo
from hamseda.campaigns.models import Campaign
from hamseda.core import persian
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Office, Person
from hamseda.social.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    JointPost,
    Platform,
    Post,
    PostStatus,
    Protocol,
    SocialAccount,
    protocol_of,
)
from hamseda.social.services import accounts as account_services
from hamseda.social.services import joint as joint_services
from hamseda.social.services import posts as post_services

# The demo's chats all start so: ``point_demo_channels`` finds them by it.
CHAT_PREFIX = "@isf_"
DEFAULT_PORT = 8000
# The fakes' port after the site's, by protocol (``hamseda.social.fakes.serve_demo``).
PORT_OFFSET: dict[str, int] = {Protocol.BOT_API: 1, Protocol.EITAAYAR: 2, Protocol.RUBIKA: 3}
SCHEDULED_IN = dt.timedelta(minutes=3)
SCHEDULED_TEXT = (
    "قرارگاه رسانه‌ای نهضت ملی مسکن: قرعه‌کشی واحدهای شهر جدید بهارستان امروز برگزار شد؛ "
    "فهرست برندگان در سامانه طرح منتشر شده است."
)
JOINT_TITLE = "آغاز عملیات اجرایی ۲۰۰۰ واحد نهضت ملی مسکن در اصفهان"

C = campaigns_demo


@dataclass(frozen=True)
class Channels:
    office: str  # agency name, as campaigns.demo names it
    slug: str
    platforms: tuple[str, ...]
    posts: int  # posts over the last 60 days


B, E, R, T = Platform.BALE, Platform.EITAA, Platform.RUBIKA, Platform.TELEGRAM
CHANNELS = (
    Channels(C.CHAIR, "rah", (B, E, R, T, Platform.INSTAGRAM, Platform.WEBSITE), 14),
    Channels(C.GOVERNORATE, "ostandari", (B, E, R, T), 10),
    Channels(C.RAIL, "rail", (B, E, T), 8),
    Channels(C.AIRPORTS, "airport", (B, E, R, Platform.APARAT), 6),
    Channels(C.ROADS, "rahdari", (E, R), 6),
    Channels(C.WEATHER, "weather", (B, E), 0),
    Channels(C.BAHARESTAN, "baharestan", (B, Platform.INSTAGRAM), 5),
    Channels(C.HOUSING_FOUNDATION, "bonyad", (E,), 4),
    Channels(C.ENGINEERING, "nezam", (T, Platform.INSTAGRAM), 4),
)

HEADLINES = (
    "بازدید مدیرکل از پروژه‌های نهضت ملی مسکن در شهر جدید بهارستان",
    "پیشرفت ۷۰ درصدی عملیات ساخت واحدهای مسکونی در فولادشهر",
    "آغاز طرح نگهداری زمستانی راه‌های استان با ۱۲۰ دستگاه ماشین‌آلات",
    "برگزاری نشست هم‌اندیشی روابط عمومی‌های شورای هماهنگی استان",
    "هشدار هواشناسی: وزش باد شدید و گردوخاک در شرق استان",
    "افزایش قطارهای مسافری اصفهان–تهران در ایام پایانی هفته",
    "تحویل ۵۰۰ واحد مسکونی به متقاضیان نهضت ملی مسکن",
    "اطلاعیه: زمان‌بندی جدید پروازهای فرودگاه شهید بهشتی اصفهان",
    "نشست آموزشی مقررات ملی ساختمان برای مالکان و سازندگان",
    "گزارش تصویری بهسازی محور اصفهان–شیراز",
    "ثبت‌نام مرحله جدید طرح نهضت ملی مسکن فقط از سامانه رسمی",
    "آیین بهره‌برداری از تقاطع غیرهمسطح ورودی شهر",
)

PUBLIC_URL: dict[str, str] = {
    Platform.BALE: "https://ble.ir/{name}/{id}",
    Platform.EITAA: "https://eitaa.com/{name}/{id}",
    Platform.TELEGRAM: "https://t.me/{name}/{id}",
}
CHANNEL_URL: dict[str, str] = {
    Platform.BALE: "https://ble.ir/{name}",
    Platform.EITAA: "https://eitaa.com/{name}",
    Platform.RUBIKA: "https://rubika.ir/{name}",
    Platform.TELEGRAM: "https://t.me/{name}",
    Platform.INSTAGRAM: "https://www.instagram.com/{name}",
    Platform.APARAT: "https://www.aparat.com/{name}",
    Platform.WEBSITE: "https://{name}.example.ir",
}
MANUAL_URL: dict[str, str] = {
    Platform.INSTAGRAM: "https://www.instagram.com/p/{name}{id}/",
    Platform.APARAT: "https://www.aparat.com/v/{name}{id}",
    Platform.WEBSITE: "https://{name}.example.ir/news/{id}",
}
TITLES: dict[str, str] = {
    Platform.BALE: "بله",
    Platform.EITAA: "ایتا",
    Platform.RUBIKA: "روبیکا",
    Platform.TELEGRAM: "تلگرام",
    Platform.INSTAGRAM: "اینستاگرام",
    Platform.APARAT: "آپارات",
    Platform.WEBSITE: "وب‌سایت",
}


def demo_base_url(platform: str, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> str:
    """Where the demo's fake of ``platform``'s protocol listens; "" for manual ones."""
    offset = PORT_OFFSET.get(protocol_of(platform))
    return f"http://{host}:{port + offset}" if offset else ""


def point_demo_channels(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
    """Point the demo's channels at the fakes started beside the site on ``port``
    (``hamseda demo``); returns how many changed."""
    changed = 0
    for account in SocialAccount.objects.filter(chat_id__startswith=CHAT_PREFIX):
        url = demo_base_url(account.platform, host, port)
        if url and account.api_base_url != url:
            account.api_base_url = url
            account.save(update_fields=["api_base_url", "updated_at"])
            changed += 1
    return changed


class _Demo:
    def __init__(self) -> None:
        offices = Office.objects.filter(agency__province__code="isfahan").select_related("agency")
        self.offices = {office.agency.name: office for office in offices}
        self.admin = Person.objects.get(username="admin")
        self.people = {
            person.office_id: person
            for person in Person.objects.filter(office__in=offices, is_active=True).order_by("pk")
        }
        self.random = random.Random(1405)
        self.now = timezone.now()
        self.accounts: dict[tuple[str, str], SocialAccount] = {}
        self.message_id = 1000
        self.in_campaign: set[int] = set()

    def office(self, name: str) -> Office | None:
        return self.offices.get(persian.normalize(name))

    def actor(self, office: Office) -> Person:
        return self.people.get(office.pk, self.admin)

    def ago(self, days: float, hour: int = 10) -> dt.datetime:
        moment = self.now - dt.timedelta(days=days)
        return moment.replace(hour=hour, minute=self.random.randint(0, 59), second=0)


def _channels(demo: _Demo) -> None:
    for spec in CHANNELS:
        office = demo.office(spec.office)
        if office is None:
            continue
        for platform in spec.platforms:
            manual = protocol_of(platform) == Protocol.MANUAL
            name = f"isf_{spec.slug}"
            account = account_services.account_create(
                actor=demo.actor(office),
                office=office,
                platform=platform,
                title=f"{TITLES[platform]} {office.agency.name}",
                chat_id="" if manual else f"{CHAT_PREFIX}{spec.slug}",
                url=CHANNEL_URL[platform].format(
                    name=name.replace("_", "-") if platform == Platform.WEBSITE else name
                ),
                api_base_url=demo_base_url(platform),
                token=""
                if manual
                else f"demo-{spec.slug}-{platform}-{demo.random.randint(1000, 9999)}",
                followers=demo.random.randint(300, 25_000),
            )
            demo.accounts[(spec.office, platform)] = account


def _sent(demo: _Demo, delivery: Delivery, at: dt.datetime) -> None:
    demo.message_id += 1
    account = delivery.account
    name = account.chat_id.lstrip("@")
    delivery.status = DeliveryStatus.SENT
    delivery.remote_id = str(demo.message_id)
    template = PUBLIC_URL.get(account.platform)
    delivery.remote_url = template.format(name=name, id=demo.message_id) if template else ""
    # Eitaa and Rubika report views in the demo; the Bot API does not.
    if account.platform in (Platform.EITAA, Platform.RUBIKA):
        delivery.views = demo.random.randint(150, 6000)
    delivery.sent_at = at


def _manual_done(demo: _Demo, delivery: Delivery, at: dt.datetime) -> None:
    demo.message_id += 1
    delivery.status = DeliveryStatus.MANUAL_DONE
    delivery.remote_url = MANUAL_URL[delivery.account.platform].format(
        name=f"isf{delivery.account.office_id}", id=demo.message_id
    )
    delivery.views = demo.random.randint(400, 9000)
    delivery.sent_at = at
    delivery.marked_by = demo.actor(delivery.account.office)


def _fail(delivery: Delivery, kind: str, detail: str, http_status: int | None) -> None:
    uncertain = kind == ErrorKind.UNCERTAIN
    delivery.status = DeliveryStatus.UNCERTAIN if uncertain else DeliveryStatus.FAILED
    delivery.error_kind = kind
    delivery.error_detail = detail
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=delivery.claimed_at or timezone.now(),
        finished_at=delivery.claimed_at or timezone.now(),
        http_status=http_status,
        error_kind=kind,
        detail=detail,
    )


def _history_post(
    demo: _Demo, spec: Channels, office: Office, index: int, days: float, campaign: Campaign | None
) -> Post:
    accounts = [demo.accounts[(spec.office, p)] for p in spec.platforms]
    post = post_services.post_create(
        actor=demo.actor(office),
        office=office,
        text=HEADLINES[(index + len(spec.slug)) % len(HEADLINES)],
        account_ids=[a.pk for a in accounts],
        campaign=campaign if index % 3 == 0 and office.pk in demo.in_campaign else None,
        publish=False,
    )
    released = demo.ago(days)
    deliveries = []
    for account in accounts:
        delivery = Delivery(
            post=post,
            account=account,
            platform=account.platform,
            attempts=1,
            claimed_at=released,
            status=DeliveryStatus.MANUAL if account.is_manual else DeliveryStatus.QUEUED,
        )
        at = released + dt.timedelta(seconds=demo.random.randint(2, 40))
        if account.is_manual:
            # most were published by hand the same day; the newest ones wait
            if days > 3:
                _manual_done(demo, delivery, at + dt.timedelta(hours=2))
        else:
            _sent(demo, delivery, at)
        deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries)
    Post.objects.filter(pk=post.pk).update(
        created_at=released, released_at=released, status=PostStatus.PUBLISHING
    )
    return post


def _history(demo: _Demo, campaign: Campaign | None) -> list[Post]:
    posts = []
    for spec in CHANNELS:
        office = demo.office(spec.office)
        if office is None:
            continue
        days = sorted((demo.random.uniform(0.5, 58) for _ in range(spec.posts)), reverse=True)
        for index, day in enumerate(days):
            posts.append(_history_post(demo, spec, office, index, day, campaign))
    # The weather office posted once, long ago: its channels are "idle" this month.
    weather = demo.office(C.WEATHER)
    spec = next(s for s in CHANNELS if s.office == C.WEATHER)
    if weather is not None:
        posts.append(_history_post(demo, spec, weather, 4, 45, None))
    return posts


def _troubles(demo: _Demo) -> None:
    """A few deliveries that did not go well, on recent posts: each error as the
    workers would have recorded it."""
    troubles = (
        (C.AIRPORTS, Platform.RUBIKA, ErrorKind.UNAUTHORIZED, "INVALID_ACCESS: token", 401),
        (C.RAIL, Platform.TELEGRAM, ErrorKind.CHAT_NOT_FOUND, "Bad Request: chat not found", 400),
        (
            C.CHAIR,
            Platform.EITAA,
            ErrorKind.UNCERTAIN,
            "ReadTimeout: the read operation timed out",
            None,
        ),
        (C.ROADS, Platform.EITAA, ErrorKind.TOO_LONG, "Bad Request: message is too long", 400),
    )
    for office_name, platform, kind, detail, http_status in troubles:
        account = demo.accounts.get((office_name, platform))
        if account is None:
            continue
        delivery = (
            Delivery.objects.filter(account=account, status=DeliveryStatus.SENT)
            .order_by("-sent_at")
            .first()
        )
        if delivery is None:
            continue
        delivery.remote_id = delivery.remote_url = ""
        delivery.views = delivery.sent_at = None
        _fail(delivery, kind, detail, http_status)
        delivery.save()


def _joint(demo: _Demo, campaign: Campaign) -> JointPost | None:
    chair = demo.office(C.CHAIR)
    if chair is None:
        return None
    joint = joint_services.joint_create(
        actor=demo.actor(chair),
        campaign=campaign,
        office=chair,
        title=JOINT_TITLE,
        text=(
            "عملیات اجرایی ۲۰۰۰ واحد مسکونی طرح نهضت ملی مسکن در شهرهای جدید بهارستان، "
            "مجلسی و فولادشهر آغاز شد. ثبت‌نام و پیگیری فقط از سامانه رسمی طرح."
        ),
        variants={
            Platform.INSTAGRAM: "آغاز ساخت ۲۰۰۰ واحد نهضت ملی مسکن در اصفهان 🏗️",
        },
    )
    sent_on = demo.ago(2, hour=9)
    outcomes = {
        C.CHAIR: "full",
        C.GOVERNORATE: "full",
        C.HOUSING_FOUNDATION: "full",
        C.BAHARESTAN: "partly",
        C.ENGINEERING: "declined",
    }
    for name, outcome in outcomes.items():
        office = demo.office(name)
        if office is None or not JointInvite.objects.filter(joint=joint, office=office).exists():
            continue
        actor = demo.actor(office)
        if outcome == "declined":
            joint_services.joint_decline(
                actor=actor,
                joint=joint,
                office=office,
                reason="موضوع این فرسته با حوزه کاری سازمان هم‌خوان نیست؛ فرسته خودمان را می‌گذاریم.",
            )
            continue
        post = joint_services.joint_adopt(actor=actor, joint=joint, office=office)
        # The adoption went out two days ago: written as the workers left it
        # (their queued runs find nothing to claim).
        for delivery in post.deliveries.select_related("account__office__agency", "post"):
            at = sent_on + dt.timedelta(minutes=demo.random.randint(1, 50))
            if delivery.account.is_manual:
                if outcome == "full":
                    _manual_done(demo, delivery, at)
            else:
                delivery.attempts = 1
                _sent(demo, delivery, at)
            delivery.save()
        post_services.post_refresh_status(post)
        Post.objects.filter(pk=post.pk).update(created_at=sent_on, released_at=sent_on)
    JointPost.objects.filter(pk=joint.pk).update(created_at=demo.ago(3))
    JointInvite.objects.filter(joint=joint).update(created_at=demo.ago(3))
    JointInvite.objects.filter(joint=joint, status=InviteStatus.APPROVED).update(decided_at=sent_on)
    return joint


def _scheduled(demo: _Demo, campaign: Campaign | None) -> Post | None:
    """The post the demo's worker delivers to the fakes a few minutes after load."""
    chair = demo.office(C.CHAIR)
    if chair is None:
        return None
    accounts = [demo.accounts[(C.CHAIR, p)] for p in (B, E, R, T) if (C.CHAIR, p) in demo.accounts]
    return post_services.post_create(
        actor=demo.actor(chair),
        office=chair,
        text=SCHEDULED_TEXT,
        account_ids=[a.pk for a in accounts],
        campaign=campaign,
        scheduled_at=timezone.now() + SCHEDULED_IN,
    )


@demo_loader("hamseda.social")
def load_social_demo() -> list[dict[str, Any]]:
    if SocialAccount.objects.filter(chat_id__startswith=CHAT_PREFIX).exists():
        return []
    if not Office.objects.filter(agency__province__code="isfahan").exists():
        return []
    demo = _Demo()
    campaign = Campaign.objects.filter(title=C.HOUSING_HQ, province__code="isfahan").first()
    if campaign is not None:
        demo.in_campaign = {o.pk for o in campaign.co_owners.all()} | {
            o.pk for o in campaign.participants.all()
        }
    with transaction.atomic():
        _channels(demo)
        posts = _history(demo, campaign)
        _troubles(demo)
        for post in posts:
            post_services.post_refresh_status(post)
        if campaign is not None:
            _joint(demo, campaign)
        _scheduled(demo, campaign)
    return []
