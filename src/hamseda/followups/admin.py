"""Django admin for follow-ups: read-mostly. Everyday work (updates, closing,
reassigning, ministry replies) goes through the pages and their services, with
the audit trail; here a superuser may only correct a due date, and that
correction is audited too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hamseda.core.admin import JalaliAdminMixin
from hamseda.core.audit import audit_record, register_events
from hamseda.followups.models import FollowUp, FollowUpUpdate, Referral, ReminderLog

register_events({"followup_admin_edited": _("پیگیری در بخش مدیریت اصلاح شد")})


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


UPDATE_FIELDS = ("created_at", "author", "text", "status_from", "status_to", "attachment")
REFERRAL_FIELDS = ("department", "assignee", "reply", "replied_at", "replied_by")
REMINDER_FIELDS = ("kind", "sent_on")
FOLLOWUP_FIELDS = (
    "resolution",
    "council",
    "offices",
    "is_referral",
    "status",
    "due_date",
    "closed_at",
    "close_note",
    "escalated_at",
    "created_at",
    "updated_at",
)


class UpdateInline(_ReadOnlyInline):
    model = FollowUpUpdate
    fields = UPDATE_FIELDS
    readonly_fields = UPDATE_FIELDS


class ReferralInline(_ReadOnlyInline):
    model = Referral
    fields = REFERRAL_FIELDS
    readonly_fields = REFERRAL_FIELDS


class ReminderInline(_ReadOnlyInline):
    model = ReminderLog
    fields = REMINDER_FIELDS
    readonly_fields = REMINDER_FIELDS


@admin.register(FollowUp)
class FollowUpAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "council", "status", "due_date", "is_referral", "closed_at"]
    list_filter = ["status", "is_referral", "council"]
    search_fields = ["resolution__text"]
    list_select_related = ["resolution", "council"]
    date_hierarchy = "due_date"
    fields = FOLLOWUP_FIELDS
    readonly_fields = tuple(name for name in FOLLOWUP_FIELDS if name != "due_date")
    inlines = [ReferralInline, UpdateInline, ReminderInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Follow-ups are born from resolutions (followups.services.followup_sync_for_resolution).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: FollowUp, form: Any, change: bool) -> None:
        before = FollowUp.objects.filter(pk=obj.pk).values_list("due_date", flat=True).first()
        super().save_model(request, obj, form, change)
        if before != obj.due_date:
            audit_record(
                actor=request.user,
                event="followup_admin_edited",
                target=obj,
                changes={
                    "due_date": [
                        before.isoformat() if before else None,
                        obj.due_date.isoformat() if obj.due_date else None,
                    ]
                },
            )


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "assignee", "replied_at"]
    list_filter = ["followup__council"]
    search_fields = ["followup__resolution__text", "department", "reply"]
    list_select_related = ["followup__resolution", "assignee"]
    readonly_fields = [
        "followup",
        "department",
        "assignee",
        "reply",
        "replied_at",
        "replied_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["followup", "kind", "sent_on"]
    list_filter = ["kind"]
    readonly_fields = ["followup", "kind", "sent_on"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
