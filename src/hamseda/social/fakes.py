"""Local fakes of the messenger APIs the social adapters speak: real HTTP servers.

One ``FakeMessenger`` per protocol, each a ``ThreadingHTTPServer`` in a daemon
thread on a free port (or the port you give):

- ``"botapi"``: the Telegram Bot API protocol (Telegram, Bale, Soroush Plus),
  ``POST {base}/bot{TOKEN}/{method}``; ``getMe``, ``sendMessage``, ``sendPhoto``,
  ``sendDocument``; replies ``{"ok": true, "result": ...}`` or
  ``{"ok": false, "error_code": N, "description": ...}`` (429 adds
  ``parameters.retry_after``).
- ``"eitaayar"`` (alias ``"eitaa"``): Eitaayar, ``POST {base}/api/{TOKEN}/{method}``;
  ``getMe``, ``sendMessage``, ``sendFile`` (multipart field ``file``); the same
  reply shapes as the Bot API.
- ``"rubika"``: Rubika's bot API, ``POST {base}/v3/{TOKEN}/{method}`` with JSON;
  ``getMe``, ``sendMessage``, ``requestSendFile`` → ``upload_url`` (multipart POST
  there → ``file_id``), ``sendFile``; replies ``{"status": "OK", "data": ...}`` or
  ``{"status": "INVALID_INPUT" | "INVALID_ACCESS" | "TOO_REQUESTS" |
  "SERVER_ERROR", "dev_message": ...}``.

Parameters are read from the query string, a form, JSON or multipart, as the real
APIs allow. An unknown token answers 401, an unknown chat 400 "chat not found"
(Rubika: ``INVALID_INPUT``). ``script(...)`` makes the next *send* calls (the
methods that publish a message) answer a scripted failure instead, in order:
``rate_limited``, ``server_error``, ``not_json``, ``bad_request``,
``unauthorized``, ``forbidden``, ``accept_and_drop`` (records the message, then
closes the connection without a reply) and ``slow`` (waits, then replies
normally). Every accepted message is recorded in ``received`` (duplicates too,
so tests can see them) and every request in ``calls``.

``GET {base}/_fake/received`` answers the recorded messages as JSON, so a person
running the demo can see what arrived.

Run ``python -m hamseda.social.fakes --port 8081`` to serve the Bot API protocol
on 8081, Eitaayar on 8082 and Rubika on 8083 (the demo does this).
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOTAPI = "botapi"
EITAAYAR = "eitaayar"
RUBIKA = "rubika"
PROTOCOLS = (BOTAPI, EITAAYAR, RUBIKA)
_ALIASES = {"eitaa": EITAAYAR, "telegram": BOTAPI, "bale": BOTAPI, "soroush": BOTAPI}

TEXT_LIMIT = 4096
CAPTION_LIMIT = {BOTAPI: 1024, EITAAYAR: 1024, RUBIKA: 4096}

# The methods that publish a message: scripted replies apply to these only.
SEND_METHODS = {
    BOTAPI: frozenset({"sendMessage", "sendPhoto", "sendDocument"}),
    EITAAYAR: frozenset({"sendMessage", "sendFile"}),
    RUBIKA: frozenset({"sendMessage", "sendFile"}),
}
# Where a Bot API upload method finds its file.
_BOTAPI_FILE_FIELD = {"sendPhoto": "photo", "sendDocument": "document"}


# --- scripted replies ---------------------------------------------------------


@dataclass(frozen=True)
class Scripted:
    """One scripted answer to a send call (see the helpers below)."""

    kind: str
    status: int = 200
    retry_after: int | None = None
    description: str = ""
    seconds: float = 0.0


def ok() -> Scripted:
    """A normal answer (useful to fill a script's gaps)."""
    return Scripted("ok")


def rate_limited(retry_after: int = 1) -> Scripted:
    return Scripted(
        "rate_limited",
        status=429,
        retry_after=retry_after,
        description=f"Too Many Requests: retry after {retry_after}",
    )


def server_error(status: int = 502) -> Scripted:
    return Scripted("server_error", status=status, description="Internal Server Error")


def not_json() -> Scripted:
    return Scripted("not_json", status=200)


def bad_request(description: str = "Bad Request: wrong parameters") -> Scripted:
    return Scripted("bad_request", status=400, description=description)


def unauthorized() -> Scripted:
    return Scripted("unauthorized", status=401, description="Unauthorized")


def forbidden() -> Scripted:
    return Scripted(
        "forbidden", status=403, description="Forbidden: bot is not a member of the channel chat"
    )


def accept_and_drop() -> Scripted:
    """Record the message as received, then close the connection without a reply."""
    return Scripted("accept_and_drop")


def slow(seconds: float) -> Scripted:
    """Wait ``seconds`` before a normal reply (the message is recorded after the wait)."""
    return Scripted("slow", seconds=seconds)


# --- what the fake records -----------------------------------------------------


@dataclass(frozen=True)
class Received:
    """A message the fake accepted."""

    chat_id: str
    text: str  # the text, or the caption of a file
    method: str
    files: list[tuple[str, bytes]]
    message_id: str
    token: str
    at: float
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """Any request: which method, and the HTTP status answered (0: dropped)."""

    method: str
    status: int
    token: str
    at: float
    path: str = ""


class _Reply(Exception):
    """Raised inside the handler to answer at once."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class _Drop(Exception):
    """Close the connection without a reply."""


@dataclass
class _Request:
    method: str
    token: str
    params: dict[str, str]
    files: dict[str, tuple[str, bytes]]
    upload_id: str = ""


# --- the server ------------------------------------------------------------------


class FakeMessenger:
    """A local HTTP server speaking one messenger protocol."""

    def __init__(
        self,
        protocol: str,
        *,
        tokens: Iterable[str] | None = ("test-token",),
        chats: Iterable[str] | None = ("@hamseda_test",),
        host: str = "127.0.0.1",
        port: int = 0,
        accept_any: bool = False,
        verbose: bool = False,
    ) -> None:
        protocol = _ALIASES.get(protocol, protocol)
        if protocol not in PROTOCOLS:
            raise ValueError(f"unknown protocol {protocol!r}; one of {PROTOCOLS}")
        self.protocol = protocol
        # None: any token / chat is accepted (the demo).
        self.tokens = set(tokens) if tokens is not None else None
        self.chats = {str(chat) for chat in chats} if chats is not None else None
        self.host = host
        self.port = port
        self.accept_any = accept_any
        self.verbose = verbose
        self.received: list[Received] = []
        self.calls: list[Call] = []
        self._script: deque[Scripted] = deque()
        self._uploads: dict[str, tuple[str, bytes]] = {}
        self._upload_slots: dict[str, str] = {}  # upload id -> token
        self._next_message_id = 1
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> FakeMessenger:
        if self._server is not None:
            return self
        server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-{self.protocol}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeMessenger:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # scripting and inspection

    def script(self, *replies: Scripted) -> None:
        """The next send calls answer these, in order; then normal answers again."""
        with self._lock:
            self._script.extend(replies)

    @property
    def pending_script(self) -> list[Scripted]:
        with self._lock:
            return list(self._script)

    def sent_to(self, chat_id: str) -> list[Received]:
        with self._lock:
            return [message for message in self.received if message.chat_id == str(chat_id)]

    def send_calls(self) -> list[Call]:
        """The calls of the methods that publish a message."""
        with self._lock:
            return [c for c in self.calls if c.method in SEND_METHODS[self.protocol]]

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.calls.clear()
            self._script.clear()

    # internals used by the handler

    def _log_call(self, method: str, status: int, token: str, path: str) -> None:
        with self._lock:
            self.calls.append(Call(method, status, token, time.time(), path))

    def _pop_script(self, method: str) -> Scripted | None:
        if method not in SEND_METHODS[self.protocol]:
            return None
        with self._lock:
            return self._script.popleft() if self._script else None

    def _token_ok(self, token: str) -> bool:
        return self.accept_any or self.tokens is None or token in self.tokens

    def _chat_ok(self, chat_id: str) -> bool:
        if not chat_id:
            return False
        return self.accept_any or self.chats is None or chat_id in self.chats

    def _record(
        self,
        request: _Request,
        chat_id: str,
        text: str,
        files: list[tuple[str, bytes]],
    ) -> Received:
        with self._lock:
            number = self._next_message_id
            self._next_message_id += 1
            message_id = str(number) if self.protocol != RUBIKA else f"{number:019d}"
            received = Received(
                chat_id=chat_id,
                text=text,
                method=request.method,
                files=files,
                message_id=message_id,
                token=request.token,
                at=time.time(),
                params=dict(request.params),
            )
            self.received.append(received)
        if self.verbose:
            first = text.strip().splitlines()[0][:60] if text.strip() else ""
            extra = f" +{len(files)} file(s)" if files else ""
            print(f"[{self.protocol}] {request.method} → {chat_id}: {first}{extra}", flush=True)
        return received

    # --- protocol logic -----------------------------------------------------

    def _route(self, path: str) -> tuple[str, str, str]:
        """(token, method, upload id) from the request path; raises _Reply 404."""
        parts = [p for p in path.split("/") if p]
        if self.protocol == BOTAPI and len(parts) == 2 and parts[0].startswith("bot"):
            return parts[0][3:], parts[1], ""
        if self.protocol == EITAAYAR and len(parts) == 3 and parts[0] == "api":
            return parts[1], parts[2], ""
        if self.protocol == RUBIKA and len(parts) == 3 and parts[0] == "v3":
            return parts[1], parts[2], ""
        if self.protocol == RUBIKA and len(parts) == 3 and parts[0] == "upload":
            return parts[1], "upload", parts[2]
        raise _Reply(404, self._error_body(404, "Not Found"))

    def _error_body(
        self, code: int, description: str, *, retry_after: int | None = None
    ) -> dict[str, Any]:
        if self.protocol == RUBIKA:
            status = {
                400: "INVALID_INPUT",
                401: "INVALID_ACCESS",
                403: "INVALID_ACCESS",
                404: "INVALID_INPUT",
                429: "TOO_REQUESTS",
            }.get(code, "SERVER_ERROR")
            return {"status": status, "dev_message": description}
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return body

    def _fail(self, code: int, description: str, *, retry_after: int | None = None) -> _Reply:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        # Rubika answers its logical errors with HTTP 200 and a status word;
        # a bad token with 401 and HTTP 5xx for server errors.
        status = code
        if self.protocol == RUBIKA and code in (400, 403, 404, 429):
            status = 200
        return _Reply(status, self._error_body(code, description, retry_after=retry_after), headers)

    def _ok(self, result: Any) -> _Reply:
        if self.protocol == RUBIKA:
            return _Reply(200, {"status": "OK", "data": result})
        return _Reply(200, {"ok": True, "result": result})

    def _apply_script(self, scripted: Scripted) -> None:
        """Answer a scripted failure now; 'slow' waits and lets the call go on."""
        if scripted.kind == "ok":
            return
        if scripted.kind == "slow":
            time.sleep(scripted.seconds)
            return
        if scripted.kind == "not_json":
            raise _Reply(
                scripted.status,
                b"<html><body><h1>Service temporarily unavailable</h1></body></html>",
                {"Content-Type": "text/html; charset=utf-8"},
            )
        if scripted.kind == "rate_limited":
            raise self._fail(429, scripted.description, retry_after=scripted.retry_after)
        if scripted.kind == "server_error":
            raise _Reply(
                scripted.status,
                self._error_body(scripted.status, scripted.description),
            )
        if scripted.kind in ("bad_request", "unauthorized", "forbidden"):
            raise self._fail(scripted.status, scripted.description)
        raise ValueError(f"unknown scripted reply {scripted.kind!r}")

    def _bot_info(self) -> dict[str, Any]:
        if self.protocol == RUBIKA:
            return {
                "bot": {
                    "bot_id": "b0hamseda",
                    "bot_title": "Hamseda Fake Bot",
                    "username": "hamseda_fake_bot",
                }
            }
        return {
            "id": 1000,
            "is_bot": True,
            "first_name": "Hamseda Fake Bot",
            "username": "hamseda_fake_bot",
        }

    def handle(self, request: _Request) -> _Reply:
        """Answer one API call (the token is already known to be good)."""
        method = request.method
        params = request.params
        if method == "getMe":
            return self._ok(self._bot_info())
        if method not in SEND_METHODS[self.protocol] and method not in (
            "requestSendFile",
            "upload",
        ):
            return self._fail(404, "Not Found: method not found")
        if self.protocol == RUBIKA and method == "requestSendFile":
            upload_id = uuid.uuid4().hex
            with self._lock:
                self._upload_slots[upload_id] = request.token
            return self._ok({"upload_url": f"{self.base_url}/upload/{request.token}/{upload_id}"})
        if self.protocol == RUBIKA and method == "upload":
            with self._lock:
                known = self._upload_slots.pop(request.upload_id, None) == request.token
            if not known:
                return self._fail(400, "upload url is not valid")
            if not request.files:
                return self._fail(400, "no file in the request")
            file_id = f"f{uuid.uuid4().hex}"
            with self._lock:
                self._uploads[file_id] = next(iter(request.files.values()))
            return self._ok({"file_id": file_id})

        scripted = self._pop_script(method)
        drop = scripted is not None and scripted.kind == "accept_and_drop"
        if scripted is not None and not drop:
            self._apply_script(scripted)

        chat_id = params.get("chat_id", "")
        if not self._chat_ok(chat_id):
            return self._fail(400, "Bad Request: chat not found")
        files, text = self._content(request)
        received = self._record(request, chat_id, text, files)
        if drop:
            raise _Drop
        now = int(received.at)
        if self.protocol == RUBIKA:
            return self._ok({"message_id": received.message_id})
        result: dict[str, Any] = {
            "message_id": int(received.message_id),
            "date": now,
            "chat": {"id": chat_id, "type": "channel", "title": chat_id.lstrip("@")},
        }
        if files or method != "sendMessage":
            result["caption"] = text
        else:
            result["text"] = text
        return self._ok(result)

    def _content(self, request: _Request) -> tuple[list[tuple[str, bytes]], str]:
        """The files and the text of a send call; raises _Reply 400 when wrong."""
        method, params = request.method, request.params
        files: list[tuple[str, bytes]] = []
        if method == "sendMessage":
            text = params.get("text", "")
            if not text:
                raise self._fail(400, "Bad Request: message text is empty")
            if len(text) > TEXT_LIMIT:
                raise self._fail(400, "Bad Request: message is too long")
            return files, text
        if self.protocol == BOTAPI:
            name = _BOTAPI_FILE_FIELD[method]
            text = params.get("caption", "")
            if name in request.files:
                files.append(request.files[name])
            elif params.get(name):
                files.append((params[name], b""))  # a URL or a file id
            else:
                raise self._fail(400, f"Bad Request: there is no {name} in the request")
        elif self.protocol == EITAAYAR:
            text = params.get("caption", "") or params.get("text", "")
            if "file" not in request.files:
                raise self._fail(400, "Bad Request: file is required")
            files.append(request.files["file"])
        else:
            text = params.get("text", "")
            with self._lock:
                upload = self._uploads.get(params.get("file_id", ""))
            if upload is None:
                raise self._fail(400, "file_id is not valid")
            files.append(upload)
        if len(text) > CAPTION_LIMIT[self.protocol]:
            raise self._fail(400, "Bad Request: message caption is too long")
        return files, text

    def received_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {
                    "chat_id": m.chat_id,
                    "text": m.text,
                    "method": m.method,
                    "files": [name for name, _ in m.files],
                    "message_id": m.message_id,
                    "at": m.at,
                }
                for m in self.received
            ]


# --- HTTP plumbing ---------------------------------------------------------------


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Any]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    params: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if not message.is_multipart():
        return params, files
    for part in message.iter_parts():
        if not isinstance(part, Message):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, data)
        else:
            charset = part.get_content_charset() or "utf-8"
            params[name] = data.decode(charset)
    return params, files


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                handler.rfile.readline()
                break
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        return b"".join(chunks)
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _params_of(
    handler: BaseHTTPRequestHandler, query: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    params: dict[str, str] = {
        k: v[-1] for k, v in parse_qs(query, keep_blank_values=True, encoding="utf-8").items()
    }
    files: dict[str, tuple[str, bytes]] = {}
    content_type = handler.headers.get("Content-Type", "")
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return params, files
    if kind == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("JSON body is not an object")
        for key, value in data.items():
            if isinstance(value, bool):
                params[key] = "true" if value else "false"
            elif isinstance(value, dict | list):
                params[key] = json.dumps(value, ensure_ascii=False)
            else:
                params[key] = "" if value is None else str(value)
    elif kind == "multipart/form-data":
        form, files = _parse_multipart(content_type, body)
        params.update(form)
    else:  # application/x-www-form-urlencoded (or nothing said)
        form_data = parse_qs(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8")
        params.update({k: v[-1] for k, v in form_data.items()})
    return params, files


def _handler_for(fake: FakeMessenger) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "HamsedaFake/1.0"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle's
            # algorithm and delayed ACKs add ~40 ms to every reply.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            token, method = "", "?"
            try:
                if parts.path.rstrip("/") == "/_fake/received":
                    raise _Reply(200, fake.received_json())
                token, method, upload_id = fake._route(parts.path)
                body = _read_body(self)
                if not fake._token_ok(token):
                    raise fake._fail(401, "Unauthorized")
                try:
                    params, files = _params_of(self, parts.query, body)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise fake._fail(
                        400, f"Bad Request: cannot read the parameters ({exc})"
                    ) from None
                reply = fake.handle(_Request(method, token, params, files, upload_id))
            except _Reply as answer:
                reply = answer
            except _Drop:
                fake._log_call(method, 0, token, parts.path)
                self.close_connection = True
                return
            fake._log_call(method, reply.status, token, parts.path)
            self._answer(reply)

        def _answer(self, reply: _Reply) -> None:
            if isinstance(reply.body, bytes):
                payload = reply.body
                content_type = "text/plain; charset=utf-8"
            else:
                payload = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
                content_type = "application/json; charset=utf-8"
            headers = {"Content-Type": content_type, **reply.headers}
            try:
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)
            self.close_connection = True

    return Handler


# --- the demo's servers ------------------------------------------------------------


def serve_demo(
    host: str = "127.0.0.1",
    first_port: int = 8081,
    *,
    tokens: Iterable[str] | None = None,
    chats: Iterable[str] | None = None,
    verbose: bool = True,
) -> list[FakeMessenger]:
    """Start the three fakes on first_port (Bot API protocol), +1 (Eitaayar) and
    +2 (Rubika). ``tokens``/``chats`` None: accept any token / chat."""
    token_list = list(tokens) if tokens is not None else None
    chat_list = list(chats) if chats is not None else None
    fakes: list[FakeMessenger] = []
    try:
        for offset, protocol in enumerate(PROTOCOLS):
            fake = FakeMessenger(
                protocol,
                tokens=token_list,
                chats=chat_list,
                host=host,
                port=first_port + offset,
                verbose=verbose,
            )
            fakes.append(fake.start())
    except OSError:
        for fake in fakes:
            fake.stop()
        raise
    return fakes


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m hamseda.social.fakes",
        description="Local fakes of the Bot API (Telegram/Bale), Eitaayar and Rubika APIs.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="Bot API; +1 Eitaayar; +2 Rubika")
    parser.add_argument("--tokens", help="comma list of accepted bot tokens (default: any)")
    parser.add_argument("--chats", help="comma list of accepted chat ids (default: any)")
    parser.add_argument("--open", action="store_true", help="accept any token and chat")
    parser.add_argument("--quiet", action="store_true", help="do not print received messages")
    args = parser.parse_args(argv)
    tokens, chats = _split(args.tokens), _split(args.chats)
    if args.open:
        tokens = chats = None
    fakes = serve_demo(args.host, args.port, tokens=tokens, chats=chats, verbose=not args.quiet)
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for fake in fakes:
        print(f"{fake.protocol}: {fake.base_url}", flush=True)
    try:
        stop.wait()
    finally:
        for fake in fakes:
            fake.stop()


if __name__ == "__main__":
    main()
