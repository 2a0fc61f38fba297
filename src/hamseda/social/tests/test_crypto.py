"""Bot tokens at rest: encrypted, rotatable, never shown in full."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from hamseda.social import crypto

TOKEN = "123456:AAE-bale-bot-token-x9Zq"


def test_a_token_is_encrypted_and_comes_back(settings):
    settings.SOCIAL_TOKEN_KEYS = []
    stored = crypto.encrypt(TOKEN)
    assert TOKEN not in stored
    assert crypto.encrypt(TOKEN) != stored  # a fresh IV each time
    assert crypto.decrypt(stored) == TOKEN


def test_without_keys_the_key_comes_from_the_secret_key(settings):
    settings.SOCIAL_TOKEN_KEYS = []
    stored = crypto.encrypt(TOKEN)
    settings.SECRET_KEY = "another-secret-key-of-another-installation"
    with pytest.raises(crypto.UndecryptableToken):
        crypto.decrypt(stored)


def test_keys_rotate_and_old_tokens_still_open(settings):
    settings.SOCIAL_TOKEN_KEYS = []
    from_secret = crypto.encrypt(TOKEN)
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    settings.SOCIAL_TOKEN_KEYS = [old_key]
    under_old = crypto.encrypt(TOKEN)
    assert Fernet(old_key.encode()).decrypt(under_old.encode()).decode() == TOKEN

    settings.SOCIAL_TOKEN_KEYS = [new_key, old_key]
    assert crypto.decrypt(under_old) == TOKEN
    assert crypto.decrypt(from_secret) == TOKEN
    rotated = crypto.rotate(under_old)
    assert Fernet(new_key.encode()).decrypt(rotated.encode()).decode() == TOKEN

    settings.SOCIAL_TOKEN_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableToken):
        crypto.decrypt(rotated)


def test_only_the_last_characters_are_ever_shown():
    assert crypto.hint(TOKEN) == "…x9Zq"
    assert crypto.hint("  ") == ""
    with pytest.raises(crypto.UndecryptableToken):
        crypto.decrypt("not a fernet token")
