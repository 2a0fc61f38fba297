"""HTML forms of campaigns. They collect and check input; the services decide
(a rule such as "co-owners must be offices of the campaign's province" is in
``campaigns.services``, and its error is shown beside the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import seasons
from hamseda.campaigns.models import Campaign, CampaignKind, Season, TargetMetric
from hamseda.campaigns.selectors import CampaignFilters, When
from hamseda.core import policy
from hamseda.core.forms import UploadField
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.policy import Reach
from hamseda.directory.models import Office, Person, Province

# What the file picker offers first; the server checks again, by content.


def offices_for(province_id: int | None) -> QuerySet[Office]:
    """Offices that may run or join a campaign of the province: its own and the
    national ones (the ministry centre); every office for a national campaign."""
    offices = Office.objects.filter(is_active=True).select_related("agency")
    if province_id is not None:
        offices = offices.filter(
            Q(agency__province_id=province_id) | Q(agency__province__isnull=True)
        )
    return offices.order_by("sort_key")


def is_national_viewer(viewer: Person) -> bool:
    return policy.reach(viewer, "campaign.manage") == Reach.ANY


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


# --- filters ---------------------------------------------------------------------------


class CampaignFilterForm(forms.Form):
    """The filters of the list (a GET form; htmx swaps the results). Without
    any filter, a viewer of a province sees its campaigns and the national ones."""

    q = forms.CharField(label=_("جستجو"), required=False)
    kind = forms.ChoiceField(
        label=_("نوع"), choices=[("", _("همه انواع")), *CampaignKind.choices], required=False
    )
    when = forms.ChoiceField(
        label=_("زمان"), choices=[("", _("همه")), *When.choices], required=False
    )
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.order_by("sort_key"),
        required=False,
        empty_label=_("همه استان‌ها"),
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        self.viewer = viewer
        if viewer.province_id is not None:
            kwargs.setdefault("initial", {"province": viewer.province_id})
        super().__init__(*args, **kwargs)

    def filters(self) -> CampaignFilters:
        if not self.is_bound:
            return CampaignFilters(province_id=self.viewer.province_id)
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        province = data.get("province")
        # ?page=2 alone (a pager link) keeps the default province; an empty
        # choice ("همه استان‌ها") is every province.
        province_id = (
            (province.pk if province else None)
            if "province" in self.data
            else self.viewer.province_id
        )
        return CampaignFilters(
            kind=data.get("kind") or "",
            when=data.get("when") or "",
            query=data.get("q") or "",
            province_id=province_id,
        )


# --- the campaign ----------------------------------------------------------------------


class CampaignForm(forms.Form):
    """Create (``campaign=None``) or edit a campaign. The province is chosen only
    by the ministry centre; others create campaigns of their own province, and
    a campaign never changes province."""

    title = forms.CharField(label=_("عنوان"), max_length=200)
    kind = forms.ChoiceField(label=_("نوع"), choices=CampaignKind.choices)
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.order_by("sort_key"),
        required=False,
        empty_label=_("برنامه ملی (بدون استان)"),
    )
    start_date = JalaliDateField(label=_("آغاز"))
    end_date = JalaliDateField(label=_("پایان"))
    co_owners = forms.ModelMultipleChoiceField(
        label=_("روابط عمومی‌های گرداننده"),
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("گردانندگان، پویش را اداره می‌کنند و خودشان هم مشارکت‌کننده‌اند."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("روابط عمومی‌های مشارکت‌کننده"),
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("شرح"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    hashtags = forms.CharField(
        label=_("هشتگ‌ها"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("هر هشتگ در یک سطر، یا چند هشتگ با نشانه # در یک سطر؛ فاصله‌ها «_» می‌شوند."),
    )
    audiences = forms.CharField(
        label=_("مخاطبان هدف"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("هر گروه مخاطب در یک سطر."),
    )
    keywords = forms.CharField(
        label=_("کلیدواژه‌های رصد رسانه‌ای"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "هر واژه یا عبارت در یک سطر؛ خبری که یکی از آن‌ها یا هشتگ‌های پویش را داشته باشد "
            "بازتاب این پویش شمرده می‌شود."
        ),
    )

    def __init__(
        self,
        *args: Any,
        viewer: Person,
        campaign: Campaign | None = None,
        province_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.campaign = campaign
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": campaign.title,
                    "kind": campaign.kind,
                    "start_date": campaign.start_date,
                    "end_date": campaign.end_date,
                    "co_owners": [o.pk for o in campaign.co_owners.all()],
                    "description": campaign.description,
                    "hashtags": "\n".join(campaign.hashtags or []),
                    "audiences": "\n".join(campaign.audiences or []),
                    "keywords": "\n".join(campaign.keywords or []),
                },
            )
        super().__init__(*args, **kwargs)
        if campaign is not None:
            del self.fields["province"]
            del self.fields["participants"]
            self.province_id = campaign.province_id
        elif is_national_viewer(viewer):
            # The offices offered follow the province chosen (the page reloads
            # the office lists with htmx when it changes).
            chosen = self.data.get("province") if self.is_bound else province_id
            self.province_id = int(chosen) if chosen and str(chosen).isdigit() else None
            self.fields["province"].initial = self.province_id
        else:
            del self.fields["province"]
            self.province_id = viewer.province_id
            self.fields["co_owners"].initial = [viewer.office_id] if viewer.office_id else []
        offices = offices_for(self.province_id)
        self.fields["co_owners"].queryset = offices  # type: ignore[attr-defined]
        if "participants" in self.fields:
            self.fields["participants"].queryset = offices  # type: ignore[attr-defined]

    def chosen_province(self) -> Province | None:
        if "province" in self.fields:
            value: Province | None = self.cleaned_data.get("province")
            return value
        if self.province_id is None:
            return None
        return Province.objects.get(pk=self.province_id)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "title": data["title"],
            "kind": data["kind"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "co_owners": list(data["co_owners"]),
            "description": data["description"],
            "hashtags": _lines(data["hashtags"]),
            "audiences": _lines(data["audiences"]),
            "keywords": _lines(data["keywords"]),
        }
        if self.campaign is None:
            fields["province"] = self.chosen_province()
            fields["participants"] = list(data.get("participants") or [])
        return fields


class SeasonStartForm(forms.Form):
    season = forms.ChoiceField(
        label=_("الگوی فصلی"),
        choices=[(s.value, s.label) for s in Season if s != Season.NONE],
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(label=_("سال (شمسی)"), min_value=seasons.FIRST_YEAR, max_value=1500)
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.order_by("sort_key"),
        required=False,
        empty_label=_("برنامه ملی (بدون استان)"),
    )
    co_owners = forms.ModelMultipleChoiceField(
        label=_("روابط عمومی‌های گرداننده"),
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "اگر برنامه سال قبل در استان ثبت شده باشد و چیزی انتخاب نکنید، "
            "گردانندگان سال قبل می‌مانند."
        ),
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_national_viewer(viewer):
            chosen = self.data.get("province") if self.is_bound else None
            self.province_id = int(chosen) if chosen and str(chosen).isdigit() else None
        else:
            del self.fields["province"]
            self.province_id = viewer.province_id
        province = (
            Province.objects.filter(pk=self.province_id).first() if self.province_id else None
        )
        if not self.is_bound:
            self.fields["season"].initial = Season.NOWRUZ
            self.fields["year"].initial = seasons.next_year(season=Season.NOWRUZ, province=province)
        self.fields["co_owners"].queryset = offices_for(self.province_id)  # type: ignore[attr-defined]

    def chosen_province(self) -> Province | None:
        if "province" in self.fields:
            value: Province | None = self.cleaned_data.get("province")
            return value
        if self.province_id is None:
            return None
        return Province.objects.get(pk=self.province_id)


# --- messages, targets, participants, files -------------------------------------------------


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("متن پیام کلیدی"), widget=forms.Textarea(attrs={"rows": 2}), max_length=600
    )

    def __init__(self, *args: Any, prefix_id: str = "message", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)


class TargetForm(forms.Form):
    label = forms.CharField(label=_("عنوان هدف"), max_length=200)
    metric = forms.ChoiceField(label=_("شیوه شمارش"), choices=TargetMetric.choices)
    activity_kind = forms.ChoiceField(
        label=_("نوع فعالیت"),
        choices=[("", _("— برای شیوه «فعالیت‌های یک نوع» —")), *ActivityKind.choices],
        required=False,
    )
    target_value = forms.IntegerField(label=_("مقدار هدف"), min_value=1)
    baseline_value = forms.IntegerField(
        label=_("مبنا (عملکرد سال قبل)"), min_value=0, required=False
    )

    def __init__(self, *args: Any, prefix_id: str = "target", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)


class TargetRecordForm(forms.Form):
    value = forms.IntegerField(label=_("مقدار تاکنون"), min_value=0)

    def __init__(self, *args: Any, prefix_id: str = "record", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        super().__init__(*args, **kwargs)


class ParticipantForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("روابط عمومی"), queryset=Office.objects.none(), empty_label=_("— انتخاب کنید —")
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "participant_%s")
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for(campaign.province_id).exclude(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in campaign.participants.all()]
        )


class CampaignFileForm(forms.Form):
    title = forms.CharField(
        label=_("عنوان"),
        max_length=200,
        required=False,
        help_text=_("خالی بماند تا نام فایل به کار رود."),
    )
    file = UploadField(
        label=_("فایل"),
        hint=_(
            "PDF، تصویر یا سند Office (مانند بروشور، پوستر یا شیوه‌نامه)؛ حداکثر %(mb)s مگابایت."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "file_%s")
        super().__init__(*args, **kwargs)
