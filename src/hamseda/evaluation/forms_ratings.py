"""Forms of an office's rating, self-assessment and objection pages.

The rating and self-assessment pages hold one small form per qualitative
criterion (prefixed with its code), so that an error stays beside the criterion
it belongs to and everything typed in the others is kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.forms import UploadField
from hamseda.evaluation.models import LEVELS, Criterion
from hamseda.evaluation.services.ratings import EvidenceInput

# Empty evidence rows offered under each criterion; more are added by saving
# and coming back (the saved ones are listed above the rows).
EVIDENCE_ROWS = 2


def _level_choices(criterion: Criterion) -> list[tuple[str, str]]:
    return [
        (str(level), criterion.level_description(level) or persian.fa_digits(level))
        for level in LEVELS
    ]


class LevelForm(forms.Form):
    """A level 1–5 on one criterion's rubric, a comment and evidence rows.

    A criterion left wholly blank is skipped (``is_blank``); one with a
    comment or evidence but no level is an error, so nothing typed is lost
    silently."""

    level = forms.ChoiceField(label=_("سطح"), required=False, widget=forms.RadioSelect, choices=())
    comment = forms.CharField(
        label=_("توضیح"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level_required_message = _("سطح این شاخص را برگزینید.")

    def __init__(self, *args: Any, criterion: Criterion, host: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", criterion.code)
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.host = host
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = _level_choices(criterion)
        for row in range(EVIDENCE_ROWS):
            self.fields[f"evidence_label_{row}"] = forms.CharField(
                label=_("عنوان مستند"), required=False, max_length=200
            )
            self.fields[f"evidence_url_{row}"] = forms.CharField(
                label=_("نشانی صفحه در همصدا"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "/followups/12/"}),
            )
            self.fields[f"evidence_file_{row}"] = UploadField(label=_("یا پرونده"), required=False)

    @property
    def evidence_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                self[f"evidence_label_{row}"],
                self[f"evidence_url_{row}"],
                self[f"evidence_file_{row}"],
            )
            for row in range(EVIDENCE_ROWS)
        ]

    def _local_path(self, url: str) -> str:
        """A full address of this site (copied from the address bar) becomes
        its path; anything else is left for the service to judge."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and self.host and parts.netloc == self.host:
            path = parts.path or "/"
            return f"{path}?{parts.query}" if parts.query else path
        return url

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for row in range(EVIDENCE_ROWS):
            key = f"evidence_url_{row}"
            if data.get(key):
                data[key] = self._local_path(data[key])
            elif (
                data.get(f"evidence_label_{row}")
                and not data.get(f"evidence_file_{row}")
                and not self.has_error(f"evidence_file_{row}")
            ):
                self.add_error(key, _("برای این مستند نشانی صفحه‌ای در همصدا یا پرونده‌ای بدهید."))
        if not data.get("level") and not self.is_blank():
            self.add_error("level", self.level_required_message)
        return data

    def evidence(self) -> list[EvidenceInput]:
        data = self.cleaned_data
        found = []
        for row in range(EVIDENCE_ROWS):
            label = data.get(f"evidence_label_{row}", "")
            url = data.get(f"evidence_url_{row}", "")
            upload = data.get(f"evidence_file_{row}") or None
            if url or upload is not None:
                found.append(EvidenceInput(label=label, url=url, file=upload))
        return found

    def is_blank(self) -> bool:
        """Nothing typed or chosen (read from the raw input, so that it also
        answers for a form whose fields did not validate)."""
        if not self.is_bound:
            return True
        names = ["level", "comment"] + [
            f"evidence_{part}_{row}" for row in range(EVIDENCE_ROWS) for part in ("label", "url")
        ]
        if any((self.data.get(self.add_prefix(name)) or "").strip() for name in names):
            return False
        return not any(
            self.files.get(self.add_prefix(f"evidence_file_{row}")) for row in range(EVIDENCE_ROWS)
        )

    def unchanged(self, level: int | None, comment: str) -> bool:
        """The same level and comment as saved, and no new evidence: nothing to
        save (saving would re-rank the cycle and audit an empty change)."""
        data = self.cleaned_data
        return (
            level is not None
            and data.get("level") == str(level)
            and persian.normalize(data.get("comment", "")) == comment
            and not self.evidence()
        )


class RatingForm(LevelForm):
    comment = forms.CharField(
        label=_("توضیح ارزیاب"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("چرا این سطح؟ روابط عمومی این توضیح را می‌بیند (بی نام شما)."),
    )


class SelfAssessmentForm(LevelForm):
    level = forms.ChoiceField(
        label=_("سطح پیشنهادی"), required=False, widget=forms.RadioSelect, choices=()
    )
    comment = forms.CharField(
        label=_("شرح کارهای انجام‌شده"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ارزیاب این شرح و مستندات را پیش از امتیازدهی می‌بیند."),
    )
    level_required_message = _("سطحی را که برای خود پیشنهاد می‌کنید برگزینید.")


TOTAL = ""  # the choice "the total" of an objection


class AppealForm(forms.Form):
    criterion = forms.ChoiceField(label=_("اعتراض به"), required=False, choices=())
    text = forms.CharField(
        label=_("متن اعتراض"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("بنویسید به کدام عدد و چرا اعتراض دارید؛ اگر سندی هست، نشانی آن را بیاورید."),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = {criterion.code: criterion for criterion in criteria}
        field = self.fields["criterion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(TOTAL, _("کل امتیاز"))] + [
            (criterion.code, f"{criterion.code} — {criterion.name}") for criterion in criteria
        ]

    def chosen_criterion(self) -> Criterion | None:
        return self.criteria.get(self.cleaned_data.get("criterion") or "")
