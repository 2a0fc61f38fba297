"""Persian PDFs from templates (WeasyPrint). Templates name the vendored
Vazirmatn files by relative URL; the base URL is the font folder on disk, so a
PDF is made without a web request and without the internet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILE = "vendor/vazirmatn/ttf/Vazirmatn-Regular.ttf"


@lru_cache(maxsize=1)
def font_base_url() -> str:
    path = finders.find(FONT_FILE)
    if not path:
        raise RuntimeError(f"the vendored font {FONT_FILE} is missing")
    found = path[0] if isinstance(path, list) else path
    return Path(found).parent.resolve().as_uri() + "/"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_to_string(template, context)
    pdf = HTML(string=html, base_url=font_base_url()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
