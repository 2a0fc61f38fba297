"""Answers 404 for an address whose page is not written yet."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def not_yet(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
