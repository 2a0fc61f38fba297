"""Writes of the directory: rules, audit rows, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.core.models import AuditEvent
from hamseda.core.policy import Role
from hamseda.directory import services
from hamseda.directory.models import Agency, AgencyKind, MembershipRole, Office, Person
from hamseda.directory.tests.factories import province

pytestmark = pytest.mark.django_db


def test_agency_create_makes_its_pr_office_and_an_audit_row(world):
    # when the Isfahan chair registers an agency
    agency = services.agency_create(
        actor=world.chair,
        name="اداره كل هواشناسي استان اصفهان",
        kind=AgencyKind.PROVINCIAL_DIRECTORATE,
        province=province("isfahan"),
        aliases=["هواشناسی اصفهان", "هواشناسي اصفهان", "  "],
    )
    # then the name is stored in Persian letters, the office exists, aliases dedupe
    assert agency.name == "اداره کل هواشناسی استان اصفهان"
    assert Office.objects.get(agency=agency).name == "روابط عمومی اداره کل هواشناسی استان اصفهان"
    assert list(agency.aliases.values_list("name", flat=True)) == ["هواشناسی اصفهان"]
    event = AuditEvent.objects.get(event="agency_created")
    assert event.actor == world.chair
    assert event.changes["name"] == [None, agency.name]
    assert event.province_id == agency.province_id


def test_agency_create_refuses_a_chair_outside_their_province(world):
    with pytest.raises(PermissionDenied):
        services.agency_create(
            actor=world.chair,
            name="اداره کل آزمایشی فارس",
            kind=AgencyKind.PROVINCIAL_DIRECTORATE,
            province=province("fars"),
        )
    assert not Agency.objects.filter(name="اداره کل آزمایشی فارس").exists()


def test_duplicate_agency_name_in_a_province_is_caught_whatever_the_spelling(world):
    # given the railway agency exists in Isfahan (written with a half-space)
    # when the same name is registered with a space and Arabic ي
    with pytest.raises(ValidationError) as error:
        services.agency_create(
            actor=world.chair,
            name="اداره کل راه آهن منطقه اصفهان",
            kind=AgencyKind.PROVINCIAL_DIRECTORATE,
            province=province("isfahan"),
        )
    # then it is refused on the name field
    assert "name" in error.value.message_dict


def test_agency_update_records_only_what_changed(world):
    agency = world.member_office.agency
    services.agency_update(
        actor=world.chair, agency=agency, short_name="راه‌آهن اصفهان", aliases=["راه‌آهن اصفهان"]
    )
    services.agency_update(actor=world.chair, agency=agency, short_name="راه‌آهن اصفهان")
    events = AuditEvent.objects.filter(event="agency_updated")
    assert events.count() == 1
    assert events.get().changes == {
        "aliases": [[], ["راه‌آهن اصفهان"]],
        "short_name": ["", "راه‌آهن اصفهان"],
    }


def test_moving_an_agency_needs_rights_over_the_destination(world):
    with pytest.raises(PermissionDenied):
        services.agency_update(
            actor=world.chair, agency=world.member_office.agency, province=province("fars")
        )
    services.agency_update(
        actor=world.ministry, agency=world.member_office.agency, province=province("fars")
    )
    assert Agency.objects.get(pk=world.member_office.agency_id).province.code == "fars"


def test_office_staff_edit_their_own_office_only(world):
    services.office_update(
        actor=world.member_staff, office=world.member_office, phone="031-3222 0000"
    )
    assert Office.objects.get(pk=world.member_office.pk).phone == "031-3222 0000"
    with pytest.raises(PermissionDenied):
        services.office_update(actor=world.member_staff, office=world.chair_office, phone="1")


def test_council_member_must_be_of_the_same_province_and_not_twice(world):
    with pytest.raises(ValidationError) as error:
        services.council_member_add(
            actor=world.chair,
            council=world.isfahan_council,
            office=world.fars_office,
            role=MembershipRole.MEMBER,
        )
    assert "office" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.council_member_add(
            actor=world.chair,
            council=world.isfahan_council,
            office=world.member_office,
            role=MembershipRole.MEMBER,
        )


def test_the_chair_membership_cannot_be_removed(world):
    chair_membership = world.isfahan_council.memberships.get(role=MembershipRole.CHAIR)
    with pytest.raises(ValidationError):
        services.council_member_remove(actor=world.ministry, membership=chair_membership)


def test_council_update_checks_the_secretary_province_and_audits(world):
    with pytest.raises(ValidationError) as error:
        services.council_update(
            actor=world.chair, council=world.isfahan_council, secretary=world.fars_chair
        )
    assert "secretary" in error.value.message_dict
    services.council_update(
        actor=world.chair,
        council=world.isfahan_council,
        secretary=world.secretary,
        established_on=dt.date(2025, 3, 21),
    )
    event = AuditEvent.objects.get(event="council_updated")
    assert event.changes["established_on"] == [None, "2025-03-21"]
    assert event.changes["secretary"][1]["id"] == world.secretary.pk


def test_secretary_cannot_edit_the_council_itself(world):
    with pytest.raises(PermissionDenied):
        services.council_update(actor=world.secretary, council=world.isfahan_council, name="x")


def test_person_create_validates_password_and_role(world):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=world.chair,
            username="new1",
            first_name="نیما",
            last_name="راد",
            office=world.member_office,
            role=Role.OFFICE_STAFF,
            password="123",
        )
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=world.chair,
            username="new2",
            first_name="نیما",
            last_name="راد",
            office=world.member_office,
            role=Role.MINISTRY_CENTRE,
            password="long-enough-1404",
        )
    assert "role" in error.value.message_dict
    person = services.person_create(
        actor=world.chair,
        username="۱۲۳new",
        first_name="نيما",
        last_name="راد",
        office=world.member_office,
        role=Role.OFFICE_STAFF,
        password="long-enough-1404",
    )
    assert person.username == "123new"
    assert person.first_name == "نیما"
    assert person.check_password("long-enough-1404")
    assert AuditEvent.objects.filter(event="person_created", target_id=str(person.pk)).exists()
    # the password is never written into the audit trail
    assert "password" not in AuditEvent.objects.get(event="person_created").changes


def test_ministry_role_only_for_ministry_centre_staff(world):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=world.admin,
            username="m2",
            first_name="الف",
            last_name="ب",
            office=world.chair_office,
            role=Role.MINISTRY_CENTRE,
            password="long-enough-1404",
        )
    person = services.person_create(
        actor=world.admin,
        username="m3",
        first_name="الف",
        last_name="ب",
        office=world.ministry_office,
        role=Role.MINISTRY_CENTRE,
        password="long-enough-1404",
    )
    assert person.role == Role.MINISTRY_CENTRE


def test_chair_cannot_demote_or_edit_people_of_a_higher_role(world):
    # the secretary may not touch the chair's role
    with pytest.raises(ValidationError):
        services.person_update(actor=world.secretary, person=world.chair, role=Role.OFFICE_STAFF)
    # nor may the chair move someone to another province
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.chair, person=world.member_staff, office=world.fars_office
        )


def test_deactivating_a_person_is_audited_and_not_allowed_on_oneself(world):
    services.person_set_active(actor=world.chair, person=world.member_staff, active=False)
    assert not Person.objects.get(pk=world.member_staff.pk).is_active
    assert AuditEvent.objects.filter(event="person_deactivated").count() == 1
    with pytest.raises(ValidationError):
        services.person_set_active(actor=world.chair, person=world.chair, active=False)


def test_a_failed_service_leaves_no_audit_row(world):
    # given a write that fails validation half-way (the duplicate alias check runs
    # after the agency row is saved)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.agency_update(
            actor=world.chair, agency=world.member_office.agency, website="not a url"
        )
    # then nothing was recorded
    assert AuditEvent.objects.count() == before
