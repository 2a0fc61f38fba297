"""What the social services share: audit event labels, URL and platform checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamseda.core.audit import register_events
from hamseda.social.models import Platform

register_events(
    {
        "social_account_created": _("کانال شبکه اجتماعی افزوده شد"),
        "social_account_edited": _("کانال شبکه اجتماعی ویرایش شد"),
        "social_account_token_cleared": _("توکن بات کانال پاک شد"),
        "social_account_checked": _("اتصال کانال بررسی شد"),
        "social_post_created": _("فرسته نوشته شد"),
        "social_post_edited": _("فرسته ویرایش شد"),
        "social_post_released": _("انتشار فرسته آغاز شد"),
        "social_post_cancelled": _("فرسته لغو شد"),
        "social_delivery_retried": _("ارسال دوباره به کانال خواسته شد"),
        "social_delivery_marked_manual": _("انتشار دستی در کانال ثبت شد"),
        "social_delivery_views_set": _("بازدید فرسته در کانال ثبت شد"),
        "social_joint_created": _("فرسته مشترک پویش نوشته شد"),
        "social_joint_adopted": _("فرسته مشترک پویش تأیید و منتشر شد"),
        "social_joint_declined": _("فرسته مشترک پویش پذیرفته نشد"),
        "social_joint_closed": _("فرسته مشترک پویش بسته شد"),
    },
    fields={
        "token": _("توکن بات"),
        "accounts": _("کانال‌ها"),
        "variants": _("متن‌های ویژه شبکه‌ها"),
        "media": _("تصویرها"),
        "deliveries": _("ارسال‌ها"),
        "invite": _("دعوت"),
    },
)

_url = URLValidator(schemes=["http", "https"])


def url_error(value: str) -> str | None:
    """A Persian message when ``value`` is not empty and not an http(s) URL."""
    if not value:
        return None
    try:
        _url(value)
    except ValidationError:
        return str(_("نشانی وارد‌شده معتبر نیست؛ نشانی کامل با http:// یا https:// بنویسید."))
    return None


def valid_platform(value: Any) -> bool:
    return isinstance(value, str) and value in Platform.values


def platform_label(platform: str) -> str:
    try:
        return str(Platform(platform).label)
    except ValueError:
        return platform


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A date-time from a form or the API in Tehran time when it has no zone."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value
