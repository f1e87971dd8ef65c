"""`backoffice audit verify --url URL [--anchors FILE]` and `backoffice audit anchor --url URL`.

verify walks the audit trail's hash chain (as the database owner or an admin) and names the first
event edited, deleted or inserted out of order; anchor prints the chain's latest hash, a line to
keep where the database owner cannot reach (run it daily), which verify --anchors checks later.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice.commands.db import add_url_argument
from backoffice.errors import PermissionDenied, ValidationError
from backoffice.values import count_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from backoffice.services.audit_trail import ChainProgress

EXIT_BROKEN = 4
EPILOG = """\
Exit status: 0 the chain is intact; 1 refused or wrong input; 4 the chain is broken (the
sentence names the first event edited, deleted or inserted out of order).
The chain cannot show a rewrite of the whole trail by the database owner: anchors can. Keep the
line `backoffice audit anchor` prints each day where the owner cannot change it (another
machine, an email, paper); a report's first page prints the same line. `verify --anchors FILE`
checks that each anchored event still carries its hash."""
_NOT_ALLOWED = (
    "This login may not read the audit trail: verify it as the database owner or an admin."
)


def register(nouns: argparse._SubParsersAction) -> None:
    audit = nouns.add_parser("audit", help="verify the audit trail's hash chain; print its anchor")
    verbs = audit.add_subparsers(title="audit commands", metavar="VERB", required=True)
    verify = verbs.add_parser(
        "verify",
        help="walk the hash chain; name the first event edited, deleted or inserted out of order",
        description="Walk the audit trail's hash chain from its first event to its head.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_url_argument(verify)
    verify.add_argument(
        "--anchors",
        metavar="FILE",
        type=Path,
        help="anchor lines kept elsewhere (from `audit anchor` or reports): each must still hold",
    )
    verify.set_defaults(handler=run_verify)
    anchor = verbs.add_parser(
        "anchor",
        help="print the chain's latest hash: one line to keep elsewhere, daily",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_url_argument(anchor)
    anchor.set_defaults(handler=run_anchor)


def run_verify(args: argparse.Namespace) -> int:
    from backoffice.services.audit_trail import verify_audit_chain

    anchors = _read(args.anchors) if args.anchors else None
    engine = _engine(args.url)
    try:
        with _explained():
            check = verify_audit_chain(engine, anchors=anchors, progress=_progress_printer())
    finally:
        engine.dispose()
        _clear_progress()
    if not check.intact:
        print(f"backoffice: {check.summary()}", file=sys.stderr)
        return EXIT_BROKEN
    print(check.summary())
    return 0


def run_anchor(args: argparse.Namespace) -> int:
    from backoffice.services.audit_trail import audit_anchor

    engine = _engine(args.url)
    try:
        line = audit_anchor(engine)
    finally:
        engine.dispose()
    print(line)
    return 0


def _engine(url_text: str | None) -> Engine:
    import sqlalchemy as sa

    from backoffice.db import parse_url
    from backoffice.db_login import open_engine

    url = parse_url(url_text or "")
    return open_engine(url, poolclass=sa.NullPool, application_name="clinic-backoffice audit")


@contextmanager
def _explained() -> Iterator[None]:
    """The database's refusal to read the audit events, told as what to do instead."""
    try:
        yield
    except PermissionDenied:
        raise PermissionDenied(_NOT_ALLOWED) from None


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not a text file"
        raise ValidationError(f"The anchors file {path} cannot be read: {reason}.") from None


def _progress_printer() -> ChainProgress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        line = f"\r{count_text(done)} of {count_text(total)} events verified"
        print(line, end="", file=sys.stderr, flush=True)

    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
