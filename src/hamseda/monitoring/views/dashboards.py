"""Coverage dashboards: a province's (or the country's) overview, one office's,
one campaign's. The figures come from ``monitoring.dashboards``; this module picks
the period, builds the links into the article list and the charts' data.

Every chart is drawn from a JSON block by ``monitoring/dashboards.js`` and is
also a table in the page, so the numbers are there without JavaScript and for
screen readers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.auth import signed_in
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person, Province
from hamseda.monitoring import dashboards
from hamseda.monitoring.dashboards import Coverage, Period, Point
from hamseda.monitoring.models import Tone

LAST_DAYS = 30
ALL_PROVINCES = "all"


class PeriodForm(forms.Form):
    """This month, the last 30 days, this year, a custom Jalali range (and, on a
    campaign's page, the campaign's period). A GET form: its values travel in
    the address, so a dashboard can be bookmarked and sent."""

    period = forms.ChoiceField(label=gettext_lazy("دوره"), required=False)
    date_from = JalaliDateField(label=gettext_lazy("از تاریخ"), required=False)
    date_to = JalaliDateField(label=gettext_lazy("تا تاریخ"), required=False)
    # Any text: an unknown province is "the default one", not a form error that
    # would also throw away a valid period (``province_choice``).
    province = forms.CharField(label=gettext_lazy("استان"), required=False, widget=forms.Select)

    def __init__(
        self,
        data: Any,
        *,
        default: str,
        campaign: Campaign | None = None,
        provinces: bool = False,
        province_initial: str = "",
    ) -> None:
        super().__init__(data)
        choices = [
            ("month", gettext_lazy("این ماه")),
            ("last30", gettext_lazy("۳۰ روز گذشته")),
            ("year", gettext_lazy("امسال")),
            ("custom", gettext_lazy("بازه دلخواه")),
        ]
        if campaign is not None:
            choices.insert(0, ("campaign", gettext_lazy("دوره پویش")))
        self.fields["period"].choices = choices  # type: ignore[attr-defined]
        self.fields["period"].initial = default
        self.default = default
        self.campaign = campaign
        self.province_choices: list[tuple[str, str]] = []
        if provinces:
            self.province_choices = [
                (ALL_PROVINCES, _("همه استان‌ها")),
                *((str(p.pk), p.name) for p in Province.objects.order_by("sort_key")),
            ]
            self.fields["province"].widget.choices = self.province_choices
            self.fields["province"].initial = province_initial
        else:
            del self.fields["province"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        # A link from elsewhere may carry only the dates: they are a custom range.
        if not data.get("period"):
            data["period"] = "custom" if (start or end) else self.default
        if data["period"] == "custom":
            if start is None and "date_from" not in self.errors:
                self.add_error("date_from", _("آغاز بازه را بنویسید."))
            if end is None and "date_to" not in self.errors:
                self.add_error("date_to", _("پایان بازه را بنویسید."))
            if start and end:
                if end < start:
                    self.add_error("date_to", _("پایان بازه پیش از آغاز آن است."))
                elif (end - start).days + 1 > dashboards.MAX_PERIOD_DAYS:
                    self.add_error(
                        "date_to",
                        _("بازه حداکثر %(days)s روز می‌تواند باشد.")
                        % {"days": fa_digits(dashboards.MAX_PERIOD_DAYS)},
                    )
        return data

    def chosen(self, today: dt.date) -> Period:
        """The period asked for; the default one while the form has errors (which
        the page shows, with what was typed). An unbound form shows the default
        period's dates, ready to be edited into a custom range."""
        period = self._chosen(today)
        if not self.is_bound:
            self.fields["date_from"].initial = period.start
            self.fields["date_to"].initial = period.end
        return period

    def _chosen(self, today: dt.date) -> Period:
        choice = self.default
        data: dict[str, Any] = {}
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            choice = data["period"]
        if choice == "custom" and data:
            return Period(data["date_from"], data["date_to"])
        if choice == "month":
            return Period.this_month(today)
        if choice == "year":
            return Period.this_year(today)
        if choice == "campaign" and self.campaign is not None:
            return Period.of_campaign(self.campaign, today)
        return Period.last_days(LAST_DAYS, today)

    def province_choice(self) -> str:
        """The province picked ("all" or an id), the viewer's default when none
        or an unknown one was sent."""
        value = self.data.get("province", "") if self.is_bound else ""
        valid = {key for key, _label in self.province_choices}
        return value if value in valid else str(self.fields["province"].initial)


# --- links and chart data --------------------------------------------------------------


def articles_url(period: Period, **filters: Any) -> str:
    """The article list, filtered: agency, campaign, tone, q; the period as
    Jalali dates (YYYY/MM/DD), as its filter form reads them."""
    params = {key: value for key, value in filters.items() if value not in (None, "")}
    params["date_from"] = jalali.format_date(period.start, "input")
    params["date_to"] = jalali.format_date(period.end, "input")
    return f"{reverse('monitoring:article_list')}?{urlencode(params)}"


def _short_day(day: dt.date) -> str:
    j = jalali.to_jalali(day)
    return f"{fa_digits(j.day)} {jalali.month_name(j.month)}"


def _point_label(point: Point) -> str:
    """The x-axis label: "۵ آبان"; a week is labelled by its first day."""
    return _short_day(point.start)


def _series_rows(coverage: Coverage, **filters: Any) -> list[dict[str, Any]]:
    rows = []
    for point in coverage.series:
        if point.start == point.end:
            label = jalali.format_date(point.start)
        else:
            label = f"{jalali.format_date(point.start)} – {jalali.format_date(point.end)}"
        rows.append(
            {
                "point": point,
                "label": label,
                "url": articles_url(Period(point.start, point.end), **filters)
                if point.articles
                else "",
            }
        )
    return rows


def _office_rows(coverage: Coverage, **filters: Any) -> list[dict[str, Any]]:
    period = coverage.period
    return [
        {
            "row": row,
            "rank": rank,
            "url": articles_url(period, agency=row.agency_id, **filters),
            "negative_url": articles_url(
                period, agency=row.agency_id, tone=Tone.NEGATIVE, **filters
            ),
            "dashboard_url": reverse("monitoring:office_dashboard", args=[row.office_id])
            if row.office_id
            else "",
        }
        for rank, row in enumerate(coverage.offices, start=1)
    ]


def chart_data(coverage: Coverage, *, offices: bool = False) -> dict[str, Any]:
    """What ``dashboards.js`` draws: labels already Jalali with Persian digits,
    series names translated here with the page."""
    series = coverage.series
    data: dict[str, Any] = {
        "series": {
            "labels": [_point_label(p) for p in series],
            "articles": [p.articles for p in series],
            "weight": [round(p.weight, 2) for p in series],
            "positive": [p.tone.positive for p in series],
            "neutral": [p.tone.neutral for p in series],
            "negative": [p.tone.negative for p in series],
        },
        "outlets": {
            "labels": [o.name for o in coverage.outlets],
            "articles": [o.articles for o in coverage.outlets],
        },
        "strings": {
            "articles": _("شمار خبرها"),
            "weight": _("بازتاب وزنی"),
            "positive": _("مثبت"),
            "neutral": _("خنثی"),
            "negative": _("منفی"),
        },
    }
    if offices:
        top = coverage.offices[: dashboards.TOP]
        data["offices"] = {
            "labels": [row.name for row in top],
            "weight": [round(row.weight, 2) for row in top],
        }
    return data


def _period_context(form: PeriodForm, coverage: Coverage) -> dict[str, Any]:
    period = coverage.period
    return {
        "form": form,
        "coverage": coverage,
        "period": period,
        "weekly": period.weekly,
        "period_label": f"{jalali.format_date(period.start, 'long')} – "
        f"{jalali.format_date(period.end, 'long')}",
    }


def _stories(coverage: Coverage) -> list[dict[str, Any]]:
    return [
        {"row": row, "url": reverse("monitoring:story_detail", args=[row.story_id])}
        for row in coverage.stories
    ]


# --- pages -------------------------------------------------------------------------------


def _default_province(user: Person) -> str:
    return str(user.province_id) if user.province_id else ALL_PROVINCES


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The offices of a province ranked by weighted coverage; everyone may look at
    any province (the press is public), starting with their own, and the ministry
    centre with the whole country."""
    user = signed_in(request)
    dashboards.require_view(user)
    form = PeriodForm(
        request.GET or None,
        default="last30",
        provinces=True,
        province_initial=_default_province(user),
    )
    period = form.chosen(jalali.today())
    choice = form.province_choice()
    province_id = None if choice == ALL_PROVINCES else int(choice)
    province = Province.objects.filter(pk=province_id).first() if province_id else None
    coverage = dashboards.province_coverage(province_id=province_id, period=period)
    alerts = list(dashboards.alert_list(viewer=user, province_id=province_id)[:8])
    context = {
        **_period_context(form, coverage),
        "province": province,
        "offices": _office_rows(coverage),
        "series_rows": _series_rows(coverage),
        "stories": _stories(coverage),
        "alerts": alerts,
        "chart": chart_data(coverage, offices=True),
        "articles_url": articles_url(period),
        "negative_url": articles_url(period, tone=Tone.NEGATIVE),
    }
    return render(request, "monitoring/dashboards/overview.html", context)


@login_required
def office_dashboard(request: HttpRequest, office_id: int) -> HttpResponse:
    user = signed_in(request)
    office = dashboards.office_get_for(viewer=user, office_id=office_id)
    form = PeriodForm(request.GET or None, default="last30")
    period = form.chosen(jalali.today())
    coverage = dashboards.office_coverage(office=office, period=period)
    agency = office.agency_id
    context = {
        **_period_context(form, coverage),
        "office": office,
        "series_rows": _series_rows(coverage, agency=agency),
        "stories": _stories(coverage),
        "alerts": list(dashboards.alert_list(viewer=user, office_id=office.pk)[:5]),
        "chart": chart_data(coverage),
        "articles_url": articles_url(period, agency=agency),
        "negative_url": articles_url(period, agency=agency, tone=Tone.NEGATIVE),
    }
    return render(request, "monitoring/dashboards/office.html", context)


@login_required
def campaign_dashboard(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = dashboards.campaign_get_for(viewer=user, campaign_id=campaign_id)
    form = PeriodForm(request.GET or None, default="campaign", campaign=campaign)
    period = form.chosen(jalali.today())
    coverage = dashboards.campaign_coverage(campaign=campaign, period=period)
    context = {
        **_period_context(form, coverage),
        "campaign": campaign,
        "offices": _office_rows(coverage, campaign=campaign.pk),
        "series_rows": _series_rows(coverage, campaign=campaign.pk),
        "stories": _stories(coverage),
        "chart": chart_data(coverage, offices=True),
        "articles_url": articles_url(period, campaign=campaign.pk),
        "negative_url": articles_url(period, campaign=campaign.pk, tone=Tone.NEGATIVE),
    }
    return render(request, "monitoring/dashboards/campaign.html", context)
