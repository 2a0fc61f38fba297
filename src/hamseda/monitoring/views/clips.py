"""HTML pages of manual clippings: the clipping form (a link, or pasted text) and the
CSV import (upload, preview with each row's problems, import of the valid rows)."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hamseda.core import persian, policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors
from hamseda.core.policy import Reach
from hamseda.directory.models import Person
from hamseda.monitoring.forms_sources import ClipForm, ClipImportForm
from hamseda.monitoring.services import clips as services


def _can_clip(user: Person) -> None:
    if policy.reach(user, "monitoring.clip") == Reach.NONE:
        raise PermissionDenied


def _clip_page(
    request: HttpRequest, form: ClipForm, *, duplicate: object = None, page_failed: bool = False
) -> HttpResponse:
    return render(
        request,
        "monitoring/clips/clip_form.html",
        {"form": form, "duplicate": duplicate, "page_failed": page_failed},
    )


@login_required
def clip_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    _can_clip(user)
    form = ClipForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _clip_page(request, form)
    data = form.cleaned_data
    try:
        if (data.get("text") or "").strip():
            result = services.clip_create(
                actor=user,
                title=data.get("title") or "",
                text=data["text"],
                url=data.get("url") or "",
                source=data.get("source"),
                published_on=data.get("published_on"),
            )
        else:
            result = services.clip_from_url(
                actor=user,
                url=data["url"],
                title=data.get("title") or "",
                source=data.get("source"),
                published_on=data.get("published_on"),
            )
    except ValidationError as error:
        add_service_errors(form, error)
        # The page could not be read: the text box is the way on.
        return _clip_page(request, form, page_failed="url" in form.errors)
    if not result.created:
        return _clip_page(request, form, duplicate=result.article)
    messages.success(request, _("خبر ثبت شد."))
    return redirect(result.article)


def _payload(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@login_required
def clip_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST with a file: the preview. POST with the previewed
    file (``payload``) and ``confirm``: the import, then its counts."""
    user = signed_in(request)
    _can_clip(user)
    form = ClipImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            data = base64.b64decode(request.POST.get("payload", ""), validate=True)
        except (binascii.Error, ValueError):
            messages.error(request, _("فایل دوباره بارگذاری شود."))
            return redirect("monitoring:clip_import")
        parsed = services.parse_clip_csv(data, actor=user)
        report = services.clip_import(actor=user, rows=parsed.valid_rows)
        report_rejected = parsed.rejected
        messages.success(
            request,
            _(
                "ورود خبرها انجام شد: %(new)s خبر تازه، %(old)s خبر از پیش ثبت‌شده، "
                "%(bad)s سطر رد شد."
            )
            % {
                "new": persian.fa_digits(report.new),
                "old": persian.fa_digits(report.existing),
                "bad": persian.fa_digits(report_rejected),
            },
        )
        context.update(
            form=ClipImportForm(),
            report={"new": report.new, "existing": report.existing, "rejected": report_rejected},
        )
        return render(request, "monitoring/clips/clip_import.html", context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(services.MAX_CSV_BYTES + 1)
        parsed = services.parse_clip_csv(data, actor=user)
        context.update(preview=parsed, payload=_payload(data) if parsed.valid_rows else "")
    return render(request, "monitoring/clips/clip_import.html", context)
