"""The default catalogue of a new cycle, after
``shared/reference/evaluation-indicators.md``: quantitative 60, qualitative 40.

Quantitative lines name the provider they read (``core.indicators``); a line
whose provider is not registered (its app not installed yet) stays in the
catalogue and is reported missing for the cycle, so the weights the ministry
agreed on are not silently redistributed. The ministry centre edits all of it
while the cycle is a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Line:
    code: str
    name: Any
    weight: int
    description: Any = ""
    provider: str = ""
    normalisation: str = ""
    target: float | None = None
    rubric: list[Any] = field(default_factory=list)


def _rubric(*levels: Any) -> list[Any]:
    assert len(levels) == 5
    return list(levels)


DEFAULT_TIERS = [
    {"min": 85, "label": _("ممتاز")},
    {"min": 70, "label": _("خوب")},
    {"min": 50, "label": _("متوسط")},
    {"min": 0, "label": _("نیازمند بهبود")},
]

DEFAULT: list[Line] = [
    Line(
        "Q1",
        _("خبرهای تولید و منتشرشده"),
        12,
        _("شمار خبرهای ارسالی روابط عمومی در دوره"),
        "activities.news_releases",
        "minmax",
    ),
    Line(
        "Q2",
        _("بازتاب خبری"),
        12,
        _("بازنشر در رسانه‌ها؛ رسانه‌های سراسری با وزن بیشتر از استانی"),
        "monitoring.weighted_coverage",
        "minmax",
    ),
    Line(
        "Q3",
        _("محتوای پخش‌شده از صدا و سیما"),
        8,
        _("سوژه‌ها و گزارش‌های پخش‌شده"),
        "broadcast.pitches_aired",
        "minmax",
    ),
    Line(
        "Q4",
        _("مصاحبه و نشست خبری"),
        6,
        _("شمار مصاحبه‌ها و نشست‌های خبری انجام‌شده"),
        "activities.interviews_press",
        "minmax",
    ),
    Line(
        "Q5",
        _("شبکه‌های اجتماعی"),
        8,
        _("فرسته‌ها در بله، ایتا، روبیکا و دیگر شبکه‌ها"),
        "social.posts",
        "minmax",
    ),
    Line(
        "Q6",
        _("پیگیری‌های بسته‌شده در مهلت"),
        4,
        _("درصد پیگیری‌های سررسیده که در مهلت انجام شد"),
        "followups.closed_on_time",
        "target",
        90,
    ),
    Line(
        "Q7",
        _("حضور در جلسات شورا"),
        4,
        _("درصد جلسات شورا که روابط عمومی در آن حاضر بود"),
        "meetings.attendance_rate",
        "target",
        90,
    ),
    Line(
        "Q8",
        _("رویدادها طبق آیین‌نامه مشارکت"),
        3,
        _("درصد رعایت آیین‌نامه در رویدادها"),
        "events.bylaw_compliance",
        "target",
        100,
    ),
    Line(
        "Q9",
        _("نشست با ذی‌نفعان و نظرسنجی"),
        3,
        _("نشست‌های توجیهی گروه‌های مرجع و نظرسنجی‌ها"),
        "stakeholders.briefings",
        "minmax",
    ),
    Line(
        "L1",
        _("کیفیت خبر"),
        10,
        _("رعایت اصول خبرنویسی، به‌هنگامی، دقت و کامل بودن"),
        rubric=_rubric(
            _("بیشتر خبرها یکی از چهار معیار را ندارند"),
            _("خبرها اغلب دیر یا ناقص است"),
            _("خبرها درست است اما به‌هنگام یا کامل نیست"),
            _("بیشتر خبرها هر چهار معیار را دارند"),
            _("همه خبرها به‌هنگام، دقیق، کامل و به قواعد خبرنویسی است"),
        ),
    ),
    Line(
        "L2",
        _("سرعت در رخدادها"),
        6,
        _("فاصله رخداد تا نخستین اطلاعیه رسمی"),
        rubric=_rubric(
            _("بی‌اطلاعیه یا پس از یک روز"),
            _("بیش از ۱۲ ساعت"),
            _("۶ تا ۱۲ ساعت"),
            _("۲ تا ۶ ساعت"),
            _("کمتر از ۲ ساعت"),
        ),
    ),
    Line(
        "L3",
        _("هم‌افزایی"),
        8,
        _("کار مشترک با دیگر روابط عمومی‌ها و پرهیز از کار موازی"),
        rubric=_rubric(
            _("کار موازی تکرارشده، بی هیچ کار مشترک"),
            _("کار مشترک اندک، گاه موازی"),
            _("همکاری در برنامه‌های شورا"),
            _("پیشگام در کار مشترک، بی کار موازی"),
            _("محور هم‌افزایی استان، با شواهد روشن"),
        ),
    ),
    Line(
        "L4",
        _("برنامه‌ریزی پویش‌ها"),
        6,
        _("مسکن، نوروز، تابستان: ساختار، منطق، زمان‌بندی، بودجه، تناسب با هدف، پژوهش و ابزار"),
        rubric=_rubric(
            _("بی برنامه مکتوب"),
            _("برنامه کلی بی هدف سنجش‌پذیر"),
            _("برنامه با هدف و زمان‌بندی"),
            _("برنامه کامل با بودجه و ابزار"),
            _("برنامه کامل بر پایه پژوهش، با سنجش نتیجه"),
        ),
    ),
    Line(
        "L5",
        _("اقناع افکار عمومی"),
        6,
        _("نظرسنجی‌ها، روند لحن رسانه‌ها، توجیه گروه‌های مرجع"),
        rubric=_rubric(
            _("بی برنامه اقناعی"),
            _("پاسخ‌گویی پراکنده"),
            _("تبیین منظم تصمیم‌ها"),
            _("تبیین منظم با سنجش بازخورد"),
            _("بهبود سنجیده در نگرش مخاطبان"),
        ),
    ),
    Line(
        "L6",
        _("نوآوری"),
        4,
        _("قالب‌ها، ابزارها و روش‌های تازه"),
        rubric=_rubric(
            _("بی نوآوری"),
            _("تقلید از کار دیگران"),
            _("یک نوآوری در دوره"),
            _("چند نوآوری با اثر روشن"),
            _("نوآوری که دیگر استان‌ها به کار گرفتند"),
        ),
    ),
]
