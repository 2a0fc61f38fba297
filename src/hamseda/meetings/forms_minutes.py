"""Forms of the minutes pages. They parse input; ``meetings.services.minutes`` checks
the rules (due dates, offices, approval) and the views show its errors beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamseda.core.forms_jalali import JalaliDateField
from hamseda.directory.models import Office
from hamseda.meetings.models import Decision, Meeting, ReportItem, Resolution
from hamseda.meetings.services.minutes import RAISED_KINDS


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("شرح جلسه"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "hs-minutes-body"}),
    )
    # The version the text was loaded at; the service refuses a save from an
    # older one (MinutesConflict) instead of overwriting.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("متن مصوبه"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "مثلاً: «جلسات شورا به‌طور منظم برگزار شود» یا «برنامه سفرهای تابستانی تهیه شود»."
        ),
    )
    decision = forms.ChoiceField(
        label=_("تصمیم جلسه"), choices=Decision.choices, widget=forms.RadioSelect
    )
    solution = forms.CharField(
        label=_("راهکار ارائه‌شده"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("برای «حل‌شده در جلسه»."),
    )
    solved_by = forms.CharField(
        label=_("ارائه‌دهنده راهکار"),
        required=False,
        max_length=200,
        help_text=_("برای «حل‌شده در جلسه»؛ نام و سمت."),
    )
    responsible_offices = forms.ModelMultipleChoiceField(
        label=_("مسئول اجرا"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("برای «محول به دستگاه» لازم است؛ برای «ارجاع به وزارتخانه» اختیاری."),
    )
    due_date = JalaliDateField(
        label=_("مهلت انجام"),
        required=False,
        help_text=_("برای «محول به دستگاه» لازم است."),
    )
    source_item = forms.ModelChoiceField(
        queryset=ReportItem.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        instance: Resolution | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": instance.text,
                "decision": instance.decision,
                "solution": instance.solution,
                "solved_by": instance.solved_by,
                "responsible_offices": [o.pk for o in instance.responsible_offices.all()],
                "due_date": instance.due_date,
                "source_item": instance.source_item_id,
            }
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance = instance
        # The council's member offices, in the council's order.
        self.fields["responsible_offices"].queryset = (  # type: ignore[attr-defined]
            Office.objects.filter(memberships__council_id=meeting.council_id).order_by(
                "memberships__position", "sort_key"
            )
        )
        self.fields["source_item"].queryset = ReportItem.objects.filter(  # type: ignore[attr-defined]
            report__meeting=meeting, kind__in=RAISED_KINDS
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["responsible_offices"] = list(data.get("responsible_offices") or ())
        return data
