"""Manual clippings (a link read from a real local server, or pasted text) and the CSV
import with its per-row preview."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hamseda.core import jalali
from hamseda.core.models import AuditEvent
from hamseda.directory.tests.factories import province
from hamseda.monitoring.models import Article, ArticleVia, Source, SourceKind
from hamseda.monitoring.services import clips
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply

pytestmark = pytest.mark.django_db
feed_server = local_feeds.feed_server

TITLE = "افتتاح ایستگاه مترو میدان آزادی اصفهان"
BODY = (
    "ایستگاه مترو میدان آزادی اصفهان با حضور استاندار افتتاح شد.\n"
    "مدیرعامل قطار شهری گفت این ایستگاه روزانه ۲۰ هزار مسافر را جابه‌جا می‌کند."
)
PAGE = f"""<!doctype html><html lang="fa"><head><meta charset="utf-8">
<title>خبرگزاری ایمنا - {TITLE}</title>
<meta property="og:title" content="{TITLE}">
<meta property="article:published_time" content="2025-06-10T09:00:00+03:30">
<script>var tracker = "ignore me";</script></head>
<body><nav><p>صفحه اول اخبار استان اقتصاد ورزش فرهنگ</p></nav>
<article><h1>{TITLE}</h1>
<p>ایستگاه مترو میدان آزادی اصفهان با حضور <b>استاندار</b> افتتاح شد.</p>
<p>مدیرعامل قطار شهری گفت این ایستگاه روزانه ۲۰ هزار مسافر را جابه‌جا می‌کند.</p>
<script>alert("x")</script></article>
<footer><p>تمامی حقوق این وبگاه محفوظ است و نقل مطالب با ذکر منبع آزاد است.</p></footer>
</body></html>"""


def _as_1256(text: str, errors: str = "strict") -> bytes:
    # Windows-1256 has the Arabic yeh, not the Persian one: as legacy sites write it.
    return text.replace("ی", "ي").encode("cp1256", errors=errors)


def _imna(url: str = "https://www.imna.ir/") -> Source:
    return Source.objects.create(
        name="خبرگزاری ایمنا",
        kind=SourceKind.PROVINCIAL,
        site_url=url,
        province=province("isfahan"),
    )


def _clip_form(**extra) -> dict[str, object]:
    data: dict[str, object] = {
        "url": "",
        "title": "",
        "text": "",
        "source": "",
        "published_on": "",
    }
    data.update(extra)
    return data


# --- pasted text ---------------------------------------------------------------------


def test_pasted_text_is_stored_in_the_province_clippings_and_audited(world, login):
    client = login(world.staff)

    response = client.post("/monitoring/clip/", _clip_form(text=f"{TITLE}\n{BODY}"))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.title == TITLE
    assert article.text.startswith("ایستگاه مترو میدان آزادی")
    assert (article.via, article.added_by) == (ArticleVia.CLIPPING, world.staff)
    assert article.source.kind == SourceKind.CLIPPINGS
    assert article.source.province == province("isfahan")
    assert AuditEvent.objects.get(event="article_clipped").actor == world.staff


def test_the_same_clipping_twice_says_already_stored_and_links_to_it(world, login):
    client = login(world.partner)
    client.post("/monitoring/clip/", _clip_form(title=TITLE, text=BODY))

    response = client.post("/monitoring/clip/", _clip_form(title=TITLE, text=BODY))

    html = response.content.decode()
    article = Article.objects.get()
    assert response.status_code == 200
    assert "این خبر پیش‌تر ثبت شده است" in html
    assert f'href="{article.get_absolute_url()}"' in html


def test_a_chosen_outlet_and_a_jalali_date_are_kept(world, login):
    outlet = _imna()
    day = jalali.today() - dt.timedelta(days=3)

    login(world.staff).post(
        "/monitoring/clip/",
        _clip_form(
            title=TITLE,
            text=BODY,
            source=outlet.pk,
            published_on=jalali.format_date(day, "input"),
        ),
    )

    article = Article.objects.get()
    assert article.source == outlet
    assert jalali.local_date(article.published_at) == day


def test_a_clipping_from_the_future_or_without_text_is_refused(world, login):
    client = login(world.staff)
    tomorrow = jalali.format_date(jalali.today() + dt.timedelta(days=1), "input")

    future = client.post(
        "/monitoring/clip/", _clip_form(title=TITLE, text=BODY, published_on=tomorrow)
    ).content.decode()
    empty = client.post("/monitoring/clip/", _clip_form(title=TITLE)).content.decode()

    assert "تاریخ انتشار نمی‌تواند در آینده باشد." in future
    assert BODY.split("\n")[0] in future  # what was typed stays
    assert "نشانی خبر را بنویسید یا متن آن را بچسبانید." in empty
    assert not Article.objects.exists()


def test_who_may_clip(world, login):
    assert login(world.evaluator).get("/monitoring/clip/").status_code == 403
    assert login(world.evaluator).get("/monitoring/import/").status_code == 403
    for person in (world.staff, world.partner, world.secretary, world.ministry):
        assert login(person).get("/monitoring/clip/").status_code == 200


def test_the_ministry_centre_clips_into_the_national_clippings(world):
    result = clips.clip_create(actor=world.ministry, title=TITLE, text=BODY)

    assert result.created
    assert result.article.source.province is None
    assert result.article.source.kind == SourceKind.CLIPPINGS


# --- a link ------------------------------------------------------------------------------


def test_a_link_is_read_and_its_outlet_found_by_host(world, login, feed_server: FeedServer):
    url = feed_server.serve("/news/77", Reply(body=PAGE.encode(), content_type="text/html"))
    outlet = _imna(feed_server.base_url + "/")

    response = login(world.staff).post("/monitoring/clip/", _clip_form(url=url))

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == TITLE
    assert article.source == outlet
    assert article.url == url
    assert article.text == BODY
    assert "tracker" not in article.text
    assert "حقوق" not in article.text  # the footer is not the article
    assert "<script" not in article.summary_html
    # the page's own publication time
    assert article.published_at == dt.datetime(2025, 6, 10, 5, 30, tzinfo=dt.UTC)


def test_a_windows_1256_page_is_read_as_persian(world, feed_server: FeedServer):
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1256">')
    url = feed_server.serve(
        "/n/1", Reply(body=_as_1256(page, "xmlcharrefreplace"), content_type="text/html")
    )

    result = clips.clip_from_url(actor=world.staff, url=url)

    assert result.article.title == TITLE
    assert result.article.text == BODY


def test_a_page_that_cannot_be_read_asks_for_the_text_and_keeps_what_was_typed(
    world, login, feed_server: FeedServer
):
    url = feed_server.serve("/gone", Reply(status=404, body=b"no", content_type="text/html"))
    client = login(world.staff)

    response = client.post("/monitoring/clip/", _clip_form(url=url, title="تیتر دلخواه"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "صفحه خبر خوانده نشد: این نشانی در سرور رسانه پیدا نشد (پاسخ ۴۰۴)." in html
    assert "متن خبر را از صفحه رسانه کپی کنید" in html
    assert f'value="{url}"' in html
    assert 'value="تیتر دلخواه"' in html
    assert not Article.objects.exists()

    # when the text is pasted, the link is kept with it
    client.post("/monitoring/clip/", _clip_form(url=url, title=TITLE, text=BODY))
    article = Article.objects.get()
    assert article.url == url
    assert article.title == TITLE


def test_a_page_without_article_text_asks_for_the_text(world, feed_server: FeedServer):
    url = feed_server.serve(
        "/empty",
        Reply(body=b"<html><head><title>x</title></head></html>", content_type="text/html"),
    )

    with pytest.raises(clips.ValidationError) as refused:
        clips.clip_from_url(actor=world.staff, url=url)

    assert "در این صفحه متن خبری پیدا نشد" in str(refused.value)


# --- CSV import --------------------------------------------------------------------------

HEADER = "title,text,url,outlet,published\n"


def _csv(rows: str, *, header: str = HEADER, encoding: str = "utf-8-sig") -> bytes:
    if encoding == "cp1256":
        return _as_1256(header + rows)
    return (header + rows).encode(encoding)


def _upload(client, data: bytes, name: str = "clips.csv"):
    return client.post(
        "/monitoring/import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def _rows(html: str) -> dict[int, str]:
    return {
        int(line): cell
        for line, cell in re.findall(r'data-line="(\d+)">(.*?)</tr>', html, flags=re.S)
    }


def test_csv_preview_shows_each_rows_problem_and_imports_the_valid_ones(world, login):
    # given a file with good and bad rows (UTF-8 with BOM, as Excel saves it)
    _imna()
    yesterday = jalali.format_date(jalali.today() - dt.timedelta(days=1), "input")
    tomorrow = jalali.format_date(jalali.today() + dt.timedelta(days=1), "input")
    data = _csv(
        f'"{TITLE}","{BODY}",https://www.imna.ir/news/1,خبرگزاری ايمنا,{yesterday}\n'
        "بازگشایی محور هراز,محور هراز بازگشایی شد.,,imna.ir,2025-06-10\n"
        "خبر بی‌تاریخ درست,متن خبر بی‌تاریخ.,,,\n"
        ",,,,\n"
        "خبر آینده,متن آینده.,,,"
        f"{tomorrow}\n"
        "خبر بد,متن بد.,notaurl,,\n"
        "خبر رسانه ناشناس,متن.,,روزنامه ناشناس,\n"
        "خبر تاریخ بد,متن.,,,1404/13/01\n"
        ",,https://x.ir/a,,\n"
    )
    client = login(world.staff)

    # when it is uploaded
    preview = _upload(client, data).content.decode()

    # then each bad row says why, in Persian, and nothing is stored yet
    rows = _rows(preview)
    assert [line for line, cell in rows.items() if "text-success" in cell] == [2, 3, 4]
    assert "تاریخ انتشار نمی‌تواند در آینده باشد." in rows[6]
    assert "نشانی خبر درست نیست." in rows[7]
    assert "رسانه «روزنامه ناشناس» شناخته نشد." in rows[8]
    assert "این تاریخ در تقویم شمسی وجود ندارد" in rows[9]
    assert "تیتر و متن هر دو خالی است." in rows[10]
    assert 5 not in rows  # an empty line is skipped
    assert "ورود ۳ خبر درست" in preview
    assert not Article.objects.exists()

    # when the valid rows are imported
    payload = re.search(r'name="payload" value="([^"]+)"', preview).group(1)
    report = client.post("/monitoring/import/", {"payload": payload, "confirm": "1"})

    # then three articles, counted
    html = report.content.decode()
    assert re.search(r'data-count="new">۳<', html)
    assert re.search(r'data-count="existing">۰<', html)
    assert re.search(r'data-count="rejected">۵<', html)
    imported = {a.title: a for a in Article.objects.select_related("source")}
    assert set(imported) == {TITLE, "بازگشایی محور هراز", "خبر بی‌تاریخ درست"}
    assert imported[TITLE].source.name == "خبرگزاری ایمنا"
    assert imported["بازگشایی محور هراز"].source.name == "خبرگزاری ایمنا"
    assert imported["خبر بی‌تاریخ درست"].source.kind == SourceKind.CLIPPINGS
    assert jalali.local_date(imported[TITLE].published_at) == jalali.today() - dt.timedelta(days=1)
    assert jalali.local_date(imported["بازگشایی محور هراز"].published_at) == dt.date(2025, 6, 10)
    assert {a.via for a in imported.values()} == {ArticleVia.IMPORT}
    assert AuditEvent.objects.filter(event="articles_imported").count() == 2

    # and the same file again adds nothing
    again = client.post("/monitoring/import/", {"payload": payload, "confirm": "1"})
    assert re.search(r'data-count="existing">۳<', again.content.decode())
    assert Article.objects.count() == 3


@pytest.mark.parametrize(
    ("encoding", "header"),
    [
        ("utf-8", HEADER),
        ("cp1256", "تیتر,متن,نشانی,رسانه,تاریخ انتشار\n"),
        ("utf-16", HEADER),
    ],
)
def test_csv_in_other_encodings_and_persian_headers(world, encoding: str, header: str):
    data = _csv(f"{TITLE},{BODY.splitlines()[0]},,,1404/03/20\n", header=header, encoding=encoding)

    parsed = clips.parse_clip_csv(data, actor=world.staff)

    assert parsed.errors == []
    (row,) = parsed.rows
    assert row.valid, row.errors
    assert row.title == TITLE
    assert jalali.local_date(row.published) == jalali.from_jalali(1404, 3, 20)


def test_csv_with_semicolons_is_read(world):
    data = _csv(f"{TITLE};متن;;;2025-06-10T10:30\n", header="title;text;url;outlet;published\n")

    (row,) = clips.parse_clip_csv(data, actor=world.staff).rows

    assert row.valid
    assert row.published == dt.datetime(2025, 6, 10, 10, 30, tzinfo=jalali.TEHRAN)


def test_csv_without_the_column_names_is_refused_as_a_whole(world, login):
    html = _upload(login(world.staff), _csv(f"{TITLE},{BODY}\n", header="")).content.decode()

    assert "سطر نخست فایل باید نام ستون‌ها باشد" in html
    assert 'name="payload"' not in html


def test_a_tampered_payload_is_checked_again(world, login):
    data = _csv("خبر بد,متن بد.,notaurl,,\n")
    payload = base64.b64encode(data).decode()

    login(world.staff).post("/monitoring/import/", {"payload": payload, "confirm": "1"})

    assert not Article.objects.exists()
