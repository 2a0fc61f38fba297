"""The generated Persian news (monitoring.corpus): deterministic, about the agencies
it is given in words the matcher finds and the tone reader reads, republished with
each outlet's edits, and written as feeds parse_feed reads back (no database)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hamseda.core.persian import ZWNJ
from hamseda.monitoring import corpus, matching
from hamseda.monitoring.corpus import AgencyRef, CampaignRef, Corpus, Outlet
from hamseda.monitoring.feeds import parse_feed
from hamseda.monitoring.tone import tone_of

COUNCIL = Path(__file__).resolve().parents[2] / "directory" / "data" / "isfahan-council.csv"
REPORT = Path(__file__).parent / "data" / "council-meeting-news.fa.txt"
END = datetime(2026, 1, 1, 12, tzinfo=corpus.TEHRAN)
START = END - timedelta(days=30)

OUTLETS = [
    Outlet("irna", "ایرنا", "www.irna.ir", ("{city} - ایرنا -",), ("انتهای پیام",), reach=3),
    Outlet(
        "isna", "ایسنا", "www.isna.ir", ("به گزارش ایسنا،",), joined=0.5, summary=0.5, labels=0.5
    ),
    Outlet("mehr", "خبرگزاری مهر", "www.mehrnews.com", ("به گزارش خبرنگار مهر،",), arabic=0.5),
    Outlet(
        "imna",
        "ایمنا",
        "www.imna.ir",
        ("به گزارش ایمنا،",),
        ("کد خبر: {code}",),
        province="اصفهان",
        hashtags=True,
        spaced=0.5,
    ),
    Outlet(
        "site",
        "پایگاه خبری وزارت راه و شهرسازی",
        "news.mrud.ir",
        ("به گزارش روابط عمومی {agency}،",),
        agency_site=True,
    ),
]
HOUSING = CampaignRef("قرارگاه مسکن", ("#نهضت_ملی_مسکن",), beats=("housing", "newtown"))


def isfahan_agencies() -> list[AgencyRef]:
    with COUNCIL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        AgencyRef(row["name_fa"], None if row["kind"] == "ministry_centre" else "اصفهان", (), i)
        for i, row in enumerate(rows)
    ]


def stream(seed: int, n: int = 600) -> list[corpus.Article]:
    corp = Corpus(isfahan_agencies(), OUTLETS, [HOUSING], seed=seed)
    return list(corp.stream(n, start=START, end=END))


@pytest.fixture(scope="module")
def articles() -> list[corpus.Article]:
    return stream(7)


def test_the_same_seed_writes_the_same_news_and_another_seed_other_news():
    # when
    first, again, other = stream(3, 200), stream(3, 200), stream(4, 200)

    # then
    key = [(a.title, a.text, a.url, a.published, a.outlet.slug) for a in first]
    assert key == [(a.title, a.text, a.url, a.published, a.outlet.slug) for a in again]
    assert {a.title for a in first} != {a.title for a in other}


def test_the_stream_gives_n_articles_within_the_period(articles):
    assert len(articles) == 600
    assert all(START <= a.published <= END for a in articles)
    # about in time order: the first half is older than the second
    half = len(articles) // 2
    assert max(a.published for a in articles[: half // 2]) < min(
        a.published for a in articles[-half // 2 :]
    )
    # every agency gets news, in all three tones
    assert len({a.release.agency.name for a in articles}) >= 12
    assert {a.release.tone for a in articles} == {"positive", "neutral", "negative"}


def test_every_copy_names_its_agency_in_words_the_matcher_finds(articles):
    # given
    agencies = isfahan_agencies()
    matcher = matching.Matcher.build(
        matching.agency_patterns([(a.id, a.name, list(a.aliases), a.province) for a in agencies])
    )

    # when
    missed = [
        a
        for a in articles
        if ("agency", a.release.agency.id)
        not in {hit.target for hit in matcher.find(f"{a.title}\n{a.text}")}
    ]

    # then
    assert missed == []


def test_the_tone_reader_reads_bad_news_as_negative_and_good_news_as_positive(articles):
    # given
    matcher = matching.Matcher.build(
        matching.agency_patterns(
            [(a.id, a.name, list(a.aliases), a.province) for a in isfahan_agencies()]
        )
    )
    read: Counter[tuple[str, str]] = Counter()

    # when
    for article in articles:
        text = f"{article.title}\n{article.text}"
        hit = next(h for h in matcher.find(text) if h.target[1] == article.release.agency.id)
        read[
            (article.release.tone, str(tone_of(text, around=[(hit.first, hit.first + 1)]).tone))
        ] += 1

    # then
    negatives = sum(n for (meant, _), n in read.items() if meant == "negative")
    positives = sum(n for (meant, _), n in read.items() if meant == "positive")
    assert read[("negative", "negative")] >= 0.9 * negatives > 0
    assert read[("positive", "positive")] >= 0.9 * positives > 0


def test_outlets_republish_a_release_each_in_its_own_way(articles):
    by_release: dict[int, list[corpus.Article]] = {}
    for article in articles:
        by_release.setdefault(article.release.number, []).append(article)
    republished = [copies for copies in by_release.values() if len(copies) > 1]
    assert len(republished) > len(by_release) / 3
    # one copy per outlet, each at its own address, later copies later
    for copies in republished:
        assert len({c.outlet.slug for c in copies}) == len(copies)
        assert len({c.url for c in copies}) == len(copies)
    texts = [a.text for a in articles]
    # bylines and tails
    assert any(a.text.startswith("به گزارش ایسنا،") for a in articles if a.outlet.slug == "isna")
    assert any(" - ایرنا - " in a.text for a in articles)
    assert any("انتهای پیام" in t for t in texts)
    assert any("کد خبر: " in t for t in texts)
    # spellings: Arabic letters, half-spaces dropped or spaced, a label on the title
    assert any("ي" in a.text for a in articles if a.outlet.slug == "mehr")
    assert all("ي" not in a.text for a in articles if a.outlet.slug == "irna")
    isna = [a for a in articles if a.outlet.slug == "isna"]
    assert any(ZWNJ not in a.text for a in isna)
    assert any(ZWNJ in a.text for a in isna)
    assert any("/ " in a.title or "| " in a.title for a in isna)
    # the agency site carries its own agencies' releases only when good or neutral
    assert {a.release.tone for a in articles if a.outlet.agency_site} <= {"positive", "neutral"}
    # a summary: the lead and at most one more sentence
    assert any(len(a.paragraphs) < len(a.release.sentences) for a in isna)


def test_campaign_hashtags_go_with_the_beats_of_the_campaign(articles):
    tagged = [a for a in articles if a.release.tags]
    assert tagged
    assert {a.release.beat for a in tagged} <= {"housing", "newtown"}
    assert all(a.release.campaign == HOUSING for a in tagged)
    # the outlets that keep hashtags show them
    assert any("#نهضت_ملی_مسکن" in a.text for a in tagged if a.outlet.slug == "imna")
    assert all("#" not in a.text for a in tagged if a.outlet.slug == "irna")


def test_rss_and_atom_documents_read_back_as_the_same_articles(articles):
    # given
    outlet = OUTLETS[0]
    own = [a for a in articles if a.outlet is outlet][:30]
    url = f"https://{outlet.host}/rss"

    for document in (corpus.rss(outlet, own), corpus.atom(outlet, own)):
        # when
        parsed = parse_feed(document, url=url)

        # then
        assert parsed.problems == []
        assert [item.url for item in parsed.items] == [a.url for a in own]
        assert [item.published for item in parsed.items] == [a.published for a in own]
        assert [item.title for item in parsed.items] == [a.title for a in own]
        assert parsed.items[0].text == corpus.parsed_item(own[0]).text
        assert parsed.items[0].content_hash == corpus.parsed_item(own[0]).content_hash


def test_the_reference_report_becomes_an_article_of_one_paragraph_a_line():
    text = REPORT.read_text(encoding="utf-8")
    article = corpus.report_article(
        text,
        title="نشست شورای هماهنگی",
        outlet=OUTLETS[4],
        published=END,
        agency=isfahan_agencies()[0],
    )
    lines = [line for line in text.splitlines() if line.strip()]
    assert article.paragraphs == tuple(lines)
    assert article.text.startswith("به گزارش پایگاه خبری وزارت راه و شهرسازی (اصفهان)؛")
    assert article.url.startswith("https://news.mrud.ir/")
