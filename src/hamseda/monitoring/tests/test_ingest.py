"""The ingestion pipeline on the real database: stored once, matched, clustered,
toned, linked to campaigns and releases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hamseda.activities.models import ActivityKind, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import jalali
from hamseda.directory.models import AgencyAlias
from hamseda.monitoring import search
from hamseda.monitoring.feeds import ParsedItem, article_from_text, canonical_url, content_hash
from hamseda.monitoring.models import Article, Mention, Source, SourceKind, Story, StoryBand
from hamseda.monitoring.services.ingest import clippings_source, ingest_items

RELEASE = (
    "مدیرکل راه‌آهن منطقه اصفهان از بهره‌برداری از ایستگاه جدید مسافری شهرک صنعتی "
    "خبر داد و گفت این ایستگاه با سرمایه‌گذاری دویست میلیارد ریال ساخته شده است. "
    "وی افزود قطارهای حومه‌ای اصفهان از هفته آینده در این ایستگاه توقف می‌کنند و "
    "مسافران می‌توانند بلیت خود را از سامانه فروش اینترنتی تهیه کنند. "
    "به گفته وی ساخت دو ایستگاه دیگر در مسیر کاشان نیز تا پایان سال به پایان می‌رسد."
)
COMPLAINT = (
    "مسافران قطار اصفهان به تهران از تأخیر چهار ساعته و لغو حرکت قطار گلایه کردند. "
    "به گفته مسافران راه‌آهن منطقه اصفهان هیچ اطلاع‌رسانی نکرد و مسئولان پاسخگو نبودند. "
    "این نخستین بار نیست که قطارهای این مسیر با تأخیر طولانی و نارضایتی مسافران روبه‌رو می‌شوند."
)


def item(
    title: str, text: str, *, url: str = "", published: dt.datetime | None = None
) -> ParsedItem:
    return ParsedItem(
        url=url,
        canonical_url=canonical_url(url) if url else "",
        title=title,
        summary_html=f"<p>{text}</p>",
        text=text,
        published=published or timezone.now() - dt.timedelta(hours=2),
        guid=url or f"urn:test:{content_hash(title, text)[:16]}",
        content_hash=content_hash(title, text),
    )


def source(name: str, province=None, weight: float = 1.0) -> Source:
    return Source.objects.create(
        name=name,
        kind=SourceKind.NEWS_AGENCY,
        feed_url=f"https://{name}.example.ir/rss",
        site_url=f"https://{name}.example.ir/",
        weight=weight,
        province=province,
    )


@pytest.fixture
def rail(world):
    return world.member_office.agency


@pytest.mark.django_db
def test_an_article_is_stored_once_however_often_it_is_read(world, rail):
    outlet = source("irna", weight=2.0)
    items = [
        item(
            "افتتاح ایستگاه جدید راه‌آهن اصفهان", RELEASE, url="https://irna.ir/news/1?utm_source=x"
        )
    ]
    first = ingest_items(source=outlet, items=items, alerts=False)
    again = ingest_items(source=outlet, items=items, alerts=False)
    # The same link with other tracking parameters, and the same text under a new link.
    moved = [
        item("افتتاح ایستگاه جدید راه‌آهن اصفهان", RELEASE, url="https://irna.ir/news/1?fbclid=1"),
        item("افتتاح ایستگاه جدید راه‌آهن اصفهان", RELEASE, url="https://irna.ir/news/1-moved"),
    ]
    third = ingest_items(source=outlet, items=moved, alerts=False)
    assert first[0].created
    assert not again[0].created
    assert [r.created for r in third] == [False, False]
    assert {r.article_id for r in [*first, *again, *third]} == {first[0].article_id}
    assert Article.objects.count() == 1
    assert again[0].agency_ids == first[0].agency_ids == (rail.pk,)
    assert again[0].story_id == first[0].story_id


@pytest.mark.django_db
def test_repeats_inside_one_call_are_stored_once(world):
    outlet = source("isna")
    twice = [
        item("عنوان یک", RELEASE, url="https://isna.ir/a"),
        item("عنوان یک", RELEASE, url="https://isna.ir/a"),
    ]
    results = ingest_items(source=outlet, items=twice, alerts=False)
    assert [r.created for r in results] == [True, False]
    assert results[0].article_id == results[1].article_id
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_agencies_are_matched_in_any_spelling_with_their_tone(world, rail):
    outlet = source("mehr", province=world.isfahan_council.province)
    arabic = COMPLAINT.replace("ی", "ي").replace("ک", "ك").replace("راه‌آهن", "راهآهن")
    [result] = ingest_items(source=outlet, items=[item("گلایه مسافران قطار", arabic)], alerts=False)
    assert result.agency_ids == (rail.pk,)
    assert result.tones[rail.pk] == "negative"
    mention = Mention.objects.get(article_id=result.article_id)
    assert mention.office_id == world.member_office.pk
    assert mention.province_id == world.isfahan_council.province_id
    assert mention.tone == "negative"
    assert mention.cues


@pytest.mark.django_db
def test_an_alias_finds_its_agency(world, rail):
    AgencyAlias.objects.create(agency=rail, name="راه‌آهن اصفهان")
    outlet = source("tasnim")
    text = "قطار گردشگری راه آهن اصفهان امروز حرکت کرد و مسافران از سفر استقبال کردند."
    [result] = ingest_items(source=outlet, items=[item("قطار گردشگری", text)], alerts=False)
    assert result.agency_ids == (rail.pk,)


@pytest.mark.django_db
def test_republications_of_one_release_make_one_story(world, rail):
    irna = source("irna", weight=2.0)
    isna = source("isna", weight=1.5)
    local = source("emrooz", province=world.isfahan_council.province)
    [a] = ingest_items(
        source=irna,
        items=[item("بهره‌برداری از ایستگاه جدید راه‌آهن", "به گزارش ایرنا، " + RELEASE)],
        alerts=False,
    )
    edited = RELEASE.replace("دویست میلیارد ریال", "۲۰۰ میلیارد ریال").replace("ي", "ی")
    [b] = ingest_items(
        source=isna,
        items=[
            item(
                "ایستگاه جدید راه‌آهن اصفهان افتتاح شد",
                "اصفهان - ایسنا - " + edited + " انتهای پیام",
            )
        ],
        alerts=False,
    )
    [c] = ingest_items(source=local, items=[item("گلایه مسافران قطار", COMPLAINT)], alerts=False)
    assert a.story_id == b.story_id != c.story_id
    story = Story.objects.get(pk=a.story_id)
    assert story.article_count == 2
    assert story.outlet_count == 2
    assert story.weight == pytest.approx(3.5)
    assert Mention.objects.filter(story=story).count() == 2
    assert StoryBand.objects.filter(story=story).exists()


@pytest.mark.django_db
def test_articles_far_apart_in_time_start_separate_stories(world):
    outlet, other = source("irna"), source("isna")
    long_ago = timezone.now() - dt.timedelta(days=30)
    [old] = ingest_items(
        source=outlet, items=[item("ایستگاه", RELEASE, published=long_ago)], alerts=False
    )
    [new] = ingest_items(
        source=other, items=[item("ایستگاه", "به گزارش ایسنا، " + RELEASE)], alerts=False
    )
    assert old.story_id != new.story_id


@pytest.mark.django_db
def test_campaigns_are_matched_by_hashtag_and_keyword_in_their_period(world):
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن"], keywords=["مسکن مهر"])
    outlet = source("irna", province=world.isfahan_council.province)
    text = "واحدهای طرح نهضت ملی مسکن در شهر جدید بهارستان تحویل متقاضیان شد."
    [tagged] = ingest_items(source=outlet, items=[item("تحویل واحدها", text)], alerts=False)
    [keyword] = ingest_items(
        source=outlet, items=[item("مسكن مهر", "بازسازی واحدهای مسکن‌مهر آغاز شد.")], alerts=False
    )
    late = timezone.now() - dt.timedelta(days=80)
    [outside] = ingest_items(
        source=outlet,
        items=[item("تحویل واحدهای قدیمی", text + " دوباره", published=late)],
        alerts=False,
    )
    assert tagged.campaign_ids == (campaign.pk,)
    assert keyword.campaign_ids == (campaign.pk,)
    assert outside.campaign_ids == ()
    assert set(campaign.articles.values_list("pk", flat=True)) == {
        tagged.article_id,
        keyword.article_id,
    }


@pytest.mark.django_db
def test_a_provincial_campaign_is_not_matched_in_another_provinces_news(world):
    make_campaign(world, hashtags=["#نهضت_ملی_مسکن"])
    outlet = source("shiraz", province=world.fars_council.province)
    text = "واحدهای طرح نهضت ملی مسکن در شیراز تحویل شد."
    [result] = ingest_items(source=outlet, items=[item("تحویل واحدها", text)], alerts=False)
    assert result.campaign_ids == ()


@pytest.mark.django_db
def test_a_new_story_is_linked_to_the_release_it_came_from(world, rail):
    release = ActivityFactory(
        lead_office=world.member_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        title="افتتاح ایستگاه جدید مسافری شهرک صنعتی",
        description=RELEASE,
        start_date=jalali.today() - dt.timedelta(days=1),
    )
    ActivityFactory(
        lead_office=world.member_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        title="برگزاری مسابقه نقاشی کودکان در ایستگاه",
        description="مسابقه نقاشی کودکان با موضوع سفر ایمن با قطار برگزار شد.",
        start_date=jalali.today() - dt.timedelta(days=1),
    )
    outlet = source("irna")
    [result] = ingest_items(
        source=outlet, items=[item("ایستگاه جدید", "به گزارش ایرنا، " + RELEASE)], alerts=False
    )
    [other] = ingest_items(source=source("isna"), items=[item("گلایه", COMPLAINT)], alerts=False)
    story = Story.objects.get(pk=result.story_id)
    assert story.activity_id == release.pk
    assert story.activity_auto
    assert Story.objects.get(pk=other.story_id).activity_id is None


@pytest.mark.django_db
def test_search_tokens_make_every_spelling_findable(world):
    outlet = source("irna")
    ingest_items(source=outlet, items=[item("قطار", RELEASE)], alerts=False)
    ingest_items(source=outlet, items=[item("گلایه", COMPLAINT)], alerts=False)
    everything = Article.objects.all()
    for query in ("راه‌آهن", "راه آهن", "راهآهن", "راه‌اهن", "ايستگاه", "تاخیر", "مسافر"):
        assert search.filter_text(everything, query).exists(), query
    assert search.filter_text(everything, "ایستگاه").count() == 1
    assert search.filter_text(everything, "هواپیما").count() == 0


@pytest.mark.django_db
def test_clippings_have_one_source_per_province(world):
    isfahan = world.isfahan_council.province
    assert clippings_source(isfahan) == clippings_source(isfahan)
    assert clippings_source(None) != clippings_source(isfahan)
    pasted = article_from_text("عنوان بریده\n" + RELEASE)
    [result] = ingest_items(source=clippings_source(isfahan), items=[pasted], alerts=False)
    assert result.created
    assert Article.objects.get(pk=result.article_id).title == "عنوان بریده"


@pytest.mark.django_db
def test_the_release_page_shows_its_coverage(world, login):
    release = ActivityFactory(
        lead_office=world.member_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        title="افتتاح ایستگاه جدید مسافری شهرک صنعتی",
        description=RELEASE,
        # The day of the articles below, in Tehran (they were published 2 hours ago).
        start_date=jalali.local_date(timezone.now() - dt.timedelta(hours=2)),
    )
    client = login(world.member_staff)
    page = client.get(release.get_absolute_url()).content.decode()
    assert "هنوز بازتابی از این خبر" in page
    ingest_items(
        source=source("irna"),
        items=[item("ایستگاه تازه راه‌آهن", "به گزارش ایرنا، " + RELEASE)],
        alerts=False,
    )
    ingest_items(
        source=source("isna"),
        items=[item("ایستگاه تازه راه‌آهن اصفهان", "به گزارش ایسنا، " + RELEASE)],
        alerts=False,
    )
    page = client.get(release.get_absolute_url()).content.decode()
    assert "ایستگاه تازه راه‌آهن" in page
    assert "در ۲ رسانه" in page


@pytest.mark.django_db
def test_plural_and_singular_find_each_other_without_prefix_scans(world):
    outlet = source("irna")
    text = "پروازهای فرودگاه‌های اصفهان و شیراز به دلیل برف لغو شد."
    [plural] = ingest_items(source=outlet, items=[item("لغو پروازها", text)], alerts=False)
    single = "فرودگاه شهید بهشتی اصفهان میزبان پرواز تازه شد."
    [singular] = ingest_items(source=outlet, items=[item("پرواز تازه", single)], alerts=False)
    everything = Article.objects.all()

    def found(query: str) -> set[int]:
        return set(search.filter_text(everything, query).values_list("pk", flat=True))

    # a middle word is matched whole: its plural through the singular indexed beside it
    assert found("فرودگاه اصفهان") == {plural.article_id, singular.article_id}
    assert found("فرودگاه‌های اصفهان") == {plural.article_id, singular.article_id}
    # the last word may be unfinished
    assert found("لغو پرو") == {plural.article_id}
    assert search.query_alternatives("فرودگاه اصفهان")[0].prefix is False
