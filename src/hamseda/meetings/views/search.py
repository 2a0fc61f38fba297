"""Search across minutes, report items, resolutions and follow-ups."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from hamseda.core.auth import signed_in
from hamseda.meetings.search import council_search


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = council_search(viewer=signed_in(request), query=query)
    template = (
        "meetings/partials/_search_results.html"
        if request.htmx  # type: ignore[attr-defined]
        else "meetings/search_results.html"
    )
    return render(request, template, {"results": results, "query": query})


urlpatterns = [path("search/", search, name="search")]
