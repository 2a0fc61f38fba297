"""HTML forms of activities. They collect and check input; the services decide
(parallel work, dates, messages of the chosen campaigns ...)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.activities import selectors
from hamseda.activities.models import Activity, ActivityKind, ActivityStatus, Channel
from hamseda.activities.selectors import ActivityFilters
from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.core import jalali, policy
from hamseda.core.forms import UploadField
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.listing import int_param
from hamseda.core.policy import Reach
from hamseda.directory import selectors as directory
from hamseda.directory.models import Office, Person, Province


class CampaignChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class MessageChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


def province_offices(province_id: int | None) -> Any:
    return (
        Office.objects.filter(is_active=True, agency__province_id=province_id or 0)
        .select_related("agency")
        .order_by("sort_key")
    )


class ActivityForm(forms.Form):
    """Plan or report an activity. Title, type and date are all a phone user
    must fill; the rest sits under "more details"."""

    title = forms.CharField(label=_("عنوان"), max_length=250)
    kind = forms.ChoiceField(label=_("نوع"), choices=[("", "—"), *ActivityKind.choices])
    status = forms.ChoiceField(
        label=_("وضعیت"),
        choices=[(v, label) for v, label in ActivityStatus.choices if v != "cancelled"],
        initial=ActivityStatus.PLANNED,
        widget=forms.RadioSelect,
    )
    start_date = JalaliDateField(label=_("تاریخ"))
    end_date = JalaliDateField(
        label=_("تا تاریخ"), required=False, help_text=_("برای فعالیت چندروزه")
    )
    office = forms.ModelChoiceField(label=_("دستگاه مجری"), queryset=Office.objects.none())
    description = forms.CharField(
        label=_("شرح"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Drawn by hand (each campaign with its messages), so the inputs carry
    # Bootstrap's class themselves.
    campaigns = CampaignChoiceField(
        label=_("پویش / قرارگاه"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    messages = MessageChoiceField(
        label=_("پیام‌های کلیدی به‌کاررفته"),
        queryset=KeyMessage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("دستگاه‌های همکار"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("اگر این کار را با دستگاه دیگری مشترک انجام می‌دهید"),
    )
    channels = forms.MultipleChoiceField(
        label=_("مجراها"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links = forms.CharField(
        label=_("پیوندها"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("هر پیوند در یک سطر"),
    )
    outcome = forms.CharField(
        label=_("نتیجه و بازتاب"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    audience = forms.IntegerField(label=_("شمار مخاطبان"), required=False, min_value=0)
    overlap_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.activity = activity
        if activity is not None:
            office: Office | None = activity.lead_office
            del self.fields["office"], self.fields["partners"], self.fields["overlap_confirmed"]
            self.fields["status"].choices = ActivityStatus.choices  # type: ignore[attr-defined]
        elif policy.reach(viewer, "activity.edit") == Reach.ANY or viewer.office_id is None:
            # Administrators record for any office; everyone else for their own.
            self.fields["office"].queryset = (  # type: ignore[attr-defined]
                Office.objects.filter(is_active=True).select_related("agency").order_by("sort_key")
            )
            office = self._bound_office() or viewer.office
            if viewer.office_id is not None:
                self.fields["office"].initial = viewer.office_id
        else:
            del self.fields["office"]
            office = viewer.office
        self.lead_office = office
        on = self._bound_date() or jalali.today()
        include = tuple(c.pk for c in activity.campaigns.all()) if activity else ()
        campaigns = selectors.campaigns_open_for(office=office, on=on, include=include)
        self.fields["campaigns"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["messages"].queryset = KeyMessage.objects.filter(  # type: ignore[attr-defined]
            campaign__in=campaigns
        ).select_related("campaign")
        if "partners" in self.fields:
            province_id = office.agency.province_id if office is not None else None
            partners = province_offices(province_id)
            if office is not None:
                partners = partners.exclude(pk=office.pk)
            self.fields["partners"].queryset = partners  # type: ignore[attr-defined]

    def _bound_office(self) -> Office | None:
        raw = self.data.get("office") if self.is_bound else None
        if raw and str(raw).isdigit():
            return Office.objects.select_related("agency").filter(pk=int(raw)).first()
        return None

    def _bound_date(self) -> dt.date | None:
        if not self.is_bound:
            initial = self.initial.get("start_date")
            return initial if isinstance(initial, dt.date) else None
        try:
            return self.fields["start_date"].clean(self.data.get("start_date"))  # type: ignore[no-any-return]
        except forms.ValidationError:
            return None

    def campaign_groups(self) -> list[dict[str, Any]]:
        """The offered campaigns, each with its key messages' checkboxes: the
        messages are at hand next to the campaign they belong to."""
        field = self["messages"]
        by_campaign: dict[int, list[Any]] = {}
        messages = {m.pk: m for m in self.fields["messages"].queryset}  # type: ignore[attr-defined]
        for option in field:
            message = messages.get(int(str(option.data["value"])))
            if message is not None:
                by_campaign.setdefault(message.campaign_id, []).append(
                    {"option": option, "text": message.text}
                )
        groups = []
        for option in self["campaigns"]:
            campaign_id = int(str(option.data["value"]))
            groups.append({"option": option, "messages": by_campaign.get(campaign_id, [])})
        return groups

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {
            "title": data["title"],
            "kind": data["kind"],
            "status": data["status"],
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
            "description": data.get("description") or "",
            "campaigns": list(data.get("campaigns") or []),
            "messages": list(data.get("messages") or []),
            "channels": list(data.get("channels") or []),
            "links": (data.get("links") or "").splitlines(),
            "outcome": data.get("outcome") or "",
            "audience": data.get("audience"),
        }
        if "partners" in self.fields:
            kwargs["partners"] = list(data.get("partners") or [])
        return kwargs

    def office_for_save(self) -> Office | None:
        if "office" in self.fields:
            office: Office | None = self.cleaned_data.get("office")
            return office
        return self.viewer.office


def activity_initial(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "kind": activity.kind,
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date if activity.end_date != activity.start_date else None,
        "description": activity.description,
        "campaigns": list(activity.campaigns.all()),
        "messages": list(activity.messages.all()),
        "channels": activity.channels,
        "links": "\n".join(activity.links),
        "outcome": activity.outcome,
        "audience": activity.audience,
    }


class JoinForm(forms.Form):
    note = forms.CharField(
        label=_("سهم دستگاه ما"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("عنوان"), max_length=200, required=False)
    file = UploadField(label=_("فایل"))


# --- filters -------------------------------------------------------------------------


def campaign_choices(
    viewer: Person,
    *,
    period: tuple[dt.date, dt.date] | None,
    province_id: int | None,
    selected: int | None,
) -> QuerySet[Campaign]:
    """Campaigns national or of the province (running in ``period`` when one is
    given), plus the selected one, so that a filter survives paging to a month
    the campaign does not reach."""
    if policy.reach(viewer, "campaign.view") == Reach.NONE:
        return Campaign.objects.none()
    offered = Q(province__isnull=True) | Q(province_id=province_id)
    if period is not None:
        start, end = period
        offered &= Q(start_date__lte=end, end_date__gte=start)
    if selected is not None:
        offered |= Q(pk=selected)
    return Campaign.objects.filter(offered).order_by("-start_date", "pk")


class ScopeFilterForm(forms.Form):
    """Office, campaign and kind (and, for those who see every province, the
    province): the filters of the calendar pages, and the first ones of the
    list. A GET form whose values travel in every link of the page (month,
    week and list; previous and next)."""

    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("همه استان‌ها"),
    )
    office = forms.ModelChoiceField(
        label=_("دستگاه"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("همه دستگاه‌ها"),
    )
    campaign = forms.ModelChoiceField(
        label=_("پویش"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("همه پویش‌ها"),
    )
    kind = forms.ChoiceField(
        label=_("نوع فعالیت"),
        choices=[("", _("همه انواع")), *ActivityKind.choices],
        required=False,
    )

    def __init__(
        self,
        data: Any,
        *,
        viewer: Person,
        period: tuple[dt.date, dt.date] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.sees_every_province = policy.reach(viewer, "activity.view") == Reach.ANY
        if self.sees_every_province:
            # The ministry centre and evaluators: pick a province first; with
            # none, the offices are the national ones.
            self.fields["province"].queryset = Province.objects.order_by("sort_key")  # type: ignore[attr-defined]
            province_id = int_param(self.data, "province")
        else:
            del self.fields["province"]
            province_id = viewer.province_id
        offices = directory.office_list(viewer=viewer, province_id=province_id)
        if province_id is None:
            offices = offices.filter(agency__province__isnull=True)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaign_choices(  # type: ignore[attr-defined]
            viewer,
            period=period,
            province_id=province_id,
            selected=int_param(self.data, "campaign"),
        )

    def cleaned(self) -> dict[str, Any]:
        # A stale or mistyped value (an office of another province, 1404/13/01)
        # is shown with its error and left out; the other filters still apply.
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(
        self, *, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> ActivityFilters:
        data = self.cleaned()
        province, office, campaign = data.get("province"), data.get("office"), data.get("campaign")
        return ActivityFilters(
            office_id=office.pk if office else None,
            campaign_id=campaign.pk if campaign else None,
            kind=data.get("kind") or "",
            province_id=province.pk if province else None,
            date_from=date_from,
            date_to=date_to,
        )

    def query(self) -> dict[str, str]:
        """The valid filters as query parameters, for the page's links."""
        params: dict[str, str] = {}
        for name, value in self.cleaned().items():
            if value:
                params[name] = str(value.pk if hasattr(value, "pk") else value)
        return params


class ActivityFilterForm(ScopeFilterForm):
    """The filters of the list: the calendar's, plus words, status, joint work
    and dates (htmx swaps the results)."""

    q = forms.CharField(label=_("جستجو"), required=False)
    status = forms.ChoiceField(
        label=_("وضعیت"),
        choices=[("", _("همه وضعیت‌ها")), *ActivityStatus.choices],
        required=False,
    )
    joint = forms.ChoiceField(
        label=_("مشارکت"),
        choices=[("", _("همه")), ("yes", _("مشترک")), ("no", _("یک‌دستگاهی"))],
        required=False,
    )
    date_from = JalaliDateField(label=_("از تاریخ"), required=False)
    date_to = JalaliDateField(label=_("تا تاریخ"), required=False)

    def filters(
        self, *, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> ActivityFilters:
        data = self.cleaned()
        joint = data.get("joint")
        return replace(
            super().filters(
                date_from=data.get("date_from") or date_from,
                date_to=data.get("date_to") or date_to,
            ),
            status=data.get("status") or "",
            query=data.get("q") or "",
            joint=None if not joint else joint == "yes",
        )
