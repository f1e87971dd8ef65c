"""A TCP proxy in front of the test server that a test can cut and restore, like a network."""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import unquote

from sqlalchemy.engine import URL


class CuttableProxy:
    """Listens on 127.0.0.1:<port> and forwards to the server; `cut()` drops every connection and
    refuses new ones, `restore()` accepts again on the same port."""

    def __init__(self, server_url: URL) -> None:
        self._target = _target(server_url)
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.port = 0
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would not.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = self._connect()
            with self._lock:
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()

    def _connect(self) -> socket.socket:
        family, address = self._target
        sock = socket.socket(family)
        sock.connect(address)
        return sock


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _target(url: URL) -> tuple[int, object]:
    if url.host:
        return socket.AF_INET, (url.host, url.port or 5432)
    directory = unquote(str(url.query["host"]))
    return socket.AF_UNIX, f"{directory}/.s.PGSQL.{url.port or 5432}"
