"""Searching the press through the real UI, in headless Chromium: the roads
office types a query with Arabic letters and finds the Persian articles, keeps
the negative ones with the tone filter, opens the story three outlets made of
its release and links the story to that release; then the same search on a
360 px phone, filters folded behind a button."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hamseda.activities.models import ActivityKind
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import jalali
from hamseda.core.tests import browser
from hamseda.directory.tests.factories import province
from hamseda.monitoring import feeds
from hamseda.monitoring.models import Article, Mention, Source, SourceKind, Story, Tone
from hamseda.monitoring.services.ingest import ingest_items

chromium_browser = browser.chromium_browser
web = browser.web

_urls = itertools.count(1)

RELEASE_TITLE = "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن نهضت ملی در کاشان"
RELEASE = (
    "مدیرکل اداره کل راه و شهرسازی استان اصفهان از آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن نهضت "
    "ملی در شهرستان کاشان خبر داد و گفت: زمین این طرح به مساحت ۴۰ هکتار در شمال شهر تأمین "
    "شده است. وی با اشاره به اینکه اعتبار این طرح ۳۵۰۰ میلیارد ریال است، افزود: "
    "پیمانکار بومی از هفته آینده کار را آغاز می‌کند و نخستین بلوک‌ها تا پایان شهریور "
    "سال آینده به متقاضیان تحویل داده می‌شود. مدیرکل راه و شهرسازی همچنین از ساخت "
    "مدرسه، درمانگاه و فضای سبز در کنار این واحدها خبر داد و گفت: خدمات روبنایی "
    "همزمان با ساخت واحدها اجرا می‌شود تا ساکنان با کمبود خدمات روبه‌رو نشوند. "
    "به گفته وی، ثبت‌نام متقاضیان واجد شرایط از طریق سامانه نهضت ملی مسکن ادامه دارد "
    "و تاکنون ۳۲۰۰ نفر در کاشان ثبت‌نام کرده‌اند."
)
COMPLAINT_TITLE = "گلایه متقاضیان مسکن ملی کاشان از تأخیر در تحویل واحدها"
COMPLAINT = (
    "متقاضیان مسکن نهضت ملی در کاشان از تأخیر چندساله در تحویل واحدها و بی‌توجهی اداره کل "
    "راه و شهرسازی استان اصفهان گلایه کردند و نسبت به وضعیت نامناسب پروژه اعتراض داشتند."
)


def _publish(source: Source, title: str, text: str, *, hours_ago: float) -> Article:
    item = feeds.article_from_text(
        text, url=f"https://{source.host}/news/{next(_urls)}", title=title
    )
    published = timezone.now() - dt.timedelta(hours=hours_ago)
    [result] = ingest_items(
        source=source, items=[dataclasses.replace(item, published=published)], alerts=False
    )
    return Article.objects.get(pk=result.article_id)


def _outlet(name: str, host: str, *, weight: float, code: str | None = None) -> Source:
    return Source.objects.create(
        name=name,
        kind=SourceKind.PROVINCIAL if code else SourceKind.NEWS_AGENCY,
        province=province(code) if code else None,
        site_url=f"https://{host}/",
        weight=weight,
    )


@pytest.mark.browser
def test_search_filter_and_link_a_story_to_its_release(
    django_db_serialized_rollback, transactional_db, world, web, chromium_browser, live_server
):
    # given the roads office's release, as three outlets published it, and a complaint
    irna = _outlet("ایرنا", "irna.ir", weight=3)
    isna = _outlet("ایسنا", "isna.ir", weight=2)
    imna = _outlet("ایمنا", "imna.ir", weight=1, code="isfahan")
    _publish(irna, RELEASE_TITLE + " - ایرنا", "کاشان - ایرنا - " + RELEASE, hours_ago=5)
    _publish(isna, "فیلم/ " + RELEASE_TITLE, "به گزارش ایسنا، " + RELEASE, hours_ago=4)
    last = _publish(imna, RELEASE_TITLE, "به گزارش ایمنا، " + RELEASE, hours_ago=3)
    complaint = _publish(imna, COMPLAINT_TITLE, COMPLAINT, hours_ago=2)
    story = Story.objects.get(pk=last.story_id)
    assert story.outlet_count == 3
    assert complaint.mentions.get().tone == Tone.NEGATIVE
    release_tone = Tone(Mention.objects.filter(story=story).values_list("tone", flat=True)[0])
    assert release_tone != Tone.NEGATIVE
    # the release, recorded after the outlets ran it (so ingestion did not link it)
    release = ActivityFactory(
        lead_office=world.chair_office,
        kind=ActivityKind.NEWS_RELEASE,
        status="done",
        title="اطلاعیه آغاز ساخت مسکن ملی کاشان",
        start_date=jalali.local_date(story.first_published_at) - dt.timedelta(days=1),
    )
    problems: list[str] = []
    page = web
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: None if browser.is_local(request.url) else problems.append(request.url),
    )

    # when the roads office searches with Arabic letters
    browser.log_in(page, world.staff)
    page.goto("/monitoring/")
    page.get_by_label("جستجو", exact=True).fill("مسكن كاشان")
    page.get_by_role("button", name="جستجو").click()

    # then the four Persian articles are found, the words marked
    results = page.locator("#article-results")
    expect(results).to_contain_text("۴ خبر")
    expect(results.locator(".hs-article")).to_have_count(4)
    expect(results.locator("mark").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q="))

    # when only the negative ones are kept
    page.get_by_label("لحن", exact=True).select_option(label="منفی")
    expect(results).to_contain_text("۱ خبر")
    expect(results.locator(".hs-article")).to_have_count(1)
    expect(results).to_contain_text(COMPLAINT_TITLE)
    expect(results.locator(".hs-tone-negative")).to_contain_text("منفی")

    # and the release's tone instead
    page.get_by_label("لحن", exact=True).select_option(label=str(release_tone.label))
    expect(results.locator(".hs-article")).to_have_count(3)
    expect(results).to_contain_text("در ۳ رسانه")
    browser.screenshot(page, "monitoring-articles-search.png")

    # when the story is opened from a result
    results.get_by_role("link", name="در ۳ رسانه").first.click()
    expect(page.locator("h1")).to_contain_text(RELEASE_TITLE)
    outlets = page.locator(".hs-outlet")
    expect(outlets).to_have_count(3)
    for name in ("ایرنا", "ایسنا", "ایمنا"):
        expect(outlets.filter(has_text=name)).to_have_count(1)

    # and linked to the release
    page.get_by_label("پیوند به خبر ارسالی").select_option(str(release.pk))
    page.get_by_role("button", name="ثبت پیوند").click()

    # then the story shows its release
    expect(page.locator(".alert-success")).to_contain_text("پیوند خورد")
    expect(page.locator(".hs-linked-release")).to_contain_text(release.title)
    browser.screenshot(page, "monitoring-story-linked.png")
    story.refresh_from_db()
    assert story.activity == release
    assert story.activity_auto is False

    # the stories list shows it with its coverage and its release
    page.goto("/monitoring/stories/")
    row = page.locator("#story-results tbody tr").filter(has_text=RELEASE_TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(release.title[:20])
    browser.screenshot(page, "monitoring-stories.png")

    # the complaint's own page: its cues, and the tone the office may correct
    page.goto(complaint.get_absolute_url())
    expect(page.locator(".hs-mentions")).to_contain_text("بی‌توجهی")
    expect(page.locator(".hs-tone-form select")).to_have_value(Tone.NEGATIVE)
    browser.screenshot(page, "monitoring-article.png")

    # on a phone, the same search: the filters fold behind a button
    phone = chromium_browser.new_context(
        base_url=live_server.url, viewport=browser.PHONE, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    phone.set_default_timeout(browser.TIMEOUT_MS)
    small = phone.new_page()
    small.on("pageerror", lambda error: problems.append(str(error)))
    try:
        browser.log_in(small, world.member_staff)
        small.goto("/monitoring/?q=" + "مسكن كاشان")
        expect(small.locator("#article-results .hs-article")).to_have_count(4)
        expect(small.get_by_label("لحن", exact=True)).to_be_hidden()
        browser.screenshot(small, "monitoring-articles-phone.png")
        small.get_by_role("button", name="صافی‌ها").click()
        tone = small.get_by_label("لحن", exact=True)
        expect(tone).to_be_visible()
        # Bootstrap marks the panel "show" once it has finished opening
        expect(small.locator("#monitoring-filters")).to_have_class(re.compile(r"\bshow\b"))
        tone.select_option(label="منفی")
        expect(small.locator("#article-results .hs-article")).to_have_count(1)
        browser.screenshot(small, "monitoring-articles-phone-filtered.png")
        small.goto(story.get_absolute_url())
        expect(small.locator(".hs-linked-release")).to_contain_text(release.title)
        # the railway office may not change the roads office's link: no form
        expect(small.get_by_role("button", name="ثبت پیوند")).to_have_count(0)
        browser.screenshot(small, "monitoring-story-phone.png")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= browser.PHONE["width"], width
    finally:
        phone.close()
    assert problems == []
