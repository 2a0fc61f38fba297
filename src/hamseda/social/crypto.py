"""Bot tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a MultiFernet.

Keys come from ``settings.SOCIAL_TOKEN_KEYS`` (Fernet keys, the first encrypts,
every one decrypts: rotate by putting a new key first). With no key configured,
one is derived from ``SECRET_KEY`` with HKDF-SHA256; that derived key also stays
a decryption key after real keys are configured, so tokens stored before still
open. Tokens are never shown back: only ``hint`` («…abcd»).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"hamseda.social.token-encryption"


class UndecryptableToken(ValueError):
    """The stored value was not made with any of the configured keys."""


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _fernet() -> MultiFernet:
    keys: list[bytes] = [
        key.encode() if isinstance(key, str) else key
        for key in (getattr(settings, "SOCIAL_TOKEN_KEYS", None) or [])
        if key
    ]
    derived = _derived_key()
    if derived not in keys:
        keys.append(derived)
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode("ascii")


def decrypt(value: str) -> str:
    try:
        return _fernet().decrypt(value.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise UndecryptableToken("the token was encrypted with a key not configured") from exc


def rotate(value: str) -> str:
    """Re-encrypt under the first (current) key."""
    return _fernet().rotate(value.encode("ascii")).decode("ascii")


def hint(token: str) -> str:
    """What may be shown of a token: «…» and its last four characters."""
    token = token.strip()
    if not token:
        return ""
    return "…" + token[-4:]
