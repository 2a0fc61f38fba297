"""Writes of an office's social channels: create, edit, the bot token, and the
connection check. The token is encrypted here (``social.crypto``) and leaves
this module only through ``account_token``, for the delivery service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import policy
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.directory.models import Office
from hamseda.social import crypto
from hamseda.social.adapters.base import DeliveryError, explain
from hamseda.social.models import ErrorKind, Protocol, SocialAccount, protocol_of
from hamseda.social.services.common import url_error, valid_platform

AUDITED = (
    "platform",
    "title",
    "chat_id",
    "url",
    "api_base_url",
    "is_active",
    "followers",
)
EDITABLE = frozenset(AUDITED)


def _clean(value: Any) -> str:
    return str(value or "").strip()


def _validate(account: SocialAccount) -> None:
    errors: dict[str, str] = {}
    if not valid_platform(account.platform):
        errors["platform"] = _g("شبکه را انتخاب کنید.")
    if not account.title:
        errors["title"] = _g("نام کانال را بنویسید.")
    elif len(account.title) > 200:
        errors["title"] = _g("نام کانال حداکثر ۲۰۰ نویسه است.")
    if len(account.chat_id) > 200:
        errors["chat_id"] = _g("شناسه کانال حداکثر ۲۰۰ نویسه است.")
    elif (
        valid_platform(account.platform)
        and protocol_of(account.platform) != Protocol.MANUAL
        and not account.chat_id
    ):
        errors["chat_id"] = _g(
            "شناسه کانال را بنویسید (مثلاً ‎@name‎ یا شناسه عددی)؛ بات با آن در کانال منتشر می‌کند."
        )
    for field in ("url", "api_base_url"):
        message = url_error(getattr(account, field))
        if message:
            errors[field] = message
    if account.followers is not None and account.followers < 0:
        errors["followers"] = _g("شمار دنبال‌کنندگان نمی‌تواند منفی باشد.")
    if (
        "chat_id" not in errors
        and account.chat_id
        and SocialAccount.objects.filter(
            office_id=account.office_id, platform=account.platform, chat_id=account.chat_id
        )
        .exclude(pk=account.pk)
        .exists()
    ):
        errors["chat_id"] = _g("این کانال پیش‌تر برای این روابط عمومی ثبت شده است.")
    if errors:
        raise ValidationError(errors)


def _set_token(account: SocialAccount, token: str) -> None:
    account.token_encrypted = crypto.encrypt(token)
    account.token_hint = crypto.hint(token)


@transaction.atomic
def account_create(
    *,
    actor: Any,
    office: Office,
    platform: str,
    title: str,
    chat_id: str = "",
    url: str = "",
    api_base_url: str = "",
    token: str = "",
    followers: int | None = None,
    is_active: bool = True,
) -> SocialAccount:
    """Add a channel of ``office``. ``token`` (a bot token) is stored encrypted."""
    policy.require(actor, "social.accounts", office)
    account = SocialAccount(
        office=office,
        platform=_clean(platform),
        title=_clean(title),
        chat_id=_clean(chat_id),
        url=_clean(url),
        api_base_url=_clean(api_base_url).rstrip("/"),
        followers=followers,
        is_active=is_active,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate(account)
    token = _clean(token)
    if token:
        _set_token(account, token)
    account.save()
    changes = {name: [None, value] for name, value in snapshot(account, AUDITED).items()}
    if token:
        changes["token"] = [None, account.token_hint]
    audit_record(actor=actor, event="social_account_created", target=account, changes=changes)
    return account


@transaction.atomic
def account_update(
    *, actor: Any, account: SocialAccount, token: str | None = None, **fields: Any
) -> SocialAccount:
    """Change the channel's fields (``AUDITED``); ``token`` None or "" keeps the
    stored token, a new non-empty one replaces it."""
    policy.require(actor, "social.accounts", account)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"account_update: unknown fields {sorted(unknown)}")
    account = SocialAccount.objects.select_for_update().get(pk=account.pk)
    before = snapshot(account, AUDITED)
    for name, value in fields.items():
        if name in ("is_active",):
            setattr(account, name, bool(value))
        elif name == "followers":
            setattr(account, name, value)
        elif name == "api_base_url":
            setattr(account, name, _clean(value).rstrip("/"))
        else:
            setattr(account, name, _clean(value))
    _validate(account)
    changes = diff(before, snapshot(account, AUDITED))
    token = _clean(token)
    if token:
        old_hint = account.token_hint or None
        _set_token(account, token)
        changes["token"] = [old_hint, account.token_hint]
    if not changes:
        return account
    if {"token", "api_base_url", "chat_id", "platform"} & set(changes):
        # The last check was of another bot or channel.
        account.checked_at = None
        account.check_error = ""
        account.bot_name = ""
    account.save()
    audit_record(actor=actor, event="social_account_edited", target=account, changes=changes)
    return account


@transaction.atomic
def account_clear_token(*, actor: Any, account: SocialAccount) -> SocialAccount:
    policy.require(actor, "social.accounts", account)
    account = SocialAccount.objects.select_for_update().get(pk=account.pk)
    if not account.token_encrypted:
        return account
    old_hint = account.token_hint
    account.token_encrypted = ""
    account.token_hint = ""
    account.checked_at = None
    account.check_error = ""
    account.bot_name = ""
    account.save()
    audit_record(
        actor=actor,
        event="social_account_token_cleared",
        target=account,
        changes={"token": [old_hint, None]},
    )
    return account


def account_token(account: SocialAccount) -> str:
    """The bot token in clear, for the adapter. Raises DeliveryError(CONFIG) when
    there is none or it cannot be decrypted with the configured keys."""
    if not account.token_encrypted:
        raise DeliveryError(ErrorKind.CONFIG, "no bot token")
    try:
        return crypto.decrypt(account.token_encrypted)
    except crypto.UndecryptableToken as exc:
        raise DeliveryError(ErrorKind.CONFIG, "token cannot be decrypted with the keys") from exc


def error_message(kind: str) -> str:
    """«what happened. what to do.» in Persian, for one line beside the channel."""
    what, todo = explain(kind)
    return f"{what} {todo}".strip()[:500]


def account_check(*, actor: Any, account: SocialAccount) -> SocialAccount:
    """Ask the platform who the bot is (getMe): on success the bot's name, else the
    Persian explanation of what went wrong. Manual platforms have nothing to check."""
    from hamseda.social.adapters import adapter_for

    policy.require(actor, "social.accounts", account)
    if account.is_manual:
        raise ValidationError(_g("این شبکه انتشار خودکار ندارد و اتصالی برای بررسی ندارد."))
    bot_name, error = "", ""
    try:
        adapter = adapter_for(
            account.platform, base_url=account.base_url, token=account_token(account)
        )
        bot_name = adapter.check()
    except DeliveryError as exc:
        error = error_message(exc.kind)
    # The HTTP call is outside any transaction; only the result is written.
    with transaction.atomic():
        account = SocialAccount.objects.select_for_update().get(pk=account.pk)
        account.checked_at = timezone.now()
        account.bot_name = bot_name[:200]
        account.check_error = error
        account.save(update_fields=["checked_at", "bot_name", "check_error", "updated_at"])
        audit_record(
            actor=actor,
            event="social_account_checked",
            target=account,
            changes={"check": [None, bot_name or error]},
        )
    return account
