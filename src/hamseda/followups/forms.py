"""HTML forms of follow-ups and the ministry inbox. They collect and check input;
the services decide (a rule such as "closing needs a note or evidence" is in the
service, and its error is shown beside the field with ``add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamseda.core import policy
from hamseda.core.forms import UploadField
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.policy import Reach, Role
from hamseda.directory.models import Council, Office, Person, Province
from hamseda.followups import selectors
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.selectors import FollowUpFilters, ReferralFilters, State

# --- filters -----------------------------------------------------------------------


class FollowUpFilterForm(forms.Form):
    """The filters of the list and the board (a GET form; htmx swaps the results)."""

    office = forms.ModelChoiceField(
        label=_("روابط عمومی مسئول"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("همه روابط عمومی‌ها"),
    )
    status = forms.ChoiceField(
        label=_("وضعیت"), choices=[("", _("همه وضعیت‌ها")), *State.choices], required=False
    )
    council = forms.ModelChoiceField(
        label=_("شورا"),
        queryset=Council.objects.none(),
        required=False,
        empty_label=_("همه شوراها"),
    )
    due_from = JalaliDateField(label=_("مهلت از"), required=False)
    due_to = JalaliDateField(label=_("مهلت تا"), required=False)

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(is_active=True).order_by("sort_key")
        if policy.reach(viewer, "meeting.view") == Reach.ANY:
            self.fields["council"].queryset = Council.objects.select_related(  # type: ignore[attr-defined]
                "province"
            ).order_by("province__sort_key")
            council_id = self.data.get("council") if self.is_bound else None
            if council_id and str(council_id).isdigit():
                offices = offices.filter(councils=int(council_id))
        else:
            # Only the ministry centre sees more than one council.
            del self.fields["council"]
            offices = offices.filter(agency__province_id=viewer.province_id or 0)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]

    def filters(self) -> FollowUpFilters:
        """The valid filters; a field typed wrongly (1404/13/01) is shown with its
        error and left out, the others still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        office = data.get("office")
        council = data.get("council")
        return FollowUpFilters(
            office_id=office.pk if office else None,
            state=data.get("status") or "",
            council_id=council.pk if council else None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )


class ReferralFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.order_by("sort_key"),
        required=False,
        empty_label=_("همه استان‌ها"),
    )
    answered = forms.ChoiceField(
        label=_("پاسخ"),
        choices=[("", _("همه")), ("no", _("بی‌پاسخ")), ("yes", _("پاسخ‌داده"))],
        required=False,
    )
    department = forms.ChoiceField(label=_("واحد وزارتخانه"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", _("همه واحدها")),
            *((name, name) for name in selectors.referral_departments()),
        ]

    def filters(self) -> ReferralFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        province = data.get("province")
        answered = {"yes": True, "no": False}.get(data.get("answered") or "")
        return ReferralFilters(
            province_id=province.pk if province else None,
            answered=answered,
            department=data.get("department") or "",
        )


# --- follow-up actions -------------------------------------------------------------


class FollowUpUpdateForm(forms.Form):
    text = forms.CharField(label=_("شرح اقدام یا پیشرفت"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label=_("وضعیت"),
        choices=[
            ("", _("بدون تغییر")),
            (FollowUpStatus.OPEN, FollowUpStatus.OPEN.label),
            (FollowUpStatus.IN_PROGRESS, FollowUpStatus.IN_PROGRESS.label),
        ],
        required=False,
    )
    attachment = UploadField(label=_("پیوست (مدرک)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "update_%s")
        super().__init__(*args, **kwargs)


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(
        label=_("توضیح انجام کار"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("برای بستن، توضیح یا مدرک (یا هر دو) لازم است."),
    )
    attachment = UploadField(label=_("مدرک انجام کار"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)


class FollowUpReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("دلیل بازگشایی"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reopen_%s")
        super().__init__(*args, **kwargs)


class FollowUpCancelForm(forms.Form):
    reason = forms.CharField(label=_("دلیل لغو"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpReassignForm(forms.Form):
    offices = forms.ModelMultipleChoiceField(
        label=_("روابط عمومی مسئول"),
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = JalaliDateField(label=_("مهلت انجام"))

    def __init__(self, *args: Any, followup: FollowUp, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "offices": [office.pk for office in followup.offices.all()],
                "due_date": followup.due_date,
            },
        )
        super().__init__(*args, **kwargs)
        # The council's member offices first, then the province's other offices.
        self.fields["offices"].queryset = Office.objects.filter(  # type: ignore[attr-defined]
            is_active=True, agency__province_id=followup.council.province_id
        ).order_by("sort_key")


# --- ministry inbox ----------------------------------------------------------------


class ReferralAssignForm(forms.Form):
    department = forms.CharField(label=_("واحد مسئول در وزارتخانه"), max_length=200)
    assignee = forms.ModelChoiceField(
        label=_("کارشناس مسئول"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— هنوز تعیین نشده —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            role=Role.MINISTRY_CENTRE, is_active=True
        ).order_by("sort_key")


class ReferralReplyForm(forms.Form):
    reply = forms.CharField(label=_("پاسخ وزارتخانه"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
