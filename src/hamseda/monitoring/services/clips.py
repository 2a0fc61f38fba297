"""Articles added by hand: a pasted link or text (a clipping), or a CSV file of them.

Any PR office may add a clipping for its province (policy "monitoring.clip"); the
article goes through the same pipeline as a polled one (``ingest.ingest_items``),
so it is matched to agencies, toned, put in its story and stored once.

The outlet of a clipping is, in this order: the source the user picked; the source
whose site has the link's host (``Source.host``); the clippings source of the
user's province (``ingest.clippings_source``).

A link is read with ``fetch.fetch`` and its page reduced to a title (og:title, else
<title>) and the paragraphs of its <article> (else of the whole page). When the
page cannot be read the caller is told why (``ValidationError`` on "url") and the
user pastes the text instead.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_record, register_events
from hamseda.core.policy import Scope
from hamseda.directory.models import Person, Province
from hamseda.monitoring.feeds import ParsedItem, article_from_text, site_host
from hamseda.monitoring.fetch import PAGE_ACCEPT, fetch
from hamseda.monitoring.models import Article, ArticleVia, Source, SourceKind
from hamseda.monitoring.services.ingest import clippings_source, ingest_items

register_events(
    {
        "article_clipped": _("خبر به‌صورت دستی ثبت شد"),
        "articles_imported": _("خبرها از فایل وارد شد"),
    },
    fields={"imported": _("خبرهای واردشده")},
)

MAX_TEXT = 100_000
# The preview carries the file back base64-encoded (a third larger): it must stay
# under DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB).
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5000
IMPORT_BATCH = 200


@dataclass(frozen=True)
class ClipResult:
    article: Article
    created: bool


# --- who may clip, and into which outlet -----------------------------------------------


def _require_clip(actor: Person) -> None:
    # A clipping is recorded for the user's province (national for the ministry
    # centre), whatever outlet published it.
    policy.require(actor, "monitoring.clip", Scope(province_id=actor.province_id, office_id=None))


def outlet_by_host(url: str) -> Source | None:
    host = site_host(url) if url else ""
    if not host:
        return None
    return (
        Source.objects.filter(host=host)
        .exclude(kind=SourceKind.CLIPPINGS)
        .order_by("-is_active", "pk")
        .first()
    )


def clip_outlet(*, actor: Person, url: str = "", source: Source | None = None) -> Source:
    if source is not None:
        return source
    found = outlet_by_host(url)
    if found is not None:
        return found
    province = Province.objects.filter(pk=actor.province_id).first() if actor.province_id else None
    return clippings_source(province)


# --- reading a page ---------------------------------------------------------------------


class _Page(HTMLParser):
    """Title, meta tags and paragraphs of an HTML page (stdlib parser: lenient,
    never raises on bad markup)."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.paragraphs: list[tuple[bool, str]] = []  # (inside <article>, text)
        self._in_title = False
        self._skip = 0
        self._article = 0
        self._paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = {k.lower(): v or "" for k, v in attrs}
            name = (values.get("property") or values.get("name") or "").lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"])
        elif tag == "article" or ("itemprop", "articleBody") in attrs:
            self._article += 1
        elif tag == "p":
            self._close_paragraph()
            self._paragraph = []
        elif tag == "br" and self._paragraph is not None:
            self._paragraph.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "article":
            self._close_paragraph()
            self._article = max(0, self._article - 1)
        elif tag in ("p", "div"):
            self._close_paragraph()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        elif self._paragraph is not None:
            self._paragraph.append(data)

    def _close_paragraph(self) -> None:
        if self._paragraph is not None:
            text = " ".join("".join(self._paragraph).split())
            if text:
                self.paragraphs.append((self._article > 0, text))
        self._paragraph = None

    def close(self) -> None:
        super().close()
        self._close_paragraph()


_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def _decode_page(body: bytes, content_type: str) -> str:
    for match in (_HEADER_CHARSET_RE.search(content_type), _META_CHARSET_RE.search(body[:4096])):
        if match is None:
            continue
        name = match.group(1)
        charset = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
        try:
            codecs.lookup(charset)
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1256", errors="replace")


@dataclass(frozen=True)
class PageText:
    url: str
    title: str
    text: str
    published: datetime | None


def _meta_date(raw: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(persian.en_digits(raw.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=jalali.TEHRAN)


def read_page(url: str) -> PageText:
    """The title and text of the article at ``url``; ``ValidationError`` on "url"
    (Persian) when it cannot be fetched or has no text."""
    result = fetch(url, accept=PAGE_ACCEPT)
    if not result.ok:
        raise ValidationError(
            {"url": _g("صفحه خبر خوانده نشد: %(reason)s") % {"reason": result.error}}
        )
    page = _Page()
    page.feed(_decode_page(result.content, result.headers.get("content-type", "")))
    page.close()
    title = page.meta.get("og:title") or page.meta.get("twitter:title") or page.title
    inside = [text for in_article, text in page.paragraphs if in_article]
    paragraphs = inside or [text for _in, text in page.paragraphs if len(text.split()) >= 4]
    text = "\n".join(paragraphs) or page.meta.get("og:description", "")
    if not text.strip():
        raise ValidationError(
            {"url": _g("در این صفحه متن خبری پیدا نشد؛ متن خبر را در کادر «متن» بچسبانید.")}
        )
    published = _meta_date(page.meta.get("article:published_time", ""))
    return PageText(
        url=result.url,
        title=persian.normalize(" ".join(title.split())),
        text=text[:MAX_TEXT],
        published=published,
    )


# --- one clipping -------------------------------------------------------------------


def _published_at(day: date | None) -> datetime | None:
    """A publication day as a moment: now for today, Tehran noon for another day."""
    if day is None:
        return None
    if day == jalali.today():
        return timezone.now()
    return datetime.combine(day, time(12, 0), tzinfo=jalali.TEHRAN)


def _check_url(url: str, errors: dict[str, str]) -> str:
    url = persian.en_digits(url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _g("این نشانی درست نیست.")
    return url


def _item(title: str, text: str, url: str, published: datetime | None) -> ParsedItem:
    item = article_from_text(text[:MAX_TEXT], url=url, title=title)
    return dataclasses.replace(item, published=published) if published else item


@transaction.atomic
def clip_create(
    *,
    actor: Person,
    title: str = "",
    text: str = "",
    url: str = "",
    source: Source | None = None,
    published_on: date | None = None,
    published_at: datetime | None = None,
) -> ClipResult:
    """Store one article typed or pasted by ``actor``; an article already stored
    (same link anywhere, same text in this outlet) comes back with created=False."""
    _require_clip(actor)
    errors: dict[str, str] = {}
    url = _check_url(url, errors)
    if not (text or "").strip() and not (title or "").strip():
        errors["text"] = _g("متن خبر را بنویسید یا بچسبانید.")
    if published_on is not None and published_on > jalali.today():
        errors["published_on"] = _g("تاریخ انتشار نمی‌تواند در آینده باشد.")
    if errors:
        raise ValidationError(errors)
    outlet = clip_outlet(actor=actor, url=url, source=source)
    item = _item(title, text, url, _published_at(published_on) or published_at)
    (result,) = ingest_items(source=outlet, items=[item], via=ArticleVia.CLIPPING, actor=actor)
    article = Article.objects.select_related("source").get(pk=result.article_id)
    if result.created:
        audit_record(actor=actor, event="article_clipped", target=article)
    return ClipResult(article=article, created=result.created)


def clip_from_url(
    *,
    actor: Person,
    url: str,
    title: str = "",
    source: Source | None = None,
    published_on: date | None = None,
) -> ClipResult:
    """Read the page at ``url`` and store it as a clipping (see ``read_page``)."""
    _require_clip(actor)
    errors: dict[str, str] = {}
    url = _check_url(url, errors)
    if not url:
        errors.setdefault("url", _g("نشانی خبر را بنویسید."))
    if errors:
        raise ValidationError(errors)
    page = read_page(url)
    return clip_create(
        actor=actor,
        title=title or page.title,
        text=page.text,
        url=url,
        source=source or outlet_by_host(page.url),
        published_on=published_on,
        published_at=page.published,
    )


# --- CSV import ------------------------------------------------------------------------

_COLUMNS = {
    "title": ("title", "headline", "تیتر", "عنوان"),
    "text": ("text", "body", "متن", "متن خبر"),
    "url": ("url", "link", "نشانی", "پیوند", "لینک"),
    "outlet": ("outlet", "source", "رسانه", "منبع"),
    "published": ("published", "date", "تاریخ", "تاریخ انتشار"),
}
_HEADER_NAMES = {
    persian.compact_key(name): column for column, names in _COLUMNS.items() for name in names
}
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*[-/.]")


@dataclass
class CsvRow:
    line: int  # the line of the file, the header being line 1
    title: str = ""
    text: str = ""
    url: str = ""
    outlet: str = ""
    published_raw: str = ""
    source: Source | None = None
    published: datetime | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class ClipCsv:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file

    @property
    def valid_rows(self) -> list[CsvRow]:
        return [row for row in self.rows if row.valid] if not self.errors else []

    @property
    def rejected(self) -> int:
        return len(self.rows) - len(self.valid_rows)


@dataclass(frozen=True)
class ImportReport:
    new: int
    existing: int
    rejected: int


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on a Persian Windows saves "CSV" in the ANSI code page.
        return data.decode("cp1256", errors="replace")


def _parse_published(raw: str) -> datetime:
    """A Jalali (1404/05/21) or Gregorian ISO (2025-08-12, 2025-08-12T10:30) date;
    ``ValueError`` with a Persian message."""
    value = persian.en_digits(raw).strip()
    match = _YEAR_RE.match(value)
    if match and int(match.group(1)) < 1700:
        moment = _published_at(jalali.parse_date(value))
        assert moment is not None
        return moment
    try:
        parsed = datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise ValueError(
            _g("تاریخ را به شکل ۱۴۰۴/۰۵/۲۱ (شمسی) یا 2025-08-12 (میلادی) بنویسید.")
        ) from None
    if len(value) <= 10:  # a day, no time
        moment = _published_at(parsed.date())
        assert moment is not None
        return moment
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=jalali.TEHRAN)


class _Outlets:
    """Sources by name (any spelling) and by host, loaded once per file."""

    def __init__(self) -> None:
        self.by_name: dict[str, Source] = {}
        self.by_host: dict[str, Source] = {}
        for source in Source.objects.exclude(kind=SourceKind.CLIPPINGS).order_by("-pk"):
            self.by_name[persian.compact_key(source.name)] = source
            if source.host:
                self.by_host[source.host] = source

    def find(self, outlet: str) -> Source | None:
        found = self.by_name.get(persian.compact_key(outlet))
        if found is None and "." in outlet:
            address = outlet if "://" in outlet else f"https://{outlet.strip()}"
            found = self.by_host.get(site_host(address))
        return found

    def for_url(self, url: str) -> Source | None:
        return self.by_host.get(site_host(url)) if url else None


def parse_clip_csv(data: bytes, *, actor: Person) -> ClipCsv:
    """Read a CSV of articles (columns title, text, url, outlet, published; Persian
    names too), check each row, and say what is wrong with each in Persian."""
    _require_clip(actor)
    result = ClipCsv()
    if len(data) > MAX_CSV_BYTES:
        result.errors.append(
            _g("فایل بزرگ‌تر از %(mb)s مگابایت است.")
            % {"mb": persian.fa_digits(MAX_CSV_BYTES // (1024 * 1024))}
        )
        return result
    content = _decode_csv(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            content.split("\n", 1)[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append(_g("فایل خالی است."))
        return result
    columns = {
        index: _HEADER_NAMES[key]
        for index, name in enumerate(header)
        if (key := persian.compact_key(name.strip().lower())) in _HEADER_NAMES
    }
    if "title" not in columns.values() and "text" not in columns.values():
        result.errors.append(
            _g(
                "سطر نخست فایل باید نام ستون‌ها باشد: title، text، url، outlet، published "
                "(یا تیتر، متن، نشانی، رسانه، تاریخ)."
            )
        )
        return result
    outlets = _Outlets()
    today = jalali.today()
    try:
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(result.rows) >= MAX_CSV_ROWS:
                result.errors.append(
                    _g("حداکثر %(n)s خبر در یک فایل.") % {"n": persian.fa_digits(MAX_CSV_ROWS)}
                )
                break
            result.rows.append(_csv_row(number, values, columns, outlets, today))
    except csv.Error as error:
        result.errors.append(_g("فایل CSV خراب است: %(error)s") % {"error": error})
    if not result.rows and not result.errors:
        result.errors.append(_g("فایل هیچ خبری ندارد."))
    return result


def _csv_row(
    number: int,
    values: Sequence[str],
    columns: dict[int, str],
    outlets: _Outlets,
    today: date,
) -> CsvRow:
    row = CsvRow(line=number)
    for index, column in columns.items():
        if index < len(values):
            setattr(
                row, "published_raw" if column == "published" else column, values[index].strip()
            )
    row.title = persian.normalize(row.title)
    row.text = row.text[:MAX_TEXT]
    if not row.title and not row.text:
        row.errors.append(_g("تیتر و متن هر دو خالی است."))
    errors: dict[str, str] = {}
    row.url = _check_url(row.url, errors)
    if errors:
        row.errors.append(_g("نشانی خبر درست نیست."))
    if row.outlet:
        row.source = outlets.find(row.outlet)
        if row.source is None:
            row.errors.append(_g("رسانه «%(name)s» شناخته نشد.") % {"name": row.outlet})
    else:
        row.source = outlets.for_url(row.url)
    if row.published_raw:
        try:
            row.published = _parse_published(row.published_raw)
        except ValueError as error:
            row.errors.append(str(error))
        else:
            if jalali.local_date(row.published) > today:
                row.errors.append(_g("تاریخ انتشار نمی‌تواند در آینده باشد."))
    return row


def clip_import(*, actor: Person, rows: Iterable[CsvRow]) -> ImportReport:
    """Store the valid ``rows`` (``parse_clip_csv``), each outlet's in batches of
    ``IMPORT_BATCH``, each batch its own transaction with its audit row."""
    _require_clip(actor)
    rows = list(rows)
    valid = [row for row in rows if row.valid]
    fallback: Source | None = None
    by_source: dict[int, tuple[Source, list[ParsedItem]]] = {}
    for row in valid:
        source = row.source
        if source is None:
            fallback = fallback or clip_outlet(actor=actor)
            source = fallback
        by_source.setdefault(source.pk, (source, []))[1].append(
            _item(row.title, row.text, row.url, row.published)
        )
    new = existing = 0
    for source, items in by_source.values():
        for start in range(0, len(items), IMPORT_BATCH):
            with transaction.atomic():
                results = ingest_items(
                    source=source,
                    items=items[start : start + IMPORT_BATCH],
                    via=ArticleVia.IMPORT,
                    actor=actor,
                )
                added = sum(1 for result in results if result.created)
                if added:
                    audit_record(
                        actor=actor,
                        event="articles_imported",
                        target=source,
                        changes={"imported": [None, added]},
                    )
            new += added
            existing += len(results) - added
    return ImportReport(new=new, existing=existing, rejected=len(rows) - len(valid))
