"""Writes of a campaign's quantitative targets: add, edit, remove, and record
the figure of a MANUAL target."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _g

from hamseda.activities.models import ActivityKind
from hamseda.campaigns.models import Campaign, Target, TargetMetric
from hamseda.campaigns.services.common import clean_text, lock, renumber
from hamseda.core import policy
from hamseda.core.audit import audit_record, diff
from hamseda.directory.models import Person


def clean_target(
    *,
    label: str,
    metric: str,
    target_value: int | None,
    activity_kind: str = "",
    baseline_value: int | None = None,
) -> dict[str, Any]:
    """A target's fields, checked and normalised (also used by
    ``campaigns.seasons`` for the targets it copies)."""
    label = clean_text(label)
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _g("عنوان هدف را بنویسید؛ مثلاً «انتشار خبر».")
    elif len(label) > 200:
        errors["label"] = _g("عنوان هدف حداکثر ۲۰۰ نویسه است.")
    if metric not in TargetMetric.values:
        errors["metric"] = _g("شیوه شمارش هدف را انتخاب کنید.")
    if metric == TargetMetric.KIND:
        if activity_kind not in ActivityKind.values:
            errors["activity_kind"] = _g("برای این شیوه شمارش، نوع فعالیت را انتخاب کنید.")
    else:
        activity_kind = ""
    if target_value is None or target_value < 1:
        errors["target_value"] = _g("مقدار هدف باید عددی بزرگ‌تر از صفر باشد.")
    if baseline_value is not None and baseline_value < 0:
        errors["baseline_value"] = _g("مبنا نمی‌تواند منفی باشد.")
    if errors:
        raise ValidationError(errors)
    return {
        "label": label,
        "metric": metric,
        "activity_kind": activity_kind,
        "target_value": target_value,
        "baseline_value": baseline_value,
    }


def target_state(target: Target) -> dict[str, Any]:
    """A target as the history shows it: Persian words for its choices."""
    return {
        "target_label": target.label,
        "target_metric": str(TargetMetric(target.metric).label) if target.metric else "",
        "target_activity_kind": (
            str(ActivityKind(target.activity_kind).label) if target.activity_kind else ""
        ),
        "target_value": target.target_value,
        "target_baseline": target.baseline_value,
    }


@transaction.atomic
def target_add(
    *,
    actor: Person,
    campaign: Campaign,
    label: str,
    metric: str,
    target_value: int,
    activity_kind: str = "",
    baseline_value: int | None = None,
) -> Target:
    """Add a quantitative target at the end of the list. A KIND target counts
    the done activities of one ``activities.ActivityKind``; a MANUAL one holds a
    figure the co-owners record with ``target_record``."""
    policy.require(actor, "campaign.manage", campaign)
    lock(campaign)
    fields = clean_target(
        label=label,
        metric=metric,
        target_value=target_value,
        activity_kind=activity_kind,
        baseline_value=baseline_value,
    )
    top = campaign.targets.aggregate(top=Max("position"))["top"] or 0
    target = Target(campaign=campaign, position=top + 1, **fields)
    target.full_clean()
    target.save()
    audit_record(
        actor=actor,
        event="target_added",
        target=campaign,
        changes=diff({}, target_state(target)),
    )
    return target


@transaction.atomic
def target_edit(
    *,
    actor: Person,
    target: Target,
    label: str,
    metric: str,
    target_value: int,
    activity_kind: str = "",
    baseline_value: int | None = None,
) -> Target:
    """Replace a target's definition. A target that stops being MANUAL drops
    its recorded figure (it is counted from activities from now on)."""
    campaign = target.campaign
    policy.require(actor, "campaign.manage", campaign)
    before = target_state(target)
    fields = clean_target(
        label=label,
        metric=metric,
        target_value=target_value,
        activity_kind=activity_kind,
        baseline_value=baseline_value,
    )
    for name, value in fields.items():
        setattr(target, name, value)
    if target.metric != TargetMetric.MANUAL and target.manual_value is not None:
        before["target_manual_value"] = target.manual_value
        target.manual_value = None
    target.full_clean()
    target.save()
    after = {**target_state(target), "target_manual_value": target.manual_value}
    changes = diff(before, after)
    if changes:
        changes.setdefault("target_label", [None, target.label])
        audit_record(actor=actor, event="target_edited", target=campaign, changes=changes)
    return target


@transaction.atomic
def target_remove(*, actor: Person, target: Target) -> None:
    campaign = target.campaign
    policy.require(actor, "campaign.manage", campaign)
    lock(campaign)
    before = target_state(target)
    target.delete()
    renumber(list(campaign.targets.order_by("position", "pk")))
    audit_record(actor=actor, event="target_removed", target=campaign, changes=diff(before, {}))


@transaction.atomic
def target_record(*, actor: Person, target: Target, value: int) -> Target:
    """Record the figure of a MANUAL target (travellers informed, billboards
    put up): the value so far, replacing the previous one."""
    campaign = target.campaign
    policy.require(actor, "campaign.manage", campaign)
    if target.metric != TargetMetric.MANUAL:
        raise ValidationError(
            {
                "value": _g(
                    "مقدار این هدف از روی فعالیت‌های انجام‌شده پویش شمرده می‌شود و ثبت دستی ندارد."
                )
            }
        )
    if value is None or value < 0:
        raise ValidationError({"value": _g("مقدار باید عددی صفر یا بزرگ‌تر باشد.")})
    old = target.manual_value
    target.manual_value = value
    target.save(update_fields=["manual_value", "updated_at"])
    if old != value:
        audit_record(
            actor=actor,
            event="target_recorded",
            target=campaign,
            changes={"target": [None, target.label], "target_manual_value": [old, value]},
        )
    return target
