"""Cycles and their catalogue: create (with the default catalogue or a copy of
an earlier cycle's), edit while a draft, freeze when scoring starts, open the
window for objections, close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import audit, indicators, jalali, persian, policy
from hamseda.core.notifications import notify
from hamseda.evaluation import catalogue
from hamseda.evaluation.models import (
    LEVELS,
    Criterion,
    CriterionKind,
    Cycle,
    CycleStatus,
    Normalisation,
)
from hamseda.evaluation.services.compute import (
    ComputeReport,
    cycle_recompute,
    evaluated_offices,
)

# The scope of a record not tied to any province (a cycle, its catalogue).
NATIONAL = policy.Scope(province_id=None, office_id=None)

CRITERION_FIELDS = (
    "code",
    "kind",
    "name",
    "description",
    "weight",
    "position",
    "provider",
    "normalisation",
    "target",
    "rubric",
)

audit.register_events(
    {
        "cycle_created": _("دوره ارزیابی ایجاد شد"),
        "criterion_added": _("شاخص به فهرست افزوده شد"),
        "criterion_changed": _("شاخص ویرایش شد"),
        "criterion_removed": _("شاخص از فهرست حذف شد"),
        "cycle_frozen": _("فهرست شاخص‌ها قطعی شد و ارزیابی آغاز شد"),
        "cycle_tiers_changed": _("سطح‌بندی دوره تغییر کرد"),
        "cycle_appeals_opened": _("مهلت اعتراض اعلام شد"),
        "cycle_closed": _("رتبه‌بندی دوره نهایی شد"),
        "cycle_recomputed": _("شاخص‌های کمی دوباره محاسبه شد"),
    }
)


def default_title(year: int, quarter: int) -> str:
    if not quarter:
        return _("ارزیابی روابط عمومی‌ها — سال {year}").format(year=persian.fa_digits(year))
    names = {1: _("بهار"), 2: _("تابستان"), 3: _("پاییز"), 4: _("زمستان")}
    return _("ارزیابی روابط عمومی‌ها — {season} {year}").format(
        season=names[quarter], year=persian.fa_digits(year)
    )


@transaction.atomic
def cycle_create(
    *,
    actor: Any,
    year: int,
    quarter: int = 0,
    title: str = "",
    copy_from: Cycle | None = None,
) -> Cycle:
    """A draft cycle with the catalogue of ``copy_from`` or the default one."""
    policy.require(actor, "evaluation.manage", NATIONAL)
    if Cycle.objects.filter(year=year, quarter=quarter).exists():
        raise ValidationError(_("برای این دوره پیش‌تر ارزیابی تعریف شده است."))
    cycle = Cycle(
        year=year,
        quarter=quarter,
        title=persian.normalize(title) or default_title(year, quarter),
        tiers=[{"min": t["min"], "label": str(t["label"])} for t in catalogue.DEFAULT_TIERS],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if copy_from is not None:
        cycle.tiers = list(copy_from.tiers)
    cycle.full_clean()
    cycle.save()
    if copy_from is not None:
        rows = [
            Criterion(cycle=cycle, **{name: getattr(c, name) for name in CRITERION_FIELDS})
            for c in copy_from.criteria.all()
        ]
    else:
        rows = [
            Criterion(
                cycle=cycle,
                code=line.code,
                kind=CriterionKind.QUALITATIVE if line.rubric else CriterionKind.QUANTITATIVE,
                name=str(line.name),
                description=str(line.description),
                weight=Decimal(line.weight),
                position=position,
                provider=line.provider,
                normalisation=line.normalisation,
                target=line.target,
                rubric=[str(level) for level in line.rubric],
            )
            for position, line in enumerate(catalogue.DEFAULT, start=1)
        ]
    Criterion.objects.bulk_create(rows)
    audit.audit_record(actor=actor, event="cycle_created", target=cycle)
    return cycle


def _require_draft(cycle: Cycle) -> None:
    if cycle.is_frozen:
        raise ValidationError(
            _("فهرست شاخص‌های این دوره از آغاز ارزیابی قطعی شده و دیگر تغییر نمی‌کند.")
        )


def _clean_criterion(criterion: Criterion) -> None:
    criterion.name = persian.normalize(criterion.name)
    criterion.description = persian.normalize(criterion.description)
    criterion.code = persian.en_digits(criterion.code.strip()).upper()
    errors: dict[str, list[str]] = {}
    if criterion.kind == CriterionKind.QUANTITATIVE:
        criterion.rubric = []
        if not criterion.provider:
            errors.setdefault("provider", []).append(_("شاخص کمی باید از یک محاسبه خوانده شود."))
        if criterion.normalisation not in Normalisation.values:
            errors.setdefault("normalisation", []).append(_("روش هنجارسازی را برگزینید."))
        if criterion.normalisation == Normalisation.TARGET and (
            criterion.target is None or criterion.target <= 0
        ):
            errors.setdefault("target", []).append(
                _("برای سنجش نسبت به هدف، هدفی بزرگ‌تر از صفر بنویسید.")
            )
    else:
        criterion.provider = ""
        criterion.normalisation = ""
        criterion.target = None
        rubric = [persian.normalize(str(level)) for level in criterion.rubric or []]
        if len(rubric) != len(LEVELS) or not all(rubric):
            errors.setdefault("rubric", []).append(
                _("شاخص کیفی باید شرح هر پنج سطح ۱ تا ۵ را داشته باشد.")
            )
        criterion.rubric = rubric
    if errors:
        raise ValidationError(errors)
    criterion.full_clean()


@transaction.atomic
def criterion_save(*, actor: Any, criterion: Criterion) -> Criterion:
    """Add or change one line of a draft cycle's catalogue. The weights need not
    sum to 100 until the catalogue is frozen."""
    policy.require(actor, "evaluation.manage", NATIONAL)
    cycle = Cycle.objects.select_for_update().get(pk=criterion.cycle_id)
    _require_draft(cycle)
    before = {}
    if criterion.pk:
        before = audit.snapshot(Criterion.objects.get(pk=criterion.pk), CRITERION_FIELDS)
    _clean_criterion(criterion)
    criterion.save()
    if before:
        changes = audit.diff(before, audit.snapshot(criterion, CRITERION_FIELDS))
        audit.audit_record(actor=actor, event="criterion_changed", target=cycle, changes=changes)
    else:
        audit.audit_record(
            actor=actor,
            event="criterion_added",
            target=cycle,
            changes={"criterion": [None, str(criterion)]},
        )
    return criterion


@transaction.atomic
def criterion_remove(*, actor: Any, criterion: Criterion) -> None:
    policy.require(actor, "evaluation.manage", NATIONAL)
    cycle = Cycle.objects.select_for_update().get(pk=criterion.cycle_id)
    _require_draft(cycle)
    label = str(criterion)
    criterion.delete()
    audit.audit_record(
        actor=actor, event="criterion_removed", target=cycle, changes={"criterion": [label, None]}
    )


def catalogue_problems(cycle: Cycle) -> list[str]:
    """What stops the catalogue from being frozen, in Persian; [] when it is sound."""
    criteria = list(cycle.criteria.all())
    problems: list[str] = []
    if not criteria:
        problems.append(_("فهرست شاخص‌ها خالی است."))
        return problems
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != Decimal(100):
        problems.append(
            _("جمع وزن شاخص‌ها باید ۱۰۰ باشد؛ اکنون {total} است.").format(
                total=persian.format_number(int(total) if total == int(total) else float(total))
            )
        )
    for criterion in criteria:
        try:
            _clean_criterion(criterion)
        except ValidationError as error:
            for message in error.messages:
                problems.append(f"{criterion.code}: {message}")
    return problems


@transaction.atomic
def cycle_tiers_set(*, actor: Any, cycle: Cycle, tiers: list[dict[str, Any]]) -> Cycle:
    """Tier thresholds (label, minimum total): any time; the ranking is redone."""
    policy.require(actor, "evaluation.manage", cycle)
    cleaned: list[dict[str, Any]] = []
    for tier in tiers:
        label = persian.normalize(str(tier.get("label", "")))
        try:
            low = float(persian.en_digits(str(tier.get("min", ""))))
        except ValueError:
            raise ValidationError(_("کمینه هر سطح باید عدد باشد.")) from None
        if not label or not 0 <= low <= 100:
            raise ValidationError(_("هر سطح نامی دارد و کمینه‌ای میان ۰ و ۱۰۰."))
        cleaned.append({"min": low, "label": label})
    cleaned.sort(key=lambda t: -float(t["min"]))
    if len({t["min"] for t in cleaned}) != len(cleaned):
        raise ValidationError(_("دو سطح با یک کمینه نمی‌شود."))
    before = list(cycle.tiers)
    cycle.tiers = cleaned
    cycle.save(update_fields=["tiers", "updated_at"])
    audit.audit_record(
        actor=actor, event="cycle_tiers_changed", target=cycle, changes={"tiers": [before, cleaned]}
    )
    from hamseda.evaluation.services.compute import cycle_rank

    if cycle.status == CycleStatus.CLOSED:
        # A final ranking is not recomputed (today's councils may differ from
        # the cycle's): only the tier names of its stored totals change.
        from hamseda.evaluation.models import ProvinceResult, Result

        offices = list(Result.objects.filter(cycle=cycle))
        for office in offices:
            office.tier = cycle.tier_of(office.total)
        Result.objects.bulk_update(offices, ["tier"])
        provinces = list(ProvinceResult.objects.filter(cycle=cycle))
        for province in provinces:
            province.tier = cycle.tier_of(province.total)
        ProvinceResult.objects.bulk_update(provinces, ["tier"])
    elif cycle.is_frozen:
        cycle_rank(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_start_scoring(*, actor: Any, cycle: Cycle) -> Cycle:
    """Freeze the catalogue (one more version) and compute the first ranking."""
    policy.require(actor, "evaluation.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _require_draft(cycle)
    problems = catalogue_problems(cycle)
    if problems:
        raise ValidationError(problems)
    cycle.status = CycleStatus.SCORING
    cycle.catalogue_version += 1
    cycle.frozen_at = timezone.now()
    cycle.save(update_fields=["status", "catalogue_version", "frozen_at", "updated_at"])
    audit.audit_record(
        actor=actor,
        event="cycle_frozen",
        target=cycle,
        changes={"catalogue_version": [cycle.catalogue_version - 1, cycle.catalogue_version]},
    )
    cycle_recompute(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_refresh(*, actor: Any, cycle: Cycle) -> ComputeReport:
    """Re-read the quantitative criteria and re-rank now (the "recompute" button;
    the nightly task does the same without an actor)."""
    policy.require(actor, "evaluation.manage", cycle)
    if cycle.status in (CycleStatus.DRAFT, CycleStatus.CLOSED):
        raise ValidationError(
            _("تنها دوره‌ای که ارزیابی آن آغاز شده و هنوز نهایی نشده دوباره محاسبه می‌شود.")
        )
    report = cycle_recompute(cycle=cycle)
    audit.audit_record(
        actor=actor,
        event="cycle_recomputed",
        target=cycle,
        changes={"missing": [None, sorted(report.missing)]} if report.missing else None,
    )
    return report


@transaction.atomic
def cycle_open_appeals(
    *, actor: Any, cycle: Cycle, appeals_from: dt.date | None = None, days: int = 14
) -> Cycle:
    """Publish the provisional ranking and let offices object until
    ``appeals_from + days - 1``; every evaluated office is told."""
    policy.require(actor, "evaluation.manage", cycle)
    if cycle.status not in (CycleStatus.SCORING, CycleStatus.APPEALS):
        raise ValidationError(_("مهلت اعتراض تنها برای دوره در حال ارزیابی اعلام می‌شود."))
    if not 1 <= days <= 90:
        raise ValidationError(_("مهلت اعتراض باید میان ۱ تا ۹۰ روز باشد."))
    start = appeals_from or jalali.today()
    cycle.status = CycleStatus.APPEALS
    cycle.appeals_from = start
    cycle.appeals_until = start + dt.timedelta(days=days - 1)
    cycle.save(update_fields=["status", "appeals_from", "appeals_until", "updated_at"])
    audit.audit_record(
        actor=actor,
        event="cycle_appeals_opened",
        target=cycle,
        changes={"appeals_until": [None, cycle.appeals_until.isoformat()]},
    )
    from hamseda.directory.models import Person

    recipients = Person.objects.filter(
        is_active=True,
        office__in=evaluated_offices().values("pk"),
        role__in=["council_chair", "office_staff"],
    )
    notify(
        recipients=recipients,
        title=_("رتبه‌بندی «{cycle}» اعلام شد؛ مهلت اعتراض تا {date}").format(
            cycle=cycle.title, date=jalali.format_date(cycle.appeals_until, "long")
        ),
        dedupe_key=f"evaluation:appeals:{cycle.pk}:{cycle.appeals_until.isoformat()}",
        url=cycle.get_absolute_url(),
    )
    return cycle


@transaction.atomic
def cycle_close(*, actor: Any, cycle: Cycle) -> Cycle:
    """Make the ranking final. Objections still open must be answered first."""
    policy.require(actor, "evaluation.manage", cycle)
    if cycle.status == CycleStatus.DRAFT:
        raise ValidationError(_("دوره‌ای که ارزیابی آن آغاز نشده نهایی نمی‌شود."))
    if cycle.appeals.filter(status="open").exists():
        raise ValidationError(_("پیش از نهایی کردن، به همه اعتراض‌ها پاسخ دهید."))
    from hamseda.evaluation.services.compute import cycle_rank

    cycle_rank(cycle=cycle)
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at", "updated_at"])
    audit.audit_record(actor=actor, event="cycle_closed", target=cycle)
    return cycle


def provider_choices() -> list[tuple[str, str]]:
    """Registered indicators, for the catalogue form."""
    return sorted(
        ((code, f"{ind.name} ({code})") for code, ind in indicators.REGISTRY.items()),
        key=lambda item: item[0],
    )
