"""One HTTP GET of a feed or an article page, bounded in time and size, never raising.

The poller (``services.polling``) and the clipping form (``services.clips``) read
the web only through ``fetch``; it answers with a ``FetchResult`` whatever happens,
and says whether trying again may help:

- timeouts, refused or reset connections, 5xx, 408 and 429 are *retryable* (the
  poller tries again within the same poll, then backs off between polls);
- any other 4xx, too many redirects, an address on a private network and a
  response that is not HTTP are not: the source's address is wrong.

Limits: connect 5 s, each read 20 s, the whole exchange ``total`` seconds (a server
trickling one byte at a time cannot hold a worker), at most ``max_bytes`` of body
(the rest is not read and ``truncated`` says so), at most ``MAX_REDIRECTS`` hops.

Private addresses: a source's feed URL is typed by a council's secretary and a
clipping's URL by any office; the server must not become their way into the
internal network (127.0.0.1, 10.0.0.0/8, 169.254.169.254 ...). Every hop's host is
resolved and refused when it is not a public address, unless the setting
``MONITORING_FETCH_PRIVATE`` allows it (tests, the demo, whose feeds the site
itself serves on localhost, and DEBUG).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from hamseda.core.persian import fa_digits

__all__ = ["FetchResult", "Timeouts", "fetch", "private_fetch_allowed"]

USER_AGENT = "Hamseda/1.0 (media monitoring of public-relations councils; feed reader)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# 408 Request Timeout and 429 Too Many Requests say "later", not "never".
_RETRYABLE_4XX = frozenset({408, 429})
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 20.0
    total: float = 60.0


@dataclass(frozen=True)
class FetchResult:
    url: str  # the last URL asked for (after redirects)
    status: int | None  # None when no HTTP response came
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    error: str = ""  # Persian, for the health page; "" when the response is usable
    retryable: bool = False
    truncated: bool = False  # the body was longer than ``max_bytes``

    @property
    def ok(self) -> bool:
        """A 2xx response with its body (possibly truncated)."""
        return not self.error and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return not self.error and self.status == 304


def private_fetch_allowed() -> bool:
    default = bool(settings.DEBUG or getattr(settings, "TESTING", False))
    default = default or bool(getattr(settings, "DEMO", False))
    return bool(getattr(settings, "MONITORING_FETCH_PRIVATE", default))


def timeouts_from_settings() -> Timeouts:
    """``MONITORING_FETCH_TIMEOUTS`` (connect, read, total seconds) or the defaults."""
    values = getattr(settings, "MONITORING_FETCH_TIMEOUTS", None)
    return Timeouts(*values) if values else Timeouts()


def _public_host_error(url: str) -> str:
    """ "" when ``url``'s host resolves only to public addresses, else why not."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return _("نام میزبان %(host)s پیدا نشد.") % {"host": host}
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return _("این نشانی به شبکه داخلی اشاره می‌کند و خوانده نمی‌شود.")
    return ""


def _status_error(status: int) -> tuple[str, bool]:
    """(error, retryable) of a response that is not 2xx/304."""
    shown = fa_digits(status)
    if status >= 500:
        return _("خطای سرور رسانه (پاسخ %(status)s).") % {"status": shown}, True
    if status in _RETRYABLE_4XX:
        return _("سرور رسانه فعلاً پاسخ نمی‌دهد (پاسخ %(status)s).") % {"status": shown}, True
    if status == 404:
        return _("این نشانی در سرور رسانه پیدا نشد (پاسخ ۴۰۴)."), False
    if status in (401, 403):
        return _("سرور رسانه اجازه خواندن نداد (پاسخ %(status)s).") % {"status": shown}, False
    return _("پاسخ نامعتبر از سرور رسانه (پاسخ %(status)s).") % {"status": shown}, False


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = FEED_ACCEPT,
    timeouts: Timeouts | None = None,
    max_bytes: int | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` (conditionally, when ``etag`` or ``last_modified`` is given: a
    304 comes back as ``not_modified``). Never raises for network trouble.

    ``timeouts`` and ``max_bytes`` default to the settings ``MONITORING_FETCH_TIMEOUTS``
    and ``MONITORING_FETCH_MAX_BYTES``, else ``Timeouts()`` and ``MAX_BYTES``."""
    timeouts = timeouts or timeouts_from_settings()
    if max_bytes is None:
        max_bytes = int(getattr(settings, "MONITORING_FETCH_MAX_BYTES", MAX_BYTES))
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(timeouts.read, connect=timeouts.connect)
    own_client = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=False)
    deadline = time.monotonic() + timeouts.total
    try:
        return _get(http, url, headers, deadline=deadline, max_bytes=max_bytes)
    finally:
        if own_client:
            http.close()


def _get(
    http: httpx.Client,
    url: str,
    headers: Mapping[str, str],
    *,
    deadline: float,
    max_bytes: int,
) -> FetchResult:
    check_hosts = not private_fetch_allowed()
    for _hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            return _timed_out(url, None)
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchResult(url=url, status=None, error=_("نشانی باید با http یا https باشد."))
        if check_hosts and (refused := _public_host_error(url)):
            return FetchResult(url=url, status=None, error=refused)
        try:
            with http.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS and response.headers.get("location"):
                    url = urljoin(url, response.headers["location"])
                    continue
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if status == 304:
                    return FetchResult(url=url, status=status, headers=response_headers)
                if not 200 <= status < 300:
                    error, retryable = _status_error(status)
                    return FetchResult(
                        url=url,
                        status=status,
                        headers=response_headers,
                        error=error,
                        retryable=retryable,
                    )
                body = bytearray()
                truncated = False
                for chunk in response.iter_bytes(_CHUNK):
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        del body[max_bytes:]
                        truncated = True
                        break
                    if time.monotonic() > deadline:
                        return _timed_out(url, status)
                # The body is already decoded (gzip): its length no longer matches.
                response_headers.pop("content-encoding", None)
                response_headers.pop("content-length", None)
                return FetchResult(
                    url=url,
                    status=status,
                    content=bytes(body),
                    headers=response_headers,
                    truncated=truncated,
                )
        except httpx.TimeoutException:
            return _timed_out(url, None)
        except httpx.ConnectError:
            return FetchResult(
                url=url,
                status=None,
                error=_("اتصال به سرور رسانه برقرار نشد."),
                retryable=True,
            )
        except httpx.TransportError:
            # Reset connections, a server closing mid-response, broken chunking.
            return FetchResult(
                url=url,
                status=None,
                error=_("ارتباط با سرور رسانه نیمه‌کاره قطع شد."),
                retryable=True,
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError):
            return FetchResult(url=url, status=None, error=_("این نشانی درست نیست."))
    return FetchResult(
        url=url,
        status=None,
        error=_("بیش از %(n)s بار به نشانی دیگری فرستاده شد.") % {"n": fa_digits(MAX_REDIRECTS)},
    )


def _timed_out(url: str, status: int | None) -> FetchResult:
    return FetchResult(
        url=url,
        status=status,
        error=_("سرور رسانه در زمان مقرر پاسخ نداد."),
        retryable=True,
    )
