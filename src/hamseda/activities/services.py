"""Writing activities: plan, report, join as partner, merge parallel work.

Every function takes the acting person, checks the policy, validates with
Persian field errors, writes the audit trail in the same transaction and keeps
the overlap index (``activities.overlap``) in step with the text.

Parallel work is caught here, not only in the page: ``activity_create`` of a
planned activity refuses with ``ParallelWork`` (carrying the likely duplicates)
unless the caller confirms that it is different work, so the HTML form, the API
and any script meet the same rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.activities import overlap
from hamseda.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Channel,
    OverlapDismissal,
)
from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.core import jalali, persian, policy
from hamseda.core.attachments import validate_attachment
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.core.notifications import notify
from hamseda.directory.models import Office, Person

register_events(
    {
        "activity_created": _("فعالیت ثبت شد"),
        "activity_edited": _("فعالیت ویرایش شد"),
        "activity_joined": _("دستگاهی به‌عنوان همکار به فعالیت پیوست"),
        "activity_merged": _("فعالیت موازی در این فعالیت ادغام شد"),
        "activity_merged_away": _("فعالیت در فعالیت دیگری ادغام شد"),
        "activity_file_added": _("پیوست فعالیت افزوده شد"),
        "activity_file_removed": _("پیوست فعالیت حذف شد"),
        "overlap_dismissed": _("هم‌پوشانی دو فعالیت رد شد"),
    },
    # Model fields are shown with their own labels; these are the other names.
    fields={"overlap": _("هم‌پوشانی")},
)

TRACKED_FIELDS = (
    "title",
    "description",
    "kind",
    "status",
    "start_date",
    "end_date",
    "campaigns",
    "messages",
    "channels",
    "links",
    "outcome",
    "audience",
    "partners",
)
MAX_LINKS = 10
# How long an activity may run: a campaign is a campaign, not an activity.
MAX_DAYS = 120


def _snapshot(activity: Activity, fields: Iterable[str]) -> dict[str, Any]:
    """``core.audit.snapshot`` with the channels by their Persian names: a JSON
    list of codes has no choices for the history page to translate."""
    values = snapshot(activity, fields)
    if "channels" in values:
        labels = dict(Channel.choices)
        values["channels"] = [str(labels.get(code, code)) for code in values["channels"]]
    return values


class ParallelWork(Exception):
    """A planned activity looks like work another office already plans."""

    def __init__(self, matches: Sequence[overlap.Match]) -> None:
        super().__init__(_g("فعالیت مشابهی از دستگاه دیگری ثبت شده است."))
        self.matches = list(matches)


# --- checks ------------------------------------------------------------------------


def _province_id(office: Office) -> int | None:
    return office.agency.province_id


def _clean_links(links: Iterable[str], errors: dict[str, str]) -> list[str]:
    cleaned: list[str] = []
    validate = URLValidator(schemes=["http", "https"])
    for raw in links:
        link = persian.en_digits((raw or "").strip())
        if not link:
            continue
        try:
            validate(link)
        except ValidationError:
            errors["links"] = _g("این پیوند درست نیست: %(link)s") % {"link": link}
            return cleaned
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > MAX_LINKS:
        errors["links"] = _g("حداکثر %(n)s پیوند.") % {"n": persian.fa_digits(MAX_LINKS)}
    return cleaned


def _check(
    *,
    office: Office,
    title: str,
    kind: str,
    status: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    campaigns: Collection[Campaign],
    messages: Collection[KeyMessage],
    channels: Collection[str],
    partners: Collection[Office],
    audience: int | None,
    errors: dict[str, str],
) -> None:
    if not title:
        errors["title"] = _g("عنوان فعالیت را بنویسید.")
    if kind not in ActivityKind.values:
        errors["kind"] = _g("نوع فعالیت را انتخاب کنید.")
    if status not in ActivityStatus.values:
        errors["status"] = _g("وضعیت درست نیست.")
    if start_date is None:
        errors["start_date"] = _g("تاریخ فعالیت را تعیین کنید.")
    elif end_date is not None:
        if end_date < start_date:
            errors["end_date"] = _g("پایان نمی‌تواند پیش از آغاز باشد.")
        elif (end_date - start_date).days > MAX_DAYS:
            errors["end_date"] = _g(
                "یک فعالیت حداکثر %(n)s روز است؛ برنامه‌های بلندتر را پویش تعریف کنید."
            ) % {"n": persian.fa_digits(MAX_DAYS)}
    if status == ActivityStatus.DONE and start_date is not None and start_date > jalali.today():
        errors["status"] = _g("فعالیتی که هنوز نرسیده نمی‌تواند انجام‌شده باشد.")
    unknown = set(channels) - set(Channel.values)
    if unknown:
        errors["channels"] = _g("مجرای ناشناخته: %(names)s") % {"names": "، ".join(sorted(unknown))}
    campaign_ids = {campaign.pk for campaign in campaigns}
    if any(message.campaign_id not in campaign_ids for message in messages):
        errors["messages"] = _g("پیام کلیدی باید از پویش‌های همین فعالیت باشد.")
    province_id = _province_id(office)
    foreign = [
        campaign.title
        for campaign in campaigns
        if campaign.province_id is not None and campaign.province_id != province_id
    ]
    if foreign:
        errors["campaigns"] = _g("این پویش‌ها از استان دیگری هستند: %(names)s") % {
            "names": "، ".join(foreign)
        }
    if any(partner.pk == office.pk for partner in partners):
        errors["partners"] = _g("دستگاه مجری نمی‌تواند همکار خودش باشد.")
    elif any(partner.agency.province_id != province_id for partner in partners):
        errors["partners"] = _g("دستگاه‌های همکار باید از همین استان باشند.")
    if audience is not None and audience < 0:
        errors["audience"] = _g("شمار مخاطبان نمی‌تواند منفی باشد.")


def _refresh_partners(activity: Activity) -> None:
    # policy_scope() must see the partners as they are now, not a stale prefetch.
    if hasattr(activity, "_prefetched_objects_cache"):
        activity._prefetched_objects_cache.pop("partners", None)


def _tell_lead_office(activity: Activity, *, title: str, key: str, actor: Person) -> None:
    people = Person.objects.filter(office_id=activity.lead_office_id, is_active=True).exclude(
        pk=actor.pk
    )
    notify(
        recipients=people,
        title=title,
        dedupe_key=key,
        url=activity.get_absolute_url(),
    )


# --- create and edit ---------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    actor: Person,
    office: Office,
    title: str,
    kind: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    status: str = ActivityStatus.PLANNED,
    description: str = "",
    campaigns: Collection[Campaign] = (),
    messages: Collection[KeyMessage] = (),
    channels: Collection[str] = (),
    links: Iterable[str] = (),
    outcome: str = "",
    audience: int | None = None,
    partners: Collection[Office] = (),
    overlap_confirmed: bool = False,
) -> Activity:
    """Record an activity of ``office``. A planned activity that looks like an
    activity another office already plans raises ``ParallelWork`` unless
    ``overlap_confirmed`` (the office looked and says it is different work)."""
    province_id = _province_id(office)
    policy.require(actor, "activity.edit", policy.Scope(province_id, office.pk))
    title = persian.normalize(title or "").strip()
    description = persian.normalize(description or "").strip()
    end_date = end_date or start_date
    errors: dict[str, str] = {}
    _check(
        office=office,
        title=title,
        kind=kind,
        status=status,
        start_date=start_date,
        end_date=end_date,
        campaigns=campaigns,
        messages=messages,
        channels=channels,
        partners=partners,
        audience=audience,
        errors=errors,
    )
    clean_links = _clean_links(links, errors)
    if errors:
        raise ValidationError(errors)
    assert start_date is not None
    assert end_date is not None
    if status == ActivityStatus.PLANNED and not overlap_confirmed:
        matches = overlap.find_overlaps(
            title=title,
            description=description,
            start_date=start_date,
            end_date=end_date,
            province_id=province_id,
            campaign_ids=[campaign.pk for campaign in campaigns],
            exclude_office_ids=[office.pk],
        )
        if matches:
            raise ParallelWork(matches)
    activity = Activity.objects.create(
        title=title,
        description=description,
        kind=kind,
        status=status,
        start_date=start_date,
        end_date=end_date,
        lead_office=office,
        province_id=province_id,
        channels=list(dict.fromkeys(channels)),
        links=clean_links,
        outcome=persian.normalize(outcome or "").strip(),
        audience=audience,
        created_by=actor,
    )
    activity.campaigns.set(campaigns)
    activity.messages.set(messages)
    for partner in dict.fromkeys(partners):
        ActivityPartner.objects.create(activity=activity, office=partner, joined_by=actor)
    overlap.index_activity(activity)
    audit_record(
        actor=actor,
        event="activity_created",
        target=activity,
        changes=diff({}, _snapshot(activity, TRACKED_FIELDS)),
    )
    return activity


@transaction.atomic
def activity_edit(
    *,
    actor: Person,
    activity: Activity,
    title: str,
    kind: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    status: str,
    description: str = "",
    campaigns: Collection[Campaign] = (),
    messages: Collection[KeyMessage] = (),
    channels: Collection[str] = (),
    links: Iterable[str] = (),
    outcome: str = "",
    audience: int | None = None,
) -> Activity:
    """Change an activity (its lead office and partners stay; partners join with
    ``activity_join``). An activity merged into another is read-only."""
    policy.require(actor, "activity.edit", activity)
    if activity.merged_into_id is not None:
        raise ValidationError(_g("این فعالیت در فعالیت دیگری ادغام شده و ویرایش‌پذیر نیست."))
    title = persian.normalize(title or "").strip()
    description = persian.normalize(description or "").strip()
    end_date = end_date or start_date
    errors: dict[str, str] = {}
    _check(
        office=activity.lead_office,
        title=title,
        kind=kind,
        status=status,
        start_date=start_date,
        end_date=end_date,
        campaigns=campaigns,
        messages=messages,
        channels=channels,
        partners=(),
        audience=audience,
        errors=errors,
    )
    clean_links = _clean_links(links, errors)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(activity, TRACKED_FIELDS)
    text_changed = (title, description) != (activity.title, activity.description)
    activity.title = title
    activity.description = description
    activity.kind = kind
    activity.status = status
    activity.start_date = start_date  # type: ignore[assignment]
    activity.end_date = end_date  # type: ignore[assignment]
    activity.channels = list(dict.fromkeys(channels))
    activity.links = clean_links
    activity.outcome = persian.normalize(outcome or "").strip()
    activity.audience = audience
    activity.save()
    activity.campaigns.set(campaigns)
    activity.messages.set(messages)
    for name in ("campaigns", "messages"):
        if hasattr(activity, "_prefetched_objects_cache"):
            activity._prefetched_objects_cache.pop(name, None)
    if text_changed:
        overlap.index_activity(activity)
    changes = diff(before, _snapshot(activity, TRACKED_FIELDS))
    if changes:
        audit_record(actor=actor, event="activity_edited", target=activity, changes=changes)
    return activity


# --- joint work --------------------------------------------------------------------


@transaction.atomic
def activity_join(
    *, actor: Person, activity: Activity, office: Office | None = None, note: str = ""
) -> ActivityPartner:
    """``office`` (the actor's own by default) joins ``activity`` as a partner:
    one joint activity instead of two parallel ones. It then counts for the
    office in lists, the calendar, campaign progress and evaluation."""
    office = office or actor.office
    if office is None:
        raise ValidationError(_g("حساب شما به روابط عمومی هیچ دستگاهی وصل نیست."))
    policy.require(actor, "activity.join", activity)
    policy.require(actor, "activity.edit", policy.Scope(_province_id(office), office.pk))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.merged_into_id is not None:
        raise ValidationError(_g("این فعالیت در فعالیت دیگری ادغام شده است."))
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError(_g("این فعالیت لغو شده است."))
    if activity.lead_office_id == office.pk:
        raise ValidationError(_g("این فعالیت از آنِ همین دستگاه است."))
    if _province_id(office) != activity.province_id:
        raise ValidationError(_g("تنها دستگاه‌های همان استان می‌توانند همکار شوند."))
    if ActivityPartner.objects.filter(activity=activity, office=office).exists():
        raise ValidationError(_g("این دستگاه پیش‌تر به این فعالیت پیوسته است."))
    before = snapshot(activity, ["partners"])
    partnership = ActivityPartner.objects.create(
        activity=activity,
        office=office,
        joined_by=actor,
        note=persian.normalize(note or "").strip(),
    )
    _refresh_partners(activity)
    audit_record(
        actor=actor,
        event="activity_joined",
        target=activity,
        changes=diff(before, snapshot(activity, ["partners"])),
    )
    _tell_lead_office(
        activity,
        title=_g("%(office)s به فعالیت «%(title)s» پیوست")
        % {"office": office.name, "title": activity.title},
        key=f"activity-joined-{activity.pk}-{office.pk}",
        actor=actor,
    )
    return partnership


@transaction.atomic
def activity_merge(*, actor: Person, source: Activity, target: Activity) -> Activity:
    """Fold ``source`` into ``target``: the source's lead office and partners
    become partners of the target; campaigns, key messages, channels, links and
    files move over. The source keeps its row with ``merged_into`` set (its page
    points to the target) and leaves lists, the calendar and the index.

    Allowed to whoever may merge in the province (the chair's overlap report)
    and to the source's own office (it joins the other's activity with its own)."""
    if not policy.can(actor, "activity.merge", source):
        policy.require(actor, "activity.edit", source)
        policy.require(actor, "activity.join", target)
    locked = {
        a.pk: a for a in Activity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.pk == target.pk:
        raise ValidationError(_g("یک فعالیت را نمی‌توان در خودش ادغام کرد."))
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise ValidationError(_g("یکی از این دو فعالیت پیش‌تر ادغام شده است."))
    if source.province_id != target.province_id:
        raise ValidationError(_g("فعالیت‌های دو استان را نمی‌توان ادغام کرد."))
    if target.status == ActivityStatus.CANCELLED:
        raise ValidationError(_g("فعالیت مقصد لغو شده است."))
    before = _snapshot(target, ["partners", "campaigns", "messages", "channels", "links"])
    existing = set(
        ActivityPartner.objects.filter(activity=target).values_list("office_id", flat=True)
    )
    incoming: list[tuple[int, str]] = [(source.lead_office_id, source.title)]
    incoming += [
        (partner.office_id, partner.note)
        for partner in ActivityPartner.objects.filter(activity=source)
    ]
    for office_id, note in incoming:
        if office_id != target.lead_office_id and office_id not in existing:
            ActivityPartner.objects.create(
                activity=target, office_id=office_id, joined_by=actor, note=note
            )
            existing.add(office_id)
    target.campaigns.add(*source.campaigns.all())
    target.messages.add(*source.messages.all())
    target.channels = list(dict.fromkeys([*target.channels, *source.channels]))
    target.links = list(dict.fromkeys([*target.links, *source.links]))[:MAX_LINKS]
    target.save(update_fields=["channels", "links", "updated_at"])
    ActivityAttachment.objects.filter(activity=source).update(activity=target)
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    source.bands.all().delete()
    for activity in (source, target):
        _refresh_partners(activity)
        if hasattr(activity, "_prefetched_objects_cache"):
            activity._prefetched_objects_cache.clear()
    audit_record(
        actor=actor,
        event="activity_merged",
        target=target,
        changes=diff(
            before, _snapshot(target, ["partners", "campaigns", "messages", "channels", "links"])
        ),
    )
    audit_record(
        actor=actor,
        event="activity_merged_away",
        target=source,
        changes={"merged_into": [None, {"id": target.pk, "label": str(target)}]},
    )
    _tell_lead_office(
        target,
        title=_g("فعالیت «%(source)s» در فعالیت «%(title)s» ادغام شد")
        % {"source": source.title, "title": target.title},
        key=f"activity-merged-{source.pk}-{target.pk}",
        actor=actor,
    )
    return target


@transaction.atomic
def overlap_dismiss(*, actor: Person, first: Activity, second: Activity) -> OverlapDismissal:
    """Record that two activities the report paired are different work."""
    policy.require(actor, "activity.merge", first)
    policy.require(actor, "activity.merge", second)
    if first.pk == second.pk:
        raise ValidationError(_g("یک فعالیت با خودش هم‌پوشانی ندارد."))
    low, high = sorted((first, second), key=lambda activity: activity.pk)
    dismissal, created = OverlapDismissal.objects.get_or_create(
        first=low, second=high, defaults={"dismissed_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            event="overlap_dismissed",
            target=low,
            changes={"overlap": [str(high), None]},
        )
    return dismissal


# --- files -------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor: Person, activity: Activity, title: str, file: File[Any]
) -> ActivityAttachment:
    policy.require(actor, "activity.edit", activity)
    errors: dict[str, str] = {}
    try:
        validate_attachment(file)
    except ValidationError as error:
        errors["file"] = " ".join(error.messages)
    title = persian.normalize(title or "").strip() or persian.normalize(
        str(getattr(file, "name", "") or "")
    )
    if not title:
        errors["title"] = _g("عنوان پیوست را بنویسید.")
    if errors:
        raise ValidationError(errors)
    attachment = ActivityAttachment.objects.create(
        activity=activity, title=title[:200], file=file, uploaded_by=actor
    )
    audit_record(
        actor=actor,
        event="activity_file_added",
        target=activity,
        changes={"attachment": [None, attachment.title]},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Person, attachment: ActivityAttachment) -> None:
    """Remove a file added by mistake; the stored file goes once the row is gone."""
    activity = attachment.activity
    policy.require(actor, "activity.edit", activity)
    if activity.merged_into_id is not None:
        raise ValidationError(_g("این فعالیت در فعالیت دیگری ادغام شده و ویرایش‌پذیر نیست."))
    stored, storage, title = attachment.file.name, attachment.file.storage, attachment.title
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    audit_record(
        actor=actor,
        event="activity_file_removed",
        target=activity,
        changes={"attachment": [title, None]},
    )
