"""``hamseda ingest``: a feed file, a feed URL on a real local server, a text."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hamseda.monitoring.models import Article, ArticleVia, Source, SourceKind
from hamseda.monitoring.tests.local_feeds import FEEDS, Reply, feed_file, feed_server  # noqa: F401

COMPLAINT = (
    "گلایه مسافران از تأخیر قطار\n"
    "مسافران قطار اصفهان به تهران از تأخیر چهار ساعته و لغو حرکت قطار گلایه کردند. "
    "به گفته مسافران راه‌آهن منطقه اصفهان هیچ اطلاع‌رسانی نکرد و مسئولان پاسخگو نبودند."
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_a_feed_file_is_ingested_once_and_reported_as_json(world):
    path = str(FEEDS / "persian_rss.xml")
    first = json.loads(run(path, "--json"))
    second = json.loads(run(path, "--json"))
    assert len(first) == 3
    assert all(entry["created"] for entry in first)
    assert not any(entry["created"] for entry in second)
    assert [e["id"] for e in first] == [e["id"] for e in second]
    assert Article.objects.count() == 3
    # «مدیرکل راه و شهرسازی استان اصفهان» names the chair's agency.
    housing = next(e for e in first if "کاشان" in e["title"])
    agency = world.chair_office.agency
    assert [a["id"] for a in housing["agencies"]] == [agency.pk]
    assert housing["agencies"][0]["name"] == agency.name
    assert housing["agencies"][0]["tone"] in {"positive", "neutral"}
    assert isinstance(housing["story"], int)
    assert housing["tone"] == housing["agencies"][0]["tone"]
    assert set(first[0]) == {"id", "created", "title", "agencies", "campaigns", "story", "tone"}


@pytest.mark.django_db
def test_a_feed_url_goes_to_the_source_polling_it(world, feed_server):  # noqa: F811
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml")))
    source = Source.objects.create(name="خبرگزاری نمونه", kind=SourceKind.NEWS_AGENCY, feed_url=url)
    summary = run(url)
    assert "3 article(s), 3 new" in summary
    assert set(Article.objects.values_list("source_id", flat=True)) == {source.pk}


@pytest.mark.django_db
def test_a_plain_text_article_with_its_tone(world, tmp_path):
    path = tmp_path / "clip.txt"
    path.write_text(COMPLAINT, encoding="utf-8")
    [entry] = json.loads(run(str(path), "--text", "--json", "--province", "isfahan"))
    rail = world.member_office.agency
    assert entry["title"] == "گلایه مسافران از تأخیر قطار"
    assert [a["id"] for a in entry["agencies"]] == [rail.pk]
    assert entry["tone"] == "negative"
    article = Article.objects.get(pk=entry["id"])
    assert article.via == ArticleVia.COMMAND
    assert article.source.kind == SourceKind.CLIPPINGS
    assert article.source.province == world.isfahan_council.province


@pytest.mark.django_db
def test_errors_are_said_plainly(world, tmp_path, feed_server):  # noqa: F811
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="nothing to ingest"):
        run(str(FEEDS / "empty.xml"))
    url = feed_server.serve("/down", Reply(status=500))
    with pytest.raises(CommandError, match="cannot read"):
        run(url)
    with pytest.raises(CommandError, match="no source"):
        run(str(FEEDS / "persian_rss.xml"), "--source", "no such outlet")
