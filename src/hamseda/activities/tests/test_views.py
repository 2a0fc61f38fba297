"""Activity pages: list with filters and exports, the form that warns about
parallel work, joining from the warning, the overlap report, scoping."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from hamseda.activities import services
from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.core import jalali
from hamseda.core.tests.uploads import exe, pdf

pytestmark = pytest.mark.django_db

VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
VISIT_REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"


def _day(days: int) -> dt.date:
    return jalali.today() + dt.timedelta(days=days)


def _jalali(day: dt.date) -> str:
    return jalali.format_date(day, "input")


def _plan(person, title=VISIT, days=10, **kwargs) -> Activity:
    return services.activity_create(
        actor=person,
        office=person.office,
        title=title,
        kind=kwargs.pop("kind", ActivityKind.EVENT_COVERAGE),
        start_date=_day(days),
        **kwargs,
    )


def _form(title=VISIT_REWORDED, days=11, **extra) -> dict[str, object]:
    data: dict[str, object] = {
        "title": title,
        "kind": ActivityKind.EVENT_COVERAGE,
        "status": ActivityStatus.PLANNED,
        "start_date": _jalali(_day(days)),
        "end_date": "",
        "description": "",
        "links": "",
        "outcome": "",
        "audience": "",
    }
    data.update(extra)
    return data


def test_list_shows_the_province_and_filters(world, login):
    _plan(world.staff)
    _plan(world.member_staff, title="افزایش قطارهای فوق‌العاده", kind=ActivityKind.NEWS_RELEASE)
    client = login(world.partner)
    page = client.get("/activities/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "۲ فعالیت" in html  # the count in Persian digits
    assert VISIT in html
    assert "افزایش قطارهای فوق‌العاده" in html
    filtered = client.get("/activities/", {"kind": ActivityKind.NEWS_RELEASE}).content.decode()
    assert VISIT not in filtered
    assert "افزایش قطارهای فوق‌العاده" in filtered
    # search finds the word whatever its spelling (Arabic kaf and yeh, no half-space)
    found = client.get("/activities/", {"q": "فوقالعاده"}).content.decode()
    assert "افزایش قطارهای فوق‌العاده" in found
    assert VISIT not in found
    found = client.get("/activities/", {"q": "بازديد"}).content.decode()
    assert VISIT in found


def test_another_province_does_not_see_the_calendar_of_isfahan(world, login):
    activity = _plan(world.staff)
    client = login(world.fars_chair)
    assert VISIT not in client.get("/activities/").content.decode()
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    # the ministry centre sees every province
    assert login(world.ministry).get(f"/activities/{activity.pk}/").status_code == 200


def test_list_costs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    for n in range(15):
        activity = _plan(
            world.staff,
            title=f"خبر شماره {n} درباره موضوع {n * 7}",
            kind=ActivityKind.NEWS_RELEASE,
            overlap_confirmed=True,
        )
        if n % 3 == 0:
            services.activity_join(actor=world.member_staff, activity=activity)
    client = login(world.staff)
    client.get("/activities/")  # warm the session and content types
    with django_assert_max_num_queries(14):
        assert client.get("/activities/").status_code == 200


def test_new_form_is_prefilled_from_the_calendar_and_campaign(world, login):
    client = login(world.staff)
    html = client.get("/activities/new/", {"date": _day(3).isoformat()}).content.decode()
    assert _jalali(_day(3)) in html or jalali.format_date(_day(3), "input") in html
    assert 'data-autosave="activity-new"' in html


def test_saving_a_plan_redirects_to_it(world, login):
    client = login(world.staff)
    response = client.post("/activities/new/", _form(title=VISIT, days=10))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.lead_office == world.chair_office


def test_errors_keep_what_was_typed(world, login):
    client = login(world.staff)
    response = client.post(
        "/activities/new/", _form(title="نشست خبری ویژه", end_date=_jalali(_day(2)), days=11)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "پایان نمی‌تواند پیش از آغاز باشد" in html
    assert 'value="نشست خبری ویژه"' in html
    assert not Activity.objects.exists()


def test_parallel_plan_is_warned_and_the_office_joins_instead(world, login):
    original = _plan(world.staff)
    client = login(world.member_staff)
    response = client.post("/activities/new/", _form())
    assert response.status_code == 200
    html = response.content.decode()
    assert "کار موازی" in html
    assert VISIT in html
    assert f'formaction="/activities/{original.pk}/join/"' in html
    # the only overlap_confirmed in the page is the button's: a hidden field
    # after it would send "False" last and win
    assert html.count('name="overlap_confirmed"') == 1
    assert 'type="submit" class="btn btn-outline-dark btn-sm" name="overlap_confirmed"' in html
    assert Activity.objects.count() == 1
    # the join button sends the whole form to the join page
    joined = client.post(f"/activities/{original.pk}/join/", _form())
    assert joined.status_code == 302
    assert joined["Location"] == original.get_absolute_url()
    partnership = ActivityPartner.objects.get(activity=original)
    assert partnership.office == world.member_office
    assert partnership.note == VISIT_REWORDED
    assert Activity.objects.count() == 1


def test_confirmed_other_work_is_saved(world, login):
    _plan(world.staff)
    client = login(world.member_staff)
    response = client.post("/activities/new/", _form(overlap_confirmed="on"))
    assert response.status_code == 302
    assert Activity.objects.count() == 2


def test_live_check_panel_while_typing(world, login):
    original = _plan(world.staff)
    client = login(world.member_staff)
    html = client.post("/activities/check/", _form(), HTTP_HX_REQUEST="true").content.decode()
    assert VISIT in html
    assert f"/activities/{original.pk}/join/" in html
    quiet = client.post(
        "/activities/check/", _form(title="پیش‌بینی بارش برف در ارتفاعات"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert VISIT not in quiet


def test_detail_offers_join_to_another_office_only(world, login):
    activity = _plan(world.staff)
    assert (
        "پیوستن به‌عنوان همکار"
        in login(world.member_staff).get(f"/activities/{activity.pk}/").content.decode()
    )
    assert (
        "پیوستن به‌عنوان همکار"
        not in login(world.secretary).get(f"/activities/{activity.pk}/").content.decode()
    )


def test_only_own_office_edits(world, login):
    activity = _plan(world.staff)
    assert login(world.member_staff).get(f"/activities/{activity.pk}/edit/").status_code == 403
    client = login(world.secretary)
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 200
    response = client.post(
        f"/activities/{activity.pk}/edit/",
        _form(title=VISIT, days=12, status=ActivityStatus.PLANNED),
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).start_date == _day(12)


def test_exports_follow_the_filters(world, login):
    _plan(world.staff)
    services.activity_create(
        actor=world.member_staff,
        office=world.member_office,
        title="خبر افزایش قطارها",
        kind=ActivityKind.NEWS_RELEASE,
        start_date=_day(-2),
        status=ActivityStatus.DONE,
        audience=1200,
    )
    client = login(world.chair)
    response = client.get("/activities/export.xlsx", {"kind": ActivityKind.NEWS_RELEASE})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "عنوان"
    assert [row[1] for row in rows[1:]] == ["خبر افزایش قطارها"]
    assert rows[1][4] == jalali.format_date(_day(-2))
    assert sheet.sheet_view.rightToLeft
    body = client.get("/activities/export.csv").content
    assert body.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(lines) == 3
    assert lines[0][1] == "عنوان"
    assert client.get("/activities/export.pdf").status_code == 404


def test_overlap_report_for_the_chair(world, login):
    first = _plan(world.staff)
    second = _plan(world.member_staff, title=VISIT_REWORDED, days=11, overlap_confirmed=True)
    assert login(world.member_staff).get("/activities/overlaps/").status_code == 403
    client = login(world.chair)
    html = client.get("/activities/overlaps/").content.decode()
    assert VISIT in html
    assert VISIT_REWORDED in html
    response = client.post("/activities/overlaps/merge/", {"first": second.pk, "second": first.pk})
    assert response.status_code == 302
    assert response["Location"] == first.get_absolute_url()
    assert Activity.objects.get(pk=second.pk).merged_into_id == first.pk
    assert "کار موازی‌ای پیدا نشد" in client.get("/activities/overlaps/").content.decode()


def test_dismissed_pair_leaves_the_report(world, login):
    first = _plan(world.staff)
    second = _plan(world.member_staff, title=VISIT_REWORDED, days=11, overlap_confirmed=True)
    client = login(world.secretary)
    client.post("/activities/overlaps/dismiss/", {"first": first.pk, "second": second.pk})
    html = client.get("/activities/overlaps/").content.decode()
    assert VISIT_REWORDED not in html


def test_home_panel_lists_upcoming_work(world, login):
    _plan(world.staff, days=4)
    html = login(world.secretary).get("/").content.decode()
    assert "فعالیت‌های پیش روی دستگاه شما" in html
    assert VISIT in html


def test_files_are_added_downloaded_and_removed_on_the_page(world, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    activity = _plan(world.staff)
    client = login(world.secretary)
    response = client.post(
        f"/activities/{activity.pk}/files/", {"title": "برنامه بازدید", "file": pdf("plan.pdf")}
    )
    assert response.status_code == 302
    attachment = activity.attachments.get()
    html = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "برنامه بازدید" in html
    assert f"/activities/files/{attachment.pk}/remove/" in html
    download = client.get(f"/activities/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # another province cannot fetch it; another office of the province may read, not remove
    assert login(world.fars_chair).get(f"/activities/files/{attachment.pk}/").status_code == 404
    member = login(world.member_staff)
    assert member.get(f"/activities/files/{attachment.pk}/").status_code == 200
    assert member.post(f"/activities/files/{attachment.pk}/remove/").status_code == 403
    # a disguised program is refused beside the field
    refused = login(world.secretary).post(
        f"/activities/{activity.pk}/files/", {"title": "", "file": exe("plan.pdf")}
    )
    assert refused.status_code == 200
    assert activity.attachments.count() == 1
    removed = login(world.secretary).post(f"/activities/files/{attachment.pk}/remove/")
    assert removed.status_code == 302
    assert not activity.attachments.exists()
