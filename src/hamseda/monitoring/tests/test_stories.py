"""monitoring.stories: near-duplicate articles of several outlets become one story."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch import MinHash

from hamseda.monitoring import stories
from hamseda.monitoring.stories import StoryIndex, coverage, fingerprint

RELEASE_TITLE = "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن نهضت ملی در کاشان"
RELEASE = (
    "مدیرکل راه و شهرسازی استان اصفهان از آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن نهضت ملی "
    "در شهرستان کاشان خبر داد و گفت: زمین این طرح به مساحت ۴۰ هکتار در شمال شهر تأمین "
    "شده است. وی با اشاره به اینکه اعتبار این طرح ۳۵۰۰ میلیارد ریال است، افزود: "
    "پیمانکار بومی از هفته آینده کار را آغاز می‌کند و نخستین بلوک‌ها تا پایان شهریور "
    "سال آینده به متقاضیان تحویل داده می‌شود. مدیرکل راه و شهرسازی همچنین از ساخت "
    "مدرسه، درمانگاه و فضای سبز در کنار این واحدها خبر داد و گفت: خدمات روبنایی "
    "همزمان با ساخت واحدها اجرا می‌شود تا ساکنان با کمبود خدمات روبه‌رو نشوند. "
    "به گفته وی، ثبت‌نام متقاضیان واجد شرایط از طریق سامانه نهضت ملی مسکن ادامه دارد "
    "و تاکنون ۳۲۰۰ نفر در کاشان ثبت‌نام کرده‌اند."
)

# The same release as three outlets publish it: own byline, own tail, Arabic letters,
# a word changed, a sentence cut, two sentences swapped.
IRNA = (
    "کاشان - ایرنا - " + RELEASE + "\nانتهای پیام/",
    RELEASE_TITLE + " - ایرنا",
)
ISNA = (
    "به گزارش خبرنگار ایسنا از اصفهان، "
    + RELEASE.replace("ی", "ي").replace("ک", "ك").replace("خبر داد", "اعلام کرد")
    + "\nکد خبر: 1403052112",
    "فیلم/ " + RELEASE_TITLE,
)
_sentences = RELEASE.split(". ")
MEHR = (
    "به گزارش خبرگزاری مهر به نقل از روابط عمومی اداره کل راه و شهرسازی استان اصفهان، "
    + ". ".join([_sentences[1], _sentences[0], *_sentences[3:]]),
    "۱۲۰۰ واحد مسکن نهضت ملی در کاشان ساخته می‌شود",
)

OTHER_TITLE = "بهره‌برداری از ۵۰۰ واحد مسکن نهضت ملی در نجف‌آباد"
OTHER = (
    "به گزارش خبرگزاری مهر، معاون عمرانی استاندار اصفهان در آیین بهره‌برداری از ۵۰۰ "
    "واحد مسکن نهضت ملی در شهرستان نجف‌آباد گفت: کلید این واحدها امروز به خانواده‌های "
    "دارای سه فرزند و بیشتر تحویل داده شد. وی افزود: آب، برق و گاز همه واحدها وصل شده "
    "و راه دسترسی آن آسفالت شده است. معاون عمرانی استاندار با قدردانی از بنیاد مسکن و "
    "بانک‌های عامل گفت: ساخت ۸۰۰ واحد دیگر در این شهرستان از مهر آغاز می‌شود و "
    "متقاضیان می‌توانند از طریق سامانه نهضت ملی مسکن پیگیری کنند."
)


def _assign_all(articles: dict[str, tuple[str, str]]) -> StoryIndex:
    index = StoryIndex()
    for article_id, (text, title) in articles.items():
        index.assign(article_id, fingerprint(title, text))
    return index


def test_release_republished_by_three_outlets_is_one_story_with_coverage_3() -> None:
    # given
    outlet_of = {"irna-1": "ایرنا", "isna-1": "ایسنا", "mehr-1": "مهر"}

    # when
    index = _assign_all({"irna-1": IRNA, "isna-1": ISNA, "mehr-1": MEHR})

    # then
    (story,) = index.stories().values()
    assert sorted(story) == sorted(outlet_of)
    assert coverage(outlet_of[a] for a in story) == stories.Coverage(outlets=3, weight=3.0)


def test_each_copy_scores_well_above_the_threshold() -> None:
    index = StoryIndex()
    index.assign("irna", fingerprint(IRNA[1], IRNA[0]))

    story_isna, similarity_isna = index.assign("isna", fingerprint(ISNA[1], ISNA[0]))
    story_mehr, similarity_mehr = index.assign("mehr", fingerprint(MEHR[1], MEHR[0]))

    assert story_isna == story_mehr == "irna"  # the story is named after its first article
    assert similarity_isna >= 0.8
    assert similarity_mehr >= stories.THRESHOLD + 0.1


def test_two_releases_on_the_same_subject_are_two_stories() -> None:
    index = _assign_all({"irna-1": IRNA, "other": (OTHER, OTHER_TITLE), "mehr-1": MEHR})

    assert index.story_of("other") == "other"
    assert index.story_of("mehr-1") == "irna-1"
    assert len(index.stories()) == 2


def test_short_rss_summary_joins_the_story_of_its_long_article() -> None:
    # given: one outlet's feed carries only the lead, with its own byline
    lead = "به گزارش ایسنا، " + ". ".join(_sentences[:2]) + "."
    index = StoryIndex()
    index.assign("full", fingerprint(RELEASE_TITLE, "کاشان - ایرنا - " + RELEASE))

    # when
    story, similarity = index.assign("summary", fingerprint(RELEASE_TITLE, lead))

    # then
    assert story == "full"
    assert similarity >= stories.THRESHOLD


def test_long_article_arriving_after_its_summary_joins_it_too() -> None:
    index = StoryIndex()
    index.assign("summary", fingerprint(RELEASE_TITLE, ". ".join(_sentences[:2])))

    story, _ = index.assign("full", fingerprint(RELEASE_TITLE, RELEASE))

    assert story == "summary"


@pytest.mark.parametrize("order", list(itertools.permutations(["irna", "isna", "mehr", "other"])))
def test_grouping_does_not_depend_on_arrival_order(order: tuple[str, ...]) -> None:
    articles = {"irna": IRNA, "isna": ISNA, "mehr": MEHR, "other": (OTHER, OTHER_TITLE)}

    index = _assign_all({name: articles[name] for name in order})

    groups = {frozenset(members) for members in index.stories().values()}
    assert groups == {frozenset({"irna", "isna", "mehr"}), frozenset({"other"})}


def test_assigning_an_article_again_changes_nothing() -> None:
    index = _assign_all({"irna": IRNA, "isna": ISNA})

    assert index.assign("isna", fingerprint(ISNA[1], ISNA[0])) == ("irna", 1.0)
    assert len(index) == 2
    assert index.members("irna") == ["irna", "isna"]


def test_empty_article_starts_its_own_story_and_indexes_nothing() -> None:
    index = StoryIndex()
    empty = fingerprint("", "")

    assert index.bands(empty) == []
    assert index.assign("a", empty) == ("a", 0.0)
    assert index.assign("b", fingerprint("", "   ")) == ("b", 0.0)


def test_outlet_bylines_and_tails_do_not_change_the_fingerprint() -> None:
    bare = fingerprint(RELEASE_TITLE, RELEASE)
    dressed = fingerprint(
        "ویدئو/ " + RELEASE_TITLE + " | خبرگزاری فارس",
        "تهران- فارس- به گزارش خبرنگار اقتصادی خبرگزاری فارس، "
        + RELEASE
        + "\nانتهای پیام\nاخبار مرتبط: ساخت مسکن در اصفهان",
    )

    assert np.array_equal(bare.signature, dressed.signature)


def test_a_quotation_at_the_start_is_content_not_a_byline() -> None:
    quoted = fingerprint("", "وزیر راه گفت: ساخت ۱۰ هزار واحد آغاز شد")
    unquoted = fingerprint("", "ساخت ۱۰ هزار واحد آغاز شد")

    assert quoted.shingles > unquoted.shingles


def test_signature_is_datasketch_minhash_of_the_shingles() -> None:
    # given: the body shingles the fingerprint uses
    words = stories._words(stories._strip_outlet(RELEASE))
    shingles = np.unique(stories._shingle_hashes(words))
    expected = MinHash(
        num_perm=stories.BODY_PERMS,
        seed=stories._SEED,
        hashfunc=int,
        scheme="affine32",
    )
    expected.update_batch([int(s) for s in shingles])

    # then
    fp = fingerprint("", RELEASE)
    assert np.array_equal(fp.signature[: stories.BODY_PERMS], expected.hashvalues.astype(np.uint32))


def test_band_hashes_are_signed_64_bit_and_stable() -> None:
    fp = fingerprint(RELEASE_TITLE, RELEASE)

    bands = StoryIndex().bands(fp)

    assert len(bands) == stories.BANDS
    assert all(-(2**63) <= band < 2**63 for band in bands)
    assert bands == StoryIndex().bands(fingerprint(RELEASE_TITLE, RELEASE))


def test_candidates_per_article_are_capped() -> None:
    # given: many copies of one text, each forced into a story of its own
    index = StoryIndex(threshold=1.1, max_candidates=5, bucket_cap=8)
    fp = fingerprint(RELEASE_TITLE, RELEASE)
    for i in range(50):
        index.assign(i, fp)

    # then: a bucket keeps its latest entries, and scoring sees at most 5
    assert max(len(bucket) for bucket in index._buckets.values()) == 8
    assert len(index.candidates(index.bands(fp))) == 5


def test_coverage_counts_each_outlet_once_with_its_weight() -> None:
    weights = {"ایرنا": 2.0, "ایسنا": 1.5}

    result = coverage(["ایرنا", "ایرنا", "ایسنا", "محلی"], weights)

    assert result == stories.Coverage(outlets=3, weight=4.5)
