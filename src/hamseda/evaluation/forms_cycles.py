"""Forms of the ministry centre's evaluation pages: a new cycle, a line of its
catalogue, tier thresholds, the window for objections, evaluators, and the
answer to an objection. They only parse what the user typed (Persian or Latin
digits); the rules live in ``evaluation.services``, whose Persian errors the
views put beside the fields (``core.forms.add_service_errors``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.core import indicators, persian
from hamseda.core.forms_jalali import JalaliDateField
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Person, Province
from hamseda.evaluation.models import (
    LEVELS,
    AppealStatus,
    Criterion,
    CriterionKind,
    Cycle,
    Normalisation,
)
from hamseda.evaluation.services.cycles import provider_choices

QUARTERS = [
    (0, _("سالانه")),
    (1, _("بهار")),
    (2, _("تابستان")),
    (3, _("پاییز")),
    (4, _("زمستان")),
]

_NUMERIC = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
_DECIMAL = {**_NUMERIC, "inputmode": "decimal"}


class _LatinDigits:
    """Numbers typed on a Persian keyboard (۱۴۰۵، ۱۲٫۵) are read like Latin ones."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = persian.en_digits(value).replace("٫", ".").replace("٬", "").strip()
        return super().to_python(value)  # type: ignore[misc]


class NumberField(_LatinDigits, forms.IntegerField):
    widget = forms.TextInput(attrs=_NUMERIC)


class FigureField(_LatinDigits, forms.DecimalField):
    widget = forms.TextInput(attrs=_DECIMAL)


class RealField(_LatinDigits, forms.FloatField):
    widget = forms.TextInput(attrs=_DECIMAL)


# --- cycles ----------------------------------------------------------------------------


class CycleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class CycleCreateForm(forms.Form):
    year = NumberField(
        label=_("سال"),
        min_value=1390,
        max_value=1500,
        help_text=_("سال خورشیدی، مانند ۱۴۰۵"),
    )
    quarter = forms.TypedChoiceField(
        label=_("دوره"), choices=QUARTERS, coerce=int, initial=0, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("عنوان"),
        max_length=200,
        required=False,
        help_text=_("خالی بماند تا عنوان از سال و فصل ساخته شود."),
    )
    copy_from = CycleChoiceField(
        label=_("فهرست شاخص‌ها"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("فهرست پیش‌فرض (۱۵ شاخص، کمی ۶۰ و کیفی ۴۰)"),
        help_text=_(
            "شاخص‌ها، وزن‌ها و سطح‌بندی را از دوره‌ای پیشین رونوشت کنید یا از پیش‌فرض آغاز کنید."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["copy_from"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cycle.objects.all()


class AppealsOpenForm(forms.Form):
    appeals_from = JalaliDateField(
        label=_("آغاز مهلت اعتراض"), required=False, help_text=_("خالی: از امروز")
    )
    days = NumberField(label=_("مهلت (روز)"), min_value=1, max_value=90, initial="۱۴")


class TiersForm(forms.Form):
    """Rows of (label, minimum total): the cycle's tiers and two empty rows to add
    more. An empty row is dropped; the service checks the rest."""

    EXTRA = 2

    def __init__(self, *args: Any, tiers: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = len(tiers) + self.EXTRA
        for index in range(self.rows):
            tier = tiers[index] if index < len(tiers) else {}
            self.fields[f"label_{index}"] = forms.CharField(
                label=_("نام سطح"), max_length=60, required=False, initial=tier.get("label", "")
            )
            low = tier.get("min")
            self.fields[f"min_{index}"] = forms.CharField(
                label=_("کمینه امتیاز"),
                max_length=12,
                required=False,
                initial="" if low is None else persian.fa_digits(_plain(low)),
                widget=forms.TextInput(attrs=_DECIMAL),
            )

    def row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"label_{i}"], self[f"min_{i}"]) for i in range(self.rows)]

    def tiers(self) -> list[dict[str, str]]:
        rows = []
        for index in range(self.rows):
            label = self.cleaned_data.get(f"label_{index}", "").strip()
            low = self.cleaned_data.get(f"min_{index}", "").strip()
            if label or low:
                rows.append({"label": label, "min": low.replace("٫", ".")})
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_bound and not any(data.get(f"label_{i}", "").strip() for i in range(self.rows)):
            raise forms.ValidationError(_("دست‌کم یک سطح لازم است."))
        return data


def _plain(number: Any) -> str:
    """60.0 → "60", 62.5 → "62.5"."""
    value = float(number)
    return str(int(value)) if value.is_integer() else str(value)


# --- the catalogue ---------------------------------------------------------------------


class CriterionForm(forms.Form):
    """One line of the catalogue. The fields of the other kind are ignored (the
    service clears them); the page hides them while a kind is chosen."""

    code = forms.CharField(
        label=_("کد"), max_length=12, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    name = forms.CharField(label=_("عنوان"), max_length=200)
    kind = forms.ChoiceField(
        label=_("نوع"), choices=CriterionKind.choices, widget=forms.RadioSelect
    )
    weight = FigureField(
        label=_("وزن"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text=_("از ۱۰۰؛ جمع وزن همه شاخص‌ها باید ۱۰۰ شود."),
    )
    position = NumberField(label=_("ترتیب"), min_value=0, max_value=999, required=False)
    description = forms.CharField(
        label=_("شرح"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    provider = forms.ChoiceField(label=_("شاخص محاسبه‌شونده"), required=False)
    normalisation = forms.ChoiceField(
        label=_("روش هنجارسازی"),
        required=False,
        choices=[("", "—"), *Normalisation.choices],
    )
    target = RealField(label=_("هدف"), required=False, help_text=_("تنها برای سنجش نسبت به هدف"))

    def __init__(self, *args: Any, criterion: Criterion | None = None, **kwargs: Any) -> None:
        if criterion is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": criterion.code,
                "name": criterion.name,
                "kind": criterion.kind,
                "weight": format(criterion.weight.normalize(), "f"),
                "position": criterion.position,
                "description": criterion.description,
                "provider": criterion.provider,
                "normalisation": criterion.normalisation,
                "target": criterion.target,
                **{f"rubric_{level}": criterion.level_description(level) for level in LEVELS},
            }
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            self.fields[f"rubric_{level}"] = forms.CharField(
                label=_("سطح {level}").format(level=persian.fa_digits(level)),
                max_length=500,
                required=False,
            )
        choices = [("", "—"), *provider_choices()]
        current = criterion.provider if criterion is not None else ""
        if current and current not in indicators.REGISTRY:
            choices.append(
                (current, _("{code} (در این سامانه محاسبه نمی‌شود)").format(code=current))
            )
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service refuses a qualitative criterion without all five levels in
        # one message; here each empty level is marked where it is.
        if data.get("kind") == CriterionKind.QUALITATIVE:
            for level in LEVELS:
                if not data.get(f"rubric_{level}", "").strip():
                    self.add_error(f"rubric_{level}", _("شرح این سطح را بنویسید."))
        return data

    def rubric_fields(self) -> list[forms.BoundField]:
        return [self[f"rubric_{level}"] for level in LEVELS]

    def apply(self, criterion: Criterion) -> Criterion:
        """``criterion`` with what the user typed (the service cleans it)."""
        data = self.cleaned_data
        criterion.code = data["code"]
        criterion.name = data["name"]
        criterion.kind = data["kind"]
        criterion.weight = data["weight"]
        if data.get("position") is not None:
            criterion.position = data["position"]
        criterion.description = data.get("description", "")
        criterion.provider = data.get("provider", "")
        criterion.normalisation = data.get("normalisation", "")
        criterion.target = data.get("target")
        criterion.rubric = [data.get(f"rubric_{level}", "") for level in LEVELS]
        return criterion


# --- evaluators ------------------------------------------------------------------------


class EvaluatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        office = obj.office
        province = office.agency.province if office is not None else None
        where = province.name if province is not None else _("ستاد")
        return f"{obj.display_name} — {Role(obj.role).label}، {where}"


class AssignmentForm(forms.Form):
    """One evaluator, and either chosen offices or every office of a province."""

    evaluator = EvaluatorChoiceField(
        label=_("ارزیاب"), queryset=Person.objects.none(), empty_label=_("برگزینید")
    )
    province = forms.ModelChoiceField(
        label=_("همه روابط عمومی‌های استان"),
        queryset=Province.objects.none(),
        required=False,
        empty_label="—",
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("یا این روابط عمومی‌ها"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evaluator = self.fields["evaluator"]
        assert isinstance(evaluator, forms.ModelChoiceField)
        evaluator.queryset = (
            Person.objects.filter(is_active=True, role__in=[Role.EVALUATOR, Role.MINISTRY_CENTRE])
            .select_related("office__agency__province")
            .order_by("sort_key")
        )
        office_field = self.fields["offices"]
        assert isinstance(office_field, forms.ModelMultipleChoiceField)
        office_field.queryset = offices.order_by("agency__province__sort_key", "sort_key")
        # Shown in one group a province; the queryset still decides what is valid.
        groups: dict[str, list[tuple[int, str]]] = {}
        for office in office_field.queryset:
            province_name = office.agency.province.name if office.agency.province else ""
            groups.setdefault(province_name, []).append((office.pk, office.name))
        office_field.choices = list(groups.items())
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = Province.objects.filter(
            pk__in=offices.values("agency__province_id")
        ).order_by("sort_key")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("province") and not data.get("offices"):
            raise forms.ValidationError(_("استانی یا دست‌کم یک روابط عمومی برگزینید."))
        return data


# --- objections ------------------------------------------------------------------------


class AppealFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("وضعیت"), required=False, choices=[("", _("همه")), *AppealStatus.choices]
    )


class AppealAnswerForm(forms.Form):
    """The ministry's answer; the correction field follows the criterion's kind:
    a value for a quantitative one, a level for a qualitative one, none for an
    objection to the whole score."""

    decision = forms.ChoiceField(
        label=_("نتیجه"),
        choices=[("upheld", _("اعتراض پذیرفته شد")), ("rejected", _("اعتراض رد شد"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("پاسخ"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, criterion: Criterion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        if criterion is None:
            return
        if criterion.is_quantitative:
            self.fields["value"] = RealField(
                label=_("مقدار اصلاح‌شده"),
                required=False,
                min_value=0,
                help_text=_("تنها اگر اعتراض پذیرفته شده و مقدار خوانده‌شده نادرست است."),
            )
        else:
            self.fields["level"] = forms.TypedChoiceField(
                label=_("سطح اصلاح‌شده"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", _("بدون اصلاح")),
                    *(
                        (
                            level,
                            f"{persian.fa_digits(level)} — {criterion.level_description(level)}",
                        )
                        for level in LEVELS
                    ),
                ],
            )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "upheld": data["decision"] == "upheld",
            "answer": data["answer"],
            "value": data.get("value"),
            "level": data.get("level"),
        }
