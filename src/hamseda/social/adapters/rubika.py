"""Rubika's bot API: ``POST {base}/v3/{TOKEN}/{method}`` with a JSON body.

Success ``{"status": "OK", "data": {...}}``; errors carry ``status``
(``INVALID_INPUT``, ``INVALID_ACCESS``, ``TOO_REQUESTS``, ``SERVER_ERROR``) and
an optional ``dev_message``; HTTP 5xx also occurs. A picture goes in three
steps: ``requestSendFile {type}`` → ``upload_url``; a multipart POST there →
``file_id``; ``sendFile {chat_id, file_id, text}``. Only the last step
publishes, so a dropped connection before it is a plain network error.
"""

from __future__ import annotations

from typing import Any

import httpx

from hamseda.social.adapters.base import DeliveryError, MediaFile, Outgoing
from hamseda.social.adapters.botapi import (
    MessengerAdapter,
    _message_id,
    call,
    decode_json,
    kind_for_status,
    retry_after_of,
)
from hamseda.social.models import ErrorKind


class RubikaAdapter(MessengerAdapter):
    def _url(self, method: str) -> str:
        return f"{self.base_url}/v3/{self.token}/{method}"

    def _result(self, response: httpx.Response) -> Any:
        body = decode_json(response)
        status = response.status_code
        if isinstance(body, dict) and body.get("status") == "OK" and status < 300:
            return body.get("data")
        if not isinstance(body, dict):
            raise DeliveryError(
                ErrorKind.BAD_REPLY, f"HTTP {status}: {response.text[:200]}", http_status=status
            )
        word = str(body.get("status") or "")
        detail = str(body.get("dev_message") or word or f"HTTP {status}")
        if word:
            detail = f"{word}: {detail}" if detail != word else word
        kind = self._kind(status, word, detail)
        retry_after = None
        if kind == ErrorKind.RATE_LIMITED:
            data = body.get("data")
            retry_after = retry_after_of(response, data if isinstance(data, dict) else None)
        raise DeliveryError(kind, detail, http_status=status, retry_after=retry_after)

    @staticmethod
    def _kind(status: int, word: str, detail: str) -> str:
        if status == 401:
            return ErrorKind.UNAUTHORIZED
        if word == "TOO_REQUESTS" or status == 429:
            return ErrorKind.RATE_LIMITED
        if word == "INVALID_ACCESS":
            return ErrorKind.FORBIDDEN
        if word == "SERVER_ERROR" or status >= 500:
            return ErrorKind.SERVER
        if word == "INVALID_INPUT":
            return kind_for_status(400, detail)
        if status >= 300:
            return kind_for_status(status, detail)
        return ErrorKind.BAD_REPLY  # HTTP 200 with a status word we do not know

    def _bot_name(self, result: Any) -> str:
        bot = result.get("bot") if isinstance(result, dict) else None
        if not isinstance(bot, dict):
            return ""
        title = str(bot.get("bot_title") or "")
        username = str(bot.get("username") or "")
        if title and username:
            return f"{title} (@{username})"
        return title or (f"@{username}" if username else "")

    def _send_text(self, client: httpx.Client, message: Outgoing, text: str) -> str:
        body: dict[str, Any] = {"chat_id": message.chat_id, "text": text}
        if message.disable_notification:
            body["disable_notification"] = True
        result = self._result(
            call(client, self._url("sendMessage"), publishes=True, json_body=body)
        )
        return _message_id(result)

    def _send_file(
        self, client: httpx.Client, message: Outgoing, media: MediaFile, caption: str
    ) -> str:
        file_type = "Image" if media.content_type.startswith("image/") else "File"
        slot = self._result(
            call(
                client,
                self._url("requestSendFile"),
                publishes=False,
                json_body={"type": file_type},
            )
        )
        upload_url = slot.get("upload_url") if isinstance(slot, dict) else None
        if not isinstance(upload_url, str) or not upload_url:
            raise DeliveryError(ErrorKind.BAD_REPLY, f"requestSendFile: {str(slot)[:200]}")
        files = {"file": (media.name, media.content, media.content_type)}
        uploaded = self._result(call(client, upload_url, publishes=False, files=files))
        file_id = uploaded.get("file_id") if isinstance(uploaded, dict) else None
        if not isinstance(file_id, str | int) or not str(file_id):
            raise DeliveryError(ErrorKind.BAD_REPLY, f"upload: {str(uploaded)[:200]}")
        body: dict[str, Any] = {"chat_id": message.chat_id, "file_id": str(file_id)}
        if caption:
            body["text"] = caption
        if message.disable_notification:
            body["disable_notification"] = True
        response = call(client, self._url("sendFile"), publishes=True, json_body=body)
        result = self._result(response)
        return _message_id(result)
