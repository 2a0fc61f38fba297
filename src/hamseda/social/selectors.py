"""Reads of the social app, scoped to the viewer by ``core.policy``.

Everyone in a province sees every office's channels and posts there (that is
how an office sees the council's "one voice" at work); only the office itself
writes them (``social.publish``, ``social.accounts``, checked by the services).
A joint post is seen where its campaign is seen, and by every office invited
to it. Tokens are never read here: a channel shows its ``token_hint`` only.

The delivery rows of a post carry their Persian explanation (what happened and
what to do), so that the post page, its htmx refresh and the joint page draw
one and the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.core import jalali, persian, policy
from hamseda.directory.models import Office, Person, Province
from hamseda.social.adapters.base import explain
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    JointInvite,
    JointPost,
    Platform,
    Post,
    PostMedia,
    PostStatus,
    SocialAccount,
)

# Deliveries in these states still move by themselves: the post page refreshes
# while any of its deliveries is in one.
IN_FLIGHT = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)

# Bootstrap colour of each delivery status (the badge).
STATUS_TONE: dict[str, str] = {
    DeliveryStatus.QUEUED: "secondary",
    DeliveryStatus.SENDING: "info",
    DeliveryStatus.SENT: "success",
    DeliveryStatus.FAILED: "danger",
    DeliveryStatus.UNCERTAIN: "warning",
    DeliveryStatus.MANUAL: "warning",
    DeliveryStatus.MANUAL_DONE: "success",
    DeliveryStatus.CANCELLED: "light",
}

# Bootstrap colour of each post status.
POST_TONE: dict[str, str] = {
    PostStatus.DRAFT: "secondary",
    PostStatus.SCHEDULED: "info",
    PostStatus.PUBLISHING: "primary",
    PostStatus.DONE: "success",
    PostStatus.PARTLY: "warning",
    PostStatus.FAILED: "danger",
    PostStatus.CANCELLED: "light",
}

# What a status means for the office when no error explains it.
STATUS_HELP: dict[str, tuple[Any, Any]] = {
    DeliveryStatus.QUEUED: (
        _("در صف ارسال است."),
        _("کاری لازم نیست؛ سامانه به‌زودی می‌فرستد و این صفحه خودش به‌روز می‌شود."),
    ),
    DeliveryStatus.SENDING: (
        _("در حال ارسال به پیام‌رسان است."),
        _("کاری لازم نیست؛ این صفحه خودش به‌روز می‌شود."),
    ),
    DeliveryStatus.SENT: (_("پیام‌رسان پیام را پذیرفت و منتشر شد."), ""),
    DeliveryStatus.MANUAL: (
        _("این شبکه انتشار خودکار ندارد."),
        _(
            "متن را رونوشت کنید (یا متن و تصویرها را بارگیری کنید)، در شبکه منتشر کنید و "
            "پیوند فرسته منتشرشده را این‌جا ثبت کنید."
        ),
    ),
    DeliveryStatus.MANUAL_DONE: (_("به‌صورت دستی منتشر و ثبت شد."), ""),
    DeliveryStatus.CANCELLED: (_("انتشار در این کانال لغو شد."), ""),
    DeliveryStatus.FAILED: (
        _("ارسال ناموفق بود."),
        _("تنظیمات کانال را بررسی کنید و «ارسال دوباره» را بزنید."),
    ),
    DeliveryStatus.UNCERTAIN: (
        _("معلوم نیست پیام منتشر شده یا نه."),
        _(
            "کانال را ببینید: اگر پیام منتشر شده پیوند آن را ثبت کنید، وگرنه «ارسال دوباره» "
            "را بزنید."
        ),
    ),
}


def _office_of(value: Office | int | None) -> int | None:
    if value is None:
        return None
    return value.pk if isinstance(value, Office) else int(value)


# --- posts ---------------------------------------------------------------------------


def _posts_scoped(viewer: Person) -> QuerySet[Post]:
    posts = policy.scope_queryset(
        viewer,
        "social.view",
        Post.objects.all(),
        province_field="office__agency__province_id",
        office_field="office_id",
    )
    if policy.reach(viewer, "social.view") == policy.Reach.PROVINCE and viewer.province_id:
        # The same rows, said so that the (office, created_at) index serves them:
        # the scope's "own office OR the office's province" through a join makes
        # PostgreSQL read every post of the country.
        posts = posts.filter(office_id__in=_province_offices(viewer.province_id))
    return posts


def _province_offices(province_id: int) -> Any:
    """The ids of the province's offices, as a subquery."""
    return Office.objects.filter(agency__province_id=province_id).values("pk")


def post_list(
    *,
    viewer: Person,
    office: Office | int | None = None,
    status: str | None = None,
    platform: str | None = None,
    campaign: Campaign | int | None = None,
    q: str = "",
    province: Province | int | None = None,
) -> QuerySet[Post]:
    """The posts ``viewer`` may see, newest first; with office, campaign and the
    deliveries (with their channels) loaded, so a page of rows costs three
    queries. ``q`` matches the text in any spelling (Arabic ي/ك, half-spaces,
    digits)."""
    posts = _posts_scoped(viewer)
    if province is not None:
        province_id = province.pk if isinstance(province, Province) else int(province)
        posts = posts.filter(office_id__in=_province_offices(province_id))
    office_id = _office_of(office)
    if office_id is not None:
        posts = posts.filter(office_id=office_id)
    if status:
        posts = posts.filter(status=status)
    if platform:
        posts = posts.filter(Q(accounts__platform=platform) | Q(deliveries__platform=platform))
    if campaign:
        posts = posts.filter(
            campaign_id=campaign.pk if isinstance(campaign, Campaign) else campaign
        )
    for term in persian.query_terms(q):
        posts = posts.filter(text_key__contains=term)
    if platform:
        posts = posts.distinct()
    return (
        posts.select_related("office", "campaign")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("account").order_by("platform", "pk"),
            ),
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("platform", "title")),
        )
        .order_by("-created_at", "-pk")
    )


def post_detail(*, viewer: Person, pk: int) -> Post:
    """One post with what its page shows; Http404 when the viewer may not see it."""
    post = (
        _posts_scoped(viewer)
        .select_related("office__agency", "campaign", "joint", "created_by")
        .prefetch_related(
            "variants",
            Prefetch("media", queryset=PostMedia.objects.order_by("position", "pk")),
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("platform", "title")),
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("account", "marked_by").order_by(
                    "platform", "account__title", "pk"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404("no such post")
    return post


def delivery_get(*, viewer: Person, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.filter(pk=pk, post__in=_posts_scoped(viewer))
        .select_related("post__office__agency", "post__campaign", "account")
        .first()
    )
    if delivery is None:
        raise Http404("no such delivery")
    return delivery


def media_get(*, viewer: Person, pk: int) -> PostMedia:
    """An image of a post or joint post the viewer may see."""
    media = (
        PostMedia.objects.filter(
            Q(post__in=_posts_scoped(viewer)) | Q(joint__in=_joints_scoped(viewer)), pk=pk
        )
        .select_related("post", "joint")
        .first()
    )
    if media is None:
        raise Http404("no such image")
    return media


@dataclass(frozen=True)
class DeliveryRow:
    """A delivery as the post page shows it."""

    delivery: Delivery
    tone: str
    what: str
    todo: str

    @property
    def in_flight(self) -> bool:
        return self.delivery.status in IN_FLIGHT

    @property
    def can_retry(self) -> bool:
        return self.delivery.status in (DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN)

    @property
    def can_mark(self) -> bool:
        return self.delivery.status in (
            DeliveryStatus.MANUAL,
            DeliveryStatus.UNCERTAIN,
            DeliveryStatus.FAILED,
        )


def delivery_row(delivery: Delivery) -> DeliveryRow:
    what, todo = ("", "")
    if delivery.error_kind and delivery.status not in (
        DeliveryStatus.SENT,
        DeliveryStatus.MANUAL_DONE,
        DeliveryStatus.CANCELLED,
    ):
        what, todo = explain(delivery.error_kind)
    if not what:
        base_what, base_todo = STATUS_HELP.get(delivery.status, ("", ""))
        what, todo = str(base_what), str(base_todo)
    return DeliveryRow(
        delivery=delivery,
        tone=STATUS_TONE.get(delivery.status, "secondary"),
        what=what,
        todo=todo,
    )


def delivery_rows(post: Post) -> list[DeliveryRow]:
    """The post's deliveries (prefetched by ``post_detail``) with their explanations."""
    return [delivery_row(d) for d in post.deliveries.all()]


def status_counts(deliveries: Any) -> list[tuple[str, str, str, int]]:
    """(status, Persian label, tone, count) of the deliveries, in the order of
    ``DeliveryStatus``: the chips of a post in the list."""
    counts = Counter(d.status for d in deliveries)
    return [
        (status.value, str(status.label), STATUS_TONE[status], counts[status])
        for status in DeliveryStatus
        if counts[status]
    ]


# --- channels --------------------------------------------------------------------------


def _accounts_scoped(viewer: Person) -> QuerySet[SocialAccount]:
    return policy.scope_queryset(
        viewer,
        "social.view",
        SocialAccount.objects.all(),
        province_field="office__agency__province_id",
        office_field="office_id",
    )


def account_list(
    *,
    viewer: Person,
    office: Office | int | None = None,
    province: Province | int | None = None,
) -> QuerySet[SocialAccount]:
    """Channels the viewer may see, by office then platform."""
    accounts = _accounts_scoped(viewer)
    if province is not None:
        province_id = province.pk if isinstance(province, Province) else int(province)
        accounts = accounts.filter(office_id__in=_province_offices(province_id))
    office_id = _office_of(office)
    if office_id is not None:
        accounts = accounts.filter(office_id=office_id)
    return accounts.select_related("office__agency").order_by(
        "office__sort_key", "office_id", "platform", "title", "pk"
    )


def account_get(*, viewer: Person, pk: int) -> SocialAccount:
    account = _accounts_scoped(viewer).select_related("office__agency").filter(pk=pk).first()
    if account is None:
        raise Http404("no such channel")
    return account


def channels_for(office: Office | int) -> QuerySet[SocialAccount]:
    """The office's active channels, grouped by platform: what a post may go to."""
    office_id = office.pk if isinstance(office, Office) else int(office)
    return SocialAccount.objects.filter(office_id=office_id, is_active=True).order_by(
        "platform", "title", "pk"
    )


def platforms_of(accounts: Any) -> list[str]:
    """The platforms of some channels, in the order of ``Platform``."""
    present = {a.platform for a in accounts}
    return [p.value for p in Platform if p.value in present]


# --- campaigns: hashtags and key messages ------------------------------------------------


def campaigns_for(office: Office | int, *, today: dt.date | None = None) -> QuerySet[Campaign]:
    """Campaigns an office posts for: it runs or joins them, and they have not
    ended more than a month ago."""
    today = today or jalali.today()
    office_id = _office_of(office)
    return (
        Campaign.objects.filter(Q(co_owners=office_id) | Q(participants=office_id))
        .filter(end_date__gte=today - dt.timedelta(days=30))
        .distinct()
        .order_by("-start_date", "pk")
    )


def key_messages(campaign: Campaign | int | None) -> list[KeyMessage]:
    if not campaign:
        return []
    campaign_id = campaign.pk if isinstance(campaign, Campaign) else campaign
    return list(KeyMessage.objects.filter(campaign_id=campaign_id).order_by("position", "pk"))


def campaign_briefs(campaigns: Any) -> dict[str, dict[str, Any]]:
    """{campaign id: {hashtags, messages}} for the compose page's script (one
    query for the messages of them all)."""
    campaigns = list(campaigns)
    messages: dict[int, list[str]] = {c.pk: [] for c in campaigns}
    for message in KeyMessage.objects.filter(campaign__in=campaigns).order_by("position", "pk"):
        messages[message.campaign_id].append(message.text)
    return {
        str(c.pk): {
            "title": c.title,
            "hashtags": list(c.hashtags or []),
            "messages": messages[c.pk],
        }
        for c in campaigns
    }


# --- joint posts ---------------------------------------------------------------------------


def _joints_scoped(viewer: Person) -> QuerySet[JointPost]:
    visible = policy.scope_queryset(
        viewer,
        "social.view",
        JointPost.objects.all(),
        province_field="campaign__province_id",
        office_field="office_id",
    )
    if policy.reach(viewer, "social.view") == policy.Reach.NONE:
        return visible
    # A national campaign's joint post has no province: its invited offices see it.
    invited = Q(invites__office_id=viewer.office_id) if viewer.office_id else Q(pk__in=[])
    return JointPost.objects.filter(Q(pk__in=visible.values("pk")) | invited).distinct()


def joint_list(*, viewer: Person) -> QuerySet[JointPost]:
    """Joint posts the viewer may see, newest first, with the viewer office's own
    invitation (if any) under ``my_invites``."""
    mine = JointInvite.objects.filter(office_id=viewer.office_id or 0)
    return (
        _joints_scoped(viewer)
        .select_related("campaign", "office")
        .prefetch_related(
            Prefetch("invites", queryset=JointInvite.objects.order_by("status")),
            Prefetch("invites", queryset=mine, to_attr="my_invites"),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class InviteRow:
    invite: JointInvite
    post: Post | None  # the office's adoption, once approved
    deliveries: list[DeliveryRow]

    @property
    def published(self) -> int:
        return sum(
            1
            for r in self.deliveries
            if r.delivery.status in (DeliveryStatus.SENT, DeliveryStatus.MANUAL_DONE)
        )


def joint_detail(*, viewer: Person, pk: int) -> JointPost:
    """One joint post with its invitations (offices loaded) and each adopting
    office's post with its deliveries; ``joint.rows`` lists ``InviteRow``."""
    joint = (
        _joints_scoped(viewer)
        .select_related("campaign__province", "office", "created_by")
        .prefetch_related(
            Prefetch("media", queryset=PostMedia.objects.order_by("position", "pk")),
            Prefetch(
                "invites",
                queryset=JointInvite.objects.select_related("office", "decided_by").order_by(
                    "office__sort_key", "pk"
                ),
            ),
            Prefetch(
                "posts",
                queryset=Post.objects.prefetch_related(
                    Prefetch(
                        "deliveries",
                        queryset=Delivery.objects.select_related("account").order_by(
                            "platform", "pk"
                        ),
                    )
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if joint is None:
        raise Http404("no such joint post")
    posts = {p.office_id: p for p in joint.posts.all()}
    joint.rows = [  # type: ignore[attr-defined]
        InviteRow(
            invite=invite,
            post=posts.get(invite.office_id),
            deliveries=[delivery_row(d) for d in posts[invite.office_id].deliveries.all()]
            if invite.office_id in posts
            else [],
        )
        for invite in joint.invites.all()
    ]
    return joint


def joint_campaigns(viewer: Person) -> QuerySet[Campaign]:
    """Running campaigns for which the viewer may write a joint post."""
    today = jalali.today()
    campaigns = (
        Campaign.objects.filter(end_date__gte=today)
        .prefetch_related("co_owners")
        .order_by("-start_date", "pk")
    )
    reach = policy.reach(viewer, "social.joint")
    if reach == policy.Reach.ANY:
        return campaigns
    if reach == policy.Reach.NONE:
        return campaigns.none()
    condition = Q(co_owners=viewer.office_id) if viewer.office_id else Q(pk__in=[])
    if reach == policy.Reach.PROVINCE and viewer.province_id is not None:
        condition |= Q(province_id=viewer.province_id)
    return campaigns.filter(condition).distinct()
