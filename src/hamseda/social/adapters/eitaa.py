"""Eitaa through Eitaayar: ``POST {base}/api/{TOKEN}/{method}``.

``sendMessage`` (form: ``chat_id``, ``text``, ``disable_notification`` 0/1) and
``sendFile`` (multipart ``file`` with ``caption``). Replies carry ``ok`` and, on
error, ``description`` like the Bot API (an ``error_code`` where given, else the
HTTP status); the success ``result`` shape is not confirmed, so the message id is
read tolerantly.
"""

from __future__ import annotations

import httpx

from hamseda.social.adapters.base import MediaFile, Outgoing
from hamseda.social.adapters.botapi import BotApiAdapter, call


class EitaaAdapter(BotApiAdapter):
    def _url(self, method: str) -> str:
        return f"{self.base_url}/api/{self.token}/{method}"

    def _options(self, message: Outgoing) -> dict[str, str]:
        return {
            "chat_id": message.chat_id,
            "disable_notification": "1" if message.disable_notification else "0",
        }

    def _send_text(self, client: httpx.Client, message: Outgoing, text: str) -> str:
        data = {**self._options(message), "text": text}
        return self._sent_id(call(client, self._url("sendMessage"), publishes=True, data=data))

    def _send_file(
        self, client: httpx.Client, message: Outgoing, media: MediaFile, caption: str
    ) -> str:
        data = self._options(message)
        if caption:
            data["caption"] = caption
        files = {"file": (media.name, media.content, media.content_type)}
        return self._sent_id(
            call(client, self._url("sendFile"), publishes=True, data=data, files=files)
        )
