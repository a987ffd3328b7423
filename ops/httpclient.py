"""A small HTTP/1.1 client on asyncio streams, for the load and fault tests (loopback only).

It keeps what a browser would keep for one person (cookies, the CSRF token) and little else, so
that the client spends as little CPU as possible on a machine it shares with the server.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import struct
import time
import urllib.parse
from dataclasses import dataclass, field

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class HttpError(Exception):
    """No complete answer (connection refused, reset, closed mid-answer, timed out)."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Client:
    """One simulated person: a connection (kept alive when the server allows), cookies, a CSRF token."""

    host: str
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK:
            raise ValueError("the load and fault tests only talk to this machine (loopback)")

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json_body: object | None = None,
        body: bytes | None = None,
        content_type: str = "",
        headers: dict[str, str] | None = None,
    ) -> Response:
        try:
            return await asyncio.wait_for(
                self._request(method, path, form, json_body, body, content_type, headers or {}), self.timeout
            )
        except (TimeoutError, ConnectionError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc

    async def _request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None,
        json_body: object | None,
        body: bytes | None,
        content_type: str,
        extra: dict[str, str],
    ) -> Response:
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = "application/json"
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method not in ("GET", "HEAD") and "csrftoken" in self.cookies and "Authorization" not in extra:
            lines.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
        for name, value in extra.items():
            lines.append(f"{name}: {value}")
        if body is not None:
            lines.append(f"Content-Type: {content_type}")
            lines.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
        # A kept-alive connection the server closed meanwhile fails on first use: one fresh try,
        # only when nothing of the answer arrived (the request never reached the application).
        for attempt in (0, 1):
            fresh = self._writer is None
            if fresh:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            assert self._reader is not None and self._writer is not None
            try:
                self._writer.write(payload)
                await self._writer.drain()
                head = await self._reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                await self.close()
                if fresh or attempt or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                    raise
                continue
            return await self._read_rest(head, method)
        raise HttpError("unreachable")

    async def _read_rest(self, head: bytes, method: str) -> Response:
        assert self._reader is not None
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _sep, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _eq, val = pair.partition("=")
                cookies[key.strip()] = val.strip()
            else:
                headers[name] = value
        if method == "HEAD" or status in (204, 304):
            data = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self._reader.readuntil(b"\r\n")
                    break
                chunks.append(await self._reader.readexactly(size))
                await self._reader.readexactly(2)
            data = b"".join(chunks)
        elif "content-length" in headers:
            data = await self._reader.readexactly(int(headers["content-length"]))
        else:
            data = await self._reader.read()
            headers["connection"] = "close"
        for key, val in cookies.items():
            if val and val != '""':
                self.cookies[key] = val
            else:
                self.cookies.pop(key, None)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, cookies, data)


def totp(key_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238, SHA-1), from the device's hex key."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def base32_secret(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


async def sign_in(client: Client, username: str, password: str, totp_key: str) -> None:
    """Sign in as a person does: the form, the password, then a code from the authenticator."""
    page = await client.request("GET", "/accounts/login/")
    if page.status != 200 or "csrftoken" not in client.cookies:
        raise HttpError(f"sign-in page: {page.status}")
    answer = await client.request("POST", "/accounts/login/", form={"username": username, "password": password})
    if answer.status != 302:
        raise HttpError(f"password refused for {username}: {answer.status}")
    verify = await client.request("GET", "/account/security/verify/")
    if verify.status != 200:
        raise HttpError(f"second factor page for {username}: {verify.status}")
    done = await client.request("POST", "/account/security/verify/", form={"code": totp(totp_key)})
    if done.status != 302 or "/account/security/" in done.location:
        raise HttpError(f"second factor refused for {username}: {done.status} {done.location}")


async def create_organisation(client: Client, name: str, jurisdiction: str, token: str) -> Response:
    """A write through the API (201 when done): a new community organisation."""
    return await client.request(
        "POST",
        "/api/v1/organisations",
        json_body={"name": name, "sector": "community", "jurisdiction": jurisdiction},
        headers={"Authorization": f"Bearer {token}"},
    )
