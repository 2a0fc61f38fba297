"""Finding articles: Persian full-text search whatever the spelling, and the
filters of the articles list, alone and together (SQLite FTS5 and PostgreSQL
tsvector alike: the suite runs on both)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.utils import timezone

from hamseda.core import jalali
from hamseda.directory.tests.factories import province
from hamseda.monitoring import feeds, selectors
from hamseda.monitoring.models import Article, Source, SourceKind, Tone
from hamseda.monitoring.search import index_tokens
from hamseda.monitoring.selectors import ArticleFilters, Capped
from hamseda.monitoring.services.ingest import ingest_items
from hamseda.monitoring.views.articles import highlight

pytestmark = pytest.mark.django_db

_urls = itertools.count(1)

PRAISE = (
    "افزایش قطارهای فوق‌العاده راه‌آهن اصفهان",
    "اداره کل راه‌آهن منطقه اصفهان از افزایش قطارهای فوق‌العاده در ایام نوروز خبر داد. "
    "این اقدام با استقبال مسافران روبه‌رو شد.",
)
COMPLAINT = (
    "تأخیر چندساعته قطار اصفهان و اعتراض مسافران",
    "مسافران قطار اصفهان-مشهد از تأخیر پنج‌ساعته و بی‌توجهی اداره کل راه‌آهن منطقه اصفهان "
    "گلایه کردند و نسبت به وضعیت نامناسب واگن‌ها اعتراض داشتند.",
)
AIRPORTS = (
    "بازدید مدیرکل راه و شهرسازی از فرودگاه‌ها",
    "مدیرکل اداره کل راه و شهرسازی استان اصفهان از پروژه‌های فرودگاه‌های استان بازدید کرد.",
)


def _outlet(name: str, host: str, *, code: str | None = "isfahan", kind=None) -> Source:
    return Source.objects.create(
        name=name,
        kind=kind or (SourceKind.PROVINCIAL if code else SourceKind.NEWS_AGENCY),
        province=province(code) if code else None,
        site_url=f"https://{host}/",
    )


def _publish(source: Source, title: str, text: str, *, at: dt.datetime | None = None) -> Article:
    item = feeds.article_from_text(
        text, url=f"https://{source.host}/news/{next(_urls)}", title=title
    )
    item = dataclasses.replace(item, published=at or timezone.now() - dt.timedelta(hours=1))
    [result] = ingest_items(source=source, items=[item], alerts=False)
    return Article.objects.get(pk=result.article_id)


def _stored(source: Source, title: str, text: str, **fields) -> Article:
    """An article written as an outlet wrote it (Arabic letters and all), stored
    without the pipeline's normalisation: only the search tokens are built."""
    return Article.objects.create(
        source=source,
        title=title,
        text=text,
        content_hash=f"hash-{next(_urls)}",
        published_at=fields.pop("published_at", timezone.now() - dt.timedelta(hours=2)),
        search_tokens=index_tokens(title, text),
        **fields,
    )


def _titles(viewer, **filters) -> set[str]:
    found = selectors.article_list(viewer=viewer, filters=ArticleFilters(**filters))
    return {article.title for article in found}


# --- spelling -----------------------------------------------------------------------------


def test_a_compound_is_found_with_a_half_space_a_space_or_joined(world):
    # given the railway written three ways by three outlets
    imna = _outlet("ایمنا", "imna.ir")
    spellings = {
        "half-space": _stored(imna, "خبر یک", "برنامه جدید راه‌آهن برای نوروز"),
        "space": _stored(imna, "خبر دو", "برنامه جدید راه آهن برای نوروز"),
        "joined": _stored(imna, "خبر سه", "برنامه جدید راهآهن برای نوروز"),
    }
    _stored(imna, "خبر چهار", "برنامه جدید راهداری برای نوروز")
    expected = {article.title for article in spellings.values()}
    # when each spelling is searched, then all three are found, and nothing else
    for query in ("راه‌آهن", "راه آهن", "راهآهن"):
        assert _titles(world.staff, q=query) == expected, query


def test_arabic_letters_in_the_query_or_the_text_make_no_difference(world):
    imna = _outlet("ایمنا", "imna.ir")
    _stored(imna, "افتتاح فرودگاه كرمان", "مراسم افتتاح با حضور مسئولين برگزار شد")
    _stored(imna, "افتتاح پایانه یزد", "مراسم افتتاح با حضور مسئولان برگزار شد")
    assert _titles(world.staff, q="کرمان") == {"افتتاح فرودگاه كرمان"}
    assert _titles(world.staff, q="كرمان") == {"افتتاح فرودگاه كرمان"}
    assert _titles(world.staff, q="مسئولين") == {"افتتاح فرودگاه كرمان"}
    assert _titles(world.staff, q="مسئولین") == {"افتتاح فرودگاه كرمان"}


def test_a_word_finds_its_longer_forms_as_a_prefix(world):
    imna = _outlet("ایمنا", "imna.ir")
    _publish(imna, *AIRPORTS)
    _publish(imna, *PRAISE)
    assert _titles(world.staff, q="فرودگاه") == {AIRPORTS[0]}
    # every word must be there
    assert _titles(world.staff, q="فرودگاه قطار") == set()
    assert _titles(world.staff, q="قطارهای فوق العاده") == {PRAISE[0]}


def test_a_query_without_words_is_no_filter(world):
    imna = _outlet("ایمنا", "imna.ir")
    _publish(imna, *AIRPORTS)
    assert _titles(world.staff, q=" ؟! ") == {AIRPORTS[0]}


# --- filters ------------------------------------------------------------------------------


def test_tone_keeps_articles_with_a_mention_of_that_tone(world):
    imna = _outlet("ایمنا", "imna.ir")
    _publish(imna, *PRAISE)
    _publish(imna, *COMPLAINT)
    _publish(imna, *AIRPORTS)
    rail = world.member_office.agency
    roads = world.chair_office.agency
    assert _titles(world.staff, tone=Tone.NEGATIVE) == {COMPLAINT[0]}
    assert _titles(world.staff, tone=Tone.POSITIVE) == {PRAISE[0]}
    assert _titles(world.staff, agency_id=rail.pk) == {PRAISE[0], COMPLAINT[0]}
    assert _titles(world.staff, office_id=world.chair_office.pk) == {AIRPORTS[0]}
    # the tone of the chosen agency: roads is never spoken of negatively
    assert _titles(world.staff, agency_id=roads.pk, tone=Tone.NEGATIVE) == set()
    assert _titles(world.staff, agency_id=rail.pk, tone=Tone.NEGATIVE) == {COMPLAINT[0]}


def test_filters_combine(world):
    # given a provincial outlet and a national agency that both complain
    imna = _outlet("ایمنا", "imna.ir")
    irna = _outlet("ایرنا", "irna.ir", code=None)
    _publish(imna, *COMPLAINT)
    _publish(irna, "گلایه مسافران قطار از تأخیر در اصفهان", COMPLAINT[1] + " کد خبر ۲۲")
    _publish(irna, *PRAISE)
    rail = world.member_office.agency.pk
    # then words, agency, tone, outlet and outlet kind narrow together
    assert len(_titles(world.staff, q="تاخیر", agency_id=rail, tone=Tone.NEGATIVE)) == 2
    assert _titles(world.staff, q="تاخیر", source_id=irna.pk) == {
        "گلایه مسافران قطار از تأخیر در اصفهان"
    }
    assert _titles(world.staff, q="تاخیر", source_kind=SourceKind.PROVINCIAL) == {COMPLAINT[0]}
    assert _titles(world.staff, q="قطار", tone=Tone.POSITIVE, source_id=irna.pk) == {PRAISE[0]}
    assert _titles(world.staff, q="قطار", tone=Tone.POSITIVE, source_id=imna.pk) == set()


def test_province_is_the_outlets_or_an_agencys_of_the_province(world):
    imna = _outlet("ایمنا", "imna.ir")
    irna = _outlet("ایرنا", "irna.ir", code=None)
    shiraz = _outlet("خبر جنوب", "khabarjonoub.ir", code="fars")
    _publish(imna, "برگزاری همایش روابط عمومی", "همایش سالانه روابط عمومی‌ها برگزار شد.")
    _publish(irna, *AIRPORTS)  # names an Isfahan agency
    _publish(shiraz, "بارش باران در شیراز", "باران بهاری شیراز را فرا گرفت.")
    isfahan = province("isfahan").pk
    assert _titles(world.ministry, province_id=isfahan) == {
        "برگزاری همایش روابط عمومی",
        AIRPORTS[0],
    }
    assert _titles(world.ministry, province_id=province("fars").pk) == {"بارش باران در شیراز"}


def test_dates_are_tehran_days(world):
    # given two articles ten minutes either side of a Tehran midnight (the same UTC day)
    imna = _outlet("ایمنا", "imna.ir")
    day = jalali.today() - dt.timedelta(days=3)
    midnight = selectors.day_start(day)
    _stored(imna, "پیش از نیمه‌شب", "متن", published_at=midnight - dt.timedelta(minutes=10))
    _stored(imna, "پس از نیمه‌شب", "متن", published_at=midnight + dt.timedelta(minutes=10))
    assert jalali.local_date(midnight + dt.timedelta(minutes=10)) == day
    # then each falls in its own Tehran day
    assert _titles(world.staff, date_from=day, date_to=day) == {"پس از نیمه‌شب"}
    before = day - dt.timedelta(days=1)
    assert _titles(world.staff, date_from=before, date_to=before) == {"پیش از نیمه‌شب"}
    assert _titles(world.staff, date_from=before) == {"پیش از نیمه‌شب", "پس از نیمه‌شب"}
    assert _titles(world.staff, date_to=before) == {"پیش از نیمه‌شب"}


def test_campaign_and_story_filters(world):
    from hamseda.campaigns.models import Campaign, CampaignKind

    campaign = Campaign.objects.create(
        title="پویش سفر ایمن نوروزی",
        kind=CampaignKind.MEDIA_HQ,
        province=world.isfahan_council.province,
        start_date=jalali.today() - dt.timedelta(days=10),
        end_date=jalali.today() + dt.timedelta(days=10),
        keywords=["قطارهای فوق‌العاده"],
    )
    imna = _outlet("ایمنا", "imna.ir")
    praise = _publish(imna, *PRAISE)
    complaint = _publish(imna, *COMPLAINT)
    assert list(praise.campaigns.all()) == [campaign]
    assert _titles(world.staff, campaign_id=campaign.pk) == {PRAISE[0]}
    assert _titles(world.staff, story_id=complaint.story_id) == {COMPLAINT[0]}


def test_newest_first_and_each_article_once(world):
    imna = _outlet("ایمنا", "imna.ir")
    now = timezone.now()
    older = _publish(imna, *PRAISE, at=now - dt.timedelta(hours=5))
    newer = _publish(imna, *COMPLAINT, at=now - dt.timedelta(hours=1))
    # an article naming two agencies is listed once, even filtered by tone
    both = _publish(
        imna,
        "نشست راه‌آهن و راه و شهرسازی",
        "نشست اداره کل راه‌آهن منطقه اصفهان و اداره کل راه و شهرسازی استان اصفهان برگزار شد.",
        at=now - dt.timedelta(hours=3),
    )
    assert both.mentions.count() == 2
    found = list(selectors.article_list(viewer=world.staff, filters=ArticleFilters()))
    assert [a.pk for a in found] == [newer.pk, both.pk, older.pk]
    neutral = selectors.article_list(viewer=world.staff, filters=ArticleFilters(tone=Tone.NEUTRAL))
    assert [a.pk for a in neutral] == [both.pk]


# --- counting -----------------------------------------------------------------------------


def test_a_long_list_is_counted_up_to_the_cap(world):
    imna = _outlet("ایمنا", "imna.ir")
    for n in range(5):
        _stored(imna, f"خبر شماره {n}", "متن خبر قطار")
    found = selectors.article_list(viewer=world.staff, filters=ArticleFilters(q="قطار"))
    capped = Capped(found, cap=3)
    assert capped.count() == 3
    assert capped.more is True
    assert len(capped[0:25]) == 5  # the rows themselves are not cut
    exact = Capped(found, cap=5)
    assert exact.count() == 5
    assert exact.more is False


# --- highlighting -------------------------------------------------------------------------


def test_the_snippet_marks_every_spelling_of_the_query():
    text = "مسافران از تأخير قطار گلایه کردند؛ راه آهن اصفهان و راه‌آهن تهران <b>پاسخ</b> دادند."
    marked = highlight(text, "تاخیر راهآهن")
    assert "<mark>تأخير</mark>" in marked
    assert "<mark>راه آهن</mark>" in marked
    assert "<mark>راه‌آهن</mark>" in marked
    # the text itself is escaped: no tag of the article reaches the page
    assert "&lt;b&gt;پاسخ&lt;/b&gt;" in marked
    assert "<b>" not in marked


def test_the_snippet_is_a_window_around_the_first_match():
    text = "آغاز " * 200 + "فرودگاه‌ها " + "پایان " * 200
    snippet = highlight(text, "فرودگاه", width=120)
    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert "<mark>فرودگاه‌ها</mark>" in snippet
    assert len(snippet) < 200
    # no match: the text's start
    assert highlight(text, "", width=60).startswith("آغاز")


def test_a_page_is_the_same_read_by_ids_or_by_the_database(world):
    # given articles, two of them published at the same moment (the id decides)
    imna = _outlet("ایمنا", "imna.ir")
    now = timezone.now()
    for n in range(7):
        at = now - dt.timedelta(hours=n if n != 4 else 3)
        _stored(imna, f"خبر شماره {n}", "متن خبر قطار", published_at=at)
    found = selectors.article_list(viewer=world.staff, filters=ArticleFilters(q="قطار"))
    expected = [article.pk for article in found]
    # when paged by the sorted ids (all counted) or by ORDER BY ... LIMIT (over the cap)
    short, long = Capped(found, cap=100), Capped(found, cap=2)
    for capped in (short, long):
        capped.count()
        pages = [capped[start : start + 3] for start in (0, 3, 6)]
        # then the same rows in the same order, with their outlet loaded
        assert [a.pk for page in pages for a in page] == expected
        assert pages[0][0].source.name == "ایمنا"
    assert short.more is False
    assert long.more is True
    assert short[1].pk == expected[1]


def test_an_agencys_articles_by_tehran_day(world):
    # given the railway named either side of a Tehran midnight
    imna = _outlet("ایمنا", "imna.ir")
    day = jalali.today() - dt.timedelta(days=4)
    midnight = selectors.day_start(day)
    _publish(imna, *PRAISE, at=midnight - dt.timedelta(minutes=5))
    _publish(imna, *COMPLAINT, at=midnight + dt.timedelta(minutes=5))
    rail = world.member_office.agency.pk
    # then the agency filter keeps each article on its own Tehran day
    assert _titles(world.staff, agency_id=rail, date_from=day) == {COMPLAINT[0]}
    assert _titles(world.staff, agency_id=rail, date_to=day - dt.timedelta(days=1)) == {PRAISE[0]}
    assert _titles(world.staff, office_id=world.member_office.pk, date_from=day, date_to=day) == {
        COMPLAINT[0]
    }
    assert _titles(world.staff, agency_id=rail, tone=Tone.POSITIVE, date_from=day) == set()
