"""`backoffice offline checkout|sync --url URL` and `backoffice offline status|list|wipe`: a
therapist's caseload on this computer, as the window's "Work offline" has it (the same services).

Copies live under the data directory (`BACKOFFICE_DATA_DIR`); their key is made of this computer's
keyring and the login's password. `status` needs neither; `list` needs both but no network.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from backoffice.commands.db import add_url_argument
from backoffice.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from backoffice.services.offline import CopyInfo

EPILOG = """\
checkout and sync connect as the URL's login (a password only if the server asks: from the URL,
PGPASSWORD, ~/.pgpass, the login window's keyring entry, or the terminal); the copy is protected
by that password and a key this computer's keyring keeps. list asks for the password on the
terminal (or reads it with --password-stdin) and needs no network."""


def register(nouns: argparse._SubParsersAction) -> None:
    offline = nouns.add_parser(
        "offline",
        help="take a therapist's caseload offline, sync it back, or wipe it",
        description="A therapist's caseload on this computer, encrypted.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = offline.add_subparsers(title="offline commands", metavar="VERB", required=True)
    checkout = verbs.add_parser("checkout", help="take your caseload offline (a new copy)")
    add_url_argument(checkout)
    checkout.set_defaults(handler=run_checkout)
    sync = verbs.add_parser("sync", help="upload your drafts, then refresh the copy")
    add_url_argument(sync)
    sync.set_defaults(handler=run_sync)
    status = verbs.add_parser("status", help="the copies on this computer (no password needed)")
    status.add_argument("--user", metavar="LOGIN", help="only this login's copies")
    status.set_defaults(handler=run_status)
    listing = verbs.add_parser("list", help="the clients of a copy, one per line (no network)")
    _add_user_arguments(listing)
    listing.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    listing.set_defaults(handler=run_list)
    wipe = verbs.add_parser("wipe", help="remove a copy: its key first, then its files")
    _add_user_arguments(wipe)
    wipe.add_argument(
        "--discard-drafts", action="store_true", help="wipe even with drafts not yet synced"
    )
    wipe.set_defaults(handler=run_wipe)


def _add_user_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="LOGIN", required=True, help="whose copy")
    parser.add_argument(
        "--server", metavar="URL", help="which server's copy, when LOGIN has copies from several"
    )


def run_checkout(args: argparse.Namespace) -> int:
    from backoffice.services.offline import checkout_caseload

    result = _online(args, checkout_caseload)
    print(
        f"Took {result.clients} client(s), {result.sessions} session(s) and {result.notes} "
        f"note(s) offline for {result.info.login}; the copy can be read until "
        f"{_when(result.info.expires_at)} (clinic time)."
    )
    if result.left_out:
        print(f"{result.left_out} note(s) written meanwhile will come with the next sync.")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from backoffice.services.offline import sync_caseload

    result = _online(args, sync_caseload)
    print(f"Uploaded {len(result.uploaded)} draft(s).")
    for draft in result.conflicts:
        print(
            f"Conflict: draft {draft.draft_id} was uploaded earlier and edited since; both "
            "texts are kept: settle it in the window."
        )
    for draft in result.kept:
        print(f"Kept draft {draft.draft_id} on this computer: {draft.message}")
    info = result.checkout.info
    print(f"The copy is refreshed and can be read until {_when(info.expires_at)} (clinic time).")
    return 0


def _online(args: argparse.Namespace, service: Any) -> Any:
    from backoffice.db import UnitOfWork, parse_url
    from backoffice.db_login import login_target
    from backoffice.services.login import identify

    url = parse_url(args.url)
    engine = _engine(url)
    try:
        password = _password_used(engine)
        actor = identify(engine, url)
        return service(
            lambda: UnitOfWork(engine),
            actor,
            password=password,
            server=login_target(url).server,
        )
    finally:
        engine.dispose()


def _engine(url: Any) -> Engine:
    import sqlalchemy as sa

    from backoffice.db_login import open_engine

    return open_engine(url, poolclass=sa.NullPool, application_name="clinic-backoffice offline")


def _password_used(engine: Engine) -> str:
    """The password the login used (from wherever libpq or we found it): it protects the copy."""
    with engine.connect() as conn:
        info = conn.connection.dbapi_connection.info  # type: ignore[union-attr]
        password = info.password
    if not password:
        raise ValidationError(
            "The server let this login in without a password, and an offline copy is protected "
            "by the login's password: connect with a password to take the caseload offline."
        )
    return str(password)


def run_status(args: argparse.Namespace) -> int:
    from backoffice.services.offline import list_copies

    copies = list_copies(args.user)
    if not copies:
        who = f" of {args.user}" if args.user else ""
        print(f"There is no offline copy{who} on this computer.")
        return 0
    for info in copies:
        print(_status_line(info))
    return 0


def _status_line(info: CopyInfo) -> str:
    import datetime as dt

    state = "expired" if info.expired(dt.datetime.now(dt.UTC)) else "readable until"
    drafts = (
        f"{info.drafts_pending} draft(s) not yet synced" if info.drafts_pending else "no drafts"
    )
    return (
        f"{info.login} on {info.server}: taken {_when(info.taken_at)}, {state} "
        f"{_when(info.expires_at)} (clinic time), {drafts}."
    )


def run_list(args: argparse.Namespace) -> int:
    from backoffice.services.offline import open_copy, read_caseload

    info = _one_copy(args.user, args.server)
    password = _read_password(args.password_stdin, info.login)
    copy = open_copy(server=info.server, login=info.login, password=password)
    for row in read_caseload(copy):
        print(f"{row.client_id}\t{row.client_name or ''}")
    return 0


def run_wipe(args: argparse.Namespace) -> int:
    from backoffice.services.offline import wipe_copy

    info = _one_copy(args.user, args.server)
    if info.drafts_pending and not args.discard_drafts and not _confirmed(info):
        raise ValidationError(
            f"The copy holds {info.drafts_pending} draft(s) not yet synced: sync first, or pass "
            "--discard-drafts to wipe them too."
        )
    note = wipe_copy(server=info.server, login=info.login)
    print(note or f"The offline copy of {info.login} is wiped from this computer.")
    return 0


def _one_copy(login: str, server_url: str | None) -> CopyInfo:
    from backoffice.services.offline import list_copies

    copies = list(list_copies(login))
    if server_url:
        server = _server_of(server_url)
        copies = [c for c in copies if c.server == server]
    if not copies:
        raise NotFound(f"There is no offline copy of {login} on this computer.")
    if len(copies) > 1:
        servers = ", ".join(str(c.server) for c in copies)
        raise ValidationError(f"{login} has copies from {servers}: say which with --server URL.")
    return copies[0]


def _server_of(url_text: str) -> str:
    from backoffice.db import parse_url
    from backoffice.db_login import login_target

    return str(login_target(parse_url(url_text)).server)


def _read_password(from_stdin: bool, login: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("No terminal to ask for the password: pass --password-stdin.")
    return getpass.getpass(f"Password of {login} (it opens the offline copy): ")


def _confirmed(info: CopyInfo) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"{info.drafts_pending} draft(s) not yet synced will be lost. Wipe? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}


def _when(instant: Any) -> str:
    from backoffice.services.clock import clinic_time_of
    from backoffice.values import moment_text

    return moment_text(clinic_time_of(instant))
