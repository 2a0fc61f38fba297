"""Django admin for the social networks: for looking things up and for the few
corrections a superuser makes by hand. Tokens are never shown (only their hint)
and cannot be typed here: the channel page encrypts them. Deliveries and their
attempts are read-only: their states move only through ``services.delivery``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hamseda.core.admin import JalaliAdminMixin
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.social.models import (
    Delivery,
    DeliveryAttempt,
    JointInvite,
    JointPost,
    Post,
    PostMedia,
    PostVariant,
    SocialAccount,
)

register_events({"social_account_admin_edited": _("کانال در بخش مدیریت اصلاح شد")})

ACCOUNT_AUDITED = ("platform", "title", "chat_id", "url", "api_base_url", "is_active", "followers")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SocialAccount)
class SocialAccountAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "platform",
        "office",
        "chat_id",
        "token_hint",
        "is_active",
        "checked_at",
    ]
    list_filter = ["platform", "is_active"]
    search_fields = ["title", "chat_id", "office__name"]
    list_select_related = ["office"]
    raw_id_fields = ["office", "created_by"]
    readonly_fields = [
        "token_hint",
        "checked_at",
        "check_error",
        "bot_name",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request: HttpRequest, obj: SocialAccount, form: Any, change: bool) -> None:
        before = (
            snapshot(SocialAccount.objects.get(pk=obj.pk), ACCOUNT_AUDITED)
            if change and obj.pk
            else {}
        )
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, ACCOUNT_AUDITED))
        if changes:
            audit_record(
                actor=request.user,
                event="social_account_admin_edited",
                target=obj,
                changes=changes,
            )


class PostVariantInline(admin.TabularInline):
    model = PostVariant
    extra = 0
    fields = ("platform", "text")


class PostMediaInline(ReadOnlyInline):
    model = PostMedia
    fk_name = "post"
    fields = ("position", "name", "file")
    readonly_fields = fields


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ("account", "status", "attempts", "sent_at", "remote_url", "error_kind", "views")
    readonly_fields = fields
    show_change_link = True


@admin.register(Post)
class PostAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "office", "campaign", "status", "scheduled_at", "released_at"]
    list_filter = ["status"]
    search_fields = ["text", "office__name"]
    list_select_related = ["office", "campaign"]
    raw_id_fields = ["office", "campaign", "joint", "created_by"]
    filter_horizontal = ["accounts"]
    readonly_fields = ["status", "released_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [PostVariantInline, PostMediaInline, DeliveryInline]


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ("started_at", "finished_at", "http_status", "error_kind", "retry_after", "detail")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "post",
        "account",
        "platform",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "platform", "error_kind"]
    search_fields = ["remote_id", "remote_url", "post__text", "account__title"]
    list_select_related = ["post", "account"]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JointInviteInline(admin.TabularInline):
    model = JointInvite
    extra = 0
    fields = ("office", "status", "reason", "decided_at", "decided_by")
    readonly_fields = ("decided_at", "decided_by")
    raw_id_fields = ("office",)


class JointMediaInline(ReadOnlyInline):
    model = PostMedia
    fk_name = "joint"
    fields = ("position", "name", "file")
    readonly_fields = fields


@admin.register(JointPost)
class JointPostAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["title", "campaign", "office", "status", "publish_at"]
    list_filter = ["status"]
    search_fields = ["title", "text"]
    list_select_related = ["campaign", "office"]
    raw_id_fields = ["campaign", "office", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [JointInviteInline, JointMediaInline]
