"""What every list page shares: a page of rows, and whole-number query parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 30


def page_of(request: HttpRequest, queryset: Any, per_page: int = PER_PAGE) -> Page[Any]:
    """The page named by ``?page=`` (the last one when it is past the end)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def int_param(params: Mapping[str, str], name: str) -> int | None:
    """A filter id from the query string of an HTML page; anything that is not a
    whole number is no filter (a stale bookmark should not be an error page)."""
    try:
        return int(params.get(name) or "") or None
    except ValueError:
        return None
