"""Writing news sources: register an outlet, edit it, ask for it to be read now.

A province's sources are run by its council's chair and secretary, national ones
by the ministry centre (policy "monitoring.sources" over the source's province).
A feed is registered once: the same address written differently (a tracking
parameter, "www.", a trailing slash, upper-case host) is the same feed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.core.policy import Scope
from hamseda.directory.models import Person, Province
from hamseda.monitoring.feeds import canonical_url, site_host
from hamseda.monitoring.models import Source, SourceKind
from hamseda.monitoring.services import polling

register_events(
    {
        "source_created": _("منبع خبری ثبت شد"),
        "source_edited": _("منبع خبری ویرایش شد"),
    }
)

SOURCE_FIELDS = (
    "name",
    "kind",
    "feed_url",
    "site_url",
    "weight",
    "province",
    "is_active",
    "poll_minutes",
)


def _scope(province: Province | None) -> Scope:
    return Scope(province_id=province.pk if province is not None else None, office_id=None)


def _feed_key(url: str) -> str:
    """The form two addresses of one feed share: canonical, without the scheme
    and "www." (http and https, with or without www, are one feed)."""
    key = canonical_url(url).split("://", 1)[-1]
    return key.removeprefix("www.")


def _check(source: Source, errors: dict[str, str]) -> None:
    if not source.name:
        errors["name"] = _g("نام رسانه را بنویسید.")
    if source.kind not in SourceKind.values:
        errors["kind"] = _g("نوع رسانه را انتخاب کنید.")
    elif source.kind == SourceKind.CLIPPINGS and source.feed_url:
        errors["feed_url"] = _g("منبع بریده‌های دستی خوراک ندارد.")
    if source.kind != SourceKind.CLIPPINGS and not source.feed_url and not source.site_url:
        errors["feed_url"] = _g(
            "نشانی خوراک یا دست‌کم نشانی وبگاه رسانه را بنویسید؛ بریده‌ها با نشانی وبگاه "
            "به رسانه نسبت داده می‌شوند."
        )
    if source.feed_url and "feed_url" not in errors:
        key = _feed_key(source.feed_url)
        host = site_host(source.feed_url)
        same_host = Source.objects.exclude(feed_url="").filter(feed_url__icontains=host)
        if source.pk is not None:
            same_host = same_host.exclude(pk=source.pk)
        for other in same_host.only("pk", "name", "feed_url"):
            if _feed_key(other.feed_url) == key:
                errors["feed_url"] = _g("این خوراک پیش‌تر با نام «%(name)s» ثبت شده است.") % {
                    "name": other.name
                }
                break


def _save(source: Source) -> None:
    errors: dict[str, str] = {}
    _check(source, errors)
    try:
        # The conditional unique constraint is checked above with a Persian message.
        source.full_clean(exclude=["text_key", "host"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Registered by someone else between the check and the insert.
        raise ValidationError(
            {"feed_url": _g("این خوراک پیش‌تر ثبت شده است.")}, code="unique"
        ) from None


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    for name in ("name",):
        if name in cleaned:
            cleaned[name] = persian.normalize(str(cleaned[name] or "")).strip()
    for name in ("feed_url", "site_url"):
        if name in cleaned:
            cleaned[name] = persian.en_digits(str(cleaned[name] or "")).strip()
    return cleaned


@transaction.atomic
def source_create(
    *,
    actor: Person,
    name: str,
    kind: str,
    feed_url: str = "",
    site_url: str = "",
    weight: float = 1.0,
    province: Province | None = None,
    is_active: bool = True,
    poll_minutes: int = 30,
) -> Source:
    """Register an outlet; one with a feed is polled at the next beat tick."""
    policy.require(actor, "monitoring.sources", _scope(province))
    fields = _clean(
        {
            "name": name,
            "kind": kind,
            "feed_url": feed_url,
            "site_url": site_url,
            "weight": weight,
            "province": province,
            "is_active": is_active,
            "poll_minutes": poll_minutes,
        }
    )
    source = Source(**fields)
    _save(source)
    audit_record(
        actor=actor,
        event="source_created",
        target=source,
        changes=diff({}, snapshot(source, SOURCE_FIELDS)),
    )
    return source


@transaction.atomic
def source_edit(*, actor: Person, source: Source, **fields: Any) -> Source:
    """Change an outlet. A new feed address is read from scratch (no ETag) at the
    next tick, and so is a source switched back on."""
    policy.require(actor, "monitoring.sources", source)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"source_edit got unknown fields: {sorted(unknown)}")
    if "province" in fields and fields["province"] != source.province:
        # Moving a source to another province needs the right over both.
        policy.require(actor, "monitoring.sources", _scope(fields["province"]))
    before = snapshot(source, SOURCE_FIELDS)
    fields = _clean(fields)
    new_feed = "feed_url" in fields and fields["feed_url"] != source.feed_url
    switched_on = fields.get("is_active") is True and not source.is_active
    for name, value in fields.items():
        setattr(source, name, value)
    if new_feed:
        source.etag = source.last_modified = ""
        source.consecutive_failures = 0
    if new_feed or switched_on:
        source.next_poll_at = None
    _save(source)
    changes = diff(before, snapshot(source, SOURCE_FIELDS))
    if changes:
        audit_record(actor=actor, event="source_edited", target=source, changes=changes)
    return source


def source_poll_request(*, actor: Person, source: Source) -> None:
    """Queue a reading of ``source`` now ("read now"), after the caller's commit."""
    policy.require(actor, "monitoring.sources", source)
    if not source.feed_url:
        raise ValidationError(_g("این منبع خوراک ندارد که خوانده شود."))
    if not source.is_active:
        raise ValidationError(_g("این منبع غیرفعال است؛ نخست آن را فعال کنید."))
    polling.source_poll_now(source)
