"""Reads of the directory, already scoped to the viewer by ``core.policy``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hamseda.core import persian, policy
from hamseda.directory.models import (
    Agency,
    Council,
    CouncilMembership,
    Office,
    Person,
    Province,
)


def _not_found() -> Http404:
    return Http404("not found")


def _require_view(viewer: Person) -> None:
    if policy.reach(viewer, "directory.view") == policy.Reach.NONE:
        raise _not_found()


def _match(queryset: QuerySet[Any], query: str, *fields: str) -> QuerySet[Any]:
    """Every word of ``query`` must occur in one of ``fields`` (compact search
    keys), whatever its spelling: ي/ی, ك/ک, half-space, space or joined."""
    for term in persian.query_terms(query):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__contains": term})
        queryset = queryset.filter(condition)
    return queryset


def province_list(*, viewer: Person) -> QuerySet[Province]:
    _require_view(viewer)
    return Province.objects.select_related("council").annotate(
        agency_count=Count("agencies", distinct=True)
    )


def province_get(*, viewer: Person, code: str) -> Province:
    _require_view(viewer)
    try:
        return Province.objects.select_related("council").get(code=code)
    except Province.DoesNotExist:
        raise _not_found() from None


@dataclass(frozen=True)
class AgencyFilters:
    query: str = ""
    province_id: int | None = None
    kind: str = ""
    national: bool = False
    include_inactive: bool = False


def agency_list(*, viewer: Person, filters: AgencyFilters | None = None) -> QuerySet[Agency]:
    _require_view(viewer)
    filters = filters or AgencyFilters()
    agencies = Agency.objects.select_related("province", "office", "parent")
    if not filters.include_inactive:
        agencies = agencies.filter(is_active=True)
    if filters.national:
        agencies = agencies.filter(province__isnull=True)
    elif filters.province_id:
        agencies = agencies.filter(province_id=filters.province_id)
    if filters.kind:
        agencies = agencies.filter(kind=filters.kind)
    if filters.query:
        matched = _match(Agency.objects.all(), filters.query, "name_key", "aliases__key")
        agencies = agencies.filter(pk__in=matched.values("pk"))
    return agencies.order_by("sort_key")


def agency_get(*, viewer: Person, agency_id: int) -> Agency:
    _require_view(viewer)
    try:
        return (
            Agency.objects.select_related("province", "office", "parent")
            .prefetch_related("aliases")
            .get(pk=agency_id)
        )
    except Agency.DoesNotExist:
        raise _not_found() from None


def office_list(
    *, viewer: Person, query: str = "", province_id: int | None = None
) -> QuerySet[Office]:
    _require_view(viewer)
    offices = Office.objects.select_related("agency__province").filter(is_active=True)
    if province_id:
        offices = offices.filter(agency__province_id=province_id)
    if query:
        offices = _match(offices, query, "name_key")
    return offices.order_by("sort_key")


def office_get(*, viewer: Person, office_id: int) -> Office:
    _require_view(viewer)
    try:
        return Office.objects.select_related("agency__province", "agency__parent").get(pk=office_id)
    except Office.DoesNotExist:
        raise _not_found() from None


def office_people(*, viewer: Person, office: Office) -> QuerySet[Person]:
    """The people of an office, or none if the viewer may not see people there."""
    if not policy.can(viewer, "person.view", office):
        return Person.objects.none()
    return Person.objects.filter(office=office, is_active=True).order_by("sort_key")


def _memberships() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=CouncilMembership.objects.select_related("office__agency").order_by(
            "position", "office__sort_key"
        ),
    )


def council_list(*, viewer: Person) -> QuerySet[Council]:
    _require_view(viewer)
    return (
        Council.objects.select_related("province", "secretary")
        .annotate(member_count=Count("memberships"))
        .prefetch_related(_memberships())
        .order_by("province__sort_key")
    )


def council_get(*, viewer: Person, council_id: int) -> Council:
    _require_view(viewer)
    try:
        return (
            Council.objects.select_related("province", "secretary__office")
            .prefetch_related(_memberships())
            .get(pk=council_id)
        )
    except Council.DoesNotExist:
        raise _not_found() from None


def council_of_user(*, viewer: Person) -> Council | None:
    if viewer.province_id is None:
        return None
    return Council.objects.filter(province_id=viewer.province_id).first()


@dataclass(frozen=True)
class PersonFilters:
    query: str = ""
    office_id: int | None = None
    province_id: int | None = None
    role: str = ""
    include_inactive: bool = False


def person_list(*, viewer: Person, filters: PersonFilters | None = None) -> QuerySet[Person]:
    filters = filters or PersonFilters()
    people = policy.scope_queryset(
        viewer,
        "person.view",
        Person.objects.select_related("office__agency__province"),
        province_field="office__agency__province_id",
        office_field="office_id",
    )
    if not filters.include_inactive:
        people = people.filter(is_active=True)
    if filters.office_id:
        people = people.filter(office_id=filters.office_id)
    if filters.province_id:
        people = people.filter(office__agency__province_id=filters.province_id)
    if filters.role:
        people = people.filter(role=filters.role)
    if filters.query:
        people = _match(people, filters.query, "name_key")
    return people.order_by("sort_key", "username")


def person_get(*, viewer: Person, person_id: int) -> Person:
    try:
        person = Person.objects.select_related("office__agency__province").get(pk=person_id)
    except Person.DoesNotExist:
        raise _not_found() from None
    if person.pk != viewer.pk and not policy.can(viewer, "person.view", person):
        raise _not_found()
    return person
