"""Forms of the shell."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("نام کاربری یا گذرواژه درست نیست. دوباره امتحان کنید."),
        "inactive": _("این حساب کاربری غیرفعال است."),
    }

    def clean_username(self) -> str:
        # Phones type Persian digits; usernames are stored with Latin ones.
        return persian.en_digits(self.cleaned_data.get("username", "").strip())


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: beside the field it names
    (``fields`` maps a service argument to a differently named form field) when
    the form has that field, at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (fields or {}).get(field, field)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
