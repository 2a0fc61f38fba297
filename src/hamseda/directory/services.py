"""Writes to the directory. The HTML views and the API call these and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.core.policy import Role, Scope
from hamseda.directory.models import (
    Agency,
    AgencyAlias,
    AgencyKind,
    Council,
    CouncilMembership,
    MembershipRole,
    Office,
    Person,
    Province,
)

register_events(
    {
        "agency_created": _("دستگاه ثبت شد"),
        "agency_updated": _("مشخصات دستگاه ویرایش شد"),
        "office_updated": _("مشخصات روابط عمومی ویرایش شد"),
        "council_created": _("شورا تشکیل شد"),
        "council_updated": _("مشخصات شورا ویرایش شد"),
        "council_member_added": _("عضو به شورا افزوده شد"),
        "council_member_removed": _("عضو از شورا حذف شد"),
        "person_created": _("کاربر ایجاد شد"),
        "person_updated": _("مشخصات کاربر ویرایش شد"),
        "person_activated": _("کاربر فعال شد"),
        "person_deactivated": _("کاربر غیرفعال شد"),
    },
    fields={
        "aliases": _("نام‌های دیگر"),
        "members": _("اعضای شورا"),
        "chair": _("روابط عمومی رئیس شورا"),
    },
)

AGENCY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "province",
    "parent",
    "website",
    "description",
    "is_active",
)
OFFICE_FIELDS = ("name", "email", "phone", "address", "is_active")
COUNCIL_FIELDS = ("name", "secretary", "established_on", "description")
PERSON_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "office",
    "role",
    "is_active",
)


def _clean_text(value: Any) -> Any:
    return persian.normalize(value) if isinstance(value, str) else value


def _office_name(agency_name: str) -> str:
    return _g("روابط عمومی %(agency)s") % {"agency": agency_name}


def _set_aliases(agency: Agency, aliases: Iterable[str]) -> list[str]:
    wanted: dict[str, str] = {}
    for alias in aliases:
        name = persian.normalize(alias)
        key = persian.compact_key(name)
        if key and key != agency.name_key and key not in wanted:
            wanted[key] = name
    agency.aliases.exclude(key__in=wanted).delete()
    existing = set(agency.aliases.values_list("key", flat=True))
    for key, name in wanted.items():
        if key not in existing:
            AgencyAlias(agency=agency, name=name).save()
    return sorted(wanted.values())


def _check_unique_agency(agency: Agency) -> None:
    clash = Agency.objects.filter(
        province=agency.province, name_key=persian.compact_key(agency.search_text())
    ).exclude(pk=agency.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _g("دستگاهی با همین نام در این استان ثبت شده است.")}, code="unique"
        )


@transaction.atomic
def agency_create(
    *,
    actor: Person,
    name: str,
    kind: str,
    province: Province | None,
    short_name: str = "",
    parent: Agency | None = None,
    website: str = "",
    description: str = "",
    aliases: Iterable[str] = (),
    office_email: str = "",
    office_phone: str = "",
) -> Agency:
    """Register an agency together with its PR office (every agency has one)."""
    policy.require(actor, "agency.create", Scope(province.pk if province else None, None))
    agency = Agency(
        name=_clean_text(name),
        short_name=_clean_text(short_name),
        kind=kind,
        province=province,
        parent=parent,
        website=website,
        description=_clean_text(description),
    )
    agency.full_clean(exclude=["name_key", "sort_key"])
    _check_unique_agency(agency)
    agency.save()
    office = Office(
        agency=agency, name=_office_name(agency.name), email=office_email, phone=office_phone
    )
    office.full_clean(exclude=["name_key", "sort_key"])
    office.save()
    alias_names = _set_aliases(agency, aliases)
    audit_record(
        actor=actor,
        event="agency_created",
        target=agency,
        changes=diff({}, {**snapshot(agency, AGENCY_FIELDS), "aliases": alias_names}),
    )
    return agency


@transaction.atomic
def agency_update(
    *, actor: Person, agency: Agency, aliases: Iterable[str] | None = None, **fields: Any
) -> Agency:
    policy.require(actor, "agency.edit", agency)
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"agency_update got unknown fields: {sorted(unknown)}")
    if "province" in fields and fields["province"] != agency.province:
        # Moving an agency to another province needs the right over both.
        target = fields["province"]
        policy.require(actor, "agency.edit", Scope(target.pk if target else None, None))
    before = {
        **snapshot(agency, AGENCY_FIELDS),
        "aliases": sorted(agency.aliases.values_list("name", flat=True)),
    }
    for name, value in fields.items():
        setattr(agency, name, _clean_text(value))
    if agency.parent_id is not None and agency.parent_id == agency.pk:
        raise ValidationError({"parent": _g("دستگاه نمی‌تواند بالادست خودش باشد.")})
    agency.full_clean(exclude=["name_key", "sort_key"])
    _check_unique_agency(agency)
    agency.save()
    alias_names = before["aliases"] if aliases is None else _set_aliases(agency, aliases)
    after = {**snapshot(agency, AGENCY_FIELDS), "aliases": alias_names}
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, event="agency_updated", target=agency, changes=changes)
    return agency


@transaction.atomic
def office_update(*, actor: Person, office: Office, **fields: Any) -> Office:
    policy.require(actor, "office.edit", office)
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"office_update got unknown fields: {sorted(unknown)}")
    before = snapshot(office, OFFICE_FIELDS)
    for name, value in fields.items():
        setattr(office, name, _clean_text(value))
    office.full_clean(exclude=["name_key", "sort_key"])
    office.save()
    changes = diff(before, snapshot(office, OFFICE_FIELDS))
    if changes:
        audit_record(actor=actor, event="office_updated", target=office, changes=changes)
    return office


def _check_secretary(council: Council, secretary: Person | None) -> None:
    if secretary is not None and secretary.province_id != council.province_id:
        raise ValidationError(
            {"secretary": _g("دبیر شورا باید از کارکنان روابط عمومی‌های همین استان باشد.")}
        )


@transaction.atomic
def council_create(
    *,
    actor: Person,
    province: Province,
    chair_office: Office,
    name: str = "",
    established_on: dt.date | None = None,
    description: str = "",
) -> Council:
    """Set up a province's council with its chair office as the first member."""
    policy.require(actor, "council.edit", Scope(province.pk, None))
    if Council.objects.filter(province=province).exists():
        raise ValidationError({"province": _g("این استان شورای هماهنگی دارد.")})
    if chair_office.province_id != province.pk:
        raise ValidationError({"chair_office": _g("روابط عمومی رئیس باید از همین استان باشد.")})
    council = Council(
        province=province,
        name=_clean_text(name)
        or _g("شورای هماهنگی روابط عمومی‌های استان %(province)s") % {"province": province.name},
        established_on=established_on,
        description=_clean_text(description),
    )
    council.full_clean()
    council.save()
    CouncilMembership.objects.create(
        council=council, office=chair_office, role=MembershipRole.CHAIR, position=1
    )
    audit_record(
        actor=actor,
        event="council_created",
        target=council,
        changes=diff({}, {**snapshot(council, COUNCIL_FIELDS), "chair": chair_office.name}),
    )
    return council


@transaction.atomic
def council_update(*, actor: Person, council: Council, **fields: Any) -> Council:
    policy.require(actor, "council.edit", council)
    unknown = set(fields) - set(COUNCIL_FIELDS)
    if unknown:
        raise TypeError(f"council_update got unknown fields: {sorted(unknown)}")
    before = snapshot(council, COUNCIL_FIELDS)
    for name, value in fields.items():
        setattr(council, name, _clean_text(value))
    _check_secretary(council, council.secretary)
    council.full_clean()
    council.save()
    changes = diff(before, snapshot(council, COUNCIL_FIELDS))
    if changes:
        audit_record(actor=actor, event="council_updated", target=council, changes=changes)
    return council


@transaction.atomic
def council_member_add(
    *, actor: Person, council: Council, office: Office, role: str, position: int = 100
) -> CouncilMembership:
    policy.require(actor, "council.manage_members", council)
    if role == MembershipRole.CHAIR:
        raise ValidationError({"role": _g("رئیس شورا هنگام تشکیل شورا تعیین می‌شود.")})
    if office.province_id != council.province_id:
        raise ValidationError({"office": _g("فقط روابط عمومی‌های همین استان عضو شورا می‌شوند.")})
    if council.memberships.filter(office=office).exists():
        raise ValidationError({"office": _g("این روابط عمومی پیش‌تر عضو شورا شده است.")})
    membership = CouncilMembership(council=council, office=office, role=role, position=position)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        event="council_member_added",
        target=council,
        changes={"members": [None, f"{office.name} ({membership.get_role_display()})"]},
    )
    return membership


@transaction.atomic
def council_member_remove(*, actor: Person, membership: CouncilMembership) -> None:
    council = membership.council
    policy.require(actor, "council.manage_members", council)
    if membership.role == MembershipRole.CHAIR:
        raise ValidationError(_g("روابط عمومی رئیس شورا را نمی‌توان حذف کرد."))
    label = f"{membership.office.name} ({membership.get_role_display()})"
    membership.delete()
    audit_record(
        actor=actor,
        event="council_member_removed",
        target=council,
        changes={"members": [label, None]},
    )


def _check_role(actor: Person, role: str, office: Office | None) -> None:
    if role not in policy.assignable_roles(actor):
        raise ValidationError({"role": _g("شما اجازه دادن این نقش را ندارید.")})
    if office is None and role != Role.ADMIN:
        raise ValidationError({"office": _g("روابط عمومی محل خدمت را انتخاب کنید.")})
    if (
        office is not None
        and role == Role.MINISTRY_CENTRE
        and (office.agency.kind != AgencyKind.MINISTRY_CENTRE)
    ):
        raise ValidationError(
            {"role": _g("نقش مرکز ارتباطات وزارت فقط برای کارکنان همان مرکز است.")}
        )


def _person_scope(office: Office | None) -> Scope:
    if office is None:
        return Scope(None, None)
    return Scope(office.province_id, office.pk)


@transaction.atomic
def person_create(
    *,
    actor: Person,
    username: str,
    first_name: str,
    last_name: str,
    office: Office | None,
    role: str,
    password: str,
    email: str = "",
    phone: str = "",
    job_title: str = "",
) -> Person:
    policy.require(actor, "person.create", _person_scope(office))
    _check_role(actor, role, office)
    person = Person(
        username=persian.en_digits(username.strip()),
        first_name=first_name,
        last_name=last_name,
        office=office,
        role=role,
        email=email,
        phone=persian.en_digits(phone),
        job_title=job_title,
    )
    person.full_clean(exclude=["password", "name_key", "sort_key"])
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    person.set_password(password)
    person.save()
    audit_record(
        actor=actor,
        event="person_created",
        target=person,
        changes=diff({}, snapshot(person, PERSON_FIELDS)),
    )
    return person


@transaction.atomic
def person_update(*, actor: Person, person: Person, **fields: Any) -> Person:
    policy.require(actor, "person.edit", person)
    unknown = set(fields) - (set(PERSON_FIELDS) - {"is_active"})
    if unknown:
        raise TypeError(f"person_update got unknown fields: {sorted(unknown)}")
    new_office = fields.get("office", person.office)
    new_role = fields.get("role", person.role)
    if new_office != person.office:
        policy.require(actor, "person.edit", _person_scope(new_office))
    if new_role != person.role or new_office != person.office:
        _check_role(actor, new_role, new_office)
        if person.role not in policy.assignable_roles(actor):
            raise ValidationError({"role": _g("شما اجازه تغییر نقش این کاربر را ندارید.")})
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        if name in {"username", "phone"} and isinstance(value, str):
            value = persian.en_digits(value.strip())
        setattr(person, name, value)
    person.full_clean(exclude=["password", "name_key", "sort_key"])
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        audit_record(actor=actor, event="person_updated", target=person, changes=changes)
    return person


@transaction.atomic
def person_set_active(*, actor: Person, person: Person, active: bool) -> Person:
    policy.require(actor, "person.deactivate", person)
    if person.pk == actor.pk and not active:
        raise ValidationError(_g("نمی‌توانید حساب خودتان را غیرفعال کنید."))
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event="person_activated" if active else "person_deactivated",
        target=person,
        changes={"is_active": [not active, active]},
    )
    return person
