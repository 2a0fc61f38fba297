"""The page numbers a pager shows (``partials/_pagination.html``).

Looping over ``paginator.page_range`` in the template and hiding most numbers
costs a dozen ``{% if %}`` per page: at 6,000 pages (every post of the
country, 20 a page) that alone took ~150 ms. Django's
``get_elided_page_range`` gives just the numbers to draw.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_pages(page: Page[Any]) -> list[int | None]:
    """The first and last pages, two either side of the current one, and None
    where pages are left out."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [n if isinstance(n, int) else None for n in numbers]
