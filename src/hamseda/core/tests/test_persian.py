"""Persian normalisation, search keys, sort keys and digits (hamseda.core.persian)."""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Engine

from hamseda.core.persian import (
    PERSIAN_ALPHABET,
    compact_key,
    en_digits,
    fa_digits,
    format_number,
    normalize,
    query_terms,
    search_key,
    sort_key,
)

ZWNJ = "\u200c"
REFERENCE = Path("/work/shared/reference")
AGENCY_NAMES = [
    row["name_fa"]
    for row in csv.DictReader((REFERENCE / "isfahan-council.csv").open(encoding="utf-8"))
]
NEWS_TEXT = (REFERENCE / "council-meeting-news.fa.txt").read_text(encoding="utf-8")


def matches(query: str, record: str) -> bool:
    """The contract documented on query_terms, as the directory search applies it."""
    record_key = compact_key(record)
    return all(term in record_key for term in query_terms(query))


def arabic_spelling(name: str) -> str:
    return name.replace("ی", "ي").replace("ک", "ك")


def spelling_variants(name: str) -> list[str]:
    """Every way the reference texts and users write the same name."""
    positions = [i for i, char in enumerate(name) if char == ZWNJ]
    variants = [
        arabic_spelling(name),
        name.replace(ZWNJ, " "),  # every half-space typed as a space
        name.replace(ZWNJ, ""),  # every half-space dropped: "اطلاعرسانی", as in the news
        arabic_spelling(name.replace(ZWNJ, "")),
        f"  {name.replace(' ', '  ')}\t",  # sloppy spacing
    ]
    for i in positions:  # each half-space on its own
        variants.append(name[:i] + " " + name[i + 1 :])
        variants.append(name[:i] + name[i + 1 :])
    return variants


def test_reference_csv_is_read_and_has_half_spaced_names() -> None:
    assert len(AGENCY_NAMES) == 14
    assert any(ZWNJ in name for name in AGENCY_NAMES)


@pytest.mark.parametrize("name", AGENCY_NAMES)
def test_every_spelling_of_an_agency_name_has_the_compact_key_of_the_original(name: str) -> None:
    # given
    expected = compact_key(name)
    # when
    keys = {variant: compact_key(variant) for variant in spelling_variants(name)}
    # then
    assert expected
    assert all(key == expected for key in keys.values()), keys


@pytest.mark.parametrize("name", AGENCY_NAMES)
def test_arabic_letters_give_the_same_search_key_as_persian_ones(name: str) -> None:
    assert search_key(arabic_spelling(name)) == search_key(name)


def test_joined_words_of_the_news_text_match_half_spaced_spellings() -> None:
    # given the news writes compounds joined: "اطلاعرسانی", "دستگاههای", "ادارهکل"
    news_key = compact_key(NEWS_TEXT)
    # then
    assert compact_key("اطلاعرسانی") == compact_key("اطلاع‌رسانی")
    assert compact_key("دستگاههای") == compact_key("دستگاه‌های") == compact_key("دستگاه های")
    assert compact_key("اداره کل") in news_key


@pytest.mark.parametrize(
    "name",
    [
        "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی",
        "استانداری اصفهان",
        "اداره کل راه و شهرسازی استان اصفهان",
    ],
)
def test_agencies_named_in_the_news_are_found_in_it_by_their_official_names(name: str) -> None:
    assert name in AGENCY_NAMES
    assert matches(name, NEWS_TEXT)


def test_railway_is_the_same_key_with_half_space_space_or_joined() -> None:
    keys = {compact_key(s) for s in ("راه‌آهن", "راه آهن", "راهآهن", "راه\u200c\u200cآهن")}
    assert keys == {"راهاهن"}


def test_arabic_spelling_of_the_chair_agency_has_the_same_search_key() -> None:
    assert search_key("اداره كل راه و شهرسازي") == search_key("اداره کل راه و شهرسازی")


# --- normalize ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي كريمي", "علی کریمی"),
        ("مصطفى", "مصطفی"),
        ("خانە", "خانه"),
        ("سال ١٤٠٤", "سال ۱۴۰۴"),
        ("info@hamseda.ir 09131234567", "info@hamseda.ir 09131234567"),
        ("  راه \t  و   شهرسازی  ", "راه و شهرسازی"),
        ("سلام ، خوبی ؟", "سلام، خوبی؟"),
        ("گفت : بله .", "گفت: بله."),
        ("واقعا !", "واقعا!"),
        ("خط اول  \nخط دوم", "خط اول\nخط دوم"),
        ("بند یک\n\n\n\n\nبند دو", "بند یک\n\nبند دو"),
        ("بند یک\r\n\r\n\r\nبند دو", "بند یک\n\nبند دو"),
        ("می\u200c\u200c\u200cروم", "می\u200cروم"),
        ("\u200cراه \u200cآهن\u200c", "راه آهن"),
        ("کتاب\u200c ها", "کتاب ها"),
        ("کتاب\u200c.", "کتاب."),
    ],
)
def test_normalize_fixes_letters_digits_and_spacing(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_diacritics_hamza_and_half_spaces_inside_words() -> None:
    text = "مسئولیت‌های اجرایی دولتِ مؤسسه"
    assert normalize(text) == text


@pytest.mark.parametrize(
    "text",
    [
        *AGENCY_NAMES,
        NEWS_TEXT,
        " \u200c \u200c ، ؟ \n\n\n \u200c",
        "كتاب\u200c \u200c\u200c ها  .  \r\n \r\n \r\n !",
        "a\u200c\u200c b \t\u200c\n\n\n\n.",
    ],
)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_normalize_and_search_key_are_idempotent_on_random_messy_text() -> None:
    # given random strings of the characters the rules act on
    alphabet = "ابکیيكىە\u200c\u200d \t\n\r،؛:.!؟?«»-_/١٢۳4aBِ\u0654\u200fءآأ\u00a0ﻻ"
    rng = random.Random(1404)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        # when
        once, key = normalize(text), search_key(text)
        # then
        assert normalize(once) == once, repr(text)
        assert search_key(key) == key, repr(text)
        assert search_key(once) == key, repr(text)


# --- search_key, compact_key, query_terms ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُدیرِ کُلّ", "مدیر کل"),
        ("شهـــرسازی", "شهرسازی"),
        ("أحمد إسلامی ٱلله آب", "احمد اسلامی الله اب"),
        ("مدرسة خانۀ", "مدرسه خانه"),
        ("مؤسسه مسئول جزء", "موسسه مسیول جز"),
        ("۱۴۰۴ ١٤٠٤ 1404", "1404 1404 1404"),
        ("Hamseda ITS", "hamseda its"),
        ("«همصدا» - شورا، دبیرخانه؛ چرا؟ a_b/c", "همصدا شورا دبیرخانه چرا a b c"),
        ("\u200fراه\u202b و\u202c شهر\u2067سازی\u2069", "راه و شهرسازی"),
        ("ﻻله", "لاله"),  # an Arabic presentation form pasted from a PDF
    ],
)
def test_search_key_folds_spelling_variants(raw: str, expected: str) -> None:
    assert search_key(raw) == expected


def test_compact_key_removes_all_spaces() -> None:
    assert compact_key(" راه  و شهرسازی ") == "راهوشهرسازی"


def test_query_terms_are_compact_words_without_duplicates_in_query_order() -> None:
    assert query_terms("  راه‌آهن، اصفهان  راه‌آهن  ") == ["راهاهن", "اصفهان"]
    assert query_terms("  ، ؟ ") == []


@pytest.mark.parametrize(
    ("query", "record", "expected"),
    [
        ("راه آهن", "اداره کل راه‌آهن منطقه اصفهان", True),
        ("راهآهن اصفهان", "اداره کل راه‌آهن منطقه اصفهان", True),
        ("اصفهان راه‌آهن", "اداره کل راه‌آهن منطقه اصفهان", True),
        ("اطلاعرسانی", "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی", True),
        ("شهرسازي", "اداره کل راه و شهرسازی استان اصفهان", True),
        ("فرودگاه", "اداره کل فرودگاه‌های استان اصفهان", True),
        ("راه‌آهن تهران", "اداره کل راه‌آهن منطقه اصفهان", False),
        ("هواشناسی", "اداره کل راه و شهرسازی استان اصفهان", False),
        ("", "هر رکوردی", True),
    ],
)
def test_a_record_matches_when_every_query_term_is_in_its_compact_key(
    query: str, record: str, expected: bool
) -> None:
    assert matches(query, record) is expected


# --- sort_key ----------------------------------------------------------------------


def test_sort_key_orders_persian_only_letters_where_the_alphabet_puts_them() -> None:
    # given names that code-point order gets wrong (پ چ ژ ک گ ی sit after the Arabic letters)
    names = ["یزد", "گرگان", "کرمان", "ژیان", "زنجان", "چابهار", "جهرم", "پاوه", "بم", "لار"]
    expected = ["بم", "پاوه", "جهرم", "چابهار", "زنجان", "ژیان", "کرمان", "گرگان", "لار", "یزد"]
    # when
    result = sorted(names, key=sort_key)
    # then
    assert result == expected
    assert sorted(names) != expected


def test_sort_key_follows_the_whole_persian_alphabet() -> None:
    letters = [letter for letter in PERSIAN_ALPHABET if letter != "آ"]  # آ folds to ا
    shuffled = random.Random(1404).sample(letters, len(letters))
    assert sorted(shuffled, key=sort_key) == letters


def test_sort_key_puts_spaces_and_digits_before_letters_and_variants_together() -> None:
    assert sorted(["آبادان", "آب انبار", "۲ بهمن", "10 فروردین"], key=sort_key) == [
        "10 فروردین",
        "۲ بهمن",
        "آب انبار",
        "آبادان",
    ]
    assert sort_key("كرماني") == sort_key("کرمانی")


# --- digits and numbers ------------------------------------------------------------


def test_fa_digits_turns_latin_and_arabic_digits_persian() -> None:
    assert fa_digits("ساعت 14:30، ٢ نفر") == "ساعت ۱۴:۳۰، ۲ نفر"
    assert fa_digits(1404) == "۱۴۰۴"


def test_en_digits_turns_persian_and_arabic_digits_ascii() -> None:
    assert en_digits("۰۹۱۳-١٢٣ 45") == "0913-123 45"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567, None, "۱٬۲۳۴٬۵۶۷"),
        (0, None, "۰"),
        (-1500, None, "-۱٬۵۰۰"),
        (1234.5, None, "۱٬۲۳۴٫۵"),
        (1234.5, 2, "۱٬۲۳۴٫۵۰"),
        (2 / 3, 1, "۰٫۷"),
        (Decimal("9876543.21"), None, "۹٬۸۷۶٬۵۴۳٫۲۱"),
        (Decimal("1E+3"), None, "۱٬۰۰۰"),
        (999, 0, "۹۹۹"),
    ],
)
def test_format_number_uses_persian_digits_and_separators(
    value: int | float | Decimal, decimals: int | None, expected: str
) -> None:
    assert format_number(value, decimals) == expected


# --- template filters --------------------------------------------------------------


def render(source: str, **context: object) -> str:
    engine = Engine(builtins=["hamseda.core.templatetags.persian"])
    return engine.from_string(source).render(Context(context))


def test_digit_and_number_filters_render_persian_and_are_none_safe() -> None:
    assert render("{{ n|fa }}|{{ n|fa_number }}|{{ x|fa_number:2 }}", n=12345, x=0.5) == (
        "۱۲۳۴۵|۱۲٬۳۴۵|۰٫۵۰"
    )
    assert render("[{{ v|fa }}{{ v|fa_number }}{{ v|normalize }}]", v=None) == "[]"


def test_normalize_filter_normalizes_and_still_escapes() -> None:
    assert render("{{ t|normalize }}", t="كيك <b>") == "کیک &lt;b&gt;"
