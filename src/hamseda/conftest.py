"""Personas shared by every app's tests: Isfahan's council (chair office, a fellow
member office, the governorate as partner), an office in Fars, the ministry centre."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hamseda.core.policy import Role
from hamseda.directory.models import AgencyKind, Council, MembershipRole, Office, Person
from hamseda.directory.tests.factories import (
    AgencyFactory,
    CouncilFactory,
    OfficeFactory,
    PersonFactory,
    membership,
    province,
)

PASSWORD = "pass-1404-word"


@dataclass
class World:
    isfahan_council: Council
    fars_council: Council
    chair_office: Office  # Isfahan Roads and Urban Development
    member_office: Office  # Isfahan railway
    partner_office: Office  # Isfahan governorate
    fars_office: Office
    ministry_office: Office
    chair: Person
    secretary: Person
    staff: Person  # staff of the chair's office
    member_staff: Person  # staff of the member office
    partner: Person
    evaluator: Person  # works in Fars
    fars_chair: Person
    ministry: Person
    admin: Person


def _office(name: str, kind: str, province_code: str | None) -> Office:
    agency = AgencyFactory(
        name=name, kind=kind, province=province(province_code) if province_code else None
    )
    return OfficeFactory(agency=agency, name=f"روابط عمومی {name}")


@pytest.fixture
def world(db) -> World:
    chair_office = _office(
        "اداره کل راه و شهرسازی استان اصفهان", AgencyKind.PROVINCIAL_DIRECTORATE, "isfahan"
    )
    member_office = _office(
        "اداره کل راه‌آهن منطقه اصفهان", AgencyKind.PROVINCIAL_DIRECTORATE, "isfahan"
    )
    partner_office = _office("استانداری اصفهان", AgencyKind.GOVERNORATE, "isfahan")
    fars_office = _office(
        "اداره کل راه و شهرسازی استان فارس", AgencyKind.PROVINCIAL_DIRECTORATE, "fars"
    )
    ministry_office = _office(
        "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی", AgencyKind.MINISTRY_CENTRE, None
    )
    isfahan = CouncilFactory(province=province("isfahan"))
    membership(isfahan, chair_office, MembershipRole.CHAIR)
    membership(isfahan, member_office, MembershipRole.MEMBER)
    membership(isfahan, partner_office, MembershipRole.PARTNER)
    fars = CouncilFactory(province=province("fars"))
    membership(fars, fars_office, MembershipRole.CHAIR)
    admin = PersonFactory(
        username="root", office=None, role=Role.ADMIN, is_superuser=True, is_staff=True
    )
    return World(
        isfahan_council=isfahan,
        fars_council=fars,
        chair_office=chair_office,
        member_office=member_office,
        partner_office=partner_office,
        fars_office=fars_office,
        ministry_office=ministry_office,
        chair=PersonFactory(username="chair", office=chair_office, role=Role.COUNCIL_CHAIR),
        secretary=PersonFactory(
            username="secretary", office=chair_office, role=Role.COUNCIL_SECRETARY
        ),
        staff=PersonFactory(username="staff", office=chair_office, role=Role.OFFICE_STAFF),
        member_staff=PersonFactory(username="rail", office=member_office, role=Role.OFFICE_STAFF),
        partner=PersonFactory(username="partner", office=partner_office, role=Role.PARTNER),
        evaluator=PersonFactory(username="evaluator", office=fars_office, role=Role.EVALUATOR),
        fars_chair=PersonFactory(
            username="fars-chair", office=fars_office, role=Role.COUNCIL_CHAIR
        ),
        ministry=PersonFactory(
            username="ministry", office=ministry_office, role=Role.MINISTRY_CENTRE
        ),
        admin=admin,
    )


@pytest.fixture
def login(client):
    """``login(person)`` signs the test client in as that person."""

    def sign_in(person: Person):
        client.force_login(person)
        return client

    return sign_in
