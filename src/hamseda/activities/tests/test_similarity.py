"""The matching engine without a database: canonical text, the score on the
labelled pairs, MinHash signatures and band hashes."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from datasketch import MinHash

from hamseda.activities import similarity
from hamseda.activities.similarity import canonical_tokens, make_doc, score

ROOT = Path(__file__).resolve().parents[4]


def _load_eval() -> ModuleType:
    # The floors live in the script, so the test and `python scripts/eval_overlap.py` agree.
    spec = importlib.util.spec_from_file_location(
        "eval_overlap", ROOT / "scripts" / "eval_overlap.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


EVAL = _load_eval()


@pytest.fixture(scope="module")
def scored():
    return EVAL.score_pairs(EVAL.load_pairs())


# --- canonical text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ("نهضت‌ملی مسکن", "نهضت ملی مسکن", "نهضتملی مسکن", "نهضت ملی  مسكن"),
        ("راه و شهرسازی", "راه‌وشهرسازی", "اداره کل راه و شهر سازی", "راه و شهرسازي"),
        ("راه‌آهن", "راه آهن", "راهآهن"),
        ("رسانه‌ها", "رسانه ها", "رسانه"),
        ("ویژه‌نامه‌ی دهه‌ی فجر", "ویژه نامه دهه فجر", "ويژه‌نامه دهۀ فجر"),
        ("گفت‌وگوی زنده", "گفتگوی زنده", "مصاحبه زنده"),
        ("۱۴۰۵", "1405", "١٤٠٥"),
        ("نمایشگاه‌عکس", "نمایشگاه عکس"),
    ],
)
def test_spelling_variants_fold_to_the_same_tokens(variants):
    # when
    keys = {tuple(canonical_tokens(text)) for text in variants}
    # then
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("خبرنگاران", "اصحاب رسانه"),
        ("رسانه‌ها", "اهالی رسانه"),
        ("بازدید", "سفر"),
        ("تور", "بازدید میدانی"),
        ("نشست خبری", "کنفرانس خبری"),
        ("مسکن ملی", "نهضت ملی مسکن"),
        ("افتتاح", "بهره‌برداری"),
        ("آیین افتتاح", "افتتاح"),
        ("اطلاع‌رسانی", "آگاهی‌بخشی"),
        ("نمایشگاه", "غرفه"),
        ("فرودگاه‌های استان", "اداره کل فرودگاه‌ها"),
    ],
)
def test_pr_synonyms_are_one_concept(first, second):
    assert canonical_tokens(first) == canonical_tokens(second)


def test_stop_words_and_plurals_do_not_count():
    assert canonical_tokens("بازدید از پروژه‌ها در استان") == canonical_tokens("بازدید پروژه")


def test_sefar_of_nowruz_travel_is_not_a_visit():
    # «سفر» is a visit, but «سفرهای نوروزی» is the Nowruz travel programme.
    assert "#visit" in canonical_tokens("سفر استاندار به بهارستان")
    assert "#visit" not in canonical_tokens("ستاد سفرهای نوروزی")


def test_an_agency_alias_reads_as_the_official_name():
    # given
    table = similarity.alias_table([("عمران بهارستان", "شرکت عمران شهر جدید بهارستان")])
    # then
    assert canonical_tokens("نشست خبری مدیرعامل عمران بهارستان", table) == canonical_tokens(
        "نشست خبری مدیرعامل شرکت عمران شهر جدید بهارستان", table
    )
    # the base table alone does not know the short name
    assert canonical_tokens("عمران بهارستان") != canonical_tokens("شرکت عمران شهر جدید بهارستان")


# --- score -------------------------------------------------------------------------

VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"


def test_reworded_visit_scores_above_threshold():
    a = make_doc(title=VISIT, start_date=date(2025, 7, 15))
    b = make_doc(title=REWORDED, start_date=date(2025, 7, 15), end_date=date(2025, 7, 16))
    assert score(a, b) >= similarity.THRESHOLD


def test_far_dates_make_the_same_text_different_work():
    a = make_doc(title=VISIT, start_date=date(2025, 4, 20))
    b = make_doc(title=VISIT, start_date=date(2025, 7, 15))
    assert score(a, a) == pytest.approx(1.0)
    assert score(a, b) < similarity.THRESHOLD


def test_press_conference_and_news_release_on_one_project_are_different_work():
    a = make_doc(title="نشست خبری پیشرفت نهضت ملی مسکن بهارستان", start_date=date(2025, 7, 15))
    b = make_doc(title="انتشار خبر پیشرفت نهضت ملی مسکن بهارستان", start_date=date(2025, 7, 15))
    comparison = similarity.compare(a, b)
    assert comparison.conflicts == ("kind",)
    assert comparison.score < similarity.THRESHOLD


def test_a_shared_campaign_adds_to_the_score():
    a = make_doc(title=VISIT, start_date=date(2025, 7, 15), campaigns=[1])
    b = make_doc(title=REWORDED, start_date=date(2025, 7, 15), campaigns=[1])
    c = make_doc(title=REWORDED, start_date=date(2025, 7, 15), campaigns=[2])
    assert score(a, b) > score(a, c)
    assert similarity.compare(a, b).same_campaign


def test_date_factor_is_one_for_overlap_and_zero_far_away():
    assert similarity.date_factor(0) == 1.0
    assert similarity.date_factor(similarity.DATE_TOLERANCE_DAYS) == pytest.approx(0.8)
    assert similarity.date_factor(3 * similarity.DATE_TOLERANCE_DAYS) == 0.0


# --- the labelled set --------------------------------------------------------------


def test_labelled_set_is_large_and_balanced_enough():
    pairs = EVAL.load_pairs()
    categories = Counter(p["category"] for p in pairs)
    assert len(pairs) >= 120
    assert sum(p["same"] for p in pairs) / len(pairs) >= 0.45
    for category in (*EVAL.POSITIVE_CATEGORIES, *EVAL.NEGATIVE_CATEGORIES[:2]):
        assert categories[category] >= 15, category
    for pair in pairs:
        expected = pair["category"] in EVAL.POSITIVE_CATEGORIES
        assert pair["same"] is expected, pair["id"]


def test_labelled_pairs_meet_precision_and_recall_floors_at_threshold(scored):
    m = EVAL.metrics(scored, similarity.THRESHOLD)
    assert m["precision"] >= EVAL.FLOORS["precision"]
    assert m["recall"] >= EVAL.FLOORS["recall"]


def test_every_category_is_mostly_right_at_threshold(scored):
    for category, (_count, rate) in EVAL.category_rates(scored, similarity.THRESHOLD).items():
        assert rate >= EVAL.CATEGORY_FLOOR, category


def test_band_index_finds_the_labelled_same_work_pairs(scored):
    assert EVAL.candidate_recall(scored) >= EVAL.FLOORS["candidate_recall"]


# --- MinHash and bands -------------------------------------------------------------


def test_batch_signatures_equal_datasketch_signatures():
    # given
    many = [similarity.features(f"{VISIT} {i}", f"شرح شماره {i} {REWORDED}") for i in range(40)] + [
        similarity.features("", ""),
        similarity.features("از در به", ""),
    ]
    # when
    batch = similarity.signature_batch(many, chunk=16)
    # then
    assert batch.dtype == np.uint32
    assert (batch == np.array([similarity.signature(f) for f in many])).all()


def test_signature_parts_are_datasketch_minhashes_of_the_shingles():
    feats = similarity.features(VISIT, REWORDED)
    title_words, _full_words = similarity.shingles(feats)
    minhash = MinHash(num_perm=similarity.PERMS_PER_PART, seed=similarity._SEEDS[0])
    minhash.update_batch([w.encode() for w in title_words])
    assert (similarity.signature(feats)[: similarity.PERMS_PER_PART] == minhash.hashvalues).all()


def test_band_hashes_are_signed_64_bit_and_depend_on_the_province():
    sig = similarity.signature(similarity.features(VISIT))
    isfahan = similarity.band_hashes(sig, 4)
    fars = similarity.band_hashes(sig, 17)
    assert len(isfahan) == similarity.BANDS
    assert all(-(2**63) <= h < 2**63 for h in isfahan)
    assert not set(isfahan) & set(fars)
    assert similarity.band_hashes(sig, 4) == isfahan


def test_band_hash_format_is_stable():
    # Stored hashes must not change silently: a change here means every
    # deployment has to run `manage.py activities_reindex`.
    sig = similarity.signature(similarity.features(VISIT))
    assert similarity.band_hashes(sig, 4)[:2] == PINNED_BAND_HASHES


def test_a_text_without_words_has_no_bands():
    sig = similarity.signature(similarity.features("از در به"))
    assert similarity.empty_bands(sig[None, :]).all()


PINNED_BAND_HASHES = [-7836326864182419329, -6556046659242390604]
