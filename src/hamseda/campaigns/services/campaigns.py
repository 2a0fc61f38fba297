"""Writes of the campaign itself: create, edit, and its participating offices.
Seasonal programmes are started by ``campaigns.seasons``, which creates through
``campaign_create``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g

from hamseda.campaigns.models import Campaign, CampaignKind, Season
from hamseda.campaigns.services.common import clean_text, normalize_hashtags, normalize_list
from hamseda.core import persian, policy
from hamseda.core.audit import audit_record, diff
from hamseda.core.policy import Reach, Scope
from hamseda.directory.models import Office, Person, Province

# Shown in the audit trail in this order; M2M fields as sorted names.
CAMPAIGN_FIELDS = (
    "title",
    "kind",
    "season",
    "season_year",
    "province",
    "start_date",
    "end_date",
    "co_owners",
    "participants",
    "description",
    "hashtags",
    "audiences",
    "keywords",
    "previous",
)


def _unique_offices(offices: Iterable[Office] | None) -> list[Office]:
    return list(dict.fromkeys(offices or ()))


# --- checks ----------------------------------------------------------------------------


def _offices_error(province: Province | None, offices: list[Office]) -> str | None:
    """Why some of ``offices`` cannot take part in a campaign of ``province``:
    a provincial campaign takes the province's offices and national ones (the
    ministry centre); a national campaign takes any office."""
    if not offices:
        return None
    rows = Office.objects.filter(pk__in=[o.pk for o in offices]).select_related("agency")
    inactive = [o.name for o in rows if not o.is_active]
    if inactive:
        return _g("این روابط عمومی‌ها غیرفعال‌اند: %(names)s") % {"names": "، ".join(inactive)}
    if province is None:
        return None
    foreign = [
        o.name
        for o in rows
        if o.agency.province_id is not None and o.agency.province_id != province.pk
    ]
    if foreign:
        return _g("این روابط عمومی‌ها در استان این پویش نیستند: %(names)s") % {
            "names": "، ".join(foreign)
        }
    return None


def _manage_error(actor: Person, scope: Scope) -> str | None:
    """Whether ``actor`` may manage a campaign about to have ``scope``: None if
    so; a message for the co-owners field when office staff left their own
    office out of the co-owners (only co-owners manage a campaign, so this is a
    mistake in the form, said beside the field); PermissionDenied otherwise."""
    if policy.can(actor, "campaign.manage", scope):
        return None
    if (
        policy.reach(actor, "campaign.manage") == Reach.OWN_OFFICE
        and actor.office_id is not None
        and actor.office_id not in scope.office_ids
        and (scope.province_id is None or scope.province_id == actor.province_id)
    ):
        return _g(
            "روابط عمومی خود را هم در میان گردانندگان بگذارید؛ "
            "پویش را فقط گردانندگان آن و رئیس و دبیر شورا اداره می‌کنند."
        )
    raise PermissionDenied(_g("شما اجازه این کار را ندارید."))


def _scope(province: Province | None, co_owners: list[Office]) -> Scope:
    return Scope(
        province_id=province.pk if province else None,
        office_id=None,
        office_ids=frozenset(o.pk for o in co_owners),
    )


def _forget_offices(campaign: Campaign) -> None:
    # policy_scope() and the audit snapshot must see the new offices, not a
    # stale prefetch.
    cache = getattr(campaign, "_prefetched_objects_cache", None)
    if cache:
        cache.pop("co_owners", None)
        cache.pop("participants", None)


def _state(campaign: Campaign) -> dict[str, Any]:
    """The audited state of a campaign, with Persian words for its choices."""
    state: dict[str, Any] = {
        "title": campaign.title,
        "kind": str(CampaignKind(campaign.kind).label) if campaign.kind else "",
        "season": str(Season(campaign.season).label) if campaign.season else "",
        "season_year": campaign.season_year,
        "province": campaign.province.name if campaign.province else None,
        "start_date": campaign.start_date.isoformat() if campaign.start_date else None,
        "end_date": campaign.end_date.isoformat() if campaign.end_date else None,
        "description": campaign.description,
        "hashtags": list(campaign.hashtags or []),
        "audiences": list(campaign.audiences or []),
        "keywords": list(campaign.keywords or []),
        "previous": campaign.previous.title if campaign.previous_id and campaign.previous else None,
    }
    if campaign.pk:
        state["co_owners"] = sorted(o.name for o in campaign.co_owners.all())
        state["participants"] = sorted(o.name for o in campaign.participants.all())
    return state


def _validate_fields(
    *,
    title: str,
    kind: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    province: Province | None,
    co_owners: list[Office] | None,
    participants: list[Office],
) -> dict[str, str]:
    """Errors by field; ``co_owners`` None: unchanged, not checked again (an
    edit of the title is not refused because a co-owner has since closed)."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _g("عنوان پویش را بنویسید.")
    elif len(title) > 200:
        errors["title"] = _g("عنوان پویش حداکثر ۲۰۰ نویسه است.")
    if kind not in CampaignKind.values:
        errors["kind"] = _g("نوع پویش را انتخاب کنید.")
    if start_date is None:
        errors["start_date"] = _g("تاریخ آغاز پویش را تعیین کنید.")
    if end_date is None:
        errors["end_date"] = _g("تاریخ پایان پویش را تعیین کنید.")
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = _g("پایان پویش نمی‌تواند پیش از آغاز آن باشد.")
    if co_owners is not None:
        if not co_owners:
            errors["co_owners"] = _g("دست‌کم یک روابط عمومی گرداننده انتخاب کنید.")
        elif message := _offices_error(province, co_owners):
            errors["co_owners"] = message
    if message := _offices_error(province, participants):
        errors["participants"] = message
    return errors


# --- the campaign ----------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor: Person,
    title: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    province: Province | None,
    co_owners: Iterable[Office],
    participants: Iterable[Office] = (),
    description: str = "",
    hashtags: Iterable[str] | str = (),
    audiences: Iterable[str] | str = (),
    keywords: Iterable[str] | str = (),
    season: str = "",
    season_year: int | None = None,
    previous: Campaign | None = None,
) -> Campaign:
    """Create a campaign run by ``co_owners`` (who also participate). A
    campaign without a province is a national programme of the ministry
    centre. ``season``, ``season_year`` and ``previous`` are for seasonal
    programmes, which ``campaigns.seasons.season_start`` creates."""
    if policy.reach(actor, "campaign.manage") == Reach.NONE:
        raise PermissionDenied(_g("شما اجازه این کار را ندارید."))
    owners = _unique_offices(co_owners)
    others = _unique_offices(participants)
    title = clean_text(title)
    errors = _validate_fields(
        title=title,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        province=province,
        co_owners=owners,
        participants=others,
    )
    if province is None and policy.reach(actor, "campaign.manage") < Reach.ANY:
        errors["province"] = _g(
            "برنامه ملی (بدون استان) را فقط مرکز ارتباطات وزارت ایجاد می‌کند؛ "
            "استان پویش را انتخاب کنید."
        )
    if season:
        if season not in Season.values:
            errors["season"] = _g("الگوی فصلی شناخته نیست.")
        elif Campaign.objects.filter(
            season=season, season_year=season_year, province=province
        ).exists():
            errors["year"] = _g(
                "برنامه «%(season)s» سال %(year)s در این استان پیش‌تر آغاز شده است."
            ) % {
                "season": Season(season).label,
                "year": persian.fa_digits(season_year or ""),
            }
    if "co_owners" not in errors and (message := _manage_error(actor, _scope(province, owners))):
        errors["co_owners"] = message
    if errors:
        raise ValidationError(errors)
    campaign = Campaign(
        title=title,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        province=province,
        description=clean_text(description),
        hashtags=normalize_hashtags(hashtags),
        audiences=normalize_list(audiences),
        keywords=normalize_list(keywords),
        season=season,
        season_year=season_year if season else None,
        previous=previous,
        created_by=actor,
    )
    campaign.full_clean(exclude=["text_key"])
    campaign.save()
    campaign.co_owners.set(owners)
    campaign.participants.set(list(dict.fromkeys([*owners, *others])))
    audit_record(
        actor=actor,
        event="campaign_created",
        target=campaign,
        changes=diff({}, _state(campaign)),
    )
    return campaign


@transaction.atomic
def campaign_edit(
    *,
    actor: Person,
    campaign: Campaign,
    title: str | None = None,
    kind: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    co_owners: Iterable[Office] | None = None,
    description: str | None = None,
    hashtags: Iterable[str] | str | None = None,
    audiences: Iterable[str] | str | None = None,
    keywords: Iterable[str] | str | None = None,
) -> Campaign:
    """Change what is given (None: unchanged). The province is fixed: a
    campaign does not move to another council. New co-owners also become
    participants; a former co-owner stays a participant."""
    policy.require(actor, "campaign.manage", campaign)
    before = _state(campaign)
    owners = _unique_offices(co_owners) if co_owners is not None else None
    new_title = clean_text(title) if title is not None else campaign.title
    errors = _validate_fields(
        title=new_title,
        kind=kind if kind is not None else campaign.kind,
        start_date=start_date or campaign.start_date,
        end_date=end_date or campaign.end_date,
        province=campaign.province,
        co_owners=owners,
        participants=[],
    )
    if owners and "co_owners" not in errors:
        try:
            keeps_control = _manage_error(actor, _scope(campaign.province, owners)) is None
        except PermissionDenied:
            keeps_control = False
        if not keeps_control:
            errors["co_owners"] = _g(
                "با این گردانندگان، دیگر اجازه اداره این پویش را نخواهید داشت؛ "
                "روابط عمومی خود را در میان گردانندگان نگه دارید."
            )
    if errors:
        raise ValidationError(errors)
    campaign.title = new_title
    if kind is not None:
        campaign.kind = kind
    if start_date is not None:
        campaign.start_date = start_date
    if end_date is not None:
        campaign.end_date = end_date
    if description is not None:
        campaign.description = clean_text(description)
    if hashtags is not None:
        campaign.hashtags = normalize_hashtags(hashtags)
    if audiences is not None:
        campaign.audiences = normalize_list(audiences)
    if keywords is not None:
        campaign.keywords = normalize_list(keywords)
    campaign.full_clean(exclude=["text_key"])
    campaign.save()
    if owners is not None:
        campaign.co_owners.set(owners)
        campaign.participants.add(*owners)
        _forget_offices(campaign)
    changes = diff(before, _state(campaign))
    if changes:
        audit_record(actor=actor, event="campaign_edited", target=campaign, changes=changes)
    return campaign


# --- participants ----------------------------------------------------------------------


@transaction.atomic
def participant_add(*, actor: Person, campaign: Campaign, office: Office) -> Campaign:
    policy.require(actor, "campaign.manage", campaign)
    if campaign.participants.filter(pk=office.pk).exists():
        raise ValidationError({"office": _g("این روابط عمومی پیش‌تر در این پویش مشارکت دارد.")})
    if message := _offices_error(campaign.province, [office]):
        raise ValidationError({"office": message})
    campaign.participants.add(office)
    _forget_offices(campaign)
    audit_record(
        actor=actor,
        event="campaign_participant_added",
        target=campaign,
        changes={"campaign_office": [None, office.name]},
    )
    return campaign


@transaction.atomic
def participant_remove(*, actor: Person, campaign: Campaign, office: Office) -> Campaign:
    """Take an office off the campaign. Its activities stay linked and keep
    counting; a co-owner is taken off the co-owners first (``campaign_edit``)."""
    policy.require(actor, "campaign.manage", campaign)
    if campaign.co_owners.filter(pk=office.pk).exists():
        raise ValidationError(
            {
                "office": _g(
                    "«%(name)s» از گردانندگان این پویش است؛ نخست آن را از گردانندگان بردارید."
                )
                % {"name": office.name}
            }
        )
    if not campaign.participants.filter(pk=office.pk).exists():
        raise ValidationError({"office": _g("این روابط عمومی در این پویش مشارکت ندارد.")})
    campaign.participants.remove(office)
    _forget_offices(campaign)
    audit_record(
        actor=actor,
        event="campaign_participant_removed",
        target=campaign,
        changes={"campaign_office": [office.name, None]},
    )
    return campaign
