"""National-scale generated directory for benchmarks (``hamseda generate``).

Every province gets the agencies a ministry typically has there, a council, and
a handful of people per office. Rows go in with bulk_create, so the keys that
``save()`` would derive are filled in by hand (``fill_keys``)."""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth.hashers import make_password
from faker import Faker

from hamseda.core import persian
from hamseda.core.policy import Role
from hamseda.core.registry import generator
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

# (name template, kind, council role); {p} is the province's name.
TEMPLATES = [
    ("اداره کل راه و شهرسازی استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE, MembershipRole.CHAIR),
    (
        "اداره کل راهداری و حمل و نقل جاده‌ای استان {p}",
        AgencyKind.PROVINCIAL_DIRECTORATE,
        MembershipRole.MEMBER,
    ),
    ("اداره کل راه‌آهن منطقه {p}", AgencyKind.PROVINCIAL_DIRECTORATE, MembershipRole.MEMBER),
    ("اداره کل فرودگاه‌های استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE, MembershipRole.MEMBER),
    ("اداره کل هواشناسی استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE, MembershipRole.MEMBER),
    (
        "اداره کل بنادر و دریانوردی استان {p}",
        AgencyKind.PROVINCIAL_DIRECTORATE,
        MembershipRole.MEMBER,
    ),
    (
        "مجری طرح‌های زیربنایی حمل و نقل استان {p}",
        AgencyKind.SUBSIDIARY_COMPANY,
        MembershipRole.MEMBER,
    ),
    ("استانداری {p}", AgencyKind.GOVERNORATE, MembershipRole.PARTNER),
    ("بنیاد مسکن انقلاب اسلامی استان {p}", AgencyKind.PARTNER_AGENCY, MembershipRole.PARTNER),
    ("سازمان نظام مهندسی ساختمان استان {p}", AgencyKind.PARTNER_AGENCY, MembershipRole.PARTNER),
    ("صدا و سیمای مرکز {p}", AgencyKind.BROADCASTER, MembershipRole.BROADCASTER),
]
NEW_TOWNS = [
    "پردیس",
    "هشتگرد",
    "سهند",
    "گلبهار",
    "بینالود",
    "صدرا",
    "عالیشهر",
    "امیرکبیر",
    "رامین",
    "علوی",
    "شیرین‌شهر",
    "مهستان",
    "سپاهان‌شهر",
    "آفتاب",
    "تیس",
]


def _ministry_centre(faker: Faker, password: str) -> list[Person]:
    """The national ministry centre and a few of its staff, once."""
    if Agency.objects.filter(kind=AgencyKind.MINISTRY_CENTRE).exists():
        return []
    agency = Agency(
        name="مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی", kind=AgencyKind.MINISTRY_CENTRE
    )
    agency.save()
    office = Office(agency=agency, name=f"روابط عمومی {agency.name}")
    office.save()
    staff = []
    for n in range(3):
        person = Person(
            username=f"gen-ministry-{n}",
            first_name=persian.normalize(faker.first_name()),
            last_name=persian.normalize(faker.last_name()),
            office=office,
            role=Role.MINISTRY_CENTRE,
            password=password,
            job_title="کارشناس ارزیابی روابط عمومی‌ها",
        )
        person.fill_keys()
        staff.append(person)
    return staff


@generator("hamseda.directory")
def generate_directory(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    faker = Faker("fa_IR")
    faker.seed_instance(rng.randrange(1 << 30))
    password = make_password("hamseda-generated")
    chosen = list(Province.objects.order_by("pk")[:provinces])
    taken = set(Council.objects.values_list("province_id", flat=True))
    targets = [p for p in chosen if p.pk not in taken]
    agencies: list[Agency] = []
    roles: dict[int, str] = {}
    for province in targets:
        towns = rng.sample(NEW_TOWNS, rng.randint(0, 3))
        specs = [(t.format(p=province.name), k, r) for t, k, r in TEMPLATES]
        specs += [
            (f"شرکت عمران شهر جدید {town}", AgencyKind.SUBSIDIARY_COMPANY, MembershipRole.MEMBER)
            for town in towns
        ]
        for name, kind, role in specs:
            agency = Agency(name=name, kind=kind, province=province)
            agency.fill_keys()
            agencies.append(agency)
            roles[id(agency)] = role
    Agency.objects.bulk_create(agencies, batch_size=500)
    offices = []
    for agency in agencies:
        office = Office(
            agency=agency, name=f"روابط عمومی {agency.name}", email=f"pr{agency.pk}@example.ir"
        )
        office.fill_keys()
        offices.append(office)
    Office.objects.bulk_create(offices, batch_size=500)
    councils = Council.objects.bulk_create(
        [Council(province=p, name=f"شورای هماهنگی روابط عمومی‌های استان {p.name}") for p in targets]
    )
    council_of = {c.province_id: c for c in councils}
    memberships = [
        CouncilMembership(
            council=council_of[o.agency.province_id or 0],
            office=o,
            role=roles[id(o.agency)],
            position=i + 1,
        )
        for i, o in enumerate(offices)
    ]
    CouncilMembership.objects.bulk_create(memberships, batch_size=500)
    people = []
    for office in offices:
        role_of = roles[id(office.agency)]
        person_role: str
        for n in range(rng.randint(2, 6)):
            if role_of == MembershipRole.CHAIR:
                person_role = (
                    Role.COUNCIL_CHAIR
                    if n == 0
                    else (Role.COUNCIL_SECRETARY if n == 1 else Role.OFFICE_STAFF)
                )
            elif office.agency.kind == AgencyKind.GOVERNORATE:
                person_role = Role.PARTNER
            else:
                person_role = Role.OFFICE_STAFF
            person = Person(
                username=f"gen-{office.pk}-{n}",
                first_name=persian.normalize(faker.first_name()),
                last_name=persian.normalize(faker.last_name()),
                office=office,
                role=person_role,
                password=password,
                job_title="کارشناس روابط عمومی",
            )
            person.fill_keys()
            people.append(person)
    people += _ministry_centre(faker, password)
    Person.objects.bulk_create(people, batch_size=1000)
    out.write(
        f"directory: {len(targets)} councils, {len(agencies)} agencies and offices, "
        f"{len(people)} people\n"
    )
