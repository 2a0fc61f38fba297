"""Source pages: the list with health badges and filters, the form (duplicate feeds
refused), the health page, "read now", and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from hamseda.core.models import AuditEvent
from hamseda.directory.tests.factories import province
from hamseda.monitoring.models import (
    Article,
    PollOutcome,
    Source,
    SourceKind,
    SourcePoll,
)
from hamseda.monitoring.services import polling
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply, feed_file

pytestmark = pytest.mark.django_db
feed_server = local_feeds.feed_server


@pytest.fixture(autouse=True)
def fast_network(settings):
    settings.MONITORING_POLL_RETRY_WAITS = (0.01, 0.02)
    settings.MONITORING_FETCH_TIMEOUTS = (2.0, 1.0, 5.0)
    cache.clear()


def _source(name: str, *, feed: str = "", code: str | None = "isfahan", **fields) -> Source:
    return Source.objects.create(
        name=name,
        kind=fields.pop("kind", SourceKind.PROVINCIAL),
        feed_url=feed,
        province=province(code) if code else None,
        **fields,
    )


def _form(**extra) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "خبرگزاری ایمنا",
        "kind": SourceKind.PROVINCIAL,
        "feed_url": "https://www.imna.ir/rss",
        "site_url": "https://www.imna.ir/",
        "province": "",
        "weight": "1.5",
        "poll_minutes": "30",
        "is_active": "on",
    }
    data.update(extra)
    return data


# --- list ------------------------------------------------------------------------------


def test_everybody_sees_the_list_with_health_badges_and_filters(world, login):
    now = timezone.now()
    _source("ایمنا", feed="https://imna.ir/rss", last_polled_at=now, last_success_at=now)
    _source(
        "اصفهان امروز",
        feed="https://esfahanemrooz.ir/rss",
        last_polled_at=now,
        consecutive_failures=3,
        last_error="خطای سرور رسانه (پاسخ ۵۰۳).",
    )
    _source("خبر فارس", feed="https://farsnews.ir/rss", code="fars")
    _source("ایرنا", feed="https://irna.ir/rss", code=None, kind=SourceKind.NEWS_AGENCY)
    _source("نصف جهان", feed="https://nesfejahan.ir/rss", is_active=False)
    client = login(world.staff)

    html = client.get("/monitoring/sources/").content.decode()

    assert "۵ منبع" in html
    for badge in ("سالم", "خطا", "هنوز خوانده نشده", "غیرفعال", "۳ بار پیاپی"):
        assert badge in html
    assert "افزودن منبع" not in html  # staff do not manage sources
    only = client.get("/monitoring/sources/", {"health": "failing"}).content.decode()
    assert "اصفهان امروز" in only
    assert "ایمنا" not in only
    national = client.get("/monitoring/sources/", {"province": "national"}).content.decode()
    assert "ایرنا" in national
    assert "خبر فارس" not in national
    fars = client.get("/monitoring/sources/", {"province": province("fars").pk}).content.decode()
    assert "خبر فارس" in fars
    assert "ایمنا" not in fars
    kind = client.get("/monitoring/sources/", {"kind": SourceKind.NEWS_AGENCY}).content.decode()
    assert "ایرنا" in kind
    assert "ایمنا" not in kind
    # search by name, whatever the spelling (Arabic yeh)
    found = client.get("/monitoring/sources/", {"q": "ايمنا"}).content.decode()
    assert "ایمنا" in found
    assert "ایرنا" not in found
    # a stale bookmark's bad values are no filter
    assert client.get("/monitoring/sources/", {"province": "x", "health": "y"}).status_code == 200


def test_list_answers_htmx_with_the_results_only(world, login):
    _source("ایمنا", feed="https://imna.ir/rss")
    response = login(world.staff).get("/monitoring/sources/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.startswith('<div id="source-results">')
    assert "ایمنا" in html


def test_list_costs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    for n in range(20):
        _source(f"رسانه شماره {n}", feed=f"https://r{n}.example.ir/rss")
    client = login(world.staff)
    client.get("/monitoring/sources/")

    with django_assert_max_num_queries(8):
        assert client.get("/monitoring/sources/").status_code == 200


# --- create and edit ----------------------------------------------------------------


def test_secretary_adds_a_source_of_their_province_and_it_is_audited(world, login):
    client = login(world.secretary)

    form_page = client.get("/monitoring/sources/new/").content.decode()
    response = client.post("/monitoring/sources/new/", _form(province=province("isfahan").pk))

    assert "— رسانه سراسری —" not in form_page  # a council adds its own province's outlets
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == source.get_absolute_url()
    assert (source.province, source.host, source.weight) == (province("isfahan"), "imna.ir", 1.5)
    assert source.next_poll_at is None  # due at the next beat tick
    event = AuditEvent.objects.get(event="source_created")
    assert event.actor == world.secretary
    assert event.changes["feed_url"] == [None, "https://www.imna.ir/rss"]


def test_the_same_feed_twice_is_refused_and_the_form_keeps_what_was_typed(world, login):
    _source("ایمنا", feed="https://www.imna.ir/rss")
    client = login(world.secretary)

    response = client.post(
        "/monitoring/sources/new/",
        _form(
            name="ایمنا دوباره",
            feed_url="http://imna.ir/rss/?utm_source=x",
            province=province("isfahan").pk,
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "این خوراک پیش‌تر با نام «ایمنا» ثبت شده است." in html
    assert 'value="ایمنا دوباره"' in html
    assert Source.objects.count() == 1


def test_a_bad_url_is_refused_in_persian(world, login):
    response = login(world.secretary).post(
        "/monitoring/sources/new/",
        _form(feed_url="not a url", site_url="", province=province("isfahan").pk),
    )

    assert response.status_code == 200
    assert "یک نشانی اینترنتی معتبر وارد کنید" in response.content.decode()
    assert not Source.objects.exists()


def test_who_may_manage_which_source(world, login):
    isfahan = _source("ایمنا", feed="https://imna.ir/rss")
    fars = _source("خبر فارس", feed="https://farsnews.ir/rss", code="fars")
    national = _source("ایرنا", feed="https://irna.ir/rss", code=None)

    # office staff see sources but manage none
    staff = login(world.staff)
    assert staff.get(isfahan.get_absolute_url()).status_code == 200
    assert staff.get("/monitoring/sources/new/").status_code == 403
    assert staff.get(f"/monitoring/sources/{isfahan.pk}/edit/").status_code == 403
    assert staff.post(f"/monitoring/sources/{isfahan.pk}/poll/").status_code == 403
    # the council's secretary manages their province's, not Fars' nor national ones
    secretary = login(world.secretary)
    assert secretary.get(f"/monitoring/sources/{isfahan.pk}/edit/").status_code == 200
    assert secretary.get(f"/monitoring/sources/{fars.pk}/edit/").status_code == 403
    assert secretary.get(f"/monitoring/sources/{national.pk}/edit/").status_code == 403
    refused = secretary.post(
        "/monitoring/sources/new/", _form(feed_url="https://x.ir/rss", province="")
    )
    assert refused.status_code == 200  # the province is required for them
    assert Source.objects.count() == 3
    # the ministry centre manages national ones
    ministry = login(world.ministry)
    assert ministry.get(f"/monitoring/sources/{national.pk}/edit/").status_code == 200
    created = ministry.post(
        "/monitoring/sources/new/",
        _form(name="ایسنا", kind=SourceKind.NEWS_AGENCY, feed_url="https://isna.ir/rss"),
    )
    assert created.status_code == 302
    assert Source.objects.get(feed_url="https://isna.ir/rss").province is None


def test_editing_the_feed_address_reads_it_from_scratch(world, login):
    source = _source(
        "ایمنا",
        feed="https://imna.ir/rss",
        etag='"old"',
        last_modified="Tue, 10 Jun 2025 08:00:00 GMT",
        next_poll_at=timezone.now() + timedelta(hours=2),
        consecutive_failures=4,
    )
    client = login(world.secretary)
    page = client.get(f"/monitoring/sources/{source.pk}/edit/").content.decode()
    assert 'value="https://imna.ir/rss"' in page

    response = client.post(
        f"/monitoring/sources/{source.pk}/edit/",
        _form(name="ایمنا", feed_url="https://imna.ir/fa/rss", province=province("isfahan").pk),
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.etag, source.last_modified, source.next_poll_at) == ("", "", None)
    assert source.consecutive_failures == 0
    event = AuditEvent.objects.get(event="source_edited")
    assert event.changes["feed_url"] == ["https://imna.ir/rss", "https://imna.ir/fa/rss"]


# --- the health page and "read now" ------------------------------------------------------


def test_health_page_explains_the_fields_and_lists_polls_and_articles(
    world, login, feed_server: FeedServer
):
    url = feed_server.serve("/rss", Reply(body=feed_file("malformed.xml")))
    source = _source("خوراک خراب", feed=url)
    polling.poll_source(source)

    html = login(world.staff).get(source.get_absolute_url()).content.decode()

    assert "سلامت خوراک" in html
    assert "آخرین خواندن موفق" in html
    assert "۳۰۴ یعنی از دفعه قبل تغییری نکرده است" in html
    assert "موفق با ایراد" in html  # the poll's outcome
    assert "ساختار XML خوراک ایراد داشت" in html  # its problem, in Persian
    article = Article.objects.get(title="خبر سالم اول")
    assert f'href="/monitoring/articles/{article.pk}/"' in html
    assert "خواندن همین حالا" not in html  # staff cannot ask for it


# Transactional: "read now" queues the poll on commit, and the page reports it when
# the task has already run (eager here, as a fast worker would).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_read_now_polls_the_feed_and_reports_the_new_articles(
    world, login, feed_server: FeedServer
):
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml")))
    source = _source("خبرگزاری نمونه", feed=url)
    client = login(world.secretary)
    assert "خواندن همین حالا" in client.get(source.get_absolute_url()).content.decode()
    assert client.get(f"/monitoring/sources/{source.pk}/poll/").status_code == 405

    response = client.post(f"/monitoring/sources/{source.pk}/poll/", follow=True)

    html = response.content.decode()
    assert "خوراک خوانده شد: ۳ خبر تازه." in html
    assert "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن در کاشان" in html
    assert SourcePoll.objects.get(source=source).outcome == PollOutcome.OK


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_read_now_of_a_failing_feed_says_why(world, login, feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(status=404, body=b"x", content_type="text/plain"))
    source = _source("نشانی اشتباه", feed=url)

    response = login(world.secretary).post(f"/monitoring/sources/{source.pk}/poll/", follow=True)

    html = response.content.decode()
    assert "خواندن خوراک ناموفق بود: این نشانی در سرور رسانه پیدا نشد (پاسخ ۴۰۴)." in html
    assert "خطا" in html


def test_read_now_of_a_source_without_feed_is_refused(world, login):
    source = _source("بریده‌ها", kind=SourceKind.CLIPPINGS)

    response = login(world.secretary).post(f"/monitoring/sources/{source.pk}/poll/", follow=True)

    assert "این منبع خوراک ندارد که خوانده شود." in response.content.decode()
    assert not SourcePoll.objects.exists()


def test_read_now_is_queued_after_the_commit(
    world, login, feed_server: FeedServer, django_capture_on_commit_callbacks
):
    url = feed_server.serve("/rss", Reply(body=feed_file("atom.xml")))
    source = _source("روابط عمومی نمونه", feed=url)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = login(world.secretary).post(
            f"/monitoring/sources/{source.pk}/poll/", follow=True
        )

    assert "خواندن خوراک در صف قرار گرفت" in response.content.decode()
    assert len(queued) == 1
    assert feed_server.requests == []
