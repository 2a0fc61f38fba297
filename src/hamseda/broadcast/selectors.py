"""Reads of the broadcast app, scoped to the viewer by ``core.policy``: the
pitches of the viewer's province (the ministry centre and evaluators: every
province), the chair's review queue, the dispatches and their answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hamseda.broadcast.models import (
    BroadcasterContact,
    Dispatch,
    DispatchItem,
    Pitch,
    PitchFile,
    PitchStatus,
)
from hamseda.core import persian, policy
from hamseda.directory.models import Person


def _pitches(viewer: Person) -> QuerySet[Pitch]:
    return policy.scope_queryset(
        viewer,
        "broadcast.view",
        Pitch.objects.all(),
        province_field="office__agency__province_id",
        office_field="office_id",
    )


def _dispatches(viewer: Person) -> QuerySet[Dispatch]:
    return policy.scope_queryset(
        viewer,
        "broadcast.view",
        Dispatch.objects.all(),
        province_field="province_id",
        office_field=None,
    )


@dataclass(frozen=True)
class PitchFilters:
    status: str = ""
    format: str = ""
    office_id: int | None = None
    campaign_id: int | None = None
    province_id: int | None = None
    query: str = ""
    mine: bool = False  # only the viewer's office


def pitch_list(*, viewer: Person, filters: PitchFilters | None = None) -> QuerySet[Pitch]:
    """The pitches the viewer may see, filtered; drafts only of the viewer's
    own office (a draft is not shown to the province until it is submitted).
    The Persian search matches any spelling (``persian.query_terms``)."""
    filters = filters or PitchFilters()
    pitches = _pitches(viewer)
    if viewer.office_id is not None:
        pitches = pitches.filter(~Q(status=PitchStatus.DRAFT) | Q(office_id=viewer.office_id))
    else:
        pitches = pitches.exclude(status=PitchStatus.DRAFT)
    if filters.status:
        pitches = pitches.filter(status=filters.status)
    if filters.format:
        pitches = pitches.filter(format=filters.format)
    if filters.mine:
        pitches = pitches.filter(office_id=viewer.office_id or 0)
    if filters.office_id is not None:
        pitches = pitches.filter(office_id=filters.office_id)
    if filters.campaign_id is not None:
        pitches = pitches.filter(campaign_id=filters.campaign_id)
    if filters.province_id is not None:
        pitches = pitches.filter(office__agency__province_id=filters.province_id)
    for term in persian.query_terms(filters.query):
        pitches = pitches.filter(text_key__contains=term)
    return pitches.select_related("office__agency", "campaign", "dispatch_item__dispatch").order_by(
        "-created_at", "-pk"
    )


def pitch_get_for(*, viewer: Person, pitch_id: int) -> Pitch:
    """One pitch with its files and dispatch; Http404 when the viewer may not
    see it (someone else's draft included)."""
    pitch = (
        _pitches(viewer)
        .select_related(
            "office__agency__province",
            "campaign",
            "reviewed_by",
            "created_by",
            "dispatch_item__dispatch",
            "dispatch_item__answered_by",
        )
        .prefetch_related(Prefetch("files", queryset=PitchFile.objects.order_by("created_at")))
        .filter(pk=pitch_id)
        .first()
    )
    if pitch is None or (
        pitch.status == PitchStatus.DRAFT
        and pitch.office_id != viewer.office_id
        and policy.reach(viewer, "broadcast.pitch") != policy.Reach.ANY
    ):
        raise Http404("no such pitch")
    return pitch


def review_queue(*, viewer: Person) -> QuerySet[Pitch]:
    """Submitted pitches the viewer may review, oldest first (first come, first
    answered)."""
    if policy.reach(viewer, "broadcast.review") == policy.Reach.NONE:
        return Pitch.objects.none()
    pitches = policy.scope_queryset(
        viewer,
        "broadcast.review",
        Pitch.objects.filter(status=PitchStatus.SUBMITTED),
        province_field="office__agency__province_id",
        office_field="office_id",
    )
    return pitches.select_related("office__agency", "campaign").order_by("submitted_at", "pk")


def ready_to_dispatch(*, viewer: Person, province_id: int | None = None) -> QuerySet[Pitch]:
    """Approved pitches not dispatched yet that the viewer may dispatch."""
    pitches = policy.scope_queryset(
        viewer,
        "broadcast.dispatch",
        Pitch.objects.filter(status=PitchStatus.APPROVED),
        province_field="office__agency__province_id",
        office_field=None,
    )
    if province_id is not None:
        pitches = pitches.filter(office__agency__province_id=province_id)
    return pitches.select_related("office__agency", "campaign").order_by("approved_on", "pk")


def status_counts(*, viewer: Person) -> dict[str, int]:
    rows = pitch_list(viewer=viewer).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def dispatch_list(*, viewer: Person, query: str = "") -> QuerySet[Dispatch]:
    dispatches = _dispatches(viewer)
    for term in persian.query_terms(query):
        dispatches = dispatches.filter(text_key__contains=term)
    return (
        dispatches.select_related("province")
        .annotate(
            pitch_count=Count("items"),
            aired_count=Count("items", filter=Q(items__outcome="aired")),
        )
        .order_by("-date", "-serial")
    )


def dispatch_get_for(*, viewer: Person, dispatch_id: int) -> Dispatch:
    dispatch = (
        _dispatches(viewer)
        .select_related("province", "signer", "created_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DispatchItem.objects.select_related(
                    "pitch__office", "answered_by"
                ).order_by("position"),
            )
        )
        .filter(pk=dispatch_id)
        .first()
    )
    if dispatch is None:
        raise Http404("no such dispatch")
    return dispatch


def item_get_for(*, viewer: Person, dispatch_id: int, item_id: int) -> DispatchItem:
    item = (
        DispatchItem.objects.filter(dispatch__in=_dispatches(viewer))
        .select_related("dispatch", "pitch__office")
        .filter(pk=item_id, dispatch_id=dispatch_id)
        .first()
    )
    if item is None:
        raise Http404("no such dispatched pitch")
    return item


def file_get_for(*, viewer: Person, file_id: int) -> PitchFile:
    document = PitchFile.objects.select_related("pitch").filter(pk=file_id).first()
    if document is None:
        raise Http404("no such file")
    pitch_get_for(viewer=viewer, pitch_id=document.pitch_id)
    return document


def contact_for(province_id: int | None) -> BroadcasterContact | None:
    if province_id is None:
        return None
    return BroadcasterContact.objects.filter(province_id=province_id).first()


def programmes_of(province_id: int | None) -> list[Any]:
    contact = contact_for(province_id)
    return list(contact.programmes) if contact else []
