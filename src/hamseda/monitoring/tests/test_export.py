"""The articles list as an Excel file: right to left, Jalali and ISO dates, the
list's filters, a note when the list was cut."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from hamseda.core import jalali
from hamseda.directory.tests.factories import province
from hamseda.monitoring import exports, feeds
from hamseda.monitoring.models import Article, Source, SourceKind
from hamseda.monitoring.services.ingest import ingest_items

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "تأخیر چندساعته قطار اصفهان و اعتراض مسافران",
    "مسافران قطار اصفهان-مشهد از تأخیر پنج‌ساعته و بی‌توجهی اداره کل راه‌آهن منطقه اصفهان "
    "گلایه کردند و نسبت به وضعیت نامناسب واگن‌ها اعتراض داشتند.",
)
AIRPORTS = (
    "بازدید مدیرکل راه و شهرسازی از فرودگاه‌ها",
    "مدیرکل اداره کل راه و شهرسازی استان اصفهان از پروژه‌های فرودگاه‌های استان بازدید کرد.",
)


def _publish(source: Source, title: str, text: str, url: str, published: dt.datetime) -> Article:
    item = feeds.article_from_text(text, url=url, title=title)
    [result] = ingest_items(
        source=source, items=[dataclasses.replace(item, published=published)], alerts=False
    )
    return Article.objects.get(pk=result.article_id)


@pytest.fixture
def imna(world) -> Source:
    return Source.objects.create(
        name="ایمنا",
        kind=SourceKind.PROVINCIAL,
        province=province("isfahan"),
        site_url="https://imna.ir/",
    )


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def test_the_filtered_list_opens_in_excel_right_to_left(world, login, imna):
    # given two articles, one of them published ten minutes after a Tehran midnight
    day = jalali.today() - dt.timedelta(days=2)
    published = dt.datetime.combine(day, dt.time(0, 10), tzinfo=jalali.TEHRAN)
    complaint = _publish(imna, *COMPLAINT, "https://imna.ir/news/1", published)
    _publish(imna, *AIRPORTS, "https://imna.ir/news/2", timezone.now())
    # when the complaints are exported
    response = login(world.staff).get("/monitoring/export.xlsx", {"q": "تاخير"})
    sheet = _sheet(response)
    # then the sheet reads right to left, with a header and the one article
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "تیتر"
    assert len(rows) == 2
    (
        title,
        outlet,
        kind,
        where,
        jalali_at,
        iso_at,
        agencies,
        tones,
        _campaigns,
        story,
        outlets,
        url,
    ) = rows[1]
    assert title == COMPLAINT[0]
    assert (outlet, kind, where) == ("ایمنا", "رسانه استانی", "اصفهان")
    assert jalali_at == jalali.format_datetime(published)
    assert iso_at.startswith(day.isoformat() + "T00:10")
    assert agencies == world.member_office.agency.name
    assert tones == f"{world.member_office.agency.name}: منفی"
    assert story == complaint.story_id
    assert outlets == 1
    assert url == "https://imna.ir/news/1"


def test_a_list_longer_than_the_cap_is_cut_with_a_note(world, login, imna, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    _publish(imna, *COMPLAINT, "https://imna.ir/news/1", timezone.now())
    _publish(imna, *AIRPORTS, "https://imna.ir/news/2", timezone.now())
    rows = list(
        _sheet(login(world.staff).get("/monitoring/export.xlsx")).iter_rows(values_only=True)
    )
    assert rows[1][0] == AIRPORTS[0]  # the newest
    assert "تنها ۱ خبر نخست" in rows[-1][0]
    assert not any(row[0] == COMPLAINT[0] for row in rows)


def test_an_empty_list_is_a_sheet_with_its_header(world, login):
    rows = list(
        _sheet(login(world.staff).get("/monitoring/export.xlsx", {"q": "هیچ"})).iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1
