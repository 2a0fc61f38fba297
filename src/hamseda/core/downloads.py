"""File downloads with Persian names."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """An attachment header that old clients read (ASCII ``filename``) and every
    current browser reads in Persian (RFC 6266/5987 ``filename*``)."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"
