"""The shared calendar: month and week pages (the list is ``activity_list``'s
page), the feeds page, and the .ics feeds of an office and of a campaign.

Every read goes through ``selectors.activity_list``: the calendar shows exactly
what the list shows, filtered by the same ``ActivityFilters``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hamseda.activities import calendar, ics
from hamseda.activities.calendar import CalendarEntry, Day
from hamseda.activities.forms import ScopeFilterForm
from hamseda.activities.models import ActivityStatus
from hamseda.activities.selectors import ActivityFilters, activity_list
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, policy
from hamseda.core.auth import signed_in
from hamseda.core.listing import int_param
from hamseda.core.policy import Reach
from hamseda.directory import selectors as directory
from hamseda.directory.models import Person

# A month of a busy province is a few hundred activities; past this the page
# says so and asks for a filter rather than rendering thousands of cells.
MAX_ACTIVITIES = 1000
FEED_DAYS_BACK = 60
FEED_MAX_EVENTS = 2000
# Dates a week URL may ask for (Gregorian years); others mean "this week".
_MIN_GREGORIAN_YEAR, _MAX_GREGORIAN_YEAR = 1921, 2121


# --- shared page parts -----------------------------------------------------------------


def _with(url: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{url}?{query}" if query else url


def _entries(viewer: Person, filters: ActivityFilters) -> tuple[list[CalendarEntry], bool]:
    """The activities of the period, as calendar entries; and whether there were
    more than ``MAX_ACTIVITIES`` (the rest are not shown)."""
    activities = list(
        activity_list(viewer=viewer, filters=filters).order_by("start_date", "pk")[
            : MAX_ACTIVITIES + 1
        ]
    )
    truncated = len(activities) > MAX_ACTIVITIES
    return calendar.entries_of(activities[:MAX_ACTIVITIES]), truncated


def _page_context(
    request: HttpRequest,
    viewer: Person,
    form: ScopeFilterForm,
    *,
    view: str,
    period_params: dict[str, str],
    month: tuple[int, int],
    week_date: dt.date,
) -> dict[str, Any]:
    query = form.query()
    list_url = reverse("activities:activity_list")
    create_url = (
        reverse("activities:activity_create")
        if policy.reach(viewer, "activity.edit") > Reach.NONE
        else ""
    )
    feed_params = {key: query[key] for key in ("office", "campaign") if key in query}
    return {
        "form": form,
        "view": view,
        "query": query,
        # "&office=3&kind=…" for links that already carry a date.
        "amp_query": ("&" + urlencode(query)) if query else "",
        "period_params": period_params,
        "action": request.path,
        "month_url": _with(
            reverse("activities:calendar_month"), year=month[0], month=month[1], **query
        ),
        "week_url": _with(reverse("activities:calendar_week"), date=week_date.isoformat(), **query),
        "list_url": _with(list_url, **query) if list_url else "",
        "list_home_url": list_url,
        "create_url": create_url,
        # A new activity from a campaign's calendar starts in that campaign.
        "create_query": f"&campaign={query['campaign']}" if "campaign" in query else "",
        "feeds_url": _with(reverse("activities:feeds"), **feed_params),
        "week_base_url": reverse("activities:calendar_week"),
        "weekday_names": jalali.WEEKDAY_NAMES,
        "status_legend": _status_legend(),
    }


def _status_legend() -> list[tuple[str, str]]:
    return [(status.value, str(status.label)) for status in ActivityStatus]


# --- month and week --------------------------------------------------------------------


@login_required
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    """A Jalali month: ``?year=1405&month=9`` (default: this month), filtered by
    ``?office=&campaign=&kind=`` (and ``province`` for national viewers)."""
    user = signed_in(request)
    today = jalali.today()
    year, month = calendar.valid_month(
        int_param(request.GET, "year"), int_param(request.GET, "month"), today=today
    )
    grid = calendar.month_grid(year, month, today=today)
    form = ScopeFilterForm(request.GET, viewer=user, period=(grid.start, grid.end))
    entries, truncated = _entries(user, form.filters(date_from=grid.start, date_to=grid.end))
    calendar.place(grid.days, entries)
    query = form.query()
    month_url = reverse("activities:calendar_month")
    previous, following = grid.previous, grid.next
    this_year, this_month = calendar.valid_month(None, None, today=today)
    # The week view opens on today's week when today is in this month.
    week_date = today if grid.first <= today <= grid.last else grid.first
    context = _page_context(
        request,
        user,
        form,
        view="month",
        period_params={"year": str(year), "month": str(month)},
        month=(year, month),
        week_date=week_date,
    )
    context.update(
        grid=grid,
        title=grid.title,
        truncated=truncated,
        max_activities=MAX_ACTIVITIES,
        previous_url=_with(month_url, year=previous[0], month=previous[1], **query),
        next_url=_with(month_url, year=following[0], month=following[1], **query),
        today_url=_with(month_url, year=this_year, month=this_month, **query),
        is_current=(year, month) == (this_year, this_month),
        previous_label=_("ماه قبل"),
        next_label=_("ماه بعد"),
        today_label=_("ماه جاری"),
    )
    return render(request, "activities/calendar_month.html", context)


def _week_date(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return today
    return day if _MIN_GREGORIAN_YEAR <= day.year <= _MAX_GREGORIAN_YEAR else today


@login_required
@require_GET
def calendar_week(request: HttpRequest) -> HttpResponse:
    """The week, Saturday to Friday, of ``?date=YYYY-MM-DD`` (Gregorian; default
    today), with every activity in full; same filters as the month."""
    user = signed_in(request)
    today = jalali.today()
    day = _week_date(request.GET.get("date"), today)
    days: list[Day] = calendar.week_days(day, today=today)
    start, end = days[0].date, days[-1].date
    form = ScopeFilterForm(request.GET, viewer=user, period=(start, end))
    entries, truncated = _entries(user, form.filters(date_from=start, date_to=end))
    calendar.place(days, entries)
    query = form.query()
    week_url = reverse("activities:calendar_week")
    shown = jalali.to_jalali(day)
    context = _page_context(
        request,
        user,
        form,
        view="week",
        period_params={"date": day.isoformat()},
        month=(shown.year, shown.month),
        week_date=day,
    )
    context.update(
        days=days,
        title=calendar.week_title(start, end),
        truncated=truncated,
        max_activities=MAX_ACTIVITIES,
        has_activities=any(d.placements for d in days),
        previous_url=_with(week_url, date=(start - dt.timedelta(days=7)).isoformat(), **query),
        next_url=_with(week_url, date=(end + dt.timedelta(days=1)).isoformat(), **query),
        today_url=_with(week_url, **query),
        is_current=start <= today <= end,
        previous_label=_("هفته قبل"),
        next_label=_("هفته بعد"),
        today_label=_("هفته جاری"),
    )
    return render(request, "activities/calendar_week.html", context)


# --- feeds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    title: str
    url: str

    @property
    def webcal_url(self) -> str:
        return "webcal://" + self.url.split("://", 1)[1]


def _campaign_for(viewer: Person, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    campaign = Campaign.objects.prefetch_related("co_owners").filter(pk=campaign_id).first()
    if campaign is None or not policy.can(viewer, "campaign.view", campaign):
        return None
    return campaign


@login_required
@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    """The addresses to subscribe to: the office's feed (the viewer's own, or
    ``?office=``) and, with ``?campaign=``, the campaign's."""
    user = signed_in(request)
    office_id = int_param(request.GET, "office") or user.office_id
    office = (
        directory.office_list(viewer=user).filter(pk=office_id).first()
        if office_id is not None
        else None
    )
    campaign = _campaign_for(user, int_param(request.GET, "campaign"))
    found: list[Feed] = []
    if office is not None:
        token = ics.feed_token("office", office.pk, user.pk)
        found.append(
            Feed(
                title=_("فعالیت‌های %(office)s") % {"office": office.name},
                url=request.build_absolute_uri(reverse("activities:feed_office", args=[token])),
            )
        )
    if campaign is not None:
        token = ics.feed_token("campaign", campaign.pk, user.pk)
        found.append(
            Feed(
                title=_("فعالیت‌های پویش «%(campaign)s»") % {"campaign": campaign.title},
                url=request.build_absolute_uri(reverse("activities:feed_campaign", args=[token])),
            )
        )
    return render(
        request,
        "activities/calendar_feeds.html",
        {
            "feeds": found,
            "days_back": FEED_DAYS_BACK,
            "month_url": reverse("activities:calendar_month"),
            "list_home_url": reverse("activities:activity_list"),
        },
    )


def _feed_viewer(token: str, kind: ics.FeedKind) -> tuple[Person, int]:
    """The active person a feed token speaks for, and the office/campaign pk;
    404 for anything else (a calendar app shows "not found", nothing leaks)."""
    target = ics.feed_target(token)
    if target is None or target.kind != kind:
        raise Http404("not found")
    person = (
        Person.objects.select_related("office__agency__province")
        .filter(pk=target.person_pk)
        .first()
    )
    if person is None or not person.is_active:
        raise Http404("not found")
    return person, target.pk


def _feed_response(
    request: HttpRequest, viewer: Person, filters: ActivityFilters, *, name: str, filename: str
) -> HttpResponse:
    activities = list(
        activity_list(viewer=viewer, filters=filters).order_by("start_date", "pk")[:FEED_MAX_EVENTS]
    )
    body = ics.calendar_for(
        activities,
        name=name,
        url_of={a.pk: request.build_absolute_uri(a.get_absolute_url()) for a in activities},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_since() -> dt.date:
    return jalali.today() - dt.timedelta(days=FEED_DAYS_BACK)


@require_GET
@never_cache
def feed_office(request: HttpRequest, token: str) -> HttpResponse:
    """An office's activities (lead or partner), from ``FEED_DAYS_BACK`` days
    ago, as the person who made the token may see them."""
    viewer, office_id = _feed_viewer(token, "office")
    office = directory.office_get(viewer=viewer, office_id=office_id)
    return _feed_response(
        request,
        viewer,
        ActivityFilters(office_id=office.pk, date_from=_feed_since()),
        name=_("فعالیت‌های %(office)s — همصدا") % {"office": office.name},
        filename=f"hamseda-office-{office.pk}.ics",
    )


@require_GET
@never_cache
def feed_campaign(request: HttpRequest, token: str) -> HttpResponse:
    """A campaign's activities, like ``feed_office``."""
    viewer, campaign_id = _feed_viewer(token, "campaign")
    campaign = _campaign_for(viewer, campaign_id)
    if campaign is None:
        raise Http404("not found")
    return _feed_response(
        request,
        viewer,
        ActivityFilters(campaign_id=campaign.pk, date_from=_feed_since()),
        name=_("پویش «%(campaign)s» — همصدا") % {"campaign": campaign.title},
        filename=f"hamseda-campaign-{campaign.pk}.ics",
    )


urlpatterns: list[URLPattern] = [
    path("calendar/", calendar_month, name="calendar_month"),
    path("calendar/week/", calendar_week, name="calendar_week"),
    path("calendar/feeds/", feeds, name="feeds"),
    path("calendar/office/<str:token>.ics", feed_office, name="feed_office"),
    path("calendar/campaign/<str:token>.ics", feed_campaign, name="feed_campaign"),
]
