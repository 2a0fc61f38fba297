"""The hand-written Persian lexicon behind ``monitoring.tone``, and its lookup table.

Entries are written as a reader would spell them; ``tone`` folds each one with
``core.persian.compact_key``, so "بهره‌برداری", "بهره برداری" and "بهرهبرداری" are one
entry, and a plural or an attached pronoun (ها، ات، ان، ی، ای، تر، ترین، ...) is
accepted after any entry. A multi-word entry wins over the single words inside it
("زیر بار ترافیک" is good news although "ترافیک" alone is a mild complaint).

Weights: about 1 for an ordinary cue, 1.5 for what the PR office must hear about
(delays, complaints, protests), 2 for deaths and corruption. Negative weights are a
little heavier than their positive counterparts on purpose: a missed negative story
costs an unanswered complaint, a missed positive one only a line in a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from hamseda.core.persian import compact_key


def _group(weight: float, words: str) -> dict[str, float]:
    return {word.strip(): weight for word in words.split("،") if word.strip()}


# --- cues: words that carry a tone by themselves ------------------------------------

POSITIVE_CUES: dict[str, float] = {
    **_group(
        1.5,
        """افتتاح، تقدیر، قدردانی، تجلیل، لوح تقدیر، زودتر از موعد، زودتر از برنامه،
        جلوتر از برنامه، پیش از موعد، رکورد، دستاورد، رتبه نخست، رتبه اول، بی‌نظیر،
        از سر گرفته، از سر گرفت، از سرگیری""",
    ),
    **_group(
        1.2,
        """بهره‌برداری، به پایان رسید، رونمایی، کلنگ، کلنگ‌زنی، موفقیت، موفق، رضایت،
        رضایتمندی، ابراز رضایت، استقبال، بازگشایی، بهسازی، برتر، برترین، نمونه کشوری،
        افتخار، گامی مهم، زیر بار ترافیک، به موقع، بموقع، تلاش شبانه‌روزی، خرسندی، خرسند""",
    ),
    **_group(
        1.0,
        """پیشرفت، تکمیل، بهبود، ارتقا، ارتقاء، تسریع، تشکر، سپاس، راه‌اندازی، نوسازی،
        بازسازی، روان‌سازی، تسهیل، هوشمندسازی، دوباره فعال، ایمن، شایسته،
        پیشبرد، امدادرسانی، نجات، خدمات‌رسانی، خدمت‌رسانی، آمادگی کامل، صرفه‌جویی،
        مطلوب، سرعت عمل""",
    ),
    **_group(
        0.6,
        """تحویل، پیگیری، توسعه، شتاب، تسهیلات، رایگان، تخصیص، آزادسازی، تحقق، محقق،
        احداث، تلاش، حمایت، طبق برنامه، خوشبختانه، سالم، روان، فعال، آماده، جشن""",
    ),
}

NEGATIVE_CUES: dict[str, float] = {
    **_group(
        -2.0,
        """کشته، کشته‌شدگان، جان باخت، جان‌باختگان، جان خود را از دست، تلفات، فوتی، فوت،
        سقوط، خروج از ریل، از ریل خارج، سوءمدیریت، فساد، اختلاس، رشوه""",
    ),
    **_group(
        -1.5,
        """تأخیر، تاخیر، اعتراض، معترض، گلایه، گلایه‌مند، شکایت، نارضایتی، ناراضی، انتقاد،
        منتقد، تجمع، اعتصاب، بلاتکلیف، بلاتکلیفی، نیمه‌کاره، نیمه‌تمام، مصدوم، مجروح،
        زخمی، واژگونی، حادثه‌خیز، پرحادثه، گرانی، قصور، کوتاهی، سهل‌انگاری، تعلل، تعویق،
        بدقولی، بی‌توجهی، بی‌اعتنایی، بی‌برنامگی، بی‌کیفیت، ناایمن، ناامن، آتش‌سوزی، حریق،
        مقصر، خشم، بحران، ناکارآمد، بی‌پاسخ، به ستوه، عقب‌ماندگی، استیضاح، ناخرسند،
        غفلت""",
    ),
    **_group(
        -1.2,
        """حادثه، حوادث، تصادف، معطل، معطلی، سرگردان، سرگردانی، کمبود، تعطیل، تعطیلی،
        تخلف، خسارت، متوقف، لغو، موکول، خرابی، خراب، معیوب، ناقص، نقص فنی، ضعیف، ضعف،
        نامناسب، ناکافی، نامطبوع، معضل، سردرگمی، بی‌ضابطه، بی‌نظمی، نگرانی، نگران، هدر،
        زیان، پلمب، از دسترس خارج، اختلال، صف طولانی، صف‌های طولانی، رانش، ریزش،
        انسداد، مسدود، متهم، دردسر، قربانی، گران، نامطلوب""",
    ),
    **_group(
        -0.8,
        """مشکل، قطعی، قطع، توقف، فرسوده، فرسودگی، چاله، آسیب، نقص، نواقص، ایراد، بدهی،
        معوق، معوقه، غیرمجاز، متخلف، مجبور، سکوت، گرفتار، آبگرفتگی، سیلاب، خطر، خطرناک،
        ازدحام، نامساعد، نشست زمین، برخورد نامناسب""",
    ),
    **_group(-0.5, "گرد و خاک"),
    **_group(-0.3, "ترافیک"),
}

# Words that look like a cue but are not one ("تعطیلات" are holidays, not a closure;
# "راه حل" is a solution, not "حل"). Matched as whole units, so they hide the cue.
NOT_CUES: tuple[str, ...] = (
    "تعطیلات",
    "تعطیلات نوروزی",
    "راه حل",
    "نشست خبری",
    "ترافیک شهری",
    "پلیس راه",
    "شورای ترافیک",
    "ایمنی",
    "روزهای تعطیل",
    "روز تعطیل",
    "ایام تعطیل",
)

# --- quantities: neutral alone, toned by the direction they move -------------------
# The weight is what a *rise* means: "افزایش قیمت" is bad news, "کاهش قیمت" good.

QUANTITIES: dict[str, float] = {
    **_group(-1.5, "قیمت، نرخ، اجاره‌بها، اجاره، کرایه، بها، تعرفه، هزینه، زمان سفر، زمان انتظار"),
    **_group(-1.0, "زمان، مدت انتظار، مدت زمان"),
    **_group(1.0, "مسافر، پرواز، ظرفیت، جابه‌جایی، جابجایی، سفر، تعداد پرواز"),
}

# --- modifiers ----------------------------------------------------------------------

# "Less of X": reverses the nearest cue ("کاهش تصادفات", "کندی پیشرفت"). The weight
# is used only when nothing is in reach.
DECREASES: dict[str, float] = {
    **_group(0.0, "کاهش، کاهش یافت، افت، تقلیل، از بین رفت، از بین برد، برچیده، کاسته"),
    **_group(-1.2, "کندی، کند شدن"),
}
# Remedies reverse the nearest *negative* cue ("رفع مشکل", "ایمن‌سازی نقاط
# حادثه‌خیز", "مشکل ... برطرف شد"); alone they are good news.
REMEDIES: dict[str, float] = {
    **_group(0.8, "رفع، برطرف، مرتفع، حل، جبران، رسیدگی، ترمیم"),
    **_group(1.0, "ایمن‌سازی، ایمن سازی"),
}
# Comparatives move a quantity only as the clause's verb ("تلفات ... ۱۵ درصد کمتر بود");
# "در کمتر از شش ساعت بازگشایی شد" is about time, not about the reopening.
COMPARATIVES: dict[str, float] = {
    **_group(-1.0, "کمتر، پایین‌تر"),
    **_group(1.0, "بیشتر، بالاتر"),
}
# "More of X": gives a quantity its tone and strengthens a cue ("افزایش تأخیر").
INCREASES: dict[str, float] = {
    **_group(0.0, "افزایش، افزایش یافت، رشد، دو برابر، چند برابر، سه برابر، فزاینده"),
    **_group(-0.8, "تشدید"),
}

# Negation words that reach forward to the next cue ("عدم پیشرفت", "بدون تأخیر",
# "هیچ حادثه‌ای"). The weight is used when no cue follows: "نبود" and "عدم" alone
# still report a lack ("نبود مدرسه"), "بدون" and "هیچ" say nothing by themselves.
FORWARD_NEGATORS: dict[str, float] = {
    **_group(-0.8, "عدم، نبود، فقدان"),
    **_group(0.0, "بدون، هیچ، هیچ گونه، هیچگونه، فاقد"),
}
# Negative verb forms (folded, so "نمی‌شود" is "نمیشود"): the verb closes a Persian
# clause, so it reverses the nearest cue *before* it ("هنوز افتتاح نشده").
NEGATED_VERB_PREFIXES: tuple[str, ...] = (
    "نمی",
    "نخواه",
    "نشد",
    "نشو",
    "نکرد",
    "نکن",
    "نیست",
    "نبود",
    "ندار",
    "نداشت",
    "نداد",
    "ندهد",
    "نرسید",
    "نرسد",
    "نگرفت",
    "نگیر",
    "نیافت",
    "نیاب",
    "نیامد",
    "نپذیرفت",
    "نگرد",
    "نبوده",
)
# A negated verb reverses a cue only if the word right before it is a cue or one of
# these: "تأخیری گزارش نشد", "با تأخیر مواجه نشد". Any other word is the verb's own
# partner: "در اعتراض به پرداخت نشدن حقوق" negates the payment, not the protest.
NEGATION_PASSES: tuple[str, ...] = (
    "رخ",
    "گزارش",
    "ثبت",
    "مشاهده",
    "دیده",
    "وجود",
    "مواجه",
    "روبرو",
    "روبه‌رو",
    "دچار",
    "همراه",
    "است",
    "هم",
    "نیز",
    "را",
)
# With a negated verb, these words stretch its reach back to themselves and, when no
# cue is in between, make the clause a delay by themselves ("هنوز تحویل نشده").
EXTENDERS: tuple[str, ...] = ("هنوز", "تاکنون", "تا کنون", "هرگز", "هنوز هم")
# "نه تنها ... بلکه ..." is emphasis, not negation.
NOT_NEGATION: tuple[str, ...] = ("نه تنها", "نه فقط")

# Adverbs come before what they strengthen ("به شدت انتقاد کردند"), adjectives after
# it ("ترافیک سنگین", "تخلفات گسترده").
INTENSIFIERS_BEFORE: tuple[str, ...] = ("بسیار", "شدیدا", "به شدت", "کاملا", "بارها", "حتی یک")
INTENSIFIERS_AFTER: tuple[str, ...] = (
    "شدید",
    "جدی",
    "گسترده",
    "فراوان",
    "زیاد",
    "بی‌سابقه",
    "چشمگیر",
    "چشمگیری",
    "سنگین",
    "مکرر",
    "عمیق",
)
DOWNTONERS: tuple[str, ...] = ("جزئی", "اندکی", "مختصر", "تا حدودی", "نسبتا")

# Forecasts, risks and advice: the bad words in such a sentence have not happened
# ("احتمال آبگرفتگی"), so its negative cues count less.
HEDGES: tuple[str, ...] = (
    "احتمال",
    "احتمالا",
    "پیش‌بینی",
    "ممکن",
    "محتمل",
    "توصیه",
    "هشدار",
    "در صورت",
    "چنانچه",
    "احتیاط",
)
# Demands, promises and pointed questions: the good words in "خواستار تسریع در تکمیل شد" or
# "چرا پروژه‌ای نیمه‌تمام را افتتاح کرد" have not happened, so they count less.
DEMANDS: tuple[str, ...] = (
    "چرا",
    "می‌پرسند",
    "خواست",
    "خواستار",
    "درخواست",
    "مطالبه",
    "ضرورت",
    "لزوم",
    "وعده",
)
# "با وجود افتتاح ..." concedes a point the sentence then overrides.
CONCESSIVES: tuple[str, ...] = ("با وجود", "علی‌رغم", "به رغم", "هرچند", "اگرچه", "گرچه")
# What follows "اما"/"بلکه" is what the sentence is about.
CONTRASTS: tuple[str, ...] = ("اما", "ولی", "بلکه", "لیکن", "ولیکن", "در حالی که")


# --- compiled once at import ------------------------------------------------------

# Plural, pronoun and comparative endings accepted after any entry, longest first.
_SUFFIXES = tuple(
    sorted(
        "ها های هایی هایش هایشان ات ان ین ی ای یی اش شان تر ترین مند مندان ند گان".split(),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class Entry:
    kind: str  # cue, quantity, decrease, remedy, forward, extender, intensifier, ...
    weight: float = 0.0


def _compile() -> tuple[dict[str, Entry], frozenset[str], int]:
    table: dict[str, Entry] = {}
    longest = 1

    def add(words: Iterable[str], kind: str, weights: dict[str, float] | None = None) -> None:
        nonlocal longest
        for word in words:
            table[compact_key(word)] = Entry(kind, weights[word] if weights else 0.0)
            longest = max(longest, len(word.split()))

    add(POSITIVE_CUES, "cue", POSITIVE_CUES)
    add(NEGATIVE_CUES, "cue", NEGATIVE_CUES)
    add(QUANTITIES, "quantity", QUANTITIES)
    add(DECREASES, "decrease", DECREASES)
    add(INCREASES, "increase", INCREASES)
    add(REMEDIES, "remedy", REMEDIES)
    add(COMPARATIVES, "comparative", COMPARATIVES)
    add(FORWARD_NEGATORS, "forward", FORWARD_NEGATORS)
    add(EXTENDERS, "extender")
    add(NOT_NEGATION, "emphasis")
    add(INTENSIFIERS_BEFORE, "intensifier_before")
    add(INTENSIFIERS_AFTER, "intensifier")
    add(DOWNTONERS, "downtoner")
    add(HEDGES, "hedge")
    add(DEMANDS, "demand")
    add(NEGATION_PASSES, "pass")
    add(CONCESSIVES, "concessive")
    add(CONTRASTS, "contrast")
    add(NOT_CUES, "stop")
    prefixes = frozenset(key[:n] for key in table for n in range(1, len(key) + 1))
    # +1: a suffix written apart ("تأخیر ها") is one more word.
    return table, prefixes, longest + 1


_TABLE, PREFIXES, MAX_WORDS = _compile()
_NEGATED_VERB_RE = re.compile("^(?:" + "|".join(NEGATED_VERB_PREFIXES) + ")")

# News vocabulary repeats: folding a word and looking a key up are cached.
fold = lru_cache(maxsize=1 << 16)(compact_key)


@lru_cache(maxsize=1 << 16)
def lookup(key: str) -> Entry | None:
    """The entry a folded word (or several words joined) is, suffixes allowed."""
    entry = _TABLE.get(key)
    if entry is not None:
        return entry
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            entry = _TABLE.get(key[: -len(suffix)])
            if entry is not None:
                return entry
    return None


def negated_verb(key: str) -> bool:
    return _NEGATED_VERB_RE.match(key) is not None
