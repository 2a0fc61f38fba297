"""Demo data of the directory: the Isfahan council as in the reference report, the
ministry centre, and two smaller councils (Fars, Yazd). All names of people are
invented. Written through the services, so the demo has an audit trail too."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hamseda.core.policy import Role
from hamseda.core.registry import demo_loader
from hamseda.directory import services
from hamseda.directory.models import (
    Agency,
    AgencyKind,
    Council,
    Office,
    Person,
    Province,
)

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "hamseda-1404"

# Names the press uses for the Isfahan agencies (matched in news text later).
ISFAHAN_ALIASES = {
    "اداره کل راه و شهرسازی استان اصفهان": ["راه و شهرسازی اصفهان", "راه و شهرسازی استان اصفهان"],
    "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان": [
        "راهداری اصفهان",
        "راهداری و حمل و نقل جاده‌ای اصفهان",
    ],
    "اداره کل راه‌آهن منطقه اصفهان": ["راه‌آهن اصفهان", "راه‌آهن منطقه اصفهان"],
    "اداره کل فرودگاه‌های استان اصفهان": ["فرودگاه اصفهان", "فرودگاه بین‌المللی شهید بهشتی اصفهان"],
    "اداره کل هواشناسی استان اصفهان": ["هواشناسی اصفهان"],
    "شرکت عمران شهر جدید بهارستان": ["عمران بهارستان"],
    "شرکت عمران شهر جدید مجلسی": ["عمران مجلسی"],
    "شرکت عمران شهر جدید فولادشهر": ["عمران فولادشهر"],
    "استانداری اصفهان": ["استانداری"],
    "بنیاد مسکن انقلاب اسلامی استان اصفهان": ["بنیاد مسکن اصفهان"],
    "سازمان نظام مهندسی ساختمان استان اصفهان": ["نظام مهندسی اصفهان"],
    "صدا و سیمای مرکز اصفهان": ["صداوسیمای اصفهان", "شبکه اصفهان"],
    "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی": [
        "مرکز ارتباطات وزارت راه",
        "روابط عمومی وزارت راه و شهرسازی",
    ],
}

SMALL_COUNCILS = {
    "fars": [
        ("اداره کل راه و شهرسازی استان فارس", AgencyKind.PROVINCIAL_DIRECTORATE, "chair"),
        (
            "اداره کل راهداری و حمل و نقل جاده‌ای استان فارس",
            AgencyKind.PROVINCIAL_DIRECTORATE,
            "member",
        ),
        ("اداره کل راه‌آهن منطقه فارس", AgencyKind.PROVINCIAL_DIRECTORATE, "member"),
        ("اداره کل هواشناسی استان فارس", AgencyKind.PROVINCIAL_DIRECTORATE, "member"),
        ("شرکت عمران شهر جدید صدرا", AgencyKind.SUBSIDIARY_COMPANY, "member"),
        ("استانداری فارس", AgencyKind.GOVERNORATE, "partner"),
    ],
    "yazd": [
        ("اداره کل راه و شهرسازی استان یزد", AgencyKind.PROVINCIAL_DIRECTORATE, "chair"),
        (
            "اداره کل راهداری و حمل و نقل جاده‌ای استان یزد",
            AgencyKind.PROVINCIAL_DIRECTORATE,
            "member",
        ),
        ("اداره کل فرودگاه‌های استان یزد", AgencyKind.PROVINCIAL_DIRECTORATE, "member"),
        ("استانداری یزد", AgencyKind.GOVERNORATE, "partner"),
    ],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str | None
    job_title: str


DEMO_USERS = [
    DemoUser("admin", "مدیر", "سامانه", Role.ADMIN, None, "مدیر سامانه"),
    DemoUser(
        "markaz",
        "فرهاد",
        "کیانی",
        Role.MINISTRY_CENTRE,
        "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی",
        "کارشناس ارشد ارزیابی",
    ),
    DemoUser(
        "isf-chair",
        "مریم",
        "احمدی",
        Role.COUNCIL_CHAIR,
        "اداره کل راه و شهرسازی استان اصفهان",
        "مدیر روابط عمومی",
    ),
    DemoUser(
        "isf-secretary",
        "علی",
        "رضایی",
        Role.COUNCIL_SECRETARY,
        "اداره کل راه و شهرسازی استان اصفهان",
        "دبیر شورای هماهنگی",
    ),
    DemoUser(
        "isf-rail",
        "زهرا",
        "کریمی",
        Role.OFFICE_STAFF,
        "اداره کل راه‌آهن منطقه اصفهان",
        "کارشناس روابط عمومی",
    ),
    DemoUser(
        "isf-airport",
        "حسین",
        "موسوی",
        Role.OFFICE_STAFF,
        "اداره کل فرودگاه‌های استان اصفهان",
        "مسئول روابط عمومی",
    ),
    DemoUser(
        "isf-weather",
        "نرگس",
        "صادقی",
        Role.OFFICE_STAFF,
        "اداره کل هواشناسی استان اصفهان",
        "کارشناس اطلاع‌رسانی",
    ),
    DemoUser(
        "isf-baharestan",
        "فاطمه",
        "نجفی",
        Role.OFFICE_STAFF,
        "شرکت عمران شهر جدید بهارستان",
        "کارشناس روابط عمومی",
    ),
    DemoUser(
        "isf-governorate",
        "محمد",
        "جعفری",
        Role.PARTNER,
        "استانداری اصفهان",
        "معاون روابط عمومی استانداری",
    ),
    DemoUser(
        "fars-chair",
        "سعید",
        "نوری",
        Role.COUNCIL_CHAIR,
        "اداره کل راه و شهرسازی استان فارس",
        "مدیر روابط عمومی",
    ),
    DemoUser(
        "fars-evaluator",
        "لیلا",
        "حسینی",
        Role.EVALUATOR,
        "اداره کل راهداری و حمل و نقل جاده‌ای استان فارس",
        "ارزیاب منتخب مرکز",
    ),
    DemoUser(
        "yazd-chair",
        "رضا",
        "قاسمی",
        Role.COUNCIL_CHAIR,
        "اداره کل راه و شهرسازی استان یزد",
        "مدیر روابط عمومی",
    ),
]


def _agency(
    actor: Person, name: str, kind: str, province: Province | None, aliases: list[str] | None = None
) -> Agency:
    existing = Agency.objects.filter(name=name, province=province).first()
    if existing:
        return existing
    return services.agency_create(
        actor=actor, name=name, kind=kind, province=province, aliases=aliases or []
    )


def _council(
    actor: Person, province: Province, members: list[tuple[Agency, str]], established_on: dt.date
) -> Council:
    council = Council.objects.filter(province=province).first()
    chair = next(agency for agency, role in members if role == "chair")
    if council is None:
        council = services.council_create(
            actor=actor,
            province=province,
            chair_office=chair.office,
            established_on=established_on,
        )
    position = 2
    for agency, role in members:
        if role == "chair" or council.memberships.filter(office=agency.office).exists():
            continue
        services.council_member_add(
            actor=actor, council=council, office=agency.office, role=role, position=position
        )
        position += 1
    return council


def _admin() -> Person:
    admin = Person.objects.filter(username="admin").first()
    if admin is None:
        admin = Person.objects.create_superuser(
            "admin",
            email="admin@example.ir",
            password=DEMO_PASSWORD,
            first_name="مدیر",
            last_name="سامانه",
            role=Role.ADMIN,
        )
    return admin


@demo_loader("hamseda.directory")
def load_directory_demo() -> list[dict[str, Any]]:
    """Create (or complete) the demo directory; returns the demo users."""
    admin = _admin()
    isfahan = Province.objects.get(code="isfahan")
    with (DATA / "isfahan-council.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    members: list[tuple[Agency, str]] = []
    for row in rows:
        national = row["kind"] == AgencyKind.MINISTRY_CENTRE
        agency = _agency(
            admin,
            row["name_fa"],
            row["kind"],
            None if national else isfahan,
            ISFAHAN_ALIASES.get(row["name_fa"], []),
        )
        if row["role"] in {"chair", "member", "partner", "broadcaster"}:
            members.append((agency, row["role"]))
    _council(admin, isfahan, members, dt.date(2021, 5, 22))
    for code, agencies in SMALL_COUNCILS.items():
        province = Province.objects.get(code=code)
        created = [(_agency(admin, name, kind, province), role) for name, kind, role in agencies]
        _council(admin, province, created, dt.date(2023, 10, 14))

    users = []
    for spec in DEMO_USERS:
        person = Person.objects.filter(username=spec.username).first()
        if person is None:
            office = Office.objects.get(agency__name=spec.agency)
            person = services.person_create(
                actor=admin,
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                office=office,
                role=spec.role,
                password=DEMO_PASSWORD,
                job_title=spec.job_title,
                email=f"{spec.username}@example.ir",
            )
        users.append(
            {
                "username": person.username,
                "password": DEMO_PASSWORD,
                "name": person.display_name,
                "role": Role(person.effective_role).label,
                "office": person.office.name if person.office else "",
            }
        )
    council = Council.objects.get(province=isfahan)
    secretary = Person.objects.get(username="isf-secretary")
    if council.secretary_id != secretary.pk:
        services.council_update(actor=admin, council=council, secretary=secretary)
    return users
