"""Sources and clippings through the real UI, in headless Chromium: the council's
secretary adds an outlet whose feed a local server serves, presses "read now" and
sees the health page with the new articles; then an office's staff member, on a
360 px phone, pastes a clipping whose page could not be read."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from hamseda.core.tests import browser
from hamseda.monitoring.models import Article, ArticleVia, PollOutcome, Source, SourcePoll
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply, feed_file

chromium_browser = browser.chromium_browser
web = browser.web
feed_server = local_feeds.feed_server

NEWS = "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن در کاشان"
CLIP_TITLE = "بازدید مدیرکل راه‌آهن از ایستگاه کاشان"
CLIP_TEXT = (
    "مدیرکل راه‌آهن منطقه اصفهان از ایستگاه راه‌آهن کاشان بازدید کرد و "
    "از آغاز بازسازی سالن مسافران خبر داد."
)


@pytest.fixture(autouse=True)
def fast_network(settings):
    settings.MONITORING_POLL_RETRY_WAITS = (0.01, 0.02)
    settings.MONITORING_FETCH_TIMEOUTS = (2.0, 2.0, 5.0)
    cache.clear()


@pytest.mark.browser
def test_secretary_adds_a_feed_reads_it_now_and_sees_its_health(
    django_db_serialized_rollback, transactional_db, world, web, feed_server: FeedServer
):
    # given a news agency's feed on a local server
    feed_url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml"), etag='"v1"'))
    js_errors: list[str] = []
    web.on("pageerror", lambda error: js_errors.append(str(error)))

    # when the council's secretary adds it as a source of the province
    browser.log_in(web, world.secretary)
    web.goto("/monitoring/sources/")
    web.get_by_role("link", name="افزودن منبع").click()
    web.get_by_label("نام رسانه").fill("خبرگزاری نمونه")
    web.get_by_label("نوع رسانه").select_option(label="خبرگزاری")
    web.get_by_label("نشانی خوراک RSS/Atom").fill(feed_url)
    web.get_by_label("وزن").fill("1.5")
    web.get_by_role("button", name="ذخیره").click()

    # then its health page says it has not been read yet
    expect(web.locator(".alert-success")).to_contain_text("منبع «خبرگزاری نمونه» ثبت شد.")
    expect(web.locator("h1 .hs-health")).to_have_text("هنوز خوانده نشده")
    source = Source.objects.get()
    assert urlsplit(web.url).path == source.get_absolute_url()
    assert source.province == world.chair_office.agency.province

    # when they press "read now"
    web.get_by_role("button", name="خواندن همین حالا").click()

    # then the page shows the poll, the health and the new articles
    expect(web.locator(".alert-success")).to_contain_text("خوراک خوانده شد: ۳ خبر تازه.")
    expect(web.locator("h1 .hs-health")).to_have_text("سالم")
    polls = web.locator(".hs-polls tbody tr")
    expect(polls).to_have_count(1)
    expect(polls.first).to_contain_text("موفق")
    articles = web.locator(".hs-source-articles")
    expect(articles).to_contain_text(NEWS)
    browser.screenshot(web, "monitoring-source-health.png")
    assert SourcePoll.objects.get().outcome == PollOutcome.OK
    first = Article.objects.get(title=NEWS)
    href = articles.get_by_role("link", name=NEWS).get_attribute("href")
    assert href == first.get_absolute_url()

    # and a second reading is answered "not modified" and adds nothing
    web.get_by_role("button", name="خواندن همین حالا").click()
    expect(web.locator(".alert-success")).to_contain_text("خوراک خوانده شد: ۰ خبر تازه.")
    expect(polls).to_have_count(2)
    expect(polls.first).to_contain_text("بدون تغییر")
    assert Article.objects.count() == 3

    # and the list shows the source as healthy
    web.goto("/monitoring/sources/")
    row = web.locator("#source-results tbody tr").filter(has_text="خبرگزاری نمونه")
    expect(row.locator(".hs-health")).to_have_text("سالم")
    browser.screenshot(web, "monitoring-source-list.png")
    assert js_errors == []


@pytest.mark.browser
def test_staff_pastes_a_clipping_on_a_phone_when_the_page_cannot_be_read(
    django_db_serialized_rollback,
    transactional_db,
    world,
    chromium_browser,
    live_server,
    feed_server: FeedServer,
):
    # given an article page that answers 503
    page_url = feed_server.serve(
        "/news/9", Reply(status=503, body=b"busy", content_type="text/html")
    )
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport=browser.PHONE, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    context.set_default_timeout(browser.TIMEOUT_MS)
    phone = context.new_page()
    try:
        browser.log_in(phone, world.member_staff)

        # when a rail office's staff member gives its link
        phone.goto("/monitoring/clip/")
        phone.get_by_label("نشانی خبر").fill(page_url)
        phone.get_by_role("button", name="ثبت خبر").click()

        # then they are told the page could not be read, the link is kept
        expect(phone.locator(".hs-page-failed")).to_be_visible()
        expect(phone.locator("#id_url_error")).to_contain_text("صفحه خبر خوانده نشد")
        expect(phone.get_by_label("نشانی خبر")).to_have_value(page_url)
        browser.screenshot(phone, "monitoring-clip-failed-phone.png")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= browser.PHONE["width"]

        # when they paste the text instead
        phone.get_by_label("تیتر").fill(CLIP_TITLE)
        phone.get_by_label("متن خبر").fill(CLIP_TEXT)
        phone.get_by_role("button", name="ثبت خبر").click()

        # then the article is stored as their clipping, with its link
        expect(phone.locator(".alert-success")).to_contain_text("خبر ثبت شد.")
        article = Article.objects.get()
        assert (article.title, article.url, article.via) == (
            CLIP_TITLE,
            page_url,
            ArticleVia.CLIPPING,
        )
        assert article.added_by == world.member_staff
        assert urlsplit(phone.url).path == article.get_absolute_url()
        browser.screenshot(phone, "monitoring-clip-saved-phone.png")
    finally:
        context.close()
