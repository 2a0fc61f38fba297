"""The meeting pages: who sees what, forms that keep input, htmx partials,
calendars, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from hamseda.core.jalali import TEHRAN
from hamseda.core.tests import browser
from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory, membership, province
from hamseda.meetings import ics, services
from hamseda.meetings.models import Attendance, Meeting, MeetingStatus, MemberReport
from hamseda.meetings.tests.factories import MeetingFactory, report_with_items

pytestmark = pytest.mark.django_db


def soon(days: int = 7, hour: int = 10) -> dt.datetime:
    day = timezone.now().astimezone(TEHRAN).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TEHRAN)


@pytest.fixture
def meeting(world) -> Meeting:
    return services.meeting_create(
        actor=world.secretary,
        council=world.isfahan_council,
        starts_at=soon(),
        place="سالن جلسات استانداری",
        title="جلسه هماهنگی آذرماه",
    )


def everyone(world):
    return [
        world.chair,
        world.secretary,
        world.staff,
        world.member_staff,
        world.partner,
        world.ministry,
        world.admin,
    ]


# --- who sees what ---------------------------------------------------------------------


def test_every_meeting_page_renders_for_each_persona_of_the_province(client, world, meeting):
    report_with_items(meeting, world.partner_office, problem=1, suggestion=1)
    pages = [
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:briefing", args=[meeting.pk]),
        reverse("meetings:report_edit", args=[meeting.pk, world.partner_office.pk]),
        reverse("meetings:report_edit", args=[meeting.pk, world.member_office.pk]),
        reverse("meetings:calendar_subscribe"),
        reverse("meetings:schedule_list"),
    ]
    for persona in everyone(world):
        client.force_login(persona)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (persona.username, url)
            html = response.content.decode()
            assert 'dir="rtl"' in html


def test_the_meeting_page_shows_the_hub(client, world, meeting):
    client.force_login(world.member_staff)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "جلسه هماهنگی آذرماه" in html
    assert "سالن جلسات استانداری" in html
    assert "پیگیری مصوبات جلسات قبل" in html
    assert "گزارش روابط عمومی‌ها" in html
    # Jalali date with Persian digits, and the member's own report link
    assert "۱۴۰" in html
    assert reverse("meetings:report_edit", args=[meeting.pk, world.member_office.pk]) in html
    # staff do not get the manager's buttons
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) not in html
    assert reverse("meetings:agenda_item_add", args=[meeting.pk]) not in html


def test_managing_pages_refuse_office_staff(client, world, meeting):
    client.force_login(world.staff)
    for name in ("meeting_edit", "meeting_cancel", "attendance_edit"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:meeting_create")).status_code == 403
    response = client.post(reverse("meetings:agenda_item_add", args=[meeting.pk]), {"title": "x"})
    assert response.status_code == 403
    for persona in (world.chair, world.secretary, world.admin):
        client.force_login(persona)
        for name in ("meeting_edit", "meeting_cancel", "attendance_edit"):
            url = reverse(f"meetings:{name}", args=[meeting.pk])
            assert client.get(url).status_code == 200, (persona.username, name)


def test_another_provinces_meeting_is_not_found_but_the_ministry_sees_it(client, world, meeting):
    for outsider in (world.fars_chair, world.evaluator):
        client.force_login(outsider)
        for name in ("meeting_detail", "briefing", "meeting_ics", "attendance_edit"):
            url = reverse(f"meetings:{name}", args=[meeting.pk])
            assert client.get(url).status_code == 404, (outsider.username, name)
        url = reverse("meetings:report_edit", args=[meeting.pk, world.member_office.pk])
        assert client.get(url).status_code == 404
        listing = client.get(reverse("meetings:meeting_list"))
        assert listing.status_code == 200
        assert "جلسه هماهنگی آذرماه" not in listing.content.decode()
    client.force_login(world.ministry)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    html = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "جلسه هماهنگی آذرماه" in html
    assert 'name="council"' in html  # the ministry filters by council


def test_the_ministry_filters_the_list_by_council(client, world, meeting):
    MeetingFactory(council=world.fars_council, title="جلسه شیراز", starts_at=soon(3))
    client.force_login(world.ministry)
    url = reverse("meetings:meeting_list")
    html = client.get(url, {"council": world.fars_council.pk}).content.decode()
    assert "جلسه شیراز" in html
    assert "جلسه هماهنگی آذرماه" not in html
    partial = client.get(url, {"status": "cancelled"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "جلسه شیراز" not in partial.content.decode()


# --- forms -----------------------------------------------------------------------------


def test_the_create_form_refuses_an_impossible_jalali_date_beside_the_field(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "title": "جلسه ویژه",
            "starts_at": "۱۴۰۴/۱۲/۳۰ ۱۰:۰۰",
            "duration_minutes": "۹۰",
            "place": "تالار",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_starts_at_error"' in html
    assert "سال ۱۴۰۴ سی‌ام اسفند ندارد" in html
    assert 'value="۱۴۰۴/۱۲/۳۰ ۱۰:۰۰"' in html
    assert 'value="جلسه ویژه"' in html
    assert 'data-autosave="meeting-create"' in html
    assert "data-discard-draft" in html
    assert not Meeting.objects.exists()


def test_the_create_form_shows_a_past_time_beside_the_field(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:meeting_create"),
        {"starts_at": "1403/01/15 10:00", "duration_minutes": "90", "place": "تالار"},
    )
    html = response.content.decode()
    assert 'id="id_starts_at_error"' in html
    assert "زمان جلسه گذشته است" in html
    assert 'value="تالار"' in html


def test_the_create_form_plans_a_meeting_from_persian_digits(client, world):
    client.force_login(world.chair)
    when = soon(10, 9)
    from hamseda.core.jalali import format_datetime

    typed = format_datetime(when, "short")  # Persian digits, as a phone types them
    response = client.post(
        reverse("meetings:meeting_create"),
        {"starts_at": typed, "duration_minutes": "۱۲۰", "place": "تالار"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.starts_at, meeting.duration_minutes, meeting.number) == (when, 120, 1)


def test_the_report_form_keeps_everything_typed_on_error_and_on_add_row(client, world, meeting):
    client.force_login(world.member_staff)
    url = reverse("meetings:report_edit", args=[meeting.pk, world.member_office.pk])
    page = client.get(url).content.decode()
    assert 'data-autosave="report-' in page
    data = {
        "summary": "خلاصه عملکرد آذر",
        "action-TOTAL_FORMS": "3",
        "action-INITIAL_FORMS": "3",
        "action-0-text": "انتشار اخبار",
        "action-0-figure_label": "خبر",
        "action-0-figure_value": "",  # a figure without its value
        "action-1-text": "",
        "action-2-text": "",
        "problem-TOTAL_FORMS": "2",
        "problem-INITIAL_FORMS": "2",
        "problem-0-text": "کمبود اعتبار",
        "problem-1-text": "",
        "viewpoint-TOTAL_FORMS": "2",
        "viewpoint-INITIAL_FORMS": "2",
        "suggestion-TOTAL_FORMS": "2",
        "suggestion-INITIAL_FORMS": "2",
        "suggestion-0-text": "قرارگاه مشترک",
        "submit": "",
    }
    # when sent with an incomplete figure
    html = client.post(url, data).content.decode()
    # then the error sits beside the value and everything typed is still there
    assert 'id="id_action-0-figure_value_error"' in html
    assert "مقدار شاخص را بنویسید" in html
    for typed in ("خلاصه عملکرد آذر", "انتشار اخبار", "کمبود اعتبار", "قرارگاه مشترک"):
        assert typed in html
    assert not MemberReport.objects.exists()

    # when «ردیف دیگر» is pressed for problems
    data.pop("submit")
    html = client.post(url, {**data, "add_row": "problem"}).content.decode()
    # then a third problem row appears, nothing is saved, nothing typed is lost
    assert 'name="problem-2-text"' in html
    assert 'name="problem-TOTAL_FORMS" value="3"' in html
    assert "کمبود اعتبار" in html
    assert not MemberReport.objects.exists()

    # when the figure is completed and the report sent
    data.update({"action-0-figure_value": "۴۲", "submit": ""})
    response = client.post(url, data)
    assert response.status_code == 302
    report = MemberReport.objects.get()
    assert report.status == "submitted"
    assert sorted(report.items.values_list("text", flat=True)) == [
        "انتشار اخبار",
        "قرارگاه مشترک",
        "کمبود اعتبار",
    ]


def test_staff_read_other_offices_reports_and_cannot_post_them(client, world, meeting):
    report_with_items(meeting, world.partner_office, problem=1)
    client.force_login(world.member_staff)
    url = reverse("meetings:report_edit", args=[meeting.pk, world.partner_office.pk])
    html = client.get(url).content.decode()
    assert '<form method="post" novalidate data-autosave="report-' not in html
    assert "مسئله و مشکل آزمایشی" in html
    assert client.post(url, {"summary": "x", "submit": ""}).status_code == 403


def test_a_held_meetings_report_is_read_only_for_its_own_office(client, world):
    meeting = MeetingFactory(
        council=world.isfahan_council,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - dt.timedelta(days=2),
    )
    client.force_login(world.partner)
    url = reverse("meetings:report_edit", args=[meeting.pk, world.partner_office.pk])
    assert 'name="summary"' not in client.get(url).content.decode()
    assert client.post(url, {"summary": "دیر"}).status_code == 403


def test_attendance_form_shows_a_missing_representative_name_beside_its_field(
    client, world, meeting
):
    client.force_login(world.secretary)
    url = reverse("meetings:attendance_edit", args=[meeting.pk])
    chair, member, partner = world.chair_office.pk, world.member_office.pk, world.partner_office.pk
    data = {
        f"status_{chair}": "present",
        f"status_{member}": "represented",
        f"attendee_title_{member}": "معاون",
        f"status_{partner}": "absent",
    }
    html = client.post(url, data).content.decode()
    assert f'id="id_attendee_name_{member}_error"' in html
    assert 'value="معاون"' in html
    assert not Attendance.objects.exists()
    data[f"attendee_name_{member}"] = "رضا کریمی"
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 3


# --- agenda with htmx ------------------------------------------------------------------


def test_agenda_add_and_move_answer_htmx_with_the_agenda_partial(client, world, meeting):
    client.force_login(world.secretary)
    add = client.post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"title": "طرح نهضت ملی مسکن", "minutes_allotted": "۱۵"},
        headers={"HX-Request": "true"},
    )
    html = add.content.decode()
    assert "<html" not in html
    assert 'id="agenda"' in html
    assert "طرح نهضت ملی مسکن" in html
    item = meeting.agenda_items.get(title="طرح نهضت ملی مسکن")
    assert item.minutes_allotted == 15

    move = client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, item.pk, "up"]),
        headers={"HX-Request": "true"},
    )
    html = move.content.decode()
    assert html.index("طرح نهضت ملی مسکن") < html.index("گزارش روابط عمومی‌ها")

    # an error comes back inside the partial, with the input kept
    bad = client.post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"title": "", "minutes_allotted": "۱۰", "description": "شرح نوشته‌شده"},
        headers={"HX-Request": "true"},
    )
    html = bad.content.decode()
    assert bad.status_code == 200
    assert 'id="id_title_error"' in html
    assert "شرح نوشته‌شده" in html


# --- calendars -------------------------------------------------------------------------


def test_the_ics_download_is_one_event(client, world, meeting):
    client.force_login(world.partner)
    response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{meeting.pk}@hamseda"
    assert event.decoded("dtstart") == meeting.starts_at


def test_the_calendar_feed_works_without_a_session_and_lists_the_users_council(
    client, world, meeting
):
    shiraz = MeetingFactory(council=world.fars_council, title="جلسه شیراز", starts_at=soon(3))
    old = MeetingFactory(
        council=world.isfahan_council,
        title="جلسه قدیمی",
        starts_at=timezone.now() - dt.timedelta(days=90),
    )
    # the chair's feed: Isfahan's meetings from 60 days ago on
    url = reverse("meetings:calendar_feed", args=[ics.feed_token(world.chair.pk)])
    response = client.get(url)
    assert response.status_code == 200
    uids = {str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {f"meeting-{meeting.pk}@hamseda"}
    # the ministry's feed: every province
    url = reverse("meetings:calendar_feed", args=[ics.feed_token(world.ministry.pk)])
    uids = {str(e["uid"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")}
    assert uids == {f"meeting-{meeting.pk}@hamseda", f"meeting-{shiraz.pk}@hamseda"}
    assert f"meeting-{old.pk}@hamseda" not in uids
    # a forged or a deactivated user's token finds nothing
    forged = reverse("meetings:calendar_feed", args=[f"{world.ministry.pk}:forged"])
    assert client.get(forged).status_code == 404
    world.chair.is_active = False
    world.chair.save()
    url = reverse("meetings:calendar_feed", args=[ics.feed_token(world.chair.pk)])
    assert client.get(url).status_code == 404


def test_the_subscribe_page_shows_the_users_own_feed(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("meetings:calendar_subscribe")).content.decode()
    assert ics.feed_token(world.staff.pk) in html
    assert "webcal://" in html


# --- schedules -------------------------------------------------------------------------


def test_the_secretary_sets_up_a_schedule_and_its_meetings_are_planned(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:schedule_list"),
        {
            "week_of_month": "1",
            "weekday": "0",
            "every_months": "۱",
            "start_time": "۱۰:۰۰",
            "duration_minutes": "90",
            "place": "سالن جلسات",
        },
    )
    assert response.status_code == 302
    planned = Meeting.objects.filter(council=world.isfahan_council)
    assert planned.count() in (2, 3)
    for meeting in planned:
        local = meeting.starts_at.astimezone(TEHRAN)
        assert (local.weekday(), local.hour) == (5, 10)  # Saturday, 10:00


# --- query counts ----------------------------------------------------------------------

# What every signed-in page costs before its own queries: the session, the user,
# the header's count of unread notices.
SHELL = 3


def grow(world, size: int) -> None:
    """``size`` more meetings, each with reports, in Isfahan and Fars."""
    for index in range(size):
        for council in (world.isfahan_council, world.fars_council):
            meeting = MeetingFactory(council=council, starts_at=soon(index + 1))
            if council == world.isfahan_council:
                report_with_items(meeting, world.partner_office, problem=2)
    MeetingFactory(council=world.isfahan_council, starts_at=soon(-30), status="held")


@pytest.mark.parametrize("size", [1, 12])
def test_meeting_list_queries_do_not_grow_with_the_number_of_meetings(
    client, world, django_assert_max_num_queries, size
):
    grow(world, size)
    for persona in (world.secretary, world.ministry):
        client.force_login(persona)
        # upcoming, past count, past page (+ the councils, for the ministry's filter)
        with django_assert_max_num_queries(SHELL + 4):
            response = client.get(reverse("meetings:meeting_list"))
        assert response.status_code == 200


def add_reporting_offices(world, count: int) -> list:
    offices = []
    for _ in range(count):
        office = OfficeFactory(agency=AgencyFactory(province=province("isfahan")))
        membership(world.isfahan_council, office)
        offices.append(office)
    return offices


@pytest.mark.parametrize("size", [1, 12])
def test_briefing_queries_do_not_grow_with_the_number_of_reports(
    client, world, django_assert_max_num_queries, meeting, size
):
    for office in [world.partner_office, *add_reporting_offices(world, size)]:
        report_with_items(meeting, office, action=2, problem=2, viewpoint=1, suggestion=1)
    client.force_login(world.chair)
    # meeting, reports, their items, the council's offices
    with django_assert_max_num_queries(SHELL + 4):
        response = client.get(reverse("meetings:briefing", args=[meeting.pk]))
    html = response.content.decode()
    # two problems of each office, in the problems section and in the office's card
    assert html.count("مسئله و مشکل آزمایشی") == 2 * (size + 1) * 2


@pytest.mark.parametrize("size", [1, 12])
def test_meeting_page_queries_do_not_grow_with_reports_and_offices(
    client, world, django_assert_max_num_queries, meeting, size
):
    for office in [world.partner_office, *add_reporting_offices(world, size)]:
        report_with_items(meeting, office, problem=2)
    client.force_login(world.secretary)
    # meeting, reports, agenda, follow-ups, attendance, the council's offices (once),
    # the presenter choices, the history and its content types: a fixed set
    with django_assert_max_num_queries(SHELL + 9):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


# --- in the browser --------------------------------------------------------------------

# The fixtures of core/tests/browser.py, bound here for pytest to find.
chromium_browser = browser.chromium_browser
web = browser.web


# The live server needs committed data; serialized rollback brings the provinces
# back after each test's flush.
LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.browser
@LIVE_DB
def test_a_member_reports_on_a_phone_and_the_chair_reads_the_briefing(world, web):
    # given a planned meeting, and the railway's staff on a phone
    meeting = services.meeting_create(
        actor=world.secretary, council=world.isfahan_council, starts_at=soon(), place="تالار"
    )
    page = web
    page.set_viewport_size(browser.PHONE)
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.member_staff)

    # when they open the meeting, write an action with a figure, add a problem row
    # without JavaScript's help and send the report
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="گزارش روابط عمومی شما برای این جلسه").click()
    page.locator("[name=summary]").fill("خلاصه عملکرد آذر")
    page.locator("[name=action-0-text]").fill("انتشار اخبار پروژه‌های راه‌آهن")
    page.locator("[name=action-0-figure_label]").fill("خبر")
    page.locator("[name=action-0-figure_value]").fill("۴۲")
    page.locator("#section-problem").get_by_role("button", name="ردیف دیگر").click()
    expect(page.locator("[name=problem-2-text]")).to_be_visible()
    expect(page.locator("[name=action-0-text]")).to_have_value("انتشار اخبار پروژه‌های راه‌آهن")
    page.locator("[name=problem-2-text]").fill("کمبود اعتبار تبلیغات محیطی")
    browser.screenshot(page, "meetings-report-phone.png")
    page.get_by_role("button", name="ارسال برای جلسه").click()

    # then the meeting page shows the report as sent
    expect(page.locator(".alert-success")).to_contain_text("گزارش برای جلسه ارسال شد")
    row = page.locator("tr", has_text="اداره کل راه‌آهن منطقه اصفهان")
    expect(row.locator(".badge")).to_have_text("ارسال‌شده")

    # and the chair finds the problem among all problems in the briefing
    page.context.clear_cookies()
    browser.log_in(page, world.chair)
    page.goto(reverse("meetings:briefing", args=[meeting.pk]))
    problems = page.locator("#briefing-problem").locator("xpath=ancestor::section")
    expect(problems).to_contain_text("کمبود اعتبار تبلیغات محیطی")
    expect(problems).to_contain_text("اداره کل راه‌آهن منطقه اصفهان")
    expect(page.locator("#briefing-action").locator("xpath=ancestor::section")).to_contain_text(
        "۴۲"
    )
    browser.screenshot(page, "meetings-briefing-phone.png")
    assert js_errors == []


@pytest.mark.browser
@LIVE_DB
def test_the_secretary_reorders_the_agenda_in_place(world, web):
    meeting = services.meeting_create(
        actor=world.secretary, council=world.isfahan_council, starts_at=soon(), place="تالار"
    )
    services.agenda_item_add(actor=world.secretary, meeting=meeting, title="طرح نهضت ملی مسکن")
    page = web
    browser.log_in(page, world.secretary)
    page.goto(meeting.get_absolute_url())
    page.evaluate("window.__samePage = true")

    page.locator("#agenda li", has_text="طرح نهضت ملی مسکن").get_by_role(
        "button", name="بالا"
    ).click()

    titles = page.locator("#agenda li strong")
    expect(titles.nth(1)).to_have_text("طرح نهضت ملی مسکن")
    assert page.evaluate("window.__samePage === true")  # swapped by htmx, not reloaded
