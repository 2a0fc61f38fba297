"""One adapter per protocol; ``adapter_for`` picks it for a platform.

- Telegram, Bale, Soroush Plus: ``BotApiAdapter`` (only the base URL differs);
- Eitaa: ``EitaaAdapter`` (Eitaayar);
- Rubika: ``RubikaAdapter``.

Other platforms have no API we publish through (copy/export and a "published by
hand" mark instead): asking for their adapter raises ``DeliveryError(CONFIG)``.
"""

from __future__ import annotations

from hamseda.social.adapters.base import (
    Adapter,
    DeliveryError,
    MediaFile,
    Outgoing,
    Sent,
    explain,
)
from hamseda.social.adapters.botapi import BotApiAdapter, MessengerAdapter
from hamseda.social.adapters.eitaa import EitaaAdapter
from hamseda.social.adapters.rubika import RubikaAdapter
from hamseda.social.models import DEFAULT_BASE_URL, ErrorKind, Protocol, protocol_of

__all__ = [
    "Adapter",
    "BotApiAdapter",
    "DeliveryError",
    "EitaaAdapter",
    "MediaFile",
    "Outgoing",
    "RubikaAdapter",
    "Sent",
    "adapter_for",
    "explain",
]

ADAPTER_CLASSES: dict[str, type[MessengerAdapter]] = {
    Protocol.BOT_API: BotApiAdapter,
    Protocol.EITAAYAR: EitaaAdapter,
    Protocol.RUBIKA: RubikaAdapter,
}


def adapter_for(platform: str, *, base_url: str, token: str, timeout: float = 20.0) -> Adapter:
    """The adapter publishing to ``platform`` through ``base_url`` (empty: the
    platform's public API) with the bot ``token``. Raises DeliveryError(CONFIG)
    for a platform without an API, an empty token or no base URL."""
    cls = ADAPTER_CLASSES.get(protocol_of(platform))
    if cls is None:
        raise DeliveryError(ErrorKind.CONFIG, f"{platform}: no API to publish through")
    if not token:
        raise DeliveryError(ErrorKind.CONFIG, f"{platform}: no bot token")
    url = (base_url or DEFAULT_BASE_URL.get(platform, "")).strip()
    if not url:
        raise DeliveryError(ErrorKind.CONFIG, f"{platform}: no API address")
    return cls(platform=platform, base_url=url, token=token, timeout=timeout)
