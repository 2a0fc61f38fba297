"""Media monitoring: the outlets polled, the articles read from them, the stories
they make together, and which agencies each article speaks of, in what tone.

An article is stored once: by its canonical URL across all sources, and by its
content hash within one source (an item re-published under a new link). Full-text
search runs on ``search_tokens`` (see ``monitoring.search``): SQLite keeps an FTS5
table in step with triggers, PostgreSQL a GIN index on its ``tsvector``; both are
made by migration 0002.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.policy import Scope


class SourceKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("خبرگزاری")
    NATIONAL = "national", _("رسانه سراسری")
    PROVINCIAL = "provincial", _("رسانه استانی")
    BROADCASTER = "broadcaster", _("صداوسیما")
    AGENCY_SITE = "agency_site", _("وبگاه دستگاه")
    CLIPPINGS = "clippings", _("بریده‌های دستی")


class Source(TimeStamped, SearchKeyed):
    """An outlet: its RSS/Atom feed (none for a clippings-only source), its weight
    in coverage, and the health of its polling. ``province`` is None for national
    outlets."""

    search_fields = ("name", "site_url", "feed_url")

    name = models.CharField(_("نام رسانه"), max_length=200)
    kind = models.CharField(_("نوع رسانه"), max_length=20, choices=SourceKind.choices)
    feed_url = models.URLField(_("نشانی خوراک RSS/Atom"), max_length=500, blank=True)
    site_url = models.URLField(_("نشانی وبگاه"), max_length=500, blank=True)
    # The site's host without "www.": a clipping's link finds its outlet by it.
    host = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    weight = models.FloatField(
        _("وزن"),
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(10.0)],
        help_text=_(
            "اهمیت رسانه در محاسبه بازتاب: ۱ برای رسانه معمولی، بیشتر برای رسانه‌های پرمخاطب."
        ),
    )
    province = models.ForeignKey(
        "directory.Province",
        verbose_name=_("استان"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news_sources",
        help_text=_("خالی برای رسانه‌های سراسری."),
    )
    is_active = models.BooleanField(_("فعال"), default=True)
    poll_minutes = models.PositiveIntegerField(
        _("فاصله خواندن (دقیقه)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    # Health.
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    last_polled_at = models.DateTimeField(_("آخرین خواندن"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("آخرین خواندن موفق"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("آخرین خطا"), null=True, blank=True)
    last_error = models.TextField(_("شرح آخرین خطا"), blank=True)
    last_status = models.PositiveSmallIntegerField(_("آخرین پاسخ HTTP"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("خطاهای پیاپی"), default=0)
    items_seen = models.PositiveIntegerField(_("اقلام خوانده‌شده"), default=0)
    articles_added = models.PositiveIntegerField(_("خبرهای افزوده"), default=0)

    class Meta:
        verbose_name = _("منبع خبری")
        verbose_name_plural = _("منابع خبری")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=("feed_url",),
                condition=~Q(feed_url=""),
                name="monitoring_source_unique_feed",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("monitoring:source_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=None)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from hamseda.monitoring.feeds import site_host

        self.host = site_host(self.site_url or self.feed_url)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "host"}
        super().save(*args, **kwargs)


class PollOutcome(models.TextChoices):
    OK = "ok", _("موفق")
    NOT_MODIFIED = "not_modified", _("بدون تغییر")
    PARTIAL = "partial", _("موفق با ایراد")
    FAILED = "failed", _("ناموفق")


class SourcePoll(models.Model):
    """One reading of a source's feed, kept for its health page."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField(_("آغاز"))
    finished_at = models.DateTimeField(_("پایان"), null=True, blank=True)
    outcome = models.CharField(_("نتیجه"), max_length=16, choices=PollOutcome.choices)
    http_status = models.PositiveSmallIntegerField(_("پاسخ HTTP"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("تلاش‌ها"), default=1)
    items_seen = models.PositiveIntegerField(_("اقلام"), default=0)
    articles_added = models.PositiveIntegerField(_("خبرهای تازه"), default=0)
    problems = models.JSONField(_("ایرادها"), default=list, blank=True)
    error = models.TextField(_("خطا"), blank=True)

    class Meta:
        verbose_name = _("خواندن خوراک")
        verbose_name_plural = _("خواندن‌های خوراک")
        ordering = ("-started_at", "-id")
        indexes = [models.Index(fields=("source", "-started_at"), name="monitoring_poll_source")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class ArticleVia(models.TextChoices):
    FEED = "feed", _("خوراک")
    CLIPPING = "clipping", _("بریده دستی")
    IMPORT = "import", _("ورود از فایل")
    COMMAND = "command", _("خط فرمان")


class Tone(models.TextChoices):
    # The values are monitoring.tone.Tone's.
    POSITIVE = "positive", _("مثبت")
    NEUTRAL = "neutral", _("خنثی")
    NEGATIVE = "negative", _("منفی")


class Story(TimeStamped):
    """Articles of several outlets that tell the same news; its id is unrelated to
    its articles'. ``activity`` is the office's news release it came from."""

    title = models.CharField(_("عنوان"), max_length=500)
    first_published_at = models.DateTimeField(_("نخستین انتشار"), db_index=True)
    last_published_at = models.DateTimeField(_("آخرین انتشار"))
    article_count = models.PositiveIntegerField(_("شمار خبرها"), default=0)
    outlet_count = models.PositiveIntegerField(_("شمار رسانه‌ها"), default=0)
    weight = models.FloatField(_("بازتاب وزنی"), default=0.0)
    province = models.ForeignKey(
        "directory.Province",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_stories",
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("خبر ارسالی دستگاه"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    # False: linked by a person; True: found by text similarity at ingestion.
    activity_auto = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("رویداد خبری")
        verbose_name_plural = _("رویدادهای خبری")
        ordering = ("-last_published_at", "-id")
        indexes = [
            models.Index(fields=("-last_published_at", "-id"), name="monitoring_story_latest")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:story_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=None)


class Article(TimeStamped):
    source = models.ForeignKey(
        Source, verbose_name=_("رسانه"), on_delete=models.PROTECT, related_name="articles"
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("رویداد خبری"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    url = models.URLField(_("نشانی"), max_length=1000, blank=True)
    canonical_url = models.CharField(max_length=1000, blank=True, editable=False)
    guid = models.CharField(max_length=500, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    title = models.CharField(_("تیتر"), max_length=500)
    summary_html = models.TextField(_("خلاصه"), blank=True)
    text = models.TextField(_("متن"), blank=True)
    published_at = models.DateTimeField(_("زمان انتشار"), db_index=True)
    via = models.CharField(
        _("روش ثبت"), max_length=12, choices=ArticleVia.choices, default=ArticleVia.FEED
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # monitoring.search.index_tokens(title, text): what full-text search reads.
    search_tokens = models.TextField(editable=False, default="")
    # The story fingerprint (monitoring.stories): MinHash signature as uint32 bytes
    # and the body shingle count (0 when the text has no lead part).
    signature = models.BinaryField(editable=False, default=b"")
    signature_size = models.PositiveIntegerField(editable=False, default=0)
    campaigns = models.ManyToManyField(
        "campaigns.Campaign", verbose_name=_("پویش‌ها"), blank=True, related_name="articles"
    )
    agencies = models.ManyToManyField(
        "directory.Agency",
        through="Mention",
        verbose_name=_("دستگاه‌ها"),
        blank=True,
        related_name="articles",
    )

    class Meta:
        verbose_name = _("خبر")
        verbose_name_plural = _("خبرها")
        ordering = ("-published_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("canonical_url",),
                condition=~Q(canonical_url=""),
                name="monitoring_article_unique_url",
            ),
            models.UniqueConstraint(
                fields=("source", "content_hash"), name="monitoring_article_unique_content"
            ),
        ]
        indexes = [
            models.Index(fields=("source", "-published_at"), name="monitoring_article_source"),
            models.Index(fields=("story", "published_at"), name="monitoring_article_story"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:article_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.source.province_id, office_id=None)


class StoryBand(models.Model):
    """The story index (see ``monitoring.stories``): one row per band hash a story
    is reachable by, pointing at the first of its articles with that band. Only
    bands of recent articles are looked up (``published_at``)."""

    band = models.BigIntegerField()
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("band", "story"), name="monitoring_band_unique")
        ]
        indexes = [models.Index(fields=("band", "published_at"), name="monitoring_band_lookup")]

    def __str__(self) -> str:
        return f"{self.band} → {self.story_id}"


class Mention(models.Model):
    """An agency named in an article, and the article's tone toward it. Office,
    province, story, date and outlet weight are copied here so coverage figures
    are read from this one table."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("دستگاه"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    office = models.ForeignKey(
        "directory.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        "directory.Province", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )
    published_at = models.DateTimeField()
    weight = models.FloatField(default=1.0)
    count = models.PositiveSmallIntegerField(_("دفعات"), default=1)
    tone = models.CharField(_("لحن"), max_length=10, choices=Tone.choices, default=Tone.NEUTRAL)
    tone_score = models.FloatField(default=0.0)
    cues = models.JSONField(default=list, blank=True)
    # Set when a person corrected the tone; re-ingestion never overwrites it.
    tone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("اشاره به دستگاه")
        verbose_name_plural = _("اشاره‌ها به دستگاه‌ها")
        constraints = [
            models.UniqueConstraint(fields=("article", "agency"), name="monitoring_mention_unique")
        ]
        indexes = [
            models.Index(fields=("agency", "published_at"), name="monitoring_mention_agency"),
            models.Index(fields=("office", "published_at"), name="monitoring_mention_office"),
            models.Index(fields=("story", "agency"), name="monitoring_mention_story"),
            # The national overview groups a period's mentions of the whole country.
            models.Index(fields=("published_at",), name="monitoring_mention_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_tone_display()}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=self.office_id)


class AlertKind(models.TextChoices):
    NEGATIVE_STORY = "negative_story", _("خبر منفی")
    SPIKE = "spike", _("جهش بازتاب")


class Alert(models.Model):
    """A warning sent to an agency's PR office: once per (kind, story or day)."""

    created_at = models.DateTimeField(_("زمان"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("نوع هشدار"), max_length=20, choices=AlertKind.choices)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("دستگاه"), on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        "directory.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    day = models.DateField(null=True, blank=True)
    detail = models.TextField(_("شرح"), blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("هشدار رسانه‌ای")
        verbose_name_plural = _("هشدارهای رسانه‌ای")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.agency}"
