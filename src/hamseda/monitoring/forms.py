"""HTML forms of the articles and stories pages: the search and its filters,
correcting a tone, linking a story to the office's news release."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamseda.activities.forms import campaign_choices
from hamseda.activities.models import Activity
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.listing import int_param
from hamseda.directory.models import Agency, Person, Province
from hamseda.monitoring import selectors
from hamseda.monitoring.models import Source, SourceKind, Tone
from hamseda.monitoring.selectors import ArticleFilters


class _NamedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "title", None) or obj)


class ArticleFilterForm(forms.Form):
    """The search box and filters of the articles list (a GET form; htmx swaps the
    results). The choices stay short: national agencies and outlets and those
    of the viewer's province, or, for a viewer of every province (the ministry
    centre), of the province picked first."""

    q = forms.CharField(
        label=_("جستجو"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("واژه‌های خبر…")}),
    )
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("همه استان‌ها"),
    )
    agency = forms.ModelChoiceField(
        label=_("دستگاه"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("همه دستگاه‌ها"),
    )
    tone = forms.ChoiceField(
        label=_("لحن"), choices=[("", _("همه لحن‌ها")), *Tone.choices], required=False
    )
    campaign = _NamedChoiceField(
        label=_("پویش"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("همه پویش‌ها"),
    )
    source = forms.ModelChoiceField(
        label=_("رسانه"),
        queryset=Source.objects.none(),
        required=False,
        empty_label=_("همه رسانه‌ها"),
    )
    kind = forms.ChoiceField(
        label=_("نوع رسانه"),
        choices=[("", _("همه انواع")), *SourceKind.choices],
        required=False,
    )
    date_from = JalaliDateField(label=_("از تاریخ"), required=False)
    date_to = JalaliDateField(label=_("تا تاریخ"), required=False)

    def __init__(self, data: Any, *, viewer: Person, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.sees_every_province = viewer.province_id is None
        if self.sees_every_province:
            self.fields["province"].queryset = selectors.provinces_for_filter()  # type: ignore[attr-defined]
            province_id = int_param(self.data, "province")
        else:
            del self.fields["province"]
            province_id = viewer.province_id
        self.fields["agency"].queryset = selectors.agencies_for_filter(  # type: ignore[attr-defined]
            province_id=province_id, selected=int_param(self.data, "agency")
        )
        if "source" in self.fields:
            self.fields["source"].queryset = selectors.sources_for_filter(  # type: ignore[attr-defined]
                province_id=province_id, selected=int_param(self.data, "source")
            )
        self.fields["campaign"].queryset = campaign_choices(  # type: ignore[attr-defined]
            viewer,
            period=None,
            province_id=province_id,
            selected=int_param(self.data, "campaign"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("«تا تاریخ» پیش از «از تاریخ» است."))
        return data

    def cleaned(self) -> dict[str, Any]:
        # A stale or mistyped value (1404/13/01, an agency since removed) is shown
        # with its error and left out; the other filters still apply.
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(self) -> ArticleFilters:
        data = self.cleaned()

        def pk(name: str) -> int | None:
            value = data.get(name)
            return value.pk if value is not None else None

        return ArticleFilters(
            q=(data.get("q") or "").strip(),
            agency_id=pk("agency"),
            campaign_id=pk("campaign"),
            source_id=pk("source"),
            source_kind=data.get("kind") or "",
            tone=data.get("tone") or "",
            province_id=pk("province"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def active_count(self) -> int:
        """How many filters (the words aside) are on: shown on the phone's button."""
        return sum(1 for name, value in self.cleaned().items() if value and name != "q")


class StoryFilterForm(ArticleFilterForm):
    """The stories list's filters: the articles', without the outlet ones."""

    def __init__(self, data: Any, *, viewer: Person, **kwargs: Any) -> None:
        super().__init__(data, viewer=viewer, **kwargs)
        del self.fields["source"], self.fields["kind"]
        self.fields["tone"].label = _("لحن خبرها")


class ToneForm(forms.Form):
    tone = forms.ChoiceField(
        label=_("لحن"),
        choices=Tone.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


def release_label(activity: Activity) -> str:
    day = jalali.format_date(activity.start_date)
    return f"{day} · {activity.lead_office.name} · {activity.title}"


class _AnyIdChoiceField(forms.TypedChoiceField):
    """Offers the candidates but takes any id: a release not offered (older than
    the window, say) is looked up and judged by the service like any other."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class StoryLinkForm(forms.Form):
    """Pick the office's news release this story came from (or none), among
    ``selectors.release_candidates``."""

    activity = _AnyIdChoiceField(
        label=_("پیوند به خبر ارسالی"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, candidates: list[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {activity.pk: activity for activity in candidates}
        self.fields["activity"].choices = [  # type: ignore[attr-defined]
            ("", _("بدون پیوند")),
            *((activity.pk, release_label(activity)) for activity in candidates),
        ]
