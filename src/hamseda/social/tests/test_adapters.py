"""Every adapter against its local fake (a real HTTP server): what the platform
answers becomes a Sent or a DeliveryError of the right kind; nothing is retried
by the adapter itself. No database is needed."""

from __future__ import annotations

import socket

import pytest

from hamseda.social.adapters import (
    BotApiAdapter,
    DeliveryError,
    EitaaAdapter,
    MediaFile,
    Outgoing,
    RubikaAdapter,
    adapter_for,
    explain,
)
from hamseda.social.fakes import (
    FakeMessenger,
    Scripted,
    accept_and_drop,
    bad_request,
    forbidden,
    not_json,
    ok,
    rate_limited,
    server_error,
    slow,
    unauthorized,
)
from hamseda.social.models import CAPTION_LIMIT, TEXT_LIMIT, ErrorKind, Platform

FIXTURE_OF = {
    Platform.BALE: "fake_botapi",
    Platform.TELEGRAM: "fake_botapi",
    Platform.SOROUSH: "fake_botapi",
    Platform.EITAA: "fake_eitaa",
    Platform.RUBIKA: "fake_rubika",
}
# One platform per protocol, plus Telegram for its public links.
PLATFORMS = [Platform.BALE, Platform.TELEGRAM, Platform.EITAA, Platform.RUBIKA]
CHAT = "@hamseda_test"
# "Updates to the housing movement" with half-spaces (U+200C), Persian digits, an emoji.
PERSIAN = "به\u200cروزرسانی نهضت ملی مسکن: ۱۲۳ واحد تحویل شد \u200c🌱\n#نهضت_ملی_مسکن"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + bytes(reversed(range(256))) * 3


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(platform: str, request: pytest.FixtureRequest) -> FakeMessenger:
    return request.getfixturevalue(FIXTURE_OF[platform])


def adapter(platform: str, fake: FakeMessenger, *, token: str = "test-token", timeout: float = 5):
    return adapter_for(platform, base_url=fake.base_url, token=token, timeout=timeout)


def picture(name: str = "a.png", content: bytes = PNG, content_type: str = "image/png"):
    return MediaFile(name=name, content=content, content_type=content_type)


def send_error(platform: str, fake: FakeMessenger, message: Outgoing, **kwargs) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        adapter(platform, fake, **kwargs).send(message)
    return caught.value


# --- adapter_for ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        (Platform.BALE, BotApiAdapter),
        (Platform.TELEGRAM, BotApiAdapter),
        (Platform.SOROUSH, BotApiAdapter),
        (Platform.EITAA, EitaaAdapter),
        (Platform.RUBIKA, RubikaAdapter),
    ],
)
def test_adapter_for_picks_the_protocol_and_the_default_base(name, cls):
    chosen = adapter_for(name, base_url="", token="t")
    assert type(chosen) is cls
    assert chosen.base_url in {
        "https://tapi.bale.ai",
        "https://api.telegram.org",
        "https://api.splus.ir",
        "https://eitaayar.ir",
        "https://botapi.rubika.ir",
    }
    assert adapter_for(name, base_url="http://x:1/", token="t").base_url == "http://x:1"


@pytest.mark.parametrize(
    "name", [Platform.INSTAGRAM, Platform.APARAT, Platform.X, Platform.WEBSITE, "nonsense"]
)
def test_adapter_for_a_manual_platform_is_a_config_error(name):
    with pytest.raises(DeliveryError) as caught:
        adapter_for(name, base_url="http://127.0.0.1:1", token="t")
    assert caught.value.kind == ErrorKind.CONFIG
    assert not caught.value.retryable


def test_adapter_for_without_a_token_is_a_config_error():
    with pytest.raises(DeliveryError) as caught:
        adapter_for(Platform.BALE, base_url="", token="")
    assert caught.value.kind == ErrorKind.CONFIG
    _what, todo = explain(caught.value.kind)
    assert "توکن" in todo


def test_empty_chat_is_a_config_error_without_a_call(platform, fake):
    error = send_error(platform, fake, Outgoing(chat_id="", text="سلام"))
    assert error.kind == ErrorKind.CONFIG
    assert fake.calls == []


# --- success -------------------------------------------------------------------------


def test_text_is_published_and_its_id_returned(platform, fake):
    sent = adapter(platform, fake).send(Outgoing(chat_id=CHAT, text="سلام"))
    [received] = fake.received
    assert received.chat_id == CHAT
    assert received.text == "سلام"
    assert received.method == "sendMessage"
    assert sent.message_id == received.message_id
    assert sent.message_ids == (received.message_id,)
    expected_url = {
        Platform.BALE: f"https://ble.ir/hamseda_test/{received.message_id}",
        Platform.TELEGRAM: f"https://t.me/hamseda_test/{received.message_id}",
        Platform.EITAA: f"https://eitaa.com/hamseda_test/{received.message_id}",
        Platform.RUBIKA: "",
    }[platform]
    assert sent.url == expected_url


def test_second_chat_and_numeric_chat_have_no_or_right_link(fake_botapi):
    fake_botapi.chats.add("-100123")
    bale = adapter(Platform.BALE, fake_botapi)
    other = bale.send(Outgoing(chat_id="@isfahan_roads", text="یک"))
    numeric = bale.send(Outgoing(chat_id="-100123", text="دو"))
    assert other.url.startswith("https://ble.ir/isfahan_roads/")
    assert numeric.url == ""
    assert [m.chat_id for m in fake_botapi.received] == ["@isfahan_roads", "-100123"]
    assert len(fake_botapi.sent_to("@isfahan_roads")) == 1


def test_persian_half_spaces_arrive_byte_identical(platform, fake):
    adapter(platform, fake).send(Outgoing(chat_id=CHAT, text=PERSIAN))
    [received] = fake.received
    assert received.text.encode("utf-8") == PERSIAN.encode("utf-8")
    assert received.text.count("\u200c") == 2


def test_persian_caption_with_a_picture_arrives_byte_identical(platform, fake):
    adapter(platform, fake).send(Outgoing(chat_id=CHAT, text=PERSIAN, media=(picture(),)))
    [received] = fake.received
    assert received.text.encode("utf-8") == PERSIAN.encode("utf-8")


def test_disable_notification_is_passed_on(platform, fake):
    adapter(platform, fake).send(Outgoing(chat_id=CHAT, text="بی‌صدا", disable_notification=True))
    [received] = fake.received
    assert received.params["disable_notification"] in {"true", "1"}


def test_check_returns_the_bot_name(platform, fake):
    assert adapter(platform, fake).check() == "Hamseda Fake Bot (@hamseda_fake_bot)"
    assert [call.method for call in fake.calls] == ["getMe"]
    assert fake.received == []


def test_check_with_a_bad_token_is_unauthorized(platform, fake):
    with pytest.raises(DeliveryError) as caught:
        adapter(platform, fake, token="wrong").check()
    assert caught.value.kind == ErrorKind.UNAUTHORIZED


# --- uploads ---------------------------------------------------------------------------


def test_one_picture_goes_with_its_caption_in_one_message(platform, fake):
    sent = adapter(platform, fake).send(
        Outgoing(chat_id=CHAT, text="عکس روز", media=(picture("روز.png"),))
    )
    [received] = fake.received
    assert received.text == "عکس روز"
    assert received.files == [("روز.png", PNG)]
    assert received.method in {"sendPhoto", "sendFile"}
    assert sent.message_ids == (received.message_id,)


def test_several_pictures_then_the_text(platform, fake):
    media = (picture("a.png"), picture("b.jpg", JPEG, "image/jpeg"))
    sent = adapter(platform, fake).send(Outgoing(chat_id=CHAT, text="دو عکس", media=media))
    first, second, text = fake.received
    assert first.files == [("a.png", PNG)]
    assert second.files == [("b.jpg", JPEG)]
    assert first.text == second.text == ""
    assert text.method == "sendMessage"
    assert text.text == "دو عکس"
    assert sent.message_ids == (first.message_id, second.message_id, text.message_id)
    assert sent.message_id == first.message_id


def test_a_picture_without_text_is_one_message(platform, fake):
    sent = adapter(platform, fake).send(Outgoing(chat_id=CHAT, text="", media=(picture(),)))
    [received] = fake.received
    assert received.files == [("a.png", PNG)]
    assert len(sent.message_ids) == 1


# Rubika's caption limit is its text limit (see test_rubika_takes_a_long_caption).
@pytest.mark.parametrize("platform", [Platform.BALE, Platform.TELEGRAM, Platform.EITAA])
def test_caption_longer_than_the_limit_sends_picture_then_text(platform, fake):
    limit = CAPTION_LIMIT[platform]
    assert limit is not None
    text = ("متن\u200cبلند " * 1000)[: limit + 1]
    assert len(text) == limit + 1 <= (TEXT_LIMIT[platform] or 0)
    sent = adapter(platform, fake).send(Outgoing(chat_id=CHAT, text=text, media=(picture(),)))
    photo, message = fake.received
    assert photo.files == [("a.png", PNG)]
    assert photo.text == ""
    assert message.text == text
    assert len(sent.message_ids) == 2


def test_rubika_takes_a_long_caption(fake_rubika):
    text = "ت" * 3000
    adapter(Platform.RUBIKA, fake_rubika).send(
        Outgoing(chat_id=CHAT, text=text, media=(picture(),))
    )
    [received] = fake_rubika.received
    assert received.text == text
    assert [c.method for c in fake_rubika.calls] == ["requestSendFile", "upload", "sendFile"]


def test_a_document_goes_by_send_document(fake_botapi):
    pdf = MediaFile(name="گزارش.pdf", content=b"%PDF-1.4 test", content_type="application/pdf")
    adapter(Platform.BALE, fake_botapi).send(Outgoing(chat_id=CHAT, text="گزارش", media=(pdf,)))
    [received] = fake_botapi.received
    assert received.method == "sendDocument"
    assert received.files == [("گزارش.pdf", b"%PDF-1.4 test")]


def test_a_failure_after_a_part_was_published_is_uncertain(platform, fake):
    fake.script(ok(), rate_limited(5))
    media = (picture("a.png"), picture("b.png"))
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سه بخش", media=media))
    assert error.kind == ErrorKind.UNCERTAIN
    assert not error.retryable
    assert "partly published: 1 of 3" in error.detail
    assert len(fake.received) == 1
    assert len(fake.send_calls()) == 2  # not retried, the text never tried


def test_text_longer_than_the_limit_fails_before_any_call(platform, fake):
    limit = TEXT_LIMIT[platform]
    assert limit is not None
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="ا" * (limit + 1)))
    assert error.kind == ErrorKind.TOO_LONG
    assert fake.calls == []


# --- failures ------------------------------------------------------------------------


def test_unknown_chat(platform, fake):
    error = send_error(platform, fake, Outgoing(chat_id="@nobody_here", text="سلام"))
    assert error.kind == ErrorKind.CHAT_NOT_FOUND
    assert "chat not found" in error.detail
    assert not error.retryable
    assert fake.received == []


def test_bad_token(platform, fake):
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"), token="bad-token")
    assert error.kind == ErrorKind.UNAUTHORIZED
    assert error.http_status == 401
    assert not error.retryable
    assert fake.received == []


@pytest.mark.parametrize(
    ("scripted", "kind"),
    [
        (unauthorized(), ErrorKind.UNAUTHORIZED),
        (forbidden(), ErrorKind.FORBIDDEN),
        (bad_request("Bad Request: message is too long"), ErrorKind.TOO_LONG),
        (bad_request("Bad Request: wrong file identifier"), ErrorKind.BAD_REQUEST),
        (bad_request("Bad Request: chat not found"), ErrorKind.CHAT_NOT_FOUND),
    ],
)
def test_scripted_refusals(platform, fake, scripted, kind):
    fake.script(scripted)
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == kind
    assert not error.retryable
    assert fake.received == []
    what, todo = explain(error.kind)
    assert what
    assert todo


@pytest.mark.parametrize("seconds", [1, 7])
def test_rate_limit_carries_retry_after_and_is_not_retried(platform, fake, seconds):
    fake.script(rate_limited(seconds))
    message = Outgoing(chat_id=CHAT, text="سلام")
    error = send_error(platform, fake, message)
    assert error.kind == ErrorKind.RATE_LIMITED
    assert error.retry_after == float(seconds)
    assert error.retryable
    assert fake.received == []
    assert len(fake.send_calls()) == 1
    # The caller retries (later); the fake accepts it then.
    adapter(platform, fake).send(message)
    assert len(fake.received) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error(platform, fake, status):
    fake.script(server_error(status))
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == ErrorKind.SERVER
    assert error.http_status == status
    assert error.retryable
    assert len(fake.send_calls()) == 1
    assert fake.received == []


def test_a_reply_that_is_not_json(platform, fake):
    fake.script(not_json())
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == ErrorKind.BAD_REPLY
    assert "Service temporarily unavailable" in error.detail
    assert not error.retryable


def test_a_gateway_error_page_is_a_server_error(platform, fake):
    fake.script(Scripted("not_json", status=504))
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == ErrorKind.SERVER
    assert error.http_status == 504


def test_connection_refused_is_a_network_error(platform):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there now.
    chosen = adapter_for(platform, base_url=f"http://127.0.0.1:{port}", token="t", timeout=2)
    with pytest.raises(DeliveryError) as caught:
        chosen.send(Outgoing(chat_id=CHAT, text="سلام"))
    assert caught.value.kind == ErrorKind.NETWORK
    assert caught.value.retryable


def test_accepted_then_dropped_is_uncertain(platform, fake):
    fake.script(accept_and_drop())
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == ErrorKind.UNCERTAIN
    assert not error.retryable
    assert len(fake.received) == 1  # the platform did publish it


def test_a_reply_slower_than_the_timeout_is_uncertain(platform, fake):
    fake.script(slow(1.5))
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"), timeout=0.4)
    assert error.kind == ErrorKind.UNCERTAIN
    assert "ReadTimeout" in error.detail


def test_a_slow_reply_within_the_timeout_is_fine(platform, fake):
    fake.script(slow(0.3))
    sent = adapter(platform, fake, timeout=5).send(Outgoing(chat_id=CHAT, text="سلام"))
    assert sent.message_id == fake.received[0].message_id


def test_check_when_the_connection_drops_is_a_network_error(platform, fake):
    # getMe publishes nothing: a dropped connection there is not "uncertain".
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DeliveryError) as caught:
        adapter_for(platform, base_url=f"http://127.0.0.1:{port}", token="t", timeout=2).check()
    assert caught.value.kind == ErrorKind.NETWORK


def test_rubika_upload_failure_before_publishing_is_not_uncertain(fake_rubika):
    # The scripted reply hits sendFile only after requestSendFile and upload
    # succeeded; a drop there is uncertain, but an unknown chat is plain.
    error = send_error(
        Platform.RUBIKA,
        fake_rubika,
        Outgoing(chat_id="@nobody_here", text="x", media=(picture(),)),
    )
    assert error.kind == ErrorKind.CHAT_NOT_FOUND
    assert fake_rubika.received == []


def test_rubika_error_replies_are_http_200_with_a_status_word(fake_rubika):
    fake_rubika.script(rate_limited(3))
    error = send_error(Platform.RUBIKA, fake_rubika, Outgoing(chat_id=CHAT, text="x"))
    assert error.http_status == 200
    assert error.kind == ErrorKind.RATE_LIMITED
    assert error.detail.startswith("TOO_REQUESTS")
    assert error.retry_after == 3.0


def test_a_429_page_that_is_not_json_is_still_a_rate_limit(platform, fake):
    fake.script(Scripted("not_json", status=429))
    error = send_error(platform, fake, Outgoing(chat_id=CHAT, text="سلام"))
    assert error.kind == ErrorKind.RATE_LIMITED
    assert error.retry_after is None  # no hint: the delivery service's backoff decides
    assert error.retryable


def test_the_shared_tls_context_verifies_certificates():
    import ssl

    from hamseda.social.adapters.botapi import ssl_context

    context = ssl_context()
    assert context is ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 10
