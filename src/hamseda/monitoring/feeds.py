"""Turn a fetched feed (or a pasted clipping) into clean, comparable articles. Pure:
no database, no network; the poller fetches and stores, this module only reads bytes.

What each article carries, and who relies on it
    ``canonical_url`` and ``content_hash`` are the two identities the store keeps
    unique, so polling a feed twice, or an outlet re-publishing an old item with a
    new tracking parameter, adds nothing. ``text`` is the matching text (the input
    of ``monitoring.stories.fingerprint`` and of the agency matcher); ``summary_html``
    is what a page may show, already sanitised.

Encodings
    feedparser honours the declared charset. Persian outlets get it wrong in two
    ways: windows-1256 bytes declared (or defaulted) as UTF-8 or Latin-1, and UTF-8
    bytes declared as windows-1256. ``_fix_encoding`` looks at the bytes first:
    valid UTF-8 with non-ASCII bytes is UTF-8 whatever the declaration says
    (windows-1256 text is practically never valid UTF-8); otherwise, when the
    declared charset does not decode it, or decodes it to Latin letters where
    windows-1256 gives Arabic script, it is windows-1256. The body is then re-encoded
    as UTF-8 before feedparser sees it, and a ``problems`` entry says so.

Problems
    Short English lines for the source health page, ``"<code>: <message>"``:
    ``bozo`` (malformed XML; feedparser's lenient parser still yields the items it
    could read), ``encoding``, ``empty``, ``item`` (an item skipped or a field
    dropped), ``duplicate`` (the same item twice in one document).
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import nh3

from hamseda.core.persian import compact_key, en_digits, normalize

__all__ = [
    "ParsedFeed",
    "ParsedItem",
    "article_from_text",
    "canonical_url",
    "content_hash",
    "parse_feed",
    "plain_text",
    "sanitize_html",
]

# A feed listing more items than this is truncated (a problem is reported): the
# poller's memory and the pipeline's work per poll stay bounded.
MAX_ITEMS = 1000


@dataclass(frozen=True)
class ParsedItem:
    url: str  # as the feed gave it, made absolute
    canonical_url: str  # "" when the item has no link; then ``guid`` identifies it
    title: str  # normalised plain text
    summary_html: str  # sanitised (``sanitize_html``)
    text: str  # matching text (``plain_text``), without the title
    published: datetime | None  # aware, UTC
    guid: str  # never empty: the feed's id, else the link, else a synthetic urn
    content_hash: str  # ``content_hash(title, text)``

    @property
    def key(self) -> str:
        """What identifies the item in its source: the canonical URL, else the guid."""
        return self.canonical_url or self.guid


@dataclass(frozen=True)
class ParsedFeed:
    items: list[ParsedItem]
    problems: list[str]
    etag: str
    modified: str


# --- HTML --------------------------------------------------------------------------

# Images are left out: a hot-linked <img> tells the outlet (and any tracker in its
# pixel) who reads our monitoring pages, and matching does not need them.
_ALLOWED_TAGS = set("a b blockquote br em h2 h3 h4 i li ol p strong ul".split())
_LINK_REL = "noopener noreferrer nofollow"
# Whose content goes with the tag; nh3 keeps the text of other dropped tags.
_CLEAN_CONTENT_TAGS = {"script", "style", "noscript", "iframe", "object", "template", "svg"}
# Block-level tags become line breaks in the plain text, so words of two paragraphs
# or list items never glue together.
_BLOCK_TAG_RE = re.compile(
    r"<\s*(?:br|/?p|/?div|/?li|/?h[1-6]|/?blockquote|/?tr|/?ul|/?ol|/?section|/?article)\b[^>]*>",
    re.IGNORECASE,
)
_LINE_SPACE_RE = re.compile(r"\s*\n\s*")
_HSPACE_RE = re.compile(r"[^\S\n]+")


def sanitize_html(html: str) -> str:
    """HTML safe to show: paragraphs, line breaks, lists, quotes, h2-h4, emphasis
    and http(s)/mailto links (``rel="noopener noreferrer nofollow"``); scripts,
    styles, frames and images go with their content, event handlers and every
    other attribute are dropped."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=_LINK_REL,
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The text of an HTML fragment for matching: tags dropped (script and style with
    their content), entities decoded, a line break per block, spaces collapsed,
    Persian normalised (``core.persian.normalize``)."""
    if not html:
        return ""
    text = _BLOCK_TAG_RE.sub("\n", html)
    text = nh3.clean(text, tags=set(), clean_content_tags=_CLEAN_CONTENT_TAGS)
    # nh3 re-escapes text; a doubly escaped source ("&amp;amp;") is rare enough.
    text = html_lib.unescape(text)
    text = _HSPACE_RE.sub(" ", text)
    text = _LINE_SPACE_RE.sub("\n", text)
    return normalize(text)


# --- URLs and hashes -----------------------------------------------------------------

_TRACKING_PARAMS = frozenset(
    "fbclid gclid gbraid wbraid dclid msclkid yclid igshid mc_cid mc_eid _ga _gl ocid cmpid "
    "ref_src ref_url at_medium at_campaign wt_mc".split()
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")
# Characters a path or query keeps as they are; everything else is percent-encoded,
# so a Persian path written raw and one written %D8%AE... agree.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def _host(hostname: str) -> str:
    host = hostname.rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        # A label the IDNA 2003 codec refuses (too long, odd characters): keep it as
        # Unicode, still lower-cased, so the same input always gives the same key.
        return host


def site_host(url: str) -> str:
    """The host of ``url`` as ``canonical_url`` writes it, without "www." ("" when
    ``url`` has none): a clipping's link finds its outlet by it."""
    try:
        hostname = urlsplit(url.strip()).hostname
    except ValueError:
        return ""
    if not hostname:
        return ""
    host = _host(hostname)
    return host[4:] if host.startswith("www.") else host


def _quote_path(path: str) -> str:
    path = quote(path, safe=_PATH_SAFE)
    return _PERCENT_RE.sub(lambda m: m.group(0).upper(), path)


def canonical_url(url: str) -> str:
    """The form of ``url`` the store keeps unique: scheme and host lower-cased
    (an IDN host as punycode), default port, fragment, tracking parameters (utm_*,
    fbclid, gclid, ...) and a trailing slash dropped, remaining query parameters
    sorted, path percent-encoding made uniform. A string that is not an http(s)
    URL is returned stripped but otherwise as it is."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    netloc = _host(parts.hostname)
    if ":" in netloc:  # an IPv6 literal
        netloc = f"[{netloc}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _quote_path(parts.path).rstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    query_string = urlencode(sorted(query), quote_via=quote)
    return urlunsplit((scheme, netloc, path, query_string, ""))


def content_hash(title: str, text: str) -> str:
    """sha256 (hex) of the compact search keys of title and text: Arabic/Persian
    letters, digits, diacritics, half-spaces and spacing do not change it."""
    folded = compact_key(title) + "\x1f" + compact_key(text)
    return hashlib.sha256(folded.encode()).hexdigest()


# --- encodings -----------------------------------------------------------------------

_XML_DECL_RE = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._:-]+)([\"'])")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ARABIC_SCRIPT_RE = re.compile("[\u0600-\u06ff]")
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _arabic_share(text: str, non_ascii: int) -> float:
    return len(_ARABIC_SCRIPT_RE.findall(text)) / non_ascii if non_ascii else 0.0


def _fix_encoding(
    body: bytes, headers: Mapping[str, str]
) -> tuple[bytes, dict[str, str], str | None]:
    """(body, headers, problem): the body re-encoded as UTF-8 (and headers saying so)
    when its declared charset is wrong, else as it came. See the module docstring."""
    if body.startswith(_BOMS):
        return body, dict(headers), None
    content_type = headers.get("content-type", "")
    match = _CHARSET_RE.search(content_type)
    declared_name = match.group(1) if match else ""
    if not declared_name:
        xml_decl = _XML_DECL_RE.match(body)
        declared_name = xml_decl.group(2).decode("ascii") if xml_decl else ""
    declared = _codec(declared_name) if declared_name else None
    non_ascii = len(_NON_ASCII_RE.findall(body))
    if not non_ascii:
        return body, dict(headers), None

    chosen: str | None = None
    try:
        text = body.decode("utf-8")
        chosen = "utf-8" if declared not in (None, "utf-8") else None
    except UnicodeDecodeError:
        as_1256 = body.decode("cp1256", errors="replace")
        declared_text: str | None = None
        if declared and declared not in ("utf-8", "cp1256"):
            try:
                declared_text = body.decode(declared)
            except UnicodeDecodeError:
                declared_text = None
        if declared == "cp1256":
            text = as_1256
        elif declared_text is not None and _arabic_share(declared_text, non_ascii) >= _arabic_share(
            as_1256, non_ascii
        ):
            text = declared_text  # a non-Latin charset that does give Arabic script
        else:
            text, chosen = as_1256, "cp1256"
    if chosen is None:
        return body, dict(headers), None
    fixed = text.encode("utf-8")
    fixed = _XML_DECL_RE.sub(rb"\g<1>utf-8\g<3>", fixed, count=1)
    new_headers = {k: v for k, v in headers.items() if k != "content-type"}
    new_headers["content-type"] = "application/xml; charset=utf-8"
    problem = f"encoding: declared {declared_name or 'nothing'}, decoded as {chosen}"
    return fixed, new_headers, problem


# --- dates ---------------------------------------------------------------------------

_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Outlets' clocks and time zones are often off by hours; more than this is a wrong date.
_FUTURE_SLACK = timedelta(days=2)


def _plausible(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    # A Jalali date in a date field (1403-05-21) parses as the year 1403: dropped.
    if value < _EARLIEST or value > datetime.now(UTC) + _FUTURE_SLACK:
        return None
    return value


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    # dict.get: FeedParserDict.get maps "published" to "updated" with a deprecation
    # warning; we ask for each field ourselves.
    raw_fields = dict(entry)
    for field in ("published", "updated", "created"):
        parsed = raw_fields.get(f"{field}_parsed")
        if parsed:
            try:
                value = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                value = None
            if (value := _plausible(value)) is not None:
                return value
        raw = raw_fields.get(field)
        # feedparser does not read Persian digits; "۲۰۲۵-۰۶-۱۰T۰۸:۰۰:۰۰Z" does parse
        # once the digits are ASCII. A Jalali date stays None.
        if raw and not parsed and (value := _parse_date(en_digits(str(raw)))) is not None:
            return value
    return None


def _parse_date(raw: str) -> datetime | None:
    raw = raw.strip()
    try:
        return _plausible(parsedate_to_datetime(raw))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return _plausible(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        return None


# --- feeds ---------------------------------------------------------------------------


def _header_map(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}


def _entry_html(entry: Mapping[str, Any]) -> str:
    """The fullest HTML the entry has: its content, else its summary."""
    summary = str(entry.get("summary") or "")
    best = summary
    for content in entry.get("content") or ():
        value = str(content.get("value") or "")
        if len(value) > len(best):
            best = value
    return best


def _synthetic_guid(feed_url: str, title: str, text: str) -> str:
    # Stable across polls: only what the item itself says and where it came from.
    basis = f"{canonical_url(feed_url)}\x1f{compact_key(title)}\x1f{compact_key(text)[:500]}"
    return "urn:hamseda:item:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def _item(entry: Mapping[str, Any], feed_url: str) -> ParsedItem | None:
    title = plain_text(str(entry.get("title") or "")).replace("\n", " ")
    # normalize() on the HTML only touches letters, digits and spaces: ي/ك in what
    # a page shows become ی/ک too.
    summary_html = normalize(sanitize_html(_entry_html(entry)))
    text = plain_text(summary_html)
    if not title and not text:
        return None
    link = str(entry.get("link") or "").strip()
    url = urljoin(feed_url, link) if link else ""
    canonical = canonical_url(url) if url else ""
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = ""  # "javascript:", "mailto:" ... are no article's address
    guid = str(entry.get("id") or "").strip() or canonical or _synthetic_guid(feed_url, title, text)
    return ParsedItem(
        url=url,
        canonical_url=canonical,
        title=title,
        summary_html=summary_html,
        text=text,
        published=_entry_date(entry),
        guid=guid,
        content_hash=content_hash(title, text),
    )


def parse_feed(
    body: bytes, *, url: str = "", headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    """Parse an RSS/Atom document into items; never raises on bad input.

    ``url`` is the feed's address (relative links are resolved against it);
    ``headers`` are the HTTP response headers (charset, ETag, Last-Modified).
    Malformed documents yield the items feedparser could read; an empty feed gives
    no items and no problem; an item repeated in the same document is kept once.
    """
    header_map = _header_map(headers)
    etag = header_map.get("etag", "")
    modified = header_map.get("last-modified", "")
    if not body.strip():
        return ParsedFeed(
            items=[], problems=["empty: the response has no body"], etag=etag, modified=modified
        )
    problems: list[str] = []
    body, header_map, encoding_problem = _fix_encoding(body, header_map)
    if encoding_problem:
        problems.append(encoding_problem)
    # Without a Content-Type feedparser reports every document as bozo; XML it is,
    # and application/xml (unlike text/xml) lets the XML declaration name the charset.
    header_map.setdefault("content-type", "application/xml")
    if url and "content-location" not in header_map:
        header_map["content-location"] = url
    parsed = feedparser.parse(body, response_headers=header_map)
    if parsed.get("bozo"):
        exception = parsed.get("bozo_exception")
        # feedparser's own notice about the charset we already corrected is noise.
        if not (encoding_problem and isinstance(exception, feedparser.CharacterEncodingOverride)):
            problems.append(f"bozo: {exception}")
    entries = list(parsed.get("entries") or ())
    if len(entries) > MAX_ITEMS:
        problems.append(f"item: {len(entries)} items, only the first {MAX_ITEMS} read")
        entries = entries[:MAX_ITEMS]
    items: list[ParsedItem] = []
    seen: set[tuple[str, str]] = set()
    skipped = repeated = 0
    for entry in entries:
        item = _item(entry, url)
        if item is None:
            skipped += 1
            continue
        identity = (item.key, item.content_hash)
        if identity in seen:
            repeated += 1
            continue
        seen.add(identity)
        items.append(item)
    if skipped:
        problems.append(f"item: {skipped} item(s) without title or text skipped")
    if repeated:
        problems.append(f"duplicate: {repeated} item(s) repeated in the document")
    return ParsedFeed(items=items, problems=problems, etag=etag, modified=modified)


# --- pasted text ---------------------------------------------------------------------


def article_from_text(text: str, *, url: str = "", title: str = "") -> ParsedItem:
    """An article from plain text (a pasted clipping, ``hamseda ... --text``): the
    first non-empty line is the title when none is given."""
    body = normalize(text)
    title = normalize(title).replace("\n", " ")
    if not title and body:
        first, _, rest = body.partition("\n")
        title, body = first.strip(), rest.strip()
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    summary_html = "".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs)
    text_out = "\n".join(paragraphs)
    canonical = canonical_url(url) if url else ""
    digest = content_hash(title, text_out)
    return ParsedItem(
        url=url.strip(),
        canonical_url=canonical,
        title=title,
        summary_html=summary_html,
        text=text_out,
        published=None,
        guid=canonical or f"urn:hamseda:text:{digest[:32]}",
        content_hash=digest,
    )
