"""Social networks: every office's channels, posts composed once and delivered to
each chosen channel, and campaign joint posts that participating offices adopt.

- ``SocialAccount``: one channel of an office on one platform. Platforms with a
  bot API (Bale, Telegram and Soroush Plus speak the Telegram Bot API protocol;
  Eitaa through Eitaayar; Rubika's bot API) are published to by the worker; the
  others (Instagram, Aparat, X, a website) get a copy/export flow and a
  "published by hand" mark. The bot token is stored encrypted
  (``social.crypto``) and only its last characters are ever shown.
- ``Post``: text (with per-platform ``PostVariant`` where a platform's limit or
  style differs), images (``PostMedia``), a video link, the campaign's hashtags
  appended, published now or at ``scheduled_at``.
- ``Delivery``: the post on one channel, with its status, attempts, the
  platform's message id and the last error. It is the unit of idempotency: a
  delivery is claimed by one worker at a time and never sent again once the
  platform may have accepted it (see ``services.delivery``).
- ``JointPost`` / ``JointInvite``: a campaign's post written once by a co-owner
  office; each participating office approves it (its own ``Post`` is made from
  it and published on its channels) or declines with a reason.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.policy import Scope
from hamseda.directory.models import Office


class Platform(models.TextChoices):
    BALE = "bale", _("بله")
    EITAA = "eitaa", _("ایتا")
    RUBIKA = "rubika", _("روبیکا")
    TELEGRAM = "telegram", _("تلگرام")
    SOROUSH = "soroush", _("سروش پلاس")
    INSTAGRAM = "instagram", _("اینستاگرام")
    APARAT = "aparat", _("آپارات")
    X = "x", _("ایکس")
    WEBSITE = "website", _("وب‌سایت")


class Protocol(models.TextChoices):
    BOT_API = "botapi", _("پروتکل Bot API تلگرام")
    EITAAYAR = "eitaayar", _("ایتایار")
    RUBIKA = "rubika", _("Bot API روبیکا")
    MANUAL = "manual", _("انتشار دستی")


# Which protocol publishes to a platform; MANUAL: no API we publish through.
PROTOCOL_OF: dict[str, str] = {
    Platform.BALE: Protocol.BOT_API,
    Platform.TELEGRAM: Protocol.BOT_API,
    Platform.SOROUSH: Protocol.BOT_API,
    Platform.EITAA: Protocol.EITAAYAR,
    Platform.RUBIKA: Protocol.RUBIKA,
    Platform.INSTAGRAM: Protocol.MANUAL,
    Platform.APARAT: Protocol.MANUAL,
    Platform.X: Protocol.MANUAL,
    Platform.WEBSITE: Protocol.MANUAL,
}

# The public API of each platform; an account may name another (a proxy on the
# intranet, or the local fakes of the tests and the demo).
DEFAULT_BASE_URL: dict[str, str] = {
    Platform.BALE: "https://tapi.bale.ai",
    Platform.TELEGRAM: "https://api.telegram.org",
    Platform.SOROUSH: "https://api.splus.ir",
    Platform.EITAA: "https://eitaayar.ir",
    Platform.RUBIKA: "https://botapi.rubika.ir",
}

# Longest text one message may carry (characters), and the longest caption of a
# message with a picture. None: no limit we know of.
TEXT_LIMIT: dict[str, int | None] = {
    Platform.BALE: 4096,
    Platform.TELEGRAM: 4096,
    Platform.SOROUSH: 4096,
    Platform.EITAA: 4096,
    Platform.RUBIKA: 4096,
    Platform.INSTAGRAM: 2200,
    Platform.APARAT: 5000,
    Platform.X: 280,
    Platform.WEBSITE: None,
}
CAPTION_LIMIT: dict[str, int | None] = {
    Platform.BALE: 1024,
    Platform.TELEGRAM: 1024,
    Platform.SOROUSH: 1024,
    Platform.EITAA: 1024,
    Platform.RUBIKA: 4096,
    Platform.INSTAGRAM: 2200,
    Platform.APARAT: 5000,
    Platform.X: 280,
    Platform.WEBSITE: None,
}

# The messengers Iranian offices publish on first: the coverage matrix and the
# channel-coverage indicator count these.
MAIN_PLATFORMS: tuple[str, ...] = (
    Platform.BALE,
    Platform.EITAA,
    Platform.RUBIKA,
    Platform.TELEGRAM,
)


def protocol_of(platform: str) -> str:
    return PROTOCOL_OF.get(platform, Protocol.MANUAL)


class SocialAccount(TimeStamped):
    office = models.ForeignKey(
        Office,
        verbose_name=_("روابط عمومی"),
        on_delete=models.CASCADE,
        related_name="social_accounts",
    )
    platform = models.CharField(_("شبکه"), max_length=12, choices=Platform.choices)
    title = models.CharField(_("نام کانال"), max_length=200)
    # What the bot API addresses: @channel_name or a numeric id (Bot API, Eitaa),
    # the channel's guid (Rubika). Empty for manual platforms.
    chat_id = models.CharField(_("شناسه کانال"), max_length=200, blank=True)
    url = models.URLField(_("نشانی عمومی کانال"), blank=True)
    # Empty: the platform's public API (DEFAULT_BASE_URL).
    api_base_url = models.URLField(_("نشانی API"), blank=True)
    # Fernet token of the bot token (social.crypto); never shown back.
    token_encrypted = models.TextField(editable=False, default="", blank=True)
    token_hint = models.CharField(_("انتهای توکن"), max_length=8, editable=False, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    followers = models.PositiveIntegerField(_("شمار دنبال‌کنندگان"), null=True, blank=True)
    # The last connection check (getMe): when, and the Persian error if it failed.
    checked_at = models.DateTimeField(_("آخرین بررسی اتصال"), null=True, blank=True)
    check_error = models.CharField(_("خطای بررسی اتصال"), max_length=500, blank=True)
    bot_name = models.CharField(_("نام بات"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["office", "platform", "title", "pk"]
        verbose_name = _("کانال شبکه اجتماعی")
        verbose_name_plural = _("کانال‌های شبکه‌های اجتماعی")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "platform", "chat_id"],
                condition=~Q(chat_id=""),
                name="social_account_unique_chat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_platform_display()})"

    def get_absolute_url(self) -> str:
        return reverse("social:account_edit", args=[self.pk])

    @property
    def protocol(self) -> str:
        return protocol_of(self.platform)

    @property
    def is_manual(self) -> bool:
        return self.protocol == Protocol.MANUAL

    @property
    def has_token(self) -> bool:
        return bool(self.token_encrypted)

    @property
    def base_url(self) -> str:
        return self.api_base_url or DEFAULT_BASE_URL.get(self.platform, "")

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.office.province_id, office_id=self.office_id)


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("پیش‌نویس")
    SCHEDULED = "scheduled", _("زمان‌بندی‌شده")
    PUBLISHING = "publishing", _("در حال انتشار")
    DONE = "done", _("منتشرشده")
    PARTLY = "partly", _("منتشرشده با خطا در برخی کانال‌ها")
    FAILED = "failed", _("ناموفق")
    CANCELLED = "cancelled", _("لغوشده")


class Post(TimeStamped, SearchKeyed):
    search_fields = ("text",)

    office = models.ForeignKey(
        Office, verbose_name=_("روابط عمومی"), on_delete=models.PROTECT, related_name="social_posts"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("پویش"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_posts",
    )
    # Set when the post is an office's adoption of a campaign's joint post.
    joint = models.ForeignKey(
        "JointPost",
        verbose_name=_("فرسته مشترک پویش"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    text = models.TextField(_("متن"))
    video_url = models.URLField(_("پیوند ویدئو"), blank=True)
    # The channels chosen for it; at release each becomes a Delivery.
    accounts = models.ManyToManyField(
        SocialAccount, verbose_name=_("کانال‌ها"), blank=True, related_name="posts"
    )
    append_hashtags = models.BooleanField(_("افزودن هشتگ‌های پویش"), default=True)
    # None: as soon as it is released. Delivery starts at this time otherwise.
    scheduled_at = models.DateTimeField(_("زمان انتشار"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    # When the post was handed to the workers (deliveries created and queued).
    released_at = models.DateTimeField(_("زمان آغاز انتشار"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("فرسته")
        verbose_name_plural = _("فرسته‌ها")
        indexes = [
            models.Index(fields=["office", "created_at"]),
            models.Index(fields=["status", "scheduled_at"]),
            # The newest posts of every province (the ministry centre's list).
            models.Index(fields=["-created_at", "-id"], name="social_post_newest"),
        ]
        constraints = [
            # An office adopts a campaign's joint post once.
            models.UniqueConstraint(
                fields=["office", "joint"], condition=Q(joint__isnull=False), name="one_adoption"
            ),
        ]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first_line[:80] or str(_("فرسته بی‌متن"))

    def get_absolute_url(self) -> str:
        return reverse("social:post_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.office.province_id, office_id=self.office_id)


class PostVariant(TimeStamped):
    """The post's text for one platform, where it differs from the main text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    platform = models.CharField(_("شبکه"), max_length=12, choices=Platform.choices)
    text = models.TextField(_("متن"))

    class Meta:
        ordering = ["post", "platform"]
        verbose_name = _("متن ویژه شبکه")
        verbose_name_plural = _("متن‌های ویژه شبکه‌ها")
        constraints = [
            models.UniqueConstraint(fields=["post", "platform"], name="one_variant_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.get_platform_display()}"


class PostMedia(TimeStamped):
    """An image of a post (or of a joint post: exactly one of the two is set)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    joint = models.ForeignKey(
        "JointPost", on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    position = models.PositiveSmallIntegerField(_("ردیف"), default=0)
    file = models.FileField(_("تصویر"), upload_to="social/%Y/%m/")
    name = models.CharField(_("نام فایل"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("تصویر فرسته")
        verbose_name_plural = _("تصویرهای فرسته")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, joint__isnull=True)
                | Q(post__isnull=True, joint__isnull=False),
                name="media_of_post_or_joint",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.file.name or ""


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("در صف")
    SENDING = "sending", _("در حال ارسال")
    SENT = "sent", _("ارسال‌شده")
    FAILED = "failed", _("ناموفق")
    # A worker died or the connection dropped after the request went out: the
    # platform may have published it. Never re-sent by itself.
    UNCERTAIN = "uncertain", _("نامعلوم؛ نیاز به بررسی")
    MANUAL = "manual", _("منتظر انتشار دستی")
    MANUAL_DONE = "manual_done", _("منتشرشده به‌صورت دستی")
    CANCELLED = "cancelled", _("لغوشده")


# A delivery in these states counts as published.
PUBLISHED_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.MANUAL_DONE)
# ... and in these it will not move again by itself.
FINAL_STATUSES = (*PUBLISHED_STATUSES, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)


class ErrorKind(models.TextChoices):
    """What went wrong with a delivery attempt; ``adapters.base`` explains each
    in Persian with what to do."""

    NONE = "", _("بدون خطا")
    RATE_LIMITED = "rate_limited", _("محدودیت تعداد درخواست")
    BAD_REQUEST = "bad_request", _("درخواست نادرست")
    CHAT_NOT_FOUND = "chat_not_found", _("کانال پیدا نشد")
    UNAUTHORIZED = "unauthorized", _("توکن نامعتبر")
    FORBIDDEN = "forbidden", _("دسترسی ندارد")
    TOO_LONG = "too_long", _("متن طولانی")
    SERVER = "server", _("خطای سرور پیام‌رسان")
    BAD_REPLY = "bad_reply", _("پاسخ نامفهوم")
    NETWORK = "network", _("خطای شبکه")
    UNCERTAIN = "uncertain", _("نتیجه نامعلوم")
    CONFIG = "config", _("تنظیمات کانال ناقص")


class Delivery(TimeStamped):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    account = models.ForeignKey(
        SocialAccount, verbose_name=_("کانال"), on_delete=models.PROTECT, related_name="deliveries"
    )
    # Denormalised from the account: the coverage matrix and indicators group by it.
    platform = models.CharField(_("شبکه"), max_length=12, choices=Platform.choices)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("تلاش‌ها"), default=0)
    # Not before this time (backoff, retry_after). Null: at once.
    next_attempt_at = models.DateTimeField(_("تلاش بعدی"), null=True, blank=True)
    # The attempt that holds the delivery while it is SENDING (a fresh uuid per
    # claim) and when it claimed it: a second worker cannot claim it meanwhile.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Sent to platforms that accept one; our own record of "this message".
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remote_id = models.CharField(_("شناسه پیام در شبکه"), max_length=200, blank=True)
    remote_url = models.URLField(_("پیوند پیام منتشرشده"), blank=True)
    sent_at = models.DateTimeField(_("زمان انتشار"), null=True, blank=True, db_index=True)
    views = models.PositiveIntegerField(_("بازدید"), null=True, blank=True)
    error_kind = models.CharField(
        _("نوع خطا"), max_length=16, choices=ErrorKind.choices, default="", blank=True
    )
    # The platform's own words (English, for support), next to error_kind's Persian.
    error_detail = models.CharField(_("پاسخ پیام‌رسان"), max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["post", "platform", "pk"]
        verbose_name = _("ارسال به کانال")
        verbose_name_plural = _("ارسال‌ها به کانال‌ها")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["platform", "sent_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.account_id} ({self.status})"

    def policy_scope(self) -> Scope:
        return self.post.policy_scope()


class DeliveryAttempt(models.Model):
    """One call to a platform: what it answered. The delivery's history."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(_("آغاز"))
    finished_at = models.DateTimeField(_("پایان"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("کد پاسخ"), null=True, blank=True)
    error_kind = models.CharField(
        _("نوع خطا"), max_length=16, choices=ErrorKind.choices, blank=True
    )
    detail = models.CharField(_("جزئیات"), max_length=500, blank=True)
    retry_after = models.FloatField(_("درنگ خواسته‌شده (ثانیه)"), null=True, blank=True)

    class Meta:
        ordering = ["delivery", "started_at", "pk"]
        verbose_name = _("تلاش ارسال")
        verbose_name_plural = _("تلاش‌های ارسال")

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.started_at:%Y-%m-%d %H:%M:%S}"


class JointStatus(models.TextChoices):
    OPEN = "open", _("باز برای تأیید دستگاه‌ها")
    CLOSED = "closed", _("بسته")


class JointPost(TimeStamped, SearchKeyed):
    search_fields = ("title", "text")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("پویش"),
        on_delete=models.CASCADE,
        related_name="joint_posts",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("دستگاه تهیه‌کننده"),
        on_delete=models.PROTECT,
        related_name="joint_posts_written",
    )
    title = models.CharField(_("عنوان"), max_length=200)
    text = models.TextField(_("متن"))
    # {platform: text} where a platform needs its own wording.
    variants = models.JSONField(_("متن‌های ویژه شبکه‌ها"), default=dict, blank=True)
    video_url = models.URLField(_("پیوند ویدئو"), blank=True)
    # When adopting offices publish it (None: as each approves).
    publish_at = models.DateTimeField(_("زمان انتشار هماهنگ"), null=True, blank=True)
    status = models.CharField(
        _("وضعیت"), max_length=8, choices=JointStatus.choices, default=JointStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("فرسته مشترک پویش")
        verbose_name_plural = _("فرسته‌های مشترک پویش‌ها")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("social:joint_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return self.campaign.policy_scope()


class InviteStatus(models.TextChoices):
    PENDING = "pending", _("در انتظار تأیید")
    APPROVED = "approved", _("تأیید و انتشار")
    DECLINED = "declined", _("نپذیرفت")


class JointInvite(TimeStamped):
    """A participating office's answer to a joint post."""

    joint = models.ForeignKey(JointPost, on_delete=models.CASCADE, related_name="invites")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="joint_invites")
    status = models.CharField(
        _("وضعیت"), max_length=8, choices=InviteStatus.choices, default=InviteStatus.PENDING
    )
    reason = models.CharField(_("دلیل"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("زمان پاسخ"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["joint", "office", "pk"]
        verbose_name = _("دعوت به انتشار فرسته مشترک")
        verbose_name_plural = _("دعوت‌ها به انتشار فرسته مشترک")
        constraints = [
            models.UniqueConstraint(fields=["joint", "office"], name="one_invite_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.joint_id} → {self.office_id} ({self.status})"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.office.province_id, office_id=self.office_id)
