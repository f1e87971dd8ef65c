"""A cuttable TCP proxy that can also cut a connection at its COMMIT: before the COMMIT reaches the
server (the transaction rolls back), or just after it was sent (it commits; the answer is lost)."""

from __future__ import annotations

import contextlib
import socket
import threading

from tests.tcp_proxy import CuttableProxy, _pump

_COMMIT = b"COMMIT\x00"


class TappedProxy(CuttableProxy):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self._armed: str | None = None
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def cut_before_commit(self) -> None:
        """The next COMMIT a client sends is dropped and every connection cut."""
        self._armed = "before"

    def cut_after_sending_commit(self) -> None:
        """The next COMMIT a client sends reaches the server, then every connection is cut."""
        self._armed = "after"

    def restore(self) -> None:
        self._armed = None
        super().restore()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = self._connect()
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._tap, args=(client, server), daemon=True).start()
            threading.Thread(target=_pump, args=(server, client), daemon=True).start()

    def _tap(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                armed = self._armed if _COMMIT in data else None
                if armed == "before":
                    self.cut()
                    return
                sink.sendall(data)
                if armed == "after":
                    self.cut()
                    return
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
