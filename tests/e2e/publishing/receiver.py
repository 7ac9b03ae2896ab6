"""A webhook receiver on loopback, as a subscriber would write one: it checks each delivery's
HMAC-SHA256 signature and applies a delivery once, whatever number of times it arrives (it dedups
on X-Greenledger-Delivery). It can be taken down (connections refused) and brought back on the
same port, and told to lose its next answers (it applies the delivery, then answers 500, as if
the answer had been lost on the way back)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.port = 0
        self.arrivals: list[str] = []  # every delivery id that arrived, in order
        self.applied: dict[str, dict[str, Any]] = {}  # each delivery once
        self.bad_signatures = 0
        self.answers_to_lose = 0
        self.first_applied = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/greenledger"

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.receive(dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def receive(self, headers: dict[str, str], body: bytes) -> int:
        timestamp = headers["X-Greenledger-Timestamp"]
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(headers["X-Greenledger-Signature"], f"sha256={expected}"):
            self.bad_signatures += 1
            return 401
        delivery_id = headers["X-Greenledger-Delivery"]
        with self._lock:
            self.arrivals.append(delivery_id)
            if delivery_id not in self.applied:
                self.applied[delivery_id] = json.loads(body)
                self.first_applied.set()
            if self.answers_to_lose:
                self.answers_to_lose -= 1
                return 500
        return 204

    def applied_positions(self) -> list[int]:
        """The feed positions of every entry applied, in the order applied."""
        return [entry["position"] for body in self.applied.values() for entry in body["entries"]]
