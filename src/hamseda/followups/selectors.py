"""Reads of follow-ups, scoped to the viewer by ``core.policy``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian, policy
from hamseda.directory.models import Council, Office, Person
from hamseda.followups.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Referral,
)


def followup_open_for_agenda(*, council: Council, before: dt.datetime) -> list[FollowUp]:
    """The council's follow-ups still open when a meeting starts, oldest first,
    each with ``days_open`` set and its referral (with the ministry's latest
    reply) loaded: the automatic first item of every agenda."""
    followups: QuerySet[FollowUp] = (
        FollowUp.objects.filter(council=council, status__in=OPEN_STATUSES, created_at__lt=before)
        .select_related("resolution__meeting", "referral", "council")
        .prefetch_related("offices")
        .order_by("created_at", "pk")
    )
    result = list(followups)
    # Days open as of the meeting once it has started; before, as of today.
    as_of = jalali.local_date(min(before, timezone.now()))
    for followup in result:
        opened = jalali.local_date(followup.created_at)
        followup.days_open = (as_of - opened).days  # type: ignore[attr-defined]
    return result


# --- lists, board, detail ---------------------------------------------------------


class State(models.TextChoices):
    """What a follow-up shows on lists and the board: its status, except that an
    open or in-progress follow-up past its due date is *overdue*. Computed in
    SQL (``_with_state``), never stored."""

    OPEN = "open", _("باز")
    IN_PROGRESS = "in_progress", _("در حال انجام")
    OVERDUE = "overdue", _("عقب‌افتاده")
    DONE = "done", _("انجام‌شده")
    CANCELLED = "cancelled", _("لغوشده")


BOARD_COLUMNS = (State.OPEN, State.IN_PROGRESS, State.OVERDUE, State.DONE)


def _state_q(state: str, today: dt.date) -> Q:
    """The condition for one ``State``, on the stored columns: the one definition
    of "overdue", used both to filter (so the database can use the
    ``council, status, due_date`` index) and to annotate (``_with_state``)."""
    late = Q(due_date__lt=today)
    if state == State.OVERDUE:
        return Q(status__in=OPEN_STATUSES) & late
    if state in (State.OPEN, State.IN_PROGRESS):
        return Q(status=state) & ~late
    return Q(status=state)


def _with_state(queryset: QuerySet[FollowUp], today: dt.date) -> QuerySet[FollowUp]:
    overdue = _state_q(State.OVERDUE, today)
    return queryset.annotate(
        is_overdue=Case(
            When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        state=Case(
            When(overdue, then=Value(State.OVERDUE.value)),
            default=F("status"),
            output_field=models.CharField(),
        ),
    )


def _scoped(viewer: Person) -> QuerySet[FollowUp]:
    return policy.scope_queryset(
        viewer,
        "meeting.view",
        FollowUp.objects.all(),
        province_field="council__province_id",
        office_field=None,
    )


def _offices() -> Prefetch[Any]:
    return Prefetch("offices", queryset=Office.objects.order_by("sort_key"))


@dataclass(frozen=True)
class FollowUpFilters:
    office_id: int | None = None
    state: str = ""  # a ``State`` value
    council_id: int | None = None  # offered to the ministry centre only; others see one
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    referral: bool | None = None


def followup_list(
    *, viewer: Person, filters: FollowUpFilters | None = None, today: dt.date | None = None
) -> QuerySet[FollowUp]:
    """The follow-ups ``viewer`` may see, filtered, each annotated with ``state``
    and ``is_overdue``; soonest due first (no due date last). The page of a list
    costs one query and one for the offices, however long the list."""
    filters = filters or FollowUpFilters()
    today = today or jalali.today()
    followups = _with_state(_scoped(viewer), today)
    if filters.office_id:
        followups = followups.filter(offices=filters.office_id)
    if filters.state in State.values:
        followups = followups.filter(_state_q(filters.state, today))
    if filters.council_id:
        followups = followups.filter(council_id=filters.council_id)
    if filters.due_from:
        followups = followups.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        followups = followups.filter(due_date__lte=filters.due_to)
    if filters.referral is not None:
        followups = followups.filter(is_referral=filters.referral)
    return (
        followups.select_related("resolution__meeting", "council__province", "referral")
        .prefetch_related(_offices())
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


@dataclass
class BoardColumn:
    state: str
    label: str
    cards: list[FollowUp]
    total: int


def followup_board(
    *,
    viewer: Person,
    filters: FollowUpFilters | None = None,
    today: dt.date | None = None,
    per_column: int = 40,
) -> list[BoardColumn]:
    """The board: open, in progress, overdue and done, each with at most
    ``per_column`` cards (overdue: the longest overdue first; done: the latest
    closed first) and its full count. Nine queries whatever the data."""
    filters = filters or FollowUpFilters()
    today = today or jalali.today()
    base = followup_list(viewer=viewer, filters=replace(filters, state=""), today=today)
    totals = base.order_by().aggregate(
        **{
            state.value: Count("pk", filter=_state_q(state, today), distinct=True)
            for state in BOARD_COLUMNS
        }
    )
    wanted = [State(filters.state)] if filters.state in BOARD_COLUMNS else list(BOARD_COLUMNS)
    columns = []
    for state in wanted:
        cards = base.filter(_state_q(state, today))
        if state == State.DONE:
            cards = cards.order_by("-closed_at", "-pk")
        columns.append(
            BoardColumn(
                state=state.value,
                label=str(state.label),
                cards=followup_days_overdue(list(cards[:per_column]), today),
                total=totals[state.value],
            )
        )
    return columns


def followup_days_overdue(
    followups: list[FollowUp], today: dt.date | None = None
) -> list[FollowUp]:
    """Set ``days_overdue`` (0 unless overdue) on each follow-up, for display."""
    today = today or jalali.today()
    for followup in followups:
        overdue = getattr(followup, "is_overdue", None)
        if overdue is None:
            overdue = followup.status in OPEN_STATUSES and bool(
                followup.due_date and followup.due_date < today
            )
        followup.days_overdue = (  # type: ignore[attr-defined]
            (today - followup.due_date).days if overdue and followup.due_date else 0
        )
    return followups


def followup_get(*, viewer: Person, followup_id: int, today: dt.date | None = None) -> FollowUp:
    """One follow-up ``viewer`` may see (Http404 otherwise: a follow-up of
    another province does not exist for a council's people)."""
    today = today or jalali.today()
    try:
        followup = (
            _with_state(_scoped(viewer), today)
            .select_related(
                "resolution__meeting",
                "council__province",
                "council__secretary",
                "referral__assignee",
                "referral__replied_by",
            )
            .prefetch_related(_offices())
            .get(pk=followup_id)
        )
    except FollowUp.DoesNotExist:
        raise Http404("not found") from None
    followup_days_overdue([followup], today)
    return followup


def followup_history(*, viewer: Person, followup: FollowUp) -> list[FollowUpUpdate]:
    """The updates of a follow-up ``viewer`` got through ``followup_get``, oldest
    first, each with ``filename`` (the evidence's base name, or "")."""
    if not policy.can(viewer, "meeting.view", followup):
        return []
    updates = list(followup.updates.select_related("author__office").order_by("created_at", "pk"))
    for update in updates:
        name = (update.attachment.name or "") if update.attachment else ""
        update.filename = os.path.basename(name)  # type: ignore[attr-defined]
    return updates


def attachment_get(*, viewer: Person, update_id: int) -> FollowUpUpdate:
    """An update with evidence, if ``viewer`` may see its follow-up; Http404
    otherwise, so a guessed id reveals nothing."""
    update = (
        FollowUpUpdate.objects.filter(pk=update_id, followup__in=_scoped(viewer))
        .exclude(attachment="")
        .select_related("followup")
        .first()
    )
    if update is None:
        raise Http404("not found")
    return update


# --- the ministry inbox ------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFilters:
    province_id: int | None = None
    answered: bool | None = None
    department: str = ""
    assignee_id: int | None = None


def referral_inbox(*, viewer: Person, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """Every referred item ``viewer`` may answer (the ministry centre: every
    province), unanswered first, the oldest first: the item waiting longest
    leads. Referrals of cancelled follow-ups are left out. Raises PermissionDenied for anyone who
    answers no referral."""
    if policy.reach(viewer, "referral.answer") == policy.Reach.NONE:
        raise PermissionDenied
    filters = filters or ReferralFilters()
    referrals = policy.scope_queryset(
        viewer,
        "referral.answer",
        Referral.objects.all(),
        province_field="followup__council__province_id",
        office_field=None,
    ).exclude(followup__status=FollowUpStatus.CANCELLED)
    if filters.province_id:
        referrals = referrals.filter(followup__council__province_id=filters.province_id)
    if filters.answered is True:
        referrals = referrals.filter(replied_at__isnull=False)
    elif filters.answered is False:
        referrals = referrals.filter(replied_at__isnull=True)
    if filters.department:
        referrals = referrals.filter(department=filters.department)
    if filters.assignee_id:
        referrals = referrals.filter(assignee_id=filters.assignee_id)
    return (
        referrals.select_related(
            "followup__resolution__meeting",
            "followup__council__province",
            "assignee",
        )
        .prefetch_related(
            Prefetch("followup__offices", queryset=Office.objects.order_by("sort_key"))
        )
        .annotate(answered=Case(When(replied_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("answered", "created_at", "pk")
    )


def referral_departments() -> list[str]:
    """The ministry departments referrals were given to so far (for the filter)."""
    return sorted(
        set(Referral.objects.exclude(department="").values_list("department", flat=True)),
        key=persian.sort_key,
    )


def referral_get(*, viewer: Person, referral_id: int) -> Referral:
    if policy.reach(viewer, "referral.answer") == policy.Reach.NONE:
        raise PermissionDenied
    try:
        return (
            policy.scope_queryset(
                viewer,
                "referral.answer",
                Referral.objects.all(),
                province_field="followup__council__province_id",
                office_field=None,
            )
            .select_related(
                "followup__resolution__meeting",
                "followup__council__province",
                "assignee",
                "replied_by",
            )
            .prefetch_related(
                Prefetch("followup__offices", queryset=Office.objects.order_by("sort_key"))
            )
            .get(pk=referral_id)
        )
    except Referral.DoesNotExist:
        raise Http404("not found") from None
