"""Factories of directory records for tests (factory_boy)."""

from __future__ import annotations

import factory

from hamseda.core.persian import fa_digits
from hamseda.core.policy import Role
from hamseda.directory.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilMembership,
    MembershipRole,
    Office,
    Person,
    Province,
)


def province(code: str = "isfahan") -> Province:
    """Provinces come from the data migration; tests look them up."""
    return Province.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"اداره کل آزمایشی شماره {n}")
    kind = AgencyKind.PROVINCIAL_DIRECTORATE
    province = factory.LazyFunction(lambda: province("isfahan"))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    agency = factory.SubFactory(AgencyFactory)
    name = factory.LazyAttribute(lambda o: f"روابط عمومی {o.agency.name}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "سارا"
    last_name = factory.Sequence(lambda n: f"آزمون{fa_digits(n)}")
    office = factory.SubFactory(OfficeFactory)
    role = Role.OFFICE_STAFF
    password = factory.PostGenerationMethodCall("set_password", "pass-1404-word")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    province = factory.LazyFunction(lambda: province("isfahan"))
    name = factory.LazyAttribute(lambda c: f"شورای هماهنگی روابط عمومی‌های استان {c.province.name}")


def membership(
    council: Council, office: Office, role: str = MembershipRole.MEMBER
) -> CouncilMembership:
    return CouncilMembership.objects.create(council=council, office=office, role=role)
