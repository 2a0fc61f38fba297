"""Django admin of the broadcast app: for looking things up and for corrections
a superuser must make by hand. Everyday work goes through the pages and their
services; a pitch or an answer changed here is audited with the fields it touched."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hamseda.broadcast.models import BroadcasterContact, Dispatch, DispatchItem, Pitch, PitchFile
from hamseda.core.admin import JalaliAdminMixin
from hamseda.core.audit import audit_record, diff, register_events, snapshot

register_events({"pitch_admin_edited": _("سوژه در بخش مدیریت اصلاح شد")})

AUDITED = ("title", "summary", "why", "format", "status", "review_comment", "approved_on")


class PitchFileInline(admin.TabularInline):
    model = PitchFile
    extra = 0
    fields = ("title", "file", "uploaded_by", "created_at")
    readonly_fields = ("title", "file", "uploaded_by", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pitch)
class PitchAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["title", "office", "format", "status", "approved_on", "created_at"]
    list_filter = ["status", "format"]
    search_fields = ["title", "summary", "text_key"]
    list_select_related = ["office"]
    raw_id_fields = ["office", "campaign", "reviewed_by", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PitchFileInline]

    def save_model(self, request: HttpRequest, obj: Pitch, form: Any, change: bool) -> None:
        before = snapshot(Pitch.objects.get(pk=obj.pk), AUDITED) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, AUDITED))
        if change and changes:
            audit_record(
                actor=request.user, event="pitch_admin_edited", target=obj, changes=changes
            )


class DispatchItemInline(admin.TabularInline):
    model = DispatchItem
    extra = 0
    fields = ("position", "pitch", "outcome", "aired_on", "programme", "link")
    raw_id_fields = ("pitch",)


@admin.register(Dispatch)
class DispatchAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["number", "province", "date", "subject", "emailed_at"]
    list_filter = ["province"]
    search_fields = ["number", "subject"]
    list_select_related = ["province"]
    readonly_fields = ["year", "serial", "number", "pdf", "message_id", "created_at"]
    raw_id_fields = ["signer", "created_by"]
    inlines = [DispatchItemInline]


@admin.register(BroadcasterContact)
class BroadcasterContactAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "email", "contact_person"]
    list_select_related = ["province"]
