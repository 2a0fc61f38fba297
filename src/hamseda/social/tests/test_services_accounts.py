"""Channels of an office: their bot token encrypted, kept or replaced, never
written in clear anywhere, and the connection check against the fakes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.core.models import AuditEvent
from hamseda.social.models import Platform, SocialAccount
from hamseda.social.services import accounts

TOKEN = "987654:bale-token-ABCD"


def _create(world, **fields):
    values = {
        "actor": world.staff,
        "office": world.chair_office,
        "platform": Platform.BALE,
        "title": "کانال راه و شهرسازی اصفهان در بله",
        "chat_id": "@isfahan_roads",
        "token": TOKEN,
    }
    values.update(fields)
    return accounts.account_create(**values)


def test_the_token_is_stored_encrypted_and_only_its_hint_is_shown(world):
    account = _create(world)
    assert account.token_encrypted
    assert TOKEN not in account.token_encrypted
    assert account.token_hint == "…ABCD"
    assert accounts.account_token(account) == TOKEN
    event = AuditEvent.objects.get(event="social_account_created", target_id=str(account.pk))
    assert TOKEN not in str(event.changes)
    assert event.changes["token"] == [None, "…ABCD"]


def test_an_empty_token_keeps_the_stored_one_and_a_new_one_replaces_it(world):
    account = _create(world)
    stored = account.token_encrypted
    for keep in (None, "", "  "):
        account = accounts.account_update(
            actor=world.staff, account=account, token=keep, title="کانال بله"
        )
        assert account.token_encrypted == stored
    assert account.title == "کانال بله"
    account = accounts.account_update(actor=world.staff, account=account, token="new-token-WXYZ")
    assert accounts.account_token(account) == "new-token-WXYZ"
    assert account.token_hint == "…WXYZ"
    event = AuditEvent.objects.filter(event="social_account_edited").latest("pk")
    assert event.changes["token"] == ["…ABCD", "…WXYZ"]
    assert "new-token" not in str(event.changes)

    account = accounts.account_clear_token(actor=world.staff, account=account)
    assert (account.token_encrypted, account.token_hint, account.has_token) == ("", "", False)


def test_a_channel_is_checked_by_its_fields(world):
    with pytest.raises(ValidationError) as error:
        _create(world, title="", chat_id="", platform=Platform.EITAA, url="not a url")
    assert set(error.value.message_dict) == {"title", "chat_id", "url"}
    _create(world)
    with pytest.raises(ValidationError) as error:
        _create(world, title="دوباره")
    assert "chat_id" in error.value.message_dict
    # a manual platform needs no chat nor token
    website = _create(
        world, platform=Platform.WEBSITE, chat_id="", token="", url="https://example.ir/news"
    )
    assert website.is_manual
    assert not website.has_token
    with pytest.raises(TypeError):
        accounts.account_update(actor=world.staff, account=website, token_encrypted="x")


def test_only_the_office_manages_its_channels(world):
    with pytest.raises(PermissionDenied):
        _create(world, actor=world.member_staff)
    account = _create(world)
    with pytest.raises(PermissionDenied):
        accounts.account_update(actor=world.fars_chair, account=account, title="x")
    assert SocialAccount.objects.get(pk=account.pk).title != "x"


def test_the_check_names_the_bot_or_says_what_to_do(world, fake_botapi):
    account = _create(world, api_base_url=fake_botapi.base_url, token="test-token")
    account = accounts.account_check(actor=world.staff, account=account)
    assert account.checked_at is not None
    assert account.bot_name
    assert account.check_error == ""

    account = accounts.account_update(actor=world.staff, account=account, token="wrong-token")
    assert account.checked_at is None  # the old check was of another bot
    account = accounts.account_check(actor=world.staff, account=account)
    assert account.bot_name == ""
    assert "توکن" in account.check_error
