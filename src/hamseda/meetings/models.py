"""Council meetings: schedule, agenda, member reports, attendance, resolutions, minutes.

A meeting belongs to its council, and through it to a province: every record
here answers ``policy_scope()`` with the council's province, and member reports
with their office as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core.models import SearchKeyed, TimeStamped
from hamseda.core.persian import fa_digits
from hamseda.core.policy import Scope
from hamseda.directory.models import Council, Office


class Weekday(models.IntegerChoices):
    """Days of the Iranian week, Saturday first (the Jalali calendar's order)."""

    SATURDAY = 0, _("شنبه")
    SUNDAY = 1, _("یکشنبه")
    MONDAY = 2, _("دوشنبه")
    TUESDAY = 3, _("سه‌شنبه")
    WEDNESDAY = 4, _("چهارشنبه")
    THURSDAY = 5, _("پنجشنبه")
    FRIDAY = 6, _("جمعه")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("اول")
    SECOND = 2, _("دوم")
    THIRD = 3, _("سوم")
    FOURTH = 4, _("چهارم")
    LAST = -1, _("آخر")


class MeetingSchedule(TimeStamped):
    """A recurring rule in Jalali terms: "the first Saturday of every Jalali month
    at 10:00"; ``meetings.services.schedule_plan`` turns it into planned meetings."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.SmallIntegerField(_("روز هفته"), choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(_("هفته ماه"), choices=WeekOfMonth.choices)
    every_months = models.PositiveSmallIntegerField(
        _("هر چند ماه یک بار"), default=1, help_text=_("۱ یعنی هر ماه، ۳ یعنی هر فصل")
    )
    start_time = models.TimeField(_("ساعت شروع"))
    duration_minutes = models.PositiveSmallIntegerField(_("مدت (دقیقه)"), default=90)
    place = models.CharField(_("محل برگزاری"), max_length=250)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        ordering = ["council", "pk"]
        verbose_name = _("برنامه تکرار جلسات")
        verbose_name_plural = _("برنامه‌های تکرار جلسات")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1) & Q(every_months__lte=12),
                name="schedule_every_months_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=600),
                name="schedule_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_week_of_month_display()} {self.get_weekday_display()}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.council.province_id, office_id=None)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("برنامه‌ریزی‌شده")
    HELD = "held", _("برگزارشده")
    APPROVED = "approved", _("صورتجلسه تأییدشده")
    CANCELLED = "cancelled", _("لغوشده")


class Meeting(TimeStamped):
    council = models.ForeignKey(
        Council, verbose_name=_("شورا"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("شماره جلسه"))
    title = models.CharField(_("عنوان"), max_length=250, blank=True)
    starts_at = models.DateTimeField(_("زمان شروع"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("مدت (دقیقه)"), default=90)
    place = models.CharField(_("محل برگزاری"), max_length=250)
    status = models.CharField(
        _("وضعیت"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    schedule = models.ForeignKey(
        MeetingSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    invitations_sent_at = models.DateTimeField(_("زمان ارسال دعوت‌نامه"), null=True, blank=True)
    cancel_reason = models.CharField(_("دلیل لغو"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("جلسه")
        verbose_name_plural = _("جلسات")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="meeting_number_unique"),
        ]
        indexes = [models.Index(fields=["council", "-starts_at"])]

    def __str__(self) -> str:
        return self.title or str(_("جلسه شماره %(number)s") % {"number": fa_digits(self.number)})

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.council.province_id, office_id=None)


class AgendaKind(models.TextChoices):
    FOLLOWUP_REVIEW = "followup_review", _("پیگیری مصوبات جلسات قبل")
    REPORTS = "reports", _("گزارش روابط عمومی‌ها")
    TOPIC = "topic", _("موضوع")


class AgendaItem(TimeStamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("ردیف"), default=100)
    kind = models.CharField(
        _("نوع"), max_length=20, choices=AgendaKind.choices, default=AgendaKind.TOPIC
    )
    title = models.CharField(_("عنوان"), max_length=300)
    description = models.TextField(_("توضیحات"), blank=True)
    presenting_office = models.ForeignKey(
        Office,
        verbose_name=_("ارائه‌دهنده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_allotted = models.PositiveSmallIntegerField(_("زمان (دقیقه)"), default=10)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("بند دستور جلسه")
        verbose_name_plural = _("دستور جلسه")
        constraints = [
            # Exactly one automatic "follow-up of previous resolutions" item a meeting.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(kind="followup_review"),
                name="one_followup_review_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def policy_scope(self) -> Scope:
        return self.meeting.policy_scope()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("پیش‌نویس")
    SUBMITTED = "submitted", _("ارسال‌شده")


class MemberReport(TimeStamped):
    """What one office brings to one meeting: actions and performance (with
    figures), problems, viewpoints and suggestions, each an item of its own."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    office = models.ForeignKey(
        Office, verbose_name=_("روابط عمومی"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("خلاصه اقدامات و عملکرد"), blank=True)
    submitted_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "office__sort_key"]
        verbose_name = _("گزارش عضو")
        verbose_name_plural = _("گزارش‌های اعضا")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "office"], name="one_report_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.meeting}"

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.meeting.council.province_id, office_id=self.office_id)


class ReportItemKind(models.TextChoices):
    ACTION = "action", _("اقدام و عملکرد")
    PROBLEM = "problem", _("مسئله و مشکل")
    VIEWPOINT = "viewpoint", _("نقطه‌نظر")
    SUGGESTION = "suggestion", _("پیشنهاد")


class ReportItem(SearchKeyed, TimeStamped):
    search_fields = ("text", "figure_label")

    report = models.ForeignKey(MemberReport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("نوع"), max_length=12, choices=ReportItemKind.choices)
    text = models.TextField(_("متن"))
    figure_label = models.CharField(_("شاخص"), max_length=120, blank=True)
    figure_value = models.DecimalField(
        _("مقدار"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["report", "kind", "position", "pk"]
        verbose_name = _("بند گزارش")
        verbose_name_plural = _("بندهای گزارش")

    def __str__(self) -> str:
        return self.text[:80]

    def policy_scope(self) -> Scope:
        return self.report.policy_scope()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("حاضر")
    ABSENT = "absent", _("غایب")
    REPRESENTED = "represented", _("با نماینده")


class Attendance(TimeStamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("وضعیت حضور"), max_length=12, choices=AttendanceStatus.choices)
    attendee_name = models.CharField(_("نام حاضر در جلسه"), max_length=200, blank=True)
    attendee_title = models.CharField(_("سمت"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "office__sort_key"]
        verbose_name = _("حضور و غیاب")
        verbose_name_plural = _("حضور و غیاب")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "office"], name="one_attendance_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.get_status_display()}"

    def policy_scope(self) -> Scope:
        return self.meeting.policy_scope()


class Decision(models.TextChoices):
    RESOLVED = "resolved", _("حل‌شده در جلسه")
    ASSIGNED = "assigned", _("محول به دستگاه")
    REFERRED = "referred", _("ارجاع به وزارتخانه")
    NOTED = "noted", _("اطلاع")


class Resolution(SearchKeyed, TimeStamped):
    """A decision of the meeting (مصوبه). Assigned and referred resolutions are
    followed up (``followups.FollowUp``) until closed."""

    search_fields = ("text", "solution")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("ردیف"))
    text = models.TextField(_("متن مصوبه"))
    decision = models.CharField(_("تصمیم"), max_length=12, choices=Decision.choices)
    solution = models.TextField(_("راهکار ارائه‌شده"), blank=True)
    solved_by = models.CharField(_("ارائه‌دهنده راهکار"), max_length=200, blank=True)
    responsible_offices = models.ManyToManyField(
        Office, verbose_name=_("مسئول اجرا"), blank=True, related_name="resolutions"
    )
    due_date = models.DateField(_("مهلت انجام"), null=True, blank=True)
    source_item = models.ForeignKey(
        ReportItem,
        verbose_name=_("برخاسته از"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
    )

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("مصوبه")
        verbose_name_plural = _("مصوبات")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="resolution_number_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def policy_scope(self) -> Scope:
        return self.meeting.policy_scope()


class Minutes(SearchKeyed, TimeStamped):
    """The صورتجلسه of one meeting. ``version`` grows with every save: a save that
    started from an older version is refused instead of overwriting (two
    secretaries on one meeting, or a stale tab after a dropped connection)."""

    search_fields = ("body",)

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("شرح جلسه"), blank=True)
    version = models.PositiveIntegerField(default=1)
    approved_at = models.DateTimeField(_("زمان تأیید"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("تأییدکننده"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("صورتجلسه")
        verbose_name_plural = _("صورتجلسه‌ها")

    def __str__(self) -> str:
        return str(_("صورتجلسه %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def policy_scope(self) -> Scope:
        return self.meeting.policy_scope()


class Acknowledgement(models.Model):
    """An attendee's "I have read the approved minutes"."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "person"], name="one_ack_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.minutes}"
