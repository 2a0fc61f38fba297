"""Evaluators, their ratings, offices' self-assessments and the evidence behind
both. Every saved rating re-ranks the cycle (``compute.cycle_rank``: a fixed
handful of queries), so the ranking on screen is never stale."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamseda.core import attachments, audit, persian, policy
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Person
from hamseda.evaluation.models import (
    LEVELS,
    Assignment,
    Criterion,
    Cycle,
    CycleStatus,
    EvidenceLink,
    Rating,
    SelfAssessment,
)
from hamseda.evaluation.services.compute import cycle_rank, evaluated_offices

audit.register_events(
    {
        "evaluator_assigned": _("ارزیاب تعیین شد"),
        "evaluator_unassigned": _("ارزیاب برداشته شد"),
        "rating_saved": _("امتیاز کیفی ثبت شد"),
        "self_assessment_saved": _("خوداظهاری ثبت شد"),
    }
)


# The cycles waiting for one ranking at the end of ``one_ranking`` (None: rank
# after every rating).
_PENDING: ContextVar[set[int] | None] = ContextVar("evaluation_pending_ranking", default=None)


@contextlib.contextmanager
def one_ranking() -> Iterator[None]:
    """Save several ratings and rank once at the end, as the rating form does
    for all the criteria of an office. Nothing is ranked when the block fails
    (its transaction is rolled back anyway)."""
    pending: set[int] = set()
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    for cycle in Cycle.objects.filter(pk__in=pending):
        cycle_rank(cycle=cycle)


def _rank(cycle: Cycle) -> None:
    pending = _PENDING.get()
    if pending is None:
        cycle_rank(cycle=cycle)
    else:
        pending.add(cycle.pk)


@dataclass(frozen=True)
class EvidenceInput:
    """A link to a record in Hamseda (a path such as ``/followups/12/``) or an
    uploaded file, with its title."""

    label: str
    url: str = ""
    file: Any = None


def _require_scoring(cycle: Cycle) -> None:
    if cycle.status not in (CycleStatus.SCORING, CycleStatus.APPEALS):
        raise ValidationError(
            _("امتیازدهی تنها در دوره‌ای ممکن است که ارزیابی آن آغاز شده و هنوز نهایی نشده است.")
        )


def _require_evaluated(office: Office) -> None:
    if not evaluated_offices().filter(pk=office.pk).exists():
        raise ValidationError(_("این روابط عمومی عضو شورای استانی نیست و ارزیابی نمی‌شود."))


def own_province(evaluator: Any, office: Office) -> bool:
    province_id = getattr(evaluator, "province_id", None)
    return province_id is not None and province_id == office.agency.province_id


@transaction.atomic
def assignments_add(
    *, actor: Any, cycle: Cycle, evaluator: Person, offices: Iterable[Office]
) -> list[Assignment]:
    """Appoint ``evaluator`` to rate ``offices`` in ``cycle``; offices of the
    evaluator's own province are refused."""
    policy.require(actor, "evaluation.manage", cycle)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("این دوره نهایی شده است."))
    if evaluator.effective_role not in (Role.EVALUATOR, Role.MINISTRY_CENTRE) or not (
        evaluator.is_active
    ):
        raise ValidationError(_("تنها ارزیابان و کارشناسان مرکز ارتباطات ارزیابی می‌کنند."))
    offices = list(offices)
    if not offices:
        raise ValidationError(_("دست‌کم یک روابط عمومی برای ارزیابی برگزینید."))
    own = [office for office in offices if own_province(evaluator, office)]
    if own:
        raise ValidationError(
            _("ارزیاب روابط عمومی‌های استان خود را ارزیابی نمی‌کند: {offices}").format(
                offices="، ".join(office.name for office in own)
            )
        )
    evaluated = set(evaluated_offices().values_list("pk", flat=True))
    outside = [office for office in offices if office.pk not in evaluated]
    if outside:
        raise ValidationError(
            _("این روابط عمومی‌ها ارزیابی نمی‌شوند: {offices}").format(
                offices="، ".join(office.name for office in outside)
            )
        )
    existing = set(
        Assignment.objects.filter(cycle=cycle, evaluator=evaluator).values_list(
            "office_id", flat=True
        )
    )
    created = []
    for office in offices:
        if office.pk in existing:
            continue
        assignment = Assignment.objects.create(cycle=cycle, evaluator=evaluator, office=office)
        audit.audit_record(
            actor=actor,
            event="evaluator_assigned",
            target=assignment.office,
            changes={"evaluator": [None, evaluator.display_name]},
        )
        created.append(assignment)
    return created


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: Assignment) -> None:
    policy.require(actor, "evaluation.manage", assignment.cycle)
    if Rating.objects.filter(
        criterion__cycle=assignment.cycle_id,
        office=assignment.office_id,
        evaluator=assignment.evaluator_id,
    ).exists():
        raise ValidationError(
            _("این ارزیاب امتیاز داده است؛ برداشتن او امتیازها را بی‌پشتوانه می‌کند.")
        )
    audit.audit_record(
        actor=actor,
        event="evaluator_unassigned",
        target=assignment.office,
        changes={"evaluator": [assignment.evaluator.display_name, None]},
    )
    assignment.delete()


def may_rate(actor: Any, cycle: Cycle, office: Office) -> bool:
    """Whether ``actor`` may rate ``office`` in ``cycle``: the ministry centre
    any office; an evaluator the offices they are assigned to, never of their
    own province."""
    if not policy.can(actor, "evaluation.rate", office):
        return False
    if own_province(actor, office):
        return False
    if actor.effective_role == Role.EVALUATOR:
        return Assignment.objects.filter(cycle=cycle, evaluator=actor, office=office).exists()
    return True


def _clean_level(level: Any) -> int:
    try:
        number = int(persian.en_digits(str(level)))
    except (TypeError, ValueError):
        number = 0
    if number not in LEVELS:
        raise ValidationError({"level": [_("سطح باید یکی از ۱ تا ۵ باشد.")]})
    return number


def _qualitative(criterion: Criterion) -> None:
    if criterion.is_quantitative:
        raise ValidationError(
            _("شاخص «{name}» کمی است و از داده‌ها محاسبه می‌شود؛ امتیاز دستی نمی‌گیرد.").format(
                name=criterion.name
            )
        )


def _evidence(items: Sequence[EvidenceInput], **owner: Any) -> None:
    for item in items:
        label = persian.normalize(item.label)[:200]
        url = item.url.strip()
        if item.file is None and not url:
            continue
        if url and (not url.startswith("/") or url.startswith("//")):
            raise ValidationError(
                {
                    "evidence": [
                        _("پیوند مستند باید نشانی صفحه‌ای در همصدا باشد، مانند ‎/followups/12/")
                    ]
                }
            )
        if item.file is not None:
            attachments.validate_attachment(item.file)
        link = EvidenceLink(
            label=label or (getattr(item.file, "name", "") or url)[:200],
            url=url,
            **owner,
        )
        if item.file is not None:
            link.file = item.file
        link.save()


@transaction.atomic
def rating_save(
    *,
    actor: Any,
    criterion: Criterion,
    office: Office,
    level: Any,
    comment: str = "",
    evidence: Sequence[EvidenceInput] = (),
) -> Rating:
    """Record (or change) ``actor``'s level for one qualitative criterion of
    ``office``, then re-rank."""
    cycle = Cycle.objects.select_for_update().get(pk=criterion.cycle_id)
    _require_scoring(cycle)
    _qualitative(criterion)
    if own_province(actor, office):
        raise PermissionDenied(_("ارزیاب روابط عمومی‌های استان خود را ارزیابی نمی‌کند."))
    if not may_rate(actor, cycle, office):
        raise PermissionDenied(_("شما ارزیاب این روابط عمومی در این دوره نیستید."))
    _require_evaluated(office)
    number = _clean_level(level)
    rating = Rating.objects.filter(criterion=criterion, office=office, evaluator=actor).first()
    before = audit.snapshot(rating, ["level", "comment"]) if rating else {}
    if rating is None:
        rating = Rating(criterion=criterion, office=office, evaluator=actor)
    rating.level = number
    rating.comment = persian.normalize(comment)
    rating.full_clean()
    rating.save()
    _evidence(evidence, rating=rating)
    changes = audit.diff(before, audit.snapshot(rating, ["level", "comment"]))
    changes = {f"{criterion.code} {name}": pair for name, pair in changes.items()}
    audit.audit_record(actor=actor, event="rating_saved", target=office, changes=changes)
    _rank(cycle)
    return rating


@transaction.atomic
def self_assessment_save(
    *,
    actor: Any,
    criterion: Criterion,
    office: Office,
    level: Any,
    comment: str = "",
    evidence: Sequence[EvidenceInput] = (),
) -> SelfAssessment:
    """What the office says of itself; evaluators see it before they rate. It is
    accepted until the appeals window (it does not count in the score)."""
    policy.require(actor, "evaluation.self_assess", office)
    cycle = criterion.cycle
    if cycle.status != CycleStatus.SCORING:
        raise ValidationError(_("خوداظهاری تنها تا پیش از اعلام رتبه‌بندی پذیرفته می‌شود."))
    _qualitative(criterion)
    _require_evaluated(office)
    number = _clean_level(level)
    item = SelfAssessment.objects.filter(criterion=criterion, office=office).first()
    before = audit.snapshot(item, ["level", "comment"]) if item else {}
    if item is None:
        item = SelfAssessment(criterion=criterion, office=office)
    item.level = number
    item.comment = persian.normalize(comment)
    item.submitted_by = actor
    item.full_clean()
    item.save()
    _evidence(evidence, self_assessment=item)
    changes = audit.diff(before, audit.snapshot(item, ["level", "comment"]))
    changes = {f"{criterion.code} {name}": pair for name, pair in changes.items()}
    audit.audit_record(actor=actor, event="self_assessment_saved", target=office, changes=changes)
    return item


@transaction.atomic
def evidence_remove(*, actor: Any, link: EvidenceLink) -> None:
    """The author of a rating or self-assessment removes one of its links."""
    owner_office = (link.rating or link.self_assessment).office  # type: ignore[union-attr]
    if link.rating is not None:
        if link.rating.evaluator_id != actor.pk:
            raise PermissionDenied(_("تنها ارزیاب همین امتیاز مستند آن را برمی‌دارد."))
    else:
        policy.require(actor, "evaluation.self_assess", owner_office)
    if link.file:
        link.file.delete(save=False)
    link.delete()
