"""Fixtures of the social app's tests: the local messenger fakes (real HTTP servers).

Each fake accepts the token "test-token" and the chats "@hamseda_test" and
"@isfahan_roads"; see ``hamseda.social.fakes`` for scripting failures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hamseda.social.fakes import BOTAPI, EITAAYAR, RUBIKA, FakeMessenger

FAKE_TOKEN = "test-token"
FAKE_CHATS = ("@hamseda_test", "@isfahan_roads")


def _fake(protocol: str) -> Iterator[FakeMessenger]:
    with FakeMessenger(protocol, tokens=(FAKE_TOKEN,), chats=FAKE_CHATS) as fake:
        yield fake


@pytest.fixture
def fake_botapi() -> Iterator[FakeMessenger]:
    """Telegram Bot API protocol (Telegram, Bale, Soroush Plus)."""
    yield from _fake(BOTAPI)


@pytest.fixture
def fake_eitaa() -> Iterator[FakeMessenger]:
    """Eitaayar."""
    yield from _fake(EITAAYAR)


@pytest.fixture
def fake_rubika() -> Iterator[FakeMessenger]:
    """Rubika bot API."""
    yield from _fake(RUBIKA)
