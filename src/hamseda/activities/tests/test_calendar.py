"""The shared calendar: Jalali grid arithmetic (no database), and the month and
week pages as the personas of ``conftest.world`` see them."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from hamseda.activities import calendar
from hamseda.activities.calendar import CalendarEntry
from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.campaigns.models import Campaign, CampaignKind
from hamseda.core import jalali

J = jalali.from_jalali


def _entry(start: dt.date, end: dt.date, title: str = "نمایشگاه") -> CalendarEntry:
    # An unsaved activity is enough for the arithmetic: no URL, no partners.
    activity = Activity(title=title, start_date=start, end_date=end)
    return CalendarEntry(activity=activity, url="", is_joint=False)


def _grid_days(grid: calendar.MonthGrid) -> list[calendar.Day]:
    return [day for day in grid.days if day.in_month]


# --- grid arithmetic -------------------------------------------------------------------


def test_esfand_of_a_leap_year_has_thirty_days_in_five_weeks():
    # given 1403, a leap year: Esfand starts on a Wednesday (2025-02-19)
    grid = calendar.month_grid(1403, 12)

    # then the grid runs Saturday to Friday around its 30 days
    assert [d.day for d in _grid_days(grid)] == list(range(1, 31))
    assert grid.start == dt.date(2025, 2, 15)  # a Saturday
    assert grid.end == dt.date(2025, 3, 21)  # a Friday: 1 Farvardin 1404, shown dimmed
    assert len(grid.weeks) == 5
    assert all(len(week) == 7 for week in grid.weeks)
    assert grid.weeks[0][4].day == 1
    assert grid.weeks[0][4].weekday_name == "چهارشنبه"
    assert grid.last == J(1403, 12, 30)
    assert not grid.days[-1].in_month
    assert grid.days[-1].month == 1


def test_esfand_of_a_common_year_ends_on_the_29th():
    # given 1404, not leap: Esfand starts on a Friday and has 29 days
    grid = calendar.month_grid(1404, 12)

    days = _grid_days(grid)
    assert [d.day for d in days] == list(range(1, 30))
    assert days[0].is_friday
    assert days[0].weekday == 6
    assert grid.end == J(1404, 12, 29)  # the month ends on a Friday: no day of Farvardin
    assert len(grid.weeks) == 5
    # the 29th is a holiday (روز ملی‌شدن صنعت نفت), and a Friday anyway
    assert days[-1].is_holiday
    assert "صنعت نفت" in days[-1].occasions[0].title


@pytest.mark.parametrize(
    ("year", "month", "first_weekday", "rows"),
    [
        (1405, 1, "شنبه", 5),  # Farvardin 1405 starts on a Saturday: no filler
        (1404, 1, "جمعه", 6),  # 31 days from a Friday need six rows
        (1404, 2, "دوشنبه", 5),
        (1404, 9, "شنبه", 5),  # Azar 1404 (30 days) from a Saturday
        (1405, 3, "جمعه", 6),
    ],
)
def test_month_starts_in_its_weekday_column(year, month, first_weekday, rows):
    # when the grid of a month is built
    grid = calendar.month_grid(year, month)

    # then the 1st sits in its weekday's column, and every row is Saturday..Friday
    first = _grid_days(grid)[0]
    assert first.weekday_name == first_weekday
    assert grid.weeks[0][first.weekday] is first
    assert len(grid.weeks) == rows
    assert all(week[0].date.weekday() == calendar.SATURDAY for week in grid.weeks)
    assert all(week[6].is_friday for week in grid.weeks)
    assert grid.first == J(year, month, 1)


def test_nowruz_is_a_holiday_on_the_first_of_farvardin():
    grid = calendar.month_grid(1405, 1)

    first = grid.days[0]
    assert (first.year, first.month, first.day) == (1405, 1, 1)
    assert [o.title for o in first.occasions] == ["آغاز نوروز"]
    assert first.is_holiday
    assert not first.is_friday
    assert grid.days[12].day == 13
    assert grid.days[12].occasions[0].title == "روز طبیعت"
    # an ordinary weekday without an occasion is a working day
    assert grid.days[5].day == 6
    assert not grid.days[5].is_holiday


def test_pr_day_is_on_27_ordibehesht_and_not_a_holiday():
    occasions = calendar.occasions_on(J(1404, 2, 27))

    assert [o.title for o in occasions] == ["روز ارتباطات و روابط عمومی"]
    assert not occasions[0].holiday
    assert calendar.occasions_on(J(1404, 2, 28)) == ()


def test_occasions_are_loaded_once():
    calendar.occasions_on(J(1404, 1, 1))
    calendar.occasions_on(J(1404, 1, 2))

    assert calendar._occasions_by_day.cache_info().currsize == 1
    assert len(calendar.occasions()) == 30


def test_multi_day_activity_crosses_a_week_boundary():
    # given Azar 1404 (from Saturday 2025-11-22) and an exhibition Thursday to Sunday
    grid = calendar.month_grid(1404, 9)
    show = _entry(J(1404, 9, 6), J(1404, 9, 9))

    # when it is placed
    calendar.place(grid.days, [show])

    # then it is on the four days: two at the end of one row, two at the start of the next
    on = [d.day for d in _grid_days(grid) if d.placements]
    assert on == [6, 7, 8, 9]
    assert grid.weeks[0][5].day == 6
    assert grid.weeks[1][0].day == 8
    thursday, friday, saturday, sunday = (d.placements[0] for d in _grid_days(grid)[5:9])
    assert thursday.starts_here
    assert not thursday.ends_here
    assert not friday.starts_here
    assert not saturday.ends_here
    assert sunday.ends_here
    assert not sunday.starts_here


def test_multi_day_activity_crosses_a_month_and_year_boundary():
    # given Nowruz coverage from 28 Esfand 1404 to 3 Farvardin 1405
    coverage = _entry(J(1404, 12, 28), J(1405, 1, 3), "پوشش سفرهای نوروزی")

    # when placed on both months
    esfand = calendar.month_grid(1404, 12)
    farvardin = calendar.month_grid(1405, 1)
    calendar.place(esfand.days, [coverage])
    calendar.place(farvardin.days, [coverage])

    # then Esfand shows its two days and Farvardin its three, each clipped to its grid
    assert [(d.month, d.day) for d in esfand.days if d.placements] == [(12, 28), (12, 29)]
    assert not esfand.days[-1].placements[0].ends_here
    assert [(d.month, d.day) for d in farvardin.days if d.placements] == [(1, 1), (1, 2), (1, 3)]
    assert not farvardin.days[0].placements[0].starts_here


def test_longer_activities_come_first_on_a_day():
    grid = calendar.month_grid(1404, 9)
    short = _entry(J(1404, 9, 10), J(1404, 9, 10), "مصاحبه")
    long = _entry(J(1404, 9, 10), J(1404, 9, 12), "نمایشگاه")
    earlier = _entry(J(1404, 9, 9), J(1404, 9, 10), "نشست")

    calendar.place(grid.days, [short, long, earlier])

    tenth = next(d for d in grid.days if d.in_month and d.day == 10)
    assert [p.item.title for p in tenth.placements] == ["نشست", "نمایشگاه", "مصاحبه"]


def test_week_runs_saturday_to_friday():
    # given a Wednesday, 1404/09/12 (2025-12-03)
    days = calendar.week_days(J(1404, 9, 12), today=J(1404, 9, 12))

    assert [d.weekday_name for d in days] == list(jalali.WEEKDAY_NAMES)
    assert days[0].date == J(1404, 9, 8)
    assert days[-1].date == J(1404, 9, 14)
    assert [d.is_today for d in days] == [False] * 4 + [True] + [False] * 2
    assert calendar.week_range(J(1404, 9, 8)) == (J(1404, 9, 8), J(1404, 9, 14))
    assert calendar.week_range(J(1404, 9, 14)) == (J(1404, 9, 8), J(1404, 9, 14))


def test_week_titles_name_months_and_years_only_when_they_change():
    assert calendar.week_title(J(1404, 9, 8), J(1404, 9, 14)) == "۸ تا ۱۴ آذر ۱۴۰۴"
    assert calendar.week_title(J(1404, 8, 24), J(1404, 8, 30)) == "۲۴ تا ۳۰ آبان ۱۴۰۴"
    assert calendar.week_title(J(1404, 8, 29), J(1404, 9, 5)) == "۲۹ آبان تا ۵ آذر ۱۴۰۴"
    assert calendar.week_title(J(1404, 12, 23), J(1405, 1, 1)) == "۲۳ اسفند ۱۴۰۴ تا ۱ فروردین ۱۴۰۵"


def test_month_navigation_wraps_the_year():
    assert calendar.previous_month(1405, 1) == (1404, 12)
    assert calendar.next_month(1404, 12) == (1405, 1)
    assert calendar.next_month(1404, 6) == (1404, 7)
    today = J(1404, 9, 12)
    assert calendar.valid_month(1405, 9, today=today) == (1405, 9)
    assert calendar.valid_month(1405, 13, today=today) == (1404, 9)
    assert calendar.valid_month(None, 3, today=today) == (1404, 9)
    assert calendar.valid_month(99999, 1, today=today) == (1404, 9)


def test_today_is_marked_in_the_month():
    today = J(1404, 9, 12)

    grid = calendar.month_grid(1404, 9, today=today)

    assert [d.day for d in grid.days if d.is_today] == [12]
    assert grid.title == "آذر ۱۴۰۴"


# --- pages -----------------------------------------------------------------------------

MONTH = reverse("activities:calendar_month")
WEEK = reverse("activities:calendar_week")


def make_activity(office, start, end=None, **fields) -> Activity:
    """An activity led by ``office`` over ``start``..``end`` (one day by default)."""
    fields.setdefault("kind", ActivityKind.PRESS_CONFERENCE)
    fields.setdefault("title", "نشست خبری پروژه‌های راه")
    return ActivityFactory(lead_office=office, start_date=start, end_date=end or start, **fields)


class _Cell(HTMLParser):
    """Collects the markup of the element with a given data-date, nested tags included."""

    def __init__(self, iso: str) -> None:
        super().__init__(convert_charrefs=False)
        self.iso, self.depth, self.parts = iso, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or ("data-date", self.iso) in attrs:
            self.depth += tag not in VOID_TAGS
            self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.depth:
            self.parts.append(f"</{tag}>")
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    handle_entityref = handle_charref = lambda self, name: None


VOID_TAGS = frozenset({"input", "img", "br", "hr", "meta", "link"})


def cell(html: str, day: dt.date) -> str:
    """The markup of one day of a calendar page (its <li data-date=...>)."""
    parser = _Cell(day.isoformat())
    parser.feed(html)
    assert parser.parts, f"no cell for {day}"
    return "".join(parser.parts)


def month_of(client, year: int, month: int, **params) -> str:
    response = client.get(MONTH, {"year": year, "month": month, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def azar(world):
    """Activities around Azar 1404 in Isfahan and Fars."""
    press = make_activity(world.chair_office, J(1404, 9, 10), title="نشست خبری آزادراه اصفهان")
    expo = make_activity(
        world.member_office,
        J(1404, 9, 6),
        J(1404, 9, 9),
        title="نمایشگاه دستاوردهای ریلی",
        kind=ActivityKind.EXHIBITION,
        status=ActivityStatus.DONE,
    )
    ActivityPartner.objects.create(activity=expo, office=world.partner_office)
    fars = make_activity(world.fars_office, J(1404, 9, 10), title="پویش ایمنی جاده‌های فارس")
    return {"press": press, "expo": expo, "fars": fars}


def test_staff_see_their_provinces_activities_on_their_days(world, azar, login):
    # when the chair office's staff open Azar 1404
    html = month_of(login(world.staff), 1404, 9)

    # then each activity is on its day, linked to its page
    tenth = cell(html, J(1404, 9, 10))
    assert "نشست خبری آزادراه اصفهان" in tenth
    assert azar["press"].get_absolute_url() in tenth
    assert "is-planned" in tenth
    # the four-day joint exhibition is on each of its days, marked joint and done
    for day in range(6, 10):
        assert "نمایشگاه دستاوردهای ریلی" in cell(html, J(1404, 9, day))
    assert "bi-people" in cell(html, J(1404, 9, 7))
    assert "is-done" in cell(html, J(1404, 9, 7))
    assert "نمایشگاه" not in cell(html, J(1404, 9, 10))
    # Fars's activity is not admitted to exist
    assert "فارس" not in html.split('id="calendar-page"')[1].split("</form>", 1)[1]
    assert "آذر ۱۴۰۴" in html


def test_an_isfahan_activity_is_not_visible_to_fars(world, azar, login):
    html = month_of(login(world.fars_chair), 1404, 9)

    assert "پویش ایمنی جاده‌های فارس" in cell(html, J(1404, 9, 10))
    assert "آزادراه اصفهان" not in html
    assert "دستاوردهای ریلی" not in html


def test_the_ministry_sees_every_province_and_may_pick_one(world, azar, login):
    client = login(world.ministry)

    everything = month_of(client, 1404, 9)
    assert "آزادراه اصفهان" in everything
    assert "جاده‌های فارس" in everything

    fars_only = month_of(client, 1404, 9, province=world.fars_office.agency.province_id)
    assert "جاده‌های فارس" in fars_only
    assert "آزادراه اصفهان" not in fars_only


def test_office_filter_keeps_the_activities_it_leads_or_joins(world, azar, login):
    client = login(world.staff)

    partner = month_of(client, 1404, 9, office=world.partner_office.pk)
    assert "دستاوردهای ریلی" in partner  # a partner of the exhibition
    assert "آزادراه اصفهان" not in partner

    # and the switcher's links carry the filter (the list page, the week)
    assert f"/activities/?office={world.partner_office.pk}" in partner
    assert f"date=2025-11-22&amp;office={world.partner_office.pk}" in partner


def test_kind_and_campaign_filters(world, azar, login):
    # given a national campaign the press conference belongs to
    campaign = Campaign.objects.create(
        title="هفته حمل‌ونقل",
        kind=CampaignKind.CULTURE,
        start_date=J(1404, 9, 1),
        end_date=J(1404, 9, 30),
    )
    azar["press"].campaigns.add(campaign)
    client = login(world.staff)

    by_kind = month_of(client, 1404, 9, kind=ActivityKind.EXHIBITION)
    assert "دستاوردهای ریلی" in by_kind
    assert "آزادراه اصفهان" not in by_kind

    by_campaign = month_of(client, 1404, 9, campaign=campaign.pk)
    assert "آزادراه اصفهان" in by_campaign
    assert "دستاوردهای ریلی" not in by_campaign
    assert f"campaign={campaign.pk}" in by_campaign  # the feeds link carries it
    # and a new activity of a day starts in the campaign
    assert f'/activities/new/?date=2025-12-01&amp;campaign={campaign.pk}"' in cell(
        by_campaign, J(1404, 9, 10)
    )

    # a campaign that does not reach the month shown stays selected
    later = month_of(client, 1404, 11, campaign=campaign.pk)
    assert f'<option value="{campaign.pk}" selected>' in later


def test_a_filter_of_another_province_is_ignored_not_applied(world, azar, login):
    html = month_of(login(world.staff), 1404, 9, office=world.fars_office.pk)

    # the office is not a choice: the error is shown and all of Isfahan stays listed
    assert "آزادراه اصفهان" in html
    assert "دستاوردهای ریلی" in html
    assert "جاده‌های فارس" not in html


def test_occasions_are_on_their_days(world, login):
    html = month_of(login(world.staff), 1405, 1)

    nowruz = cell(html, J(1405, 1, 1))
    assert "آغاز نوروز" in nowruz
    assert 'class="is-holiday"' in nowruz
    assert "روز طبیعت" in cell(html, J(1405, 1, 13))
    assert "فروردین ۱۴۰۵" in html


def test_default_month_is_the_current_one_with_today_marked(world, login):
    response = login(world.staff).get(MONTH)

    today = jalali.today()
    html = response.content.decode()
    assert jalali.format_date(today, "long").split(" ", 1)[1] in html  # "آذر ۱۴۰۴"
    assert 'aria-current="date"' in cell(html, today)


def test_bad_parameters_show_the_current_month(world, login):
    client = login(world.staff)

    for params in ({"year": "abc", "month": "9"}, {"year": "1404", "month": "13"}):
        assert client.get(MONTH, params).status_code == 200
    assert client.get(WEEK, {"date": "2025-02-30"}).status_code == 200
    assert client.get(MONTH, {"office": "x", "kind": "nope"}).status_code == 200


def test_add_links_carry_the_days_date(world, login):
    html = month_of(login(world.staff), 1404, 9)

    assert '/activities/new/?date=2025-12-01"' in cell(html, J(1404, 9, 10))


def test_add_link_opens_the_new_activity_form_on_that_day(world, login):
    # given the "+" of 10 Azar 1404 (2025-12-01)
    client = login(world.staff)
    html = month_of(client, 1404, 9)
    href = re.search(r'class="hs-cal-add[^"]*" href="([^"]+)"', cell(html, J(1404, 9, 10)))
    assert href

    # when it is followed, the form's date is that day, in Jalali
    form = client.get(href.group(1).replace("&amp;", "&")).content.decode()

    assert 'value="1404/09/10"' in form


def test_digits_are_persian_in_the_grid(world, azar, login):
    html = month_of(login(world.staff), 1404, 9)

    grid = html.split('<ol class="hs-cal-grid">', 1)[1].split("</ol>", 1)[0]
    visible = re.sub(r"<[^>]+>", " ", grid)
    assert not re.search(r"[0-9]", visible), re.findall(r".{20}[0-9].{20}", visible)[:3]


def test_week_view_lists_every_activity_of_the_week(world, azar, login):
    # when the week of 1404/09/10 (a Monday) is opened
    response = login(world.staff).get(WEEK, {"date": J(1404, 9, 10).isoformat()})

    # then it runs Saturday 8 Azar to Friday 14 Azar, with the activities in full
    html = response.content.decode()
    assert "۸ تا ۱۴ آذر ۱۴۰۴" in html
    assert "نشست خبری آزادراه اصفهان" in cell(html, J(1404, 9, 10))
    assert "نمایشگاه دستاوردهای ریلی" in cell(html, J(1404, 9, 8))
    assert "از ۶ آذر ۱۴۰۴ تا ۹ آذر ۱۴۰۴" in cell(html, J(1404, 9, 9))
    assert "فارس" not in cell(html, J(1404, 9, 10))
    # previous and next weeks
    assert "date=2025-11-22" in html
    assert "date=2025-12-06" in html


def test_week_defaults_to_this_week(world, login):
    html = login(world.staff).get(WEEK).content.decode()

    assert 'aria-current="date"' in cell(html, jalali.today())


def test_calendar_needs_a_signed_in_user(client):
    response = client.get(MONTH)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_month_queries_do_not_grow_with_activities(world, login, django_assert_max_num_queries):
    # given a busy month: 40 activities, each with a partner, some spanning days
    for i in range(40):
        activity = make_activity(
            world.chair_office, J(1404, 9, 1 + i % 28), J(1404, 9, 1 + i % 28 + i % 3)
        )
        ActivityPartner.objects.create(activity=activity, office=world.member_office)
    client = login(world.staff)

    # then the page costs a fixed number of queries (session, user, shell, filters,
    # the activities and their partners)
    with django_assert_max_num_queries(10):
        response = client.get(MONTH, {"year": 1404, "month": 9, "kind": "press_conference"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        client.get(WEEK, {"date": J(1404, 9, 10).isoformat()})


def test_feeds_page_gives_the_office_and_campaign_addresses(world, login):
    campaign = Campaign.objects.create(
        title="هفته حمل‌ونقل",
        kind=CampaignKind.CULTURE,
        start_date=J(1404, 9, 1),
        end_date=J(1404, 9, 30),
    )

    response = login(world.staff).get(reverse("activities:feeds"), {"campaign": campaign.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert world.chair_office.name in html
    assert "هفته حمل‌ونقل" in html
    assert html.count("http://testserver/activities/calendar/office/") == 1
    assert html.count("http://testserver/activities/calendar/campaign/") == 1
    assert html.count('href="webcal://testserver/activities/calendar/') == 2
    assert "data-copy=" in html
