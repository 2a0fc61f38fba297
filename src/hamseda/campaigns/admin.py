"""Django admin for campaigns: for looking things up and for corrections a
superuser must make by hand. Everyday work (messages, targets, offices, files)
goes through the campaign page and its services, with the audit trail; a
change saved here is audited too, with the fields it touched."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign, CampaignFile, KeyMessage, Target
from hamseda.core.admin import JalaliAdminMixin
from hamseda.core.audit import audit_record, diff, register_events, snapshot

register_events({"campaign_admin_edited": _("پویش در بخش مدیریت اصلاح شد")})

AUDITED = ("title", "kind", "season", "season_year", "start_date", "end_date", "description")


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    extra = 0
    fields = ("position", "text")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = (
        "position",
        "label",
        "metric",
        "activity_kind",
        "target_value",
        "baseline_value",
        "manual_value",
    )


class CampaignFileInline(admin.TabularInline):
    model = CampaignFile
    extra = 0
    fields = ("title", "file", "uploaded_by", "created_at")
    readonly_fields = ("title", "file", "uploaded_by", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "season", "season_year", "province", "start_date", "end_date"]
    list_filter = ["kind", "season", "province"]
    search_fields = ["title", "description", "text_key"]
    list_select_related = ["province"]
    date_hierarchy = "start_date"
    filter_horizontal = ["co_owners", "participants"]
    raw_id_fields = ["previous", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [KeyMessageInline, TargetInline, CampaignFileInline]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        before = snapshot(Campaign.objects.get(pk=obj.pk), AUDITED) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, AUDITED))
        if change and changes:
            audit_record(
                actor=request.user, event="campaign_admin_edited", target=obj, changes=changes
            )
