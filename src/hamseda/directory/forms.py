"""HTML forms of the directory. They collect and check input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.policy import Reach, Role, Scope
from hamseda.directory.models import (
    Agency,
    AgencyKind,
    Council,
    MembershipRole,
    Office,
    Person,
    Province,
)
from hamseda.directory.services import PERSON_FIELDS


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("نام دستگاه"), max_length=200)
    short_name = forms.CharField(label=_("نام کوتاه"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("نوع دستگاه"), choices=AgencyKind.choices)
    province = forms.ModelChoiceField(
        label=_("استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("— دستگاه ملی —"),
    )
    parent = forms.ModelChoiceField(
        label=_("دستگاه بالادست"), queryset=Agency.objects.none(), required=False
    )
    website = forms.URLField(label=_("وبگاه"), required=False, assume_scheme="https")
    aliases = forms.CharField(
        label=_("نام‌های دیگر"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("هر نام در یک سطر؛ نام‌هایی که رسانه‌ها برای این دستگاه به کار می‌برند."),
    )
    description = forms.CharField(
        label=_("توضیحات"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Person, instance: Agency | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "short_name": instance.short_name,
                "kind": instance.kind,
                "province": instance.province_id,
                "parent": instance.parent_id,
                "website": instance.website,
                "description": instance.description,
                "aliases": "\n".join(a.name for a in instance.aliases.all()),
            }
        super().__init__(*args, **kwargs)
        self.user = user
        provinces = Province.objects.all()
        if policy.reach(user, "agency.create") < Reach.ANY:
            provinces = provinces.filter(pk=user.province_id or 0)
            self.fields["province"].required = True
            self.fields["province"].empty_label = None  # type: ignore[attr-defined]
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        parents = Agency.objects.filter(is_active=True).select_related("province")
        if policy.reach(user, "agency.create") < Reach.ANY:
            # A provincial agency's parent is national or of the same province.
            parents = parents.filter(
                Q(province__isnull=True) | Q(province_id=user.province_id or 0)
            )
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        return persian.normalize(self.cleaned_data["name"])

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class OfficeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Office
        fields = ["name", "email", "phone", "address"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }


class CouncilForm(forms.ModelForm):  # type: ignore[type-arg]
    established_on = JalaliDateField(label=_("تاریخ تشکیل"), required=False)

    class Meta:
        model = Council
        fields = ["name", "secretary", "established_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council: Council = self.instance
        self.fields["secretary"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            office__agency__province_id=council.province_id, is_active=True
        ).select_related("office")


class MembershipForm(forms.Form):
    office = forms.ModelChoiceField(label=_("روابط عمومی"), queryset=Office.objects.none())
    role = forms.ChoiceField(
        label=_("نقش در شورا"),
        choices=[c for c in MembershipRole.choices if c[0] != MembershipRole.CHAIR],
    )
    position = forms.IntegerField(label=_("ردیف"), min_value=1, max_value=999, initial=100)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = (  # type: ignore[attr-defined]
            Office.objects.filter(agency__province_id=council.province_id, is_active=True)
            .exclude(memberships__council=council)
            .order_by("sort_key")
        )


def _office_choices(user: Person, action: str) -> Any:
    offices = Office.objects.filter(is_active=True).select_related("agency__province")
    granted = policy.reach(user, action)
    if granted == Reach.ANY:
        return offices
    if granted == Reach.PROVINCE:
        return offices.filter(agency__province_id=user.province_id or 0)
    return offices.none()


class PersonForm(forms.Form):
    username = forms.CharField(
        label=_("نام کاربری"),
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("حروف لاتین، رقم و نشانه‌های ‎@ . + - _‎"),
    )
    first_name = forms.CharField(label=_("نام"), max_length=150)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=150)
    office = forms.ModelChoiceField(label=_("روابط عمومی"), queryset=Office.objects.none())
    role = forms.ChoiceField(label=_("نقش"), choices=())
    job_title = forms.CharField(label=_("سمت"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("رایانامه"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("تلفن همراه"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )

    def __init__(
        self, *args: Any, user: Person, instance: Person | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name) for name in PERSON_FIELDS if name != "is_active"
            } | {"office": instance.office_id}
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        action = "person.edit" if instance else "person.create"
        self.fields["office"].queryset = _office_choices(user, action)  # type: ignore[attr-defined]
        allowed = policy.assignable_roles(user)
        roles = [(value, label) for value, label in Role.choices if value in allowed]
        if instance is not None and instance.role not in allowed:
            # A role the editor may not hand out stays shown, but cannot be changed.
            roles = [(instance.role, Role(instance.role).label)]
            self.fields["role"].disabled = True
        self.fields["role"].choices = roles  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        username = persian.en_digits(self.cleaned_data["username"].strip())
        clash = Person.objects.filter(username__iexact=username)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("این نام کاربری پیش‌تر گرفته شده است."))
        return username

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the person services take it: no passwords, and no
        role when the editor may not change it (the field is then disabled)."""
        data = dict(self.cleaned_data)
        data.pop("password1", None)
        data.pop("password2", None)
        if self.fields["role"].disabled:
            data.pop("role", None)
        return data

    def scope(self) -> Scope:
        office: Office = self.cleaned_data["office"]
        return Scope(office.province_id, office.pk)


class PersonCreateForm(PersonForm):
    password1 = forms.CharField(
        label=_("گذرواژه"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "dir": "ltr"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("تکرار گذرواژه"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "dir": "ltr"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("دو گذرواژه یکسان نیستند."))
        return data
