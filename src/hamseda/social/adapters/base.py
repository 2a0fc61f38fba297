"""What every platform adapter takes and gives, and how its failures read in Persian.

An adapter speaks one protocol (``Protocol``) over HTTP with httpx: it sends one
message (text, optionally with pictures) to one chat and returns the platform's
message id, or raises ``DeliveryError`` with an ``ErrorKind`` that the delivery
service acts on (retry later, give up, or stop and ask a person: ``UNCERTAIN``).
Adapters keep no state between calls and never retry by themselves: retrying is
the delivery service's decision, because only it knows what was already sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol as TypingProtocol

from django.utils.translation import gettext_lazy as _

from hamseda.social.models import ErrorKind


@dataclass(frozen=True)
class MediaFile:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Outgoing:
    chat_id: str
    text: str
    media: tuple[MediaFile, ...] = ()
    disable_notification: bool = False


@dataclass(frozen=True)
class Sent:
    """The platform accepted the message."""

    message_id: str
    url: str = ""  # the public link, where the protocol lets us build one
    views: int | None = None
    # Every message id when pictures went out as several messages.
    message_ids: tuple[str, ...] = field(default_factory=tuple)


# Kinds the delivery service tries again (after retry_after or a backoff).
RETRYABLE = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.SERVER, ErrorKind.NETWORK})

# What each kind means for the office, and what to do about it.
EXPLANATION = {
    ErrorKind.RATE_LIMITED: (
        _("پیام‌رسان فعلاً درخواست بیشتری نمی‌پذیرد."),
        _("کاری لازم نیست؛ سامانه پس از زمانی که پیام‌رسان خواسته دوباره می‌فرستد."),
    ),
    ErrorKind.BAD_REQUEST: (
        _("پیام‌رسان درخواست را نپذیرفت."),
        _("متن و پیوست‌ها را بررسی کنید و دوباره بفرستید؛ اگر تکرار شد با پشتیبانی تماس بگیرید."),
    ),
    ErrorKind.CHAT_NOT_FOUND: (
        _("کانال در پیام‌رسان پیدا نشد."),
        _("شناسه کانال را در تنظیمات کانال بررسی کنید و مطمئن شوید بات عضو و مدیر کانال است."),
    ),
    ErrorKind.UNAUTHORIZED: (
        _("توکن بات پذیرفته نشد."),
        _("توکن تازه را از سازنده بات بگیرید و در تنظیمات کانال وارد کنید."),
    ),
    ErrorKind.FORBIDDEN: (
        _("بات اجازه انتشار در این کانال را ندارد."),
        _("بات را به کانال بیفزایید و به آن دسترسی مدیر با اجازه ارسال پیام بدهید."),
    ),
    ErrorKind.TOO_LONG: (
        _("متن از اندازه مجاز این پیام‌رسان بلندتر است."),
        _("برای این شبکه متن کوتاه‌تری بنویسید (متن ویژه شبکه) و دوباره بفرستید."),
    ),
    ErrorKind.SERVER: (
        _("سرور پیام‌رسان خطا داد."),
        _("کاری لازم نیست؛ سامانه چند بار دیگر با فاصله تلاش می‌کند."),
    ),
    ErrorKind.BAD_REPLY: (
        _("پاسخ پیام‌رسان قابل خواندن نبود."),
        _("نشانی API کانال را بررسی کنید؛ شاید به جای پیام‌رسان به صفحه دیگری می‌رسد."),
    ),
    ErrorKind.NETWORK: (
        _("اتصال به پیام‌رسان برقرار نشد."),
        _("کاری لازم نیست؛ سامانه دوباره تلاش می‌کند. اگر ادامه یافت اتصال شبکه را بررسی کنید."),
    ),
    ErrorKind.UNCERTAIN: (
        _("پیام فرستاده شد اما پاسخ پیام‌رسان نرسید؛ شاید منتشر شده باشد."),
        _(
            "کانال را ببینید: اگر پیام منتشر شده پیوند آن را ثبت کنید، وگرنه «ارسال دوباره» "
            "را بزنید. سامانه برای پیشگیری از انتشار تکراری خودش دوباره نمی‌فرستد."
        ),
    ),
    ErrorKind.CONFIG: (
        _("تنظیمات کانال برای انتشار خودکار کامل نیست."),
        _("شناسه کانال و توکن بات را در تنظیمات کانال وارد کنید."),
    ),
}


class DeliveryError(Exception):
    def __init__(
        self,
        kind: str,
        detail: str = "",
        *,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail[:500]
        self.http_status = http_status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


def explain(kind: str) -> tuple[str, str]:
    """(what happened, what to do) in Persian; empty strings for no error."""
    if kind in EXPLANATION:
        what, todo = EXPLANATION[ErrorKind(kind)]
        return str(what), str(todo)
    return "", ""


class Adapter(TypingProtocol):
    """One protocol. ``base_url`` is the API root (e.g. ``https://tapi.bale.ai``)."""

    def check(self) -> str:
        """Ask the platform who the bot is (getMe); return its name. Raises DeliveryError."""
        ...

    def send(self, message: Outgoing) -> Sent:
        """Publish one message. Raises DeliveryError."""
        ...
