"""The articles pages: the search and its filters, one article, correcting the
tone of an article toward an agency (policy "monitoring.link")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.utils import timezone

from hamseda.core.models import AuditEvent
from hamseda.directory.tests.factories import province
from hamseda.monitoring import feeds, selectors
from hamseda.monitoring.models import Article, Mention, Source, SourceKind, Tone
from hamseda.monitoring.services.ingest import ingest_items

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
    "مدیرکل اداره کل راه و شهرسازی استان اصفهان از پروژه‌های فرودگاه‌های استان بازدید کرد. "
    "به گفته وی کار ساخت پایانه جدید فرودگاه اصفهان تا پایان سال به پایان می‌رسد.",
)


def _outlet(name: str, host: str, *, code: str | None = "isfahan") -> Source:
    return Source.objects.create(
        name=name,
        kind=SourceKind.PROVINCIAL if code else SourceKind.NEWS_AGENCY,
        province=province(code) if code else None,
        site_url=f"https://{host}/",
    )


def _publish(source: Source, title: str, text: str, *, hours_ago: float = 1) -> Article:
    item = feeds.article_from_text(
        text, url=f"https://{source.host}/news/{next(_urls)}", title=title
    )
    published = timezone.now() - dt.timedelta(hours=hours_ago)
    [result] = ingest_items(
        source=source, items=[dataclasses.replace(item, published=published)], alerts=False
    )
    return Article.objects.get(pk=result.article_id)


@pytest.fixture
def news(world):
    imna = _outlet("ایمنا", "imna.ir")
    return {
        "praise": _publish(imna, *PRAISE, hours_ago=3),
        "complaint": _publish(imna, *COMPLAINT, hours_ago=2),
        "airports": _publish(imna, *AIRPORTS, hours_ago=1),
    }


# --- the list -----------------------------------------------------------------------------


def test_list_shows_articles_with_outlet_agencies_and_tones(world, login, news):
    page = login(world.staff).get("/monitoring/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "۳ خبر" in html  # the count in Persian digits
    for article in news.values():
        assert article.title in html
    assert "ایمنا" in html
    assert "text-bg-danger" in html
    assert "منفی" in html
    assert "text-bg-success" in html
    assert "مثبت" in html
    assert 'aria-current="page' in html
    assert "اخبار" in html


def test_search_marks_the_words_found_in_the_snippet(world, login, news):
    html = login(world.staff).get("/monitoring/", {"q": "تاخير"}).content.decode()
    assert "۱ خبر" in html
    assert "<mark>تأخیر</mark>" in html
    assert PRAISE[0] not in html
    # the form keeps what was typed
    assert 'value="تاخير"' in html


def test_filters_by_tone_and_keeps_the_choice(world, login, news):
    html = login(world.staff).get("/monitoring/", {"tone": Tone.NEGATIVE}).content.decode()
    assert COMPLAINT[0] in html
    assert PRAISE[0] not in html
    assert '<option value="negative" selected>' in html


def test_a_mistyped_date_is_shown_and_the_other_filters_still_apply(world, login, news):
    html = (
        login(world.staff)
        .get("/monitoring/", {"tone": Tone.POSITIVE, "date_from": "1404/13/01"})
        .content.decode()
    )
    assert "invalid-feedback" in html
    assert PRAISE[0] in html
    assert COMPLAINT[0] not in html


def test_htmx_gets_only_the_results(world, login, news):
    response = login(world.staff).get(
        "/monitoring/", {"q": "فرودگاه"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="article-results">')
    assert AIRPORTS[0].split()[0] in html
    assert "<html" not in html


def _option(agency) -> str:
    return f'<option value="{agency.pk}">{agency.name}</option>'


def test_a_province_user_is_offered_the_agencies_of_the_province_and_national_ones(
    world, login, news
):
    html = login(world.staff).get("/monitoring/").content.decode()
    assert _option(world.member_office.agency) in html
    assert _option(world.ministry_office.agency) in html
    assert _option(world.fars_office.agency) not in html
    assert 'name="province"' not in html
    # the ministry centre picks a province first
    ministry = login(world.ministry).get("/monitoring/").content.decode()
    assert 'name="province"' in ministry
    assert _option(world.ministry_office.agency) in ministry
    assert _option(world.member_office.agency) not in ministry
    fars = province("fars")
    picked = login(world.ministry).get("/monitoring/", {"province": fars.pk}).content.decode()
    assert _option(world.fars_office.agency) in picked
    assert _option(world.member_office.agency) not in picked


def test_more_than_the_cap_says_so(world, login, news, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    html = login(world.staff).get("/monitoring/").content.decode()
    assert "بیش از ۲ خبر" in html


def test_the_list_costs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    imna = _outlet("ایمنا", "imna.ir")
    for n in range(12):
        _publish(imna, f"{PRAISE[0]} شماره {n}", f"{PRAISE[1]} بخش {n} از {n * 7}", hours_ago=n)
    client = login(world.staff)
    client.get("/monitoring/")  # warm the session and content types
    with django_assert_max_num_queries(10):
        assert client.get("/monitoring/", {"q": "قطار"}).status_code == 200


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get("/monitoring/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- one article --------------------------------------------------------------------------


def test_article_page_shows_text_mentions_and_cues(world, login, news):
    article = news["complaint"]
    html = login(world.member_staff).get(f"/monitoring/articles/{article.pk}/").content.decode()
    assert COMPLAINT[0] in html
    assert "بی‌توجهی" in html  # a cue
    assert world.member_office.agency.name in html
    assert 'href="https://imna.ir/news/' in html
    # the railway's own staff may correct the tone
    assert f"/monitoring/mentions/{article.mentions.get().pk}/tone/" in html


def test_article_summary_is_rendered_as_html_and_nothing_else_is(world, login):
    imna = _outlet("ایمنا", "imna.ir")
    article = Article.objects.create(
        source=imna,
        title="<script>alert(1)</script> تیتر",
        summary_html="<p>خلاصه <strong>پررنگ</strong></p>",
        text="متن <b>خبر</b>",
        content_hash="x",
        published_at=timezone.now(),
    )
    html = login(world.staff).get(f"/monitoring/articles/{article.pk}/").content.decode()
    assert "<strong>پررنگ</strong>" in html
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert "&lt;b&gt;خبر&lt;/b&gt;" in html


def test_an_unknown_article_is_404(world, login):
    assert login(world.staff).get("/monitoring/articles/999999/").status_code == 404


# --- tone correction ----------------------------------------------------------------------


def _correct(login, person, mention: Mention, tone: str):
    return login(person).post(
        f"/monitoring/mentions/{mention.pk}/tone/", {f"m{mention.pk}-tone": tone}
    )


def test_the_agencys_own_office_corrects_the_tone(world, login, news):
    mention = news["airports"].mentions.get()
    assert mention.agency == world.chair_office.agency
    assert mention.tone == Tone.NEUTRAL
    response = _correct(login, world.staff, mention, Tone.POSITIVE)
    assert response.status_code == 302
    assert response["Location"] == news["airports"].get_absolute_url()
    mention.refresh_from_db()
    assert mention.tone == Tone.POSITIVE
    assert mention.tone_by == world.staff
    event = AuditEvent.objects.get(event="mention_tone_corrected")
    assert event.target_id == str(news["airports"].pk)
    assert event.changes["mention_tone"][1].endswith("مثبت")
    # the article's page says who corrected it
    html = login(world.chair).get(news["airports"].get_absolute_url()).content.decode()
    assert "اصلاح‌شده به دست" in html
    assert "لحن خبر نسبت به دستگاه اصلاح شد" in html  # the chair sees the history


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("staff", True),  # the roads office: its own agency
        ("chair", True),  # the council's chair: any office of the province
        ("ministry", True),
        ("member_staff", False),  # another office of the province
        ("fars_chair", False),  # the chair of another province
        ("evaluator", False),
    ],
)
def test_tone_correction_follows_the_policy(world, login, news, persona, allowed):
    mention = news["airports"].mentions.get()
    response = _correct(login, getattr(world, persona), mention, Tone.NEGATIVE)
    mention.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert mention.tone == Tone.NEGATIVE
    else:
        assert response.status_code == 403
        assert mention.tone == Tone.NEUTRAL
        assert mention.tone_by is None


def test_the_tone_form_is_shown_only_to_who_may_correct(world, login, news):
    mention = news["airports"].mentions.get()
    url = news["airports"].get_absolute_url()
    action = f"/monitoring/mentions/{mention.pk}/tone/"
    assert action in login(world.staff).get(url).content.decode()
    assert action not in login(world.member_staff).get(url).content.decode()


def test_a_forged_tone_changes_nothing(world, login, news):
    mention = news["airports"].mentions.get()
    response = _correct(login, world.staff, mention, "furious")
    assert response.status_code == 302
    mention.refresh_from_db()
    assert mention.tone == Tone.NEUTRAL
    assert not AuditEvent.objects.filter(event="mention_tone_corrected").exists()


def test_tone_correction_needs_post(world, login, news):
    mention = news["airports"].mentions.get()
    response = login(world.staff).get(f"/monitoring/mentions/{mention.pk}/tone/")
    assert response.status_code == 405
