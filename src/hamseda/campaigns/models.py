"""Campaigns and media HQs: a shared programme of several PR offices with key
messages (one voice), hashtags, audiences and quantitative targets.

A campaign belongs to a province (its council) or, with no province, to the
whole country (a ministry programme). Co-owner offices run it (for the
National Housing Movement HQ: the ministry's provincial directorate and the
governorate); participating offices contribute activities to it.

Progress against a target is counted from the activities linked to the
campaign (``activities.Activity.campaigns``), or entered by hand for figures no
record holds (travellers informed, billboards). A seasonal programme (Nowruz,
summer travel) is started from ``campaigns.seasons`` and carries last year's
achieved figures as its baseline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.policy import Scope
from hamseda.directory.models import Office, Province


class CampaignKind(models.TextChoices):
    MEDIA_HQ = "media_hq", _("قرارگاه رسانه‌ای")
    SEASONAL = "seasonal", _("برنامه فصلی")
    CULTURE = "culture", _("فرهنگ‌سازی")
    OTHER = "other", _("سایر")


class Season(models.TextChoices):
    """Seasonal templates (``campaigns.seasons``); empty for other campaigns."""

    NONE = "", _("بدون الگوی فصلی")
    NOWRUZ = "nowruz", _("ستاد سفرهای نوروزی")
    SUMMER = "summer", _("سفرهای تابستانی")


class Campaign(TimeStamped, SearchKeyed):
    search_fields = ("title", "description", "hashtags_text")

    title = models.CharField(_("عنوان"), max_length=200)
    description = models.TextField(_("شرح"), blank=True)
    kind = models.CharField(_("نوع"), max_length=12, choices=CampaignKind.choices)
    season = models.CharField(
        _("الگوی فصلی"), max_length=12, choices=Season.choices, blank=True, default=""
    )
    # Jalali year of a seasonal programme (1405 for Nowruz 1405): one per
    # season, year and province.
    season_year = models.PositiveSmallIntegerField(_("سال برنامه"), null=True, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("استان"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("خالی برای برنامه‌های ملی وزارتخانه"),
    )
    start_date = models.DateField(_("آغاز"))
    end_date = models.DateField(_("پایان"))
    co_owners = models.ManyToManyField(
        Office, verbose_name=_("دستگاه‌های گرداننده"), related_name="owned_campaigns"
    )
    participants = models.ManyToManyField(
        Office, verbose_name=_("دستگاه‌های مشارکت‌کننده"), blank=True, related_name="campaigns"
    )
    # Lists of short strings; JSON keeps them in order on SQLite and PostgreSQL.
    hashtags = models.JSONField(_("هشتگ‌ها"), default=list, blank=True)
    audiences = models.JSONField(_("مخاطبان هدف"), default=list, blank=True)
    # Words and phrases that mark an article as coverage of the campaign (media
    # monitoring matches them and the hashtags in any spelling).
    keywords = models.JSONField(_("کلیدواژه‌های رصد"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("برنامه سال قبل"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_programmes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("پویش / قرارگاه")
        verbose_name_plural = _("پویش‌ها و قرارگاه‌ها")
        indexes = [models.Index(fields=["province", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="campaign_period_order"
            ),
            models.UniqueConstraint(
                fields=["province", "season", "season_year"],
                condition=~Q(season=""),
                name="one_seasonal_programme_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def hashtags_text(self) -> str:
        """The hashtags as one line: what the search key (``search_fields``) reads."""
        return " ".join(self.hashtags or [])

    def policy_scope(self) -> Scope:
        # Each co-owner office counts as the campaign's own office. Uses the
        # prefetched co-owners when a selector loaded them.
        office_ids = frozenset(office.pk for office in self.co_owners.all())
        return Scope(province_id=self.province_id, office_id=None, office_ids=office_ids)


class KeyMessage(TimeStamped):
    """One of the campaign's agreed messages: every office says it the same way."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveSmallIntegerField(_("ردیف"), default=0)
    text = models.TextField(_("متن پیام"))

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("پیام کلیدی")
        verbose_name_plural = _("پیام‌های کلیدی")

    def __str__(self) -> str:
        return self.text[:80]


class TargetMetric(models.TextChoices):
    """What a target counts. All but MANUAL count the campaign's activities that
    are done inside its period; MANUAL is a figure entered by the co-owners."""

    ACTIVITIES = "activities", _("همه فعالیت‌های انجام‌شده")
    KIND = "kind", _("فعالیت‌های یک نوع")
    JOINT = "joint", _("فعالیت‌های مشترک")
    OFFICES = "offices", _("دستگاه‌های دارای فعالیت")
    MANUAL = "manual", _("رقم ثبت‌شده به‌صورت دستی")


class Target(TimeStamped):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("ردیف"), default=0)
    label = models.CharField(_("عنوان هدف"), max_length=200)
    metric = models.CharField(_("شیوه شمارش"), max_length=12, choices=TargetMetric.choices)
    # For metric KIND: an ``activities.ActivityKind`` value.
    activity_kind = models.CharField(_("نوع فعالیت"), max_length=20, blank=True)
    target_value = models.PositiveIntegerField(_("مقدار هدف"))
    baseline_value = models.PositiveIntegerField(_("مبنا (عملکرد سال قبل)"), null=True, blank=True)
    manual_value = models.PositiveIntegerField(_("مقدار ثبت‌شده"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("هدف کمی")
        verbose_name_plural = _("اهداف کمی")
        constraints = [
            models.CheckConstraint(
                condition=~Q(metric="kind") | ~Q(activity_kind=""), name="kind_target_names_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class CampaignFile(TimeStamped):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("عنوان"), max_length=200)
    file = models.FileField(_("فایل"), upload_to="campaigns/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("فایل پویش")
        verbose_name_plural = _("فایل‌های پویش")

    def __str__(self) -> str:
        return self.title
