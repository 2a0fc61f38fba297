"""HTML forms of the broadcast app. They collect and check input; the services
decide (their ValidationErrors are shown beside the fields by
``core.forms.submit``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.broadcast.models import Outcome, Pitch, PitchFormat, PitchStatus
from hamseda.broadcast.selectors import PitchFilters
from hamseda.broadcast.services import Decision
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.forms import UploadField
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.directory.models import Office, Person


def campaigns_for(office: Office | None) -> QuerySet[Campaign]:
    """Campaigns a pitch may belong to: running or coming ones of the office's
    province and the national ones."""
    campaigns = Campaign.objects.filter(end_date__gte=jalali.today())
    if office is not None and office.province_id is not None:
        campaigns = campaigns.filter(Q(province_id=office.province_id) | Q(province__isnull=True))
    return campaigns.order_by("-start_date", "pk")


class PitchFilterForm(forms.Form):
    q = forms.CharField(label=_("جستجو"), required=False)
    status = forms.ChoiceField(
        label=_("وضعیت"), choices=[("", _("همه وضعیت‌ها")), *PitchStatus.choices], required=False
    )
    format = forms.ChoiceField(
        label=_("قالب"), choices=[("", _("همه قالب‌ها")), *PitchFormat.choices], required=False
    )
    office = forms.ModelChoiceField(
        label=_("روابط عمومی"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("همه روابط عمومی‌ها"),
    )

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(is_active=True).select_related("agency")
        if viewer.province_id is not None:
            offices = offices.filter(agency__province_id=viewer.province_id)
        self.fields["office"].queryset = offices.order_by("sort_key")  # type: ignore[attr-defined]

    def filters(self) -> PitchFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        office = data.get("office")
        return PitchFilters(
            status=data.get("status") or "",
            format=data.get("format") or "",
            office_id=office.pk if office else None,
            query=data.get("q") or "",
        )


class PitchForm(forms.Form):
    title = forms.CharField(label=_("عنوان سوژه"), max_length=200)
    format = forms.ChoiceField(label=_("قالب پیشنهادی"), choices=PitchFormat.choices)
    summary = forms.CharField(
        label=_("خلاصه سوژه"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("ماجرا چیست، چه کسانی در آن‌اند و چه چیزی دیدنی است."),
    )
    why = forms.CharField(
        label=_("چرا مهم است"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("چرا مخاطب صدا و سیما باید این را ببیند؛ امید، خدمت، یا پاسخ به یک پرسش."),
    )
    interviewees = forms.CharField(
        label=_("مصاحبه‌شوندگان پیشنهادی"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    place = forms.CharField(label=_("مکان"), max_length=200, required=False)
    campaign = forms.ModelChoiceField(
        label=_("پویش"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("بدون پویش"),
    )
    file = UploadField(label=_("پیوست (عکس، سند)"), required=False)

    def __init__(
        self, *args: Any, office: Office | None, pitch: Pitch | None = None, **kwargs: Any
    ) -> None:
        if pitch is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": pitch.title,
                    "format": pitch.format,
                    "summary": pitch.summary,
                    "why": pitch.why,
                    "interviewees": pitch.interviewees,
                    "place": pitch.place,
                    "campaign": pitch.campaign_id,
                },
            )
        super().__init__(*args, **kwargs)
        campaigns = campaigns_for(office)
        if pitch is not None and pitch.campaign_id:
            campaigns = Campaign.objects.filter(
                Q(pk__in=campaigns.values("pk")) | Q(pk=pitch.campaign_id)
            ).order_by("-start_date", "pk")
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("title", "format", "summary", "why", "interviewees", "place", "campaign")
        }
        fields["files"] = [data["file"]] if data.get("file") else []
        return fields


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("تصمیم"),
        choices=[
            (Decision.APPROVE, _("تأیید برای ارسال به صدا و سیما")),
            (Decision.RETURN, _("بازگرداندن برای اصلاح")),
            (Decision.REJECT, _("رد")),
        ],
        widget=forms.RadioSelect,
        initial=Decision.APPROVE,
    )
    comment = forms.CharField(
        label=_("نظر"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("برای بازگرداندن یا رد، نوشتن دلیل لازم است."),
    )


class PitchChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.office.name} ({obj.get_format_display()})"


class DispatchForm(forms.Form):
    subject = forms.CharField(
        label=_("موضوع نامه"),
        max_length=250,
        initial=_("ارسال ایده‌ها و سوژه‌های پیشنهادی روابط عمومی‌های عضو شورا"),
    )
    date = JalaliDateField(label=_("تاریخ نامه"))
    intro = forms.CharField(
        label=_("متن نامه"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        initial=_(
            "با سلام و احترام، در راستای هم‌افزایی و اطلاع‌رسانی منسجم، ایده‌ها و سوژه‌های "
            "امیدآفرین دستگاه‌های عضو شورای هماهنگی روابط عمومی‌ها که به تأیید رسیده است، "
            "جهت بهره‌برداری در برنامه‌های آن مرکز به شرح زیر تقدیم می‌شود. پیشاپیش از "
            "همکاری صمیمانه سپاسگزاریم."
        ),
    )
    pitches = PitchChoiceField(
        label=_("سوژه‌های تأییدشده"),
        queryset=Pitch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, ready: QuerySet[Pitch], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", jalali.today())
        kwargs["initial"].setdefault("pitches", list(ready.values_list("pk", flat=True)))
        super().__init__(*args, **kwargs)
        self.fields["pitches"].queryset = ready  # type: ignore[attr-defined]


class SendForm(forms.Form):
    to = forms.EmailField(label=_("رایانامه گیرنده"))


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("پاسخ صدا و سیما"), choices=Outcome.choices)
    aired_on = JalaliDateField(label=_("تاریخ پخش"), required=False)
    programme = forms.CharField(
        label=_("برنامه"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "broadcast-programmes"}),
    )
    link = forms.URLField(label=_("پیوند"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("توضیح"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, programmes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programmes = programmes or []


class ContactForm(forms.Form):
    name = forms.CharField(label=_("نام مرکز صدا و سیما"), max_length=200)
    email = forms.EmailField(label=_("رایانامه"))
    contact_person = forms.CharField(label=_("مخاطب نامه"), max_length=200, required=False)
    phone = forms.CharField(label=_("تلفن"), max_length=40, required=False)
    programmes = forms.CharField(
        label=_("برنامه‌ها"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("هر برنامه در یک سطر؛ در ثبت پاسخ صدا و سیما پیشنهاد می‌شوند."),
    )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["programmes"] = [line for line in data["programmes"].splitlines() if line.strip()]
        return data
