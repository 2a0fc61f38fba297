"""The stories pages: one news told by several outlets, its coverage and tones,
and linking it to the office's news release (policy "monitoring.link")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamseda.activities.models import ActivityKind
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import jalali
from hamseda.core.models import AuditEvent
from hamseda.directory.tests.factories import province
from hamseda.monitoring import feeds
from hamseda.monitoring.models import Article, Source, SourceKind, Story, Tone
from hamseda.monitoring.services import stories as services
from hamseda.monitoring.services.ingest import ingest_items

pytestmark = pytest.mark.django_db

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
# The release as three outlets publish it: own byline and tail, Arabic letters.
COPIES = {
    "irna": ("کاشان - ایرنا - " + RELEASE + "\nانتهای پیام/", RELEASE_TITLE + " - ایرنا"),
    "isna": (
        "به گزارش خبرنگار ایسنا از اصفهان، "
        + RELEASE.replace("ی", "ي").replace("ک", "ك")
        + "\nکد خبر: 1403052112",
        "فیلم/ " + RELEASE_TITLE,
    ),
    "imna": ("به گزارش ایمنا، " + RELEASE, RELEASE_TITLE),
}


def _outlet(name: str, host: str, *, weight: float, code: str | None = None) -> Source:
    return Source.objects.create(
        name=name,
        kind=SourceKind.PROVINCIAL if code else SourceKind.NEWS_AGENCY,
        province=province(code) if code else None,
        site_url=f"https://{host}/",
        weight=weight,
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


def _release(office, *, days_ago: int = 1, kind=ActivityKind.NEWS_RELEASE, **fields):
    return ActivityFactory(
        lead_office=office,
        kind=kind,
        status="done",
        start_date=jalali.today() - dt.timedelta(days=days_ago),
        title=fields.pop("title", "اطلاعیه آغاز ساخت مسکن ملی کاشان"),
        **fields,
    )


def _tell_the_story() -> Story:
    outlets = {
        "irna": _outlet("ایرنا", "irna.ir", weight=3),
        "isna": _outlet("ایسنا", "isna.ir", weight=2),
        "imna": _outlet("ایمنا", "imna.ir", weight=1, code="isfahan"),
    }
    for hours_ago, (key, (text, title)) in zip((5, 4, 3), COPIES.items(), strict=True):
        article = _publish(outlets[key], title, text, hours_ago=hours_ago)
    return Story.objects.get(pk=article.story_id)


@pytest.fixture
def story(world) -> Story:
    return _tell_the_story()


def test_three_outlets_make_one_story(story):
    assert story.outlet_count == 3
    assert story.weight == 6.0
    assert story.articles.count() == 3


# --- list ---------------------------------------------------------------------------------


def test_story_list_shows_coverage_and_the_agencies(world, login, story):
    html = login(world.staff).get("/monitoring/stories/").content.decode()
    assert "۱ رویداد خبری" in html
    assert story.title in html
    assert story.get_absolute_url() in html
    assert "۶٫۰" in html  # the weighted coverage
    assert world.chair_office.agency.name in html


def test_story_list_searches_the_stories_articles_and_filters_by_tone(world, login, story):
    client = login(world.staff)
    link = story.get_absolute_url()
    # words of its articles, in Arabic letters, find it; the title marks them
    found = client.get("/monitoring/stories/", {"q": "مسكن كاشان"}).content.decode()
    assert link in found
    assert "<mark>کاشان</mark>" in found
    assert link not in client.get("/monitoring/stories/", {"q": "شیراز"}).content.decode()
    negative = client.get("/monitoring/stories/", {"tone": Tone.NEGATIVE}).content.decode()
    assert link not in negative
    # one outlet turns negative: the story now has a negative mention
    story.mentions.filter(article__source__name="ایمنا").update(tone=Tone.NEGATIVE)
    negative = client.get("/monitoring/stories/", {"tone": Tone.NEGATIVE}).content.decode()
    assert link in negative


def test_story_list_htmx_gets_only_the_results(world, login, story):
    response = login(world.staff).get("/monitoring/stories/", headers={"HX-Request": "true"})
    assert response.content.decode().startswith('<div id="story-results">')


def test_story_list_costs_a_bounded_number_of_queries(
    world, login, story, django_assert_max_num_queries
):
    imna = Source.objects.get(name="ایمنا")
    for n, town in enumerate(("نطنز", "خوانسار", "سمیرم", "فریدن")):
        _publish(
            imna,
            f"بازدید مدیرکل راه و شهرسازی از محورهای {town}",
            f"مدیرکل اداره کل راه و شهرسازی استان اصفهان از محورهای شهرستان {town} بازدید "
            f"کرد و دستور بهسازی {n + 2} محور روستایی را داد.",
            hours_ago=n + 1,
        )
    client = login(world.staff)
    client.get("/monitoring/stories/")
    with django_assert_max_num_queries(9):
        assert client.get("/monitoring/stories/").status_code == 200


# --- one story ----------------------------------------------------------------------------


def test_story_page_groups_the_articles_by_outlet(world, login, story):
    html = login(world.member_staff).get(story.get_absolute_url()).content.decode()
    for name in ("ایرنا", "ایسنا", "ایمنا"):
        assert name in html
    assert html.count('class="card mb-2 hs-outlet"') == 3
    assert 'class="col-6 hs-outlet-count">۳<' in html
    assert world.chair_office.agency.name in html
    # nothing to link for the railway: the story does not name it
    assert f"/monitoring/stories/{story.pk}/release/" not in html


# --- linking to the release ---------------------------------------------------------------


def test_the_office_links_the_story_to_its_release(world, login, story):
    # given the roads office's release of the day before, and one of ten days before
    release = _release(world.chair_office)
    old = _release(world.chair_office, days_ago=10, title="اطلاعیه قدیمی")
    other_office = _release(world.member_office, title="اطلاعیه راه‌آهن")
    client = login(world.staff)
    html = client.get(story.get_absolute_url()).content.decode()
    # then the form offers the release of the story's days only
    assert f'<option value="{release.pk}">' in html
    assert f'<option value="{old.pk}">' not in html
    assert f'<option value="{other_office.pk}">' not in html
    # when the office links it
    response = client.post(f"/monitoring/stories/{story.pk}/release/", {"activity": release.pk})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.activity == release
    assert story.activity_auto is False
    event = AuditEvent.objects.get(event="story_release_linked")
    assert event.changes["activity"][1]["id"] == release.pk
    page = client.get(story.get_absolute_url()).content.decode()
    assert release.get_absolute_url() in page
    # and unlinks it
    client.post(f"/monitoring/stories/{story.pk}/release/", {"activity": ""})
    story.refresh_from_db()
    assert story.activity is None
    assert AuditEvent.objects.filter(event="story_release_unlinked").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 302),  # the release's own office
        ("chair", 302),  # the council's chair of the province
        ("ministry", 302),
        ("member_staff", 403),  # another office of the province
        ("evaluator", 403),  # sees every release, links none
        ("fars_chair", 404),  # does not even see Isfahan's releases
    ],
)
def test_linking_follows_the_policy(world, login, story, persona, status):
    release = _release(world.chair_office)
    response = login(getattr(world, persona)).post(
        f"/monitoring/stories/{story.pk}/release/", {"activity": release.pk}
    )
    assert response.status_code == status
    story.refresh_from_db()
    assert story.activity == (release if status == 302 else None)


def test_a_release_older_than_the_offered_days_may_still_be_linked_by_id(world, login, story):
    old = _release(world.chair_office, days_ago=20)
    response = login(world.staff).post(
        f"/monitoring/stories/{story.pk}/release/", {"activity": old.pk}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.activity == old


def test_linking_what_is_not_a_release_is_refused_on_the_form(world, login, story):
    interview = _release(world.chair_office, kind=ActivityKind.INTERVIEW)
    response = login(world.staff).post(
        f"/monitoring/stories/{story.pk}/release/", {"activity": interview.pk}
    )
    assert response.status_code == 200
    assert "تنها خبر و اطلاعیه دستگاه پیوند می‌خورد" in response.content.decode()
    story.refresh_from_db()
    assert story.activity is None


def test_another_office_may_not_undo_a_link(world, login, story):
    release = _release(world.chair_office)
    services.story_link_activity(actor=world.staff, story=story, activity=release)
    response = login(world.member_staff).post(
        f"/monitoring/stories/{story.pk}/release/", {"activity": ""}
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.activity == release


def test_the_service_refuses_what_is_not_a_news_release(world, story):
    interview = _release(world.chair_office, kind=ActivityKind.INTERVIEW)
    with pytest.raises(ValidationError):
        services.story_link_activity(actor=world.staff, story=story, activity=interview)
    with pytest.raises(PermissionDenied):
        services.story_link_activity(
            actor=world.member_staff, story=story, activity=_release(world.chair_office)
        )
    story.refresh_from_db()
    assert story.activity is None


def test_a_release_found_by_ingestion_shows_as_automatic_and_can_be_confirmed(world, login):
    # given the release sent the day before the outlets publish it
    release = _release(world.chair_office, title=RELEASE_TITLE, description=RELEASE)
    story = _tell_the_story()
    assert story.activity == release
    assert story.activity_auto is True
    client = login(world.staff)
    assert "پیوند خودکار" in client.get(story.get_absolute_url()).content.decode()
    # when the office confirms it
    client.post(f"/monitoring/stories/{story.pk}/release/", {"activity": release.pk})
    story.refresh_from_db()
    assert story.activity == release
    assert story.activity_auto is False
