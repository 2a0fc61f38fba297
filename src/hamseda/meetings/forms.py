"""HTML forms of meetings. They collect and check input; the services write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.forms_jalali import JalaliDateTimeField, JalaliDateTimeInput
from hamseda.directory.models import Council, Office
from hamseda.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    MemberReport,
    ReportItemKind,
    Weekday,
    WeekOfMonth,
)
from hamseda.meetings.services.common import MAX_DURATION, MIN_DURATION

_NUMERIC = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}


class _LatinDigits:
    """Numbers typed on a Persian keyboard (۹۰, ١٠:٣٠) are read like Latin ones."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = persian.en_digits(value).replace("٫", ".").replace("٬", "").strip()
        return super().to_python(value)  # type: ignore[misc]


class NumberField(_LatinDigits, forms.IntegerField):
    widget = forms.TextInput(attrs=_NUMERIC)


class FigureField(_LatinDigits, forms.DecimalField):
    widget = forms.TextInput(attrs={**_NUMERIC, "inputmode": "decimal"})


class ClockField(_LatinDigits, forms.TimeField):
    widget = forms.TimeInput(format="%H:%M", attrs={**_NUMERIC, "placeholder": "۱۰:۰۰"})


def _starts_at_field() -> JalaliDateTimeField:
    # data-jdp-time: the picker offers a clock as well (hamseda.js).
    return JalaliDateTimeField(
        label=_("زمان شروع"), widget=JalaliDateTimeInput(attrs={"data-jdp-time": ""})
    )


def _duration_field(initial: int = 90) -> NumberField:
    return NumberField(
        label=_("مدت (دقیقه)"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=initial
    )


class MeetingForm(forms.Form):
    council = forms.ModelChoiceField(label=_("شورا"), queryset=Council.objects.none())
    title = forms.CharField(
        label=_("عنوان"),
        max_length=250,
        required=False,
        help_text=_("اگر خالی بماند «جلسه شماره …» نوشته می‌شود."),
    )
    starts_at = _starts_at_field()
    duration_minutes = _duration_field()
    place = forms.CharField(label=_("محل برگزاری"), max_length=250)
    in_the_past = forms.BooleanField(
        label=_("این جلسه پیش‌تر برگزار شده است و اکنون ثبت می‌شود"),
        required=False,
        help_text=_("برای ثبت جلسه‌های گذشته از روی صورتجلسه کاغذی"),
    )

    def __init__(self, *args: Any, councils: Any = None, **kwargs: Any) -> None:
        """``councils``: the councils the user may plan for; with one (or when
        editing, ``None``) the field is left out."""
        super().__init__(*args, **kwargs)
        if councils is None:
            del self.fields["in_the_past"]  # only a new meeting can be recorded late
        if councils is None or councils.count() <= 1:
            del self.fields["council"]
        else:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل لغو"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleForm(forms.Form):
    council = forms.ModelChoiceField(label=_("شورا"), queryset=Council.objects.none())
    week_of_month = forms.TypedChoiceField(
        label=_("هفته ماه"), choices=WeekOfMonth.choices, coerce=int
    )
    weekday = forms.TypedChoiceField(label=_("روز هفته"), choices=Weekday.choices, coerce=int)
    every_months = NumberField(
        label=_("هر چند ماه یک بار"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("۱ یعنی هر ماه، ۳ یعنی هر فصل"),
    )
    start_time = ClockField(label=_("ساعت شروع"), initial="10:00")
    duration_minutes = _duration_field()
    place = forms.CharField(label=_("محل برگزاری"), max_length=250)

    def __init__(self, *args: Any, councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if councils.count() <= 1:
            del self.fields["council"]
        else:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("عنوان"), max_length=300)
    presenting_office = forms.ModelChoiceField(
        label=_("ارائه‌دهنده"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("— بدون ارائه‌دهنده —"),
    )
    minutes_allotted = NumberField(label=_("زمان (دقیقه)"), min_value=1, max_value=600, initial=10)
    description = forms.CharField(
        label=_("توضیحات"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, offices: Iterable[Office], item: AgendaItem | None = None, **kwargs: Any
    ) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": item.title,
                "presenting_office": item.presenting_office_id,
                "minutes_allotted": item.minutes_allotted,
                "description": item.description,
            }
        super().__init__(*args, **kwargs)
        ids = [office.pk for office in offices]
        self.fields["presenting_office"].queryset = Office.objects.filter(  # type: ignore[attr-defined]
            pk__in=ids
        ).order_by("sort_key")


# --- member reports --------------------------------------------------------------------


class ReportSummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("خلاصه اقدامات و عملکرد"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportItemForm(forms.Form):
    """One row: a problem, a viewpoint or a suggestion. A row left empty, or
    cleared, is not an item."""

    text = forms.CharField(label=_("متن"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportActionForm(ReportItemForm):
    """One action, with an optional figure: «خبر منتشرشده» ۴۲."""

    figure_label = forms.CharField(label=_("شاخص"), max_length=120, required=False)
    figure_value = FigureField(label=_("مقدار"), max_digits=14, decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        label, value = data.get("figure_label"), data.get("figure_value")
        if (label or value is not None) and not (data.get("text") or "").strip():
            self.add_error("text", _("شرح این اقدام را بنویسید."))
        if label and value is None and "figure_value" not in self.errors:
            self.add_error("figure_value", _("مقدار شاخص را بنویسید."))
        if value is not None and not label:
            self.add_error("figure_label", _("عنوان شاخص را بنویسید."))
        return data


ReportActionFormSet = forms.formset_factory(ReportActionForm, extra=0)
ReportItemFormSet = forms.formset_factory(ReportItemForm, extra=0)

# Empty rows offered beyond the items a report has.
BLANK_ROWS = {ReportItemKind.ACTION: 3}
DEFAULT_BLANK_ROWS = 2


class ReportForms:
    """The report page's form: a summary and one formset of rows per kind.

    ``add_row`` (a kind) answers the «ردیف دیگر» button without JavaScript: the
    posted data comes back with one more empty row of that kind, everything
    typed kept, and nothing saved.
    """

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        report: MemberReport | None = None,
        add_row: str = "",
    ) -> None:
        if data is not None and add_row in ReportItemKind.values:
            data = data.copy()
            key = f"{add_row}-TOTAL_FORMS"
            try:
                data[key] = str(int(data.get(key, "0")) + 1)
            except ValueError:
                data[key] = "1"
        existing: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ReportItemKind.values}
        if report is not None:
            for item in report.items.all():
                existing[item.kind].append(
                    {
                        "text": item.text,
                        "figure_label": item.figure_label,
                        "figure_value": item.figure_value,
                    }
                )
        self.summary = ReportSummaryForm(
            data, initial={"summary": report.summary if report else ""}
        )
        self.sections: list[tuple[str, str, Any]] = []
        for kind, label in ReportItemKind.choices:
            formset_class = (
                ReportActionFormSet if kind == ReportItemKind.ACTION else ReportItemFormSet
            )
            blanks = BLANK_ROWS.get(ReportItemKind(kind), DEFAULT_BLANK_ROWS)
            initial = existing[kind] + [{} for _ in range(blanks)]
            self.sections.append(
                (kind, str(label), formset_class(data, prefix=kind, initial=initial))
            )

    def is_valid(self) -> bool:
        valid = self.summary.is_valid()
        for _kind, _label, formset in self.sections:
            valid = formset.is_valid() and valid
        return valid

    def items(self) -> list[dict[str, Any]]:
        rows = []
        for kind, _label, formset in self.sections:
            for form in formset.forms:
                data = form.cleaned_data
                if not (data.get("text") or "").strip():
                    continue
                rows.append(
                    {
                        "kind": kind,
                        "text": data["text"],
                        "figure_label": data.get("figure_label", ""),
                        "figure_value": data.get("figure_value"),
                    }
                )
        return rows

    @property
    def summary_text(self) -> str:
        return str(self.summary.cleaned_data.get("summary", ""))

    def add_error(self, message: str) -> None:
        self.summary.add_error(None, message)


# --- attendance ------------------------------------------------------------------------


class AttendanceForm(forms.Form):
    """One row per reporting office: status, and who came for it."""

    def __init__(
        self,
        *args: Any,
        offices: Iterable[Office],
        recorded: Mapping[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offices = list(offices)
        for office in self.offices:
            current = recorded.get(office.pk)
            self.fields[f"status_{office.pk}"] = forms.ChoiceField(
                label=_("وضعیت حضور"),
                choices=[("", _("— انتخاب کنید —")), *AttendanceStatus.choices],
                initial=current.status if current else "",
            )
            self.fields[f"attendee_name_{office.pk}"] = forms.CharField(
                label=_("نام حاضر در جلسه"),
                max_length=200,
                required=False,
                initial=current.attendee_name if current else "",
            )
            self.fields[f"attendee_title_{office.pk}"] = forms.CharField(
                label=_("سمت"),
                max_length=200,
                required=False,
                initial=current.attendee_title if current else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for office in self.offices:
            status = data.get(f"status_{office.pk}")
            name = (data.get(f"attendee_name_{office.pk}") or "").strip()
            if status == AttendanceStatus.REPRESENTED and not name:
                self.add_error(f"attendee_name_{office.pk}", _("نام نماینده را بنویسید."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "office": office,
                "status": self[f"status_{office.pk}"],
                "attendee_name": self[f"attendee_name_{office.pk}"],
                "attendee_title": self[f"attendee_title_{office.pk}"],
            }
            for office in self.offices
        ]

    def entries(self) -> list[dict[str, Any]]:
        return [
            {
                "office": office,
                "status": self.cleaned_data[f"status_{office.pk}"],
                "attendee_name": self.cleaned_data[f"attendee_name_{office.pk}"],
                "attendee_title": self.cleaned_data[f"attendee_title_{office.pk}"],
            }
            for office in self.offices
        ]
