"""The messenger fakes themselves, spoken to with plain httpx (not our adapters):
routes, tokens, chats, parameter encodings, scripts in order, the record of
what arrived, and the ``python -m hamseda.social.fakes`` entry point."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from hamseda.social.fakes import (
    BOTAPI,
    EITAAYAR,
    RUBIKA,
    FakeMessenger,
    accept_and_drop,
    bad_request,
    not_json,
    rate_limited,
    serve_demo,
    server_error,
    slow,
)

TEXT = "پیام\u200cهای آزمایشی"


def url(fake: FakeMessenger, method: str, token: str = "test-token") -> str:
    prefix = {BOTAPI: f"bot{token}", EITAAYAR: f"api/{token}", RUBIKA: f"v3/{token}"}
    return f"{fake.base_url}/{prefix[fake.protocol]}/{method}"


def send(fake: FakeMessenger, chat: str = "@hamseda_test", text: str = TEXT, **kw):
    return httpx.post(url(fake, "sendMessage", **kw), json={"chat_id": chat, "text": text})


@pytest.fixture(params=[BOTAPI, EITAAYAR, RUBIKA])
def any_fake(request):
    fixture = {BOTAPI: "fake_botapi", EITAAYAR: "fake_eitaa", RUBIKA: "fake_rubika"}
    return request.getfixturevalue(fixture[request.param])


def free_port_run(count: int) -> int:
    """A port p such that p .. p+count-1 are free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        sockets = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return first
    raise RuntimeError("no run of free ports")


def test_fixtures_accept_the_test_token_and_both_chats(any_fake):
    assert any_fake.base_url.startswith("http://127.0.0.1:")
    assert send(any_fake, "@hamseda_test").status_code == 200
    assert send(any_fake, "@isfahan_roads").status_code == 200
    assert [m.chat_id for m in any_fake.received] == ["@hamseda_test", "@isfahan_roads"]
    assert all(m.token == "test-token" for m in any_fake.received)


def test_get_me_answers_bot_info(any_fake):
    reply = httpx.post(url(any_fake, "getMe")).json()
    if any_fake.protocol == RUBIKA:
        assert reply == {
            "status": "OK",
            "data": {
                "bot": {
                    "bot_id": "b0hamseda",
                    "bot_title": "Hamseda Fake Bot",
                    "username": "hamseda_fake_bot",
                }
            },
        }
    else:
        assert reply["ok"] is True
        assert reply["result"]["username"] == "hamseda_fake_bot"


def test_unknown_token_is_401_and_records_nothing(any_fake):
    reply = send(any_fake, token="stolen")
    assert reply.status_code == 401
    assert any_fake.received == []
    assert [(c.method, c.status, c.token) for c in any_fake.calls] == [
        ("sendMessage", 401, "stolen")
    ]


def test_unknown_chat(any_fake):
    reply = send(any_fake, chat="@elsewhere")
    body = reply.json()
    if any_fake.protocol == RUBIKA:
        assert reply.status_code == 200
        assert body == {"status": "INVALID_INPUT", "dev_message": "Bad Request: chat not found"}
    else:
        assert reply.status_code == 400
        assert body == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: chat not found",
        }
    assert any_fake.received == []


def test_unknown_method_and_path_are_404(fake_botapi):
    assert httpx.post(url(fake_botapi, "launchRocket")).status_code == 404
    assert httpx.post(f"{fake_botapi.base_url}/nothing/here").status_code == 404


def test_script_answers_send_calls_in_order_then_normal(any_fake):
    any_fake.script(rate_limited(3), server_error(500), bad_request("Bad Request: nope"))
    # getMe and a bad token do not use up the script.
    assert httpx.post(url(any_fake, "getMe")).status_code == 200
    assert send(any_fake, token="bad").status_code == 401
    replies = [send(any_fake) for _ in range(4)]
    if any_fake.protocol == RUBIKA:
        assert [r.status_code for r in replies] == [200, 500, 200, 200]
        assert [r.json()["status"] for r in replies] == [
            "TOO_REQUESTS",
            "SERVER_ERROR",
            "INVALID_INPUT",
            "OK",
        ]
    else:
        assert [r.status_code for r in replies] == [429, 500, 400, 200]
        assert replies[0].json()["parameters"] == {"retry_after": 3}
        assert replies[2].json()["description"] == "Bad Request: nope"
    assert replies[0].headers["Retry-After"] == "3"
    assert any_fake.pending_script == []
    assert len(any_fake.received) == 1
    assert [c.status for c in any_fake.send_calls()] == [401] + [r.status_code for r in replies]


def test_not_json_reply(fake_eitaa):
    fake_eitaa.script(not_json())
    reply = send(fake_eitaa)
    assert reply.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        reply.json()


def test_accept_and_drop_records_then_closes(any_fake):
    any_fake.script(accept_and_drop())
    with pytest.raises(httpx.RemoteProtocolError):
        send(any_fake)
    [received] = any_fake.received
    assert received.text == TEXT
    assert any_fake.calls[-1].status == 0


def test_slow_waits_then_answers(fake_botapi):
    fake_botapi.script(slow(0.5))
    started = time.monotonic()
    assert send(fake_botapi).status_code == 200
    assert time.monotonic() - started >= 0.5
    fake_botapi.script(slow(1))
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            url(fake_botapi, "sendMessage"),
            json={"chat_id": "@hamseda_test", "text": "x"},
            timeout=0.2,
        )


def test_duplicates_are_all_recorded(any_fake):
    send(any_fake)
    send(any_fake)
    send(any_fake, chat="@isfahan_roads")
    assert len(any_fake.received) == 3
    assert len(any_fake.sent_to("@hamseda_test")) == 2
    ids = [m.message_id for m in any_fake.received]
    assert len(set(ids)) == 3


@pytest.mark.parametrize("encoding", ["json", "form", "multipart", "query"])
def test_every_parameter_encoding_keeps_persian_text(fake_botapi, encoding):
    params = {"chat_id": "@hamseda_test", "text": TEXT}
    target = url(fake_botapi, "sendMessage")
    if encoding == "json":
        reply = httpx.post(target, json=params)
    elif encoding == "form":
        reply = httpx.post(target, data=params)
    elif encoding == "multipart":
        reply = httpx.post(target, data=params, files={"unused": ("x.txt", b"x")})
    else:
        reply = httpx.get(target, params=params)
    assert reply.status_code == 200
    assert reply.json()["result"]["text"] == TEXT
    assert fake_botapi.received[0].text.encode() == TEXT.encode()


def test_text_limits(fake_botapi):
    assert send(fake_botapi, text="").json()["description"] == "Bad Request: message text is empty"
    too_long = send(fake_botapi, text="x" * 4097)
    assert too_long.json()["description"] == "Bad Request: message is too long"
    caption = httpx.post(
        url(fake_botapi, "sendPhoto"),
        data={"chat_id": "@hamseda_test", "caption": "x" * 1025},
        files={"photo": ("a.png", b"png")},
    )
    assert caption.json()["description"] == "Bad Request: message caption is too long"
    assert fake_botapi.received == []


def test_botapi_upload_and_photo_by_url(fake_botapi):
    reply = httpx.post(
        url(fake_botapi, "sendPhoto"),
        data={"chat_id": "@hamseda_test", "caption": TEXT},
        files={"photo": ("عکس.png", b"\x89PNG-bytes", "image/png")},
    )
    assert reply.json()["result"]["caption"] == TEXT
    by_url = httpx.post(
        url(fake_botapi, "sendPhoto"),
        json={"chat_id": "@hamseda_test", "photo": "https://example.org/a.png"},
    )
    assert by_url.status_code == 200
    missing = httpx.post(url(fake_botapi, "sendPhoto"), json={"chat_id": "@hamseda_test"})
    assert missing.status_code == 400
    assert [m.files for m in fake_botapi.received] == [
        [("عکس.png", b"\x89PNG-bytes")],
        [("https://example.org/a.png", b"")],
    ]


def test_eitaa_send_file_needs_a_file(fake_eitaa):
    missing = httpx.post(url(fake_eitaa, "sendFile"), data={"chat_id": "@hamseda_test"})
    assert missing.status_code == 400
    reply = httpx.post(
        url(fake_eitaa, "sendFile"),
        data={"chat_id": "@hamseda_test", "caption": TEXT, "pin": "1"},
        files={"file": ("a.jpg", b"jpeg")},
    )
    assert reply.status_code == 200
    [received] = fake_eitaa.received
    assert (received.text, received.files, received.params["pin"]) == (
        TEXT,
        [("a.jpg", b"jpeg")],
        "1",
    )


def test_rubika_file_flow_and_bad_upload_urls(fake_rubika):
    slot = httpx.post(url(fake_rubika, "requestSendFile"), json={"type": "Image"}).json()
    upload_url = slot["data"]["upload_url"]
    assert upload_url.startswith(fake_rubika.base_url + "/upload/test-token/")
    uploaded = httpx.post(upload_url, files={"file": ("a.png", b"png-bytes")}).json()
    file_id = uploaded["data"]["file_id"]
    # An upload url serves once.
    again = httpx.post(upload_url, files={"file": ("a.png", b"x")}).json()
    assert again["status"] == "INVALID_INPUT"
    bad = httpx.post(
        url(fake_rubika, "sendFile"), json={"chat_id": "@hamseda_test", "file_id": "nope"}
    ).json()
    assert bad["status"] == "INVALID_INPUT"
    sent = httpx.post(
        url(fake_rubika, "sendFile"),
        json={"chat_id": "@hamseda_test", "file_id": file_id, "text": TEXT},
    ).json()
    assert sent["status"] == "OK"
    [received] = fake_rubika.received
    assert received.files == [("a.png", b"png-bytes")]
    assert received.message_id == sent["data"]["message_id"]


def test_received_over_http(fake_eitaa):
    send(fake_eitaa)
    listing = httpx.get(f"{fake_eitaa.base_url}/_fake/received").json()
    assert [(m["chat_id"], m["text"]) for m in listing] == [("@hamseda_test", TEXT)]


def test_stop_frees_the_port_and_start_twice_is_harmless():
    fake = FakeMessenger(BOTAPI)
    with pytest.raises(RuntimeError):
        _ = fake.base_url
    fake.start()
    fake.start()
    port = int(fake.base_url.rsplit(":", 1)[1])
    fake.stop()
    fake.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"http://127.0.0.1:{port}/bottest-token/getMe")
    with FakeMessenger(BOTAPI, port=port) as again:
        assert again.base_url.endswith(f":{port}")


def test_unknown_protocol():
    with pytest.raises(ValueError, match="unknown protocol"):
        FakeMessenger("carrier-pigeon")


def test_open_fake_accepts_any_token_and_chat():
    with FakeMessenger(EITAAYAR, tokens=None, chats=None) as fake:
        reply = httpx.post(
            f"{fake.base_url}/api/any-token/sendMessage", data={"chat_id": "123", "text": "x"}
        )
        assert reply.status_code == 200
        empty = httpx.post(f"{fake.base_url}/api/any/sendMessage", data={"text": "x"})
        assert empty.status_code == 400


def test_serve_demo_starts_three_protocols_on_consecutive_ports(capsys):
    first = free_port_run(3)
    fakes = serve_demo("127.0.0.1", first, tokens=["demo"], chats=None, verbose=True)
    try:
        assert [f.protocol for f in fakes] == [BOTAPI, EITAAYAR, RUBIKA]
        assert [f.base_url for f in fakes] == [f"http://127.0.0.1:{first + i}" for i in range(3)]
        assert send(fakes[1], chat="@any", token="demo").status_code == 200
        assert send(fakes[1], chat="@any", token="other").status_code == 401
        assert "[eitaayar] sendMessage → @any" in capsys.readouterr().out
    finally:
        for fake in fakes:
            fake.stop()


def test_python_m_entry_point_serves_until_terminated():
    first = free_port_run(3)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hamseda.social.fakes",
            "--port",
            str(first),
            "--tokens",
            "demo-token,other",
            "--chats",
            "@demo",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        deadline = time.monotonic() + 15
        reply = None
        while time.monotonic() < deadline:
            try:
                reply = httpx.post(f"http://127.0.0.1:{first}/botdemo-token/getMe", timeout=2)
                break
            except httpx.ConnectError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        assert reply is not None
        assert reply.json()["result"]["first_name"] == "Hamseda Fake Bot"
        assert httpx.post(f"http://127.0.0.1:{first}/botwrong/getMe").status_code == 401
        eitaa = httpx.post(
            f"http://127.0.0.1:{first + 1}/api/other/sendMessage",
            data={"chat_id": "@demo", "text": TEXT},
        )
        assert eitaa.json()["ok"] is True
        rubika = httpx.post(f"http://127.0.0.1:{first + 2}/v3/demo-token/getMe", json={})
        assert rubika.json()["status"] == "OK"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert f"botapi: http://127.0.0.1:{first}" in out
    assert "[eitaayar] sendMessage → @demo: پیام\u200cهای آزمایشی" in out
