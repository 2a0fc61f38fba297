"""monitoring.feeds on the fixture feeds in data/feeds (no database, no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hamseda.monitoring.feeds import (
    article_from_text,
    canonical_url,
    content_hash,
    parse_feed,
    plain_text,
    sanitize_html,
)

FEEDS = Path(__file__).parent / "data" / "feeds"
FEED_URL = "https://news.example.ir/rss"


# --- feeds ---------------------------------------------------------------------------


def test_persian_rss_gives_clean_normalised_items() -> None:
    # when
    feed = parse_feed((FEEDS / "persian_rss.xml").read_bytes(), url=FEED_URL)

    # then
    assert feed.problems == []
    first, relative, linkless = feed.items
    assert first.canonical_url == "https://news.example.ir/news/1001"
    assert first.guid == "news-1001"
    assert first.title == "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن در کاشان"
    assert "كاشان" not in first.text
    assert "کاشان" in first.text
    assert "وی افزود" in first.text
    assert "«۳۵۰ میلیارد ریال»" in first.text
    assert "\n" in first.text  # one line per paragraph
    assert first.published == datetime(2025, 6, 10, 5, 0, tzinfo=UTC)
    assert relative.url == "https://news.example.ir/news/1002"  # resolved against the feed
    assert relative.published is None  # a Jalali date in Persian digits does not crash
    assert linkless.canonical_url == ""
    assert linkless.guid.startswith("urn:hamseda:item:")
    assert linkless.key == linkless.guid
    assert linkless.published == datetime(2025, 6, 11, 9, 15, tzinfo=UTC)


def test_item_without_link_keeps_its_synthetic_id_across_polls() -> None:
    body = (FEEDS / "persian_rss.xml").read_bytes()

    first_poll = parse_feed(body, url=FEED_URL).items[2]
    second_poll = parse_feed(body, url=FEED_URL).items[2]

    assert first_poll.guid == second_poll.guid


def test_atom_entry_prefers_full_content_over_summary() -> None:
    feed = parse_feed((FEEDS / "atom.xml").read_bytes(), url=FEED_URL)

    (item,) = feed.items
    assert item.canonical_url == "https://pr.example.ir/fa/news/77"
    assert "<ul><li>طول خط: ۴۰ کیلومتر</li>" in item.summary_html
    assert item.text.startswith("مدیرکل آب و فاضلاب در نشست خبری")
    assert item.published == datetime(2025, 6, 12, 6, 30, tzinfo=UTC)


def test_malformed_xml_still_yields_the_readable_items_and_reports_it() -> None:
    feed = parse_feed((FEEDS / "malformed.xml").read_bytes(), url=FEED_URL)

    assert [i.title for i in feed.items][:1] == ["خبر سالم اول"]
    assert any(p.startswith("bozo: ") for p in feed.problems)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("windows1256.xml", None),
        ("windows1256_declared_utf8.xml", "encoding: declared utf-8, decoded as cp1256"),
        ("utf8_declared_windows1256.xml", "encoding: declared windows-1256, decoded as utf-8"),
    ],
)
def test_wrong_or_legacy_encodings_give_readable_persian(name: str, problem: str | None) -> None:
    feed = parse_feed((FEEDS / name).read_bytes(), url=FEED_URL)

    (item,) = feed.items
    assert item.title == "افتتاح سالن ورزشی در شهرستان سقز"
    assert item.text == "سالن ورزشی شهرستان سقز با اعتبار 40 میلیارد ریال افتتاح شد."
    assert feed.problems == ([problem] if problem else [])


def test_undeclared_windows1256_is_read_as_windows1256() -> None:
    body = (FEEDS / "windows1256.xml").read_bytes().replace(b' encoding="windows-1256"', b"")

    feed = parse_feed(body, headers={"Content-Type": "text/xml"})

    assert feed.items[0].title == "افتتاح سالن ورزشی در شهرستان سقز"


def test_header_charset_wrongly_latin1_is_overridden_for_windows1256_bytes() -> None:
    body = (FEEDS / "windows1256.xml").read_bytes()

    feed = parse_feed(body, headers={"Content-Type": "application/rss+xml; charset=ISO-8859-1"})

    assert feed.items[0].title == "افتتاح سالن ورزشی در شهرستان سقز"
    assert feed.problems == ["encoding: declared ISO-8859-1, decoded as cp1256"]


def test_unknown_charset_name_is_reported_not_fatal() -> None:
    headers = {"Content-Type": "application/rss+xml; charset=bogus"}

    utf8 = parse_feed((FEEDS / "persian_rss.xml").read_bytes(), headers=headers)
    legacy = parse_feed((FEEDS / "windows1256.xml").read_bytes(), headers=headers)

    assert len(utf8.items) == 3
    assert utf8.problems
    assert legacy.items[0].title == "افتتاح سالن ورزشی در شهرستان سقز"
    assert legacy.problems == ["encoding: declared bogus, decoded as cp1256"]


def test_script_style_and_event_handlers_never_survive() -> None:
    feed = parse_feed((FEEDS / "script_item.xml").read_bytes(), url=FEED_URL)

    (item,) = feed.items
    html = item.summary_html.lower()
    for banned in (
        "<script",
        "alert",
        "<style",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
    ):
        assert banned not in html
    assert "<img" not in html  # images are not shown: no tracking pixels
    assert (
        '<a href="https://ok.example.ir/y" rel="noopener noreferrer nofollow">' in item.summary_html
    )
    assert "target" not in html
    assert item.text.startswith("متن مهم خبر")
    assert "display" not in item.text


def test_empty_feed_gives_no_items_and_no_problem() -> None:
    feed = parse_feed(
        (FEEDS / "empty.xml").read_bytes(),
        url=FEED_URL,
        headers={"ETag": '"abc"', "Last-Modified": "Tue, 10 Jun 2025 08:00:00 GMT"},
    )

    assert feed.items == []
    assert feed.problems == []
    assert feed.etag == '"abc"'
    assert feed.modified == "Tue, 10 Jun 2025 08:00:00 GMT"


@pytest.mark.parametrize(
    "body", [b"", b"  \n", b"\x00\xff\xfe garbage <<<", b"<html><body>502</body></html>"]
)
def test_garbage_bodies_never_raise(body: bytes) -> None:
    feed = parse_feed(body, url=FEED_URL)

    assert feed.items == []


def test_feed_repeating_items_gives_the_same_identities_on_every_poll() -> None:
    body = (FEEDS / "repeating.xml").read_bytes()

    # when: the same document, polled twice
    first = parse_feed(body, url=FEED_URL)
    second = parse_feed(body, url=FEED_URL)

    # then: within a document the repeat (tracking parameter, fragment, slash) is dropped
    assert [i.canonical_url for i in first.items] == [
        "https://repeat.example.ir/news/5",
        "https://repeat.example.ir/news/6",
    ]
    assert "duplicate: 1 item(s) repeated in the document" in first.problems
    # and across polls the store sees the same keys and hashes again
    assert [(i.key, i.content_hash) for i in first.items] == [
        (i.key, i.content_hash) for i in second.items
    ]


# --- HTML, URLs, hashes -------------------------------------------------------------


def test_sanitize_keeps_structure_and_marks_links() -> None:
    html = '<p>الف</p><blockquote>نقل</blockquote><ol><li>یک</li></ol><a href="mailto:a@b.ir">ن</a>'

    assert sanitize_html(html) == (
        "<p>الف</p><blockquote>نقل</blockquote><ol><li>یک</li></ol>"
        '<a href="mailto:a@b.ir" rel="noopener noreferrer nofollow">ن</a>'
    )


def test_plain_text_separates_blocks_and_decodes_entities() -> None:
    html = "<p>مدير&nbsp;كل</p><p>گفت&zwnj;و&zwnj;گو</p><li>مورد</li><script>x=1</script>"

    assert plain_text(html) == "مدیر کل\nگفت\u200cو\u200cگو\nمورد"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://News.Example.IR:443/a/b/?utm_source=x&b=2&a=1#frag",
            "https://news.example.ir/a/b?a=1&b=2",
        ),
        ("http://news.example.ir:80/", "http://news.example.ir"),
        ("http://news.example.ir:8080/x?fbclid=1&gclid=2", "http://news.example.ir:8080/x"),
        ("https://news.example.ir/خبر/۱", "https://news.example.ir/%D8%AE%D8%A8%D8%B1/%DB%B1"),
        (
            "https://news.example.ir/%d8%ae%d8%a8%d8%b1/%db%b1",
            "https://news.example.ir/%D8%AE%D8%A8%D8%B1/%DB%B1",
        ),
        ("  https://a.ir/x?q=%D8%A7  ", "https://a.ir/x?q=%D8%A7"),
        ("mailto:a@b.ir", "mailto:a@b.ir"),
        ("not a url", "not a url"),
        ("http://[::1]:80/x", "http://[::1]/x"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_idn_host_written_in_unicode_or_punycode_is_one_url() -> None:
    unicode_form = canonical_url("https://خبر.ایران/الف")
    punycode_form = canonical_url(unicode_form.upper().replace("HTTPS://", "https://"))

    assert unicode_form.startswith("https://xn--")
    assert unicode_form.endswith(".xn--mgba3a4f16a/%D8%A7%D9%84%D9%81")
    assert punycode_form == unicode_form


def test_content_hash_ignores_spelling_and_spacing_variants() -> None:
    persian = content_hash("آغاز ساخت", "وزیر راه‌وشهرسازی گفت: ۱۰ هزار واحد")
    arabic = content_hash("آغاز  ساخت", "وزير راه و شهرسازي گفت:  10 هزار واحد")

    assert persian == arabic
    assert len(persian) == 64
    assert content_hash("آغاز ساخت", "متن دیگر") != persian


def test_title_and_text_are_hashed_apart() -> None:
    assert content_hash("الف ب", "ج") != content_hash("الف", "ب ج")


# --- pasted text ---------------------------------------------------------------------


def test_pasted_clipping_takes_its_first_line_as_title() -> None:
    item = article_from_text(
        "  عنوان خبر\n\nبند اول <b>متن</b>.\nبند دوم.", url="https://a.ir/n/1/"
    )

    assert item.title == "عنوان خبر"
    assert item.text == "بند اول <b>متن</b>.\nبند دوم."
    assert item.summary_html == "<p>بند اول &lt;b&gt;متن&lt;/b&gt;.</p><p>بند دوم.</p>"
    assert item.canonical_url == item.guid == "https://a.ir/n/1"
    assert item.content_hash == content_hash("عنوان خبر", item.text)


def test_pasted_text_without_url_gets_a_stable_id() -> None:
    a = article_from_text("متن خبر", title="عنوان")
    b = article_from_text("متن خبر", title="عنوان")

    assert a.title == "عنوان"
    assert a.text == "متن خبر"
    assert a.guid == b.guid
    assert a.guid.startswith("urn:hamseda:text:")
    assert a.canonical_url == ""
