"""Tone toward an agency without a database: cues, negation, direction words, the
agency's sentences, and the floors on the labelled articles."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from hamseda.core.persian import compact_key
from hamseda.monitoring import tone_lexicon as lex
from hamseda.monitoring.tone import NEGATIVE, NEUTRAL, POSITIVE, ToneResult, tone_of

ROOT = Path(__file__).resolve().parents[4]


def _load_eval() -> ModuleType:
    # The floors live in the script, so the test and `python scripts/eval_tone.py` agree.
    spec = importlib.util.spec_from_file_location("eval_tone", ROOT / "scripts" / "eval_tone.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


EVAL = _load_eval()


@pytest.fixture(scope="module")
def articles():
    return EVAL.load_articles()


@pytest.fixture(scope="module")
def scored(articles):
    return EVAL.score_articles(articles)


# --- cues ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tone", "cue"),
    [
        ("آزادراه شیراز ـ اصفهان با حضور وزیر افتتاح شد.", POSITIVE, "افتتاح"),
        ("استاندار از کارکنان راهداری تقدیر کرد.", POSITIVE, "تقدیر"),
        ("پرواز شیراز ـ تهران با تأخیر انجام شد.", NEGATIVE, "تأخیر"),
        ("ساکنان از سوءمدیریت شرکت عمران گلایه دارند.", NEGATIVE, "سوءمدیریت"),
        ("واژگونی اتوبوس دو کشته برجای گذاشت.", NEGATIVE, "کشته"),
    ],
)
def test_a_lexicon_word_gives_its_tone_and_is_named_as_the_cue(text, tone, cue):
    result = tone_of(text)
    assert result.tone == tone
    assert cue in result.cues


@pytest.mark.parametrize(
    "spelling",
    ["بهره‌برداری", "بهره برداری", "بهرهبرداری", "بهره‌برداري"],
)
def test_half_spaced_joined_and_arabic_spellings_match_one_entry(spelling):
    assert tone_of(f"بزرگراه جهرم به {spelling} رسید.").tone == POSITIVE


def test_plural_and_attached_suffixes_still_match():
    assert tone_of("تأخیرها و اعتراضات مسافران ادامه دارد.").tone == NEGATIVE
    assert tone_of("هیچ حادثه‌ای رخ نداد.").tone == POSITIVE


def test_a_multi_word_entry_wins_over_the_word_inside_it():
    # "ترافیک" alone is a mild complaint; "زیر بار ترافیک رفتن" is an opening.
    assert tone_of("این محور تا پایان سال زیر بار ترافیک می‌رود.").tone == POSITIVE


def test_holidays_are_not_a_closure():
    assert tone_of("محور شیراز ـ کازرون در تعطیلات نوروزی یک‌طرفه می‌شود.").tone == NEUTRAL


def test_an_announcement_without_cues_is_neutral_with_zero_score():
    result = tone_of("ساعت حرکت قطار شیراز ـ تهران از ابتدای آبان تغییر می‌کند.")
    assert result == ToneResult(tone=NEUTRAL, score=0.0, cues=())
    assert tone_of("") == ToneResult(tone=NEUTRAL, score=0.0, cues=())


def test_score_stays_within_minus_one_and_one():
    piled = "کشته و مصدوم و تأخیر و اعتراض و گلایه و سوءمدیریت. " * 20
    assert -1.0 <= tone_of(piled).score < -0.99
    assert tone_of("افتتاح و تقدیر و رکورد. " * 20).score <= 1.0


# --- negation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("آزادراه هنوز افتتاح نشده است.", NEGATIVE),
        ("این پروژه امسال هم افتتاح نمی‌شود.", NEGATIVE),
        ("این پروژه امسال هم افتتاح نمی شود.", NEGATIVE),
        ("واحدهای مسکن ملی هنوز تحویل نشده‌اند.", NEGATIVE),
        ("شرکت عمران هنوز اقدامی نکرده است.", NEGATIVE),  # no cue: هنوز ... نکرده is a delay
        ("عدم پیشرفت پروژه نمایندگان را نگران کرده است.", NEGATIVE),
        ("پروژه بدون تأخیر تکمیل شد.", POSITIVE),
        ("قطار در سه ماه گذشته حتی یک مورد تأخیر نداشته است.", POSITIVE),
        ("هیچ پروازی در ایام نوروز با تأخیر انجام نشد.", POSITIVE),
        ("نه تنها با تأخیر مواجه نشد، بلکه زودتر از برنامه به بهره‌برداری رسید.", POSITIVE),
    ],
)
def test_negation_reverses_the_cue_it_governs(text, tone):
    assert tone_of(text).tone == tone


def test_negation_is_shown_with_its_cue():
    assert tone_of("آزادراه هنوز افتتاح نشده است.").cues == ("افتتاح نشده",)
    assert tone_of("پروژه بدون تأخیر تکمیل شد.").cues[0] == "بدون تأخیر"


def test_nah_tanha_is_emphasis_not_negation():
    assert tone_of("نه تنها افتتاح شد بلکه رکورد زد.").tone == POSITIVE


def test_a_forward_negator_reaches_only_its_next_word():
    # "بدون اطلاع قبلی" is about the notice; the cancellation still happened.
    assert tone_of("پرواز بدون اطلاع قبلی لغو شد.").tone == NEGATIVE


def test_a_negated_light_verb_negates_its_own_partner_not_an_earlier_cue():
    # The unpaid wages are negated, not the protest.
    assert tone_of("کارکنان در اعتراض به پرداخت نشدن حقوق تجمع کردند.").tone == NEGATIVE


# --- direction, intensity, hedges ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("کاهش تصادفات", POSITIVE),
        ("تعداد تصادفات فوتی در جاده‌های فارس ۲۲ درصد کاهش یافت.", POSITIVE),
        ("افزایش تأخیر پروازها", NEGATIVE),
        ("کاهش قیمت بلیت", POSITIVE),
        ("قیمت بلیت قطار از ابتدای ماه ۳۵ درصد افزایش یافت.", NEGATIVE),
        ("تلفات جاده‌ای نوروز نسبت به پارسال ۱۵ درصد کمتر بود.", POSITIVE),
        ("مشکل قطعی برق ایستگاه برطرف شد.", POSITIVE),
        ("پیشرفت پروژه به ۶۵ درصد رسیده و مشکل تأمین مصالح نیز برطرف شده است.", POSITIVE),
    ],
)
def test_direction_words_turn_or_give_the_tone(text, tone):
    assert tone_of(text).tone == tone


def test_an_unconnected_comparative_does_nothing():
    # "در کمتر از شش ساعت" is about time, not about the reopening.
    assert tone_of("محور در کمتر از شش ساعت بازگشایی شد.").tone == POSITIVE


def test_an_intensifier_strengthens_its_cue():
    plain = tone_of("مسافران از کندی برف‌روبی انتقاد کردند.").score
    strong = tone_of("مسافران از کندی برف‌روبی به شدت انتقاد کردند.").score
    assert strong < plain < 0


def test_a_forecast_of_bad_weather_is_neutral():
    text = (
        "اداره کل هواشناسی فارس با صدور هشدار زرد از احتمال وقوع سیلاب و آبگرفتگی "
        "معابر خبر داد و به مسافران توصیه کرد از سفرهای غیرضروری خودداری کنند."
    )
    assert tone_of(text).tone == NEUTRAL


def test_a_pointed_question_does_not_count_as_praise():
    text = "شهروندان می‌پرسند چرا راه و شهرسازی پروژه‌ای نیمه‌تمام را افتتاح کرد."
    assert tone_of(text).tone == NEGATIVE


# --- tone toward the agency ----------------------------------------------------------


def test_sentences_mentioning_the_agency_weigh_more():
    # given a story that is bad news for the police and good news for the railway
    text = (
        "پلیس راهور به دلیل تأخیر در امدادرسانی به شدت مورد انتقاد قرار گرفت. "
        "در همین حال اداره کل راه‌آهن فارس از افتتاح ایستگاه جدید خبر داد."
    )
    start = text.index("اداره کل راه‌آهن فارس")
    # when read evenly, and then toward the railway's mention
    evenly = tone_of(text)
    toward = tone_of(text, around=[(start, start + len("اداره کل راه‌آهن فارس"))])
    # then the police's bad news no longer decides the railway's tone
    assert evenly.tone == NEGATIVE
    assert toward.tone != NEGATIVE
    assert toward.score > evenly.score


# --- the lexicon -------------------------------------------------------------------------


def test_no_lexicon_word_is_both_positive_and_negative():
    positive = {compact_key(word) for word in lex.POSITIVE_CUES}
    negative = {compact_key(word) for word in lex.NEGATIVE_CUES}
    assert not positive & negative
    assert all(positive)
    assert all(negative)
    assert all(weight > 0 for weight in lex.POSITIVE_CUES.values())
    assert all(weight < 0 for weight in lex.NEGATIVE_CUES.values())


# --- the labelled set --------------------------------------------------------------------

HARD_CATEGORIES = ("mixed", "negated", "decrease_good", "increase_bad", "resolved")


def test_labelled_set_is_large_balanced_and_has_hard_cases(articles):
    tones = Counter(a["tone"] for a in articles)
    categories = Counter(a["category"] for a in articles)
    assert len(articles) >= 120
    for tone in (NEGATIVE, POSITIVE):
        assert 0.30 <= tones[tone] / len(articles) <= 0.40, tone
    assert 0.25 <= tones[NEUTRAL] / len(articles) <= 0.35
    assert sum(categories[c] for c in HARD_CATEGORIES) >= 15
    later = [a for a in articles if a["batch"] > 1]
    assert len(later) / len(articles) >= 0.3
    assert sum(a["batch"] == EVAL.HELD_OUT_BATCH for a in articles) >= 18


def test_every_article_names_its_agency_and_has_a_known_tone(articles):
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids)
    for article in articles:
        assert article["agency"] in article["text"], article["id"]
        assert article["tone"] in (NEGATIVE, NEUTRAL, POSITIVE), article["id"]
        sentences = [s for s in re.split(r"[.!؟?]+", article["text"]) if s.strip()]
        assert 2 <= len(sentences) <= 5, article["id"]


def test_labelled_articles_meet_accuracy_and_negative_recall_floors(scored):
    m = EVAL.metrics(scored)
    assert m["accuracy"] >= EVAL.FLOORS["accuracy"]
    assert m["negative_recall"] >= EVAL.FLOORS["negative_recall"]


def test_held_out_articles_meet_their_floor(scored):
    held_out = [s for s in scored if s.article["batch"] == EVAL.HELD_OUT_BATCH]
    assert EVAL.metrics(held_out)["accuracy"] >= EVAL.HELD_OUT_FLOOR


def test_eval_script_exits_zero_at_the_floors():
    assert EVAL.main([]) == 0
