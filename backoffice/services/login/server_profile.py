"""Where the clinic database is. Light on purpose: the login window imports it before painting, so
SQLAlchemy is only imported when a URL is actually built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from backoffice.config import DEFAULT_POOL_SIZE
from backoffice.credentials import DEMO_SERVER, ServerKey, server_key

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


@dataclass(frozen=True)
class ServerProfile:
    """A host (or, for the demo, a socket directory), a port, a database and the TLS mode.

    `read_server` is the clinic's hot standby ("host" or "host:port", same database and TLS
    mode), where long reports and dashboards go; empty when there is none. `pool_size` is how many
    connections this workstation may hold at once while busy (one at most while idle).
    """

    host: str
    port: int | None = 5432
    database: str = "clinic"
    sslmode: str = "prefer"
    is_demo: bool = False
    read_server: str = ""
    pool_size: int = DEFAULT_POOL_SIZE

    def url(self, username: str, password: str | None = None) -> URL:
        from sqlalchemy.engine import URL

        query = {"host": self.host} if self.is_demo else {"sslmode": self.sslmode}
        return URL.create(
            "postgresql+psycopg",
            username=username,
            password=password,
            host=None if self.is_demo else self.host,
            port=None if self.is_demo else self.port,
            database=self.database,
            query=query,
        )

    def read_url(self, username: str, password: str | None = None) -> URL | None:
        """The same login on the read-only server, or None when the profile names none."""
        if self.is_demo or not self.read_server.strip():
            return None
        host, port = split_host_port(self.read_server, default_port=self.port or 5432)
        return self.url(username, password).set(host=host, port=port)

    @property
    def key(self) -> ServerKey:
        if self.is_demo:
            return DEMO_SERVER
        return server_key(host=self.host, port=self.port, database=self.database)

    @property
    def label(self) -> str:
        return "the demo clinic" if self.is_demo else f"{self.host}:{self.port}/{self.database}"


def split_host_port(text: str, *, default_port: int) -> tuple[str, int]:
    """'db2' -> ('db2', default); 'db2:5433' -> ('db2', 5433); '[::1]:5433' -> ('::1', 5433)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
        return host, int(port) if port.isdigit() else default_port
    host, colon, port = text.rpartition(":")
    if colon and host and ":" not in host and port.isdigit():
        return host, int(port)
    return text, default_port
