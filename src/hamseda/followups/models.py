"""Follow-ups: every assigned or referred resolution is tracked until it is closed.

Overdue is not a stored status: a follow-up is overdue when it is still open (or
in progress) after its due date. ``followups.selectors`` computes it in SQL, so
it is never stale and needs no nightly job to flip a flag.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hamseda.core.models import TimeStamped
from hamseda.core.policy import Scope
from hamseda.directory.models import Council, Office
from hamseda.meetings.models import Resolution


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("باز")
    IN_PROGRESS = "in_progress", _("در حال انجام")
    DONE = "done", _("انجام‌شده")
    CANCELLED = "cancelled", _("لغوشده")


OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class FollowUp(TimeStamped):
    resolution = models.OneToOneField(
        Resolution, verbose_name=_("مصوبه"), on_delete=models.CASCADE, related_name="followup"
    )
    # Copied from the resolution's meeting: lists filter and scope by council
    # without joining through meetings (``followups.selectors.followup_list``).
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="followups")
    offices = models.ManyToManyField(
        Office, verbose_name=_("مسئول پیگیری"), blank=True, related_name="followups"
    )
    is_referral = models.BooleanField(_("ارجاع به وزارتخانه"), default=False)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    due_date = models.DateField(_("مهلت"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("زمان بستن"), null=True, blank=True)
    close_note = models.TextField(_("توضیح بستن"), blank=True)
    escalated_at = models.DateTimeField(_("زمان گزارش به رئیس شورا"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("پیگیری")
        verbose_name_plural = _("پیگیری‌ها")
        indexes = [models.Index(fields=["council", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(closed_at__isnull=False),
                name="done_followup_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return str(self.resolution)

    def get_absolute_url(self) -> str:
        return reverse("followups:followup_detail", args=[self.pk])

    def policy_scope(self) -> Scope:
        # Each responsible office counts as the follow-up's own office. Uses the
        # prefetched offices when a selector loaded them.
        office_ids = frozenset(office.pk for office in self.offices.all())
        return Scope(province_id=self.council.province_id, office_id=None, office_ids=office_ids)


class FollowUpUpdate(TimeStamped):
    """A step in a follow-up's history: progress, a status change, evidence."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("شرح"))
    status_from = models.CharField(max_length=12, choices=FollowUpStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=FollowUpStatus.choices, blank=True)
    attachment = models.FileField(_("پیوست"), upload_to="followups/%Y/%m/", blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("گزارش پیشرفت")
        verbose_name_plural = _("گزارش‌های پیشرفت")

    def __str__(self) -> str:
        return self.text[:80]


class Referral(TimeStamped):
    """The ministry's side of a referred follow-up: which department has it, and
    the reply that the council sees on the follow-up and on its next agenda."""

    followup = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="referral")
    department = models.CharField(_("واحد مسئول در وزارتخانه"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کارشناس مسئول"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = models.TextField(_("پاسخ وزارتخانه"), blank=True)
    replied_at = models.DateTimeField(_("زمان پاسخ"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ارجاع به وزارتخانه")
        verbose_name_plural = _("ارجاعات به وزارتخانه")

    def __str__(self) -> str:
        return str(self.followup)

    def policy_scope(self) -> Scope:
        return Scope(province_id=self.followup.council.province_id, office_id=None)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("یادآوری پیش از مهلت")
    OVERDUE = "overdue", _("گذشتن از مهلت")
    ESCALATION = "escalation", _("گزارش به رئیس شورا")


class ReminderLog(models.Model):
    """One reminder sent. The unique constraint is what makes the reminder job
    safe to run twice (two beats, a retried task): the second insert fails and
    nothing is sent again."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "kind", "sent_on"], name="one_reminder_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup_id} {self.kind} {self.sent_on}"
