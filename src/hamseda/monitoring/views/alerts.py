"""The alerts page: what the press said that the viewer's office (a council's
chair and secretary: their province; the ministry centre: everyone) was warned
about, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hamseda.core.auth import signed_in
from hamseda.core.listing import page_of
from hamseda.monitoring import dashboards
from hamseda.monitoring.models import AlertKind


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    dashboards.require_view(user)
    kind = request.GET.get("kind", "")
    if kind not in AlertKind.values:
        kind = ""
    page = page_of(request, dashboards.alert_list(viewer=user, kind=kind))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page,
        "kind": kind,
        "kinds": AlertKind.choices,
        "query": query.urlencode(),
    }
    return render(request, "monitoring/alerts/alert_list.html", context)
