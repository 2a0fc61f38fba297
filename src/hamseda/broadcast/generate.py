"""National-scale pitches to the broadcaster for benchmarks (``hamseda generate``).

In every province with a council: the provincial broadcaster centre as contact,
a few pitches per office per year (``PITCHES_PER_OFFICE_PER_YEAR``) in the states
a real council shows (mostly approved and dispatched, some rejected, returned or
left as drafts, the newest still waiting for review), and the chair's letters
every month or two (``DISPATCH_EVERY_DAYS``), each carrying the pitches approved
since the last one and numbered per province and Jalali year like
``services.dispatches`` does, with the broadcaster's answers (aired on a date and
programme, accepted, declined, still pending for the newest letters).

Rows go in with bulk_create: ``text_key`` is filled in by hand and the
timestamps are the history's, not now (``_own_timestamps``). No letter PDF is
rendered and no mail is sent (``Dispatch.pdf`` stays empty: ``dispatch_pdf``
renders it on demand). A province whose offices already have pitches is left
as it is, so running again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.db import models

from hamseda.broadcast.models import (
    BroadcasterContact,
    Dispatch,
    DispatchItem,
    Outcome,
    Pitch,
    PitchFormat,
    PitchStatus,
)
from hamseda.broadcast.services.dispatches import format_number
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.policy import Role
from hamseda.core.registry import generator
from hamseda.directory.models import Council, MembershipRole, Person

# Pitches an office writes in a year: uniform in this range (mean 3).
PITCHES_PER_OFFICE_PER_YEAR = (1, 5)
# Days between two letters of a council to the broadcaster: uniform in this range.
DISPATCH_EVERY_DAYS = (25, 60)
# Share of a council's pitches linked to a campaign running on their day.
CAMPAIGN_SHARE = 0.3

FORMATS: list[tuple[str, int]] = [
    (PitchFormat.NEWS, 30),
    (PitchFormat.REPORT, 35),
    (PitchFormat.INTERVIEW, 20),
    (PitchFormat.DOCUMENTARY, 8),
    (PitchFormat.LIVE, 7),
]
TITLES = {
    PitchFormat.NEWS: [
        "آغاز {topic} در {place}",
        "خبر خوب برای مردم: {topic}",
        "بهره‌برداری از {topic} در {place}",
    ],
    PitchFormat.REPORT: [
        "گزارشی از {topic} در {place}",
        "روایت مردم از {topic}",
        "پشت صحنه {topic}",
    ],
    PitchFormat.INTERVIEW: [
        "گفت‌وگو با مدیرکل درباره {topic}",
        "پاسخ به پرسش‌های مردم درباره {topic}",
    ],
    PitchFormat.DOCUMENTARY: ["مستند {topic}؛ از طرح تا اجرا", "قصه یک خانواده و {topic}"],
    PitchFormat.LIVE: ["پخش زنده افتتاح {topic} در {place}", "برنامه زنده درباره {topic}"],
}
TOPICS = [
    "واحدهای نهضت ملی مسکن",
    "قطار گردشگری آخر هفته",
    "پرواز مستقیم تازه",
    "محور روستایی بازسازی‌شده",
    "پل و تقاطع غیرهمسطح ورودی شهر",
    "سامانه هشدار سیلاب",
    "طرح زمستانی راهداری",
    "ایستگاه راه‌آهن نوسازی‌شده",
    "مقاوم‌سازی مدرسه‌های روستایی",
    "شهر جدید و خانواده‌های تازه‌ساکن",
    "امداد جاده‌ای در سفرهای نوروزی",
    "بندر و اسکله مسافری",
]
PLACES = ["مرکز استان", "شهر جدید", "محور اصلی استان", "شهرستان‌های استان", "روستاهای استان"]
SUMMARIES = [
    "این طرح پس از سال‌ها انتظار به نتیجه رسیده و زندگی روزمره مردم منطقه را آسان‌تر می‌کند.",
    "کارکنان و مردم محلی روایت‌های امیدآفرینی از این کار دارند که تاکنون دیده نشده است.",
    "تصویرهای دیدنی و مصاحبه‌شوندگان آماده‌اند؛ هماهنگی حضور گروه تولید با روابط عمومی است.",
    "اطلاع‌رسانی درست درباره این موضوع از شایعه و نگرانی مردم جلوگیری می‌کند.",
]
WHYS = [
    "امید و نشاط اجتماعی و نشان دادن نتیجه ملموس کار دولت.",
    "پاسخ به پرسش‌های پرتکرار مردم و مقابله با شایعه.",
    "معرفی خدمتی که بسیاری از مردم از آن خبر ندارند.",
    "",
]
INTERVIEWEES = ["مدیرکل", "معاون فنی", "چند نفر از مردم منطقه", "پیمانکار طرح", ""]
REVIEW_NOTES = {
    PitchStatus.RETURNED: "خلاصه را کامل‌تر کنید و مصاحبه‌شوندگان را مشخص بنویسید.",
    PitchStatus.REJECTED: "سوژه تکراری است؛ ماه گذشته مشابه آن پخش شده است.",
}
PROGRAMMES = [
    "خبر ساعت ۱۴ استانی",
    "خبر ساعت ۲۰:۳۰ استانی",
    "صبح بخیر",
    "گزارش ویژه",
    "شبکه استانی",
]
DECLINE_NOTES = [
    "در بخش خبری به‌صورت زیرنویس اعلام شد؛ گزارش جداگانه ندارد.",
    "جدول پخش این فصل پر است.",
    "با اولویت‌های برنامه‌ای شبکه استانی همخوانی ندارد.",
]
INTRO = (
    "با سلام و احترام، در راستای هم‌افزایی و اطلاع‌رسانی منسجم، سوژه‌های پیشنهادی "
    "دستگاه‌های عضو شورای هماهنگی روابط عمومی‌ها به شرح پیوست تقدیم می‌شود."
)


@contextmanager
def _own_timestamps(*kinds: type[models.Model]) -> Iterator[None]:
    """While open, ``bulk_create`` keeps the ``created_at``/``updated_at`` set on
    the rows (the generated history) instead of stamping them with now."""
    fields = [
        cast("models.DateTimeField[Any, Any]", kind._meta.get_field(name))
        for kind in kinds
        for name in ("created_at", "updated_at")
    ]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _moment(
    day: dt.date, rng: random.Random, first_hour: int = 8, last_hour: int = 15
) -> dt.datetime:
    return dt.datetime.combine(
        day,
        dt.time(rng.randint(first_hour, last_hour), rng.randrange(60)),
        tzinfo=jalali.TEHRAN,
    )


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _review(
    pitch: Pitch, created: dt.datetime, now: dt.datetime, rng: random.Random, chair: Person | None
) -> None:
    """The pitch's life up to ``now``: submitted a day or so after writing, the
    chair's decision a few days later; recent ones are still on the way."""
    roll = rng.random()
    if roll < 0.04:
        return  # a draft never submitted
    pitch.submitted_at = created + dt.timedelta(hours=rng.randint(1, 60))
    reviewed = pitch.submitted_at + dt.timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 6))
    if pitch.submitted_at >= now or reviewed >= now:
        pitch.status = PitchStatus.DRAFT if pitch.submitted_at >= now else PitchStatus.SUBMITTED
        if pitch.status == PitchStatus.DRAFT:
            pitch.submitted_at = None
        return
    pitch.reviewed_by = chair
    pitch.reviewed_at = reviewed
    if roll < 0.10:
        pitch.status = PitchStatus.RETURNED
    elif roll < 0.20:
        pitch.status = PitchStatus.REJECTED
    else:
        pitch.status = PitchStatus.APPROVED
        pitch.approved_on = jalali.local_date(reviewed)
    pitch.review_comment = REVIEW_NOTES.get(pitch.status, "")


def _answer(
    item: DispatchItem, sent: dt.date, today: dt.date, rng: random.Random, secretary: Person | None
) -> None:
    age = (today - sent).days
    roll = rng.random()
    if age < 10 or roll < 0.15:
        return  # no answer yet
    answered = min(today, sent + dt.timedelta(days=rng.randint(3, 20)))
    item.answered_by = secretary
    item.answered_at = _moment(answered, rng)
    if roll < 0.55:
        aired = sent + dt.timedelta(days=rng.randint(3, 45))
        if aired <= today:
            item.outcome = Outcome.AIRED
            item.aired_on = aired
            item.answered_at = _moment(max(answered, aired), rng, 16, 20)
            item.programme = rng.choice(PROGRAMMES)
            if rng.random() < 0.6:
                item.link = (
                    f"https://sima.example.ir/video/{item.pitch.office_id}-{rng.randrange(10**6)}"
                )
            return
    if roll < 0.72:
        item.outcome = Outcome.ACCEPTED
        item.programme = rng.choice(PROGRAMMES)
        item.note = "برای پخش در هفته‌های آینده برنامه‌ریزی شده است."
    else:
        item.outcome = Outcome.DECLINED
        item.note = rng.choice(DECLINE_NOTES)


@generator("hamseda.broadcast")
def generate_broadcast(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    today = jalali.today()
    now = dt.datetime.now(jalali.TEHRAN)
    this_year = jalali.to_jalali(today).year
    first_day = jalali.jalali_year_bounds(this_year - years + 1)[0]
    taken = set(
        Pitch.objects.order_by().values_list("office__agency__province_id", flat=True).distinct()
    )
    councils = [
        c
        for c in Council.objects.select_related("province")
        .prefetch_related("memberships__office__agency")
        .order_by("province__pk")
        if c.province_id not in taken
    ]
    people: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        office__memberships__council__in=councils, is_active=True
    ).order_by("pk"):
        if person.office_id is not None:
            people.setdefault(person.office_id, []).append(person)
    campaigns_of: dict[int | None, list[Campaign]] = {}
    for campaign in Campaign.objects.filter(province__in=[c.province_id for c in councils]):
        campaigns_of.setdefault(campaign.province_id, []).append(campaign)
    contacts = set(BroadcasterContact.objects.values_list("province_id", flat=True))

    new_contacts: list[BroadcasterContact] = []
    pitches: list[Pitch] = []
    dispatches: list[Dispatch] = []
    # (dispatch index, pitch index, position) of every item, made once keys exist
    items: list[tuple[int, int, int]] = []
    answerers: list[Person | None] = []  # by dispatch index: who records the answers
    for council in councils:
        memberships = list(council.memberships.all())
        chair_office = next((m.office for m in memberships if m.role == MembershipRole.CHAIR), None)
        if chair_office is None:
            continue
        staff = people.get(chair_office.pk, [])
        chair = next((p for p in staff if p.role == Role.COUNCIL_CHAIR), None)
        secretary = next((p for p in staff if p.role == Role.COUNCIL_SECRETARY), chair)
        broadcaster = next(
            (m.office.agency.name for m in memberships if m.role == MembershipRole.BROADCASTER),
            f"صدا و سیمای مرکز {council.province.name}",
        )
        if council.province_id not in contacts:
            new_contacts.append(
                BroadcasterContact(
                    province=council.province,
                    name=broadcaster,
                    email=f"khabar{council.province_id}@sima.example.ir",
                    contact_person="جناب آقای معاون محترم سیما",
                    programmes=PROGRAMMES,
                    created_at=_moment(first_day, rng),
                    updated_at=_moment(first_day, rng),
                )
            )
        # The council's pitches, then its letters over the whole period.
        mine: list[int] = []  # indexes into pitches
        for membership in memberships:
            if membership.role == MembershipRole.BROADCASTER:
                continue
            office = membership.office
            writers: list[Person | None] = [*people.get(office.pk, [])] or [None]
            for year in range(this_year - years + 1, this_year + 1):
                start, end = jalali.jalali_year_bounds(year)
                end = min(end, today)
                if end < start:
                    continue
                share = ((end - start).days + 1) / 365
                count = round(rng.randint(*PITCHES_PER_OFFICE_PER_YEAR) * share)
                for _n in range(count):
                    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
                    fmt = _weighted(rng, FORMATS)
                    title = rng.choice(TITLES[PitchFormat(fmt)]).format(
                        topic=rng.choice(TOPICS), place=rng.choice(PLACES)
                    )
                    created = min(now, _moment(day, rng))
                    running = [
                        c
                        for c in campaigns_of.get(council.province_id, [])
                        if c.start_date <= day <= c.end_date
                    ]
                    pitch = Pitch(
                        office=office,
                        title=title,
                        summary=rng.choice(SUMMARIES),
                        why=rng.choice(WHYS),
                        format=fmt,
                        interviewees=rng.choice(INTERVIEWEES),
                        place=rng.choice(PLACES),
                        campaign=(
                            rng.choice(running)
                            if running and rng.random() < CAMPAIGN_SHARE
                            else None
                        ),
                        created_by=rng.choice(writers),
                        created_at=created,
                    )
                    _review(pitch, created, now, rng, chair)
                    pitch.updated_at = pitch.reviewed_at or pitch.submitted_at or created
                    pitch.fill_text_key()
                    mine.append(len(pitches))
                    pitches.append(pitch)
        waiting = sorted(
            (i for i in mine if pitches[i].status == PitchStatus.APPROVED),
            key=lambda i: (pitches[i].approved_on, i),
        )
        serials: dict[int, int] = {}
        letter_day = first_day + dt.timedelta(days=rng.randint(*DISPATCH_EVERY_DAYS))
        while letter_day <= today and waiting:
            chosen = [i for i in waiting if (pitches[i].approved_on or today) < letter_day]
            if chosen:
                year = jalali.to_jalali(letter_day).year
                serial = serials[year] = serials.get(year, 0) + 1
                sent_at = _moment(letter_day, rng, 9, 13)
                dispatch = Dispatch(
                    province=council.province,
                    year=year,
                    serial=serial,
                    number=format_number(year, serial),
                    date=letter_day,
                    subject="ارسال ایده‌ها و سوژه‌های پیشنهادی روابط عمومی‌های عضو شورا",
                    intro=INTRO,
                    recipient=broadcaster,
                    recipient_person="جناب آقای معاون محترم سیما",
                    signer=chair,
                    email_to=f"khabar{council.province_id}@sima.example.ir",
                    emailed_at=sent_at + dt.timedelta(minutes=rng.randint(5, 90)),
                    message_id=f"<gen-{council.province_id}-{year}-{serial}@hamseda.example>",
                    created_by=chair,
                    created_at=sent_at,
                    updated_at=sent_at,
                )
                dispatch.fill_text_key()
                answerers.append(secretary)
                for position, i in enumerate(chosen, 1):
                    pitches[i].status = PitchStatus.DISPATCHED
                    items.append((len(dispatches), i, position))
                dispatches.append(dispatch)
                picked = set(chosen)
                waiting = [i for i in waiting if i not in picked]
            letter_day += dt.timedelta(days=rng.randint(*DISPATCH_EVERY_DAYS))

    with _own_timestamps(BroadcasterContact, Pitch, Dispatch, DispatchItem):
        BroadcasterContact.objects.bulk_create(new_contacts)
        Pitch.objects.bulk_create(pitches, batch_size=2000)
        Dispatch.objects.bulk_create(dispatches, batch_size=2000)
        rows = []
        for d, i, position in items:
            dispatch, pitch = dispatches[d], pitches[i]
            item = DispatchItem(
                dispatch=dispatch,
                pitch=pitch,
                position=position,
                created_at=dispatch.created_at,
                updated_at=dispatch.created_at,
            )
            _answer(item, dispatch.date, today, rng, answerers[d])
            item.updated_at = item.answered_at or dispatch.created_at
            rows.append(item)
        DispatchItem.objects.bulk_create(rows, batch_size=2000)
    aired = sum(1 for item in rows if item.outcome == Outcome.AIRED)
    out.write(
        f"broadcast: {len(pitches)} pitches, {len(dispatches)} dispatches, "
        f"{len(rows)} dispatched pitches ({aired} aired)\n"
    )
