"""Seasonal programmes as code: the Nowruz travel HQ and the summer travel
programme. Each year's programme starts from last year's in the same province
(its offices, messages, hashtags, audiences and targets, with last year's
achieved figures as the baseline), or from the template below when there is
none. ``season_start`` is called by the campaign pages, the API and the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import selectors, services
from hamseda.campaigns.models import (
    Campaign,
    CampaignKind,
    KeyMessage,
    Season,
    Target,
    TargetMetric,
)
from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_record
from hamseda.directory.models import Office, Person, Province


@dataclass(frozen=True)
class TargetSpec:
    label: Any  # lazy Persian
    metric: str
    target_value: int
    activity_kind: str = ""


@dataclass(frozen=True)
class SeasonTemplate:
    season: Season
    title: Any  # lazy Persian with %(year)s
    description: Any
    # (start, end) of the programme of Jalali ``year``.
    period: Callable[[int], tuple[dt.date, dt.date]]
    messages: tuple[Any, ...]
    hashtags: tuple[str, ...]  # "{year}" is replaced with the year in Persian digits
    audiences: tuple[Any, ...]
    targets: tuple[TargetSpec, ...]

    def title_for(self, year: int) -> str:
        return str(self.title) % {"year": persian.fa_digits(year)}

    def hashtags_for(self, year: int) -> list[str]:
        return [tag.format(year=persian.fa_digits(year)) for tag in self.hashtags]


def _nowruz_period(year: int) -> tuple[dt.date, dt.date]:
    # The travel HQ opens before the new year: 25 Esfand to 15 Farvardin.
    return jalali.from_jalali(year - 1, 12, 25), jalali.from_jalali(year, 1, 15)


def _summer_period(year: int) -> tuple[dt.date, dt.date]:
    return jalali.from_jalali(year, 4, 1), jalali.from_jalali(year, 6, 31)


TRAVELLERS_INFORMED = _("مسافران اطلاع‌یافته (پیامک، تابلوهای پیام متغیر، تماس با ۱۴۱)")

NOWRUZ = SeasonTemplate(
    season=Season.NOWRUZ,
    title=_("ستاد سفرهای نوروزی %(year)s"),
    description=_(
        "اطلاع‌رسانی هماهنگ دستگاه‌ها درباره وضعیت راه‌ها، حمل و نقل عمومی، "
        "پیش‌بینی هوا و ایمنی سفر در ایام نوروز، با یک صدا و از مجاری رسمی."
    ),
    period=_nowruz_period,
    messages=(
        _("پیش از سفر از وضعیت راه‌ها و پیش‌بینی هوا باخبر شوید: سامانه ۱۴۱ و هواشناسی."),
        _("با خودروی سالم و بدون خستگی سفر کنید؛ هر دو ساعت رانندگی، پانزده دقیقه استراحت."),
        _("کمربند ایمنی برای همه سرنشینان، حتی در صندلی‌های عقب."),
        _("قطار و هواپیما، سفری ایمن‌تر در نوروز؛ بلیت را فقط از سامانه‌های رسمی بخرید."),
        _("راهداران در همه ایام نوروز کنار شما هستند؛ حادثه یا انسداد راه را به ۱۴۱ خبر دهید."),
    ),
    hashtags=("#سفر_ایمن", "#نوروز_{year}", "#راهداری_۱۴۱"),
    audiences=(
        _("مسافران نوروزی جاده‌ای"),
        _("مسافران قطار و هواپیما"),
        _("رانندگان ناوگان حمل و نقل عمومی"),
        _("گردشگران ورودی به استان"),
    ),
    targets=(
        TargetSpec(_("انتشار خبر و اطلاعیه"), TargetMetric.KIND, 60, ActivityKind.NEWS_RELEASE),
        TargetSpec(_("مصاحبه"), TargetMetric.KIND, 10, ActivityKind.INTERVIEW),
        TargetSpec(_("نشست خبری"), TargetMetric.KIND, 3, ActivityKind.PRESS_CONFERENCE),
        TargetSpec(_("فعالیت‌های مشترک دستگاه‌ها"), TargetMetric.JOINT, 15),
        TargetSpec(TRAVELLERS_INFORMED, TargetMetric.MANUAL, 1_500_000),
    ),
)

SUMMER = SeasonTemplate(
    season=Season.SUMMER,
    title=_("سفرهای تابستانی %(year)s"),
    description=_(
        "اطلاع‌رسانی هماهنگ سفرهای تابستانی: ایمنی راه‌ها در گرما، قطارها و "
        "پروازهای فوق‌العاده، هشدارهای هواشناسی و خدمات راهداری."
    ),
    period=_summer_period,
    messages=(
        _("پیش از سفر تابستانی، لاستیک‌ها و سامانه خنک‌کننده خودرو را بازدید کنید."),
        _("ساعت‌های اوج گرما و ترافیک را برای سفر برنگزینید؛ از سامانه ۱۴۱ کمک بگیرید."),
        _("قطارهای فوق‌العاده تابستانی در راه‌اند؛ بلیت را از سامانه‌های رسمی تهیه کنید."),
        _("هشدارهای هواشناسی درباره گرما و گرد و خاک را جدی بگیرید."),
    ),
    hashtags=("#سفر_ایمن", "#تابستان_{year}", "#سفر_با_قطار"),
    audiences=(
        _("خانواده‌های مسافر در تعطیلات تابستان"),
        _("زائران و گردشگران"),
        _("رانندگان ناوگان حمل و نقل عمومی"),
    ),
    targets=(
        TargetSpec(_("انتشار خبر و اطلاعیه"), TargetMetric.KIND, 80, ActivityKind.NEWS_RELEASE),
        TargetSpec(_("مصاحبه"), TargetMetric.KIND, 10, ActivityKind.INTERVIEW),
        TargetSpec(_("فعالیت‌های مشترک دستگاه‌ها"), TargetMetric.JOINT, 12),
        TargetSpec(TRAVELLERS_INFORMED, TargetMetric.MANUAL, 1_000_000),
    ),
)

TEMPLATES: dict[str, SeasonTemplate] = {NOWRUZ.season: NOWRUZ, SUMMER.season: SUMMER}
FIRST_YEAR = 1390


def _next_year_hashtag(tag: str, year: int) -> str:
    """Last year's "#نوروز_۱۴۰۴" is this year's "#نوروز_۱۴۰۵"."""
    for old, new in (
        (persian.fa_digits(year - 1), persian.fa_digits(year)),
        (str(year - 1), str(year)),
    ):
        tag = tag.replace(old, new)
    return tag


def previous_programme(*, season: str, year: int, province: Province | None) -> Campaign | None:
    return (
        Campaign.objects.filter(season=season, season_year=year - 1, province=province)
        .prefetch_related("co_owners", "participants", "messages", "targets")
        .first()
    )


def next_year(*, season: str, province: Province | None) -> int:
    """The year to offer when starting ``season``: after the latest programme of
    the province, or the current Jalali year (the next one for Nowruz, which
    starts in Esfand)."""
    latest = (
        Campaign.objects.filter(season=season, province=province)
        .order_by("-season_year")
        .values_list("season_year", flat=True)
        .first()
    )
    if latest:
        return int(latest) + 1
    year = int(jalali.to_jalali(jalali.today()).year)
    return year + 1 if season == Season.NOWRUZ else year


@transaction.atomic
def season_start(
    *,
    actor: Person,
    season: str,
    year: int,
    province: Province | None,
    co_owners: Iterable[Office] | None = None,
) -> Campaign:
    """Start the ``season`` programme of Jalali ``year`` in ``province``.

    When the province had the same programme the year before, the new one
    copies its co-owners (unless ``co_owners`` is given), participants, key
    messages, hashtags (with the year moved on), audiences and targets, links
    it as ``previous``, and takes each target's baseline from what last year's
    programme achieved (``selectors.campaign_progress``). Otherwise the
    template's defaults apply, without baselines, and ``co_owners`` is needed.
    A second programme of the same season, year and province is refused.
    """
    template = TEMPLATES.get(season)
    if template is None:
        raise ValidationError({"season": _g("الگوی فصلی را انتخاب کنید: نوروز یا تابستان.")})
    this_year = int(jalali.to_jalali(jalali.today()).year)
    if not FIRST_YEAR <= year <= this_year + 1:
        raise ValidationError(
            {
                "year": _g("سال برنامه باید میان %(first)s و %(last)s باشد.")
                % {"first": persian.fa_digits(FIRST_YEAR), "last": persian.fa_digits(this_year + 1)}
            }
        )
    start, end = template.period(year)
    previous = previous_programme(season=season, year=year, province=province)
    owners = list(co_owners) if co_owners is not None else None
    if previous is not None:
        campaign = services.campaign_create(
            actor=actor,
            title=template.title_for(year),
            kind=CampaignKind.SEASONAL,
            start_date=start,
            end_date=end,
            province=province,
            co_owners=owners or list(previous.co_owners.all()),
            participants=list(previous.participants.all()),
            description=previous.description,
            hashtags=[_next_year_hashtag(tag, year) for tag in previous.hashtags],
            audiences=previous.audiences,
            season=season,
            season_year=year,
            previous=previous,
        )
        messages = [str(m.text) for m in sorted(previous.messages.all(), key=_order)]
        achieved = {p.target.pk: p.value for p in selectors.campaign_progress(previous)}
        targets = [
            services.clean_target(
                label=t.label,
                metric=t.metric,
                target_value=t.target_value,
                activity_kind=t.activity_kind,
                baseline_value=achieved.get(t.pk),
            )
            for t in sorted(previous.targets.all(), key=_order)
        ]
    else:
        if not owners:
            raise ValidationError(
                {
                    "co_owners": _g(
                        "برنامه سال قبل این فصل در این استان ثبت نشده است؛ "
                        "روابط عمومی‌های گرداننده را انتخاب کنید."
                    )
                }
            )
        campaign = services.campaign_create(
            actor=actor,
            title=template.title_for(year),
            kind=CampaignKind.SEASONAL,
            start_date=start,
            end_date=end,
            province=province,
            co_owners=owners,
            description=str(template.description),
            hashtags=template.hashtags_for(year),
            audiences=[str(a) for a in template.audiences],
            season=season,
            season_year=year,
        )
        messages = [str(m) for m in template.messages]
        targets = [
            services.clean_target(
                label=str(spec.label),
                metric=spec.metric,
                target_value=spec.target_value,
                activity_kind=spec.activity_kind,
            )
            for spec in template.targets
        ]
    KeyMessage.objects.bulk_create(
        [KeyMessage(campaign=campaign, position=i, text=text) for i, text in enumerate(messages, 1)]
    )
    Target.objects.bulk_create(
        [Target(campaign=campaign, position=i, **fields) for i, fields in enumerate(targets, 1)]
    )
    audit_record(
        actor=actor,
        event="campaign_season_started",
        target=campaign,
        changes={
            "previous": [None, previous.title if previous else None],
            "key_message_count": [None, len(messages)],
            "target_count": [None, len(targets)],
        },
    )
    return campaign


def _order(item: Any) -> tuple[int, int]:
    return (item.position, item.pk)


@transaction.atomic
def season_baselines_refresh(*, actor: Person, campaign: Campaign) -> Campaign:
    """Take each target's baseline again from what last year's programme has
    achieved by now (activities of last year recorded late). A target is paired
    with last year's of the same metric and activity kind, preferring the same
    title; a target without a pair keeps its baseline."""
    policy.require(actor, "campaign.manage", campaign)
    previous = selectors.season_previous(campaign)
    if previous is None:
        raise ValidationError(
            _g("برنامه سال قبل این پویش ثبت نشده است؛ مبنایی برای به‌روزرسانی نیست.")
        )
    last_year = selectors.campaign_progress(previous)
    changes: dict[str, list[Any]] = {}
    changed = []
    for target in campaign.targets.order_by("position", "pk"):
        same_kind = [
            p
            for p in last_year
            if p.target.metric == target.metric and p.target.activity_kind == target.activity_kind
        ]
        key = persian.search_key(target.label)
        pair = next((p for p in same_kind if persian.search_key(p.target.label) == key), None)
        if pair is None and len(same_kind) == 1:
            pair = same_kind[0]
        if pair is None or pair.value == target.baseline_value:
            continue
        changes[f"{target.label}"] = [target.baseline_value, pair.value]
        target.baseline_value = pair.value
        changed.append(target)
    if changed:
        Target.objects.bulk_update(changed, ["baseline_value"])
        audit_record(
            actor=actor, event="campaign_baselines_refreshed", target=campaign, changes=changes
        )
    return campaign
