"""Activities: every PR output or plan of an office, on one shared calendar.

An activity has a lead office and may have partner offices (a joint activity);
it counts for every one of them. When an office plans something another office
already plans, ``activities.overlap`` finds it through an index of MinHash
bands (``ActivityBand``) and the office joins as a partner instead of doing
the same work in parallel; an activity merged into another keeps its row with
``merged_into`` set, so links to it still lead somewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.policy import Scope
from hamseda.directory.models import Office, Province


class ActivityKind(models.TextChoices):
    NEWS_RELEASE = "news_release", _("خبر و اطلاعیه")
    INTERVIEW = "interview", _("مصاحبه")
    PRESS_CONFERENCE = "press_conference", _("نشست خبری")
    EVENT_COVERAGE = "event_coverage", _("پوشش خبری رویداد")
    PUBLICATION = "publication", _("نشریه و کتاب")
    MULTIMEDIA = "multimedia", _("اینفوگرافیک و ویدئو")
    BROADCAST_ITEM = "broadcast_item", _("برنامه صداوسیما")
    SOCIAL_CAMPAIGN = "social_campaign", _("پویش در شبکه‌های اجتماعی")
    BRIEFING = "briefing", _("نشست توجیهی")
    EXHIBITION = "exhibition", _("نمایشگاه")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("برنامه‌ریزی‌شده")
    DONE = "done", _("انجام‌شده")
    CANCELLED = "cancelled", _("لغوشده")


class Channel(models.TextChoices):
    WEBSITE = "website", _("پایگاه اینترنتی")
    NEWS_AGENCY = "news_agency", _("خبرگزاری‌ها")
    PRESS = "press", _("روزنامه‌ها")
    BROADCASTER = "broadcaster", _("صداوسیما")
    BALE = "bale", _("بله")
    EITAA = "eitaa", _("ایتا")
    RUBIKA = "rubika", _("روبیکا")
    INSTAGRAM = "instagram", _("اینستاگرام")
    APARAT = "aparat", _("آپارات")
    SMS = "sms", _("پیامک")
    BILLBOARD = "billboard", _("تابلو و بیلبورد")
    OTHER = "other", _("سایر")


class Activity(TimeStamped, SearchKeyed):
    search_fields = ("title", "description", "outcome")

    title = models.CharField(_("عنوان"), max_length=250)
    description = models.TextField(_("شرح"), blank=True)
    kind = models.CharField(_("نوع"), max_length=20, choices=ActivityKind.choices)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    start_date = models.DateField(_("تاریخ"), db_index=True)
    # A one-day activity has end_date == start_date.
    end_date = models.DateField(_("تا تاریخ"))
    lead_office = models.ForeignKey(
        Office, verbose_name=_("دستگاه مجری"), on_delete=models.PROTECT, related_name="activities"
    )
    # Copied from the lead office's agency (None for national offices): lists
    # and the calendar filter by province without joining through agencies.
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    partners = models.ManyToManyField(
        Office,
        through="ActivityPartner",
        verbose_name=_("دستگاه‌های همکار"),
        blank=True,
        related_name="joint_activities",
    )
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("پویش‌ها"), blank=True, related_name="activities"
    )
    messages = models.ManyToManyField(
        KeyMessage, verbose_name=_("پیام‌های کلیدی به‌کاررفته"), blank=True, related_name="uses"
    )
    channels = models.JSONField(_("مجراها"), default=list, blank=True)
    links = models.JSONField(_("پیوندها"), default=list, blank=True)
    outcome = models.TextField(_("نتیجه و بازتاب"), blank=True)
    audience = models.PositiveIntegerField(_("شمار مخاطبان"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("ادغام‌شده در"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("فعالیت")
        verbose_name_plural = _("فعالیت‌ها")
        indexes = [
            models.Index(fields=["province", "start_date"]),
            models.Index(fields=["lead_office", "start_date"]),
            models.Index(fields=["kind", "status", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="activity_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        # The lead office and every partner count as the activity's own office.
        # Uses the prefetched partners when a selector loaded them.
        partner_ids = frozenset(office.pk for office in self.partners.all())
        return Scope(
            province_id=self.province_id,
            office_id=self.lead_office_id,
            office_ids=partner_ids,
        )

    @property
    def is_joint(self) -> bool:
        return bool(self.partners.all())


class ActivityPartner(models.Model):
    """A partner office of a joint activity: who joined, when, and why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partnerships")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="partnerships")
    joined_at = models.DateTimeField(_("زمان پیوستن"), auto_now_add=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("سهم این دستگاه"), blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("دستگاه همکار")
        verbose_name_plural = _("دستگاه‌های همکار")
        constraints = [
            models.UniqueConstraint(fields=["activity", "office"], name="partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.activity}"


class ActivityAttachment(TimeStamped):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("عنوان"), max_length=200)
    file = models.FileField(_("فایل"), upload_to="activities/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("پیوست فعالیت")
        verbose_name_plural = _("پیوست‌های فعالیت")

    def __str__(self) -> str:
        return self.title


class ActivityBand(models.Model):
    """One band of an activity's MinHash signature (``activities.similarity``):
    two activities that share a (band, hash) row are candidates for the same
    work. The table is the locality-sensitive index, kept in the database so it
    is shared by every web worker and survives restarts."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "hash"], name="activity_band_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "band"], name="one_hash_per_band"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.band}"


class OverlapDismissal(models.Model):
    """The chair (or an office) said two activities are not the same work: the
    overlap report and the warning stop showing the pair."""

    first = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("هم‌پوشانی ردشده")
        verbose_name_plural = _("هم‌پوشانی‌های ردشده")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="dismissal_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="pair_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
