"""Story ideas for the state broadcaster, sent through the council's chair.

An office writes a pitch (an idea, a topic or a hopeful story) and submits it;
the council's chair approves it, returns it with comments, or rejects it. The
approved pitches of a province are grouped into a dispatch: a numbered,
Jalali-dated letter to the provincial broadcaster centre (its contact is a
``BroadcasterContact``), emailed with the pitches' files. The broadcaster's
answer is recorded per pitch on its ``DispatchItem`` (accepted, aired on a date
and programme, declined); the proposing office is credited by the indicators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign
from hamseda.core import persian
from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.policy import Scope
from hamseda.directory.models import Office, Province


class PitchFormat(models.TextChoices):
    NEWS = "news", _("خبر")
    REPORT = "report", _("گزارش")
    INTERVIEW = "interview", _("گفت‌وگو")
    DOCUMENTARY = "documentary", _("مستند")
    LIVE = "live", _("برنامه زنده")


class PitchStatus(models.TextChoices):
    DRAFT = "draft", _("پیش‌نویس")
    SUBMITTED = "submitted", _("در انتظار بررسی")
    RETURNED = "returned", _("بازگشت برای اصلاح")
    APPROVED = "approved", _("تأییدشده")
    REJECTED = "rejected", _("ردشده")
    DISPATCHED = "dispatched", _("ارسال‌شده به صدا و سیما")


# The office may still change its pitch in these states.
EDITABLE_STATUSES = (PitchStatus.DRAFT, PitchStatus.RETURNED)


class Pitch(TimeStamped, SearchKeyed):
    search_fields = ("title", "summary", "why", "interviewees", "place")

    office = models.ForeignKey(
        Office, verbose_name=_("روابط عمومی"), on_delete=models.PROTECT, related_name="pitches"
    )
    title = models.CharField(_("عنوان"), max_length=200)
    summary = models.TextField(_("خلاصه سوژه"))
    why = models.TextField(_("چرا مهم است"), blank=True)
    format = models.CharField(_("قالب پیشنهادی"), max_length=12, choices=PitchFormat.choices)
    interviewees = models.TextField(_("مصاحبه‌شوندگان پیشنهادی"), blank=True)
    place = models.CharField(_("مکان"), max_length=200, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("پویش"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pitches",
    )
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=PitchStatus.choices, default=PitchStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("زمان ارسال برای بررسی"), null=True, blank=True)
    review_comment = models.TextField(_("نظر بررسی‌کننده"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بررسی‌کننده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("زمان بررسی"), null=True, blank=True)
    # The Tehran date of the approval: what ``broadcast.pitches_approved`` counts.
    approved_on = models.DateField(_("تاریخ تأیید"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("سوژه")
        verbose_name_plural = _("سوژه‌ها")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["office", "approved_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "dispatched"]) | Q(approved_on__isnull=False),
                name="approved_pitch_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("broadcast:pitch_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.office.agency.province_id, office_id=self.office_id)


class PitchFile(TimeStamped):
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("عنوان"), max_length=200)
    file = models.FileField(_("فایل"), upload_to="broadcast/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("پیوست سوژه")
        verbose_name_plural = _("پیوست‌های سوژه")

    def __str__(self) -> str:
        return self.title


class BroadcasterContact(TimeStamped):
    """Where a province's dispatches go: its provincial broadcaster centre."""

    province = models.OneToOneField(
        Province,
        verbose_name=_("استان"),
        on_delete=models.CASCADE,
        related_name="broadcaster_contact",
    )
    name = models.CharField(_("نام مرکز صدا و سیما"), max_length=200)
    email = models.EmailField(_("رایانامه"))
    contact_person = models.CharField(_("مخاطب نامه"), max_length=200, blank=True)
    phone = models.CharField(_("تلفن"), max_length=40, blank=True)
    # Programme names, in the order the chair keeps them (the answer form offers them).
    programmes = models.JSONField(_("برنامه‌ها"), default=list, blank=True)

    class Meta:
        ordering = ["province__sort_key"]
        verbose_name = _("مخاطب صدا و سیما")
        verbose_name_plural = _("مخاطبان صدا و سیما")

    def __str__(self) -> str:
        return self.name

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=None)


class Dispatch(TimeStamped, SearchKeyed):
    """One letter to the broadcaster. ``number`` is «year/serial» (``1405/0012``,
    shown with Persian digits), the serial counting from 1 each Jalali year in
    each province (``services.dispatches.next_serial``)."""

    search_fields = ("number", "subject", "intro")

    province = models.ForeignKey(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="dispatches"
    )
    year = models.PositiveSmallIntegerField(_("سال"))
    serial = models.PositiveIntegerField(_("ردیف در سال"))
    number = models.CharField(_("شماره نامه"), max_length=20)
    date = models.DateField(_("تاریخ نامه"))
    subject = models.CharField(_("موضوع"), max_length=250)
    intro = models.TextField(_("متن نامه"), blank=True)
    recipient = models.CharField(_("گیرنده"), max_length=200)
    recipient_person = models.CharField(_("مخاطب نامه"), max_length=200, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("امضاکننده"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    pdf = models.FileField(_("نامه (PDF)"), upload_to="broadcast/letters/%Y/", blank=True)
    email_to = models.EmailField(_("رایانامه گیرنده"), blank=True)
    emailed_at = models.DateTimeField(_("زمان ارسال رایانامه"), null=True, blank=True)
    message_id = models.CharField(_("شناسه رایانامه"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-serial"]
        verbose_name = _("نامه ارسال سوژه")
        verbose_name_plural = _("نامه‌های ارسال سوژه")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "serial"], name="dispatch_serial_per_year"
            ),
            models.UniqueConstraint(
                fields=["province", "number"], name="dispatch_number_per_province"
            ),
        ]

    def __str__(self) -> str:
        return f"{persian.fa_digits(self.number)} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("broadcast:dispatch_detail", args=[self.pk])

    @property
    def number_fa(self) -> str:
        return persian.fa_digits(self.number)

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.province_id, office_id=None)


class Outcome(models.TextChoices):
    PENDING = "pending", _("در انتظار پاسخ")
    ACCEPTED = "accepted", _("پذیرفته شد")
    AIRED = "aired", _("پخش شد")
    DECLINED = "declined", _("پذیرفته نشد")


class DispatchItem(TimeStamped):
    """One pitch of a dispatch and the broadcaster's answer to it. A pitch is
    dispatched once."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="items")
    pitch = models.OneToOneField(
        Pitch, verbose_name=_("سوژه"), on_delete=models.PROTECT, related_name="dispatch_item"
    )
    position = models.PositiveSmallIntegerField(_("ردیف"))
    outcome = models.CharField(
        _("پاسخ صدا و سیما"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    aired_on = models.DateField(_("تاریخ پخش"), null=True, blank=True)
    programme = models.CharField(_("برنامه"), max_length=200, blank=True)
    link = models.URLField(_("پیوند"), max_length=500, blank=True)
    note = models.TextField(_("توضیح"), blank=True)
    answered_at = models.DateTimeField(_("زمان ثبت پاسخ"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده پاسخ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["dispatch", "position"]
        verbose_name = _("سوژه ارسال‌شده")
        verbose_name_plural = _("سوژه‌های ارسال‌شده")
        indexes = [models.Index(fields=["outcome", "aired_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="aired") | Q(aired_on__isnull=False),
                name="aired_item_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch.number_fa} — {self.pitch.title}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.dispatch.province_id, office_id=None)
