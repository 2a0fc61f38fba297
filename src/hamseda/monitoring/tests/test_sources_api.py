"""The sources and clippings API: same policy and rules as the pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hamseda.directory.tests.factories import province
from hamseda.monitoring.models import Article, PollOutcome, Source, SourceKind, SourcePoll
from hamseda.monitoring.services import polling
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply, feed_file

pytestmark = pytest.mark.django_db
feed_server = local_feeds.feed_server


@pytest.fixture(autouse=True)
def fast_network(settings):
    settings.MONITORING_POLL_RETRY_WAITS = (0.01, 0.02)
    cache.clear()


def _api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _payload(**extra) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "خبرگزاری ایمنا",
        "kind": SourceKind.PROVINCIAL,
        "feed_url": "https://www.imna.ir/rss",
        "province": province("isfahan").pk,
    }
    data.update(extra)
    return data


def test_create_list_detail_and_patch(world):
    client = _api(world.secretary)

    created = client.post("/api/v1/monitoring/sources/", _payload(), format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["health"] == "never"
    assert (body["host"], body["weight"], body["poll_minutes"]) == ("imna.ir", 1.0, 30)
    listed = client.get("/api/v1/monitoring/sources/", {"health": "never"}).json()
    assert [s["id"] for s in listed["results"]] == [body["id"]]
    assert client.get("/api/v1/monitoring/sources/", {"health": "failing"}).json()["count"] == 0
    patched = client.patch(
        f"/api/v1/monitoring/sources/{body['id']}/", {"weight": 2.5}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["weight"] == 2.5
    assert patched.json()["name"] == "خبرگزاری ایمنا"  # untouched by a partial update


def test_health_fields_are_read_only(world):
    source = Source.objects.create(name="ایمنا", kind=SourceKind.PROVINCIAL, province=province())
    client = _api(world.secretary)

    response = client.patch(
        f"/api/v1/monitoring/sources/{source.pk}/",
        {"consecutive_failures": 0, "last_error": ""},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"consecutive_failures", "last_error"}


def test_the_same_feed_twice_is_400_with_a_persian_message(world):
    client = _api(world.secretary)
    client.post("/api/v1/monitoring/sources/", _payload(), format="json")

    again = client.post(
        "/api/v1/monitoring/sources/", _payload(feed_url="https://imna.ir/rss/"), format="json"
    )

    assert again.status_code == 400
    assert again.json()["feed_url"] == ["این خوراک پیش‌تر با نام «خبرگزاری ایمنا» ثبت شده است."]


def test_policy_applies_to_the_api(world):
    fars = Source.objects.create(
        name="خبر فارس",
        kind=SourceKind.PROVINCIAL,
        province=province("fars"),
        feed_url="https://f.ir/rss",
    )
    staff, secretary = _api(world.staff), _api(world.secretary)

    assert staff.post("/api/v1/monitoring/sources/", _payload(), format="json").status_code == 403
    assert staff.get(f"/api/v1/monitoring/sources/{fars.pk}/").status_code == 200
    assert (
        secretary.patch(
            f"/api/v1/monitoring/sources/{fars.pk}/", {"weight": 3}, format="json"
        ).status_code
        == 403
    )
    assert secretary.post(f"/api/v1/monitoring/sources/{fars.pk}/poll/").status_code == 403
    national = secretary.post("/api/v1/monitoring/sources/", _payload(province=None), format="json")
    assert national.status_code == 403
    assert APIClient().get("/api/v1/monitoring/sources/").status_code in (401, 403)
    assert staff.get("/api/v1/monitoring/sources/", {"province": "x"}).status_code == 400
    assert staff.get("/api/v1/monitoring/sources/", {"kind": "x"}).status_code == 400


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_poll_now_and_the_polls_list(world, feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml")))
    source = Source.objects.create(
        name="خبرگزاری نمونه", kind=SourceKind.PROVINCIAL, province=province(), feed_url=url
    )
    client = _api(world.secretary)

    response = client.post(f"/api/v1/monitoring/sources/{source.pk}/poll/")

    assert response.status_code == 202
    assert response.json()["health"] == "healthy"  # eager: the poll has run
    assert response.json()["articles_added"] == 3
    polls = client.get(f"/api/v1/monitoring/sources/{source.pk}/polls/").json()
    assert polls["count"] == 1
    assert polls["results"][0]["outcome"] == PollOutcome.OK
    assert polls["results"][0]["articles_added"] == 3


def test_polls_list_pages_newest_first(world, feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(status=500, body=b"x", content_type="text/plain"))
    source = Source.objects.create(name="خراب", kind=SourceKind.PROVINCIAL, feed_url=url)
    for _ in range(3):
        polling.poll_source(source)

    page = (
        _api(world.staff).get(f"/api/v1/monitoring/sources/{source.pk}/polls/", {"limit": 2}).json()
    )

    assert page["count"] == 3
    assert [p["id"] for p in page["results"]] == list(
        SourcePoll.objects.order_by("-started_at", "-id").values_list("id", flat=True)[:2]
    )
    assert page["results"][0]["error"] == "خطای سرور رسانه (پاسخ ۵۰۰)."


def test_poll_now_of_a_source_without_feed_is_400(world):
    source = Source.objects.create(
        name="بریده‌ها", kind=SourceKind.CLIPPINGS, province=province("isfahan")
    )

    response = _api(world.secretary).post(f"/api/v1/monitoring/sources/{source.pk}/poll/")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["این منبع خوراک ندارد که خوانده شود."]}


def test_clip_by_text_then_again(world):
    client = _api(world.staff)
    payload = {"title": "افتتاح پل", "text": "پل بزرگ شهر افتتاح شد.", "published_on": None}

    first = client.post("/api/v1/monitoring/clips/", payload, format="json")
    second = client.post("/api/v1/monitoring/clips/", payload, format="json")

    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assert first.json()["article"] == second.json()["article"]
    assert second.json()["created"] is False
    assert first.json()["page"] == Article.objects.get().get_absolute_url()


def test_clip_by_url_reads_the_page(world, feed_server: FeedServer):
    page = (
        "<html><head><title>تیتر صفحه</title></head><body><article>"
        "<p>متن کامل خبر درباره افتتاح پروژه مسکن در شهر.</p></article></body></html>"
    )
    url = feed_server.serve("/n/5", Reply(body=page.encode(), content_type="text/html"))

    response = _api(world.staff).post("/api/v1/monitoring/clips/", {"url": url}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["title"] == "تیتر صفحه"
    assert Article.objects.get().text == "متن کامل خبر درباره افتتاح پروژه مسکن در شهر."


def test_clip_errors_are_400(world, feed_server: FeedServer):
    client = _api(world.staff)
    gone = feed_server.serve("/gone", Reply(status=410, body=b"", content_type="text/html"))

    empty = client.post("/api/v1/monitoring/clips/", {}, format="json")
    unreadable = client.post("/api/v1/monitoring/clips/", {"url": gone}, format="json")
    unknown = client.post("/api/v1/monitoring/clips/", {"txt": "x"}, format="json")

    assert empty.status_code == 400
    assert unreadable.status_code == 400
    assert unreadable.json()["url"][0].startswith("صفحه خبر خوانده نشد")
    assert unknown.status_code == 400
    assert (
        _api(world.evaluator)
        .post("/api/v1/monitoring/clips/", {"text": "متن"}, format="json")
        .status_code
        == 403
    )
