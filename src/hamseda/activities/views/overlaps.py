"""The chair's overlap report: pairs of activities of different offices that
look like the same work, to merge into one joint activity or to dismiss."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.activities import overlap, selectors, services
from hamseda.core import jalali, policy
from hamseda.core.auth import signed_in
from hamseda.core.listing import int_param
from hamseda.core.policy import Reach
from hamseda.directory.models import Province

# How far back the report looks by default: what is planned, and what was done
# this past month (still worth joining up for its coverage).
DEFAULT_DAYS_BACK = 30


@login_required
def overlap_report(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    granted = policy.reach(user, "activity.merge")
    if granted == Reach.NONE:
        raise PermissionDenied
    province_id = user.province_id
    provinces = None
    if granted == Reach.ANY:
        provinces = Province.objects.order_by("sort_key")
        province_id = int_param(request.GET, "province") or province_id
    since = jalali.today() - dt.timedelta(days=DEFAULT_DAYS_BACK)
    pairs = overlap.council_overlaps(province_id=province_id, since=since) if province_id else []
    return render(
        request,
        "activities/overlap_report.html",
        {
            "pairs": pairs,
            "since": since,
            "provinces": provinces,
            "province_id": province_id,
        },
    )


def _pair(request: HttpRequest) -> tuple[int, int]:
    first, second = int_param(request.POST, "first"), int_param(request.POST, "second")
    if not first or not second:
        raise PermissionDenied
    return first, second


@login_required
@require_POST
def overlap_merge(request: HttpRequest) -> HttpResponse:
    """Fold ``first`` into ``second`` (the report offers both directions)."""
    user = signed_in(request)
    first, second = _pair(request)
    source = selectors.activity_get_for(viewer=user, activity_id=first)
    target = selectors.activity_get_for(viewer=user, activity_id=second)
    try:
        services.activity_merge(actor=user, source=source, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("activities:overlap_report"))
    messages.success(request, _("دو فعالیت یکی شدند؛ هر دو دستگاه در آن شریک‌اند."))
    return redirect(target)


@login_required
@require_POST
def overlap_dismiss(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    first, second = _pair(request)
    a = selectors.activity_get_for(viewer=user, activity_id=first)
    b = selectors.activity_get_for(viewer=user, activity_id=second)
    services.overlap_dismiss(actor=user, first=a, second=b)
    messages.success(request, _("این دو فعالیت کار جداگانه شناخته شدند."))
    return redirect(reverse("activities:overlap_report"))
