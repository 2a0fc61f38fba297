"""Forms of the shell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.attachments import max_bytes, validate_attachment


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


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    next_url: Any = None,
    fields: dict[str, str] | None = None,
) -> HttpResponse | None:
    """The POST half of every form page.

    When the request is a POST and ``form`` is valid, ``save`` (a service call)
    runs with the cleaned data. On success: a flash message and a redirect to
    ``next_url`` (a URL, a model, or a function of what ``save`` returned; by
    default what ``save`` returned). A service ``ValidationError`` goes onto the
    form beside its fields. Returns None when the page is to be drawn (again):
    a GET, or errors — the form keeps everything the user typed.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(dict(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error, fields)
        return None
    messages.success(request, success(result) if callable(success) else success)
    target = next_url(result) if callable(next_url) else (next_url or result)
    return redirect(target)


# --- uploads -----------------------------------------------------------------------

# What the file picker offers first; the server checks again, by content
# (``core.attachments``).
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,"
    "application/pdf,image/*"
)


class UploadField(forms.FileField):
    """A file input for evidence and documents: the picker offers the accepted
    types, the content is checked by ``core.attachments``, and the help text
    states the size limit, a setting read each time the field is shown."""

    default_validators = [validate_attachment]

    def __init__(self, *, hint: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        self._hint = hint or _("PDF، تصویر یا سند Office؛ حداکثر %(mb)s مگابایت.")
        super().__init__(**kwargs)

    @property
    def help_text(self) -> str:
        return str(self._hint) % {"mb": persian.fa_digits(max_bytes() // (1024 * 1024))}

    @help_text.setter
    def help_text(self, value: Any) -> None:
        if value:
            self._hint = value
