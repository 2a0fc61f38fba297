"""HTML forms of sources, clippings and CSV import. They collect and check input;
the services (``services.sources``, ``services.clips``) decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.listing import int_param
from hamseda.core.policy import Reach
from hamseda.directory.models import Person, Province
from hamseda.monitoring.models import Source, SourceKind
from hamseda.monitoring.selectors_sources import Health, SourceFilters

# An outlet is registered as one of these; the clippings kind is made by the system.
OUTLET_KINDS = [(value, label) for value, label in SourceKind.choices if value != "clippings"]


class _LtrUrlField(forms.URLField):
    """A web address typed left to right, with Persian digits accepted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("error_messages", {"invalid": _("یک نشانی اینترنتی معتبر وارد کنید.")})
        kwargs.setdefault(
            "widget",
            forms.URLInput(attrs={"dir": "ltr", "inputmode": "url", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(persian.en_digits(str(value or "")).strip()))


class SourceForm(forms.Form):
    name = forms.CharField(label=_("نام رسانه"), max_length=200)
    kind = forms.ChoiceField(label=_("نوع رسانه"), choices=OUTLET_KINDS)
    feed_url = _LtrUrlField(
        label=_("نشانی خوراک RSS/Atom"),
        required=False,
        help_text=_("نشانی‌ای که خبرخوان‌ها می‌خوانند؛ معمولاً در پایین صفحه اول رسانه با نشان RSS."),
    )
    site_url = _LtrUrlField(
        label=_("نشانی وبگاه"),
        required=False,
        help_text=_("بریده‌هایی که پیوندشان از این وبگاه است به این رسانه نسبت داده می‌شوند."),
    )
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("— رسانه سراسری —"),
    )
    weight = forms.FloatField(
        label=_("وزن"),
        min_value=0.0,
        max_value=10.0,
        initial=1.0,
        help_text=Source._meta.get_field("weight").help_text,
        widget=forms.NumberInput(attrs={"step": "0.1", "dir": "ltr"}),
    )
    poll_minutes = forms.IntegerField(
        label=_("فاصله خواندن (دقیقه)"),
        min_value=5,
        max_value=24 * 60,
        initial=30,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    is_active = forms.BooleanField(label=_("فعال"), required=False, initial=True)

    def __init__(
        self, *args: Any, user: Person, instance: Source | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "feed_url": instance.feed_url,
                "site_url": instance.site_url,
                "province": instance.province_id,
                "weight": instance.weight,
                "poll_minutes": instance.poll_minutes,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        provinces = Province.objects.all()
        if policy.reach(user, "monitoring.sources") < Reach.ANY:
            # A council manages its own province's outlets only.
            provinces = provinces.filter(pk=user.province_id or 0)
            self.fields["province"].required = True
            self.fields["province"].empty_label = None  # type: ignore[attr-defined]
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        if instance is not None and instance.kind == SourceKind.CLIPPINGS:
            # The clippings source keeps its kind and has no feed.
            self.fields["kind"].choices = SourceKind.choices  # type: ignore[attr-defined]
            self.fields["kind"].disabled = True
            del self.fields["feed_url"]


class SourceFilterForm(forms.Form):
    """The list's filters (GET); bad values are no filter."""

    q = forms.CharField(label=_("جستجو"), required=False)
    province = forms.ChoiceField(label=_("استان"), required=False)
    kind = forms.ChoiceField(
        label=_("نوع"), required=False, choices=[("", _("همه انواع")), *SourceKind.choices]
    )
    health = forms.ChoiceField(
        label=_("وضعیت"), required=False, choices=[("", _("همه وضعیت‌ها")), *Health.CHOICES]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("جستجوی نام رسانه"), "type": "search", "autocomplete": "off"}
        )
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", _("همه استان‌ها")),
            ("national", _("رسانه‌های سراسری")),
            *((str(p.pk), p.name) for p in Province.objects.all()),
        ]

    def filters(self) -> SourceFilters:
        data = self.data
        province = str(data.get("province") or "")
        kind = str(data.get("kind") or "")
        health = str(data.get("health") or "")
        return SourceFilters(
            query=str(data.get("q") or "").strip(),
            national=province == "national",
            province_id=int_param(data, "province") if province != "national" else None,
            kind=kind if kind in SourceKind.values else "",
            health=health if health in Health.LABELS else "",
        )


class ClipForm(forms.Form):
    """A clipping: a link to read, or a pasted text (with its link, if any)."""

    url = _LtrUrlField(
        label=_("نشانی خبر"),
        required=False,
        help_text=_("متن خبر از همین نشانی خوانده می‌شود؛ اگر نشد، متن را در کادر زیر بچسبانید."),
    )
    title = forms.CharField(label=_("تیتر"), max_length=500, required=False)
    text = forms.CharField(
        label=_("متن خبر"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("اگر تیتر را جدا ننویسید، سطر نخست متن تیتر شمرده می‌شود."),
    )
    source = forms.ModelChoiceField(
        label=_("رسانه"),
        queryset=Source.objects.none(),
        required=False,
        empty_label=_("— تشخیص خودکار —"),
        help_text=_(
            "اگر انتخاب نکنید، رسانه از روی نشانی خبر پیدا می‌شود و گرنه خبر در "
            "بریده‌های دستی استان ثبت می‌شود."
        ),
    )
    published_on = JalaliDateField(label=_("تاریخ انتشار"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (  # type: ignore[attr-defined]
            Source.objects.exclude(kind=SourceKind.CLIPPINGS)
            .filter(is_active=True)
            .select_related("province")
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("نشانی خبر را بنویسید یا متن آن را بچسبانید."))
        return data


class ClipImportForm(forms.Form):
    file = forms.FileField(
        label=_("فایل CSV"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "ستون‌ها: title (تیتر)، text (متن)، url (نشانی)، outlet (نام یا دامنه رسانه)، "
            "published (تاریخ شمسی ۱۴۰۴/۰۵/۲۱ یا میلادی 2025-08-12). با UTF-8 ذخیره کنید؛ "
            "فایل اکسل «CSV» ویندوز فارسی هم خوانده می‌شود."
        ),
    )
