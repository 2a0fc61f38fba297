"""HTML pages of news sources: the list with each feed's health, the health page of
one source (its last polls and latest articles), the form, and "read now"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hamseda.core import persian, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Person
from hamseda.monitoring import selectors_sources as selectors
from hamseda.monitoring.forms_sources import SourceFilterForm, SourceForm
from hamseda.monitoring.models import PollOutcome, Source, SourcePoll
from hamseda.monitoring.selectors_sources import Health, health_of
from hamseda.monitoring.services import sources as services

HEALTH_CSS: dict[str, str] = {
    Health.HEALTHY: "text-bg-success",
    Health.FAILING: "text-bg-danger",
    Health.NEVER: "text-bg-secondary",
    Health.INACTIVE: "text-bg-light border",
    Health.NO_FEED: "text-bg-light border",
}
OUTCOME_CSS: dict[str, str] = {
    PollOutcome.OK: "text-bg-success",
    PollOutcome.NOT_MODIFIED: "text-bg-light border",
    PollOutcome.PARTIAL: "text-bg-warning",
    PollOutcome.FAILED: "text-bg-danger",
}
# The poller's problems are short English lines "<code>: <detail>" (monitoring.feeds,
# services.polling); the page shows what each code means.
PROBLEM_LABELS: dict[str, Any] = {
    "bozo": gettext_lazy("ساختار XML خوراک ایراد داشت؛ خبرهای خوانا برداشته شد."),
    "encoding": gettext_lazy("نویسه‌گذاری خوراک نادرست اعلام شده بود و اصلاح شد."),
    "empty": gettext_lazy("پاسخ سرور خالی بود."),
    "item": gettext_lazy("برخی اقلام بی‌تیتر و بی‌متن بودند یا از حد مجاز بیشتر؛ کنار گذاشته شدند."),
    "duplicate": gettext_lazy("برخی اقلام در خود خوراک تکراری بودند و یک بار خوانده شدند."),
    "size": gettext_lazy("پاسخ سرور از حد مجاز بزرگ‌تر بود و بریده شد."),
    "ingest": gettext_lazy("بخشی از خبرها ذخیره نشد؛ در خواندن بعدی دوباره امتحان می‌شود."),
    "alerts": gettext_lazy("خبرها ذخیره شد ولی بررسی هشدارها برای آن‌ها ناموفق بود."),
}


def _can_view(user: Person) -> None:
    if policy.reach(user, "monitoring.view") == Reach.NONE:
        raise PermissionDenied


def _decorate(source: Source, user: Person) -> Source:
    health = health_of(source)
    source.health = health  # type: ignore[attr-defined]
    source.health_label = Health.LABELS[health]  # type: ignore[attr-defined]
    source.health_css = HEALTH_CSS[health]  # type: ignore[attr-defined]
    source.can_manage = policy.can(user, "monitoring.sources", source)  # type: ignore[attr-defined]
    return source


def problem_lines(poll: SourcePoll) -> list[dict[str, str]]:
    lines = []
    for problem in poll.problems or []:
        code = str(problem).split(":", 1)[0].strip()
        label = PROBLEM_LABELS.get(code)
        lines.append({"label": str(label) if label else _("ایراد دیگر"), "detail": str(problem)})
    return lines


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    _can_view(user)
    form = SourceFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.SourceFilters()
    page = page_of(request, selectors.source_list(viewer=user, filters=filters))
    for source in page.object_list:
        _decorate(source, user)
    context = {
        "page_obj": page,
        "form": form,
        "can_create": policy.reach(user, "monitoring.sources") > Reach.NONE,
        "can_clip": policy.reach(user, "monitoring.clip") > Reach.NONE,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "monitoring/sources/_results.html", context)
    return render(request, "monitoring/sources/source_list.html", context)


@login_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    user = signed_in(request)
    _can_view(user)
    source = _decorate(selectors.source_get_for(viewer=user, source_id=source_id), user)
    polls = list(selectors.source_polls(source=source))
    for poll in polls:
        poll.problem_lines = problem_lines(poll)  # type: ignore[attr-defined]
        poll.outcome_css = OUTCOME_CSS.get(poll.outcome, "")  # type: ignore[attr-defined]
    context = {
        "source": source,
        "polls": polls,
        "articles": selectors.source_articles(source=source),
        "history": audit_history(viewer=user, target=source),
    }
    return render(request, "monitoring/sources/source_detail.html", context)


def _form_page(
    request: HttpRequest, form: SourceForm, source: Source | None = None
) -> HttpResponse:
    return render(
        request,
        "monitoring/sources/source_form.html",
        {
            "form": form,
            "source": source,
            "title": _("ویرایش منبع خبری") if source else _("افزودن منبع خبری"),
            "cancel_url": source.get_absolute_url()
            if source
            else reverse("monitoring:source_list"),
        },
    )


@login_required
def source_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "monitoring.sources") == Reach.NONE:
        raise PermissionDenied
    form = SourceForm(request.POST or None, user=user)
    if done := submit(
        request,
        form,
        lambda data: services.source_create(actor=user, **data),
        success=lambda source: _("منبع «%(name)s» ثبت شد.") % {"name": source.name},
    ):
        return done
    return _form_page(request, form)


@login_required
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    user = signed_in(request)
    source = selectors.source_get_for(viewer=user, source_id=source_id)
    policy.require(user, "monitoring.sources", source)
    form = SourceForm(request.POST or None, user=user, instance=source)
    if done := submit(
        request,
        form,
        lambda data: services.source_edit(
            actor=user,
            source=source,
            **{k: v for k, v in data.items() if k in form.fields and not form.fields[k].disabled},
        ),
        success=_("تغییرات منبع ذخیره شد."),
    ):
        return done
    return _form_page(request, form, source)


@login_required
@require_POST
def source_poll(request: HttpRequest, source_id: int) -> HttpResponse:
    user = signed_in(request)
    source = selectors.source_get_for(viewer=user, source_id=source_id)
    last = SourcePoll.objects.filter(source=source).order_by("-id").values_list("id", flat=True)
    before = last.first()
    try:
        services.source_poll_request(actor=user, source=source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(source)
    # Where the worker runs the task at once (eager mode, a fast worker) the result
    # is already in; otherwise the page will show it in a minute or two.
    done = SourcePoll.objects.filter(source=source).order_by("-id").first()
    if done is not None and done.pk != before:
        if done.outcome == PollOutcome.FAILED:
            messages.error(request, _("خواندن خوراک ناموفق بود: %(error)s") % {"error": done.error})
        else:
            messages.success(
                request,
                _("خوراک خوانده شد: %(n)s خبر تازه.")
                % {"n": persian.fa_digits(done.articles_added)},
            )
    else:
        messages.info(
            request,
            _("خواندن خوراک در صف قرار گرفت؛ نتیجه تا دقایقی دیگر در همین صفحه دیده می‌شود."),
        )
    return redirect(source)
