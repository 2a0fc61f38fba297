"""Demo evaluations of the demo councils' offices (Isfahan, Fars, Yazd):

- 1404, completed: the default catalogue frozen and its values read, every
  office rated on each qualitative criterion by two evaluators (one pair
  disagrees), the ranking published with an appeals window that ends today, one
  objection upheld with a corrected level, then closed.
- 1405, under way: the same catalogue, some offices rated by both evaluators,
  some by one, some not yet; one office's self-assessment waits for its
  evaluators; the appeals window is open, with one objection not yet answered,
  so a newcomer signed in as an office can object too.

Evaluators never rate their own province: the evaluator working in Fars rates
Isfahan and Yazd, the one added here working in Yazd rates Isfahan and Fars,
and the ministry centre's evaluation expert rates Fars and Yazd. Everything goes
through the services, so the audit trail, notices and rankings are real.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hamseda.activities.models import Activity, ActivityStatus
from hamseda.core import jalali, persian
from hamseda.core.policy import Role
from hamseda.core.registry import demo_loader
from hamseda.directory import services as directory_services
from hamseda.directory.demo import DEMO_PASSWORD, DemoUser
from hamseda.directory.models import Office, Person
from hamseda.evaluation.models import Criterion, CriterionKind, Cycle
from hamseda.evaluation.services.appeals import appeal_answer, appeal_file
from hamseda.evaluation.services.compute import evaluated_offices
from hamseda.evaluation.services.cycles import (
    cycle_close,
    cycle_create,
    cycle_open_appeals,
    cycle_start_scoring,
)
from hamseda.evaluation.services.ratings import (
    EvidenceInput,
    assignments_add,
    one_ranking,
    rating_save,
    self_assessment_save,
)

PAST, CURRENT = 1404, 1405

EVALUATORS = [
    DemoUser(
        "yazd-evaluator",
        "مهدی",
        "طاهری",
        Role.EVALUATOR,
        "اداره کل راهداری و حمل و نقل جاده‌ای استان یزد",
        "ارزیاب منتخب مرکز",
    ),
]
# Who rates the offices of which provinces: never their own.
PANELS = {
    "fars-evaluator": ("isfahan", "yazd"),
    "yazd-evaluator": ("isfahan", "fars"),
    "markaz": ("fars", "yazd"),
}

CHAIR = "اداره کل راه و شهرسازی استان اصفهان"
ROADS = "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان"
RAIL = "اداره کل راه‌آهن منطقه اصفهان"
AIRPORTS = "اداره کل فرودگاه‌های استان اصفهان"
WEATHER = "اداره کل هواشناسی استان اصفهان"
BAHARESTAN = "شرکت عمران شهر جدید بهارستان"
MAJLESI = "شرکت عمران شهر جدید مجلسی"
FOULADSHAHR = "شرکت عمران شهر جدید فولادشهر"
INFRASTRUCTURE = "مجری طرح‌های زیربنایی حمل و نقل استان اصفهان"
FARS_CHAIR = "اداره کل راه و شهرسازی استان فارس"
FARS_ROADS = "اداره کل راهداری و حمل و نقل جاده‌ای استان فارس"

# 1404: the one pair of evaluators far apart (flagged), and the low levels the
# railway objected to.
DISAGREEMENT = (AIRPORTS, "L3", (2, 4))
APPEALED = (RAIL, "L1", (3, 2))
CORRECTED_LEVEL = 4

# 1405 so far: offices rated by both of their evaluators, by one (the first of
# PANELS that rates its province), and the rest not yet.
RATED_1405 = (CHAIR, ROADS, RAIL, WEATHER, BAHARESTAN, FARS_CHAIR, FARS_ROADS)
HALF_RATED_1405 = (FOULADSHAHR, INFRASTRUCTURE)

# What the evaluators looked at, per criterion; the comment starts with the
# rubric's description of the level given.
BASIS = {
    "L1": "نمونه‌ای از خبرهای سه ماه پایانی دوره بررسی شد.",
    "L2": "زمان نخستین اطلاعیه در رخدادهای جاده‌ای و جوی دوره سنجیده شد.",
    "L3": "فعالیت‌های مشترک و موارد کار موازی در تقویم شورا بررسی شد.",
    "L4": "برنامه‌های مکتوب پویش‌های نوروزی، تابستانی و نهضت ملی مسکن بررسی شد.",
    "L5": "گزارش نظرسنجی‌ها و نشست‌های توجیهی گروه‌های مرجع بررسی شد.",
    "L6": "قالب‌ها و ابزارهای تازه‌ای که در دوره به کار رفت بررسی شد.",
}
DISAGREEMENT_COMMENTS = (
    "دو مورد کار موازی با راه و شهرسازی در پوشش افتتاح پایانه ثبت شده و کار مشترکی دیده نشد.",
    "در ستاد سفرهای نوروزی و تابستانی با راهداری و راه‌آهن اطلاع‌رسانی مشترک داشته است.",
)
APPEAL_1404 = (
    "ارزیابان تنها خبرهای اسفندماه را دیده‌اند که به سبب تعطیلات کم‌شمار بود؛ خبرهای "
    "ستاد سفرهای تابستانی که هر چهار معیار را دارند در نمونه نبوده است."
)
ANSWER_1404 = (
    "اعتراض وارد است. نمونه خبرها از کل سال دوباره گرفته شد و با خبرهای ستاد سفرهای "
    "تابستانی، سطح «کیفیت خبر» به ۴ اصلاح شد."
)
APPEAL_1405 = (
    "شمار خبرهای ما کمتر از واقع آمده است: هشدارهای جوی آبان‌ماه که در کانال رسمی "
    "منتشر شد در تقویم فعالیت‌ها با نوع «اطلاعیه» ثبت شده و شمرده نشده است."
)
SELF_ASSESSMENT = (
    "در ستاد سفرهای نوروزی ۱۴۰۵ با راهداری، راه‌آهن و هواشناسی اطلاع‌رسانی مشترک داشتیم "
    "و پوشش افتتاح پرواز تازه را با راه و شهرسازی یک‌جا انجام دادیم؛ کار موازی ثبت نشده است."
)


class _Demo:
    """The people and offices the demo evaluations are written by and about."""

    def __init__(self) -> None:
        people = Person.objects.filter(
            username__in=["markaz", "isf-rail", "isf-airport", "isf-weather", *PANELS]
        ).select_related("office__agency")
        self.people = {person.username: person for person in people}
        self.ministry = self.people["markaz"]
        self.offices = {office.agency.name: office for office in evaluated_offices()}

    def office(self, name: str) -> Office:
        return self.offices[persian.normalize(name)]

    def panel(self, office: Office) -> list[Person]:
        """The evaluators of ``office``, in the order of PANELS."""
        code = _province_code(office)
        return [self.people[name] for name, provinces in PANELS.items() if code in provinces]


def _province_code(office: Office) -> str:
    return office.agency.province.code if office.agency.province else ""


def _evaluator_users(admin: Person) -> list[dict[str, Any]]:
    users = []
    for spec in EVALUATORS:
        person = Person.objects.filter(username=spec.username).first()
        if person is None:
            person = directory_services.person_create(
                actor=admin,
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                office=Office.objects.get(agency__name=spec.agency),
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
    return users


def _assign(demo: _Demo, cycle: Cycle) -> None:
    for username, provinces in PANELS.items():
        offices = [o for o in demo.offices.values() if _province_code(o) in provinces]
        assignments_add(
            actor=demo.ministry, cycle=cycle, evaluator=demo.people[username], offices=offices
        )


def _levels(rng: random.Random, base: int) -> tuple[int, int]:
    """Two evaluators' levels around an office's ``base``, at most one apart."""
    first = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
    second = min(5, max(1, first + rng.choice((-1, 0, 0, 1))))
    return first, second


def _evidence(office: Office, cycle: Cycle) -> list[EvidenceInput]:
    """A joint activity the office led in the cycle's period, as a record in Hamseda."""
    start, end = cycle.bounds
    activity = (
        Activity.objects.filter(
            lead_office=office,
            status=ActivityStatus.DONE,
            start_date__range=(start, end),
            partners__isnull=False,
        )
        .order_by("start_date", "pk")
        .first()
    )
    if activity is None:
        return []
    return [EvidenceInput(label=activity.title, url=activity.get_absolute_url())]


def _rate(
    demo: _Demo,
    cycle: Cycle,
    office: Office,
    evaluators: list[Person],
    rng: random.Random,
    forced: dict[str, tuple[tuple[int, int], tuple[str, str] | None]],
) -> None:
    """Each of ``evaluators`` rates ``office`` on every qualitative criterion;
    ``forced`` gives some criteria's levels (and comments) instead of drawing them."""
    base = rng.choice((2, 3, 3, 4, 4, 5))
    criteria = cycle.criteria.filter(kind=CriterionKind.QUALITATIVE).order_by("position")
    with one_ranking():  # as the rating form: one ranking per office, not per rating
        _rate_all(cycle, office, list(criteria), evaluators, rng, base, forced)


def _rate_all(
    cycle: Cycle,
    office: Office,
    criteria: list[Criterion],
    evaluators: list[Person],
    rng: random.Random,
    base: int,
    forced: dict[str, tuple[tuple[int, int], tuple[str, str] | None]],
) -> None:
    for criterion in criteria:
        levels, comments = forced.get(criterion.code) or (_levels(rng, base), None)
        for n, evaluator in enumerate(evaluators):
            level = levels[n]
            comment = (
                comments[n]
                if comments
                else f"{criterion.level_description(level)}. {BASIS[criterion.code]}"
            )
            evidence = _evidence(office, cycle) if criterion.code == "L3" and n == 0 else []
            rating_save(
                actor=evaluator,
                criterion=criterion,
                office=office,
                level=level,
                comment=comment,
                evidence=evidence,
            )


def _past_cycle(demo: _Demo) -> Cycle:
    ministry = demo.ministry
    cycle = cycle_create(actor=ministry, year=PAST)
    cycle = cycle_start_scoring(actor=ministry, cycle=cycle)
    _assign(demo, cycle)
    rng = random.Random(PAST)
    for office in demo.offices.values():
        forced: dict[str, tuple[tuple[int, int], tuple[str, str] | None]] = {}
        if office == demo.office(DISAGREEMENT[0]):
            forced[DISAGREEMENT[1]] = (DISAGREEMENT[2], DISAGREEMENT_COMMENTS)
        if office == demo.office(APPEALED[0]):
            forced[APPEALED[1]] = (APPEALED[2], None)
        _rate(demo, cycle, office, demo.panel(office), rng, forced)
    # The ranking was published three weeks ago; the window ends today.
    cycle = cycle_open_appeals(
        actor=ministry, cycle=cycle, appeals_from=jalali.today() - dt.timedelta(days=20), days=21
    )
    criterion = Criterion.objects.get(cycle=cycle, code=APPEALED[1])
    appeal = appeal_file(
        actor=demo.people["isf-rail"],
        cycle=cycle,
        office=demo.office(RAIL),
        criterion=criterion,
        text=APPEAL_1404,
    )
    appeal_answer(
        actor=ministry, appeal=appeal, upheld=True, answer=ANSWER_1404, level=CORRECTED_LEVEL
    )
    return cycle_close(actor=ministry, cycle=cycle)


def _current_cycle(demo: _Demo, past: Cycle | None) -> Cycle:
    ministry = demo.ministry
    cycle = cycle_create(actor=ministry, year=CURRENT, copy_from=past)
    cycle = cycle_start_scoring(actor=ministry, cycle=cycle)
    _assign(demo, cycle)
    rng = random.Random(CURRENT)
    for name in RATED_1405:
        office = demo.office(name)
        _rate(demo, cycle, office, demo.panel(office), rng, {})
    for name in HALF_RATED_1405:
        office = demo.office(name)
        _rate(demo, cycle, office, demo.panel(office)[:1], rng, {})
    airports = demo.office(AIRPORTS)
    self_assessment_save(
        actor=demo.people["isf-airport"],
        criterion=Criterion.objects.get(cycle=cycle, code="L3"),
        office=airports,
        level=4,
        comment=SELF_ASSESSMENT,
        evidence=_evidence(airports, cycle),
    )
    cycle = cycle_open_appeals(actor=ministry, cycle=cycle, appeals_from=jalali.today(), days=45)
    appeal_file(
        actor=demo.people["isf-weather"],
        cycle=cycle,
        office=demo.office(WEATHER),
        criterion=Criterion.objects.get(cycle=cycle, code="Q1"),
        text=APPEAL_1405,
    )
    return cycle


@demo_loader("hamseda.evaluation")
def load_evaluation_demo() -> list[dict[str, Any]]:
    """Create (or leave as they are) the 1404 and 1405 demo evaluations; returns
    the evaluator added for them."""
    admin = Person.objects.get(username="admin")
    users = _evaluator_users(admin)
    past = Cycle.objects.filter(year=PAST, quarter=0).first()
    current = Cycle.objects.filter(year=CURRENT, quarter=0).exists()
    if past is None or not current:
        demo = _Demo()
        if past is None:
            past = _past_cycle(demo)
        if not current:
            _current_cycle(demo, past)
    return users
