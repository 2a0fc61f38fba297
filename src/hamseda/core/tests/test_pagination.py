"""The pager draws the first and last pages, two either side of the current one
and an ellipsis where pages are left out, however many pages there are."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from hamseda.core.persian import en_digits


def _request(number: int):
    request = RequestFactory().get("/social/", {"q": "مسکن", "page": number})
    request.user = AnonymousUser()
    return request


def _pager(count: int, number: int) -> list[str]:
    page = Paginator(range(count), 20).page(number)
    request = _request(number)
    html = render_to_string("partials/_pagination.html", {"page_obj": page}, request=request)
    items = re.findall(
        r'<li class="page-item[^"]*"[^>]*><(?:a|span) class="page-link"[^>]*>(.*?)</', html
    )
    return [en_digits(item) for item in items if "bi-chevron" not in item]


def test_a_page_in_the_middle_of_six_thousand():
    assert _pager(120_000, 50) == ["1", "…", "48", "49", "50", "51", "52", "…", "6000"]


def test_the_first_and_the_last_page():
    assert _pager(120_000, 1) == ["1", "2", "3", "…", "6000"]
    assert _pager(120_000, 6000) == ["1", "…", "5998", "5999", "6000"]


def test_few_pages_are_all_shown_and_links_keep_the_filters():
    assert _pager(100, 3) == ["1", "2", "3", "4", "5"]
    page = Paginator(range(100), 20).page(3)
    request = _request(3)
    html = render_to_string("partials/_pagination.html", {"page_obj": page}, request=request)
    assert "q=%D9%85%D8%B3%DA%A9%D9%86&amp;page=4" in html


def test_one_page_draws_no_pager():
    page = Paginator(range(5), 20).page(1)
    html = render_to_string("partials/_pagination.html", {"page_obj": page})
    assert "pagination" not in html
