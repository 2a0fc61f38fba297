"""Coverage figures (``monitoring.dashboards``), the dashboard pages and the
coverage API: the numbers are compared with sums made in the test from the rows
it wrote, periods are Tehran days, and the number of queries does not grow with
the data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from hamseda.activities.models import ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.campaigns.models import Campaign
from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import jalali
from hamseda.directory.models import Agency, Office
from hamseda.directory.tests.factories import AgencyFactory, province
from hamseda.monitoring import dashboards
from hamseda.monitoring.dashboards import Period
from hamseda.monitoring.models import Article, Mention, Source, SourceKind, Story

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def day(days: int) -> dt.date:
    return jalali.today() + dt.timedelta(days=days)


def at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment of a Tehran day, ``days`` from today."""
    return dt.datetime.combine(day(days), dt.time(hour, minute), tzinfo=jalali.TEHRAN)


def outlet(name: str, weight: float = 1.0, province_code: str | None = None) -> Source:
    return Source.objects.create(
        name=name,
        kind=SourceKind.NEWS_AGENCY,
        feed_url=f"https://{next(_serial)}.example.ir/rss",
        weight=weight,
        province=province(province_code) if province_code else None,
    )


def story(title: str, when: dt.datetime, *, activity=None) -> Story:
    return Story.objects.create(
        title=title, first_published_at=when, last_published_at=when, activity=activity
    )


def publish(
    source: Source,
    when: dt.datetime,
    tones: dict[Agency, str],
    *,
    in_story: Story | None = None,
    campaigns: Iterable[Campaign] = (),
    title: str = "",
) -> Article:
    """An article of ``source`` naming each agency of ``tones`` in that tone, with
    the mention rows ingestion would write (office, province, weight copied)."""
    n = next(_serial)
    article = Article.objects.create(
        source=source,
        title=title or f"خبر آزمایشی شماره {n}",
        canonical_url=f"https://news.example.ir/{n}",
        content_hash=f"hash-{n}",
        published_at=when,
        story=in_story,
    )
    for agency, tone in tones.items():
        Mention.objects.create(
            article=article,
            agency=agency,
            office=Office.objects.filter(agency=agency).first(),
            province_id=agency.province_id,
            story=in_story,
            published_at=when,
            weight=source.weight,
            tone=tone,
        )
    article.campaigns.set(list(campaigns))
    return article


@pytest.fixture
def press(world):
    """A month of Isfahan's press about the roads office (``chair_office``), the
    railway (``member_office``) and Fars' roads office, in two outlets of weight
    2 and 1, and one article 40 days old."""
    roads, rail, fars = (
        world.chair_office.agency,
        world.member_office.agency,
        world.fars_office.agency,
    )
    irna, local = outlet("ایرنا", 2.0), outlet("نصف جهان", 1.0, "isfahan")
    highway = story("افتتاح آزادراه شرق اصفهان", at(-1, 9))
    jam = story("ترافیک سنگین ورودی شهر", at(-3, 8))
    rows = [
        # source, when, tones, story
        (irna, at(-1, 9), {roads: "positive"}, highway),
        (local, at(-1, 12), {roads: "negative", rail: "neutral"}, highway),
        (local, at(-3, 8), {roads: "neutral"}, jam),
        (irna, at(-3, 18), {roads: "negative"}, jam),
        (irna, at(-10, 11), {rail: "positive"}, None),
        (local, at(-12, 11), {fars: "negative"}, None),
        (irna, at(-40, 11), {roads: "positive"}, None),
    ]
    for source, when, tones, in_story in rows:
        publish(source, when, tones, in_story=in_story)
    return {"rows": rows, "irna": irna, "local": local, "highway": highway, "jam": jam}


def expected_for(rows, agency: Agency, period: Period) -> dict[str, object]:
    """The figures of ``agency`` summed from the test's own rows."""
    low, high = period.bounds()
    mine = [(s, w, t[agency], st) for s, w, t, st in rows if agency in t and low <= w < high]
    return {
        "articles": len(mine),
        "weight": sum(s.weight for s, *_ in mine),
        "stories": len({st.pk for *_, st in mine if st is not None}),
        "negative": sum(1 for *_, tone, _st in mine if tone == "negative"),
        "positive": sum(1 for *_, tone, _st in mine if tone == "positive"),
    }


# --- figures ---------------------------------------------------------------------------


def test_office_figures_match_the_rows_of_its_agency(world, press):
    period = Period.last_days(30)
    expected = expected_for(press["rows"], world.chair_office.agency, period)

    coverage = dashboards.office_coverage(office=world.chair_office, period=period)

    totals = coverage.totals
    assert totals.articles == expected["articles"] == 4
    assert totals.weight == expected["weight"] == 6.0
    assert totals.stories == expected["stories"] == 2
    assert totals.tone.negative == expected["negative"] == 2
    assert totals.tone.positive == expected["positive"] == 1
    assert totals.negative_share == 0.5
    # every day of the period, zero where nothing was published
    assert [p.start for p in coverage.series] == [
        period.start + dt.timedelta(days=i) for i in range(30)
    ]
    by_day = {p.start: p for p in coverage.series}
    assert (by_day[day(-1)].articles, by_day[day(-1)].weight) == (2, 3.0)
    assert by_day[day(-3)].tone.negative == 1
    assert by_day[day(-2)].articles == 0
    assert sum(p.articles for p in coverage.series) == totals.articles
    # outlets by articles, stories by weighted coverage
    assert [(o.name, o.articles, o.weight) for o in coverage.outlets] == [
        ("ایرنا", 2, 4.0),
        ("نصف جهان", 2, 2.0),
    ]
    # (a tie of weight and articles: the later story first)
    assert [(s.title, s.articles, s.weight) for s in coverage.stories] == [
        ("ترافیک سنگین ورودی شهر", 2, 3.0),
        ("افتتاح آزادراه شرق اصفهان", 2, 3.0),
    ]


def test_a_day_is_a_tehran_day(world):
    # given two articles 30 minutes apart around Tehran midnight (20:15 and
    # 20:45 UTC: one UTC day)
    roads = world.chair_office.agency
    irna = outlet("ایرنا")
    publish(irna, at(-2, 23, 45), {roads: "neutral"})
    publish(irna, at(-1, 0, 15), {roads: "neutral"})
    # when the coverage of the later Tehran day is read
    one_day = dashboards.office_coverage(office=world.chair_office, period=Period(day(-1), day(-1)))
    two_days = dashboards.office_coverage(
        office=world.chair_office, period=Period(day(-2), day(-1))
    )
    # then each article is on its own Tehran day
    assert one_day.totals.articles == 1
    assert [(p.start, p.articles) for p in two_days.series] == [(day(-2), 1), (day(-1), 1)]


def test_a_long_period_is_drawn_by_weeks_from_saturday(world, press):
    period = Period(day(-89), day(0))
    coverage = dashboards.office_coverage(office=world.chair_office, period=period)
    assert coverage.granularity == "week"
    points = coverage.series
    assert points[0].start == period.start
    assert points[-1].end == period.end
    assert all(p.start.weekday() == 5 for p in points[1:])  # Saturday
    assert all(p.end.weekday() == 4 for p in points[:-1])  # Friday
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in itertools.pairwise(points))
    assert sum(p.articles for p in points) == coverage.totals.articles == 5


def test_stories_per_release_counts_the_offices_done_releases_of_the_period(world, press):
    roads = world.chair_office
    released = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-2),
    )
    joint = ActivityFactory(
        lead_office=world.member_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-5),
    )
    ActivityPartner.objects.create(activity=joint, office=roads)
    # a planned release and one of last year count for nobody
    ActivityFactory(lead_office=roads, kind=ActivityKind.NEWS_RELEASE, start_date=day(-2))
    old = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-400),
    )
    Story.objects.filter(pk=press["highway"].pk).update(activity=released)
    story("بازنشر خبر", at(-1), activity=released)
    story("خبر مشترک", at(-4), activity=joint)
    story("خبر کهنه", at(-399), activity=old)

    coverage = dashboards.office_coverage(office=roads, period=Period.last_days(30))

    assert (coverage.releases.releases, coverage.releases.stories) == (2, 3)
    assert coverage.releases.ratio == 1.5
    rail = dashboards.release_yield(start=day(-29), end=day(0), office_ids=[world.member_office.pk])
    assert rail == {world.member_office.pk: dashboards.ReleaseYield(releases=1, stories=1)}


def test_office_figures_take_seven_queries_at_most_whatever_the_data(
    world, press, django_assert_max_num_queries
):
    period = Period.last_days(30)
    with django_assert_max_num_queries(7):
        dashboards.office_coverage(office=world.chair_office, period=period)
    roads = world.chair_office.agency
    for n in range(30):
        publish(press["irna"], at(-(n % 20), 7), {roads: "neutral"}, in_story=press["jam"])
    ActivityFactory(
        lead_office=world.chair_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-2),
    )
    with django_assert_max_num_queries(7):
        dashboards.office_coverage(office=world.chair_office, period=period)


def test_a_province_ranks_its_offices_by_weighted_coverage(world, press):
    # an agency without a PR office is named too, but is nobody to rank
    publish(press["irna"], at(-2), {AgencyFactory(name="شرکت بی‌روابط‌عمومی"): "neutral"})
    period = Period.last_days(30)
    isfahan = world.isfahan_council.province_id
    rows = press["rows"]

    coverage = dashboards.province_coverage(province_id=isfahan, period=period)

    roads, rail = world.chair_office.agency, world.member_office.agency
    assert [(r.office_id, r.articles, r.weight) for r in coverage.offices] == [
        (world.chair_office.pk, 4, expected_for(rows, roads, period)["weight"]),
        (world.member_office.pk, 2, expected_for(rows, rail, period)["weight"]),
    ]
    assert coverage.offices[0].negative_share == 0.5
    assert coverage.totals.articles == 6
    # (the highway story names both offices: weight 2 + 1 + 1)
    assert [(s.story_id, s.weight) for s in coverage.stories] == [
        (press["highway"].pk, 4.0),
        (press["jam"].pk, 3.0),
    ]
    country = dashboards.province_coverage(province_id=None, period=period)
    assert [r.office_id for r in country.offices] == [
        world.chair_office.pk,
        world.member_office.pk,
        world.fars_office.pk,
    ]
    assert country.totals.articles == 8
    # the country's stories are the press's, by the coverage ingestion keeps on them
    Story.objects.filter(pk=press["highway"].pk).update(weight=5.0, article_count=2)
    country = dashboards.province_coverage(province_id=None, period=period)
    assert [(s.story_id, s.weight) for s in country.stories] == [
        (press["highway"].pk, 5.0),
        (press["jam"].pk, 0.0),
    ]
    assert country.totals.stories == 2


def test_province_figures_take_six_queries(world, press, django_assert_num_queries):
    with django_assert_num_queries(6):
        dashboards.province_coverage(
            province_id=world.isfahan_council.province_id, period=Period.last_days(30)
        )


def test_a_campaign_counts_its_matched_articles_over_its_period(
    world, press, django_assert_num_queries
):
    # given a campaign that began 30 days ago and articles matched to it
    campaign = make_campaign(world)
    roads, rail = world.chair_office.agency, world.member_office.agency
    irna, local = press["irna"], press["local"]
    publish(irna, at(-2), {roads: "positive", rail: "negative"}, campaigns=[campaign])
    publish(local, at(-2, 15), {roads: "positive"}, campaigns=[campaign])
    publish(local, at(-20), {}, campaigns=[campaign])
    publish(irna, at(-35), {roads: "positive"}, campaigns=[campaign])  # before it began
    publish(irna, at(-2), {roads: "negative"})  # not matched to it

    # when its coverage is read over its own period
    period = Period.of_campaign(campaign)
    with django_assert_num_queries(7):
        coverage = dashboards.campaign_coverage(campaign=campaign, period=period)

    # then only the three matched articles of the period count
    assert period == Period(day(-30), day(0))
    assert coverage.totals.articles == 3
    assert coverage.totals.weight == 2.0 + 1.0 + 1.0
    assert (coverage.totals.tone.positive, coverage.totals.tone.negative) == (2, 1)
    assert [(o.name, o.articles) for o in coverage.outlets] == [("نصف جهان", 2), ("ایرنا", 1)]
    assert [(r.office_id, r.articles, r.tone.negative) for r in coverage.offices] == [
        (world.chair_office.pk, 2, 0),
        (world.member_office.pk, 1, 1),
    ]
    by_day = {p.start: p.articles for p in coverage.series}
    assert (by_day[day(-2)], by_day[day(-20)]) == (2, 1)


# --- pages -------------------------------------------------------------------------------


def _jalali(d: dt.date) -> str:
    return jalali.format_date(d, "input")


def _links(html: str, path: str) -> list[dict[str, list[str]]]:
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.path == path:
            found.append(parse_qs(parts.query))
    return found


def test_office_dashboard_shows_the_figures_charts_and_tables(world, press, login):
    html = login(world.staff).get(
        reverse("monitoring:office_dashboard", args=[world.chair_office.pk])
    )
    assert html.status_code == 200
    page = html.content.decode()
    # the tabs, the cards in Persian digits, the three charts and their tables
    assert 'aria-current="page" href="/monitoring/dashboard/"' in page.replace("\n", "")
    assert '<span class="hs-stat-value">۴</span>' in page
    assert '<span class="hs-stat-value">۶٫۰</span>' in page
    assert '<span class="hs-stat-value">۵۰٫۰٪</span>' in page
    for chart in ("series", "tone", "outlets"):
        assert f'data-chart="{chart}"' in page
    assert "ایرنا" in page
    assert reverse("monitoring:story_detail", args=[press["highway"].pk]) in page
    data = json.loads(
        re.search(r'<script id="hs-coverage-data" type="application/json">(.*?)</script>', page)[1]
    )
    assert len(data["series"]["labels"]) == 30
    assert sum(data["series"]["articles"]) == 4
    assert not re.search(r"[0-9]", "".join(data["series"]["labels"]))
    # the number of articles opens the article list filtered by agency and period
    articles = _links(page, reverse("monitoring:article_list"))
    assert {
        "agency": [str(world.chair_office.agency_id)],
        "date_from": [_jalali(day(-29))],
        "date_to": [_jalali(day(0))],
    } in articles
    assert {
        "agency": [str(world.chair_office.agency_id)],
        "tone": ["negative"],
        "date_from": [_jalali(day(-29))],
        "date_to": [_jalali(day(0))],
    } in articles


def test_a_custom_jalali_range_and_a_mistyped_one(world, press, login):
    client = login(world.staff)
    url = reverse("monitoring:office_dashboard", args=[world.chair_office.pk])
    # a custom range of three days: only the articles of those days
    response = client.get(
        url, {"period": "custom", "date_from": _jalali(day(-3)), "date_to": _jalali(day(-1))}
    )
    page = response.content.decode()
    assert '<span class="hs-stat-value">۴</span>' in page
    assert jalali.format_date(day(-3), "long") in page
    response = client.get(
        url, {"period": "custom", "date_from": _jalali(day(-1)), "date_to": _jalali(day(-1))}
    )
    assert '<span class="hs-stat-value">۲</span>' in response.content.decode()
    # a date that does not exist is shown back with its error, and the default period
    response = client.get(url, {"period": "custom", "date_from": "1404/13/01", "date_to": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="1404/13/01"' in page
    assert "ماه ۱۳ نداریم" in page
    assert "پایان بازه را بنویسید" in page
    assert '<span class="hs-stat-value">۴</span>' in page  # the last 30 days
    # the end before the start
    response = client.get(
        url, {"period": "custom", "date_from": _jalali(day(-1)), "date_to": _jalali(day(-3))}
    )
    assert "پایان بازه پیش از آغاز آن است" in response.content.decode()


def test_overview_ranks_the_viewers_province_and_the_centre_picks_one(world, press, login):
    # an Isfahan office's staff see Isfahan's offices, linked to their dashboards
    page = login(world.staff).get(reverse("monitoring:dashboard")).content.decode()
    assert "استان اصفهان" in page
    assert reverse("monitoring:office_dashboard", args=[world.chair_office.pk]) in page
    assert reverse("monitoring:office_dashboard", args=[world.fars_office.pk]) not in page
    assert 'data-chart="offices"' in page
    # the ministry centre sees every province, and may narrow to one
    client = login(world.ministry)
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "همه استان‌ها" in page
    assert reverse("monitoring:office_dashboard", args=[world.fars_office.pk]) in page
    fars = province("fars").pk
    page = client.get(reverse("monitoring:dashboard"), {"province": fars}).content.decode()
    assert reverse("monitoring:office_dashboard", args=[world.fars_office.pk]) in page
    assert reverse("monitoring:office_dashboard", args=[world.chair_office.pk]) not in page
    # an id that is no province is the default, and spoils no period
    page = client.get(
        reverse("monitoring:dashboard"),
        {"province": "x", "period": "custom", "date_from": _jalali(day(-3)), "date_to": ""},
    ).content.decode()
    assert "همه استان‌ها" in page
    assert "پایان بازه را بنویسید" in page
    page = client.get(
        reverse("monitoring:dashboard"),
        {
            "province": "x",
            "period": "custom",
            "date_from": _jalali(day(-3)),
            "date_to": _jalali(day(-1)),
        },
    ).content.decode()
    assert jalali.format_date(day(-3), "long") in page
    assert "is-invalid" not in page


def test_campaign_dashboard(world, press, login):
    campaign = make_campaign(world)
    publish(press["irna"], at(-2), {world.chair_office.agency: "positive"}, campaigns=[campaign])
    page = (
        login(world.member_staff)
        .get(reverse("monitoring:campaign_dashboard", args=[campaign.pk]))
        .content.decode()
    )
    assert campaign.title in page
    assert '<span class="hs-stat-value">۱</span>' in page
    assert {
        "agency": [str(world.chair_office.agency_id)],
        "campaign": [str(campaign.pk)],
        "date_from": [_jalali(day(-30))],
        "date_to": [_jalali(day(0))],
    } in _links(page, reverse("monitoring:article_list"))


def test_pages_need_a_signed_in_user_and_an_existing_record(world, client, login):
    url = reverse("monitoring:office_dashboard", args=[world.chair_office.pk])
    assert client.get(url).status_code == 302
    client = login(world.staff)
    assert client.get(reverse("monitoring:office_dashboard", args=[999999])).status_code == 404
    assert client.get(reverse("monitoring:campaign_dashboard", args=[999999])).status_code == 404


def test_dashboard_pages_take_a_bounded_number_of_queries(
    world, press, login, django_assert_max_num_queries
):
    client = login(world.staff)
    campaign = make_campaign(world)
    urls = [
        reverse("monitoring:office_dashboard", args=[world.chair_office.pk]),
        reverse("monitoring:dashboard"),
        reverse("monitoring:campaign_dashboard", args=[campaign.pk]),
        reverse("monitoring:alert_list"),
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    roads = world.chair_office.agency
    for n in range(40):
        publish(
            press["local"],
            at(-(n % 25), 7),
            {roads: "negative"},
            in_story=story(f"رویداد {n}", at(-1)),
            campaigns=[campaign],
        )
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


# --- API ------------------------------------------------------------------------------------


def test_coverage_api_answers_for_an_office_a_campaign_and_a_province(world, press, login):
    client = login(world.staff)
    url = reverse("api-monitoring-coverage")
    body = client.get(url, {"office": world.chair_office.pk}).json()
    assert body["totals"]["articles"] == 4
    assert body["totals"]["weight"] == 6.0
    assert body["totals"]["negative_share"] == 0.5
    assert body["granularity"] == "day"
    assert body["date_from"] == day(-29).isoformat()
    assert len(body["series"]) == 30
    assert body["outlets"][0] == {
        "source_id": press["irna"].pk,
        "name": "ایرنا",
        "articles": 2,
        "weight": 4.0,
    }
    assert body["releases"] == {"releases": 0, "stories": 0, "ratio": None}
    # a range of ISO dates
    body = client.get(
        url,
        {
            "office": world.chair_office.pk,
            "date_from": day(-3).isoformat(),
            "date_to": day(-3).isoformat(),
        },
    ).json()
    assert body["totals"]["tone"] == {"positive": 0, "neutral": 1, "negative": 1}
    # a province's ranking
    body = client.get(url, {"province": world.isfahan_council.province_id}).json()
    assert [o["office_id"] for o in body["offices"]] == [
        world.chair_office.pk,
        world.member_office.pk,
    ]
    assert body["releases"] is None
    # a campaign over its period
    campaign = make_campaign(world)
    publish(press["irna"], at(-2), {}, campaigns=[campaign])
    body = client.get(url, {"campaign": campaign.pk}).json()
    assert body["totals"]["articles"] == 1
    assert body["date_from"] == campaign.start_date.isoformat()


def test_coverage_api_rejects_bad_input(world, login):
    client = login(world.staff)
    url = reverse("api-monitoring-coverage")
    assert client.get(url, {"date_from": "1404/01/01"}).status_code == 400
    assert client.get(url, {"office": "x"}).status_code == 400
    assert (
        client.get(
            url, {"date_from": day(0).isoformat(), "date_to": day(-1).isoformat()}
        ).status_code
        == 400
    )
    response = client.get(url, {"office": world.chair_office.pk, "campaign": 1})
    assert response.status_code == 400
    assert "campaign" in response.json()
    assert client.get(url, {"office": 999999}).status_code == 404
