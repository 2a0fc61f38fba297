"""Django admin for activities: read-only. Activities are written through the
pages and the API, whose services keep the overlap index and the audit trail;
an edit here would bypass both."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hamseda.activities.models import Activity, ActivityAttachment, ActivityPartner


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerInline(_ReadOnly, admin.TabularInline):
    model = ActivityPartner
    extra = 0
    can_delete = False
    fields = ("office", "joined_by", "joined_at", "note")
    readonly_fields = fields


class AttachmentInline(_ReadOnly, admin.TabularInline):
    model = ActivityAttachment
    extra = 0
    can_delete = False
    fields = ("title", "file", "uploaded_by", "created_at")
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("title", "kind", "status", "start_date", "lead_office", "province")
    list_filter = ("kind", "status", "province")
    search_fields = ("title", "text_key")
    list_select_related = ("lead_office", "province")
    inlines = (PartnerInline, AttachmentInline)
    readonly_fields = (
        "title",
        "description",
        "kind",
        "status",
        "start_date",
        "end_date",
        "lead_office",
        "province",
        "campaigns",
        "messages",
        "channels",
        "links",
        "outcome",
        "audience",
        "merged_into",
        "created_by",
    )
    exclude = ("partners",)
