"""The Telegram Bot API protocol (Telegram, Bale, Soroush Plus), and the common
machinery of every adapter: one HTTP call mapped to a result or a ``DeliveryError``,
and how a message with pictures becomes one or several platform messages.

A message is published as:
- text only: one ``sendMessage``;
- one picture and a text that fits the platform's caption limit: one upload
  with the text as its caption;
- otherwise each picture on its own (no caption), then the text as a message.

If a later part fails after an earlier one was accepted, the error is
``UNCERTAIN``: part of the post is on the channel and sending it again would
publish that part twice; a person decides.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
from abc import ABC, abstractmethod
from typing import Any

import certifi
import httpx

from hamseda.social.adapters.base import DeliveryError, MediaFile, Outgoing, Sent
from hamseda.social.models import CAPTION_LIMIT, TEXT_LIMIT, ErrorKind, Platform

# Where a message with a public chat name (@name) can be seen.
PUBLIC_LINK: dict[str, str] = {
    Platform.TELEGRAM: "https://t.me/{name}/{id}",
    Platform.BALE: "https://ble.ir/{name}/{id}",
    Platform.EITAA: "https://eitaa.com/{name}/{id}",
}


def public_url(platform: str, chat_id: str, message_id: str) -> str:
    """The message's public link where we can build one, else ""."""
    pattern = PUBLIC_LINK.get(platform)
    if not pattern or not message_id or not chat_id.startswith("@") or len(chat_id) < 2:
        return ""
    return pattern.format(name=chat_id[1:], id=message_id)


def retry_after_of(response: httpx.Response, parameters: Any = None) -> float | None:
    """Seconds to wait: the reply's ``parameters.retry_after``, else Retry-After."""
    candidates: list[Any] = []
    if isinstance(parameters, dict):
        candidates.append(parameters.get("retry_after"))
    candidates.append(response.headers.get("Retry-After"))
    for value in candidates:
        if value is None or isinstance(value, bool):
            continue
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue  # an HTTP date, or nonsense: let the service's backoff decide
        if seconds >= 0:
            return seconds
    return None


def kind_for_status(status: int, description: str) -> str:
    """The ErrorKind of an HTTP (or Bot API ``error_code``) failure."""
    words = description.lower()
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status == 401:
        return ErrorKind.UNAUTHORIZED
    if status == 403:
        return ErrorKind.FORBIDDEN
    if status >= 500:
        return ErrorKind.SERVER
    if "chat not found" in words or "chat_not_found" in words:
        return ErrorKind.CHAT_NOT_FOUND
    if "too long" in words:
        return ErrorKind.TOO_LONG
    return ErrorKind.BAD_REQUEST


def decode_json(response: httpx.Response) -> Any:
    """The reply as JSON; a reply that is not JSON raises (SERVER for 5xx,
    RATE_LIMITED for 429, else BAD_REPLY)."""
    try:
        return json.loads(response.content)
    except ValueError:
        status = response.status_code
        snippet = f"HTTP {status}: {response.text[:200]}"
        if status == 429:
            raise DeliveryError(
                ErrorKind.RATE_LIMITED,
                snippet,
                http_status=status,
                retry_after=retry_after_of(response),
            ) from None
        if status >= 500:
            raise DeliveryError(ErrorKind.SERVER, snippet, http_status=status) from None
        raise DeliveryError(ErrorKind.BAD_REPLY, snippet, http_status=status) from None


def call(
    client: httpx.Client,
    url: str,
    *,
    publishes: bool,
    json_body: dict[str, Any] | None = None,
    data: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    """POST once. A failure before the request went out is NETWORK (safe to try
    again); after it, UNCERTAIN when the call ``publishes`` (the platform may
    have accepted it), else NETWORK."""
    try:
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            return client.post(
                url,
                content=content,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        return client.post(url, data=data, files=files)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise DeliveryError(ErrorKind.NETWORK, _describe(exc)) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise DeliveryError(ErrorKind.CONFIG, _describe(exc)) from exc
    except httpx.HTTPError as exc:
        # Timeouts after connecting, dropped connections, undecodable bodies:
        # the request went out and the platform may have acted on it.
        kind = ErrorKind.UNCERTAIN if publishes else ErrorKind.NETWORK
        raise DeliveryError(kind, _describe(exc)) from exc


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every client: building it (loading the CA bundle)
    costs more than a call to a nearby server. SSL_CERT_FILE names another
    bundle (an intranet proxy's CA)."""
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where())


def _describe(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"


def _message_id(result: Any) -> str:
    """The message id in a success result (tolerant: Eitaayar's shape is not known)."""
    if isinstance(result, dict):
        for key in ("message_id", "id"):
            value = result.get(key)
            if isinstance(value, int | str) and not isinstance(value, bool):
                return str(value)
        inner = result.get("message")
        if isinstance(inner, dict):
            return _message_id(inner)
        return ""
    if isinstance(result, int | str) and not isinstance(result, bool):
        return str(result)
    return ""


class MessengerAdapter(ABC):
    """What every protocol shares; subclasses say how one call is made and read."""

    def __init__(self, *, platform: str, base_url: str, token: str, timeout: float = 20.0) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    # to override

    @abstractmethod
    def _url(self, method: str) -> str: ...

    @abstractmethod
    def _result(self, response: httpx.Response) -> Any:
        """The success result of a reply, or raise DeliveryError."""

    @abstractmethod
    def _send_text(self, client: httpx.Client, message: Outgoing, text: str) -> str: ...

    @abstractmethod
    def _send_file(
        self, client: httpx.Client, message: Outgoing, media: MediaFile, caption: str
    ) -> str: ...

    def _bot_name(self, result: Any) -> str:
        if not isinstance(result, dict):
            return ""
        name = str(result.get("first_name") or "")
        username = str(result.get("username") or "")
        if name and username:
            return f"{name} (@{username})"
        return name or (f"@{username}" if username else "")

    # the Adapter protocol

    def _client(self) -> httpx.Client:
        return httpx.Client(
            timeout=httpx.Timeout(self.timeout), follow_redirects=False, verify=ssl_context()
        )

    def check(self) -> str:
        with self._client() as client:
            response = call(client, self._url("getMe"), publishes=False, json_body={})
            result = self._result(response)
        name = self._bot_name(result)
        if not name:
            raise DeliveryError(ErrorKind.BAD_REPLY, f"getMe: {str(result)[:200]}")
        return name

    def send(self, message: Outgoing) -> Sent:
        if not self.token:
            raise DeliveryError(ErrorKind.CONFIG, "no bot token")
        if not message.chat_id:
            raise DeliveryError(ErrorKind.CONFIG, "no chat id")
        text = message.text
        media = message.media
        if not text.strip() and not media:
            raise DeliveryError(ErrorKind.BAD_REQUEST, "nothing to send: no text, no picture")
        text_limit = TEXT_LIMIT.get(self.platform)
        if text_limit is not None and len(text) > text_limit:
            raise DeliveryError(
                ErrorKind.TOO_LONG, f"text is {len(text)} characters; the limit is {text_limit}"
            )
        caption_limit = CAPTION_LIMIT.get(self.platform)
        fits_caption = caption_limit is None or len(text) <= caption_limit
        ids: list[str] = []
        parts = 1 if not media else (1 if len(media) == 1 and fits_caption else len(media) + 1)
        with self._client() as client:
            try:
                if not media:
                    ids.append(self._send_text(client, message, text))
                elif len(media) == 1 and fits_caption:
                    ids.append(self._send_file(client, message, media[0], text))
                else:
                    for item in media:
                        ids.append(self._send_file(client, message, item, ""))
                    if text.strip():
                        ids.append(self._send_text(client, message, text))
            except DeliveryError as error:
                if not ids:
                    raise
                raise DeliveryError(
                    ErrorKind.UNCERTAIN,
                    f"partly published: {len(ids)} of {parts} messages accepted "
                    f"(ids {', '.join(ids)}); then {error.kind}: {error.detail}",
                    http_status=error.http_status,
                ) from error
        first = ids[0]
        return Sent(
            message_id=first,
            url=public_url(self.platform, message.chat_id, first),
            message_ids=tuple(ids),
        )


class BotApiAdapter(MessengerAdapter):
    """Telegram, Bale and Soroush Plus: ``POST {base}/bot{TOKEN}/{method}``."""

    # Upload method and its file field, by the kind of file.
    PHOTO = ("sendPhoto", "photo")
    DOCUMENT = ("sendDocument", "document")

    def _url(self, method: str) -> str:
        return f"{self.base_url}/bot{self.token}/{method}"

    def _result(self, response: httpx.Response) -> Any:
        body = decode_json(response)
        status = response.status_code
        if isinstance(body, dict) and body.get("ok") is True and status < 300:
            return body.get("result")
        if not isinstance(body, dict) or ("ok" not in body and status < 300):
            raise DeliveryError(
                ErrorKind.BAD_REPLY, f"HTTP {status}: {response.text[:200]}", http_status=status
            )
        code = body.get("error_code")
        if not isinstance(code, int) or isinstance(code, bool):
            code = status if status >= 300 else 400
        description = str(body.get("description") or f"HTTP {status}")
        kind = kind_for_status(code, description)
        retry_after = None
        if kind == ErrorKind.RATE_LIMITED:
            retry_after = retry_after_of(response, body.get("parameters"))
        raise DeliveryError(kind, description, http_status=status, retry_after=retry_after)

    def _sent_id(self, response: httpx.Response) -> str:
        return _message_id(self._result(response))

    def _send_text(self, client: httpx.Client, message: Outgoing, text: str) -> str:
        body: dict[str, Any] = {"chat_id": message.chat_id, "text": text}
        if message.disable_notification:
            body["disable_notification"] = True
        return self._sent_id(call(client, self._url("sendMessage"), publishes=True, json_body=body))

    def _send_file(
        self, client: httpx.Client, message: Outgoing, media: MediaFile, caption: str
    ) -> str:
        method, field_name = (
            self.PHOTO if media.content_type.startswith("image/") else self.DOCUMENT
        )
        data = {"chat_id": message.chat_id}
        if caption:
            data["caption"] = caption
        if message.disable_notification:
            data["disable_notification"] = "true"
        files = {field_name: (media.name, media.content, media.content_type)}
        return self._sent_id(
            call(client, self._url(method), publishes=True, data=data, files=files)
        )
