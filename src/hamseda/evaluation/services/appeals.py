"""Objections: an office objects to its score within the cycle's window; the
ministry centre answers. An upheld objection may correct a value or a level
(an ``Adjustment``, audited with before and after); the cycle is re-ranked and
the objection keeps the office's total and rank before and after."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import audit, jalali, persian, policy
from hamseda.core.notifications import notify
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Person
from hamseda.evaluation.models import (
    LEVELS,
    Adjustment,
    Appeal,
    AppealStatus,
    Criterion,
    Cycle,
    CycleStatus,
    Result,
)
from hamseda.evaluation.services.compute import cycle_rank

audit.register_events(
    {
        "appeal_filed": _("اعتراض به امتیاز ثبت شد"),
        "appeal_answered": _("به اعتراض پاسخ داده شد"),
        "score_adjusted": _("امتیاز اصلاح شد"),
    }
)


def _standing(cycle: Cycle, office: Office) -> tuple[float | None, int | None]:
    result = Result.objects.filter(cycle=cycle, office=office).values_list("total", "rank").first()
    return (result[0], result[1]) if result else (None, None)


@transaction.atomic
def appeal_file(
    *, actor: Any, cycle: Cycle, office: Office, text: str, criterion: Criterion | None = None
) -> Appeal:
    policy.require(actor, "evaluation.appeal", office)
    if not cycle.appeals_open_on(jalali.today()):
        if cycle.appeals_until is not None and jalali.today() > cycle.appeals_until:
            raise ValidationError(
                _("مهلت اعتراض این دوره در {date} به پایان رسیده است.").format(
                    date=jalali.format_date(cycle.appeals_until, "long")
                )
            )
        raise ValidationError(_("مهلت اعتراض این دوره هنوز اعلام نشده است."))
    if criterion is not None and criterion.cycle_id != cycle.pk:
        raise ValidationError(_("این شاخص از این دوره نیست."))
    text = persian.normalize(text)
    if len(text) < 10:
        raise ValidationError({"text": [_("بنویسید به چه و چرا اعتراض دارید.")]})
    total, rank = _standing(cycle, office)
    appeal = Appeal(
        cycle=cycle,
        office=office,
        criterion=criterion,
        text=text,
        filed_by=actor,
        total_before=total,
        rank_before=rank,
    )
    appeal.full_clean()
    appeal.save()
    audit.audit_record(
        actor=actor,
        event="appeal_filed",
        target=appeal,
        changes={"criterion": [None, str(criterion) if criterion else _("کل امتیاز")]},
    )
    notify(
        recipients=Person.objects.filter(is_active=True, role=Role.MINISTRY_CENTRE),
        title=_("اعتراض تازه به امتیاز: {office}").format(office=office.name),
        body=text[:500],
        dedupe_key=f"evaluation:appeal:{appeal.pk}",
        url=appeal.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def appeal_answer(
    *,
    actor: Any,
    appeal: Appeal,
    upheld: bool,
    answer: str,
    value: float | None = None,
    level: int | None = None,
) -> Appeal:
    """Answer an open objection. When it is upheld on a criterion, ``value``
    (quantitative) or ``level`` (qualitative) corrects the score."""
    policy.require(actor, "evaluation.answer", appeal)
    # Lock the objection row alone (PostgreSQL cannot lock the nullable side of
    # the criterion join); of two answers at once, the second is refused.
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("cycle", "criterion")
        .get(pk=appeal.pk)
    )
    if appeal.status != AppealStatus.OPEN:
        raise ValidationError(_("به این اعتراض پیش‌تر پاسخ داده شده است."))
    if appeal.cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("این دوره نهایی شده است."))
    answer = persian.normalize(answer)
    if not answer:
        raise ValidationError({"answer": [_("پاسخ را بنویسید.")]})
    criterion = appeal.criterion
    correcting = value is not None or level is not None
    if correcting and not upheld:
        raise ValidationError(_("امتیاز تنها با پذیرش اعتراض اصلاح می‌شود."))
    if correcting:
        if criterion is None:
            raise ValidationError(_("برای اصلاح امتیاز، اعتراض باید درباره یک شاخص باشد."))
        if criterion.is_quantitative and (value is None or level is not None):
            raise ValidationError({"value": [_("مقدار درست این شاخص کمی را بنویسید.")]})
        if not criterion.is_quantitative and (level is None or value is not None):
            raise ValidationError({"level": [_("سطح درست این شاخص کیفی را برگزینید.")]})
        if level is not None and level not in LEVELS:
            raise ValidationError({"level": [_("سطح باید یکی از ۱ تا ۵ باشد.")]})
        if value is not None and value < 0:
            raise ValidationError({"value": [_("مقدار نمی‌تواند منفی باشد.")]})
        _adjust(actor=actor, appeal=appeal, criterion=criterion, value=value, level=level)
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.answer = answer
    appeal.answered_by = actor
    appeal.answered_at = timezone.now()
    cycle_rank(cycle=appeal.cycle)
    appeal.total_after, appeal.rank_after = _standing(appeal.cycle, appeal.office)
    appeal.save()
    audit.audit_record(
        actor=actor,
        event="appeal_answered",
        target=appeal,
        changes={
            "status": [str(AppealStatus.OPEN.label), str(appeal.get_status_display())],
            "total": [appeal.total_before, appeal.total_after],
            "rank": [appeal.rank_before, appeal.rank_after],
        },
    )
    recipients = [appeal.filed_by] if appeal.filed_by else []
    notify(
        recipients=recipients,
        title=_("پاسخ اعتراض شما: {status}").format(status=appeal.get_status_display()),
        body=answer[:500],
        dedupe_key=f"evaluation:appeal-answer:{appeal.pk}",
        url=appeal.get_absolute_url(),
    )
    return appeal


def _adjust(
    *,
    actor: Any,
    appeal: Appeal,
    criterion: Criterion,
    value: float | None,
    level: int | None,
) -> Adjustment:
    adjustment = Adjustment.objects.filter(criterion=criterion, office=appeal.office).first()
    before: dict[str, Any] = (
        {"value": adjustment.value, "level": adjustment.level} if adjustment else {}
    )
    if adjustment is None:
        adjustment = Adjustment(criterion=criterion, office=appeal.office)
        before = _current(criterion, appeal)
    adjustment.value = value
    adjustment.level = level
    adjustment.reason = appeal.text
    adjustment.appeal = appeal
    adjustment.created_by = actor
    adjustment.full_clean()
    adjustment.save()
    after = {"value": value, "level": level}
    audit.audit_record(
        actor=actor,
        event="score_adjusted",
        target=appeal.office,
        changes={
            f"{criterion.code} {name}": [before.get(name), after[name]]
            for name in ("value", "level")
            if before.get(name) != after[name]
        },
    )
    return adjustment


def _current(criterion: Criterion, appeal: Appeal) -> dict[str, Any]:
    """What the engine used before the correction."""
    result = Result.objects.filter(cycle=appeal.cycle, office=appeal.office).first()
    item = (result.items if result else {}).get(criterion.code, {})
    return {"value": item.get("value"), "level": item.get("level")}
